"""What a face may know of the models, as ``Pipeline`` methods: the registry's languages,
targets and routes, which models are here, pulling and preloading them, the glossaries and the
model store's figures.

Kept beside ``pipeline.py`` (which ``Pipeline`` mixes it into) so that module stays the list
of operations; no face reads the registry or the model store itself.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from . import catalog
from .catalog import ModelStatus
from .checks import Lexicons
from .models import ModelStore
from .progress import ProgressFn
from .registry import Registry
from .settings import Settings
from .terms import GlossaryInfo, GlossaryStore

__all__ = ["ModelQueries"]


class ModelQueries:
    """``Pipeline``'s registry (read on first use) and its methods about the models."""

    settings: Settings
    store: ModelStore
    _glossaries: GlossaryStore
    _registry: Registry | None
    _lock: threading.Lock

    @property
    def registry(self) -> Registry:
        """The model registry, read on first use (for tests and tools; faces use the methods)."""
        with self._lock:
            if self._registry is None:
                self._registry = Registry.load(self.settings.registry_file)
            return self._registry

    # ---- what the faces may know of the models ----------------------------------------------

    def languages(self) -> list[str]:
        """Every language some route can read or write, sorted."""
        return self.registry.languages()

    def targets(self, source: str) -> list[str]:
        """Every language ``source`` can be translated into (itself excluded)."""
        return self.registry.targets(source)

    def route(self, source: str, target: str) -> tuple[str, ...]:
        """The directions (``fr-en``, ...) that translate ``source`` into ``target``.

        Raises:
            UnsupportedLanguageError: no route; the message lists the reachable languages.
        """
        return tuple(hop.direction for hop in self.registry.route(source, target))

    def installed(self, source: str, target: str) -> bool:
        """Whether ``source`` reaches ``target`` with every model of its route on this machine
        (the route of the configured default profile)."""
        profile = self.settings.profile
        return catalog.installed(self.registry, self.store, source, target, profile)

    def models(
        self, names: Sequence[str] | None = None, profile: str | None = None
    ) -> list[ModelStatus]:
        """Every registry model (or those ``names`` stand for) and whether it is here; those of
        ``profile`` (``best``, ``fast``), or of both when None.

        Raises:
            InputError: a name the registry has no model or route for.
        """
        return catalog.model_statuses(self.registry, self.store, names, profile)

    def pull(
        self, name: str, progress: ProgressFn | None = None, *, profile: str | None = None
    ) -> Path:
        """Download the registry model ``name`` (a hub model) into the store; its folder. For a
        name with a best and a fast model: the one of ``profile`` (``best`` when None).

        Raises:
            InputError: no such model.
            ModelUnavailableError: the download failed.
        """
        return self.store.pull(self.registry.entry(name, profile), progress)

    def glossaries(self) -> list[GlossaryInfo]:
        """The operator's named glossaries (``<MTSUM_MODEL_DIR>/glossaries/<pair>/<id>.tsv``)."""
        return self._glossaries.listing()

    def loaded_models(self) -> list[str]:
        """The registry names of the models in memory, least recently used first."""
        return [entry.name for entry in self.store.loaded_entries()]

    def load_seconds(self) -> dict[str, float]:
        """Seconds the last load of each model took (find, fetch, convert, load), by name."""
        return dict(self.store.load_seconds)

    def memory_stats(self) -> dict[str, object]:
        """The translation memory's hits, misses, hit rate and size."""
        return dict(self.store.memory.stats())

    def preload(self, names: Sequence[str], *, load: bool = True) -> list[str]:
        """Load the models ``names`` stand for (``MTSUM_PRELOAD``); the names now loaded.

        Args:
            load: False only checks the names and returns the models they stand for.

        Raises:
            ConfigError: a name the registry has no model or route for.
        """
        profile = self.settings.profile
        entries = catalog.preload_entries(self.registry, self.store, names, profile)
        if not load:
            return [entry.name for entry in entries]
        loaded = catalog.preload(self.store, entries)
        # The word lists of the `detached` flag too (seconds to read), so that no first
        # request of a pair waits for them; they are shared by the whole process.
        lexicons = Lexicons(self.settings.lexicons)
        for name in names:
            source, _, target = name.partition("-")
            lexicons.find(source, target)
        return loaded
