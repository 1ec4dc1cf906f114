"""One window of batch records through ``Pipeline.run`` (a list): the work both local mode and the
Ray workers do, kept apart from the driver (``runner``) so that neither imports the other.

A record that is bad (empty text, unreadable line, unsupported language, even one that trips a
bug) becomes an output record with an ``error``. A record whose model cannot be loaded is marked
``deferred``: the driver holds it back so that a rerun completes it. A broken setup
(``ConfigError``, an interrupt) stops the batch.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any

from ..errors import ConfigError, InputError, ModelUnavailableError
from ..operator_words import operator_message
from ..pipeline import Pipeline
from ..request import Request
from ..results import Result
from .records import Record

__all__ = ["BatchOptions", "Output", "output_record", "process_window", "windows"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchOptions:
    """What to do with every record of a batch.

    Attributes:
        request: what to ask for every record (as for :meth:`mtsum.Pipeline.run`).
        text_field: the input field with the text.
        id_field: the input field with the record's id (the position when missing).
        window: documents processed together, and records per output chunk.
    """

    request: Request = field(default_factory=Request)
    text_field: str = "text"
    id_field: str = "id"
    window: int = 32

    def __post_init__(self) -> None:
        if isinstance(self.window, bool) or not isinstance(self.window, int) or self.window < 1:
            raise InputError(f"window must be a whole number of at least 1, got {self.window!r}")

    def check(self, pipeline: Pipeline) -> BatchOptions:
        """These options with the request normalised: ``InputError`` now, before any record."""
        return replace(self, request=pipeline.normalize(self.request))


def output_record(record: Record, outcome: Result | BaseException) -> dict[str, Any]:
    """The input's fields plus ``result`` (the contract's JSON) or ``error`` (type, message)."""
    data = dict(record.fields)
    if isinstance(outcome, Result):
        data["result"] = outcome.to_dict()
    else:
        # A batch is a CLI command: its records say what to run (``mtsum models pull``).
        data["error"] = {"type": type(outcome).__name__, "message": operator_message(outcome)}
    return data


def _fatal(exc: BaseException) -> bool:
    """A problem of the whole setup, not of one record: it stops the batch."""
    return isinstance(exc, ConfigError) or not isinstance(exc, Exception)


@dataclass(frozen=True)
class Output:
    """One output record, and whether the driver holds it back for a rerun.

    Attributes:
        record: the input's fields plus ``result`` or ``error``.
        deferred: its model is unavailable (not a bad record): a rerun should complete it.
    """

    record: dict[str, Any]
    deferred: bool = False


def process_window(
    pipeline: Pipeline, records: list[Record], options: BatchOptions
) -> list[Output]:
    """Outputs for one window of input records, in the same order."""
    runnable = [r for r in records if r.problem is None]
    texts = [r.text for r in runnable]
    try:
        results: list[Result | BaseException] = list(pipeline.run(texts, request=options.request))
    except Exception as exc:
        if _fatal(exc):
            raise
        # A bug tripped by one document spoils its whole shared batch: find the one at fault.
        log.error("a shared batch failed (%s); running its documents one by one", exc)
        results = [_run_alone(pipeline, text, options) for text in texts]
    outcomes = iter(results)
    outputs = []
    for record in records:
        outcome = InputError(record.problem) if record.problem is not None else next(outcomes)
        deferred = isinstance(outcome, ModelUnavailableError)
        outputs.append(Output(output_record(record, outcome), deferred))
    return outputs


def _run_alone(pipeline: Pipeline, text: Any, options: BatchOptions) -> Result | BaseException:
    try:
        result: Result = pipeline.run(text, request=options.request)  # text: not always a str
        return result
    except Exception as exc:
        if _fatal(exc):
            raise
        log.debug("record failed", exc_info=True)
        return exc


def windows(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """Consecutive lists of ``size`` records (the last may be shorter)."""
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk
