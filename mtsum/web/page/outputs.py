"""The page's output side: the progress line, the notice panel, detection, route, timings,
translation, summary, warnings, the translated document, the aligned view and the result JSON.

Apart from ``ui.py`` (the inputs and the events) so that each stays readable; the components
are named as ``run_view.RunView``'s fields, which the handlers yield and which say /run's order.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from .run_view import OutputPanel

__all__ = ["output_panel"]

_PENDING = "*Appears here after a run.*"
# Pixels: two output boxes side by side need 2 x 300 + gap; a 390 px phone gets them stacked.
_OUTPUT_MIN_WIDTH = 300


def output_panel() -> tuple[OutputPanel, Any]:
    """/run's outputs (``RunView`` names them and says their order), and the page's progress
    line ("paragraph 3 of 12"). On a narrow screen (a phone) every row stacks."""
    with gr.Column(elem_id="mtsum-results"):
        line = gr.Markdown("", elem_id="mtsum-progress", elem_classes="mtsum-progress")
        return _outputs(), line


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
    translation, summary = _text_boxes()
    with gr.Row(equal_height=False):
        with gr.Column(
            variant="panel", scale=3, min_width=_OUTPUT_MIN_WIDTH, elem_id="mtsum-warnings-col"
        ):
            gr.Markdown("**Warnings**")
            warnings = gr.Markdown(_PENDING, elem_id="mtsum-warnings")
        # Hidden by the page's CSS until a run on an uploaded file has something to show.
        with gr.Column(
            variant="panel", scale=2, min_width=_OUTPUT_MIN_WIDTH, elem_id="mtsum-doc-col"
        ):
            download = gr.File(
                label="Translated document",
                interactive=False,
                height=90,
                elem_id="mtsum-download",
            )
            document_note = gr.Markdown("", elem_id="mtsum-document")
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


def _text_boxes() -> tuple[Any, Any]:
    """The translation and the summary, side by side on a wide screen."""
    with gr.Row(equal_height=True):
        translation = _output_box("Translation", "mtsum-translation")
        summary = _output_box("Summary", "mtsum-summary")
    return translation, summary


def _output_box(label: str, elem_id: str) -> Any:
    """A read-only text box with a copy button; its minimum width makes the two boxes stack
    below about 640 px instead of shrinking to two unreadable columns on a phone."""
    return gr.Textbox(
        label=label,
        lines=12,
        max_lines=20,
        buttons=["copy"],
        interactive=False,
        min_width=_OUTPUT_MIN_WIDTH,
        elem_id=elem_id,
    )
