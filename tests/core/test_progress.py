"""One progress callback: byte counts from the hub client, shown as MB by every face."""

from __future__ import annotations

import argparse
import logging
from typing import Any

import pytest

from mtsum.progress import HubBytes, ProgressLog, counts_bytes, shown

MB = 2**20


def test_downloads_count_bytes_and_show_megabytes() -> None:
    assert counts_bytes("downloading fr-en (Org/fr-en)")
    assert not counts_bytes("translating fr-en")
    assert shown("downloading fr-en (Org/fr-en)", 3 * MB, 12 * MB) == (3.0, 12.0, "MB")
    assert shown("translating fr-en", 3, 12) == (3.0, 12.0, "pieces")


def test_hub_bytes_follows_the_bars_the_hub_client_makes() -> None:
    seen: list[tuple[int, int]] = []
    counter = HubBytes(lambda done, total: seen.append((done, total)))
    bar_class: Any = counter.tqdm_class
    files = bar_class(total=2, desc="Fetching 2 files")  # counts files, not bytes
    written = bar_class(total=0, unit="B", unit_scale=True, desc="Reconstructing")
    written.total = 300  # as each file's size becomes known
    written.refresh()
    written.update(100)
    files.update(1)
    written.update(200)
    assert seen[-1] == (300, 300)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_the_log_gets_a_line_per_tenth_of_a_download(caplog: pytest.LogCaptureFixture) -> None:
    log = ProgressLog(logging.getLogger("mtsum.test"))
    with caplog.at_level("INFO", logger="mtsum.test"):
        for done in range(0, 100 * MB + 1, MB):
            log("downloading fr-en (Org/fr-en)", done, 100 * MB)
    assert 10 <= len(caplog.records) <= 11
    assert "100.0 of 100.0 MB" in caplog.records[-1].getMessage()


def test_the_cli_bar_shows_bytes_for_a_download() -> None:
    from mtsum.cli_output import ProgressBars

    with ProgressBars(argparse.Namespace(progress=True)) as progress:
        assert progress is not None
        progress("downloading fr-en (Org/fr-en)", MB, 4 * MB)
        bars: Any = progress.__self__  # type: ignore[attr-defined]
        assert bars.bar.unit == "B" and bars.bar.total == 4 * MB
