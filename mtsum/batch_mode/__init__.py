"""Batch mode: whole archives detected, translated and summarised, resumably, locally or on Ray.

::

    records.py   reading the input as a stream of records (JSONL, CSV, Parquet, folder of .txt)
    tables.py    CSV and Parquet rows
    sinks.py     writing output in atomic chunks, and finding what a previous run already did
    windows.py   one window of documents through ``Pipeline.run`` (a list) (local and Ray alike)
    runner.py    the resumable driver: windows in, chunks out, what is done skipped
    ray_backend.py  the same windows as Ray Data ``map_batches`` over a pool of pipelines
    command.py   the ``mtsum batch`` command (argument parsing and the progress bar)

The package is ``batch_mode``, not ``batch``: a subpackage ``mtsum.batch`` would replace the
public function ``mtsum.batch`` on the package as soon as it is imported.
Nothing here imports torch, pyarrow or ray at import time.
"""

from __future__ import annotations

from .records import Record
from .runner import BatchOptions, BatchSummary, iter_batch, run_batch

__all__ = ["BatchOptions", "BatchSummary", "Record", "iter_batch", "run_batch"]
