"""The results mtsum returns: plain frozen dataclasses whose ``to_dict()`` is the contract's JSON.

Each stage result carries its own ``warnings`` so that a stand-alone call (``mtsum.translate``)
is as honest as a full ``run``; ``Result.to_dict()`` gathers them into one top-level list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = [
    "Candidate",
    "Detection",
    "Flag",
    "Paragraph",
    "Result",
    "Segment",
    "Stats",
    "Summary",
    "Translation",
    "gather_warnings",
]


def gather_warnings(*groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The warnings of several stages as one tuple, in stage order: the one place they merge."""
    return tuple(warning for group in groups for warning in group)


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """One possible language of a text with its probability."""

    language: str
    probability: float

    def to_dict(self) -> dict[str, Any]:
        return {"language": self.language, "probability": round(self.probability, 4)}


@dataclass(frozen=True, kw_only=True)
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


class Segment(NamedTuple):
    """One sentence of the input and what the translation made of it."""

    source: str
    text: str
    score: float | None = None
    """The translator's mean log-probability per token of ``text`` (the lowest of a pivot
    route's hops), or None for a sentence kept as it is or answered without one."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "text": self.text}
        if self.score is not None:
            out["score"] = round(self.score, 4)
        return out


@dataclass(frozen=True, kw_only=True)
class Flag:
    """A reason to doubt one sentence of a translation or a summary.

    Attributes:
        sentence: 0-based index of the sentence (in ``Translation.segments`` for a translation,
            in the summary's own sentences for a summary).
        kind: what was found, such as ``repetition`` or ``unsupported_number``.
        detail: what exactly, in words.
    """

    sentence: int
    kind: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "kind": self.kind, "detail": self.detail}


@dataclass(frozen=True, kw_only=True)
class Translation:
    """A text in the target language, with the model route that produced it.

    Attributes:
        text: the translation; paragraphs kept, in order. Equals the input when ``route`` is empty.
        source: language of the input.
        target: language of ``text``.
        route: the hops taken, such as ``("fr-en", "en-de")``; empty when source equals target.
        models: the model reference of each hop, in the same order.
        profile: the model profile (``best`` or ``fast``) whose models served the hops; None
            when no model was needed (source equals target).
        segments: the input's sentences aligned one to one with their translations, in
            document order; a pivot route pairs the original sentence with the final output.
        flags: sentences whose translation looks wrong (:mod:`mtsum.checks`), by segment index.
        warnings: everything split, passed through or otherwise degraded.
    """

    text: str
    source: str
    target: str
    route: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    segments: tuple[Segment, ...] = field(default=(), repr=False)
    flags: tuple[Flag, ...] = ()
    warnings: tuple[str, ...] = ()
    profile: str | None = None

    def to_dict(self, *, with_warnings: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "source": self.source,
            "target": self.target,
            "route": list(self.route),
            "models": list(self.models),
            "profile": self.profile,
            "segments": [segment.to_dict() for segment in self.segments],
            "flags": [flag.to_dict() for flag in self.flags],
        }
        if with_warnings:
            data["warnings"] = list(self.warnings)
        return data


@dataclass(frozen=True, kw_only=True)
class Paragraph:
    """One paragraph of a translation, handed out by ``Pipeline.stream`` as soon as it is done.

    Attributes:
        index: 0-based position of the paragraph in the text.
        total: how many paragraphs the text has.
        text: the paragraph's translation (its lines kept).
        first: index of its first sentence in ``Translation.segments``.
        segments: its sentences aligned with their translations.
        flags: its doubtful sentences, numbered as in ``Translation.segments`` (like ``first``).
    """

    index: int
    total: int
    text: str
    first: int = 0
    segments: tuple[Segment, ...] = field(default=(), repr=False)
    flags: tuple[Flag, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "total": self.total,
            "text": self.text,
            "first": self.first,
            "segments": [segment.to_dict() for segment in self.segments],
            "flags": [flag.to_dict() for flag in self.flags],
        }


@dataclass(frozen=True, kw_only=True)
class Summary:
    """A short version of a text.

    Attributes:
        text: the summary.
        language: language of the summary.
        method: ``abstractive`` or ``extractive`` (the method actually used, after any fallback).
        words: number of words in ``text``.
        chunks: how many pieces the summariser read the text in (1 when it fit at once).
        sentences: the summary's sentences, as ``sources`` and ``flags`` number them.
        sources: per summary sentence, the indices of the text's sentences (as numbered in
            ``Translation.segments``) that support it: the chosen sentence for an extractive
            summary, the best-supporting ones by word overlap for an abstractive one.
        flags: numbers and names of the summary found nowhere in the text it summarises.
        warnings: fallbacks and shortenings, if any.
    """

    text: str
    language: str
    method: str
    words: int
    chunks: int = 1
    sentences: tuple[str, ...] = field(default=(), repr=False)
    sources: tuple[tuple[int, ...], ...] = ()
    flags: tuple[Flag, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_dict(self, *, with_warnings: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "language": self.language,
            "method": self.method,
            "words": self.words,
            "sentences": list(self.sentences),
            "sources": [list(indices) for indices in self.sources],
            "flags": [flag.to_dict() for flag in self.flags],
        }
        if with_warnings:
            data["warnings"] = list(self.warnings)
        return data


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
class Result:
    """Everything one ``run`` produced: detection, translation, summary, stats and warnings.

    ``source_url`` and ``title`` are set on a result made from a link (``Article.attach``).
    """

    detection: Detection
    translation: Translation
    summary: Summary
    stats: Stats
    warnings: tuple[str, ...] = ()
    source_url: str | None = None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the contract (section 4)."""
        data: dict[str, Any] = {}
        if self.source_url is not None:
            data["source_url"] = self.source_url
            data["title"] = self.title
        data.update(
            detection=self.detection.to_dict(with_warnings=False),
            translation=self.translation.to_dict(with_warnings=False),
            summary=self.summary.to_dict(with_warnings=False),
            stats=self.stats.to_dict(),
            warnings=list(self.warnings),
        )
        return data

    def to_json(self, indent: int | None = 2) -> str:
        """``to_dict()`` as JSON text, non-ASCII characters kept readable."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
