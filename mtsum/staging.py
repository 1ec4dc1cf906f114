"""What one text carries from stage to stage inside ``Pipeline``, and its final ``Result``.

Kept apart from ``pipeline.py`` so that the pipeline module holds the chain itself; both
``Pipeline.execute_stages`` (one text, stage by stage) and ``Pipeline.execute_many`` (many texts
with shared translation batches) build their results here, so the two cannot drift apart.
Every stage hands on a frozen dataclass, never a loose tuple.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .registry import Hop
from .results import Detection, Result, Stats, Summary, gather_warnings
from .translate import TranslationRun

__all__ = ["Identified", "Prepared", "Started", "assemble_result"]


@dataclass(frozen=True)
class Prepared:
    """Validated input: the caller's text, the cleaned text we work on, and notes about it."""

    original: str
    text: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Identified:
    """The detection stage's output.

    Attributes:
        detection: the public ``Detection`` (given or detected).
        notes: what the detection found about the text beyond its language (paragraphs in
            another language), for the result's warnings.
    """

    detection: Detection
    notes: tuple[str, ...] = ()


@dataclass
class Started:
    """A document of ``Pipeline.execute_many`` between detection and translation."""

    index: int
    prepared: Prepared
    identified: Identified
    hops: list[Hop]
    seconds: dict[str, float] = field(default_factory=dict)


def assemble_result(
    prepared: Prepared,
    identified: Identified,
    seconds: dict[str, float],
    run: TranslationRun,
    summary: Summary,
) -> Result:
    """The ``Result`` of one text, its warnings gathered from every stage in order."""
    stats = Stats(
        characters=len(prepared.text),
        paragraphs=len(run.document.paragraphs),
        sentences=len(run.document.sentences),
        chunks=summary.chunks,
        seconds=seconds,
    )
    warnings = gather_warnings(
        prepared.warnings,
        identified.detection.warnings,
        identified.notes,
        run.translation.warnings,
        summary.warnings,
    )
    return Result(identified.detection, run.translation, summary, stats, warnings)
