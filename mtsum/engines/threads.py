"""How many threads each engine gets, chosen from the cores and the configured concurrency.

CTranslate2 has two knobs: ``inter_threads`` (batches worked on in parallel, each by its own
worker) and ``intra_threads`` (threads inside one batch). On small CPUs parallel batches win:
on the 2-core machine of ``bench/RESULTS.md``, ``inter_threads=2, intra_threads=1`` with two
sub-batches in flight translated 27 sentences in 7.45 s against 10.67 s for ``inter_threads=1,
intra_threads=2`` (1.43x). So one request splits each batch into ``inter`` sub-batches (the
whole machine works on it) and two concurrent requests each get workers instead of fighting
over one batch's threads. PyTorch has no such split: its intra-op threads are process-wide,
so the transformers engine runs one generate call at a time on a CPU (``engines/hf.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MAX_INTER_THREADS", "ThreadPlan", "plan_threads"]

# More parallel batches than this only cuts batches thinner (fewer rows per matrix product);
# measured only up to 2 (the 1.43x above), so the cap is a guess for bigger machines.
MAX_INTER_THREADS = 4


@dataclass(frozen=True)
class ThreadPlan:
    """Threads for the engines.

    Attributes:
        inter: CTranslate2 batches in parallel (a batch is split into this many sub-batches).
        intra: CTranslate2 threads per batch.
        torch: PyTorch intra-op threads (the transformers engine).
    """

    inter: int
    intra: int
    torch: int


def plan_threads(
    cores: int, concurrency: int, threads: int | None = None, *, split: bool = True
) -> ThreadPlan:
    """The thread plan for a CPU with ``cores`` usable cores.

    Args:
        cores: cores this process may run on.
        concurrency: calls that may run the engine at once (``MTSUM_ENGINE_WORKERS``).
        threads: the operator's total thread budget (``MTSUM_THREADS``), or None for all cores.
        split: False for a model whose calls hold one long input (a summariser reads one
            article chunk per call), which no split into sub-batches can share out: it gets
            one worker with every thread (on the 2-core machine of ``bench/RESULTS.md`` the
            summary ran on one core of two otherwise). Concurrent calls then queue for that
            worker instead of fighting over its threads.

    Returns:
        ``inter * intra`` never exceeds the budget; ``inter`` covers the concurrent requests
        where the budget allows (at least two workers when two cores are there, so that one
        request uses both), capped at :data:`MAX_INTER_THREADS`.
    """
    budget = max(1, threads if threads else cores)
    if not split:
        return ThreadPlan(inter=1, intra=budget, torch=budget)
    inter = max(1, min(budget, max(2, concurrency), MAX_INTER_THREADS))
    return ThreadPlan(inter=inter, intra=max(1, budget // inter), torch=budget)
