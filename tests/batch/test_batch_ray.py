"""``--ray``: the same records as local mode, computed by two Ray workers on a local Ray."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mtsum import Pipeline, Request, Settings
from mtsum.batch_mode import BatchOptions, run_batch
from mtsum.cli import main
from tests.support.batchkit import (
    batch_settings,
    by_id,
    read_jsonl,
    records,
    without_timings,
    write_jsonl,
)


@pytest.fixture(scope="module")
def local_ray() -> Iterator[Any]:
    """A local Ray with two CPUs, no dashboard; shut down after the module."""
    try:
        import ray
        import ray.data
    except ImportError:
        pytest.skip("Ray is not installed; install the extra with: pip install -e '.[ray]'")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING")
    yield ray
    ray.shutdown()


def test_ray_with_two_workers_gives_the_same_records_as_local_mode(
    local_ray: Any, settings: Settings, tmp_path: Path
) -> None:
    pipeline = Pipeline(batch_settings(settings))
    source = write_jsonl(tmp_path / "in.jsonl", records())
    options = BatchOptions(Request(target="de", method="extractive"), window=3)
    run_batch(source, tmp_path / "local.jsonl", options, pipeline=pipeline)
    summary = run_batch(
        source, tmp_path / "ray.jsonl", options, pipeline=pipeline, ray=True, workers=2
    )
    assert summary.done == len(records())
    assert local_ray.is_initialized()  # a Ray that was already running is left running
    local = by_id([without_timings(r) for r in read_jsonl(tmp_path / "local.jsonl")])
    remote = by_id([without_timings(r) for r in read_jsonl(tmp_path / "ray.jsonl")])
    assert remote == local
    assert sum("error" in r for r in remote.values()) == 2


def test_workers_without_ray_is_a_usage_error(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", records(["en"]))
    code = main(["batch", str(source), str(tmp_path / "o.jsonl"), "--workers", "2"], io.StringIO())
    assert code == 2


def test_missing_ray_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now fails
    source = write_jsonl(tmp_path / "in.jsonl", records(["en"]))
    code = main(["batch", str(source), str(tmp_path / "o.jsonl"), "--ray"], io.StringIO())
    assert code == 2
    assert "pip install 'mtsum[ray]'" in capsys.readouterr().err
