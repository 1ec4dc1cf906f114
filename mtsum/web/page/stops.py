"""The page's Stop button: a visitor's running translation ends before the engine's next batch.

Gradio's own ``cancels`` cannot end a step of a synchronous generator early (the step runs in a
worker thread that the event waits for), and one step of a long text can be many engine
batches; its cancelled event also left the page's button ignoring the next click while the
step was still running. So the button sets a signal for the visitor's session instead, which
the run's progress callback (called by the pipeline after every batch) turns into
``RunStopped``: the run ends after the batch in progress, says "Stopped." and frees its slot.
"""

from __future__ import annotations

import threading

import gradio as gr

from ...progress import ProgressFn

__all__ = ["STOPPED_LINE", "STOPPING_LINE", "RunStopped", "StopSignals", "stoppable"]

STOPPING_LINE = "Stopping…"  # the button was pressed; the batch in progress is finishing
STOPPED_LINE = "Stopped."  # the run has ended and its slot is free


class RunStopped(Exception):
    """The visitor pressed Stop: the run ends quietly."""


def stoppable(report: ProgressFn, stop: threading.Event | None) -> ProgressFn:
    """``report``, raising ``RunStopped`` once ``stop`` is set."""

    def check(label: str, done: int, total: int) -> None:
        if stop is not None and stop.is_set():
            raise RunStopped
        report(label, done, total)

    return check


class StopSignals:
    """One stop signal per visitor session: the latest run's."""

    def __init__(self) -> None:
        self._signals: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def new(self, request: gr.Request | None) -> threading.Event:
        """A fresh signal for the visitor's new run."""
        signal = threading.Event()
        with self._lock:
            self._signals[_session(request)] = signal
        return signal

    def stop(self, request: gr.Request) -> str:
        """The Stop button's event: signal the visitor's run, if one is going; the page's
        progress line says so."""
        with self._lock:
            signal = self._signals.pop(_session(request), None)
        if signal is None:
            return ""
        signal.set()
        return STOPPING_LINE

    def done(self, request: gr.Request | None, signal: threading.Event) -> None:
        """Forget the signal of a run that has ended."""
        with self._lock:
            if self._signals.get(_session(request)) is signal:
                del self._signals[_session(request)]


def _session(request: gr.Request | None) -> str:
    return (request.session_hash if request is not None else None) or ""
