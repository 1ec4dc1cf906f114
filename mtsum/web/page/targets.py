"""The page's language lists, told truthfully: what a source reaches, and what is installed.

The target list follows the source: the languages the chosen source (or, with auto-detect, the
detected one) can be translated into; before any detection, every language some route writes.
A target whose route needs a model that is not on this machine yet is marked, so a visitor
knows before pressing the button that it will be slow (a download) or, offline, will give only
a summary in the text's own language (``mtsum.degrade``). Examples are offered only for pairs
that the registry can route.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...errors import MtsumError
from ...languages import language_name
from ...pipeline import Pipeline
from .examples import Example

__all__ = ["NEEDS_DOWNLOAD", "Availability", "runnable_examples", "target_choices", "target_value"]

NEEDS_DOWNLOAD = "needs a download"
_SAME_LANGUAGE = "no translation, summary only"
PREFERRED_TARGET = "en"


class Availability:
    """Which language pairs have every model of their route here, each asked once per list."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.known: dict[tuple[str, str], bool] = {}

    def installed(self, source: str, target: str) -> bool:
        if (source, target) not in self.known:
            self.known[source, target] = self.pipeline.installed(source, target)
        return self.known[source, target]


def target_choices(pipeline: Pipeline, source: str | None) -> list[tuple[str, str]]:
    """``(label, code)`` for every target of ``source`` (None: not known yet), sorted by name.

    A label ends with "needs a download" when no route to it has all its models here.
    """
    have = Availability(pipeline)
    languages = pipeline.languages()
    if source is None or source not in languages:
        targets = languages
        installed = {t for t in targets if any(have.installed(s, t) for s in languages if s != t)}
        same: str | None = None
    else:
        targets = [source, *pipeline.targets(source)]
        installed = {t for t in targets if have.installed(source, t)}
        same = source
    choices = []
    for code in sorted(targets, key=language_name):
        label = f"{language_name(code)} ({code})"
        if code == same:
            label += f" · {_SAME_LANGUAGE}"
        elif code not in installed:
            label += f" · {NEEDS_DOWNLOAD}"
        choices.append((label, code))
    return choices


def target_value(choices: Sequence[tuple[str, str]], current: Any) -> str | None:
    """The target to keep selected: the current one if still offered, else English, else the
    first installed one, else the first one."""
    codes = [code for _, code in choices]
    if current in codes:
        return str(current)
    if PREFERRED_TARGET in codes:
        return PREFERRED_TARGET
    ready = [code for label, code in choices if not label.endswith(NEEDS_DOWNLOAD)]
    offered = ready or codes
    return offered[0] if offered else None


def runnable_examples(pipeline: Pipeline, examples: Sequence[Example]) -> list[Example]:
    """The examples whose pair has a route; those whose models are all here come first, and
    only they are offered when any is (a fresh offline install still gets the routable ones,
    which give a detection and a summary)."""
    have = Availability(pipeline)
    routable = [e for e in examples if _routable(pipeline, e.language, e.target)]
    ready = [e for e in routable if have.installed(e.language, e.target)]
    return ready or routable


def _routable(pipeline: Pipeline, source: str, target: str) -> bool:
    try:
        pipeline.route(source, target)
    except MtsumError:
        return False
    return True
