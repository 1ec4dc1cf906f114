"""The page's translation while it grows: one output per paragraph of ``Pipeline.stream``.

The translation box and the sentence-by-sentence view show every paragraph done so far, and
the progress line says how far the run is ("Translating: paragraph 3 of 12").
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

from ...degrade import Degraded
from ...results import Detection, Paragraph, Translation
from .aligned import aligned_html
from .run_view import RunView

__all__ = ["growing"]


def growing(
    stages: Iterator[Any],
    detected: str,
    detection: Detection,
    target: str,
    route: tuple[str, ...],
) -> Generator[tuple[RunView, str], None, Translation | Degraded]:
    """The translation as it grows, one output per paragraph; returns the whole one (or
    the ``Degraded`` run when its model is missing)."""
    done: list[Paragraph] = []
    for stage in stages:
        if isinstance(stage, Translation | Degraded):
            return stage
        if not isinstance(stage, Paragraph):  # pragma: no cover - the pipeline's order
            raise TypeError(f"expected a Paragraph, got {type(stage).__name__}")
        done.append(stage)
        partial = Translation(
            text="\n\n".join(p.text for p in done),
            source=detection.language,
            target=target,
            route=route,
            segments=tuple(s for p in done for s in p.segments),
            flags=tuple(f for p in done for f in p.flags),
        )
        view = RunView(detected=detected, translation=partial.text, aligned=aligned_html(partial))
        yield view, f"Translating: paragraph {stage.index + 1} of {stage.total}"
    raise TypeError("the stream ended without its Translation")  # pragma: no cover
