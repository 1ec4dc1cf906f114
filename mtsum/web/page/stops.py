"""The page's Stop button: a visitor's running translation ends before the engine's next batch.

Gradio's ``cancels`` frees the visitor's place in the queue at once and closes the run's
generator, but only once its current step is over, and one step of a long text can be many
engine batches. So the button also sets a signal for the visitor's session, which the run's
progress callback (called by the pipeline after every batch) turns into ``RunStopped``.
"""

from __future__ import annotations

import threading

import gradio as gr

from ...progress import ProgressFn

__all__ = ["STOPPED_LINE", "RunStopped", "StopSignals", "stoppable"]

STOPPED_LINE = "Stopped."


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
        return STOPPED_LINE

    def done(self, request: gr.Request | None, signal: threading.Event) -> None:
        """Forget the signal of a run that has ended."""
        with self._lock:
            if self._signals.get(_session(request)) is signal:
                del self._signals[_session(request)]


def _session(request: gr.Request | None) -> str:
    return (request.session_hash if request is not None else None) or ""
