"""``Pipeline``: detect -> route -> translate -> summarise -> Result, and nothing else.

Validation of the caller's values happens here, once, for every face (API, CLI, web, REST).
The stages do the work; this module decides the order, reuses what an earlier stage already
produced (the English of a pivot route feeds the English summariser) and turns a missing
summarisation model into an announced extractive fallback.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from .detect import LanguageDetector
from .errors import InputError, ModelUnavailableError, TextTooLongError, UnsupportedLanguageError
from .models import ModelStore
from .registry import Hop, ModelEntry, Registry
from .results import Detection, Result, Summary, Translation
from .settings import Settings
from .staging import Prepared, Started, assemble_result
from .summarize import Summarizer, default_words
from .text import clean_text, count_words, join_excerpts, split_paragraphs
from .translate import ProgressFn, TranslationRun, Translator

__all__ = ["METHODS", "Pipeline"]

log = logging.getLogger(__name__)

METHODS = ("abstractive", "extractive")
_MIXED_MIN_LETTERS = 80
_MIXED_MIN_PROBABILITY = 0.95
_MIXED_MAX_PARAGRAPHS = 50


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
        self.detector = LanguageDetector(
            self.settings.detect_threshold, self.settings.min_detect_letters
        )
        self.translator = Translator(self.store, self.settings)
        self.summarizer = Summarizer(self.store, self.settings)
        self._registry: Registry | None = None
        self._lock = threading.Lock()

    @property
    def registry(self) -> Registry:
        """The model registry, read on first use."""
        with self._lock:
            if self._registry is None:
                self._registry = Registry.load(self.settings.registry_file)
            return self._registry

    # ---- the four public operations -------------------------------------------------------

    def detect(self, text: str) -> Detection:
        """The language of ``text``, with candidates and a reliability flag."""
        prepared = self._prepare(text)
        detection = self.detector.detect(prepared.text)
        return _with_warnings(detection, prepared.warnings)

    def translate(
        self,
        text: str,
        target: str = "en",
        source: str | None = None,
        *,
        progress: ProgressFn | None = None,
    ) -> Translation:
        """``text`` in ``target``; the source language is detected unless given."""
        prepared = self._prepare(text)
        target = self.registry.check_language(target)
        detection, notes = self._detection(prepared, source)
        run = self._translate(prepared, detection, target, progress)
        warnings = [*prepared.warnings, *detection.warnings, *notes, *run.translation.warnings]
        return dataclasses.replace(run.translation, warnings=tuple(warnings))

    def summarize(
        self,
        text: str,
        words: int | None = None,
        method: str = "abstractive",
        *,
        progress: ProgressFn | None = None,
    ) -> Summary:
        """A summary of ``text`` in its own language."""
        prepared = self._prepare(text)
        words, method = self._check_words(words), self._check_method(method)
        detection, notes = self._detection(prepared, None)
        run = self.translator.translate_document(
            prepared.text, detection.language, detection.language, []
        )
        summary = self._summary(run, words, method, progress)
        warnings = [*prepared.warnings, *detection.warnings, *notes, *summary.warnings]
        return dataclasses.replace(summary, warnings=tuple(warnings))

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
        """Detect, translate into ``target`` and summarise in ``target``."""
        *_, result = self.run_stages(text, target, source, words, method, progress=progress)
        if not isinstance(result, Result):  # pragma: no cover - run_stages always ends so
            raise RuntimeError("run_stages ended without a Result")
        return result

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
        """``run``, one stage at a time, so a face can show each result as soon as it exists.

        Yields the ``Detection``, then the ``Translation``, then the final ``Result`` (the same
        one ``run`` returns). Every value is checked before the first yield, so bad input fails
        before any model work. Timings count only the work, not the time spent between yields.
        """
        prepared = self._prepare(text)
        target = self.registry.check_language(target)
        words, method = self._check_words(words), self._check_method(method)
        seconds: dict[str, float] = {}
        with _timed(seconds, "detect"):
            detection, notes = self._detection(prepared, source)
        yield detection
        with _timed(seconds, "translate"):
            run = self._translate(prepared, detection, target, progress)
        yield run.translation
        with _timed(seconds, "summarize"):
            summary = self._summary(run, words, method, progress)
        yield assemble_result(prepared, detection, notes, seconds, run, summary)

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
        """:meth:`run` for several texts, their sentences translated in shared batches.

        Each result equals what :meth:`run` gives for that text alone, except the timings:
        a document's ``translate`` seconds are its share (by sentences) of the shared work.

        Returns:
            Per text, in order, its ``Result``, or the ``InputError`` that it alone raised
            (empty, too long, no route for its language, ...), or the
            ``ModelUnavailableError`` of its route's model: one text, or one language whose
            model is missing, does not stop the others.

        Raises:
            InputError: ``target``, ``words`` or ``method`` is invalid (for every text alike).
        """
        target = self.registry.check_language(target)
        words, method = self._check_words(words), self._check_method(method)
        outcomes: list[Result | InputError | ModelUnavailableError | None] = [None] * len(texts)
        routes: dict[str, list[Started]] = {}
        for index, text in enumerate(texts):
            try:
                started = self._start(index, text, target, source)
            except InputError as exc:
                outcomes[index] = exc
                continue
            routes.setdefault(started.detection.language, []).append(started)
        for language, members in routes.items():
            begin = time.perf_counter()
            try:
                runs = self.translator.translate_documents(
                    [m.prepared.text for m in members], language, target, members[0].hops, progress
                )
            except ModelUnavailableError as exc:
                for member in members:
                    outcomes[member.index] = exc
                continue
            elapsed = time.perf_counter() - begin
            sentences = sum(len(run.document.sentences) for run in runs)
            for member, shared in zip(members, runs, strict=True):
                share = len(shared.document.sentences) / sentences if sentences else 1 / len(runs)
                member.seconds["translate"] = elapsed * share
                run = shared if member.hops else shared.with_text(member.prepared.original)
                try:
                    with _timed(member.seconds, "summarize"):
                        summary = self._summary(run, words, method, progress)
                except InputError as exc:  # this text's summary has no way back, say
                    outcomes[member.index] = exc
                    continue
                outcomes[member.index] = assemble_result(
                    member.prepared, member.detection, member.notes, member.seconds, run, summary
                )
        return [outcome for outcome in outcomes if outcome is not None]

    def translate_many(
        self,
        texts: Sequence[str],
        target: str = "en",
        source: str | None = None,
        *,
        progress: ProgressFn | None = None,
    ) -> list[Translation | InputError | ModelUnavailableError]:
        """:meth:`translate` for several texts: detected one by one, translated together.

        The texts of each source language share engine batches (a list of short strings costs
        about what one text of them costs); each result equals :meth:`translate` of that text.

        Returns:
            Per text, in order, its ``Translation``, or the ``InputError`` it alone raised, or
            the ``ModelUnavailableError`` of its route's model.

        Raises:
            InputError: ``target`` is invalid (for every text alike).
        """
        target = self.registry.check_language(target)
        outcomes: list[Translation | InputError | ModelUnavailableError | None] = [None] * len(
            texts
        )
        routes: dict[str, list[Started]] = {}
        for index, text in enumerate(texts):
            try:
                started = self._start(index, text, target, source)
            except InputError as exc:
                outcomes[index] = exc
                continue
            routes.setdefault(started.detection.language, []).append(started)
        for language, members in routes.items():
            try:
                runs = self.translator.translate_documents(
                    [m.prepared.text for m in members], language, target, members[0].hops, progress
                )
            except ModelUnavailableError as exc:
                for member in members:
                    outcomes[member.index] = exc
                continue
            for m, shared in zip(members, runs, strict=True):
                run = shared if m.hops else shared.with_text(m.prepared.original)
                notes = [*m.prepared.warnings, *m.detection.warnings, *m.notes]
                warnings = (*notes, *run.translation.warnings)
                outcomes[m.index] = dataclasses.replace(run.translation, warnings=warnings)
        return [outcome for outcome in outcomes if outcome is not None]

    def _start(self, index: int, text: str, target: str, source: str | None) -> Started:
        """A document validated, its language known and its route chosen."""
        prepared = self._prepare(text)
        seconds: dict[str, float] = {}
        with _timed(seconds, "detect"):
            detection, notes = self._detection(prepared, source)
        hops = self._route(detection, target)
        return Started(index, prepared, detection, notes, hops, seconds)

    # ---- validation -------------------------------------------------------------------------

    def _prepare(self, text: object) -> Prepared:
        if not isinstance(text, str):
            raise InputError(f"the text must be a string, got {type(text).__name__}")
        cleaned, removed = clean_text(text)
        if not cleaned.strip():
            raise InputError("the text is empty; give some text to work on")
        if len(cleaned) > self.settings.max_chars:
            raise TextTooLongError(len(cleaned), self.settings.max_chars)
        warnings = []
        if removed:
            warnings.append(f"removed {removed} control character(s) (such as NUL) from the text")
        return Prepared(text if not removed else cleaned, cleaned, tuple(warnings))

    def _check_words(self, words: object) -> int | None:
        if words is None:
            return None
        if isinstance(words, bool) or not isinstance(words, (int, float)):
            raise InputError(f"words must be a whole number, got {words!r}")
        if isinstance(words, float) and not words.is_integer():
            raise InputError(f"words must be a whole number, got {words!r}")
        value = int(words)
        if value == 0:
            return None
        limit = self.settings.max_summary_words
        if not 1 <= value <= limit:
            raise InputError(
                f"words must be between 1 and {limit} (0 for the default), got {value}"
            )
        return value

    def _check_method(self, method: object) -> str:
        cleaned = method.strip().lower() if isinstance(method, str) else method
        if cleaned not in METHODS:
            raise InputError(f"invalid method {method!r}, expected one of: {', '.join(METHODS)}")
        return str(cleaned)

    # ---- stages -----------------------------------------------------------------------------

    def _detection(self, prepared: Prepared, source: str | None) -> tuple[Detection, list[str]]:
        """The source language: the caller's (checked against the registry) or detected."""
        automatic = isinstance(source, str) and source.strip().lower() in ("", "auto")
        if source is not None and not automatic:
            language = self.registry.check_language(source)
            # Even a given source needs words to translate; the detector's check says so clearly.
            if not any(ch.isalpha() for ch in prepared.text):
                self.detector.detect(prepared.text)
            return Detection(language, 1.0, True), []
        detection = self.detector.detect(prepared.text)
        return detection, self._mixed_languages(prepared.text, detection.language)

    def _mixed_languages(self, text: str, language: str) -> list[str]:
        """Warnings for paragraphs that are clearly in another language than the whole text."""
        paragraphs = split_paragraphs(text)
        if len(paragraphs) < 2:
            return []
        others = []
        for number, paragraph in enumerate(paragraphs[:_MIXED_MAX_PARAGRAPHS], start=1):
            if sum(ch.isalpha() for ch in paragraph) < _MIXED_MIN_LETTERS:
                continue
            found = self.detector.detect(paragraph)
            if found.language != language and found.probability >= _MIXED_MIN_PROBABILITY:
                others.append(f"{number} ({found.language})")
        if not others:
            return []
        return [
            f"paragraph(s) {', '.join(others)} seem to be in another language than the text "
            f"({language}); they were translated as {language}"
        ]

    def _translate(
        self, prepared: Prepared, detection: Detection, target: str, progress: ProgressFn | None
    ) -> TranslationRun:
        hops = self._route(detection, target)
        run = self.translator.translate_document(
            prepared.text, detection.language, target, hops, progress
        )
        return run if hops else run.with_text(prepared.original)

    def _route(self, detection: Detection, target: str) -> list[Hop]:
        try:
            return self.registry.route(detection.language, target)
        except UnsupportedLanguageError as exc:
            hint = (
                "" if detection.given else " (detected; set the source language if that is wrong)"
            )
            raise UnsupportedLanguageError(
                f"the source language {detection.language!r}{hint} cannot be translated to "
                f"{target!r}: {exc}",
                exc.supported,
            ) from None

    def _summary(
        self, run: TranslationRun, words: int | None, method: str, progress: ProgressFn | None
    ) -> Summary:
        words = words or default_words(count_words(" ".join(run.document.sentences)))
        if method == "extractive":
            return self._extractive(run, words, [])
        try:
            return self._abstractive(run, words, progress)
        except ModelUnavailableError as exc:
            log.warning("abstractive summary unavailable, falling back to extractive: %s", exc)
            return self._extractive(
                run,
                words,
                [f"abstractive summary unavailable ({exc}); used the extractive method instead"],
            )

    def _extractive(self, run: TranslationRun, words: int, warnings: list[str]) -> Summary:
        target = run.translation.target
        from .extractive import extractive_indices  # numpy, only when asked for

        chosen, notes = extractive_indices(run.document.sentences, words, run.translation.source)
        output = run.sentences[target]
        text = join_excerpts([output[i] for i in chosen], target)
        return Summary(text, target, "extractive", count_words(text), 1, (*warnings, *notes))

    def _abstractive(self, run: TranslationRun, words: int, progress: ProgressFn | None) -> Summary:
        source, target = run.translation.source, run.translation.target
        language, entry = self._summary_language(run)
        warnings: list[str] = []
        sentences = run.sentences.get(language)
        if sentences is None:
            # The text has not passed through this language yet: translate it there once.
            hops = self.registry.route(source, language)
            by_language, extra = self.translator.translate_sentences(
                run.document.sentences, source, hops, progress
            )
            sentences = by_language[language]
            warnings.extend(f"summary input: {w}" for w in extra)
        text, chunks, notes = self.summarizer.abstractive(
            entry, sentences, language, words, progress
        )
        warnings.extend(notes)
        if language != target:
            hops = self.registry.route(language, target)
            translated = self.translator.translate_document(text, language, target, hops, progress)
            text = translated.translation.text
            warnings.extend(f"summary translation: {w}" for w in translated.translation.warnings)
        return Summary(text, target, "abstractive", count_words(text), chunks, tuple(warnings))

    def _summary_language(self, run: TranslationRun) -> tuple[str, ModelEntry]:
        """Where to summarise: the target if it has a model, else a language the text already
        passed through, else any language with a model that the source can be routed to."""
        registry = self.registry
        target = run.translation.target
        preferred = [target, *[lang for lang in run.sentences if lang != target]]
        for language in preferred:
            entry = registry.summarizer(language)
            if entry is not None:
                return language, entry
        source = run.translation.source
        for language, entry in sorted(registry.summarization.items()):
            if registry.can_route(source, language) and registry.can_route(language, target):
                return language, entry
        raise ModelUnavailableError(
            "(none)", f"the registry has no summarization model usable for {target!r}"
        )


@contextmanager
def _timed(seconds: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds[name] = time.perf_counter() - start


def _with_warnings(detection: Detection, extra: tuple[str, ...]) -> Detection:
    if not extra:
        return detection
    return Detection(
        detection.language,
        detection.probability,
        detection.reliable,
        detection.candidates,
        (*extra, *detection.warnings),
    )
