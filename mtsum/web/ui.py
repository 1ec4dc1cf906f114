"""The Gradio page: paste a text, pick a target, get detection, route, translation and summary.

``build_demo`` receives the pipeline and loads nothing itself. Every handler calls the public
API; an ``MtsumError`` becomes a friendly ``gr.Error`` and never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr

from ..errors import MtsumError
from ..languages import language_name
from ..pipeline import METHODS, Pipeline
from ..results import Result

__all__ = ["build_demo"]

T = TypeVar("T")
AUTO = "auto"


def _friendly(call: Callable[[], T]) -> T:
    try:
        return call()
    except MtsumError as exc:
        raise gr.Error(str(exc)) from None


def _route_text(result: Result) -> str:
    translation = result.translation
    if not translation.route:
        return f"no translation needed ({translation.source})"
    return " → ".join([translation.source, *[h.split("-")[1] for h in translation.route]])


def build_demo(pipeline: Pipeline) -> gr.Blocks:
    """The Gradio Blocks of the web page, with the named API endpoints of the contract."""
    languages = pipeline.registry.languages()
    choices = [(f"{language_name(code)} ({code})", code) for code in languages]

    def run(
        text: str, target: str, source: str, words: float | None, method: str
    ) -> tuple[Any, ...]:
        result = _friendly(
            lambda: pipeline.run(
                text,
                target=target,
                source=None if source == AUTO else source,
                words=int(words or 0),
                method=method,
            )
        )
        detection = result.detection
        name = language_name(detection.language)
        detected = f"{name} ({detection.language}), p={detection.probability:.2f}"
        return (
            detected,
            _route_text(result),
            result.translation.text,
            result.summary.text,
            "\n".join(result.warnings),
            result.to_dict(),
        )

    def detect(text: str) -> dict[str, Any]:
        return _friendly(lambda: pipeline.detect(text)).to_dict()

    def translate(text: str, target: str, source: str) -> dict[str, Any]:
        return _friendly(
            lambda: pipeline.translate(
                text, target=target, source=None if source == AUTO else source
            )
        ).to_dict()

    def summarize(text: str, words: float | None, method: str) -> dict[str, Any]:
        return _friendly(
            lambda: pipeline.summarize(text, words=int(words or 0), method=method)
        ).to_dict()

    with gr.Blocks(title="mtsum") as demo:
        gr.Markdown("# mtsum\nDetect the language of a text, translate it and summarise it.")
        text = gr.Textbox(label="Text", lines=12, placeholder="Paste an article in any language")
        with gr.Row():
            target = gr.Dropdown(
                choices, value="en" if "en" in languages else None, label="Translate into"
            )
            source = gr.Dropdown(
                [("Auto-detect", AUTO), *choices], value=AUTO, label="Source language"
            )
            words = gr.Number(value=0, precision=0, label="Summary words (0: automatic)")
            method = gr.Radio(list(METHODS), value="abstractive", label="Summary method")
        button = gr.Button("Translate and summarise", variant="primary")
        with gr.Row():
            detected = gr.Textbox(label="Detected language")
            route = gr.Textbox(label="Route")
        translation = gr.Textbox(label="Translation", lines=10)
        summary = gr.Textbox(label="Summary", lines=5)
        warnings = gr.Textbox(label="Warnings", lines=2)
        raw = gr.JSON(label="Result JSON")
        button.click(
            run,
            [text, target, source, words, method],
            [detected, route, translation, summary, warnings, raw],
            api_name="run",
        )
        gr.api(detect, api_name="detect")
        gr.api(translate, api_name="translate")
        gr.api(summarize, api_name="summarize")
    return demo
