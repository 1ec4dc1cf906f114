"""The model store: find or fetch a model's files, load it once, keep a few in memory.

One owner for weights. A registry entry is either a local folder or a hub id; hub models live in
``<MTSUM_MODEL_DIR>/hub/<org>/<name>`` (written by ``mtsum models pull`` or on first use when
online, see ``fetch.py``), or are taken from the user's Hugging Face cache if already there.
Pickle-only weights are converted once into the store. Loading is lazy and
thread-safe: two requests that need the same model at once wait for one load. At most
``max_loaded_models`` stay in memory; the least recently used one is dropped first. A failed
load is not remembered, so the next request tries again.
"""

from __future__ import annotations

import functools
import gc
import logging
import sys
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from pathlib import Path

from .engines.base import Engine
from .errors import ConfigError, ModelUnavailableError
from .fetch import convert_to_safetensors, download, safe_copy
from .memory import TranslationMemory, model_fingerprint
from .progress import ProgressFn, ProgressLog
from .registry import ModelEntry
from .settings import Settings

__all__ = ["ModelStore", "convert_to_safetensors", "ctranslate2_importable", "resolve_engine"]

log = logging.getLogger(__name__)

Loader = Callable[[Path, ModelEntry, Settings], Engine]


def _transformers_loader(folder: Path, entry: ModelEntry, settings: Settings) -> Engine:
    from .engines.hf import TransformersEngine

    return TransformersEngine.load(folder, entry.reference, settings.device, settings.allow_pickle)


def _ctranslate2_loader(folder: Path, entry: ModelEntry, settings: Settings) -> Engine:
    from .engines.ct2 import CTranslate2Engine

    return CTranslate2Engine.load(
        folder,
        entry.reference,
        entry.revision,
        store_dir=settings.store_dir,
        device=settings.device,
        compute_type=settings.compute_type,
        threads=settings.threads,
        allow_pickle=settings.allow_pickle,
        concurrency=settings.engine_workers,
        split=not entry.summarizes,
    )


def _auto_loader(folder: Path, entry: ModelEntry, settings: Settings) -> Engine:
    """CTranslate2, or transformers for an architecture CTranslate2 cannot convert."""
    from .engines.ct2_convert import ConversionFailedError

    try:
        return _ctranslate2_loader(folder, entry, settings)
    except ConversionFailedError as exc:
        log.warning("%s; using the transformers engine for it", exc)
        return _transformers_loader(folder, entry, settings)


@functools.cache
def ctranslate2_importable() -> bool:
    """Whether the ``fast`` extra (CTranslate2) is installed and loads."""
    try:
        import ctranslate2  # noqa: F401
    except Exception as exc:  # a broken binary wheel raises OSError/ImportError and more
        log.info("CTranslate2 is not usable (%s); the transformers engine will be used", exc)
        return False
    return True


def resolve_engine(engine: str) -> str:
    """The engine ``auto`` stands for here: ctranslate2 when importable, else transformers.

    Raises:
        ConfigError: ``ctranslate2`` was asked for but the ``fast`` extra is not installed.
    """
    if engine == "auto":
        return "ctranslate2" if ctranslate2_importable() else "transformers"
    if engine == "ctranslate2" and not ctranslate2_importable():
        raise ConfigError(
            "MTSUM_ENGINE=ctranslate2 needs the fast extra: pip install 'mtsum[fast]' "
            "(or set MTSUM_ENGINE=transformers)"
        )
    return engine


def _select_loader(settings: Settings) -> tuple[str, Loader]:
    kind = resolve_engine(settings.engine)
    if kind == "transformers":
        return kind, _transformers_loader
    if kind == "ctranslate2":
        return kind, _auto_loader if settings.engine == "auto" else _ctranslate2_loader
    raise ConfigError(f"invalid engine {settings.engine!r}")


class ModelStore:
    """Finds, downloads, loads and caches models.

    Args:
        settings: where the store is, offline mode, device, cache size, pickle policy.
        loader: turns a model folder into an engine; chosen from ``settings.engine`` by default.

    Attributes:
        engine_kind: the engine this store loads with (``transformers`` or ``ctranslate2``,
            what ``auto`` resolved to; a custom loader's ``kind`` attribute, else ``custom``).
        memory: the translation memory for the models of this store, shared by every request.
    """

    def __init__(self, settings: Settings, loader: Loader | None = None) -> None:
        self.settings = settings
        if loader is None:
            self.engine_kind, self._loader = _select_loader(settings)
        else:
            self.engine_kind, self._loader = getattr(loader, "kind", "custom"), loader
        self._lock = threading.Lock()
        self._loading: dict[str, threading.Lock] = {}
        self._cache: OrderedDict[str, Engine] = OrderedDict()
        self._entries: dict[str, ModelEntry] = {}
        self._watchers: dict[str, list[ProgressFn]] = {}
        self._progress_log = ProgressLog(log)
        self.load_counts: Counter[str] = Counter()
        # Seconds the last load of each registry name took (find, fetch, convert, load): the
        # server's metrics show it.
        self.load_seconds: dict[str, float] = {}
        self._threads_set = False
        self.memory = TranslationMemory.from_settings(settings)
        self._fingerprints: dict[str, str] = {}

    # ---- in memory ---------------------------------------------------------------------

    def engine(self, entry: ModelEntry, progress: ProgressFn | None = None) -> Engine:
        """The loaded model of ``entry``, loading it on first use.

        Args:
            entry: the registry entry.
            progress: told how a download, conversion or load goes; a request that waits for
                another one's load of the same model is told too.

        Raises:
            ModelUnavailableError: it cannot be found, fetched or loaded.
        """
        key = self.key(entry)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            key_lock = self._loading.setdefault(key, threading.Lock())
            watchers = self._watchers.setdefault(key, [])
            if progress is not None:
                watchers.append(progress)
        try:
            with key_lock:
                with self._lock:
                    if key in self._cache:
                        self._cache.move_to_end(key)
                        return self._cache[key]
                return self._load_and_keep(key, entry)
        finally:
            if progress is not None:
                with self._lock:
                    watchers.remove(progress)

    def _load_and_keep(self, key: str, entry: ModelEntry) -> Engine:
        started = time.perf_counter()
        engine = self._load(entry, self._reporter(key))
        with self._lock:
            self.load_seconds[entry.name] = time.perf_counter() - started
            self._cache[key] = engine
            self._entries[key] = entry
            self.load_counts[key] += 1
            evicted = []
            while len(self._cache) > self.settings.max_loaded_models:
                old = self._cache.popitem(last=False)[0]
                self._entries.pop(old, None)
                evicted.append(old)
        if evicted:
            log.info("unloaded %s to stay within %d models", evicted, len(self._cache))
            _release_memory()
        return engine

    def _reporter(self, key: str) -> ProgressFn:
        """Progress of a load, to the log and to every request waiting for ``key``."""

        def report(label: str, done: int, total: int) -> None:
            self._progress_log(label, done, total)
            with self._lock:
                watchers = list(self._watchers.get(key, ()))
            for watcher in watchers:
                try:
                    watcher(label, done, total)
                except Exception:  # a gone client's display must not fail the shared load
                    log.debug("a progress callback failed", exc_info=True)

        return report

    def loaded(self) -> list[str]:
        """Keys of the models in memory, least recently used first."""
        with self._lock:
            return list(self._cache)

    def loaded_entries(self) -> list[ModelEntry]:
        """Registry entries of the models in memory, least recently used first."""
        with self._lock:
            return [self._entries[key] for key in self._cache]

    def memory_context(self, entry: ModelEntry, engine: Engine) -> str:
        """What besides the options and input decides ``engine``'s output, for the memory."""
        fingerprint = self._fingerprints.get(self.key(entry), "")
        compute = getattr(engine, "compute_type", "")
        device = getattr(engine, "device", "")
        return f"{self.key(entry)}|{fingerprint}|{compute}|{device}"

    def key(self, entry: ModelEntry) -> str:
        """The cache key of ``entry``: its engine, reference and revision."""
        revision = f"@{entry.revision}" if entry.revision else ""
        return f"{self.engine_kind}:{entry.reference}{revision}"

    def _load(self, entry: ModelEntry, progress: ProgressFn) -> Engine:
        try:
            folder = self.locate(entry, progress)
            if self.engine_kind != "ctranslate2":  # CTranslate2 sets its own threads per model
                self._apply_threads()
            log.info("loading %s (%s) from %s", entry.name, entry.reference, folder)
            if self.memory.enabled:
                self._fingerprints[self.key(entry)] = model_fingerprint(folder)
            progress(f"loading {entry.name}", 0, 1)
            engine = self._loader(folder, entry, self.settings)
            progress(f"loading {entry.name}", 1, 1)
            return engine
        except ModelUnavailableError as exc:
            name = None if entry.local else entry.name
            raise ModelUnavailableError(entry.reference, exc.reason, name) from exc

    def _apply_threads(self) -> None:
        if self.settings.threads and not self._threads_set:
            import torch

            torch.set_num_threads(self.settings.threads)
            self._threads_set = True

    # ---- on disk -----------------------------------------------------------------------

    def hub_folder(self, entry: ModelEntry) -> Path:
        """Where the store keeps a hub model's files."""
        org, _, name = entry.reference.partition("/")
        suffix = f"@{entry.revision.replace('/', '_')}" if entry.revision else ""
        return self.settings.store_dir / "hub" / org / f"{name}{suffix}"

    def is_available(self, entry: ModelEntry) -> bool:
        """Whether the files of ``entry`` are on this machine (no download needed)."""
        if entry.local:
            return Path(entry.reference).is_dir()
        return (self.hub_folder(entry) / "config.json").is_file() or (
            self._hf_cache(entry) is not None
        )

    def locate(self, entry: ModelEntry, progress: ProgressFn | None = None) -> Path:
        """The folder holding ``entry``'s loadable files, downloading or converting them first
        when needed (pickle-only weights are converted once, unless pickle is allowed).

        Raises:
            ModelUnavailableError: missing, or offline and not downloaded, or the download failed.
        """
        report = progress or self._progress_log
        if entry.local:
            folder = Path(entry.reference)
            if not folder.is_dir():
                raise ModelUnavailableError(
                    entry.reference, "the folder named in the registry does not exist", None
                )
            return self._loadable(folder, entry, report)
        stored = self.hub_folder(entry)
        if (stored / "config.json").is_file():
            return self._loadable(stored, entry, report)
        cached = self._hf_cache(entry)
        if cached is not None:
            return self._loadable(cached, entry, report)
        if self.settings.offline:
            raise ModelUnavailableError(
                entry.reference, "it is not downloaded and mtsum is offline", entry.name
            )
        return self.pull(entry, report)

    def _loadable(self, folder: Path, entry: ModelEntry, progress: ProgressFn) -> Path:
        """``folder``, or its safetensors copy when it holds pickle weights only."""
        from .engines.hf import has_safetensors

        if self.settings.allow_pickle or has_safetensors(folder) or not any(folder.glob("*.bin")):
            return folder
        return safe_copy(folder, self.settings.store_dir, entry.name, progress)

    def _hf_cache(self, entry: ModelEntry) -> Path | None:
        """The model in the user's own Hugging Face cache, if complete there."""
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

        try:
            folder = Path(
                snapshot_download(entry.reference, revision=entry.revision, local_files_only=True)
            )
        except (LocalEntryNotFoundError, HfHubHTTPError, OSError, ValueError):
            return None
        if not (folder / "config.json").is_file():
            return None
        if any(folder.glob("*.safetensors")) or any(folder.glob("*.bin")):
            return folder
        return None

    def pull(self, entry: ModelEntry, progress: ProgressFn | None = None) -> Path:
        """Download a hub model into the store (safetensors preferred), atomically.

        Files land in a temporary folder that is renamed into place only when complete, so an
        interrupted download never counts as a model. A repository that publishes only pickle
        weights is converted to safetensors with torch's weights-only loader on the way in
        (unless the operator allowed pickle weights, which are then kept as they are).

        Raises:
            ModelUnavailableError: offline, or the download or conversion failed.
        """
        if entry.local:
            return self.locate(entry, progress)
        return download(
            entry, self.hub_folder(entry), self.settings, progress or self._progress_log
        )


def _release_memory() -> None:
    """Give unloaded models' memory back: Python's garbage, and CUDA's cached blocks."""
    gc.collect()
    torch = sys.modules.get("torch")  # never import torch just to tidy up
    if torch is not None and torch.cuda.is_available():
        torch.cuda.empty_cache()
