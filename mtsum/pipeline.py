"""``Pipeline``: the one public way in. Detect -> route -> translate -> summarise -> Result.

Every operation is one keyword method that builds the ``Request`` itself and also accepts one
(``request=``), as faster-whisper's ``transcribe()`` and transformers' pipelines do: a keyword
given overrides that field of ``request``. ``translate`` and ``run`` take a string or a list of
strings (a list shares engine batches; each text's outcome equals what it gets alone). The
request is normalised here, once, for every face; the chain's work (``staging.Chain``) is done
below. What a face needs to know of the models (languages, targets, model status, preloading)
is a method too (``pipeline_models.py``, mixed in), so that no face reads the registry or the
model store; so is streaming (``pipeline_stream.py``).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Iterator, Sequence
from typing import TypeVar, overload

from .articles import Article, ArticleReader
from .degrade import Degraded, degraded, missing_direction
from .detect import LanguageDetector
from .errors import InputError, ModelUnavailableError
from .models import ModelStore
from .pipeline_models import ModelQueries
from .pipeline_stream import StreamingMixin, last_of
from .progress import ProgressFn
from .registry import Registry
from .request import Request, with_options
from .results import Detection, Result, Summary, Translation, gather_warnings
from .settings import Settings
from .staging import Chain, Failure, Started
from .summarize import Summarizer
from .terms import GLOSSARY_DIR, GlossaryStore
from .translate import TranslationRun, Translator

__all__ = ["Outcome", "Pipeline", "Stage", "TranslateOutcome"]

log = logging.getLogger(__name__)
_T = TypeVar("_T")

Outcome = Result | Failure
"""What :meth:`Pipeline.run` gives per text of a list: its result, or the error it alone raised."""
TranslateOutcome = Translation | Failure
"""What :meth:`Pipeline.translate` gives per text of a list."""
Stage = Detection | Translation | Result | Degraded
"""What :meth:`Pipeline.stages` yields."""


class Pipeline(StreamingMixin, ModelQueries):
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
            resident=self.settings.detect_models or None,
        )
        self.translator = Translator(self.store, self.settings, self.detector.detect)
        self.summarizer = Summarizer(
            self.store, self.settings, self.translator, lambda: self.registry
        )
        # The operator's named glossaries, read when used (a request may name one by id).
        self._glossaries = GlossaryStore(self.settings.store_dir / GLOSSARY_DIR)
        self._chain = Chain(
            self.detector,
            self.translator,
            self.summarizer,
            lambda: self.registry,
            self.settings.max_chars,
            self._glossaries,
        )
        self._registry: Registry | None = None
        self._lock = threading.Lock()
        self.articles = ArticleReader(self.settings)  # links to articles (fetch_article)

    # ---- the operations ----------------------------------------------------------------------

    def detect(self, text: str) -> Detection:
        """The language of ``text``, with candidates and a reliability flag."""
        prepared = self._chain.prepare(text)
        detection = self.detector.detect(prepared.text)
        warnings = gather_warnings(prepared.warnings, detection.warnings)
        return dataclasses.replace(detection, warnings=warnings)

    @overload
    def translate(
        self,
        text: str,
        target: str | None = None,
        source: str | None = None,
        *,
        request: Request | None = None,
        progress: ProgressFn | None = None,
    ) -> Translation: ...

    @overload
    def translate(
        self,
        text: list[str],
        target: str | None = None,
        source: str | None = None,
        *,
        request: Request | None = None,
        progress: ProgressFn | None = None,
    ) -> list[TranslateOutcome]: ...

    def translate(
        self,
        text: str | list[str],
        target: str | None = None,
        source: str | None = None,
        *,
        request: Request | None = None,
        progress: ProgressFn | None = None,
    ) -> Translation | list[TranslateOutcome]:
        """``text`` in ``target`` (default ``en``); the source is detected unless given.

        Args:
            text: one text, or a list whose texts are detected one by one and translated in
                shared engine batches (a list of short strings costs about what one of them
                costs).
            request: the whole request; ``target`` and ``source``, when given, override it.

        Returns:
            The ``Translation``; for a list, per text in order its ``Translation``, or the
            ``InputError`` it alone raised, or the ``ModelUnavailableError`` of its route.

        Raises:
            InputError: a value of the request is invalid (for a list: for every text alike);
                for one text, also a bad text or a language without a route.
            ModelUnavailableError: one text's route needs a model that cannot be loaded.
        """
        request = with_options(request, target=target, source=source)
        if isinstance(text, str):  # one text: the stream run to the end (it normalises)
            stream = self.stream(text, request, summary=False, progress=progress)
            return last_of(stream, Translation)
        request = self.normalize(request)
        outcomes: list[TranslateOutcome] = []
        for done in self._translated(text if isinstance(text, list) else [text], request, progress):
            outcomes.append(done if isinstance(done, Exception) else done[0].translation(done[1]))
        return outcomes if isinstance(text, list) else _single(outcomes)

    def summarize(
        self,
        text: str,
        words: int | None = None,
        method: str | None = None,
        *,
        request: Request | None = None,
        progress: ProgressFn | None = None,
    ) -> Summary:
        """A summary of ``text`` in its own (detected) language; target and source unused."""
        request = with_options(request, words=words, method=method)
        request = self.normalize(dataclasses.replace(request, source=None), languages=False)
        member = self._chain.start(0, text, request)
        language = member.detection.language
        run = self.translator.translate_text(member.prepared.text, language, language, [])
        summary = self.summarizer.summarize(run, request, progress)
        warnings = gather_warnings(
            member.prepared.warnings, member.detection.warnings, member.notes, summary.warnings
        )
        return dataclasses.replace(summary, warnings=warnings)

    @overload
    def run(
        self,
        text: str,
        target: str | None = None,
        source: str | None = None,
        words: int | None = None,
        method: str | None = None,
        *,
        request: Request | None = None,
        progress: ProgressFn | None = None,
    ) -> Result: ...

    @overload
    def run(
        self,
        text: list[str],
        target: str | None = None,
        source: str | None = None,
        words: int | None = None,
        method: str | None = None,
        *,
        request: Request | None = None,
        progress: ProgressFn | None = None,
    ) -> list[Outcome]: ...

    def run(
        self,
        text: str | list[str],
        target: str | None = None,
        source: str | None = None,
        words: int | None = None,
        method: str | None = None,
        *,
        request: Request | None = None,
        progress: ProgressFn | None = None,
    ) -> Result | list[Outcome]:
        """Detect, translate into ``target`` (default ``en``) and summarise there.

        Args:
            text: one text, or a list whose sentences are translated in shared batches; each
                result equals what that text gets alone, except the timings (a text's
                ``translate`` seconds are its share of the shared work).
            request: the whole request; the other keywords, when given, override it.

        Returns:
            The ``Result``; for a list, per text in order its ``Result``, or the ``InputError``
            it alone raised (empty, too long, no route for its language, ...), or the
            ``ModelUnavailableError`` of its route's model: one text does not stop the others.

        Raises:
            InputError: a value of the request is invalid (for a list: for every text alike);
                for one text, also a bad text or a language without a route.
            ModelUnavailableError: one text's route needs a model that cannot be loaded.
        """
        options = with_options(request, target=target, source=source, words=words, method=method)
        if isinstance(text, str):  # one text: the stream run to the end (it normalises)
            return last_of(self.stream(text, options, progress=progress), Result)
        request = self.normalize(options)
        outcomes: list[Outcome] = []
        for done in self._translated(text if isinstance(text, list) else [text], request, progress):
            if isinstance(done, Exception):
                outcomes.append(done)
                continue
            try:
                outcomes.append(self._chain.summarize(*done, request, progress))
            except InputError as exc:  # this text's summary has no way back, say
                outcomes.append(exc)
        return outcomes if isinstance(text, list) else _single(outcomes)

    def stages(
        self,
        text: str,
        target: str | None = None,
        source: str | None = None,
        words: int | None = None,
        method: str | None = None,
        *,
        request: Request | None = None,
        progress: ProgressFn | None = None,
        degrade: bool = False,
    ) -> Iterator[Stage]:
        """:meth:`run`, one stage at a time, so a face can show each result at once.

        Yields the ``Detection``, then the ``Translation``, then the final ``Result`` (the one
        ``run`` returns). Every value is checked before the first yield, so bad input fails
        before any model work. Timings count only the work, not the time between yields.

        Args:
            degrade: when the translation model is unavailable, yield a ``Degraded`` (the
                detection and an extractive summary in the text's own language, with a notice)
                after the detection and stop, instead of raising (the web faces' choice, see
                :mod:`mtsum.degrade`).
        """
        options = with_options(request, target=target, source=source, words=words, method=method)
        request = self.normalize(options)
        member = self._chain.start(0, text, request)
        yield member.detection
        ((_, run),) = self._chain.finish_route([member], request, progress)
        if isinstance(run, ModelUnavailableError) and degrade:
            yield self._degraded(text, member.detection, request, run)
            return
        if isinstance(run, Exception):
            raise run
        yield run.translation
        yield self._chain.summarize(member, run, request, progress)

    def fetch_article(self, url: str, *, for_visitor: bool = False) -> Article:
        """The article behind a link (title, author, date, main text); ``for_visitor``: a link
        from the page or REST, fetched only if the operator allows links, from public addresses
        only. See :meth:`ArticleReader.read`; ``article.attach(result)`` records the link."""
        return self.articles.read(url, for_visitor=for_visitor)

    def normalize(self, request: Request, *, languages: bool = True) -> Request:
        """``request`` checked and cleaned, once, for every face (see :mod:`mtsum.request`).

        Args:
            languages: False leaves ``target`` and ``source`` unchecked (a summary in the
                text's own language reads neither).

        Raises:
            InputError: a value is invalid; the message names the valid choices.
        """
        check = self.registry.check_language if languages else None
        store = self._glossaries if languages else None
        return request.normalized(
            check, self.settings.max_summary_words, self.settings.profile, store
        )

    def refuse_oversized(self, characters: int) -> None:
        """Raise ``TextTooLongError`` for more than ``MTSUM_MAX_CHARS`` characters.

        The one place the limit is checked: the pipeline's own input, an upload's text (the
        page) and the sum of a REST batch (``q`` as a list) all come here.
        """
        self._chain.refuse_oversized(characters)

    # ---- inside -------------------------------------------------------------------------------

    def _translated(
        self, texts: Sequence[str], request: Request, progress: ProgressFn | None
    ) -> list[tuple[Started, TranslationRun] | Failure]:
        """Each text started and translated (those of one source language together), in order;
        or the error it alone raised."""
        failed, routes = self._chain.start_all(texts, request)
        done: dict[int, tuple[Started, TranslationRun] | Failure] = dict(failed)
        for members in routes.values():
            for member, run in self._chain.finish_route(members, request, progress):
                done[member.index] = run if isinstance(run, Exception) else (member, run)
        return [done[index] for index in range(len(texts))]

    def _degraded(
        self, text: str, detection: Detection, request: Request, error: ModelUnavailableError
    ) -> Degraded:
        """The detection and an extractive summary in the text's own language."""
        source = detection.language
        model = missing_direction(self.registry, source, request.target, error)
        same = dataclasses.replace(request, target=source, source=source, method="extractive")
        ready = [t for t in self.targets(source) if self.installed(source, t)]
        result = self.run(text, request=same)
        return degraded(result, detection, request.target, model, error, ready)


def _single(outcomes: Sequence[_T | Failure]) -> _T:
    """The one outcome of a single text; its error raised."""
    (outcome,) = outcomes
    if isinstance(outcome, (InputError, ModelUnavailableError)):
        raise outcome
    return outcome
