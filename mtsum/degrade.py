"""When a translation model is missing, the web faces still answer with what needs no model.

Offline, or before a model is downloaded, the page and REST ``/summarize`` give the detected
language and an extractive summary in the text's own language, clearly labelled, with one
notice that names the missing model. The Python API and the CLI do not degrade: they raise
``ModelUnavailableError`` (exit 3), as the contract says; degrading is a choice of the web
faces, made for visitors who cannot install anything themselves.

A web visitor reads plain words ("not installed on this server"); the operator reads the
``mtsum models pull`` command in the log. Both web faces get it from one place:
``Pipeline.stages(..., degrade=True)`` yields a ``Degraded`` in place of the translation.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .errors import ModelUnavailableError
from .languages import language_name
from .registry import Registry
from .results import Detection, Result

__all__ = ["Degraded", "degraded", "missing_direction"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class Degraded:
    """A run that could not translate: its detection and a summary in the source language.

    Attributes:
        result: the summary run, in the source language (its translation is the text itself).
        detection: the detection of the original request (detected or given).
        target: the language the caller asked for.
        model: the registry name of the missing model (``fr-en``), or its reference.
        notice: one plain sentence for a web visitor: what is missing and what they still get.
        warnings: the result's warnings, the notice's facts first.
    """

    result: Result
    detection: Detection
    target: str
    model: str
    notice: str
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The result JSON, with ``translation`` null: nothing was translated."""
        data = self.result.to_dict()
        data["detection"] = self.detection.to_dict(with_warnings=False)
        data["translation"] = None
        data["warnings"] = list(self.warnings)
        return data


def degraded(
    result: Result,
    detection: Detection,
    target: str,
    model: str,
    error: ModelUnavailableError,
    ready: Sequence[str] = (),
) -> Degraded:
    """The ``Degraded`` answer: ``result`` (the extractive run in the text's own language) with
    the notice and the warnings that say what is missing.

    Args:
        result: the summary run in the source language.
        detection: the request's detection (the first stage, already done).
        target: the language the translation was for (checked).
        model: the registry name of the missing model (``fr-en``), or its reference.
        error: why the translation model cannot be loaded.
        ready: the targets the source reaches with models already here (offered instead).
    """
    source = detection.language
    log.warning(
        "translation model %s (%s) unavailable: %s; served the detection and an extractive "
        "summary in %s instead. Install the model with: mtsum models pull %s",
        model,
        error.model,
        error.reason,
        source,
        model,
    )
    source_name, target_name = language_name(source), language_name(target)
    notice = (
        f"Not translated: the {source_name} → {target_name} translation model is not installed "
        f"on this server yet. You get the detected language and an extractive summary (the "
        f"text's key sentences) in {source_name}, the text's own language. "
        + _instead(source, target, ready)
    )
    facts = (
        f"not translated into {target_name} ({target}): the translation model {model} "
        f"({error.model}) is not available on this server",
        f"the summary is extractive and in {source_name} ({source}), the text's own language, "
        "not a translation",
    )
    warnings = (*detection.warnings, *facts, *result.warnings)
    return Degraded(
        result=result,
        detection=detection,
        target=target,
        model=model,
        notice=notice,
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _instead(source: str, target: str, ready: Sequence[str]) -> str:
    """The notice's advice: the installed targets to choose instead, or that there is none."""
    named = [language_name(code) for code in ready if code not in (source, target)]
    if named:
        return (
            "Until whoever runs this server installs it, choose a target that is not marked "
            f"“needs a download”: {_listed(named)}."
        )
    return (
        f"No translation from {language_name(source)} is installed on this server yet, so "
        "every target gives the same; whoever runs the server can install the models."
    )


# Target languages named in the notice; more are counted, not listed.
_NAMED_TARGETS = 5


def _listed(names: Sequence[str]) -> str:
    shown = list(names[:_NAMED_TARGETS])
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def missing_direction(
    registry: Registry, source: str, target: str, error: ModelUnavailableError
) -> str:
    """The registry name (``fr-en``) of the model that failed, for the pull command."""
    if error.name:
        return error.name
    for hop in registry.route(source, target):
        if hop.entry.reference == error.model:
            return hop.entry.name
    return error.model
