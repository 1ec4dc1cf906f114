"""The page translates an uploaded document as a document: a download of the same format beside
the text results, reusing the run's translation; bad files go to the error panel."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from mtsum import Pipeline, Settings
from mtsum.results import Flag, Translation
from mtsum.web.page.handlers import Handlers
from mtsum.web.page.run_view import RunView
from tests.support.docbuilders import SUBTITLES, make_report_docx


class NoProgress:
    def __call__(self, *args: Any, **kwargs: Any) -> None:
        pass


@pytest.fixture
def uploads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Gradio's upload folder, here: the handler reads only files that lie inside it."""
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path))
    folder = tmp_path / "0123abcd"
    folder.mkdir()
    return folder


def upload(handlers: Handlers, folder: Path, name: str, data: bytes) -> tuple[Any, ...]:
    path = folder / name
    path.write_bytes(data)
    outputs = handlers.load_file(str(path))
    assert not path.exists()  # the upload itself is gone once read
    return outputs


def run_document(
    handlers: Handlers, text: str, document: Any, source: str = "fr"
) -> tuple[list[tuple[Any, ...]], bytes | None]:
    """The run's steps, and the translated file's bytes read while it is being served."""
    steps: list[RunView] = []
    data = None
    for step in handlers.run(text, "en", source, 0, "extractive", document, NoProgress()):
        steps.append(step)
        if step.result is not None and step.document:
            data = Path(step.document).read_bytes()
    return steps, data


def test_a_docx_upload_gives_a_docx_download_with_its_paragraphs_and_styles(
    pipeline: Pipeline, uploads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docx

    handlers = Handlers(pipeline)
    text, note, panel, document = upload(handlers, uploads, "rapport.docx", make_report_docx())
    assert panel == "" and "rapport.docx" in note
    again: list[str] = []
    monkeypatch.setattr(pipeline, "translate", lambda text, **_: again.append(text))
    steps, data = run_document(handlers, text, document)
    assert again == []  # the document's paragraphs are the run's: nothing translated twice
    last = steps[-1]
    file, info = last.document, last.document_note
    assert file is not None and Path(file).name == "rapport.en.docx"
    assert data is not None and not Path(file).exists()  # removed once Gradio has its copy
    assert (
        "rapport.en.docx" in info and "French (fr)" in info and "French (fr) → English (en)" in info
    )
    before = docx.Document(io.BytesIO(make_report_docx()))
    after = docx.Document(io.BytesIO(data))
    assert [p.style.name for p in after.paragraphs] == [p.style.name for p in before.paragraphs]
    assert [len(p.runs) for p in after.paragraphs] == [len(p.runs) for p in before.paragraphs]
    assert after.tables[0].cell(1, 1).text == "520 000"
    assert last.result is not None and last.result["summary"]["text"]  # as for any text
    assert steps[-2].document == file  # the download appears with the whole translation


def test_an_srt_upload_keeps_its_cue_numbers_and_timings(pipeline: Pipeline, uploads: Path) -> None:
    import srt

    handlers = Handlers(pipeline)
    text, _, _, document = upload(handlers, uploads, "news.srt", SUBTITLES.encode())
    steps, data = run_document(handlers, text, document)
    assert data is not None and Path(steps[-1].document or "").suffix == ".srt"
    before, after = list(srt.parse(SUBTITLES)), list(srt.parse(data.decode()))
    assert [(s.index, s.start, s.end) for s in after] == [(s.index, s.start, s.end) for s in before]


def test_a_pdf_comes_back_as_docx(pipeline: Pipeline, uploads: Path) -> None:
    from tests.core.test_documents import make_pdf

    handlers = Handlers(pipeline)
    pages = [["Le premier paragraphe du rapport."], ["La seconde page du rapport."]]
    text, _, _, document = upload(handlers, uploads, "rapport.pdf", make_pdf(pages))
    steps, data = run_document(handlers, text, document)
    assert data is not None and data[:2] == b"PK"
    assert Path(steps[-1].document or "").name == "rapport.en.docx"


def test_edited_text_gives_no_file_and_says_why(pipeline: Pipeline, uploads: Path) -> None:
    handlers = Handlers(pipeline)
    text, _, _, document = upload(handlers, uploads, "rapport.docx", make_report_docx())
    steps, data = run_document(handlers, text + "\n\nUne phrase ajoutée.", document)
    assert data is None and steps[-1].document is None
    assert "changed" in steps[-1].document_note and "rapport.docx" in steps[-1].document_note


def test_a_run_without_an_upload_has_no_download(pipeline: Pipeline) -> None:
    steps, data = run_document(Handlers(pipeline), "Bonjour à tous, voici les nouvelles.", None)
    assert data is None and all((step.document, step.document_note) == (None, "") for step in steps)


def test_the_document_note_counts_its_flags_and_points_to_the_aligned_view(
    pipeline: Pipeline, uploads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handlers = Handlers(pipeline)
    text, _, _, document = upload(handlers, uploads, "rapport.docx", make_report_docx())
    stream = pipeline.stream

    def flagged(*args: Any, **kwargs: Any) -> Any:
        for stage in stream(*args, **kwargs):
            flags = (Flag(sentence=0, kind="repetition", detail="x x"),)
            yield replace(stage, flags=flags) if isinstance(stage, Translation) else stage

    monkeypatch.setattr(pipeline, "stream", flagged)
    steps, _ = run_document(handlers, text, document)
    note = steps[-2].document_note  # the step with the whole translation
    # Short: the count and where to look; the reasons live in the aligned view.
    assert "1 sentence may be mistranslated (see Sentence by sentence)" in note
    assert "x x" not in note and len(note) < 400
    assert "mtsum-flagged" in steps[-2].aligned


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * (210 * 2**20))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("sheet.xlsx", b"PK\x03\x04", "not supported"),
        ("bomb.docx", _zip_bomb(), "unpacks to"),
        ("long.txt", ("mot " * 60).encode(), "over the limit of 200"),
    ],
    ids=["unsupported", "zip-bomb", "over-the-limit"],
)
def test_a_bad_file_goes_to_the_error_panel_in_a_visitors_words(
    settings: Settings, uploads: Path, name: str, data: bytes, fragment: str
) -> None:
    handlers = Handlers(Pipeline(settings.replace(max_chars=200)))
    _, note, panel, document = upload(handlers, uploads, name, data)
    assert "mtsum-panel-error" in panel and fragment in panel, panel
    assert "MTSUM_" not in panel and document is None and note == ""
