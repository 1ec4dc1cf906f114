"""The outputs of ``/run``, by name: one dataclass says their order once.

Gradio hands an event's outputs over as a tuple in the order of its output components, and the
contract fixes ``/run``'s last element as the Result JSON. ``RunView`` names each value; the
page builds its components into an ``OutputPanel`` with the same names (``outputs.py``), and
both sides take their order from ``RunView``'s fields, so no code counts positions (the
browser's "clear everything" values and the Stop button's "leave everything" ones included).
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["CLEARED_JS", "NAMES", "OutputPanel", "RunView", "as_outputs"]


@dataclass(frozen=True, kw_only=True)
class RunView:
    """What one step of a run shows; a field left out is empty.

    Attributes:
        detected: the detected language (Markdown).
        route: the translation's route, or why there is none.
        translation: the translated text (so far, while it grows).
        summary: the summary.
        timings: the time each stage took (Markdown).
        warnings: the result's warnings (Markdown).
        notice: a panel above the results: an error, or a missing model (HTML).
        document: the translated document (a file path), after a run on an upload.
        document_note: what that document is (Markdown).
        aligned: the sentence-by-sentence view (HTML).
        result: the Result JSON of the contract; last, as ``/run`` promises.
    """

    detected: str = ""
    route: str = ""
    translation: str = ""
    summary: str = ""
    timings: str = ""
    warnings: str = ""
    notice: str = ""
    document: str | None = None
    document_note: str = ""
    aligned: str = ""
    result: dict[str, Any] | None = None

    def values(self) -> tuple[Any, ...]:
        """The values in the order of the output components."""
        return tuple(getattr(self, name) for name in NAMES)


NAMES = tuple(spec.name for spec in dataclasses.fields(RunView))
"""The outputs' names in their order (``result`` last)."""

CLEARED_JS = json.dumps(list(RunView().values()))
"""The empty outputs as a JavaScript array, for the browser to clear the results at once."""


@dataclass(frozen=True, kw_only=True)
class OutputPanel:
    """The page's output components, one per field of ``RunView``, by the same names."""

    detected: Any
    route: Any
    translation: Any
    summary: Any
    timings: Any
    warnings: Any
    notice: Any
    document: Any
    document_note: Any
    aligned: Any
    result: Any

    def in_order(self) -> list[Any]:
        """The components in the order of ``RunView``'s fields."""
        return [getattr(self, name) for name in NAMES]


if tuple(spec.name for spec in dataclasses.fields(OutputPanel)) != NAMES:  # pragma: no cover
    raise RuntimeError("OutputPanel's fields must be RunView's, in the same order")


def as_outputs(run: Callable[..., Iterator[RunView]]) -> Callable[..., Iterator[tuple[Any, ...]]]:
    """``run`` for Gradio: each ``RunView`` as the tuple of its values. The signature (which
    Gradio reads for the API's parameters and progress) is ``run``'s own."""

    @functools.wraps(run)
    def outputs(*args: Any, **kwargs: Any) -> Iterator[tuple[Any, ...]]:
        for view in run(*args, **kwargs):
            yield view.values()

    return outputs
