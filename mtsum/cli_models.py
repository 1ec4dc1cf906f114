"""``mtsum models list`` and ``mtsum models pull``: the registry's models, per profile.

Apart from ``cli.py`` so that the command module stays the parser and the dispatch. Like every
face, these commands know the models only through ``Pipeline``'s public methods
(``models``, ``pull``): names, profiles, published scores, download sizes, status.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, TextIO

from .cli_output import print_error, print_json
from .errors import ModelUnavailableError
from .progress import ProgressFn

if TYPE_CHECKING:
    from .catalog import ModelStatus
    from .pipeline import Pipeline

__all__ = ["models_list", "models_pull"]

Bars = Callable[[], AbstractContextManager[ProgressFn | None]]
_COLUMNS = ("name", "profile", "model", "score", "size", "status")


def models_list(pipeline: Pipeline, out: TextIO, *, as_json: bool) -> None:
    """Print every model of the registry: profile, published score, download size, status."""
    rows = [model_row(model) for model in pipeline.models()]
    if as_json:
        print_json(rows, out)
        return
    widths = {c: max([len(c), *(len(row[c]) for row in rows)]) for c in _COLUMNS}
    out.write("  ".join(c.upper().ljust(widths[c]) for c in _COLUMNS).rstrip() + "\n")
    for row in rows:
        out.write("  ".join(row[c].ljust(widths[c]) for c in _COLUMNS).rstrip() + "\n")
    settings = pipeline.settings
    out.write(f"\nregistry: {settings.registry_file}\nstore:    {settings.store_dir}\n")
    out.write("score: the published chrF (and BLEU) on the test set named; size: to download\n")


def model_row(model: ModelStatus) -> dict[str, str]:
    """One row of ``mtsum models list``."""
    if model.local:
        status = "local folder" if model.available else "missing folder"
    else:
        status = "downloaded" if model.available else "not downloaded"
    extra = f" {model.token}" if model.token else ""
    # fp32 weights, 4 bytes a parameter: the upper bound of a pull (some checkpoints are fp16).
    size = f"~{model.params * 4 / 1000:.1f} GB" if model.params else "?"
    return {
        "name": model.name,
        "profile": model.profile or ("-" if model.summarizes else "best, fast"),
        "model": model.reference + extra,
        "score": model.score,
        "size": size,
        "status": status,
    }


def models_pull(
    pipeline: Pipeline, out: TextIO, names: Sequence[str], profile: str | None, bars: Bars
) -> int:
    """Download the models named (every one when ``names`` is empty) of ``profile``, or of both
    profiles when it is None. Returns how many failed."""
    failed, done = 0, set()
    for model in pipeline.models(names or None, profile):
        if model.local:
            out.write(f"{model.name}: local folder {model.reference}, nothing to download\n")
            continue
        if model.reference in done:  # a group model serves several names
            continue
        try:
            with bars() as progress:
                folder = pipeline.pull(model.name, progress, profile=model.profile)
        except ModelUnavailableError as exc:
            failed += 1
            print_error(str(exc))  # no pull hint: this is that command
            continue
        done.add(model.reference)
        out.write(f"{model.name}: {model.reference} -> {folder}\n")
    return failed
