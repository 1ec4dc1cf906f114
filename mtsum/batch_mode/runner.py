"""The batch driver: windows of records (``windows.py``) through the pipeline, resumable.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..pipeline import Pipeline
from .records import Record, open_input, records_from_objects
from .sinks import open_output
from .windows import BatchOptions, Output, output_record, process_window, windows

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


def run_local(
    pipeline: Pipeline, records: Iterable[Record], options: BatchOptions
) -> Iterator[list[Output]]:
    """Output chunks, one per window, computed in this process."""
    for window in windows(records, options.window):
        yield process_window(pipeline, window, options)


def _chunks(
    records: Iterable[Record],
    options: BatchOptions,
    pipeline: Pipeline,
    ray: str | bool | None,
    workers: int,
) -> Iterator[list[Output]]:
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
    pipeline: Pipeline,
    ray: str | bool | None = None,
    workers: int = 2,
) -> Iterator[dict[str, Any]]:
    """Output records for Python records (mappings of fields, or plain texts), as they finish.

    The options are checked at once (``InputError``); the records are read as they are needed.
    Local mode yields in input order; with ``ray`` the order of windows may vary.
    """
    options = options.check(pipeline)
    source = records_from_objects(records, options.text_field, options.id_field)
    chunks = _chunks(source, options, pipeline, ray, workers)
    return (output.record for chunk in chunks for output in chunk)


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
            held = [output.record for output in produced if output.deferred]
            if held:
                summary.deferred += len(held)
                summary.deferred_reason = summary.deferred_reason or held[0]["error"]["message"]
            chunk = [output.record for output in produced if not output.deferred]
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
