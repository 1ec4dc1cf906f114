"""When a translation model is missing, the web faces still answer with what needs no model.

Offline, or before a model is downloaded, the page and REST ``/summarize`` give the detected
language and an extractive summary in the text's own language, clearly labelled, with one
notice that names the missing model. The Python API and the CLI do not degrade: they raise
``ModelUnavailableError`` (exit 3), as the contract says; degrading is a choice of the web
faces, made for visitors who cannot install anything themselves.

A web visitor reads plain words ("not installed on this server"); the operator reads the
``mtsum models pull`` command in the log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ..errors import ModelUnavailableError, MtsumError
from ..languages import language_name
from ..pipeline import Pipeline
from ..results import Detection, Result

__all__ = ["Degraded", "summary_without_translation"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
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


def summary_without_translation(
    pipeline: Pipeline,
    text: str,
    detection: Detection,
    target: str,
    words: float | None,
    error: ModelUnavailableError,
) -> Degraded:
    """The detection and an extractive summary in the text's own language, with the notice.

    Args:
        pipeline: the pipeline the request ran on.
        text: the request's text.
        detection: the request's detection (the first stage, already done).
        target: the language the translation was for.
        words: the summary length asked for; None or 0 for the default.
        error: why the translation model cannot be loaded.

    Raises:
        MtsumError: the summary itself fails (it needs no model, so only for bad input).
    """
    source, target = detection.language, pipeline.registry.check_language(target)
    model = _missing_direction(pipeline, source, target, error)
    log.warning(
        "translation model %s (%s) unavailable: %s; served the detection and an extractive "
        "summary in %s instead. Install the model with: mtsum models pull %s",
        model,
        error.model,
        error.reason,
        source,
        model,
    )
    result = pipeline.run(
        text,
        target=source,
        source=source,
        words=words or None,  # type: ignore[arg-type]  # the pipeline checks it (40.0 is 40)
        method="extractive",
    )
    source_name, target_name = language_name(source), language_name(target)
    ready = [language_name(t) for t in _ready_targets(pipeline, source) if t != target]
    if ready:
        instead = (
            "Until whoever runs this server installs it, choose a target that is not marked "
            f"“needs a download”: {_listed(ready)}."
        )
    else:
        instead = (
            f"No translation from {source_name} is installed on this server yet, so every "
            "target gives the same; whoever runs the server can install the models."
        )
    notice = (
        f"Not translated: the {source_name} → {target_name} translation model is not installed "
        f"on this server yet. You get the detected language and an extractive summary (the "
        f"text's key sentences) in {source_name}, the text's own language. {instead}"
    )
    facts = (
        f"not translated into {target_name} ({target}): the translation model {model} "
        f"({error.model}) is not available on this server",
        f"the summary is extractive and in {source_name} ({source}), the text's own language, "
        "not a translation",
    )
    warnings = (*detection.warnings, *facts, *result.warnings)
    return Degraded(result, detection, target, model, notice, tuple(dict.fromkeys(warnings)))


# Target languages named in the notice; more are counted, not listed.
_NAMED_TARGETS = 5


def _ready_targets(pipeline: Pipeline, source: str) -> list[str]:
    """The languages ``source`` can be translated into with models already on this machine."""
    registry, store, ready = pipeline.registry, pipeline.store, []
    for target in sorted(registry.targets(source), key=language_name):
        if target == source:
            continue
        try:
            hops = registry.route(source, target)
        except MtsumError:
            continue
        if all(store.is_available(hop.entry) for hop in hops):
            ready.append(target)
    return ready


def _listed(names: list[str]) -> str:
    shown = names[:_NAMED_TARGETS]
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def _missing_direction(
    pipeline: Pipeline, source: str, target: str, error: ModelUnavailableError
) -> str:
    """The registry name (``fr-en``) of the model that failed, for the pull command."""
    if error.name:
        return error.name
    for hop in pipeline.registry.route(source, target):
        if hop.entry.reference == error.model:
            return hop.entry.name
    return error.model
