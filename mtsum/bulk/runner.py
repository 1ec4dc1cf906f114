"""The batch driver: records in windows through ``Pipeline.run_many``, chunks out, resumable.

Memory stays bounded however large the input: records are streamed, and only one window of
documents (``BatchOptions.window``, 32 by default) is in memory at a time. Inside a window the
sentences of all documents that share a translation route go through the engine in shared
batches; results are equal to running each document alone (see ``engines/grouping.py``).

Failure policy: a record that is bad (empty text, unreadable line, unsupported language, even
one that trips a bug) becomes an output record with an ``error`` and the batch goes on. A
record whose translation model cannot be loaded is not bad: the batch goes on with the others,
but such records are held back from the output (a file run counts them as "left for later"),
so that rerunning the same command after ``mtsum models pull`` completes them. A broken
registry stops the batch. What was done is kept, and the same command resumes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError, ModelUnavailableError
from ..pipeline import Pipeline
from ..request import Request
from ..results import Result
from .records import Record, open_input, records_from_objects
from .sinks import open_output

__all__ = [
    "BatchOptions",
    "BatchProgressFn",
    "BatchSummary",
    "iter_batch",
    "output_record",
    "process_window",
    "run_batch",
]

log = logging.getLogger(__name__)

BatchProgressFn = Callable[[int, int, "int | None"], None]
"""Batch progress: ``(records written so far, of which failed, records expected or None)``."""


@dataclass(frozen=True)
class BatchOptions:
    """What to do with every record of a batch.

    Attributes:
        request: what to ask for every record (as for :meth:`mtsum.Pipeline.execute`).
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


@dataclass
class BatchSummary:
    """What a batch run did."""

    done: int = 0
    failed: int = 0
    deferred: int = 0
    deferred_reason: str = ""
    skipped: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    duplicate_ids: list[str] = field(default_factory=list, repr=False)

    @property
    def per_second(self) -> float:
        """Records processed per second in this run."""
        return self.done / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        """The one-line summary the command prints at the end."""
        text = (
            f"{self.done} record(s) done ({self.failed} failed), {self.skipped} skipped "
            f"(already in the output)"
        )
        if self.deferred:
            text += f", {self.deferred} left for later (model unavailable)"
        if self.duplicates:
            shown = ", ".join(self.duplicate_ids[:5])
            more = ", ..." if self.duplicates > 5 else ""
            text += f", {self.duplicates} duplicate id(s) skipped ({shown}{more})"
        return f"{text}; {self.seconds:.1f} s, {self.per_second:.2f} records/s"


def output_record(record: Record, outcome: Result | BaseException) -> dict[str, Any]:
    """The input's fields plus ``result`` (the contract's JSON) or ``error`` (type, message)."""
    data = dict(record.fields)
    if isinstance(outcome, Result):
        data["result"] = outcome.to_dict()
    else:
        data["error"] = {"type": type(outcome).__name__, "message": str(outcome)}
    return data


def _fatal(exc: BaseException) -> bool:
    """A problem of the whole setup, not of one record: it stops the batch."""
    return isinstance(exc, ConfigError) or not isinstance(exc, Exception)


def _deferred(record: Mapping[str, Any]) -> bool:
    """An output record held back because its model is unavailable (redone by a rerun)."""
    error = record.get("error")
    return isinstance(error, dict) and error.get("type") == ModelUnavailableError.__name__


def process_window(
    pipeline: Pipeline, records: list[Record], options: BatchOptions
) -> list[dict[str, Any]]:
    """Output records for one window of input records, in the same order."""
    runnable = [r for r in records if r.problem is None]
    texts = [r.text for r in runnable]
    try:
        results: list[Result | BaseException] = list(pipeline.execute_many(texts, options.request))
    except Exception as exc:
        if _fatal(exc):
            raise
        # A bug tripped by one document spoils its whole shared batch: find the one at fault.
        log.error("a shared batch failed (%s); running its documents one by one", exc)
        results = [_run_alone(pipeline, text, options) for text in texts]
    outcomes = iter(results)
    return [
        output_record(r, InputError(r.problem) if r.problem is not None else next(outcomes))
        for r in records
    ]


def _run_alone(pipeline: Pipeline, text: Any, options: BatchOptions) -> Result | BaseException:
    try:
        return pipeline.execute(text, options.request)
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


def run_local(
    pipeline: Pipeline, records: Iterable[Record], options: BatchOptions
) -> Iterator[list[dict[str, Any]]]:
    """Output chunks, one per window, computed in this process."""
    for window in windows(records, options.window):
        yield process_window(pipeline, window, options)


def _chunks(
    records: Iterable[Record],
    options: BatchOptions,
    pipeline: Pipeline,
    ray: str | bool | None,
    workers: int,
) -> Iterator[list[dict[str, Any]]]:
    """Output chunks computed here, or by a pool of Ray workers when ``ray`` is set."""
    if ray is None or ray is False:
        return run_local(pipeline, records, options)
    from .ray_backend import run_ray

    address = None if ray is True else str(ray)
    return run_ray(records, options, pipeline.settings, address=address, workers=workers)


def iter_batch(
    records: Iterable[Mapping[str, Any] | str],
    options: BatchOptions,
    *,
    pipeline: Pipeline | None = None,
    ray: str | bool | None = None,
    workers: int = 2,
) -> Iterator[dict[str, Any]]:
    """Output records for Python records (mappings of fields, or plain texts), as they finish.

    The options are checked at once (``InputError``); the records are read as they are needed.
    Local mode yields in input order; with ``ray`` the order of windows may vary.
    """
    if pipeline is None:
        from .. import default_pipeline

        pipeline = default_pipeline()
    options = options.check(pipeline)
    source = records_from_objects(records, options.text_field, options.id_field)
    chunks = _chunks(source, options, pipeline, ray, workers)
    return (record for chunk in chunks for record in chunk)


def run_batch(
    input_path: str | Path,
    output_path: str | Path,
    options: BatchOptions,
    *,
    pipeline: Pipeline,
    ray: str | bool | None = None,
    workers: int = 2,
    progress: BatchProgressFn | None = None,
    summary: BatchSummary | None = None,
) -> BatchSummary:
    """Process a whole input file or folder into OUTPUT, skipping records it already has.

    Args:
        summary: filled in as the batch goes, so a caller still has the counts when the run
            stops early (a new one is made when omitted).

    Raises:
        InputError: bad options, an unreadable input, or an output that is not batch output.
        KeyboardInterrupt: interrupted; chunks written so far are kept.
    """
    if Path(input_path).resolve() == Path(output_path).resolve():
        raise InputError("INPUT and OUTPUT are the same path; give a new OUTPUT")
    options = options.check(pipeline)
    source = open_input(input_path, options.text_field, options.id_field)
    sink = open_output(output_path, options.id_field)
    done = sink.done_keys()
    summary = summary if summary is not None else BatchSummary()
    expected = max(0, source.count() - len(done)) if progress is not None else None
    start = time.perf_counter()
    if progress is not None:
        progress(0, 0, expected)
    try:
        pending = _pending(source, done, summary)
        for produced in _chunks(pending, options, pipeline, ray, workers):
            held = [record for record in produced if _deferred(record)]
            if held:
                summary.deferred += len(held)
                summary.deferred_reason = summary.deferred_reason or held[0]["error"]["message"]
            chunk = [record for record in produced if not _deferred(record)]
            if chunk:
                sink.write(chunk)
            summary.done += len(chunk)
            summary.failed += sum("error" in record for record in chunk)
            if progress is not None:
                progress(summary.done, summary.failed, expected)
        sink.finish()
    finally:
        sink.close()
        summary.seconds = time.perf_counter() - start
    return summary


def _pending(records: Iterable[Record], done: set[str], summary: BatchSummary) -> Iterator[Record]:
    """The records still to do: those in the output already, or seen before, are skipped."""
    seen: set[str] = set()
    for record in records:
        if record.key in done:
            summary.skipped += 1
            continue
        if record.key in seen:
            summary.duplicates += 1
            if len(summary.duplicate_ids) < 5:
                summary.duplicate_ids.append(record.key)
            log.warning("skipping a second record with id %r (ids must be unique)", record.key)
            continue
        seen.add(record.key)
        yield record
