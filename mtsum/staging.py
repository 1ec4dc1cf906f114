"""The chain's working parts: what one text carries from stage to stage, and the one path that
takes the texts of a source language through translation (and summary) to their results.

``Pipeline`` (the public API) decides only what to run; the work is here, written once: one
text is a group of one, so ``Pipeline.translate(text)``, ``Pipeline.translate([...])``,
``Pipeline.run`` and ``Pipeline.stages`` all finish their texts in :meth:`Chain.finish_route`,
and "no route hops: the translation is the caller's own text" is said there alone. Every stage
hands on a frozen dataclass, never a loose tuple; every stage reads the ``Request`` itself, so
a new request option reaches its stage without new parameters in between.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from .detect import LanguageDetector, mixed_language_warnings
from .errors import InputError, ModelUnavailableError, TextTooLongError, UnsupportedLanguageError
from .progress import ProgressFn
from .registry import Hop, Registry
from .request import Request
from .results import Detection, Paragraph, Result, Stats, Summary, Translation, gather_warnings
from .summarize import Summarizer
from .terms import GlossaryStore, TermSet, resolve_glossary
from .text import clean_text, joiner_for
from .translate import TranslationRun, Translator

__all__ = ["Chain", "Failure", "Prepared", "Started", "timed", "timed_stream"]

Failure = InputError | ModelUnavailableError
"""What one text of a list can fail with, without stopping the others."""


@dataclass(frozen=True)
class Prepared:
    """Validated input: the caller's text, the cleaned text we work on, and notes about it."""

    original: str
    text: str
    warnings: tuple[str, ...] = ()


@dataclass
class Started:
    """One text between detection and translation.

    Attributes:
        index: its place in the caller's list (0 for a single text).
        prepared: the validated text.
        detection: the public ``Detection`` (given or detected).
        notes: what detection found beyond the language (paragraphs in another language).
        seconds: the time each stage took for this text, filled as they run.
    """

    index: int
    prepared: Prepared
    detection: Detection
    notes: tuple[str, ...] = ()
    seconds: dict[str, float] = field(default_factory=dict)

    def translation(self, run: TranslationRun) -> Translation:
        """The text's ``Translation``, its warnings gathered from the stages in order."""
        warnings = gather_warnings(
            self.prepared.warnings, self.detection.warnings, self.notes, run.translation.warnings
        )
        return dataclasses.replace(run.translation, warnings=warnings)

    def result(self, run: TranslationRun, summary: Summary) -> Result:
        """The text's ``Result``, its warnings gathered from every stage in order."""
        stats = Stats(
            characters=len(self.prepared.text),
            paragraphs=len(run.parts.paragraphs),
            sentences=len(run.parts.sentences),
            chunks=summary.chunks,
            seconds=self.seconds,
        )
        warnings = gather_warnings(
            self.prepared.warnings,
            self.detection.warnings,
            self.notes,
            run.translation.warnings,
            summary.warnings,
        )
        return Result(
            detection=self.detection,
            translation=run.translation,
            summary=summary,
            stats=stats,
            warnings=warnings,
        )


class Chain:
    """The stages bound together: prepare, identify, route, translate, summarise.

    Args:
        detector: the language detector.
        translator: the translation stage.
        summarizer: the summary stage.
        registry: the model registry, asked for when first needed (it is read lazily).
        max_chars: the character limit of one request.
        glossaries: the operator's named glossaries (a request may name one by id).
    """

    def __init__(
        self,
        detector: LanguageDetector,
        translator: Translator,
        summarizer: Summarizer,
        registry: Callable[[], Registry],
        max_chars: int,
        glossaries: GlossaryStore | None = None,
    ) -> None:
        self.glossaries = glossaries
        self.detector = detector
        self.translator = translator
        self.summarizer = summarizer
        self.registry = registry
        self.max_chars = max_chars

    def refuse_oversized(self, characters: int) -> None:
        """Raise ``TextTooLongError`` for more than the character limit."""
        if characters > self.max_chars:
            raise TextTooLongError(characters, self.max_chars)

    def prepare(self, text: object) -> Prepared:
        """``text`` checked (a string, not empty, not too long), control characters removed."""
        if not isinstance(text, str):
            raise InputError(f"the text must be a string, got {type(text).__name__}")
        cleaned, removed = clean_text(text)
        if not cleaned.strip():
            raise InputError("the text is empty; give some text to work on")
        self.refuse_oversized(len(cleaned))
        warnings = []
        if removed:
            warnings.append(f"removed {removed} control character(s) (such as NUL) from the text")
        return Prepared(text if not removed else cleaned, cleaned, tuple(warnings))

    def start(self, index: int, text: str, request: Request) -> Started:
        """One text validated and its language known (the request's, or detected)."""
        prepared = self.prepare(text)
        seconds: dict[str, float] = {}
        with timed(seconds, "detect"):
            detection, notes = self._identify(prepared, request.source)
        return Started(index, prepared, detection, notes, seconds)

    def start_all(
        self, texts: Sequence[str], request: Request
    ) -> tuple[dict[int, Failure], dict[str, list[Started]]]:
        """Every text started, grouped by source language; the errors of those that failed."""
        failed: dict[int, Failure] = {}
        routes: dict[str, list[Started]] = {}
        for index, text in enumerate(texts):
            try:
                started = self.start(index, text, request)
            except InputError as exc:
                failed[index] = exc
                continue
            routes.setdefault(started.detection.language, []).append(started)
        return failed, routes

    def finish_route(
        self, members: list[Started], request: Request, progress: ProgressFn | None
    ) -> Iterator[tuple[Started, TranslationRun | Failure]]:
        """Translate the texts of one source language together: each one's run, or the error
        of the route (no route, or its model unavailable) for all of them.

        A text's ``translate`` seconds are its share (by sentences) of the shared work.
        """
        begin = time.perf_counter()
        try:
            hops = route(self.registry(), members[0].detection, request)
            language = members[0].detection.language
            runs = self.translator.translate_texts(
                [member.prepared.text for member in members],
                language,
                request.target,
                hops,
                progress,
                profile=request.profile,
                terms=self.terms(request, language) if hops else None,
            )
        except (InputError, ModelUnavailableError) as exc:
            yield from ((member, exc) for member in members)
            return
        elapsed = time.perf_counter() - begin
        sentences = sum(len(run.parts.sentences) for run in runs)
        for member, run in zip(members, runs, strict=True):
            share = len(run.parts.sentences) / sentences if sentences else 1 / len(runs)
            member.seconds["translate"] = elapsed * share
            # No hops: nothing was translated, and the translation is the caller's own text.
            yield member, run if hops else run.with_text(member.prepared.original)

    def stream_route(
        self, member: Started, request: Request, progress: ProgressFn | None
    ) -> Generator[Paragraph, None, TranslationRun]:
        """One text translated paragraph by paragraph, each yielded as soon as it is done;
        returns its run. Only the work counts in its ``translate`` seconds."""
        with timed(member.seconds, "translate"):
            hops = route(self.registry(), member.detection, request)
        language = member.detection.language
        stream = self.translator.stream_text(
            *(member.prepared.text, language, request.target, hops, progress),
            profile=request.profile,
            terms=self.terms(request, language) if hops else None,
        )
        run = yield from timed_stream(stream, member.seconds, "translate")
        # No hops: nothing was translated, and the translation is the caller's own text.
        return run if hops else run.with_text(member.prepared.original)

    def terms(self, request: Request, source: str) -> TermSet:
        """What a translation of ``request`` from ``source`` protects: its glossary (an operator
        glossary read for this pair), its kept terms, and the automatic spans.

        Raises:
            InputError: the request names an operator glossary that has no ``source`` version.
        """
        target = request.target
        glossary = resolve_glossary(request.glossary, request.keep, self.glossaries, source, target)
        return TermSet(glossary, joiner_for(source) == " ", joiner_for(target) == " ")

    def summarize(
        self, member: Started, run: TranslationRun, request: Request, progress: ProgressFn | None
    ) -> Result:
        """``member``'s summary, timed, and its ``Result``."""
        with timed(member.seconds, "summarize"):
            summary = self.summarizer.summarize(run, request, progress)
        return member.result(run, summary)

    def _identify(
        self, prepared: Prepared, source: str | None
    ) -> tuple[Detection, tuple[str, ...]]:
        """The source language: the caller's (already normalised) or detected, and notes."""
        if source is not None:
            # Even a given source needs words to translate; the detector's check says so clearly.
            if not any(ch.isalpha() for ch in prepared.text):
                self.detector.detect(prepared.text)
            return Detection(language=source, probability=1.0, reliable=True), ()
        detection = self.detector.detect(prepared.text)
        notes = mixed_language_warnings(self.detector, prepared.text, detection.language)
        return detection, tuple(notes)


def route(registry: Registry, detection: Detection, request: Request) -> list[Hop]:
    """The hops from ``detection``'s language to ``request.target`` with the models of
    ``request.profile`` (the registry's default profile when None); a detected source says so.

    Raises:
        UnsupportedLanguageError: no route; the message says whether the source was detected.
    """
    try:
        if request.profile is None:
            return registry.route(detection.language, request.target)
        return registry.route(detection.language, request.target, request.profile)
    except UnsupportedLanguageError as exc:
        hint = "" if detection.given else " (detected; set the source language if that is wrong)"
        raise UnsupportedLanguageError(
            f"the source language {detection.language!r}{hint} cannot be translated to "
            f"{request.target!r}: {exc.reason}",
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
