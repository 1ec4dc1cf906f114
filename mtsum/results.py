"""The results mtsum returns: plain frozen dataclasses whose ``to_dict()`` is the contract's JSON.

Each stage result carries its own ``warnings`` so that a stand-alone call (``mtsum.translate``)
is as honest as a full ``run``; ``Result.to_dict()`` gathers them into one top-level list.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Candidate",
    "Detection",
    "ProgressFn",
    "Result",
    "Stats",
    "Summary",
    "Translation",
    "gather_warnings",
]

ProgressFn = Callable[[str, int, int], None]
"""Progress callback of the stages: ``(what, done, total)``, such as ``("translating", 3, 8)``."""


def gather_warnings(*groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The warnings of several stages as one tuple, in stage order: the one place they merge."""
    return tuple(warning for group in groups for warning in group)


@dataclass(frozen=True)
class Candidate:
    """One possible language of a text with its probability."""

    language: str
    probability: float

    def to_dict(self) -> dict[str, Any]:
        return {"language": self.language, "probability": round(self.probability, 4)}


@dataclass(frozen=True)
class Detection:
    """What language a text is in.

    Attributes:
        language: ISO 639-1 code of the best guess (or the code the caller gave).
        probability: the detector's probability for it; 1.0 when the caller gave the language.
        reliable: False for low probability or very short text (a warning says why).
        candidates: the best guesses, best first; empty when the caller gave the language.
        warnings: what makes this detection doubtful, if anything.
    """

    language: str
    probability: float
    reliable: bool
    candidates: tuple[Candidate, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        """True when the language came from the caller rather than from detection."""
        return not self.candidates

    def to_dict(self, *, with_warnings: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "language": self.language,
            "probability": round(self.probability, 4),
            "reliable": self.reliable,
            "candidates": [c.to_dict() for c in self.candidates],
        }
        if with_warnings:
            data["warnings"] = list(self.warnings)
        return data


@dataclass(frozen=True)
class Translation:
    """A text in the target language, with the model route that produced it.

    Attributes:
        text: the translation; paragraphs kept, in order. Equals the input when ``route`` is empty.
        source: language of the input.
        target: language of ``text``.
        route: the hops taken, such as ``("fr-en", "en-de")``; empty when source equals target.
        models: the model reference of each hop, in the same order.
        segments: ``(source sentence, translated sentence)`` pairs, one per input sentence.
        warnings: everything split, passed through or otherwise degraded.
    """

    text: str
    source: str
    target: str
    route: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    segments: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    warnings: tuple[str, ...] = ()

    def to_dict(self, *, with_warnings: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "source": self.source,
            "target": self.target,
            "route": list(self.route),
            "models": list(self.models),
        }
        if with_warnings:
            data["warnings"] = list(self.warnings)
        return data


@dataclass(frozen=True)
class Summary:
    """A short version of a text.

    Attributes:
        text: the summary.
        language: language of the summary.
        method: ``abstractive`` or ``extractive`` (the method actually used, after any fallback).
        words: number of words in ``text``.
        chunks: how many pieces the summariser read the text in (1 when it fit at once).
        warnings: fallbacks and shortenings, if any.
    """

    text: str
    language: str
    method: str
    words: int
    chunks: int = 1
    warnings: tuple[str, ...] = ()

    def to_dict(self, *, with_warnings: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "language": self.language,
            "method": self.method,
            "words": self.words,
        }
        if with_warnings:
            data["warnings"] = list(self.warnings)
        return data


@dataclass(frozen=True)
class Stats:
    """Size of the input and time spent per stage (seconds)."""

    characters: int
    paragraphs: int
    sentences: int
    chunks: int
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "characters": self.characters,
            "paragraphs": self.paragraphs,
            "sentences": self.sentences,
            "chunks": self.chunks,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


@dataclass(frozen=True)
class Result:
    """Everything one ``run`` produced: detection, translation, summary, stats and warnings."""

    detection: Detection
    translation: Translation
    summary: Summary
    stats: Stats
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the contract (section 4)."""
        return {
            "detection": self.detection.to_dict(with_warnings=False),
            "translation": self.translation.to_dict(with_warnings=False),
            "summary": self.summary.to_dict(with_warnings=False),
            "stats": self.stats.to_dict(),
            "warnings": list(self.warnings),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """``to_dict()`` as JSON text, non-ASCII characters kept readable."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
