"""``mtsum batch`` killed mid-way and run again: no duplicates, no losses, same results."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mtsum.cli import main
from tests.support.batchkit import by_id, read_csv, read_jsonl, write_jsonl
from tests.support.texts import SAMPLES

# Twelve short documents: enough chunks (one record each) that a kill lands mid-way.
LANGUAGES = ["fr", "de", "en", "es", "it", "fr", "de", "en", "es", "it", "fr", "de"]


def _inputs(tmp_path: Path) -> tuple[Path, list[str]]:
    rows = [{"id": f"r{i:02d}", "text": SAMPLES[lang]} for i, lang in enumerate(LANGUAGES)]
    return write_jsonl(tmp_path / "in.jsonl", rows), [row["id"] for row in rows]


@pytest.fixture
def batch_env(
    monkeypatch: pytest.MonkeyPatch, registry_path: Path, tmp_path: Path
) -> dict[str, str]:
    values = {
        "MTSUM_REGISTRY": str(registry_path),
        "MTSUM_MODEL_DIR": str(tmp_path / "store"),
        "MTSUM_OFFLINE": "1",
        "MTSUM_THREADS": "1",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return {**os.environ, **values}


def _command(source: Path, output: Path) -> list[str]:
    return [str(source), str(output), "--method", "extractive", "--window", "1"]


def _start(env: dict[str, str], source: Path, output: Path) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "mtsum", "--no-progress", "batch", *_command(source, output)]
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_until(condition: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 240
    while not condition():
        assert process.poll() is None, process.communicate()[1].decode()
        assert time.monotonic() < deadline, "no chunk was written in time"
        time.sleep(0.02)


def _rerun(source: Path, output: Path) -> tuple[int, str]:
    out = io.StringIO()
    return main(["--no-progress", "batch", *_command(source, output)], out=out), out.getvalue()


def _jsonl_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_jsonl_batch_killed_after_a_chunk_resumes_without_duplicates_or_losses(
    batch_env: dict[str, str], tmp_path: Path
) -> None:
    source, ids = _inputs(tmp_path)
    output = tmp_path / "out.jsonl"
    process = _start(batch_env, source, output)
    _wait_until(lambda: _jsonl_lines(output) >= 1, process)
    process.kill()  # SIGKILL: no clean-up at all, like a crash
    process.wait()
    written = _jsonl_lines(output)
    assert 1 <= written < len(ids), "the kill should land mid-way"
    code, summary = _rerun(source, output)
    assert code == 0
    assert f"{written} skipped" in summary or f"{written - 1} skipped" in summary  # torn last line
    rows = by_id(read_jsonl(output))  # by_id fails on a duplicate
    assert sorted(rows) == ids
    assert all("result" in row for row in rows.values())


def test_csv_batch_interrupted_by_ctrl_c_keeps_its_parts_and_resumes(
    batch_env: dict[str, str], tmp_path: Path
) -> None:
    source, ids = _inputs(tmp_path)
    output = tmp_path / "out.csv"
    parts = tmp_path / "out.csv.parts"
    process = _start(batch_env, source, output)
    _wait_until(lambda: parts.is_dir() and any(parts.glob("part-*.csv")), process)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err.decode()
    assert "rerun the same command to resume" in err.decode()
    assert not output.exists() and any(parts.glob("part-*.csv"))
    code, _ = _rerun(source, output)
    assert code == 0
    rows: dict[str, Any] = by_id(read_csv(output))
    assert sorted(rows) == ids
    assert not parts.exists()
