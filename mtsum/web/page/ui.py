"""The Gradio page: paste or upload a text, pick a target, get detection, translation and summary.

``build_demo`` receives the pipeline and loads nothing itself: the registry is read for the
language lists, and models load on the first request. The page's button and the named API
endpoints of the contract (``/run``, ``/detect``, ``/translate``, ``/summarize``) run the same
handlers (``handlers.py``), all in one concurrency group, so the queue bounds how many requests
hold models and memory at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from ...documents import SUPPORTED_SUFFIXES
from ...languages import language_name
from ...pipeline import Pipeline
from ...request import AUTO, METHODS
from ...settings import ServeSettings, Settings
from .document import KEEP_SECONDS
from .events import RUN_START_JS, page_run, targets_for
from .examples import EXAMPLES
from .handlers import Handlers
from .outputs import OutputPanel, as_outputs
from .style import counter_js
from .targets import runnable_examples, target_choices, target_value
from .views import counter_html

__all__ = ["build_demo"]

_INTRO = """\
# mtsum
Paste a news article in any language, or upload a file: mtsum detects its language, translates it
and writes a short summary in the language you choose, on this machine, with open models.
"""
_METHOD_CHOICES = [
    ("Abstractive: a model writes it", "abstractive"),
    ("Extractive: the key sentences", "extractive"),
]
_PENDING = "*Appears here after a run.*"
_UPLOAD_HINT = (
    "Files: " + ", ".join(SUPPORTED_SUFFIXES) + ". Their text replaces the text box; "
    "nothing is run until you press the button, which also gives the file back translated "
    "(a .pdf as .docx)."
)
# Concurrency groups: every event that runs models shares one limit; reading files has its own.
_PIPELINE_GROUP = "pipeline"
# Pixels: two output boxes side by side need 2 x 300 + gap; a 390 px phone gets them stacked.
_OUTPUT_MIN_WIDTH = 300
_FILES_GROUP = "files"


def build_demo(pipeline: Pipeline, serving: ServeSettings | None = None) -> gr.Blocks:
    """The Gradio Blocks of the web page, with the named API endpoints of the contract.

    Args:
        pipeline: the pipeline every request runs on; nothing is loaded until a request.
        serving: how many requests run at once, the upload limit; ``ServeSettings()`` when
            omitted.

    Returns:
        The page. Serve it with ``create_app`` (which also sets the queue, theme and limits).
    """
    if set(METHODS) != {value for _, value in _METHOD_CHOICES}:  # pragma: no cover
        raise RuntimeError("the page's summary methods are out of step with the pipeline's")
    settings = pipeline.settings
    serving = serving or ServeSettings()
    handlers = Handlers(pipeline, serving.max_upload_mb)
    languages = sorted(pipeline.languages(), key=language_name)
    limit = serving.concurrency
    pipeline_events: dict[str, Any] = {
        "concurrency_id": _PIPELINE_GROUP,
        "concurrency_limit": limit,
    }

    with gr.Blocks(title="mtsum: detect, translate, summarise", analytics_enabled=False) as demo:
        gr.Markdown(_INTRO, elem_classes="mtsum-header")
        page = _input_panel(settings, languages, target_choices(pipeline, None))
        _examples(pipeline, page)
        panel = _output_panel()
        # The uploaded document, kept in the visitor's session for the run (document.py).
        document = gr.State(None, time_to_live=KEEP_SECONDS)
        inputs = [page.text, page.target, page.source, page.words, page.method, document]
        _page_events(handlers, page, panel, document, settings.max_chars, pipeline_events)
        _api_events(handlers, inputs, panel.in_order(), pipeline_events)
    return demo


def _examples(pipeline: Pipeline, page: _Inputs) -> None:
    """The examples whose language pair this server can route."""
    examples = runnable_examples(pipeline, EXAMPLES)
    gr.Examples(
        [[e.text, e.target, AUTO] for e in examples],
        inputs=[page.text, page.target, page.source],
        example_labels=[e.label for e in examples],
        label="Examples (written for mtsum)",
        cache_examples=False,
        api_visibility="private",
    )


def _page_events(
    handlers: Handlers,
    page: _Inputs,
    panel: OutputPanel,
    document: Any,
    max_chars: int,
    pipeline_events: dict[str, Any],
) -> None:
    """What the page's own controls do: clear, count, upload, list targets, run."""
    outputs = panel.in_order()
    inputs = [page.text, page.target, page.source, page.words, page.method, document]
    update_targets = targets_for(handlers)
    page.clear.add([page.text, page.upload, page.upload_note, document, *outputs])
    # The counter runs in the browser only: typing must not cost a request per keystroke.
    page.text.change(None, page.text, page.counter, js=counter_js(max_chars), queue=False)
    page.upload.upload(
        handlers.load_file,
        page.upload,
        [page.text, page.upload_note, panel.notice, document],
        api_visibility="private",
        concurrency_id=_FILES_GROUP,
        concurrency_limit=pipeline_events["concurrency_limit"],
    )
    page.source.change(
        update_targets,
        [page.source, page.target],
        page.target,
        api_name="targets",
        queue=False,
        api_visibility="private",
    )
    # Registered first, so the stale results are gone before the run is even queued.
    page.go.click(None, None, outputs, js=RUN_START_JS, queue=False)
    page.go.click(
        as_outputs(page_run(handlers)),
        inputs,
        outputs,
        api_name="page_run",
        api_visibility="private",
        # Detection shows first; the overlay (with the queue position while waiting) stays
        # only on what is still being computed.
        show_progress_on=[panel.translation, panel.summary],
        preprocess=False,
        **pipeline_events,
    ).then(
        update_targets,
        [page.source, page.target, panel.result],
        page.target,
        api_name="targets_detected",
        queue=False,
        api_visibility="private",
    )


def _api_events(
    handlers: Handlers, inputs: list[Any], outputs: list[Any], pipeline_events: dict[str, Any]
) -> None:
    """The Gradio API endpoints of the contract: ``/run``, ``/detect``, ``/translate``,
    ``/summarize``."""
    # /run for scripts raises its errors (the page's button shows them in a panel instead);
    # it has no button of its own on the page.
    gr.Button(visible=False).click(
        as_outputs(handlers.run),
        inputs,
        outputs,
        api_name="run",
        # The values go to the pipeline as sent, which checks them and answers in its own
        # words ("words must be a whole number, got 'x'"); Gradio's component checks would
        # answer API callers with its internals, and log a traceback for each.
        preprocess=False,
        **pipeline_events,
    )
    gr.api(handlers.detect, api_name="detect", **pipeline_events)
    gr.api(handlers.translate, api_name="translate", **pipeline_events)
    gr.api(handlers.summarize, api_name="summarize", **pipeline_events)


@dataclass
class _Inputs:
    """The input side of the page."""

    text: Any
    counter: Any
    upload: Any
    upload_note: Any
    target: Any
    source: Any
    words: Any
    method: Any
    clear: Any
    go: Any


def _input_panel(
    settings: Settings, languages: list[str], targets: list[tuple[str, str]]
) -> _Inputs:
    """Text box, counter and upload on the left; languages, length, method, buttons on the right."""
    choices = [(f"{language_name(code)} ({code})", code) for code in languages]
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            text = gr.Textbox(
                label="Text",
                lines=14,
                max_lines=30,
                placeholder="Paste an article in any language, or upload a file below",
                elem_id="mtsum-text",
                buttons=["copy"],
            )
            counter = gr.HTML(
                counter_html(0, settings.max_chars),
                elem_id="mtsum-counter",
                elem_classes="mtsum-counter",
            )
            with gr.Row(equal_height=True):
                upload = gr.File(
                    label="Upload a file",
                    file_types=list(SUPPORTED_SUFFIXES),
                    type="filepath",
                    height=150,
                    elem_id="mtsum-upload",
                )
                upload_note = gr.Markdown(_UPLOAD_HINT, elem_id="mtsum-upload-note")
        with gr.Column(scale=2, elem_classes="mtsum-card"):
            # Typing only filters the lists, so no typed text becomes a value ("English (en)
            # German"); API callers may still send any code, which the pipeline checks (the
            # events take their values unprocessed).
            target = gr.Dropdown(
                targets,
                value=target_value(targets, "en"),
                label="Translate into",
                info="Follows the source language; detected after a run with auto-detect.",
                elem_id="mtsum-target",
                allow_custom_value=False,
            )
            source = gr.Dropdown(
                [("Auto-detect", AUTO), *choices],
                value=AUTO,
                label="Source language",
                elem_id="mtsum-source",
                allow_custom_value=False,
            )
            words = gr.Slider(
                0,
                settings.max_summary_words,
                value=0,
                step=1,
                label="Summary length in words (0: automatic)",
                elem_id="mtsum-words",
            )
            method = gr.Radio(
                _METHOD_CHOICES, value="abstractive", label="Summary", elem_id="mtsum-method"
            )
            with gr.Row():
                go = gr.Button(
                    "Translate & summarise", variant="primary", size="lg", elem_id="mtsum-go"
                )
                clear = gr.ClearButton(value="Clear", size="lg", elem_id="mtsum-clear")
    return _Inputs(text, counter, upload, upload_note, target, source, words, method, clear, go)


def _output_panel() -> OutputPanel:
    """/run's outputs (``outputs.RunView`` names them and says their order). On a narrow
    screen (a phone) every row stacks."""
    with gr.Column(elem_id="mtsum-results"):
        return _outputs()


def _warnings_and_download() -> tuple[Any, Any, Any]:
    """The row of the warnings, and of the translated document with its note."""
    with gr.Row(equal_height=True):
        with gr.Column(variant="panel", scale=3, min_width=_OUTPUT_MIN_WIDTH):
            gr.Markdown("**Warnings**")
            warnings = gr.Markdown(_PENDING, elem_id="mtsum-warnings")
        with gr.Column(variant="panel", scale=2, min_width=_OUTPUT_MIN_WIDTH):
            download = gr.File(
                label="Translated document (after a run on an uploaded file)",
                interactive=False,
                height=90,
                elem_id="mtsum-download",
            )
            document_note = gr.Markdown("", elem_id="mtsum-document")
    return warnings, download, document_note


def _outputs() -> OutputPanel:
    # An error or a missing model: one panel above the results, kept until the next run.
    notice = gr.HTML("", elem_id="mtsum-notice", elem_classes="mtsum-notice")
    with gr.Row(equal_height=True):
        with gr.Column(variant="panel", scale=2, min_width=240):
            gr.Markdown("**Detected language**")
            detected = gr.Markdown(_PENDING, elem_id="mtsum-detected")
        with gr.Column(variant="panel", scale=2, min_width=200):
            route = gr.Textbox(label="Route", elem_id="mtsum-route", interactive=False)
        with gr.Column(variant="panel", scale=3, min_width=240):
            gr.Markdown("**Timings**")
            timings = gr.Markdown(_PENDING, elem_id="mtsum-timings")
    with gr.Row(equal_height=True):
        # The minimum width makes the two boxes stack below about 640 px instead of shrinking
        # to two unreadable columns on a phone.
        translation = gr.Textbox(
            label="Translation",
            lines=12,
            max_lines=20,
            buttons=["copy"],
            interactive=False,
            min_width=_OUTPUT_MIN_WIDTH,
            elem_id="mtsum-translation",
        )
        summary = gr.Textbox(
            label="Summary",
            lines=12,
            max_lines=20,
            buttons=["copy"],
            interactive=False,
            min_width=_OUTPUT_MIN_WIDTH,
            elem_id="mtsum-summary",
        )
    warnings, download, document_note = _warnings_and_download()
    # Built in ``aligned.py``; plain HTML and CSS, so no script of its own (not even Gradio's
    # default click relay).
    with gr.Accordion("Sentence by sentence: what to distrust, where the summary comes from"):
        aligned = gr.HTML("", elem_id="mtsum-aligned", js_on_load=None)
    with gr.Accordion("Result JSON", open=False):
        raw = gr.JSON(label="Result JSON", elem_id="mtsum-json")
    return OutputPanel(
        detected=detected,
        route=route,
        translation=translation,
        summary=summary,
        timings=timings,
        warnings=warnings,
        notice=notice,
        document=download,
        document_note=document_note,
        aligned=aligned,
        result=raw,
    )
