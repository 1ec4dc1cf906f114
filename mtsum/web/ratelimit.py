"""A small in-memory rate limiter: at most N requests per client in any 60-second window.

The REST API is a self-hosted service; one process, one limiter, no external store. A sliding
window (the times of the last N requests of each client) is exact and needs no clock alignment;
clients that went quiet are forgotten so memory stays bounded by the active clients.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["RateLimiter"]

WINDOW_SECONDS = 60.0


class RateLimiter:
    """Allows ``limit`` requests per client in any ``window`` seconds.

    Args:
        limit: requests allowed per window; 0 or less turns the limiter off.
        window: the window length in seconds.
        clock: monotonic time source (replaceable in tests).
    """

    def __init__(
        self,
        limit: int,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def check(self, client: str) -> int | None:
        """Count one request of ``client``.

        Returns:
            ``None`` when it is allowed; otherwise the whole seconds to wait before the next
            request will be (the ``Retry-After`` value; a refused request is not counted).
        """
        if not self.enabled:
            return None
        now = self._clock()
        with self._lock:
            self._sweep(now)
            hits = self._hits.setdefault(client, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.window - now))
            hits.append(now)
            return None

    def _sweep(self, now: float) -> None:
        """Forget clients with no request inside the window (at most once per window)."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.window
        stale = [
            key for key, hits in self._hits.items() if not hits or hits[-1] <= now - self.window
        ]
        for key in stale:
            del self._hits[key]
