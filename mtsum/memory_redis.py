"""The translation memory's shared layer in Redis (``MTSUM_TM=redis://host:port/db``).

One machine shares its memory through the sqlite file; replicas on several machines (``mtsum
serve --ray``) share it through Redis, so a sentence any replica translated is a hit on every
other. Entries are the memory's own keys (a digest of model, options and input) under a
prefix, each with an expiry (``MTSUM_TM_TTL``); a sorted set of write times bounds their number
(``MTSUM_TM_ENTRIES``): the oldest written leave first, like the sqlite file's rows.

Redis being down must never fail a request: the first error is logged once, Redis is left alone
for ``RETRY_SECONDS``, and the memory goes on with its in-process layer meanwhile.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

from .errors import ConfigError

__all__ = ["RETRY_SECONDS", "RedisLayer"]

log = logging.getLogger(__name__)

PREFIX = b"mtsum:tm:"
INDEX = b"mtsum:tm-index"
# How long to leave an unreachable Redis alone before trying again: a request then pays at most
# one connect timeout per half minute, not one per batch.
RETRY_SECONDS = 30.0
# A Redis on the same network answers in milliseconds; a second means it is gone (a request must
# not wait for TCP's own minutes-long timeouts).
_CONNECT_TIMEOUT = 1.0
_COMMAND_TIMEOUT = 2.0
# Trim the index every this many writes (a ZCARD per write would double the round trips).
_TRIM_EVERY = 200


class RedisLayer:
    """Get and put memory entries in Redis; errors turn it off for a while, never raise.

    Args:
        url: ``redis://host:port/db`` (``rediss://`` for TLS).
        ttl: seconds an entry lives after it was written.
        max_entries: entries kept at most (the oldest written leave first).
    """

    def __init__(self, url: str, ttl: int, max_entries: int) -> None:
        try:
            import redis  # noqa: F401
        except ImportError:
            raise ConfigError(
                "MTSUM_TM names a Redis server, which needs the redis client: "
                'pip install -e ".[redis]" (or pip install redis), or set MTSUM_TM=sqlite'
            ) from None
        self.url = url
        self.ttl = ttl
        self.max_entries = max_entries
        self._client: Any = None
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._warned = False
        self._writes = 0

    @property
    def where(self) -> str:
        """The URL without any password, for messages."""
        scheme, _, rest = self.url.partition("://")
        return f"{scheme}://{rest.rpartition('@')[2]}"

    def get_many(self, keys: Sequence[bytes]) -> list[str | None]:
        """Stored outputs (None where absent, or all None while Redis is unreachable)."""
        client = self._usable()
        if client is None or not keys:
            return [None] * len(keys)
        try:
            values = client.mget([PREFIX + key for key in keys])
        except Exception as exc:  # redis.RedisError, OSError: any failure means "skip it"
            self._failed(exc)
            return [None] * len(keys)
        self._recovered()
        return [None if value is None else value.decode("utf-8") for value in values]

    def put_many(self, pairs: Sequence[tuple[bytes, str]]) -> None:
        """Store outputs with their expiry; trims the oldest beyond ``max_entries``."""
        client = self._usable()
        if client is None or not pairs:
            return
        now = time.time()
        try:
            batch = client.pipeline(transaction=False)
            for key, value in pairs:
                batch.set(PREFIX + key, value.encode("utf-8"), ex=self.ttl)
            batch.zadd(INDEX, {key: now for key, _ in pairs})
            batch.execute()
            with self._lock:
                self._writes += len(pairs)
                # Entries stay within a tenth over the bound between two trims.
                trim = self._writes >= min(_TRIM_EVERY, max(1, self.max_entries // 10))
                if trim:
                    self._writes = 0
            if trim:
                self.trim()
        except Exception as exc:  # redis.RedisError, OSError
            self._failed(exc)
            return
        self._recovered()

    def trim(self) -> None:
        """Drop index entries past their expiry, then the oldest beyond ``max_entries``."""
        client = self._usable()
        if client is None:
            return
        client.zremrangebyscore(INDEX, "-inf", time.time() - self.ttl)
        extra = int(client.zcard(INDEX)) - self.max_entries
        if extra > 0:
            oldest = [key for key, _ in client.zpopmin(INDEX, extra)]
            if oldest:
                client.delete(*[PREFIX + key for key in oldest])

    def close(self) -> None:
        """Close the connection pool."""
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def _usable(self) -> Any:
        with self._lock:
            if time.monotonic() < self._down_until:
                return None
            if self._client is None:
                import redis

                self._client = redis.Redis.from_url(
                    self.url,
                    socket_connect_timeout=_CONNECT_TIMEOUT,
                    socket_timeout=_COMMAND_TIMEOUT,
                )
            return self._client

    def _failed(self, exc: Exception) -> None:
        with self._lock:
            self._down_until = time.monotonic() + RETRY_SECONDS
            warned, self._warned = self._warned, True
        if not warned:
            log.warning(
                "translation memory: Redis at %s is unreachable (%s); going on without the "
                "shared memory, trying again every %.0f s",
                self.where,
                type(exc).__name__,
                RETRY_SECONDS,
            )

    def _recovered(self) -> None:
        with self._lock:
            warned, self._warned = self._warned, False
        if warned:
            log.warning("translation memory: Redis at %s is reachable again", self.where)
