"""Checks on what mtsum wrote: per-sentence flags on a translation, sources and faithfulness of
a summary. Pure functions over aligned sentences; they never change the output, only describe
it, so a reader knows which sentences to distrust (no peer service says so).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..results import Flag
from .lexicon import Lexicon, Lexicons
from .summary import check_summary, summary_sources
from .translation import KINDS, DetectFn, check_segments

__all__ = [
    "KINDS",
    "DetectFn",
    "Lexicon",
    "Lexicons",
    "SummaryReview",
    "check_segments",
    "check_summary",
    "flags_warning",
    "review_summary",
    "summary_sources",
]

# How the warnings line names each kind: (one, many).
_LABELS = {
    "repetition": ("loop", "loops"),
    "untranslated": ("copy of the source", "copies of the source"),
    "wrong_language": ("in another language", "in another language"),
    "length": ("unusual length", "unusual lengths"),
    "numbers": ("changed number, name or link", "changed numbers, names or links"),
    "detached": ("sentence about something else", "sentences about something else"),
    "low_confidence": ("unsure translation", "unsure translations"),
    "term": ("missing term or protected span", "missing terms or protected spans"),
    "unsupported_number": ("unsupported number", "unsupported numbers"),
    "unsupported_name": ("unsupported name", "unsupported names"),
    "unsupported_word": ("word the text never uses", "words the text never uses"),
}


# Sentence numbers named in a warnings line; more are counted, not listed.
_LISTED_SENTENCES = 10


def flags_warning(flags: Sequence[Flag], what: str = "translation") -> str | None:
    """The one warnings line for ``flags``, counting each kind once per sentence, or None.

    Example: ``3 translated sentences may be wrong (sentences 2, 5 and 9): 2 loops, 1 changed
    number or link``. Sentences are numbered from 1, as every face shows them, so the line
    reads without the JSON.

    Args:
        flags: the flags of one translation or one summary.
        what: ``translation`` or ``summary``, for the wording.
    """
    if not flags:
        return None
    numbers = sorted({flag.sentence + 1 for flag in flags})
    kinds = Counter(kind for kind, _ in dict.fromkeys((f.kind, f.sentence) for f in flags))
    parts = []
    for kind, count in kinds.items():
        one, many = _LABELS.get(kind, (kind, kind))
        parts.append(f"{count} {one if count == 1 else many}")
    noun = "sentence" if len(numbers) == 1 else "sentences"
    if what == "summary":
        head = f"{len(numbers)} summary {noun} may not be supported by the text"
    else:
        head = f"{len(numbers)} translated {noun} may be wrong"
    return f"{head} ({noun} {_listed(numbers)}): {', '.join(parts)}"


def _listed(numbers: Sequence[int]) -> str:
    """``[2, 5, 9]`` -> ``2, 5 and 9``; past ``_LISTED_SENTENCES``, ``... and 12 more``."""
    shown = [str(n) for n in numbers[:_LISTED_SENTENCES]]
    rest = len(numbers) - len(shown)
    if rest:
        return f"{', '.join(shown)} and {rest} more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


@dataclass(frozen=True)
class SummaryReview:
    """What the checks say about a summary: its sources, its flags and the warnings line."""

    sources: tuple[tuple[int, ...], ...]
    flags: tuple[Flag, ...]
    warnings: tuple[str, ...]


def review_summary(
    summary: Sequence[str], text: Sequence[str], language: str | None = None
) -> SummaryReview:
    """Sources and flags of an abstractive summary, both in the language it was written in.

    Args:
        summary: the summary's sentences.
        text: the sentences of the text summarised, in the summary's language, numbered as
            ``Translation.segments``.
        language: the summary's language (see ``check_summary``).
    """
    flags = check_summary(summary, text, language)
    line = flags_warning(flags, "summary")
    return SummaryReview(summary_sources(summary, text), flags, (line,) if line else ())
