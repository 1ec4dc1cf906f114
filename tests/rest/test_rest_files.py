"""LibreTranslate's file routes: /translate_file, /download_file/<id>, /frontend/settings."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mtsum import Pipeline, Settings
from mtsum.documents import SUPPORTED_SUFFIXES
from mtsum.settings import ServeSettings
from mtsum.web import create_app
from tests.support.docbuilders import SUBTITLES, make_report_docx


@pytest.fixture(scope="module")
def client(pipeline: Pipeline) -> Iterator[TestClient]:
    with TestClient(create_app(pipeline=pipeline)) as test_client:
        yield test_client


def _send(client: TestClient, name: str, data: bytes, **fields: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    form = {"source": "fr", "target": "en", **fields}
    response = client.post("/translate_file", data=form, files={"file": (name, data)})
    return response.status_code, response.json()


def test_a_docx_comes_back_as_a_docx_with_its_structure(client: TestClient) -> None:
    import docx

    code, body = _send(client, "rapport.docx", make_report_docx())
    assert code == 200, body
    url = body["translatedFileUrl"]
    assert url.startswith("http://testserver/download_file/")
    download = client.get(url)
    assert download.status_code == 200
    assert download.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert 'filename="rapport.en.docx"' in download.headers["content-disposition"]
    before = docx.Document(io.BytesIO(make_report_docx()))
    after = docx.Document(io.BytesIO(download.content))
    assert [p.style.name for p in after.paragraphs] == [p.style.name for p in before.paragraphs]


def test_srt_timings_survive_the_round_trip(client: TestClient) -> None:
    import srt

    code, body = _send(client, "news.srt", SUBTITLES.encode(), source="auto")
    assert code == 200, body
    after = list(srt.parse(client.get(body["translatedFileUrl"]).text))
    before = list(srt.parse(SUBTITLES))
    assert [(s.index, s.start, s.end) for s in after] == [(s.index, s.start, s.end) for s in before]


def test_downloads_get_the_same_cors_as_the_other_routes(settings: Settings) -> None:
    origin = "https://app.example.org"
    app = create_app(pipeline=Pipeline(settings), serving=ServeSettings(cors_origins=(origin,)))
    with TestClient(app) as cors:
        response = cors.post(
            "/translate_file",
            data={"source": "fr", "target": "en"},
            files={"file": ("note.txt", "Bonjour à tous.".encode())},
            headers={"Origin": origin},
        )
        assert response.headers["access-control-allow-origin"] == origin
        url = response.json()["translatedFileUrl"]
        download = cors.get(url, headers={"Origin": origin})
        assert download.status_code == 200
        assert download.headers["access-control-allow-origin"] == origin
        preflight = cors.options(
            url, headers={"Origin": origin, "Access-Control-Request-Method": "GET"}
        )
        assert preflight.headers["access-control-allow-origin"] == origin
        other = cors.get(url, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_frontend_settings_say_files_are_translated(client: TestClient, settings: Settings) -> None:
    body = client.get("/frontend/settings").json()
    assert body["filesTranslation"] is True
    assert body["supportedFilesFormat"] == list(SUPPORTED_SUFFIXES)
    assert body["charLimit"] == settings.max_chars
    assert body["keyRequired"] is False
    assert body["language"]["source"]["code"] == "auto"


@pytest.mark.parametrize(
    ("name", "data", "fields", "status", "fragment"),
    [
        ("sheet.xlsx", b"PK\x03\x04", {}, 400, "not supported"),
        ("cut.docx", b"PK\x03\x04 not really", {}, 400, "docx"),
        ("a.txt", b"Bonjour tout le monde.", {"target": "xx"}, 400, "xx"),
        ("a.txt", b"   ", {}, 400, "no text"),
        ("a.txt", b"Un texte assez long. " * 10_000, {}, 413, "limit"),
    ],
)
def test_bad_files_are_400_or_413_json(
    client: TestClient,
    name: str,
    data: bytes,
    fields: dict[str, str],
    status: int,
    fragment: str,
) -> None:
    code, body = _send(client, name, data, **fields)
    assert code == status
    assert fragment in body["error"]


def test_a_missing_or_textual_file_field_is_a_400(client: TestClient) -> None:
    missing = client.post("/translate_file", data={"target": "en"})
    assert missing.status_code == 400 and "file" in missing.json()["error"]
    textual = client.post(
        "/translate_file", data={"target": "en", "file": "x"}, files={"other": ("a.txt", b"x")}
    )
    assert textual.status_code == 400


def test_an_upload_over_the_size_limit_is_413(settings: Settings) -> None:
    app = create_app(pipeline=Pipeline(settings), serving=ServeSettings(max_upload_mb=1))
    with TestClient(app) as small:
        code, body = _send(small, "big.txt", b"a" * (2 * 2**20))
    assert code == 413 and " MB" in body["error"] and "bytes" not in body["error"]


def test_keys_guard_the_file_route(settings: Settings) -> None:
    app = create_app(pipeline=Pipeline(settings), serving=ServeSettings(api_keys=("secret-key",)))
    with TestClient(app) as guarded:
        code, _ = _send(guarded, "a.txt", b"Bonjour.")
        assert code == 403
        assert guarded.get("/frontend/settings").json()["keyRequired"] is True


@pytest.mark.parametrize("file_id", ["nothing-here", "..%2F..%2Fetc%2Fpasswd", "a" * 32])
def test_unknown_downloads_are_404_json(client: TestClient, file_id: str) -> None:
    response = client.get(f"/download_file/{file_id}")
    assert response.status_code == 404
    assert "error" in response.json()
