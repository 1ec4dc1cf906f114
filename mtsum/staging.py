"""What one text carries from stage to stage inside ``Pipeline``, and its final ``Result``.

Kept apart from ``pipeline.py`` so that the pipeline module holds the chain itself; both
``Pipeline.execute_stages`` (one text, stage by stage) and ``Pipeline.execute_many`` (many texts
with shared translation batches) build their results here, so the two cannot drift apart.
Every stage hands on a frozen dataclass, never a loose tuple.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .errors import InputError, ModelUnavailableError, UnsupportedLanguageError
from .progress import ProgressFn
from .registry import Hop, Registry
from .request import Request
from .results import Detection, Paragraph, Result, Stats, Summary, Translation, gather_warnings
from .summarize import Summarizer
from .translate import TranslationRun, Translator

__all__ = [
    "Identified",
    "Prepared",
    "Started",
    "assemble_result",
    "finished_translation",
    "last_of",
    "route",
    "summarize_route",
    "timed",
    "timed_stream",
    "translate_route",
]

T = TypeVar("T")


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
) -> Iterator[tuple[Started, Translation | ModelUnavailableError]]:
    """Translate the documents of one source language together: each one's ``Translation``, or
    the error of the route's model for all of them."""
    texts = [member.prepared.text for member in members]
    try:
        runs = translator.translate_documents(texts, language, target, members[0].hops, progress)
    except ModelUnavailableError as exc:
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


@contextmanager
def timed(seconds: dict[str, float], name: str) -> Iterator[None]:
    """Time the block into ``seconds[name]``, also when it raises."""
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds[name] = time.perf_counter() - start


def timed_stream(
    stream: Iterator[Paragraph | TranslationRun], seconds: dict[str, float], name: str
) -> Generator[Paragraph, None, TranslationRun]:
    """Pass on a document stream's paragraphs, adding only the time spent inside it to
    ``seconds[name]``; returns its final ``TranslationRun``. Closing this closes ``stream``."""
    try:
        while True:
            start = time.perf_counter()
            try:
                item = next(stream)
            finally:
                seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start
            if isinstance(item, TranslationRun):
                return item
            yield item
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()


def last_of(stages: Iterator[Any], kind: type[T]) -> T:
    """The last value of a pipeline stream, which must be a ``kind`` (its documented end)."""
    last: Any = None
    for last in stages:  # noqa: B007 - only the last one counts
        pass
    if not isinstance(last, kind):  # pragma: no cover - the streams always end so
        raise RuntimeError(f"the stream ended without a {kind.__name__}")
    return last


def summarize_route(
    work: tuple[Translator, Summarizer],
    language: str,
    members: list[Started],
    request: Request,
    progress: ProgressFn | None,
) -> Iterator[tuple[Started, Result | InputError | ModelUnavailableError]]:
    """Translate the documents of one source language together (``work``: the translator and
    the summariser), then summarise each: its ``Result`` or the error it alone raised."""
    translator, summarizer = work
    begin = time.perf_counter()
    try:
        runs = translator.translate_documents(
            [m.prepared.text for m in members],
            language,
            request.target,
            members[0].hops,
            progress,
        )
    except ModelUnavailableError as exc:
        yield from ((member, exc) for member in members)
        return
    elapsed = time.perf_counter() - begin
    sentences = sum(len(run.document.sentences) for run in runs)
    for member, shared in zip(members, runs, strict=True):
        share = len(shared.document.sentences) / sentences if sentences else 1 / len(runs)
        member.seconds["translate"] = elapsed * share
        run = shared if member.hops else shared.with_text(member.prepared.original)
        try:
            with timed(member.seconds, "summarize"):
                summary = summarizer.summarize(run, request.words, request.method, progress)
        except InputError as exc:  # this text's summary has no way back, say
            yield member, exc
            continue
        yield (
            member,
            assemble_result(member.prepared, member.identified, member.seconds, run, summary),
        )
