"""/translate_file and ``mtsum translate -o`` with slides, OpenDocument files and e-books: the
real pipeline (tiny models), the file back in its own format, the settings listing them."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mtsum import Pipeline
from mtsum.cli import main
from mtsum.documents import MEDIA_TYPES, parse_file
from mtsum.web import create_app
from tests.support.docbuilders import (
    make_book_epub,
    make_deck_pptx,
    make_press_odt,
    make_slides_odp,
)

_FILES: dict[str, Callable[[], bytes]] = {
    "deck.pptx": make_deck_pptx,
    "press.odt": make_press_odt,
    "slides.odp": make_slides_odp,
    "book.epub": make_book_epub,
}


@pytest.fixture(scope="module")
def client(pipeline: Pipeline) -> Iterator[TestClient]:
    with TestClient(create_app(pipeline=pipeline)) as test_client:
        yield test_client


def test_the_settings_list_the_new_formats(client: TestClient) -> None:
    formats = client.get("/frontend/settings").json()["supportedFilesFormat"]
    assert {".pptx", ".odt", ".odp", ".epub"} <= set(formats)


@pytest.mark.parametrize("name", list(_FILES))
def test_translate_file_gives_the_same_format_back(client: TestClient, name: str) -> None:
    original = _FILES[name]()
    response = client.post(
        "/translate_file",
        data={"source": "fr", "target": "en"},
        files={"file": (name, original)},
    )
    assert response.status_code == 200, response.text
    download = client.get(response.json()["translatedFileUrl"])
    suffix = "." + name.rsplit(".", 1)[1]
    assert download.status_code == 200
    assert download.headers["content-type"].startswith(MEDIA_TYPES[suffix].split(";")[0])
    assert f'.en{suffix}"' in download.headers["content-disposition"]
    # Readable again in its own format, with as many units (the tiny models write random
    # words, but every unit gets some).
    again = parse_file(download.content, name)
    assert len(again.units) == len(parse_file(original, name).units)


def test_a_hostile_upload_is_400_not_500(client: TestClient) -> None:
    response = client.post(
        "/translate_file",
        data={"source": "fr", "target": "en"},
        files={"file": ("book.epub", b"PK\x03\x04 broken")},
    )
    assert response.status_code == 400 and "epub" in response.json()["error"].lower()


@pytest.mark.parametrize("name", ["deck.pptx", "book.epub"])
def test_cli_writes_the_translation_in_the_same_format(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, registry_path: Path
) -> None:
    monkeypatch.setenv("MTSUM_REGISTRY", str(registry_path))
    monkeypatch.setenv("MTSUM_MODEL_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("MTSUM_OFFLINE", "1")
    source, target = tmp_path / name, tmp_path / f"out.{name.rsplit('.', 1)[1]}"
    source.write_bytes(_FILES[name]())
    code = main(
        ["translate", str(source), "--source", "fr", "--target", "en", "-o", str(target)],
        out=io.StringIO(),
    )
    assert code == 0
    assert len(parse_file(target.read_bytes(), name).units) == len(
        parse_file(source.read_bytes(), name).units
    )
