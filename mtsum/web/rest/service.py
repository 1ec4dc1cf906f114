"""What each REST route does, in plain Python: LibreTranslate's semantics on top of ``Pipeline``.

Kept apart from the HTTP glue (``routes.py``, ``guard.py``) so the behaviour reads, and tests,
without a server.
Everything here blocks (models run), so the routes call it in a worker thread. Errors are the
``MtsumError`` tree; the glue turns them into HTTP statuses.

Two LibreTranslate habits are kept on purpose, because integrations rely on them:

* text without letters (``"2024"``, ``"😀"``, bare markup) comes back unchanged from
  ``/translate`` with a warning, instead of failing a whole batch of page strings;
* ``/languages`` lists each language among its own targets (same-language "translation" is the
  identity, as in LibreTranslate).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from ...articles import Article
from ...degrade import Degraded
from ...documents.markup import HtmlDocument, translate_runs
from ...errors import InputError, ModelUnavailableError, MtsumError, UnsupportedLanguageError
from ...languages import language_name
from ...pipeline import Pipeline
from ...progress import ProgressFn
from ...request import Request
from ...results import Detection, Paragraph, Result, Summary, Translation

__all__ = [
    "TranslatedItem",
    "article_for",
    "confidence",
    "detect_languages",
    "health",
    "language_list",
    "summarize",
    "summarize_stream",
    "translate_items",
    "translate_stream",
    "with_source",
]

log = logging.getLogger(__name__)
_T = TypeVar("_T")

NOTHING_TO_TRANSLATE = "nothing to translate (the text has no letters); returned unchanged"
NOTHING_TO_TRANSLATE_HTML = (
    "nothing to translate: no letters outside the parts kept as they are (script, style, code, "
    'pre, comments, translate="no"); returned unchanged'
)


def article_for(pipeline: Pipeline, q: str | Sequence[str], url: str) -> Article | None:
    """The article behind ``url`` (a visitor's link: only where the operator allows links),
    or None when the request sends its text as ``q``.

    Raises:
        InputError: both or neither of ``q`` and ``url``; a link refused or without article.
    """
    if url and q:
        raise InputError("give q (the text) or url (a link to an article), not both")
    if url:
        return pipeline.fetch_article(url, for_visitor=True)
    if not q:
        raise InputError("Invalid request: missing q parameter")
    return None


def with_source(article: Article | None, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with the article's ``source_url`` and ``title`` when it came from a link."""
    if article is None:
        return body
    return {**body, "source_url": article.url, "title": article.title}


def confidence(probability: float) -> float:
    """A probability (0..1) as LibreTranslate's confidence in percent (0..100)."""
    return round(min(max(probability, 0.0), 1.0) * 100.0, 2)


@dataclass(frozen=True)
class TranslatedItem:
    """One item of ``q`` translated.

    Attributes:
        text: the translation (HTML when the request's format was html).
        detected: ``{"confidence", "language"}`` when the source was detected, else None.
        warnings: what was degraded or guessed for this item.
        flags: the doubtful sentences of the translation (``Flag.to_dict()``); for html, the
            sentences of all text runs numbered in document order.
    """

    text: str
    detected: dict[str, Any] | None
    warnings: tuple[str, ...]
    flags: tuple[dict[str, Any], ...] = ()


def translate_items(
    pipeline: Pipeline,
    items: Sequence[str],
    request: Request,
    fmt: str,
    *,
    batch: bool,
    observe: Callable[[str, float], None] | None = None,
) -> list[TranslatedItem]:
    """Translate the items of ``q``: detected one by one, translated together.

    Items are detected each on its own when ``source`` is ``auto``; the items of one source
    language then go through ``Pipeline.translate`` together (as a list), so a list of short
    strings shares engine batches. Each item's result equals what it gets when sent alone.
    ``observe`` is told the seconds of the ``detect`` and ``translate`` stages.

    Raises:
        TextTooLongError: all items together exceed the character limit.
        InputError: a bad language, route or item (a batch error names the item, ``q[2]``).
        ModelUnavailableError: a model of the route cannot be loaded.
    """
    request = _checked(pipeline, request, sum(len(item) for item in items))
    started = time.perf_counter()
    pending = [
        _guarded(index, batch, _Item.start, pipeline, item, request, fmt)
        for index, item in enumerate(items)
    ]
    detected = time.perf_counter()
    by_language: dict[str, list[_Item]] = {}
    for item in pending:
        if item.result is None and item.request.source is not None:
            by_language.setdefault(item.request.source, []).append(item)
    for language, group in by_language.items():
        texts = [item.text for item in group]
        outcomes: list[Translation | MtsumError]
        try:
            outcomes = list(pipeline.translate(texts, request=replace(request, source=language)))
        except MtsumError as exc:  # a detected language mtsum does not know: each item says so
            outcomes = [exc] * len(group)
        for item, outcome in zip(group, outcomes, strict=True):
            item.ready[item.text] = outcome
    finished = [_guarded(index, batch, item.finish, pipeline) for index, item in enumerate(pending)]
    _observe_translation(observe, request, started, detected)
    return finished


def translate_stream(
    pipeline: Pipeline,
    q: str,
    request: Request,
    progress: ProgressFn | None = None,
    observe: Callable[[str, float], None] | None = None,
) -> Iterator[Paragraph | TranslatedItem]:
    """:func:`translate_items` of one text, streamed: each ``Paragraph`` as the pipeline
    finishes it, then the ``TranslatedItem`` that ``translate_items`` gives for ``[q]``.
    ``observe`` is told the seconds of the ``detect`` and ``translate`` stages.

    Raises:
        The errors of :func:`translate_items`.
    """
    request = _checked(pipeline, request, len(q))
    started = time.perf_counter()
    item = _Item.start(pipeline, q, request, "text")
    detected = time.perf_counter()
    if item.result is None and item.request.source is not None:
        stages = pipeline.stream(item.text, item.request, summary=False, progress=progress)
        try:
            for stage in stages:
                if isinstance(stage, Paragraph):
                    yield stage
                elif isinstance(stage, Translation):
                    item.ready[item.text] = stage
        except (InputError, ModelUnavailableError) as exc:  # as a list's outcome would be
            item.ready[item.text] = exc
    finished = item.finish(pipeline)
    _observe_translation(observe, request, started, detected)
    yield finished


def _checked(pipeline: Pipeline, request: Request, characters: int) -> Request:
    """``request`` normalised, before any work: an impossible given pair fails here, and the
    character limit covers the whole request, so a batch cannot multiply the work it allows."""
    request = pipeline.normalize(request)
    if request.source is not None:
        pipeline.route(request.source, request.target)
    pipeline.refuse_oversized(characters)
    return request


def _observe_translation(
    observe: Callable[[str, float], None] | None, request: Request, started: float, detected: float
) -> None:
    """Tell ``observe`` the seconds of ``detect`` (when it ran) and of ``translate``."""
    if observe is None:
        return
    if request.source is None:
        observe("detect", detected - started)
    observe("translate", time.perf_counter() - detected)


def _guarded(index: int, batch: bool, step: Callable[..., _T], *args: Any) -> _T:
    """``step(*args)``; in a batch, an error's message names the item (``q[2]: ...``)."""
    try:
        return step(*args)
    except MtsumError as exc:
        if batch:
            # Same exception type (so the same HTTP status), message naming the item.
            exc.args = (f"q[{index}]: {exc}",)
        raise


@dataclass
class _Item:
    """One item of ``q`` between detection and translation.

    Attributes:
        original: the item as sent.
        request: the caller's request with the item's source language (given or detected).
        document: the parsed HTML of an ``html`` item.
        detected: the ``detectedLanguage`` value when detected.
        warnings: what detection noted.
        result: the finished item, once known (nothing to translate, or translated).
        ready: translations already made in the list's shared batches, by input text.
    """

    original: str
    request: Request
    document: HtmlDocument | None
    detected: dict[str, Any] | None
    warnings: list[str]
    result: TranslatedItem | None = None
    ready: dict[str, Translation | MtsumError] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """What goes to the translator: the item, or an HTML item's text runs as paragraphs."""
        return self.original if self.document is None else self.document.text

    @classmethod
    def start(cls, pipeline: Pipeline, item: str, request: Request, fmt: str) -> _Item:
        """The item checked and its language known (detected when the request has none)."""
        if not item.strip():
            raise InputError("the text is empty; give some text to translate")
        document = HtmlDocument.parse(item) if fmt == "html" else None
        readable = document.text if document is not None else item
        if not any(ch.isalpha() for ch in readable):
            detected = (
                {"confidence": 0.0, "language": request.target} if request.source is None else None
            )
            note = NOTHING_TO_TRANSLATE if document is None else NOTHING_TO_TRANSLATE_HTML
            done = TranslatedItem(item, detected, (note,))
            return cls(item, request, document, detected, [], done)
        if request.source is not None:
            pending = cls(item, request, document, None, [])
        else:
            detection = pipeline.detect(readable)
            given = replace(request, source=detection.language)
            pending = cls(item, given, document, _detected(detection), list(detection.warnings))
        if document is not None and pending.request.source == request.target:
            # Nothing to do: hand the markup back byte for byte.
            pending.result = TranslatedItem(item, pending.detected, tuple(pending.warnings))
        return pending

    def finish(self, pipeline: Pipeline) -> TranslatedItem:
        """The translated item; its flags number the sentences of all its text runs in order."""
        if self.result is not None:
            return self.result
        flags: list[dict[str, Any]] = []
        sentences = 0

        def translate_text(text: str) -> str:
            nonlocal sentences
            translation = self.ready.pop(text, None) or pipeline.translate(
                text, request=self.request
            )
            if isinstance(translation, MtsumError):
                raise translation
            self.warnings.extend(translation.warnings)
            for flag in translation.flags:
                flags.append({**flag.to_dict(), "sentence": sentences + flag.sentence})
            sentences += len(translation.segments)
            return translation.text

        try:
            if self.document is None:
                text = translate_text(self.original)
            else:
                text = self.document.render(translate_runs(self.document.texts, translate_text))
        except UnsupportedLanguageError as exc:
            if self.detected is None:  # the caller's source: the message is the pipeline's
                raise
            language = self.request.source
            raise UnsupportedLanguageError(
                f"the text seems to be in {language_name(language or '')} ({language}), which "
                f"cannot be translated to {self.request.target!r}: {exc.reason}. If the "
                "detection is wrong, set source",
                exc.supported,
                exc.reason,
            ) from None
        warnings = tuple(dict.fromkeys(self.warnings))
        return TranslatedItem(text, self.detected, warnings, tuple(flags))


def detect_languages(pipeline: Pipeline, q: str | Sequence[str]) -> list[dict[str, Any]]:
    """Candidate languages of ``q``, best first, confidence in percent (a list is one text)."""
    text = q if isinstance(q, str) else "\n".join(q)
    detection = pipeline.detect(text)
    candidates = detection.candidates or ()
    found = [{"confidence": confidence(c.probability), "language": c.language} for c in candidates]
    return found or [
        {"confidence": confidence(detection.probability), "language": detection.language}
    ]


def language_list(pipeline: Pipeline) -> list[dict[str, Any]]:
    """Every language the pipeline routes, its English name and every language it reaches."""
    return [
        {
            "code": code,
            "name": language_name(code),
            "targets": sorted({code, *pipeline.targets(code)}),
        }
        for code in pipeline.languages()
    ]


def summarize(
    pipeline: Pipeline,
    q: str,
    request: Request,
    observe: Callable[[str, float], None] | None = None,
) -> dict[str, Any]:
    """Translate ``q`` into ``request.target`` and summarise it there (``Pipeline.stream``).

    A missing translation model does not fail the request: the answer has the detection and
    an extractive summary in the text's own language, an empty ``translatedText`` and warnings
    that say so (``mtsum.degrade``). ``observe`` is told the seconds of each stage.
    """
    *_, body = summarize_stream(pipeline, q, request, observe=observe)
    if not isinstance(body, dict):  # pragma: no cover - the stream ends with the body
        raise TypeError("summarize_stream must end with the body")
    return body


def summarize_stream(
    pipeline: Pipeline,
    q: str,
    request: Request,
    progress: ProgressFn | None = None,
    observe: Callable[[str, float], None] | None = None,
) -> Iterator[Paragraph | dict[str, Any]]:
    """:func:`summarize`, streamed: each ``Paragraph`` of the translation, then the body."""
    last: object = None
    for last in pipeline.stream(q, request, degrade=True, progress=progress):
        if isinstance(last, Paragraph):
            yield last
    if isinstance(last, Degraded):
        yield _summary_body(last.result.summary, "", last.detection, last.warnings)
        return
    if not isinstance(last, Result):  # pragma: no cover - the pipeline's order
        raise TypeError(f"Pipeline.stream ended with a {type(last).__name__}")
    if observe is not None:
        for stage, seconds in last.stats.seconds.items():
            observe(stage, seconds)
    yield _summary_body(last.summary, last.translation.text, last.detection, last.warnings)


def _summary_body(
    summary: Summary, translated: str, detection: Detection, warnings: Sequence[str]
) -> dict[str, Any]:
    """``/summarize``'s answer: LibreTranslate-style keys plus the summary's sources and flags."""
    return {
        "summary": summary.text,
        "translatedText": translated,
        "detectedLanguage": _detected(detection),
        "sources": [list(indices) for indices in summary.sources],
        "flags": [flag.to_dict() for flag in summary.flags],
        "warnings": list(warnings),
    }


def _detected(detection: Detection) -> dict[str, Any]:
    return {"confidence": confidence(detection.probability), "language": detection.language}


def health(pipeline: Pipeline) -> dict[str, Any]:
    """``{"status": "ok", "models": [...], "translation_memory": {...}}``: registry names of the
    models in memory, and the translation memory's hits, misses, hit rate and size."""
    return {
        "status": "ok",
        "models": pipeline.loaded_models(),
        "translation_memory": pipeline.memory_stats(),
    }
