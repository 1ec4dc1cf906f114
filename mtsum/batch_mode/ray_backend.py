"""Batch mode on Ray: the same windows of documents, as Ray Data ``map_batches`` over a pool.

Each Ray worker is an actor holding one :class:`~mtsum.Pipeline`, so its models load once per
worker, not once per batch. Workers run exactly the local code (``process_window``) on windows
of records, so results equal local mode's. The driver keeps the parts that must stay in one
place: reading the input, skipping what the output already has, and writing atomic chunks.

Data flow: the driver streams the input and puts each window into Ray's object store (which
spills to disk when full), holding only references itself; Ray Data feeds the windows to the
actor pool and the driver writes results as they come back, in whatever order they finish.
Records travel pickled inside Arrow binary columns, so every field keeps its Python type (a
Parquet timestamp, a JSON list) instead of going through Arrow's type inference; pickle here only
carries this program's own objects between its own processes.

On a real cluster every node needs mtsum installed (``pip install 'mtsum[ray]'``) and the models
at the paths the settings name (a shared ``MTSUM_MODEL_DIR``, or ``mtsum models pull`` on each).
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import InputError, MtsumError
from ..settings import Settings
from .records import Record
from .windows import BatchOptions, Output, process_window, windows

__all__ = ["run_ray"]

log = logging.getLogger(__name__)


def _import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise InputError("--ray needs Ray; install it with: pip install 'mtsum[ray]'") from None
    return ray


class PipelineWorker:
    """A Ray Data actor: one pipeline, loaded once, applied to window after window."""

    def __init__(self, settings: Settings, options: BatchOptions) -> None:
        from ..pipeline import Pipeline

        self.pipeline = Pipeline(settings)
        self.options = options

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        records: list[Record] = [pickle.loads(b) for b in batch.column("record").to_pylist()]
        outputs = process_window(self.pipeline, records, self.options)
        return pa.table({"output": pa.array([pickle.dumps(o) for o in outputs], pa.binary())})


def run_ray(
    records: Iterable[Record],
    options: BatchOptions,
    settings: Settings,
    *,
    address: str | None,
    workers: int,
) -> Iterator[list[Output]]:
    """Output chunks computed by ``workers`` Ray actors.

    Args:
        records: the records to process (already filtered for resuming).
        options: what to do with them.
        settings: the pipeline settings each worker builds its pipeline from.
        address: a Ray cluster address (``auto``, ``ray://host:10001``, ...); ``None`` uses
            ``RAY_ADDRESS`` if set, else starts a local Ray for this run.
        workers: how many pipelines (actors, one CPU each) work at once.

    Raises:
        InputError: Ray is not installed, or ``workers`` is below 1.
    """
    if workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    ray = _import_ray()
    import pyarrow as pa

    started = _start_ray(ray, address, workers)
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        refs = []
        for window in windows(records, options.window):
            column = pa.array([pickle.dumps(r) for r in window], pa.binary())
            refs.append(ray.put(pa.table({"record": column})))
        if not refs:
            return
        dataset = ray.data.from_arrow_refs(refs).map_batches(
            PipelineWorker,
            fn_constructor_kwargs={"settings": settings, "options": options},
            batch_size=options.window,
            batch_format="pyarrow",
            # Never more pipelines than windows: each one loads every model it needs.
            compute=ray.data.ActorPoolStrategy(min_size=1, max_size=min(workers, len(refs))),
            num_cpus=1,
        )
        try:
            for batch in dataset.iter_batches(batch_size=None, batch_format="pyarrow"):
                yield [pickle.loads(b) for b in batch.column("output").to_pylist()]
        except Exception as exc:
            cause = _mtsum_cause(exc)
            if cause is not None:
                raise cause from exc
            raise
    finally:
        if started:
            ray.shutdown()


def _start_ray(ray: Any, address: str | None, workers: int) -> bool:
    """Connect to (or start) Ray unless this process already did; True when this call did."""
    if ray.is_initialized():
        return False
    arguments: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.WARNING}
    if address is None and not os.environ.get("RAY_ADDRESS"):
        # A local Ray: enough CPU slots for every worker even on a small machine.
        arguments["num_cpus"] = max(workers, os.cpu_count() or 1)
    ray.init(address=address, **arguments)
    return True


def _mtsum_cause(exc: BaseException) -> MtsumError | None:
    """The mtsum error a worker raised, out of Ray's wrapping (a missing model, say)."""
    found: MtsumError | None = None
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, MtsumError):
            found = current  # the deepest one is the worker's own, unwrapped
        nested = getattr(current, "cause", None)
        current = nested if isinstance(nested, BaseException) else current.__cause__
    return found
