"""A glossary through every face: REST (pairs, ids, files, HTML), the page via gradio_client, the
CLI (run, translate, batch) and bad glossaries refused the same way on each (400 / exit 2).

Every face runs on a pipeline whose models copy their input (tests/support/copying.py), so the
words of each answer are known.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

import mtsum.cli
from mtsum import Pipeline, Settings
from mtsum.cli import main
from mtsum.models import ModelStore
from mtsum.web import create_app
from tests.support.batchkit import read_jsonl, write_jsonl
from tests.support.copying import CopyingLoader, space_inside
from tests.support.rest_support import rest_client
from tests.support.webserver import serve_in_thread

TEXT = "Le Conseil municipal a voté %1$s fois."


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model store with two operator glossaries named ``newsroom`` (fr-en and fr-de)."""
    root = tmp_path_factory.mktemp("store")
    (root / "glossaries" / "fr-en").mkdir(parents=True)
    (root / "glossaries" / "fr-de").mkdir()
    (root / "glossaries" / "fr-en" / "newsroom.tsv").write_text("Conseil municipal\tcity council\n")
    (root / "glossaries" / "fr-de" / "newsroom.tsv").write_text("Conseil municipal\tStadtrat\n")
    return root


@pytest.fixture(scope="module")
def copy_settings(settings: Settings, store_dir: Path) -> Settings:
    return settings.replace(model_dir=store_dir, translation_memory="off")


@pytest.fixture(scope="module")
def copying_pipeline(copy_settings: Settings) -> Pipeline:
    return Pipeline(
        copy_settings, store=ModelStore(copy_settings, loader=CopyingLoader(space_inside))
    )


# ---- REST ------------------------------------------------------------------------------------


def test_rest_translate_takes_pairs_as_json_and_as_a_form_field(copying_pipeline: Pipeline) -> None:
    client = rest_client(copying_pipeline)
    body = {
        "q": TEXT,
        "source": "fr",
        "target": "en",
        "glossary": {"Conseil municipal": "city council"},
    }
    answer = client.post("/translate", json=body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["translatedText"] == "Le city council a voté %1$s fois."
    form = {**body, "glossary": json.dumps(body["glossary"])}
    assert client.post("/translate", data=form).json() == answer.json()


def test_rest_translate_names_an_operator_glossary_and_lists_them(
    copying_pipeline: Pipeline,
) -> None:
    client = rest_client(copying_pipeline)
    listed = client.get("/glossaries").json()
    assert sorted(listed, key=lambda g: g["target"]) == [
        {"id": "newsroom", "source": "fr", "target": "de", "entries": 1},
        {"id": "newsroom", "source": "fr", "target": "en", "entries": 1},
    ]
    for target, term in (("en", "city council"), ("de", "Stadtrat")):
        body = {"q": [TEXT, TEXT], "source": "fr", "target": target, "glossary": "newsroom"}
        answer = client.post("/translate", json=body).json()
        assert all(term in text for text in answer["translatedText"])


def test_rest_html_keeps_translate_no_and_applies_the_glossary(copying_pipeline: Pipeline) -> None:
    html = '<p>Le Conseil municipal <b translate="no">Conseil municipal</b> {name}</p>'
    body = {"q": html, "source": "fr", "target": "en", "format": "html", "glossary": "newsroom"}
    answer = rest_client(copying_pipeline).post("/translate", json=body).json()
    assert answer["translatedText"] == (
        '<p>Le city council <b translate="no">Conseil municipal</b> {name}</p>'
    )


def test_rest_translate_file_takes_a_glossary(copying_pipeline: Pipeline) -> None:
    client = rest_client(copying_pipeline)
    files = {"file": ("note.txt", TEXT.encode(), "text/plain")}
    data = {"source": "fr", "target": "en", "glossary": "newsroom"}
    answer = client.post("/translate_file", data=data, files=files)
    assert answer.status_code == 200, answer.text
    url = answer.json()["translatedFileUrl"]
    assert "city council" in client.get(url[url.index("/download_file") :]).text


@pytest.mark.parametrize(
    ("glossary", "message"),
    [
        ({"": "x"}, "glossary entry 1"),
        ("../fr-en/newsroom", "unknown glossary"),
        ("/etc/passwd", "unknown glossary"),
        ("{not json", "glossary is not a valid JSON object"),
        ({f"t{i}": "x" for i in range(5001)}, "at most 5,000"),
        (["a", "b"], "glossary"),
    ],
)
def test_rest_refuses_a_bad_glossary_with_a_400(
    copying_pipeline: Pipeline, glossary: object, message: str
) -> None:
    body = {"q": TEXT, "source": "fr", "target": "en", "glossary": glossary}
    answer = rest_client(copying_pipeline).post("/translate", json=body)
    assert answer.status_code == 400
    assert message in answer.json()["error"]
    assert "/" not in answer.json()["error"].replace("../fr-en/newsroom", "").replace(
        "/etc/passwd", ""
    )


def test_an_operator_glossary_without_the_detected_pair_is_a_400(
    copying_pipeline: Pipeline,
) -> None:
    body = {"q": "Der Gemeinderat tagt.", "source": "de", "target": "en", "glossary": "newsroom"}
    answer = rest_client(copying_pipeline).post("/translate", json=body)
    assert answer.status_code == 400
    assert "no version for de-en" in answer.json()["error"]


# ---- the page, via gradio_client ----------------------------------------------------------


@pytest.fixture(scope="module")
def page(copying_pipeline: Pipeline) -> Iterator[Client]:
    with serve_in_thread(create_app(pipeline=copying_pipeline)) as url:
        yield Client(url, verbose=False)


def test_the_page_glossary_stays_for_the_session(page: Client) -> None:
    page.predict("Conseil municipal = city council\nfois", api_name="/glossary")
    for _ in range(2):  # set once, used by every run of the session
        result = page.predict(TEXT, "en", "fr", 0, "extractive", api_name="/run")[-1]
        assert result["translation"]["text"] == "Le city council a voté %1$s fois."


def test_the_page_names_a_bad_glossary_line(page: Client) -> None:
    page.predict("Conseil municipal = city council\nmairie =", api_name="/glossary")
    with pytest.raises(AppError, match="line 2"):
        page.predict(TEXT, "en", "fr", 0, "extractive", api_name="/run")
    page.predict("", api_name="/glossary")


# ---- the command line ---------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, copy_settings: Settings) -> None:
    def make(settings: Settings) -> Pipeline:
        return Pipeline(copy_settings, store=ModelStore(copy_settings, loader=CopyingLoader()))

    monkeypatch.setattr(mtsum.cli, "Pipeline", make)


def _call(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_cli_translate_and_run_read_a_glossary_file_and_keep_terms(
    cli: None, tmp_path: Path
) -> None:
    text = tmp_path / "in.txt"
    text.write_text("Le Conseil municipal du Nagorno-Karabakh a voté.")
    terms = tmp_path / "terms.csv"
    terms.write_text("source,target\nConseil municipal,city council\n")
    code, out = _call(
        "translate",
        str(text),
        "--source",
        "fr",
        "--glossary",
        str(terms),
        "--keep",
        "Nagorno-Karabakh",
    )
    assert code == 0
    assert out.strip() == "Le city council du Nagorno-Karabakh a voté."
    code, out = _call(
        "run",
        str(text),
        "--source",
        "fr",
        "--glossary",
        str(terms),
        "--method",
        "extractive",
        "--json",
    )
    assert code == 0
    assert "city council" in json.loads(out)["translation"]["text"]
    written = tmp_path / "out.txt"
    code, _ = _call(
        "translate", str(text), "--source", "fr", "--glossary", str(terms), "-o", str(written)
    )
    assert code == 0 and "city council" in written.read_text()


def test_cli_batch_applies_the_glossary_to_every_record(cli: None, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": i, "text": TEXT} for i in range(3)])
    terms = tmp_path / "terms.tsv"
    terms.write_text("Conseil municipal\tcity council\n")
    code, _ = _call(
        "batch", str(source), str(tmp_path / "out.jsonl"), "--source", "fr", "--target", "en",
        "--method", "extractive", "--glossary", str(terms),
    )  # fmt: skip
    assert code == 0
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert len(rows) == 3
    assert all("city council" in json.dumps(row) for row in rows)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a\tb\nc\td\te\n", "terms.tsv line 2"),
        ("a\tb\n\tx\n", "terms.tsv line 2"),
        (None, "no such file"),
    ],
)
def test_cli_refuses_a_bad_glossary_file_with_exit_2(
    cli: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    text = tmp_path / "in.txt"
    text.write_text(TEXT)
    terms = tmp_path / "terms.tsv"
    if content is not None:
        terms.write_text(content)
    code, _ = _call("translate", str(text), "--source", "fr", "--glossary", str(terms))
    assert code == 2
    assert message in capsys.readouterr().err


def test_the_glossary_upload_reads_only_uploaded_files(
    copying_pipeline: Pipeline, tmp_path: Path
) -> None:
    import gradio as gr
    from gradio.utils import get_upload_folder

    from mtsum.web.page.handlers import Handlers

    handlers = Handlers(copying_pipeline)
    folder = Path(get_upload_folder()) / "mtsum-test-glossary"
    folder.mkdir(parents=True, exist_ok=True)
    upload = folder / "terms.tsv"
    upload.write_text("Conseil municipal\tcity council\n")
    lines = handlers.load_glossary(str(upload), "mairie = town hall")
    assert lines == "mairie = town hall\nConseil municipal = city council"
    assert not upload.exists()  # read once, then removed
    outside = tmp_path / "terms.tsv"
    outside.write_text("a\tb\n")
    with pytest.raises(gr.Error, match="not uploaded"):
        handlers.load_glossary(str(outside), "")
    assert outside.exists()
