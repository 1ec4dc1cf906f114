"""How results read on the web page: short Markdown and text for each output box.

Kept apart from the Gradio wiring so the wording can be tested without a server, and so every
piece of the caller's text that ends up in Markdown is escaped in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ...degrade import Degraded
from ...languages import language_name
from ...results import Detection, Result, Translation
from .aligned import aligned_html
from .outputs import RunView
from .wording import notice_html

__all__ = [
    "counter_html",
    "degraded_outputs",
    "detection_markdown",
    "document_markdown",
    "route_text",
    "timings_markdown",
    "warnings_markdown",
]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def escape(text: str) -> str:
    """``text`` shown literally in Markdown (no emphasis, links or HTML)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def language_label(code: str) -> str:
    """``"fr"`` -> ``"French (fr)"``."""
    name = language_name(code)
    return f"{name} ({code})" if name != code else code


def detection_markdown(detection: Detection) -> str:
    """The detected language with its confidence; a visible warning when it is unreliable."""
    label = escape(language_label(detection.language))
    if detection.given:
        return f"**{label}**, as you chose (not detected)"
    if not detection.reliable:
        # A percentage beside "unreliable" reads as a contradiction (a short text can score
        # 100% with the detector and still be a guess): an unreliable result shows none.
        line = f"**{label}**, a guess"
    else:
        line = f"**{label}**, {detection.probability:.0%} confidence"
    others = [c for c in detection.candidates[1:] if c.probability >= 0.01]
    if others:
        shown = ", ".join(f"{escape(c.language)} {c.probability:.0%}" for c in others[:3])
        line += f" (also possible: {shown})"
    if not detection.reliable:
        reasons = " ".join(escape(w) for w in detection.warnings)
        line += (
            "\n\n⚠️ **Unreliable detection.** "
            + (reasons + " " if reasons else "")
            + "If it is wrong, choose the source language and run again."
        )
    return line


def route_text(translation: Translation) -> str:
    """``fr → en → de``; a note when no translation was needed."""
    if not translation.route:
        return f"{translation.source} (no translation needed)"
    return " → ".join([translation.source, *(hop.split("-")[1] for hop in translation.route)])


def timings_markdown(result: Result) -> str:
    """Seconds per stage and in total, plus the size of the text."""
    seconds = result.stats.seconds
    parts = [f"{name} {value:.2f} s" for name, value in seconds.items()]
    total = sum(seconds.values())
    stats = result.stats
    return (
        " · ".join(parts)
        + f" · **total {total:.2f} s**\n\n"
        + f"{stats.characters:,} characters, {stats.paragraphs} paragraph(s), "
        + f"{stats.sentences} sentence(s), summarised in {stats.chunks} chunk(s)"
    )


def degraded_outputs(detected: str, degraded: Degraded) -> RunView:
    """/run's outputs when nothing could be translated: the detection, no translation (nor a
    translated document), the summary in the source language, and the notice that says so
    (``mtsum.degrade``); the aligned view shows the text's own sentences, which the
    summary's sources point to."""
    source = degraded.detection.language
    name = language_name(source)
    route = f"{source} → {degraded.target}: not translated (model {degraded.model} missing)"
    return RunView(
        detected=detected,
        route=route,
        summary=degraded.result.summary.text,
        timings=timings_markdown(degraded.result),
        warnings=warnings_markdown(degraded.warnings),
        notice=notice_html("Summary only, in the text's own language", degraded.notice),
        aligned=aligned_html(
            degraded.result.translation,
            degraded.result.summary,
            note=f"Not translated: the text's own sentences, in {name}.",
        ),
        result=degraded.to_dict(),
    )


def warnings_markdown(warnings: Sequence[str]) -> str:
    """Every warning of the result, one bullet each; a reassuring line when there is none."""
    if not warnings:
        return "No warnings: nothing was shortened, split or guessed."
    return "\n".join(f"- {escape(w)}" for w in warnings)


def document_markdown(name: str, kind: str, characters: int, warnings: Iterable[str]) -> str:
    """What was read from an uploaded file."""
    line = f"Read **{escape(name)}** ({kind}): {characters:,} characters."
    notes = [f"\n- ⚠️ {escape(w)}" for w in warnings]
    return line + "".join(notes)


def counter_html(characters: int, limit: int) -> str:
    """The character counter under the text box (the page updates it in the browser too)."""
    if characters > limit:
        return (
            f'<span class="mtsum-over">{characters:,} / {limit:,} characters: '
            f"over the limit by {characters - limit:,}; shorten the text</span>"
        )
    return f"{characters:,} / {limit:,} characters"
