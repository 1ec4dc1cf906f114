"""One progress callback for every long step: generating, downloading and converting models.

Every face gets the same ``(label, done, total)`` calls: the CLI draws tqdm bars, the web page
feeds ``gr.Progress``, the model store writes log lines. Counts are pieces or chunks, except
under a label that starts with :data:`DOWNLOADING`, whose counts are bytes; :func:`shown` turns
them into what a person reads (megabytes). The hub client reports bytes through a tqdm class;
:class:`HubBytes` is a stand-in for one that forwards its counts instead of drawing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["DOWNLOADING", "HubBytes", "ProgressFn", "ProgressLog", "counts_bytes", "shown"]

ProgressFn = Callable[[str, int, int], None]
"""``(label, done, total)``: what is being done and how far along it is."""

DOWNLOADING = "downloading "
_MB = 2**20
# The log gets a line each time a download passes another tenth of its size: about ten lines
# for a model, however large, instead of one per 10 MB chunk.
_LOG_STEPS = 10


def counts_bytes(label: str) -> bool:
    """Whether the counts reported under ``label`` are bytes (a download)."""
    return label.startswith(DOWNLOADING)


def shown(label: str, done: int, total: int) -> tuple[float, float, str]:
    """``(done, total, unit)`` as a person reads them: megabytes for a download, else pieces."""
    if counts_bytes(label):
        return round(done / _MB, 1), round(total / _MB, 1), "MB"
    return float(done), float(total), "pieces"


class ProgressLog:
    """A progress callback that writes downloads and conversions to the log, a line per tenth."""

    def __init__(self, log: logging.Logger) -> None:
        self._log = log
        self._lock = threading.Lock()
        self._step: dict[str, int] = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        step = _LOG_STEPS * done // total if total > 0 else 0
        with self._lock:
            if self._step.get(label, -1) >= step:
                return
            self._step[label] = step
        if counts_bytes(label):
            done_mb, total_mb, _ = shown(label, done, total)
            self._log.info("%s: %.1f of %.1f MB", label, done_mb, total_mb)
        elif done >= total:
            self._log.info("%s: done", label)
        elif done == 0:
            self._log.info("%s ...", label)


class HubBytes:
    """Collects the byte counts of one ``snapshot_download`` and reports ``(done, total)``.

    ``huggingface_hub`` takes a ``tqdm_class`` and creates several bars from it: one counting
    files and byte bars whose totals grow as each file's size becomes known (bytes received
    and bytes written: equal for plain HTTP). The counts reported are those of the byte bar
    furthest along. Hand-written because the hub client offers no callback of its own, only
    this tqdm hook; the stand-in draws nothing.

    Args:
        report: called with ``(bytes done, bytes in all)`` after every update.
    """

    def __init__(self, report: Callable[[int, int], None]) -> None:
        self._report = report
        self._lock = threading.Lock()
        self._bars: list[_Bar] = []

    @property
    def tqdm_class(self) -> Any:
        """A class to pass as ``tqdm_class``; its instances feed this collector."""
        owner = self

        class Bound(_Bar):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(owner, **kwargs)

        return Bound

    def _add(self, bar: _Bar) -> None:
        with self._lock:
            self._bars.append(bar)

    def _changed(self) -> None:
        with self._lock:
            counted = [bar for bar in self._bars if bar.unit == "B"]
            if not counted:
                return
            done = max(int(bar.n) for bar in counted)
            total = max(int(bar.total or 0) for bar in counted)
        self._report(done, max(total, done))


class _Bar:
    """The part of tqdm's interface that ``huggingface_hub`` uses, counting instead of drawing."""

    def __init__(self, owner: HubBytes, **kwargs: Any) -> None:
        self._owner = owner
        self.unit = str(kwargs.get("unit", "it"))
        self.total: float | None = kwargs.get("total")
        self.n: float = kwargs.get("initial") or 0
        self.desc = str(kwargs.get("desc") or "")
        self.format_dict: dict[str, Any] = {"rate": None}
        owner._add(self)

    def update(self, n: float | None = 1) -> None:
        self.n += n or 0
        self._owner._changed()

    def refresh(self, *args: Any, **kwargs: Any) -> None:
        self._owner._changed()

    def set_description(self, desc: str | None = None, refresh: bool = True) -> None:
        self.desc = desc or ""

    set_description_str = set_description

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        return None

    def close(self) -> None:
        return None

    def __enter__(self) -> _Bar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None
