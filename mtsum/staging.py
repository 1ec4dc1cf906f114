"""What one text carries from stage to stage inside ``Pipeline``, and its final ``Result``.

Kept apart from ``pipeline.py`` so that the pipeline module holds the chain itself; both
``Pipeline.execute_stages`` (one text, stage by stage) and ``Pipeline.execute_many`` (many texts
with shared translation batches) build their results here, so the two cannot drift apart.
Every stage hands on a frozen dataclass, never a loose tuple.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .errors import InputError, ModelUnavailableError, UnsupportedLanguageError
from .progress import ProgressFn
from .registry import Hop, Registry
from .request import Request
from .results import Detection, Result, Stats, Summary, Translation, gather_warnings
from .terms import GlossaryStore, TermSet, resolve_glossary
from .text import joiner_for
from .translate import TranslationRun, Translator

__all__ = [
    "Identified",
    "Prepared",
    "Started",
    "assemble_result",
    "finished_translation",
    "route",
    "term_set",
    "timed",
    "translate_route",
]


@dataclass(frozen=True)
class Prepared:
    """Validated input: the caller's text, the cleaned text we work on, and notes about it."""

    original: str
    text: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Identified:
    """The detection stage's output.

    Attributes:
        detection: the public ``Detection`` (given or detected).
        notes: what the detection found about the text beyond its language (paragraphs in
            another language), for the result's warnings.
    """

    detection: Detection
    notes: tuple[str, ...] = ()


@dataclass
class Started:
    """A document of ``Pipeline.execute_many`` (or ``execute_translate_many``) between detection
    and translation."""

    index: int
    prepared: Prepared
    identified: Identified
    hops: list[Hop]
    seconds: dict[str, float] = field(default_factory=dict)


def assemble_result(
    prepared: Prepared,
    identified: Identified,
    seconds: dict[str, float],
    run: TranslationRun,
    summary: Summary,
) -> Result:
    """The ``Result`` of one text, its warnings gathered from every stage in order."""
    stats = Stats(
        characters=len(prepared.text),
        paragraphs=len(run.document.paragraphs),
        sentences=len(run.document.sentences),
        chunks=summary.chunks,
        seconds=seconds,
    )
    warnings = gather_warnings(
        prepared.warnings,
        identified.detection.warnings,
        identified.notes,
        run.translation.warnings,
        summary.warnings,
    )
    return Result(identified.detection, run.translation, summary, stats, warnings)


def finished_translation(
    prepared: Prepared, identified: Identified, run: TranslationRun
) -> Translation:
    """The ``Translation`` of one text, its warnings gathered from the stages in order."""
    warnings = gather_warnings(
        prepared.warnings, identified.detection.warnings, identified.notes, run.translation.warnings
    )
    return dataclasses.replace(run.translation, warnings=warnings)


def translate_route(
    translator: Translator,
    language: str,
    members: list[Started],
    target: str,
    progress: ProgressFn | None,
    terms: Callable[[str], TermSet] | None = None,
) -> Iterator[tuple[Started, Translation | InputError | ModelUnavailableError]]:
    """Translate the documents of one source language together: each one's ``Translation``, or
    the error of the route's model (or glossary) for all of them.

    ``terms`` gives the terms to protect for a source language (see :mod:`mtsum.terms`).
    """
    texts = [member.prepared.text for member in members]
    hops = members[0].hops
    try:
        protect = terms(language) if terms is not None and hops else None
        runs = translator.translate_documents(
            texts, language, target, hops, progress, terms=protect
        )
    except (InputError, ModelUnavailableError) as exc:
        yield from ((member, exc) for member in members)
        return
    for member, shared in zip(members, runs, strict=True):
        run = shared if member.hops else shared.with_text(member.prepared.original)
        yield member, finished_translation(member.prepared, member.identified, run)


def route(registry: Registry, detection: Detection, target: str) -> list[Hop]:
    """The hops from ``detection``'s language to ``target``; a detected source says so.

    Raises:
        UnsupportedLanguageError: no route; the message says whether the source was detected.
    """
    try:
        return registry.route(detection.language, target)
    except UnsupportedLanguageError as exc:
        hint = "" if detection.given else " (detected; set the source language if that is wrong)"
        raise UnsupportedLanguageError(
            f"the source language {detection.language!r}{hint} cannot be translated to "
            f"{target!r}: {exc.reason}",
            exc.supported,
            exc.reason,
        ) from None


def term_set(request: Request, source: str, store: GlossaryStore) -> TermSet:
    """What a translation of a normalised ``request`` from ``source`` protects: its glossary
    (an operator glossary read for this pair), its kept terms, and the automatic spans.

    Raises:
        InputError: the request names an operator glossary that has no ``source`` version.
    """
    target = request.target
    glossary = resolve_glossary(request.glossary, request.keep, store, source, target)
    return TermSet(glossary, joiner_for(source) == " ", joiner_for(target) == " ")


@contextmanager
def timed(seconds: dict[str, float], name: str) -> Iterator[None]:
    """Time the block into ``seconds[name]``, also when it raises."""
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds[name] = time.perf_counter() - start
