"""The translation memory: an exact-match sentence cache below the translator.

Translating is the expensive part of every request, and real traffic repeats itself: the same
page strings from a CMS plugin, the same boilerplate sentence in every chapter, the same document
sent twice. The memory sits between the translator and the engine, one engine batch at a time:
each input of a batch is looked up under everything that changes its output (the model, its
revision and files, the engine, its compute type and device, the batch's generation options
and the input text, which starts with the target token when the model needs one); only the
misses are generated, each distinct text once, and stored. Batches are formed exactly as without
the memory, so a hit returns what a miss would have.

Kinds (``MTSUM_TM``): ``memory`` (the default) keeps entries in process, least recently used
leaving first once their bytes pass ``MTSUM_TM_MB``; ``sqlite`` adds a file under the model
store, ``<MTSUM_MODEL_DIR>/tm.sqlite3``, that outlives the process and is shared by processes
(batch runs, restarts); a ``redis://host:port/db`` URL adds Redis, shared by every replica and
machine (``memory_redis.py``); ``off`` turns it off. One memory belongs to one ``ModelStore``:
entries are only valid for the models that store loads, and every face of a server shares its store.
Each output keeps the translator's score (``Segment.score``) in process, in the file and in Redis;
rows written before scores existed answer without one, and the segment then has no score.
Hand-written rather than ``functools.lru_cache``/``cachetools``: the bound is in bytes, misses
of one batch are generated together, and the persistent layer needs the same keys.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .engines.base import Engine, GenerationOptions, Scored, score_of
from .memory_redis import RedisLayer
from .settings import TM_ENTRIES, TM_KINDS, TM_TTL, Settings, is_redis_url

__all__ = ["MemoryEngine", "TranslationMemory", "model_fingerprint"]

log = logging.getLogger(__name__)

SQLITE_NAME = "tm.sqlite3"
# Python's own cost of one entry beside its text (dict slot, key bytes, str header), measured
# with sys.getsizeof on CPython 3.11: about 49 B per str header, 49 B per bytes key, ~40 B slot.
_ENTRY_OVERHEAD = 140
# The file keeps at most this many entries (oldest written leave first): about 200 MB of text.
_SQLITE_MAX_ROWS = 1_000_000
_SQLITE_PRUNE_EVERY = 1000


def model_fingerprint(folder: Path) -> str:
    """Names, sizes and modification times of a model folder's files, hashed.

    A persistent memory must not answer from a model that was replaced under the same path or
    revision; any change to the folder's files changes the fingerprint.
    """
    digest = hashlib.blake2b(digest_size=12)
    try:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    except OSError:
        digest.update(str(folder).encode())
    return digest.hexdigest()


class TranslationMemory:
    """Exact-match cache of engine outputs, bounded in bytes, thread-safe.

    Args:
        kind: ``memory``, ``sqlite``, ``off`` or a ``redis://host:port/db`` URL.
        max_bytes: bound of the in-process part (outputs, keys and bookkeeping).
        sqlite_path: the file of the ``sqlite`` kind (opened on first use).
        ttl: seconds a Redis entry lives.
        max_entries: most entries Redis keeps.
    """

    def __init__(
        self,
        kind: str,
        max_bytes: int,
        sqlite_path: Path | None = None,
        ttl: int = TM_TTL,
        max_entries: int = TM_ENTRIES,
    ) -> None:
        self.redis: RedisLayer | None = None
        if is_redis_url(kind):
            self.redis = RedisLayer(kind, ttl, max_entries)
            kind = "redis"  # the URL may hold a password: stats and messages never show it
        elif kind not in TM_KINDS:
            raise ValueError(f"invalid memory kind {kind!r}, expected one of: {TM_KINDS}")
        self.kind = kind
        self.max_bytes = max_bytes
        self.sqlite_path = sqlite_path
        self._lock = threading.Lock()
        self._entries: OrderedDict[bytes, str] = OrderedDict()
        self._bytes = 0
        self._db: sqlite3.Connection | None = None
        self._writes = 0
        self.hits = 0
        self.misses = 0
        self.evictions = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> TranslationMemory:
        """The memory ``settings`` ask for (nothing is opened or created yet)."""
        return cls(
            settings.translation_memory,
            settings.tm_mb * 1024 * 1024,
            settings.store_dir / SQLITE_NAME,
            settings.tm_ttl,
            settings.tm_entries,
        )

    @property
    def enabled(self) -> bool:
        """Whether lookups happen at all."""
        return self.kind != "off"

    def around(self, engine: Engine, context: str) -> Engine:
        """``engine`` with its ``generate`` answered from the memory where it can be."""
        return MemoryEngine(engine, self, context) if self.enabled else engine

    # ---- entries ---------------------------------------------------------------------------

    @staticmethod
    def key(context: str, options: GenerationOptions, text: str) -> bytes:
        """The entry key of one input: a digest of its context, options and text."""
        material = json.dumps([context, asdict(options), text], ensure_ascii=False)
        return hashlib.blake2b(material.encode("utf-8"), digest_size=20).digest()

    def get_many(self, keys: Sequence[bytes]) -> list[str | None]:
        """The stored output of each key, or None; counts hits and misses."""
        found: list[str | None] = []
        with self._lock:
            for key in keys:
                value = self._entries.get(key)
                if value is not None:
                    self._entries.move_to_end(key)
                elif self.kind == "sqlite":
                    value = self._sqlite_get(key)
                    if value is not None:
                        self._remember(key, value)
                found.append(value)
        if self.redis is not None:  # outside the lock: a network round trip
            found = self._from_redis(keys, found)
        with self._lock:
            hit = sum(value is not None for value in found)
            self.hits += hit
            self.misses += len(found) - hit
        return found

    def put_many(self, pairs: Sequence[tuple[bytes, str]]) -> None:
        """Store outputs under their keys (the oldest leave when over the byte bound)."""
        with self._lock:
            for key, value in pairs:
                self._remember(key, value)
            if self.kind == "sqlite" and pairs:
                self._sqlite_put(pairs)
        if self.redis is not None:
            self.redis.put_many([(key, _to_redis(value)) for key, value in pairs])

    def stats(self) -> dict[str, Any]:
        """Kind, hits, misses, hit rate, entries and bytes held in process, evictions."""
        with self._lock:
            looked = self.hits + self.misses
            return {
                "kind": self.kind,
                "hits": self.hits,
                "misses": self.misses,
                "hit_rate": round(self.hits / looked, 4) if looked else 0.0,
                "entries": len(self._entries),
                "bytes": self._bytes,
                "max_bytes": self.max_bytes,
                "evictions": self.evictions,
            }

    def clear(self) -> None:
        """Forget the in-process entries and counters (the sqlite file is kept)."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self.hits = self.misses = self.evictions = 0

    def close(self) -> None:
        """Close the sqlite file or the Redis connections, if open."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
        if self.redis is not None:
            self.redis.close()

    def _from_redis(self, keys: Sequence[bytes], found: list[str | None]) -> list[str | None]:
        """``found`` with the keys it lacks looked up in Redis (and kept in process)."""
        assert self.redis is not None
        wanted = [index for index, value in enumerate(found) if value is None]
        if not wanted:
            return found
        values = self.redis.get_many([keys[index] for index in wanted])
        found = list(found)
        with self._lock:
            for index, value in zip(wanted, values, strict=True):
                if value is not None:
                    output = _from_redis(value)
                    found[index] = output
                    self._remember(keys[index], output)
        return found

    def _remember(self, key: bytes, value: str) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= _size(key, old)
        size = _size(key, value)
        if size > self.max_bytes:
            return
        self._entries[key] = value
        self._bytes += size
        while self._bytes > self.max_bytes:
            gone_key, gone = self._entries.popitem(last=False)
            self._bytes -= _size(gone_key, gone)
            self.evictions += 1

    # ---- the sqlite file (called with the lock held) ---------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            if self.sqlite_path is None:
                raise ValueError("the sqlite translation memory needs a file path")
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.sqlite_path, timeout=30, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS tm (key BLOB PRIMARY KEY, output TEXT)")
            columns = {row[1] for row in db.execute("PRAGMA table_info(tm)")}
            if "score" not in columns:  # a file from before scores: its rows have none
                db.execute("ALTER TABLE tm ADD COLUMN score REAL")
            db.commit()
            self._db = db
            log.info("translation memory file: %s", self.sqlite_path)
        return self._db

    def _sqlite_get(self, key: bytes) -> str | None:
        row = (
            self._connection()
            .execute("SELECT output, score FROM tm WHERE key = ?", (key,))
            .fetchone()
        )
        if row is None:
            return None
        return str(row[0]) if row[1] is None else Scored(str(row[0]), float(row[1]))

    def _sqlite_put(self, pairs: Sequence[tuple[bytes, str]]) -> None:
        db = self._connection()
        rows = [(key, str(value), score_of(value)) for key, value in pairs]
        db.executemany("INSERT OR REPLACE INTO tm (key, output, score) VALUES (?, ?, ?)", rows)
        self._writes += len(pairs)
        if self._writes >= _SQLITE_PRUNE_EVERY:
            self._writes = 0
            db.execute(
                "DELETE FROM tm WHERE rowid <= (SELECT MAX(rowid) FROM tm) - ?",
                (_SQLITE_MAX_ROWS,),
            )
        db.commit()


def _size(key: bytes, value: str) -> int:
    return len(key) + len(value.encode("utf-8")) + _ENTRY_OVERHEAD


class MemoryEngine:
    """An engine whose ``generate`` looks each input up first and generates only the misses.

    Everything else (limits, token counts, task prefixes) is the wrapped engine's own.
    """

    def __init__(self, engine: Engine, memory: TranslationMemory, context: str) -> None:
        self.engine = engine
        self.memory = memory
        self.context = context
        self.kind = engine.kind
        self.reference = engine.reference
        self.max_input_tokens = engine.max_input_tokens
        self.max_output_tokens = engine.max_output_tokens

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.engine.count_tokens(texts)

    def task_prefix(self, task: str) -> str:
        return self.engine.task_prefix(task)

    def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
        """The outputs of one batch: stored ones from the memory, each distinct miss once."""
        keys = [self.memory.key(self.context, options, text) for text in texts]
        outputs = self.memory.get_many(keys)
        missing: dict[bytes, str] = {}
        for key, text, output in zip(keys, texts, outputs, strict=True):
            if output is None:
                missing.setdefault(key, text)
        if missing:
            generated = self.engine.generate(list(missing.values()), options)
            fresh = dict(zip(missing, generated, strict=True))
            self.memory.put_many(list(fresh.items()))
            outputs = [
                fresh[key] if out is None else out for key, out in zip(keys, outputs, strict=True)
            ]
        return [out if out is not None else "" for out in outputs]


# Redis holds strings: an output with a score is stored as this marker and [text, score] in JSON
# (a NUL byte never starts a translation), a plain output as itself.
_SCORED = "\x00scored:"


def _to_redis(value: str) -> str:
    score = score_of(value)
    return value if score is None else _SCORED + json.dumps([str(value), score])


def _from_redis(value: str) -> str:
    if not value.startswith(_SCORED):
        return value
    text, score = json.loads(value[len(_SCORED) :])
    return Scored(str(text), None if score is None else float(score))
