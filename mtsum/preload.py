"""Loading models when the server starts (``MTSUM_PRELOAD``), before the first visitor.

A first request would otherwise wait for a download (minutes) and a load (seconds) of every
model on its route. The names are checked against the registry when the app is built, so a
typo stops the start at once with a ``ConfigError``; the loading itself happens in the app's
start-up (``web/app.py``). A model that cannot be loaded there is logged with what to do and
the server starts anyway: every other language pair works, and that model is tried again on
first use, as without preloading.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from .errors import ConfigError, InputError, ModelUnavailableError
from .pipeline import Pipeline
from .registry import ModelEntry
from .settings import ALL_INSTALLED

__all__ = ["preload", "preload_entries"]

log = logging.getLogger(__name__)


def preload_entries(pipeline: Pipeline, names: Sequence[str]) -> list[ModelEntry]:
    """The registry entries ``names`` stand for (``all-installed``: every one on this machine).

    Raises:
        ConfigError: a name the registry has no model or route for; the message names
            ``MTSUM_PRELOAD``.
    """
    registry = pipeline.registry
    if list(names) == [ALL_INSTALLED]:
        return [entry for entry in registry.entries() if pipeline.store.is_available(entry)]
    try:
        # The models of the server's default profile: those most requests will use.
        return registry.entries_for(names, pipeline.settings.profile)
    except InputError as exc:
        raise ConfigError(f"MTSUM_PRELOAD={','.join(names)!r}: {exc}") from exc


def preload(pipeline: Pipeline, entries: Sequence[ModelEntry]) -> list[str]:
    """Load ``entries`` into the pipeline's model store; the names of those now loaded."""
    start = time.perf_counter()
    loaded = []
    for entry in entries:
        try:
            pipeline.store.engine(entry)
        except ModelUnavailableError as exc:
            log.warning("MTSUM_PRELOAD: %s", exc)
            continue
        loaded.append(entry.name)
    log.info(
        "preloaded %d of %d model(s) in %.1f s: %s",
        len(loaded),
        len(entries),
        time.perf_counter() - start,
        ", ".join(loaded) or "none",
    )
    return loaded
