"""What one text carries from stage to stage inside ``Pipeline``, and its final ``Result``.

Kept apart from ``pipeline.py`` so that the pipeline module holds the chain itself; both
``Pipeline.run_stages`` (one text, stage by stage) and ``Pipeline.run_many`` (many texts with
shared translation batches) build their results here, so the two cannot drift apart.
"""

from __future__ import annotations

import dataclasses

from .registry import Hop
from .results import Detection, Result, Stats, Summary
from .translate import TranslationRun

__all__ = ["Prepared", "Started", "assemble_result"]


def assemble_result(
    prepared: Prepared,
    detection: Detection,
    notes: list[str],
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
    warnings = [
        *prepared.warnings,
        *detection.warnings,
        *notes,
        *run.translation.warnings,
        *summary.warnings,
    ]
    return Result(detection, run.translation, summary, stats, tuple(warnings))


@dataclasses.dataclass
class Started:
    """A document of ``Pipeline.run_many`` between detection and translation."""

    index: int
    prepared: Prepared
    detection: Detection
    notes: list[str]
    hops: list[Hop]
    seconds: dict[str, float]


class Prepared:
    """Validated input: the caller's text, the cleaned text we work on, and notes about it."""

    __slots__ = ("original", "text", "warnings")

    def __init__(self, original: str, text: str, warnings: tuple[str, ...]) -> None:
        self.original = original
        self.text = text
        self.warnings = warnings
