"""What the faces may know of the models below the pipeline: each one's status, the routes that
are installed, and the loading of models before the first request (``MTSUM_PRELOAD``).

The faces (CLI, page, REST) never read the registry or the model store themselves (an
import-linter contract and a test say so); ``Pipeline``'s methods hand them these answers,
which are computed here. Preloading names are checked against the registry when the app is
built, so a typo stops the start at once with a ``ConfigError``; a model that cannot be loaded
at start-up is logged with what to do, and the server starts anyway: every other language pair
works, and that model is tried again on first use.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import ConfigError, InputError, ModelUnavailableError, MtsumError
from .models import ModelStore
from .registry import ModelEntry, Registry
from .settings import ALL_INSTALLED

__all__ = ["ModelStatus", "installed", "model_statuses", "preload", "preload_entries"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class ModelStatus:
    """One registry model and whether it is on this machine.

    Attributes:
        name: its registry name (``fr-en``, ``summarize:en``).
        reference: the hub id or local folder it loads from.
        token: the ``>>xxx<<`` target label of a group model, if any.
        local: True for a local folder, False for a hub id.
        available: its files are here (no download needed).
        profile: the one profile it serves (``best``, ``fast``), or None for every profile.
        score: its published score for this direction (``flores101 chrF 69.35 BLEU 46``), or
            ``-`` when the registry states none.
        params: millions of parameters (the download is about 4 MB each), if stated.
        summarizes: True for a summariser.
    """

    name: str
    reference: str
    token: str | None
    local: bool
    available: bool
    profile: str | None = None
    score: str = "-"
    params: int | None = None
    summarizes: bool = False


def model_statuses(
    registry: Registry,
    store: ModelStore,
    names: Sequence[str] | None = None,
    profile: str | None = None,
) -> list[ModelStatus]:
    """Every model of the registry (or those ``names`` stand for: registry names, or language
    pairs whose whole route is meant) with its status; of ``profile``, or of both when None.

    Raises:
        InputError: a name the registry has no model or route for.
    """
    entries = registry.entries(profile) if names is None else registry.entries_for(names, profile)
    return [
        ModelStatus(
            name=entry.name,
            reference=entry.reference,
            token=entry.token,
            local=entry.local,
            available=store.is_available(entry),
            profile=entry.profile,
            score=entry.score.short() if entry.score else "-",
            params=entry.params,
            summarizes=entry.summarizes,
        )
        for entry in entries
    ]


def installed(
    registry: Registry, store: ModelStore, source: str, target: str, profile: str
) -> bool:
    """Whether ``source`` reaches ``target`` with every model of its ``profile`` route here."""
    if not registry.can_route(source, target):  # cheap; route() would word an error first
        return False
    try:
        hops = registry.route(source, target, profile)
        return all(store.is_available(hop.entry) for hop in hops)
    except MtsumError:
        return False


def preload_entries(
    registry: Registry, store: ModelStore, names: Sequence[str], profile: str
) -> list[ModelEntry]:
    """The registry entries ``names`` stand for (``all-installed``: every one on this machine);
    for a name with a best and a fast model, the one of ``profile`` (the server's default).

    Raises:
        ConfigError: a name the registry has no model or route for; the message names
            ``MTSUM_PRELOAD``.
    """
    if list(names) == [ALL_INSTALLED]:
        return [entry for entry in registry.entries() if store.is_available(entry)]
    try:
        return registry.entries_for(names, profile)
    except InputError as exc:
        raise ConfigError(f"MTSUM_PRELOAD={','.join(names)!r}: {exc}") from exc


def preload(store: ModelStore, entries: Sequence[ModelEntry]) -> list[str]:
    """Load ``entries`` into the model store; the names of those now loaded."""
    start = time.perf_counter()
    loaded = []
    for entry in entries:
        try:
            store.engine(entry)
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
