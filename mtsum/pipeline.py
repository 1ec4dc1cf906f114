"""``Pipeline``: detect -> route -> translate -> summarise -> Result, and nothing else.

The caller's ``Request`` is normalised here, once, for every face (API, CLI, web, REST, batch);
the text is checked here too (type, emptiness, the character limit). The stages do the work:
``detect`` (language, mixed-language paragraphs), ``registry`` (the route), ``translate`` and
``summarize`` (the whole summary stage, fallback included). This module only decides their
order, times them, and gathers their warnings into the ``Result``. One text always runs as
``stream`` (each paragraph handed on when done); ``execute`` is ``stream`` run to the end.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Generator, Iterator, Sequence

from .detect import LanguageDetector, mixed_language_warnings
from .errors import InputError, ModelUnavailableError, TextTooLongError
from .models import ModelStore
from .progress import ProgressFn
from .registry import Registry
from .request import Request
from .results import Detection, Paragraph, Result, Summary, Translation, gather_warnings
from .settings import Settings
from .staging import (
    Identified,
    Prepared,
    Started,
    assemble_result,
    finished_translation,
    last_of,
    route,
    summarize_route,
    timed,
    timed_stream,
    translate_route,
)
from .summarize import Summarizer
from .text import clean_text
from .translate import TranslationRun, Translator

__all__ = ["Pipeline"]

log = logging.getLogger(__name__)

Outcome = Result | InputError | ModelUnavailableError
"""What :meth:`Pipeline.execute_many` gives per text: its result, or the error it alone raised."""
TranslateOutcome = Translation | InputError | ModelUnavailableError
"""What :meth:`Pipeline.execute_translate_many` gives per text."""


class Pipeline:
    """The whole chain with its models. Thread-safe: one instance can serve many requests.

    Args:
        settings: configuration; ``Settings.from_env()`` when omitted.
        store: the model store; one is made from ``settings`` when omitted.
    """

    def __init__(
        self, settings: Settings | None = None, *, store: ModelStore | None = None
    ) -> None:
        self.settings = settings if settings is not None else Settings.from_env()
        self.store = store if store is not None else ModelStore(self.settings)
        # The detector answers the languages this pipeline's registry routes, read on first
        # detection (the registry itself is read lazily).
        self.detector = LanguageDetector(
            self.settings.detect_threshold,
            self.settings.min_detect_letters,
            languages=lambda: self.registry.languages(),  # noqa: PLW0108 (read on use)
        )
        self.translator = Translator(self.store, self.settings, self.detector.detect)
        self.summarizer = Summarizer(
            self.store, self.settings, self.translator, lambda: self.registry
        )
        self._registry: Registry | None = None
        self._lock = threading.Lock()

    @property
    def registry(self) -> Registry:
        """The model registry, read on first use."""
        with self._lock:
            if self._registry is None:
                self._registry = Registry.load(self.settings.registry_file)
            return self._registry

    # ---- the Request-taking entry points (every face calls these) ---------------------------

    def normalize(self, request: Request, *, languages: bool = True) -> Request:
        """``request`` checked and cleaned, once, for every face (see :mod:`mtsum.request`).

        Args:
            languages: False leaves ``target`` and ``source`` unchecked (a summary in the
                text's own language reads neither).

        Raises:
            InputError: a value is invalid; the message names the valid choices.
        """
        check = self.registry.check_language if languages else None
        return request.normalized(check, self.settings.max_summary_words)

    def execute(self, text: str, request: Request, *, progress: ProgressFn | None = None) -> Result:
        """Detect, translate into ``request.target`` and summarise there (:meth:`stream`)."""
        return last_of(self.stream(text, request, progress=progress), Result)

    def execute_translate(
        self, text: str, request: Request, *, progress: ProgressFn | None = None
    ) -> Translation:
        """``text`` in ``request.target``; the source is detected unless ``request.source``."""
        return last_of(self.stream_translate(text, request, progress=progress), Translation)

    def stream(
        self,
        text: str,
        request: Request,
        *,
        progress: ProgressFn | None = None,
        translation: bool = False,
    ) -> Iterator[Detection | Paragraph | Translation | Summary | Result]:
        """:meth:`execute`, yielding as it goes: the ``Detection``, each ``Paragraph`` of the
        translation in order as soon as it and those before it are done, the ``Summary``, and
        last the ``Result`` that :meth:`execute` returns.

        Bad input fails before any model work; closing the generator stops the work before
        the engine's next batch. Timings count the work, not the time between yields.

        Args:
            translation: also yield the ``Translation`` after the last paragraph (for a face
                that shows its route or writes a document from it).
        """
        prepared = self._prepare(text)
        request = self.normalize(request)
        seconds: dict[str, float] = {}
        with timed(seconds, "detect"):
            identified = self._identify(prepared, request.source)
        yield identified.detection
        run = yield from self._stream_translation(
            prepared, identified, request.target, seconds, progress
        )
        if translation:
            yield run.translation
        with timed(seconds, "summarize"):
            summary = self.summarizer.summarize(run, request.words, request.method, progress)
        yield summary
        yield assemble_result(prepared, identified, seconds, run, summary)

    def stream_translate(
        self, text: str, request: Request, *, progress: ProgressFn | None = None
    ) -> Iterator[Detection | Paragraph | Translation]:
        """:meth:`execute_translate`, yielding as it goes: the ``Detection``, each ``Paragraph``
        as in :meth:`stream`, then the ``Translation`` that :meth:`execute_translate` returns."""
        prepared = self._prepare(text)
        request = self.normalize(request)
        identified = self._identify(prepared, request.source)
        yield identified.detection
        run = yield from self._stream_translation(
            prepared, identified, request.target, {}, progress
        )
        yield finished_translation(prepared, identified, run)

    def execute_translate_many(
        self, texts: Sequence[str], request: Request, *, progress: ProgressFn | None = None
    ) -> list[TranslateOutcome]:
        """:meth:`execute_translate` for several texts: detected one by one, translated together.

        The texts of each source language share engine batches (a list of short strings costs
        about what one text of them costs); each result equals :meth:`execute_translate` of
        that text alone.

        Returns:
            Per text, in order, its ``Translation``, or the ``InputError`` it alone raised, or
            the ``ModelUnavailableError`` of its route's model.

        Raises:
            InputError: a value of ``request`` is invalid (for every text alike).
        """
        request = self.normalize(request)
        failed, routes = self._start_all(texts, request)
        outcomes: dict[int, TranslateOutcome] = dict(failed)
        for language, members in routes.items():
            for member, outcome in translate_route(
                self.translator, language, members, request.target, progress
            ):
                outcomes[member.index] = outcome
        return [outcomes[index] for index in range(len(texts))]

    def execute_summarize(
        self, text: str, request: Request, *, progress: ProgressFn | None = None
    ) -> Summary:
        """A summary of ``text`` in its own (detected) language; target and source unused."""
        prepared = self._prepare(text)
        request = self.normalize(request, languages=False)
        identified = self._identify(prepared, None)
        language = identified.detection.language
        run = self.translator.translate_document(prepared.text, language, language, [])
        summary = self.summarizer.summarize(run, request.words, request.method, progress)
        warnings = gather_warnings(
            prepared.warnings, identified.detection.warnings, identified.notes, summary.warnings
        )
        return dataclasses.replace(summary, warnings=warnings)

    def execute_stages(
        self, text: str, request: Request, *, progress: ProgressFn | None = None
    ) -> Iterator[Detection | Translation | Result]:
        """:meth:`stream` without paragraphs and summary: Detection, Translation, Result."""
        for stage in self.stream(text, request, progress=progress, translation=True):
            if isinstance(stage, Detection | Translation | Result):
                yield stage

    def execute_many(
        self, texts: Sequence[str], request: Request, *, progress: ProgressFn | None = None
    ) -> list[Outcome]:
        """:meth:`execute` for several texts, their sentences translated in shared batches.

        Each result equals what :meth:`execute` gives for that text alone, except the timings:
        a document's ``translate`` seconds are its share (by sentences) of the shared work.

        Returns:
            Per text, in order, its ``Result``, or the ``InputError`` that it alone raised
            (empty, too long, no route for its language, ...), or the
            ``ModelUnavailableError`` of its route's model: one text, or one language whose
            model is missing, does not stop the others.

        Raises:
            InputError: a value of ``request`` is invalid (for every text alike).
        """
        request = self.normalize(request)
        failed, routes = self._start_all(texts, request)
        outcomes: dict[int, Outcome] = dict(failed)
        for language, members in routes.items():
            work = (self.translator, self.summarizer)
            for member, outcome in summarize_route(work, language, members, request, progress):
                outcomes[member.index] = outcome
        return [outcomes[index] for index in range(len(texts))]

    # ---- keyword conveniences (the public API of the contract), each builds one Request ----

    def detect(self, text: str) -> Detection:
        """The language of ``text``, with candidates and a reliability flag."""
        prepared = self._prepare(text)
        detection = self.detector.detect(prepared.text)
        warnings = gather_warnings(prepared.warnings, detection.warnings)
        return dataclasses.replace(detection, warnings=warnings)

    def translate(
        self,
        text: str,
        target: str = "en",
        source: str | None = None,
        *,
        progress: ProgressFn | None = None,
    ) -> Translation:
        """``text`` in ``target``; the source language is detected unless given."""
        request = Request(target=target, source=source)
        return self.execute_translate(text, request, progress=progress)

    def summarize(
        self,
        text: str,
        words: int | None = None,
        method: str = "abstractive",
        *,
        progress: ProgressFn | None = None,
    ) -> Summary:
        """A summary of ``text`` in its own language."""
        request = Request(words=words, method=method)
        return self.execute_summarize(text, request, progress=progress)

    def run(
        self,
        text: str,
        target: str = "en",
        source: str | None = None,
        words: int | None = None,
        method: str = "abstractive",
        *,
        progress: ProgressFn | None = None,
    ) -> Result:
        """Detect, translate into ``target`` and summarise in ``target``. See :meth:`execute`."""
        request = Request(target=target, source=source, words=words, method=method)
        return self.execute(text, request, progress=progress)

    def run_stages(
        self,
        text: str,
        target: str = "en",
        source: str | None = None,
        words: int | None = None,
        method: str = "abstractive",
        *,
        progress: ProgressFn | None = None,
    ) -> Iterator[Detection | Translation | Result]:
        """``run``, one stage at a time. See :meth:`execute_stages`."""
        request = Request(target=target, source=source, words=words, method=method)
        return self.execute_stages(text, request, progress=progress)

    def run_many(
        self,
        texts: Sequence[str],
        target: str = "en",
        source: str | None = None,
        words: int | None = None,
        method: str = "abstractive",
        *,
        progress: ProgressFn | None = None,
    ) -> list[Result | InputError | ModelUnavailableError]:
        """:meth:`run` for several texts in shared batches. See :meth:`execute_many`."""
        request = Request(target=target, source=source, words=words, method=method)
        return self.execute_many(texts, request, progress=progress)

    def translate_many(
        self,
        texts: Sequence[str],
        target: str = "en",
        source: str | None = None,
        *,
        progress: ProgressFn | None = None,
    ) -> list[TranslateOutcome]:
        """:meth:`translate` for several texts, batched. See :meth:`execute_translate_many`."""
        request = Request(target=target, source=source)
        return self.execute_translate_many(texts, request, progress=progress)

    def _start_all(
        self, texts: Sequence[str], request: Request
    ) -> tuple[dict[int, InputError], dict[str, list[Started]]]:
        """Every text started, grouped by source language; the errors of those that failed."""
        failed: dict[int, InputError] = {}
        routes: dict[str, list[Started]] = {}
        for index, text in enumerate(texts):
            try:
                started = self._start(index, text, request.target, request.source)
            except InputError as exc:
                failed[index] = exc
                continue
            routes.setdefault(started.identified.detection.language, []).append(started)
        return failed, routes

    def _start(self, index: int, text: str, target: str, source: str | None) -> Started:
        """A document validated, its language known and its route chosen."""
        prepared = self._prepare(text)
        seconds: dict[str, float] = {}
        with timed(seconds, "detect"):
            identified = self._identify(prepared, source)
        hops = route(self.registry, identified.detection, target)
        return Started(index, prepared, identified, hops, seconds)

    # ---- validation -------------------------------------------------------------------------

    def refuse_oversized(self, characters: int) -> None:
        """Raise ``TextTooLongError`` for more than ``MTSUM_MAX_CHARS`` characters.

        The one place the limit is checked: the pipeline's own input, an upload's text (the
        page) and the sum of a REST batch (``q`` as a list) all come here.
        """
        if characters > self.settings.max_chars:
            raise TextTooLongError(characters, self.settings.max_chars)

    def _prepare(self, text: object) -> Prepared:
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

    # ---- stages -----------------------------------------------------------------------------

    def _identify(self, prepared: Prepared, source: str | None) -> Identified:
        """The source language: the caller's (already normalised) or detected."""
        if source is not None:
            language = source  # checked by normalize
            # Even a given source needs words to translate; the detector's check says so clearly.
            if not any(ch.isalpha() for ch in prepared.text):
                self.detector.detect(prepared.text)
            return Identified(Detection(language, 1.0, True))
        detection = self.detector.detect(prepared.text)
        notes = mixed_language_warnings(self.detector, prepared.text, detection.language)
        return Identified(detection, tuple(notes))

    def _stream_translation(
        self,
        prepared: Prepared,
        identified: Identified,
        target: str,
        seconds: dict[str, float],
        progress: ProgressFn | None,
    ) -> Generator[Paragraph, None, TranslationRun]:
        """The translation's paragraphs as they are done; returns the whole run."""
        with timed(seconds, "translate"):
            hops = route(self.registry, identified.detection, target)
        stream = self.translator.stream_document(
            prepared.text, identified.detection.language, target, hops, progress
        )
        run = yield from timed_stream(stream, seconds, "translate")
        return run if hops else run.with_text(prepared.original)
