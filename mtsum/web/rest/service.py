"""What each REST route does, in plain Python: LibreTranslate's semantics on top of ``Pipeline``.

Kept apart from the HTTP glue (``rest.py``) so the behaviour reads, and tests, without a server.
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ...errors import InputError, MtsumError, TextTooLongError, UnsupportedLanguageError
from ...languages import language_name
from ...markup import HtmlDocument, split_runs, translate_runs
from ...pipeline import Pipeline
from ...registry import Registry
from ...results import Translation

__all__ = [
    "AUTO",
    "TranslatedItem",
    "confidence",
    "detect_languages",
    "health",
    "is_auto",
    "language_list",
    "summarize",
    "translate_items",
]

log = logging.getLogger(__name__)
_T = TypeVar("_T")

AUTO = "auto"
NOTHING_TO_TRANSLATE = "nothing to translate (the text has no letters); returned unchanged"
NOTHING_TO_TRANSLATE_HTML = (
    "nothing to translate: no letters outside the parts kept as they are (script, style, code, "
    'pre, comments, translate="no"); returned unchanged'
)


def confidence(probability: float) -> float:
    """A probability (0..1) as LibreTranslate's confidence in percent (0..100)."""
    return round(min(max(probability, 0.0), 1.0) * 100.0, 2)


def is_auto(source: str) -> bool:
    """Whether ``source`` asks for detection (``auto`` or blank)."""
    return source.strip().lower() in ("", AUTO)


@dataclass(frozen=True)
class TranslatedItem:
    """One item of ``q`` translated.

    Attributes:
        text: the translation (HTML when the request's format was html).
        detected: ``{"confidence", "language"}`` when the source was detected, else None.
        warnings: what was degraded or guessed for this item.
    """

    text: str
    detected: dict[str, Any] | None
    warnings: tuple[str, ...]


def translate_items(
    pipeline: Pipeline, items: Sequence[str], source: str, target: str, fmt: str, *, batch: bool
) -> list[TranslatedItem]:
    """Translate the items of ``q``: detected one by one, translated together.

    Items are detected each on its own when ``source`` is ``auto``; the items of one source
    language then go through ``Pipeline.translate_many`` together, so a list of short strings
    shares engine batches. Each item's result equals what it gets when sent alone.

    Raises:
        TextTooLongError: all items together exceed the character limit.
        InputError: a bad language, route or item (a batch error names the item, ``q[2]``).
        ModelUnavailableError: a model of the route cannot be loaded.
    """
    registry = pipeline.registry
    target = registry.check_language(target)
    given = None if is_auto(source) else registry.check_language(source)
    if given is not None:
        registry.route(given, target)  # an impossible pair fails before any work is done
    # The limit covers the whole request, so a batch cannot multiply the work it allows.
    total = sum(len(item) for item in items)
    if total > pipeline.settings.max_chars:
        raise TextTooLongError(total, pipeline.settings.max_chars)
    pending = [
        _guarded(index, batch, _Pending.start, pipeline, item, given, target, fmt)
        for index, item in enumerate(items)
    ]
    by_language: dict[str, list[int]] = {}
    for index, item in enumerate(pending):
        if item.result is None:
            by_language.setdefault(item.language, []).append(index)
    for language, indices in by_language.items():
        texts = [pending[i].text for i in indices]
        outcomes = pipeline.translate_many(texts, target=target, source=language)
        for index, outcome in zip(indices, outcomes, strict=True):
            _guarded(index, batch, pending[index].finish, outcome, pipeline, given, target)
    return [item.result for item in pending if item.result is not None]


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
class _Pending:
    """One item between detection and translation.

    Attributes:
        text: what goes to the translator (the item, or an HTML item's text runs).
        language: its source language, given or detected.
        detected: the ``detectedLanguage`` value when detected.
        warnings: what detection noted.
        document: the parsed HTML of an ``html`` item.
        result: the finished item (no translation needed, or translated).
    """

    text: str
    language: str
    detected: dict[str, Any] | None
    warnings: list[str]
    document: HtmlDocument | None = None
    result: TranslatedItem | None = None

    @classmethod
    def start(
        cls, pipeline: Pipeline, item: str, source: str | None, target: str, fmt: str
    ) -> _Pending:
        if not item.strip():
            raise InputError("the text is empty; give some text to translate")
        document = HtmlDocument.parse(item) if fmt == "html" else None
        readable = document.text if document is not None else item
        if not any(ch.isalpha() for ch in readable):
            detected = {"confidence": 0.0, "language": target} if source is None else None
            note = NOTHING_TO_TRANSLATE if document is None else NOTHING_TO_TRANSLATE_HTML
            done = TranslatedItem(item, detected, (note,))
            return cls(item, target, detected, [], document, done)
        pending = cls(item if document is None else readable, source or "", None, [], document)
        if source is None:
            detection = pipeline.detect(readable)
            pending.language = detection.language
            pending.detected = {
                "confidence": confidence(detection.probability),
                "language": detection.language,
            }
            pending.warnings.extend(detection.warnings)
        if document is not None and pending.language == target:
            # Nothing to do: hand the markup back byte for byte.
            pending.result = TranslatedItem(item, pending.detected, tuple(pending.warnings))
        return pending

    def finish(
        self,
        outcome: Translation | MtsumError,
        pipeline: Pipeline,
        source: str | None,
        target: str,
    ) -> None:
        try:
            if isinstance(outcome, MtsumError):
                raise outcome
            text = outcome.text
            self.warnings.extend(outcome.warnings)
            if self.document is not None:
                runs = split_runs(text, len(self.document.texts))
                if runs is None:
                    runs = translate_runs(self.document.texts, self._one_by_one(pipeline, target))
                text = self.document.render(runs)
        except UnsupportedLanguageError as exc:
            if source is not None:
                raise
            raise UnsupportedLanguageError(
                f"the text seems to be in {language_name(self.language)} ({self.language}), "
                f"which cannot be translated to {target!r}: {exc}. If the detection is wrong, "
                "set source",
                exc.supported,
            ) from None
        self.result = TranslatedItem(text, self.detected, tuple(dict.fromkeys(self.warnings)))

    def _one_by_one(self, pipeline: Pipeline, target: str) -> Callable[[str], str]:
        def translate_text(text: str) -> str:
            translation = pipeline.translate(text, target=target, source=self.language)
            self.warnings.extend(translation.warnings)
            return translation.text

        return translate_text


def detect_languages(pipeline: Pipeline, q: str | Sequence[str]) -> list[dict[str, Any]]:
    """Candidate languages of ``q``, best first, confidence in percent (a list is one text)."""
    text = q if isinstance(q, str) else "\n".join(q)
    detection = pipeline.detect(text)
    candidates = detection.candidates or ()
    found = [{"confidence": confidence(c.probability), "language": c.language} for c in candidates]
    return found or [
        {"confidence": confidence(detection.probability), "language": detection.language}
    ]


def language_list(registry: Registry) -> list[dict[str, Any]]:
    """Every language the registry routes, its English name and every language it reaches."""
    return [
        {
            "code": code,
            "name": language_name(code),
            "targets": sorted({code, *registry.targets(code)}),
        }
        for code in registry.languages()
    ]


def summarize(
    pipeline: Pipeline, q: str, source: str, target: str, words: int, method: str
) -> dict[str, Any]:
    """Translate ``q`` into ``target`` and summarise it there (``Pipeline.run``)."""
    result = pipeline.run(
        q,
        target=target,
        source=None if is_auto(source) else source,
        words=words or None,
        method=method,
    )
    detection = result.detection
    return {
        "summary": result.summary.text,
        "translatedText": result.translation.text,
        "detectedLanguage": {
            "confidence": confidence(detection.probability),
            "language": detection.language,
        },
        "warnings": list(result.warnings),
    }


def health(pipeline: Pipeline) -> dict[str, Any]:
    """``{"status": "ok", "models": [...], "translation_memory": {...}}``: registry names of the
    models in memory, and the translation memory's hits, misses, hit rate and size."""
    return {
        "status": "ok",
        "models": [entry.name for entry in pipeline.store.loaded_entries()],
        "translation_memory": pipeline.store.memory.stats(),
    }
