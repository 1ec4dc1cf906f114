"""Bounded model work for the REST API: at most N requests run at once, at most M wait.

The page's requests pass through Gradio's queue, which has these two bounds
(``MTSUM_CONCURRENCY``, ``MTSUM_QUEUE_SIZE``). REST requests run in Starlette's worker threads,
of which there are forty: without a bound of their own, a burst of REST calls would run dozens
of translations at once, each holding its text and the model's activations in memory. So the
REST API gets the same two bounds, and a request beyond them is told the server is busy (503
with ``Retry-After``) at once, instead of waiting without end.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

__all__ = ["Busy", "WorkSlots"]

T = TypeVar("T")
A = TypeVar("A")


class Busy(Exception):
    """Every slot is taken and the waiting line is full."""


class WorkSlots:
    """``concurrency`` requests work at once; up to ``queue_size`` more wait for a turn.

    ``admit`` is called on the event loop and never blocks: it counts the request in or
    raises ``Busy``. ``run`` is called in the worker thread and waits there for a turn.
    """

    def __init__(self, concurrency: int, queue_size: int) -> None:
        self.concurrency = concurrency
        self.capacity = concurrency + queue_size
        self._turns = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._admitted = 0
        self._running = 0

    @property
    def admitted(self) -> int:
        """Requests working or waiting now."""
        with self._lock:
            return self._admitted

    @property
    def waiting(self) -> int:
        """Requests admitted but still waiting for a turn."""
        with self._lock:
            return self._admitted - self._running

    @contextmanager
    def admit(self) -> Iterator[None]:
        """Count one request in for the duration of the block.

        Raises:
            Busy: ``concurrency + queue_size`` requests are already in.
        """
        with self._lock:
            if self._admitted >= self.capacity:
                raise Busy
            self._admitted += 1
        try:
            yield
        finally:
            with self._lock:
                self._admitted -= 1

    def run(self, work: Callable[[A], T], argument: A) -> T:
        """``work(argument)`` once a turn is free (blocks the calling worker thread until then)."""
        with self.turn():
            return work(argument)

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold a turn for the block: waits in the calling worker thread until one is free
        (a streamed answer holds it for as long as its worker runs)."""
        with self._turns:
            with self._lock:
                self._running += 1
            try:
                yield
            finally:
                with self._lock:
                    self._running -= 1
