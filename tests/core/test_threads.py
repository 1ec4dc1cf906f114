"""The thread plan: the whole machine for one request, no oversubscription for several."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtsum.engines.threads import MAX_INTER_THREADS, ThreadPlan, plan_threads
from mtsum.registry import Registry


def test_two_cores_run_two_single_threaded_batches() -> None:
    # The measured case: inter 2 / intra 1 beat inter 1 / intra 2 by 1.43x on two cores.
    assert plan_threads(cores=2, concurrency=2) == ThreadPlan(inter=2, intra=1, torch=2)
    assert plan_threads(cores=2, concurrency=1) == ThreadPlan(inter=2, intra=1, torch=2)


def test_one_core_is_one_thread() -> None:
    assert plan_threads(cores=1, concurrency=4) == ThreadPlan(inter=1, intra=1, torch=1)


@pytest.mark.parametrize("cores", [1, 2, 3, 4, 8, 16, 64])
@pytest.mark.parametrize("concurrency", [1, 2, 3, 8])
def test_the_plan_never_oversubscribes_and_uses_the_cores(cores: int, concurrency: int) -> None:
    plan = plan_threads(cores, concurrency)
    assert plan.inter * plan.intra <= cores
    assert plan.inter * plan.intra > cores // 2  # one request keeps most of the machine busy
    assert 1 <= plan.inter <= min(MAX_INTER_THREADS, cores)
    assert plan.inter >= min(concurrency, cores, MAX_INTER_THREADS)


def test_the_operators_thread_budget_wins_over_the_cores() -> None:
    assert plan_threads(cores=16, concurrency=2, threads=1) == ThreadPlan(1, 1, 1)
    assert plan_threads(cores=16, concurrency=2, threads=4) == ThreadPlan(2, 2, 4)


def test_a_summariser_gets_one_worker_with_every_thread() -> None:
    # One article chunk per call: sub-batches cannot share it out, so threads go inside it.
    assert plan_threads(cores=2, concurrency=2, split=False) == ThreadPlan(1, 2, 2)
    assert plan_threads(cores=16, concurrency=2, threads=4, split=False) == ThreadPlan(1, 4, 4)


def test_registry_summarisers_are_known_by_their_entry(registry_path: Path) -> None:
    registry = Registry.load(registry_path)
    assert all(entry.summarizes for entry in registry.summarization.values())
    assert not any(entry.summarizes for entry in registry.translation.values())
