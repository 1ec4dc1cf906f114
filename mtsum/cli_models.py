"""``mtsum models list`` and ``mtsum models pull``: the registry's models, per profile.

Apart from ``cli.py`` so that the command module stays the parser and the dispatch; these two
commands read the registry and the model store (names, profiles, published scores, download
sizes) and print, nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TextIO

from .cli_output import print_error, print_json
from .errors import ModelUnavailableError
from .models import ModelStore
from .pipeline import Pipeline
from .progress import ProgressFn
from .registry import ModelEntry

__all__ = ["models_list", "models_pull"]

Bars = Callable[[], AbstractContextManager[ProgressFn | None]]
_COLUMNS = ("name", "profile", "model", "score", "size", "status")


def models_list(pipeline: Pipeline, out: TextIO, *, as_json: bool) -> None:
    """Print every model of the registry: profile, published score, download size, status."""
    registry, store = pipeline.registry, pipeline.store
    rows = [model_row(entry, store) for entry in registry.entries()]
    if as_json:
        print_json(rows, out)
        return
    widths = {c: max([len(c), *(len(row[c]) for row in rows)]) for c in _COLUMNS}
    out.write("  ".join(c.upper().ljust(widths[c]) for c in _COLUMNS).rstrip() + "\n")
    for row in rows:
        out.write("  ".join(row[c].ljust(widths[c]) for c in _COLUMNS).rstrip() + "\n")
    out.write(f"\nregistry: {registry.path}\nstore:    {pipeline.settings.store_dir}\n")
    out.write("score: the published chrF (and BLEU) on the test set named; size: to download\n")


def model_row(entry: ModelEntry, store: ModelStore) -> dict[str, str]:
    """One row of ``mtsum models list``."""
    if entry.local:
        status = "local folder" if store.is_available(entry) else "missing folder"
    else:
        status = "downloaded" if store.is_available(entry) else "not downloaded"
    extra = f" {entry.token}" if entry.token else ""
    # fp32 weights, 4 bytes a parameter: the upper bound of a pull (some checkpoints are fp16).
    size = f"~{entry.params * 4 / 1000:.1f} GB" if entry.params else "?"
    return {
        "name": entry.name,
        "profile": entry.profile or ("-" if entry.summarizes else "best, fast"),
        "model": entry.reference + extra,
        "score": entry.score.short() if entry.score else "-",
        "size": size,
        "status": status,
    }


def models_pull(
    pipeline: Pipeline, out: TextIO, names: Sequence[str], profile: str | None, bars: Bars
) -> int:
    """Download the models named (every one when ``names`` is empty) of ``profile``, or of both
    profiles when it is None. Returns how many failed."""
    registry, store = pipeline.registry, pipeline.store
    entries = registry.entries_for(names, profile) if names else registry.entries(profile)
    failed, done = 0, set()
    for entry in entries:
        if entry.local:
            out.write(f"{entry.name}: local folder {entry.reference}, nothing to download\n")
            continue
        if (entry.reference, entry.revision) in done:  # a group model serves several names
            continue
        try:
            with bars() as progress:
                folder = store.pull(entry, progress)
        except ModelUnavailableError as exc:
            failed += 1
            # Without the error's "fetch it with: mtsum models pull" hint: this is that command.
            print_error(str(ModelUnavailableError(exc.model, exc.reason)))
            continue
        done.add((entry.reference, entry.revision))
        out.write(f"{entry.name}: {entry.reference} -> {folder}\n")
    return failed
