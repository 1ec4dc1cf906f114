"""The web handlers without a server: staged results, progress, friendly errors, file loading."""

from __future__ import annotations

import json
import logging
from itertools import pairwise
from pathlib import Path
from typing import Any

import gradio as gr
import pytest

from mtsum import ModelUnavailableError, Pipeline, Settings
from mtsum.results import Candidate, Detection, Result, Translation
from mtsum.web.page.handlers import Handlers
from mtsum.web.page.run_view import CLEARED_JS, NAMES, RunView
from mtsum.web.page.views import counter_html, detection_markdown, route_text, warnings_markdown
from tests.core.test_documents import make_docx
from tests.support.texts import SAMPLES

FRENCH = SAMPLES["fr"]


class RecordingProgress:
    """Stands in for ``gr.Progress``: records every update."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, str | None]] = []

    def __call__(self, value: Any, desc: str | None = None, **_: Any) -> None:
        self.calls.append((value, desc))


def run_all(handlers: Handlers, *args: Any) -> list[RunView]:
    return list(handlers.run(*args, progress=RecordingProgress()))


def test_stages_yield_detection_then_translation_then_result(pipeline: Pipeline) -> None:
    stages = list(pipeline.stages(FRENCH, target="en", method="extractive"))
    assert [type(s) for s in stages] == [Detection, Translation, Result]
    result = stages[-1]
    assert isinstance(result, Result)
    assert result.detection is stages[0] and result.translation is stages[1]
    assert set(result.stats.seconds) == {"detect", "translate", "summarize"}


def test_run_shows_each_stage_as_soon_as_it_is_done(pipeline: Pipeline) -> None:
    steps = run_all(Handlers(pipeline), FRENCH, "en", "auto", 0, "extractive")
    assert len(steps) == 4  # detection, the one paragraph, the whole translation, the result
    first, paragraph, second, last = steps
    assert "French (fr)" in first.detected and first == RunView(detected=first.detected)
    assert paragraph.translation == second.translation and paragraph.summary == ""
    assert paragraph.result is None
    assert second.route == "fr → en" and second.translation and second.summary == ""
    assert last.summary and last.result is not None
    assert last.result["translation"]["route"] == ["fr-en"]


def test_the_outputs_order_is_runviews_with_the_result_json_last() -> None:
    assert NAMES[-1] == "result" and len(NAMES) == len(set(NAMES)) == 11
    view = RunView(detected="d", notice="n", result={"x": 1})
    assert view.values() == ("d", "", "", "", "", "", "n", None, "", "", {"x": 1})
    assert json.loads(CLEARED_JS) == ["", "", "", "", "", "", "", None, "", "", None]


def test_run_fills_the_translation_in_paragraph_by_paragraph_with_a_progress_line(
    pipeline: Pipeline,
) -> None:
    text = "\n\n".join(SAMPLES[code] for code in ("fr", "fr", "fr"))
    handlers = Handlers(pipeline)
    steps = list(
        handlers.run_stream(text, "en", "fr", 0, "extractive", None, progress=RecordingProgress())
    )
    lines = [line for _, line in steps]
    assert lines[1:4] == [f"Translating: paragraph {n} of 3" for n in (1, 2, 3)]
    grown = [view.translation for view, _ in steps[1:4]]
    assert [text.count("\n\n") for text in grown] == [0, 1, 2]
    assert all(later.startswith(earlier) for earlier, later in pairwise(grown))
    assert all("mtsum-aligned" in view.aligned for view, _ in steps[1:4])
    final, line = steps[-1]
    assert line == "" and final.translation == grown[-1] and final.result is not None


def test_run_reports_the_pipelines_progress(pipeline: Pipeline) -> None:
    progress = RecordingProgress()
    list(Handlers(pipeline).run(FRENCH, "de", "auto", 0, "extractive", progress=progress))
    labels = [desc for _, desc in progress.calls]
    assert labels[0] == "detecting the language"
    assert "translating fr-en" in labels and "translating en-de" in labels
    assert any(isinstance(value, tuple) and value[0] == value[1] for value, _ in progress.calls)


def test_over_limit_text_is_refused_before_any_model_loads(settings: Settings) -> None:
    pipeline = Pipeline(settings.replace(max_chars=100))
    with pytest.raises(gr.Error) as caught:
        run_all(Handlers(pipeline), "x" * 101, "de", "auto", 0, "abstractive")
    assert "over the limit of 100" in caught.value.message
    assert caught.value.title == "Text too long"
    assert pipeline.store.loaded() == []


def test_model_unavailable_names_the_model_for_scripts_and_the_command_in_the_log(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def unavailable(*args: Any, **kwargs: Any) -> Any:
        raise ModelUnavailableError("Helsinki-NLP/opus-mt-fr-de", "not downloaded", "fr-de")

    monkeypatch.setattr(pipeline, "translate", unavailable)
    # An in-process CLI test may have left mtsum's logger quieter than a server runs it.
    caplog.set_level(logging.WARNING, logger="mtsum")
    with pytest.raises(gr.Error) as caught:
        Handlers(pipeline).translate(FRENCH, "de", "auto")
    assert caught.value.title == "Model unavailable"
    # A script calling the Gradio API is remote too: the model, not the server's command.
    assert "fr-de" in caught.value.message and "not available" in caught.value.message
    assert "mtsum models pull" not in caught.value.message
    assert "mtsum models pull fr-de" in caplog.text


def test_the_page_words_errors_for_a_visitor(settings: Settings) -> None:
    handlers = Handlers(Pipeline(settings.replace(max_chars=100)))
    with pytest.raises(gr.Error) as caught:
        run_all(handlers, "x" * 101, "de", "auto", 0, "extractive")
    assert "over the limit of 100" in caught.value.message
    assert "MTSUM_" not in caught.value.message


def test_a_bug_becomes_a_short_apology_without_traceback(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("secret internals")

    monkeypatch.setattr(pipeline, "detect", broken)
    with pytest.raises(gr.Error) as caught:
        Handlers(pipeline).detect("Bonjour à tous")
    assert caught.value.title == "Internal error"
    assert "bug" in caught.value.message
    assert "secret internals" not in caught.value.message
    assert "Traceback" not in caught.value.message


@pytest.fixture
def uploads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Gradio's upload folder, here: the handler reads only files that lie inside it."""
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path))
    folder = tmp_path / "0123abcd"
    folder.mkdir()
    return folder


def test_uploaded_docx_fills_the_text_box(pipeline: Pipeline, uploads: Path) -> None:
    path = uploads / "article.docx"
    path.write_bytes(make_docx(["Premier paragraphe.", "Second paragraphe."]))
    text, note, panel, document = Handlers(pipeline).load_file(str(path))
    assert text == "Premier paragraphe.\n\nSecond paragraphe." and panel == ""
    assert document is not None and document.text == text
    assert "article.docx" in note and "docx" in note


def test_uploaded_file_over_the_character_limit_is_refused(
    settings: Settings, uploads: Path
) -> None:
    path = uploads / "long.txt"
    path.write_text("mot " * 100, encoding="utf-8")
    handlers = Handlers(Pipeline(settings.replace(max_chars=50)))
    _, _, panel, document = handlers.load_file(str(path))
    assert "mtsum-panel-error" in panel and "over the limit of 50" in panel
    assert document is None and not path.exists()


def test_unsupported_upload_gets_a_clear_message(pipeline: Pipeline, uploads: Path) -> None:
    path = uploads / "sheet.xlsx"
    path.write_bytes(b"PK\x03\x04")
    _, _, panel, document = Handlers(pipeline).load_file(str(path))
    assert "Please check" in panel and ".docx" in panel and document is None


def test_unreliable_detection_is_flagged_visibly() -> None:
    candidates = (
        Candidate(language="fr", probability=0.55),
        Candidate(language="es", probability=0.41),
    )
    detection = Detection(
        language="fr",
        probability=0.55,
        reliable=False,
        candidates=candidates,
        warnings=("the text is short (12 letters)",),
    )
    shown = detection_markdown(detection)
    assert "a guess" in shown and "confidence" not in shown and "es 41%" in shown
    assert "Unreliable" in shown and "12 letters" in shown


def test_a_certain_score_is_never_shown_beside_unreliable_detection() -> None:
    detection = Detection(
        language="fr",
        probability=1.0,
        reliable=False,
        candidates=(Candidate(language="fr", probability=1.0),),
        warnings=("the text is short",),
    )
    shown = detection_markdown(detection)
    assert "Unreliable" in shown and "100%" not in shown and "confidence" not in shown
    reliable = detection_markdown(
        Detection(
            language="fr",
            probability=0.99,
            reliable=True,
            candidates=(Candidate(language="fr", probability=0.99),),
        )
    )
    assert "99% confidence" in reliable and "Unreliable" not in reliable


def test_route_reads_as_arrows_and_says_when_no_translation_was_needed() -> None:
    assert (
        route_text(Translation(text="x", source="fr", target="de", route=("fr-en", "en-de")))
        == "fr → en → de"
    )
    assert "no translation needed" in route_text(Translation(text="x", source="en", target="en"))


def test_warnings_are_escaped_markdown_bullets() -> None:
    shown = warnings_markdown(["model *x* <b>"])
    assert shown == "- model \\*x\\* \\<b\\>"
    assert "No warnings" in warnings_markdown([])


def test_counter_flags_text_over_the_limit() -> None:
    assert counter_html(10, 100) == "10 / 100 characters"
    assert "over the limit by 5" in counter_html(105, 100)
