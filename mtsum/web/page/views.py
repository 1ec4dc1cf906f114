"""How results read on the web page: short Markdown and text for each output box.

Kept apart from the Gradio wiring so the wording can be tested without a server, and so every
piece of the caller's text that ends up in Markdown is escaped in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ...articles import Article
from ...degrade import Degraded
from ...languages import language_name
from ...results import Detection, Result, Translation
from ..visitors import visitor_result, visitor_warnings
from .aligned import aligned_html
from .run_view import RunView
from .wording import notice_html

__all__ = [
    "article_markdown",
    "counter_html",
    "degraded_outputs",
    "detection_markdown",
    "document_markdown",
    "final_view",
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
    parts = [f"{name} {_seconds(value)}" for name, value in seconds.items()]
    return " · ".join(parts) + f" · **total {_seconds(sum(seconds.values()))}**\n\n" + _size(result)


def _seconds(value: float) -> str:
    """``1.234`` -> ``1.23 s``; what rounds to nothing says so instead of "0.00 s"."""
    return f"{value:.2f} s" if value >= 0.005 else "under 0.01 s"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def _size(result: Result) -> str:
    """How big the text was, and how many parts the summariser read it in when it was more
    than one (its window is limited; the summary then combines the parts' summaries)."""
    stats = result.stats
    line = (
        f"{stats.characters:,} characters, {_count(stats.paragraphs, 'paragraph')}, "
        f"{_count(stats.sentences, 'sentence')}"
    )
    if stats.chunks > 1:
        line += f"; the summariser read it in {stats.chunks} parts, more than it reads at once"
    return line


def degraded_outputs(
    detected: str, degraded: Degraded, elapsed: float, operator_help: str = ""
) -> RunView:
    """/run's outputs when nothing could be translated: the detection, no translation (nor a
    translated document), the summary in the source language, and the notice that says so
    (``mtsum.degrade``); the aligned view shows the text's own sentences, which the
    summary's sources point to.

    Args:
        detected: the detection, as shown.
        degraded: what the run gives instead of a translation.
        elapsed: seconds the whole run took (the failed model load included).
        operator_help: HTML added to the notice for whoever runs the server (how to get models).
    """
    source = degraded.detection.language
    name = language_name(source)
    route = f"{source} → {degraded.target}: not translated (model {degraded.model} missing)"
    summary_seconds = degraded.result.stats.seconds.get("summarize", 0.0)
    timings = (
        f"translate: not done (model missing) · extractive summary {_seconds(summary_seconds)}"
        f" · **total {_seconds(elapsed)}**\n\n{_size(degraded.result)}"
    )
    return RunView(
        detected=detected,
        route=route,
        summary=degraded.result.summary.text,
        timings=timings,
        warnings=warnings_markdown(degraded.warnings),
        notice=notice_html(
            "Summary only, in the text's own language", degraded.notice, operator_help
        ),
        aligned=aligned_html(
            degraded.result.translation,
            degraded.result.summary,
            note=f"Not translated: the text's own sentences, in {name}.",
        ),
        result=visitor_result(degraded.to_dict()),
    )


def final_view(translated: RunView, result: Result) -> RunView:
    """The run's last view: the translation's, with the summary, timings, warnings, the
    aligned view's summary links and the result JSON."""
    return replace(
        translated,
        summary=result.summary.text,
        timings=timings_markdown(result),
        warnings=warnings_markdown(result.warnings),
        aligned=aligned_html(result.translation, result.summary),
        result=visitor_result(result.to_dict()),
    )


def warnings_markdown(warnings: Sequence[str]) -> str:
    """Every warning of the result, one bullet each; a reassuring line when there is none."""
    if not warnings:
        return "No warnings: nothing was shortened, split or guessed."
    return "\n".join(f"- {escape(w)}" for w in visitor_warnings(warnings))


def document_markdown(name: str, kind: str, characters: int, warnings: Iterable[str]) -> str:
    """What was read from an uploaded file."""
    line = f"Read **{escape(name)}** ({kind}): {characters:,} characters."
    notes = [f"\n- ⚠️ {escape(w)}" for w in visitor_warnings(warnings)]
    return line + "".join(notes)


def article_markdown(article: Article) -> str:
    """What was read from a link: title, byline, the link, and how much text."""
    byline = ", ".join(escape(part) for part in (article.author, article.date) if part)
    return (
        f"Read **{escape(article.title or 'an article without a title')}**"
        + (f" ({byline})" if byline else "")
        + f" from {escape(article.url)}: {len(article.text):,} characters. Check it, then run."
        + "".join(f"\n- ⚠️ {escape(w)}" for w in article.warnings)
    )


def counter_html(characters: int, limit: int) -> str:
    """The character counter under the text box (the page updates it in the browser too)."""
    if characters > limit:
        return (
            f'<span class="mtsum-over">{characters:,} / {limit:,} characters: '
            f"over the limit by {characters - limit:,}; shorten the text</span>"
        )
    return f"{characters:,} / {limit:,} characters"
