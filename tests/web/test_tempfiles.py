"""The web faces' one store of temporary files: private, bounded, expiring, one store per face."""

from __future__ import annotations

import stat
import time

import pytest

from mtsum.web import tempfiles
from mtsum.web.tempfiles import TempFiles


def test_the_store_is_private_and_bounded() -> None:
    store = TempFiles(keep_seconds=600, max_bytes=10, max_files=5)
    assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700
    first = store.put(b"12345678", "a.txt", "text/plain")
    second = store.put(b"1234", "b.txt", "text/plain")
    assert store.get(first.id) is None  # the oldest went to make room
    kept = store.get(second.id)
    assert kept is not None and kept.path.read_bytes() == b"1234"
    assert stat.S_IMODE(kept.path.stat().st_mode) == 0o600
    assert len(second.id) >= 32
    store.close()
    assert not store.folder.exists()


def test_files_expire_after_the_keeping_time(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    store = TempFiles(keep_seconds=tempfiles.KEEP_SECONDS)
    stored = store.put(b"x", "a.txt", "text/plain")
    now[0] += tempfiles.KEEP_SECONDS - 1
    assert store.get(stored.id) == stored
    now[0] += 1
    assert store.get(stored.id) is None
    assert list(store.folder.iterdir()) == []
    store.close()


def test_a_file_is_kept_under_its_base_name_inside_the_store() -> None:
    store = TempFiles()
    for name, expected in (
        ("../../etc/passwd", "passwd"),
        ("C:\\x\\r.docx", "r.docx"),
        ("..", "document"),
    ):
        stored = store.put(b"x", name)
        assert stored.path.name == expected == stored.name
        assert stored.path.parent.parent == store.folder
    store.close()


def test_stores_are_isolated_and_discard_removes_only_their_own() -> None:
    page, rest = TempFiles(prefix="mtsum-page-files-"), TempFiles()
    assert page.folder != rest.folder
    mine = page.put(b"page", "a.txt")
    theirs = rest.put(b"rest", "a.txt")
    assert rest.get(mine.id) is None and page.get(theirs.id) is None
    rest.discard(mine.id)  # an id of another store: nothing happens
    assert page.get(mine.id) == mine and mine.path.read_bytes() == b"page"
    page.discard(mine.id)
    assert page.get(mine.id) is None and not mine.path.parent.exists()
    assert rest.get(theirs.id) == theirs
    page.close()
    rest.close()
