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
from ..metrics import ServerMetrics
from ..tempfiles import KEEP_SECONDS
from .events import RUN_START_JS, page_run, targets_for
from .examples import EXAMPLES
from .handlers import Handlers
from .outputs import output_panel
from .run_view import OutputPanel, as_outputs
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
_PROFILE_CHOICES = [("Best quality", "best"), ("Fast", "fast")]
_UPLOAD_HINT = (
    "Files: " + ", ".join(SUPPORTED_SUFFIXES) + ". Their text replaces the text box; "
    "nothing is run until you press the button, which also gives the file back translated "
    "(a .pdf as .docx)."
)
# Concurrency groups: every event that runs models shares one limit; reading files has its own.
_PIPELINE_GROUP = "pipeline"
_FILES_GROUP = "files"


def build_demo(
    pipeline: Pipeline, serving: ServeSettings | None = None, metrics: ServerMetrics | None = None
) -> gr.Blocks:
    """The Gradio Blocks of the web page, with the named API endpoints of the contract.

    Args:
        pipeline: the pipeline every request runs on; nothing is loaded until a request.
        serving: how many requests run at once, the upload limit; ``ServeSettings()`` when
            omitted.
        metrics: the app's metrics, where the page's runs count their flags and degraded items.

    Returns:
        The page. Serve it with ``create_app`` (which also sets the queue, theme and limits).
    """
    if set(METHODS) != {value for _, value in _METHOD_CHOICES}:  # pragma: no cover
        raise RuntimeError("the page's summary methods are out of step with the pipeline's")
    settings = pipeline.settings
    serving = serving or ServeSettings()
    handlers = Handlers(pipeline, serving.max_upload_mb, metrics)
    languages = sorted(pipeline.languages(), key=language_name)
    limit = serving.concurrency
    pipeline_events: dict[str, Any] = {
        "concurrency_id": _PIPELINE_GROUP,
        "concurrency_limit": limit,
    }

    with gr.Blocks(title="mtsum: detect, translate, summarise", analytics_enabled=False) as demo:
        gr.Markdown(_INTRO, elem_classes="mtsum-header")
        page = _input_panel(settings, languages, target_choices(pipeline, None))
        examples = runnable_examples(pipeline, EXAMPLES)
        gr.Examples(
            [[e.text, e.target, AUTO] for e in examples],
            inputs=[page.text, page.target, page.source],
            example_labels=[e.label for e in examples],
            label="Examples (written for mtsum)",
            cache_examples=False,
            api_visibility="private",
        )
        panel, line = output_panel()
        outputs = panel.in_order()
        # The uploaded document (document.py) or fetched article, kept in the visitor's session
        # for the run.
        document = gr.State(None, time_to_live=KEEP_SECONDS)
        # The glossary lives in the session (the box's text, read on each run); scripts set it
        # with the undocumented /glossary endpoint in the same session. /run keeps the
        # contract's five parameters: the document and the glossary are session states.
        glossary = gr.State("")
        inputs = [page.text, page.target, page.source, page.words, page.method, document, glossary]
        page.clear.add([page.text, page.upload, page.upload_note, document, *outputs, line])
        # The counter runs in the browser only: typing must not cost a request per keystroke.
        page.text.change(
            None, page.text, page.counter, js=counter_js(settings.max_chars), queue=False
        )
        _wire_loading(page, panel, handlers, document, glossary, limit)
        _wire_run(page, panel, line, handlers, [*inputs, page.profile], pipeline_events)
        _wire_api(handlers, inputs, outputs, pipeline_events)
    return demo


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
    profile: Any
    glossary: Any
    glossary_upload: Any
    stop: Any
    url: Any = None
    fetch: Any = None


def _wire_loading(
    page: _Inputs, panel: OutputPanel, handlers: Handlers, document: Any, glossary: Any, limit: int
) -> None:
    """What fills the text box and the session's states: an upload, a link, the glossary."""
    page.upload.upload(
        handlers.load_file,
        page.upload,
        [page.text, page.upload_note, panel.notice, document],
        api_visibility="private",
        concurrency_id=_FILES_GROUP,
        concurrency_limit=limit,
    )
    # The glossary box is not cleared with the text: it stays for the session.
    page.glossary.change(
        _same,
        page.glossary,
        glossary,
        api_name="glossary",
        api_visibility="undocumented",
        queue=False,
    )
    page.glossary_upload.upload(
        handlers.load_glossary,
        [page.glossary_upload, page.glossary],
        page.glossary,
        api_visibility="private",
        queue=False,
    )
    if page.fetch is not None:  # only where the operator allows links (MTSUM_ALLOW_URLS)
        page.fetch.click(
            handlers.load_link,
            page.url,
            [page.text, page.upload_note, panel.notice, document],
            api_visibility="private",
            concurrency_id=_FILES_GROUP,
            concurrency_limit=limit,
        )


def _wire_run(
    page: _Inputs,
    panel: OutputPanel,
    line: Any,
    handlers: Handlers,
    page_inputs: list[Any],
    pipeline_events: dict[str, Any],
) -> None:
    """The page's button (with the profile, beyond /run's parameters), Stop, and the target
    list that follows the source language."""
    outputs = panel.in_order()
    update_targets = targets_for(handlers)
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
    running = page.go.click(
        page_run(handlers),
        page_inputs,
        [*outputs, line],
        api_name="page_run",
        api_visibility="private",
        # Detection shows first, then the translation paragraph by paragraph; the overlay
        # (with the queue position while waiting) stays on the summary, still to come.
        show_progress_on=[panel.summary],
        preprocess=False,
        **pipeline_events,
    )
    # Stop: the run ends before the engine's next batch and frees its slot (stops.py).
    page.stop.click(handlers.stops.stop, None, line, queue=False, api_visibility="private")
    running.then(
        update_targets,
        [page.source, page.target, panel.result],
        page.target,
        api_name="targets_detected",
        queue=False,
        api_visibility="private",
    )


def _wire_api(
    handlers: Handlers, inputs: list[Any], outputs: list[Any], pipeline_events: dict[str, Any]
) -> None:
    """The contract's named endpoints: /run (no button of its own), /detect, /translate,
    /summarize."""
    # /run for scripts raises its errors (the page's button shows them in a panel instead).
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


def _input_panel(
    settings: Settings, languages: list[str], targets: list[tuple[str, str]]
) -> _Inputs:
    """Text box, counter and upload on the left; languages, length, method, buttons on the right."""
    with gr.Row(equal_height=False):
        left = _text_column(settings)
        right = _options_column(settings, languages, targets)
    return _Inputs(**left, **right)


def _text_column(settings: Settings) -> dict[str, Any]:
    """The text box, its counter, the upload and, where links are allowed, the link box."""
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
        # Side by side on a wide screen; a phone stacks them (the page's CSS).
        with gr.Row(equal_height=True, elem_id="mtsum-upload-row"):
            # No file_types: Gradio would refuse other types in a pop-up that fades; the
            # handler refuses them in the error panel, in the page's own words.
            upload = gr.File(
                label="Upload a file",
                type="filepath",
                height=150,
                elem_id="mtsum-upload",
            )
            upload_note = gr.Markdown(_UPLOAD_HINT, elem_id="mtsum-upload-note")
        url = fetch = None
        if settings.allow_urls:
            with gr.Row(equal_height=True):
                url = gr.Textbox(
                    label="Or a link to a news article",
                    placeholder="https://...",
                    scale=4,
                    elem_id="mtsum-url",
                )
                fetch = gr.Button("Fetch the article", scale=1, elem_id="mtsum-fetch")
    return {
        "text": text,
        "counter": counter,
        "upload": upload,
        "upload_note": upload_note,
        "url": url,
        "fetch": fetch,
    }


def _options_column(
    settings: Settings, languages: list[str], targets: list[tuple[str, str]]
) -> dict[str, Any]:
    """Target, source, summary length and method, profile, glossary and the buttons."""
    choices = [(f"{language_name(code)} ({code})", code) for code in languages]
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
        profile = gr.Radio(
            _PROFILE_CHOICES,
            value=settings.profile,
            label="Models",
            info="Fast: smaller models where a language has one (quicker, a little less good).",
            elem_id="mtsum-profile",
        )
        glossary, glossary_upload = _glossary_box()
        buttons = _buttons()
    return {
        "target": target,
        "source": source,
        "words": words,
        "method": method,
        "profile": profile,
        "glossary": glossary,
        "glossary_upload": glossary_upload,
        **buttons,
    }


def _buttons() -> dict[str, Any]:
    """Run, Stop and Clear, side by side."""
    with gr.Row():
        go = gr.Button("Translate & summarise", variant="primary", size="lg", elem_id="mtsum-go")
        stop = gr.Button("Stop", variant="stop", size="lg", elem_id="mtsum-stop")
        clear = gr.ClearButton(value="Clear", size="lg", elem_id="mtsum-clear")
    return {"go": go, "stop": stop, "clear": clear}


def _same(lines: str | None) -> str:
    """The glossary box's lines, as the session keeps them (checked when a run uses them)."""
    return lines or ""


def _glossary_box() -> tuple[Any, Any]:
    """Terms to translate one fixed way: typed lines, or a TSV/CSV file read into them."""
    with gr.Accordion("Glossary: terms to translate one fixed way", open=False):
        glossary = gr.Textbox(
            label="One term a line: source = target (a term alone is kept as it is)",
            lines=4,
            max_lines=12,
            placeholder="Conseil municipal = city council\nNagorno-Karabakh",
            elem_id="mtsum-glossary",
        )
        upload = gr.File(
            label="Read a glossary file (TSV: source<TAB>target; CSV with source,target)",
            file_types=[".tsv", ".csv", ".txt"],
            type="filepath",
            height=90,
            elem_id="mtsum-glossary-upload",
        )
    return glossary, upload
