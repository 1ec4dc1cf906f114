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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ...errors import InputError, MtsumError, UnsupportedLanguageError
from ...languages import language_name
from ...markup import HtmlDocument, translate_runs
from ...pipeline import Pipeline
from ...registry import Registry
from ...request import Request

__all__ = [
    "TranslatedItem",
    "confidence",
    "detect_languages",
    "health",
    "language_list",
    "summarize",
    "translate_items",
]

log = logging.getLogger(__name__)

NOTHING_TO_TRANSLATE = "nothing to translate (the text has no letters); returned unchanged"
NOTHING_TO_TRANSLATE_HTML = (
    "nothing to translate: no letters outside the parts kept as they are (script, style, code, "
    'pre, comments, translate="no"); returned unchanged'
)


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
    """

    text: str
    detected: dict[str, Any] | None
    warnings: tuple[str, ...]


def translate_items(
    pipeline: Pipeline, items: Sequence[str], request: Request, fmt: str, *, batch: bool
) -> list[TranslatedItem]:
    """Translate each item on its own: one detection per item when ``source`` is ``auto``.

    Raises:
        TextTooLongError: all items together exceed the character limit.
        InputError: a bad language, route or item (a batch error names the item, ``q[2]``).
        ModelUnavailableError: a model of the route cannot be loaded.
    """
    request = pipeline.normalize(request)
    if request.source is not None:  # an impossible pair fails before any work is done
        pipeline.registry.route(request.source, request.target)
    # The limit covers the whole request, so a batch cannot multiply the work it allows.
    pipeline.refuse_oversized(sum(len(item) for item in items))
    results = []
    for index, item in enumerate(items):
        try:
            results.append(_translate_one(pipeline, item, request, fmt))
        except MtsumError as exc:
            if batch:
                # Same exception type (so the same HTTP status), message naming the item.
                exc.args = (f"q[{index}]: {exc}",)
            raise
    return results


def _translate_one(pipeline: Pipeline, item: str, request: Request, fmt: str) -> TranslatedItem:
    source, target = request.source, request.target
    if not item.strip():
        raise InputError("the text is empty; give some text to translate")
    document = HtmlDocument.parse(item) if fmt == "html" else None
    readable = document.text if document is not None else item
    if not any(ch.isalpha() for ch in readable):
        detected = {"confidence": 0.0, "language": target} if source is None else None
        note = NOTHING_TO_TRANSLATE if document is None else NOTHING_TO_TRANSLATE_HTML
        return TranslatedItem(item, detected, (note,))
    warnings: list[str] = []
    detected = None
    language = source
    if language is None:
        detection = pipeline.detect(readable)
        language = detection.language
        detected = {"confidence": confidence(detection.probability), "language": language}
        warnings.extend(detection.warnings)

    def translate_text(text: str) -> str:
        translation = pipeline.execute_translate(text, replace(request, source=language))
        warnings.extend(translation.warnings)
        return translation.text

    try:
        if document is None:
            text = translate_text(item)
        elif language == target:
            text = item  # nothing to do: hand the markup back byte for byte
        else:
            text = document.render(translate_runs(document.texts, translate_text))
    except UnsupportedLanguageError as exc:
        if source is not None:
            raise
        raise UnsupportedLanguageError(
            f"the text seems to be in {language_name(language)} ({language}), which cannot be "
            f"translated to {target!r}: {exc.reason}. If the detection is wrong, set source",
            exc.supported,
            exc.reason,
        ) from None
    return TranslatedItem(text, detected, tuple(dict.fromkeys(warnings)))


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


def summarize(pipeline: Pipeline, q: str, request: Request) -> dict[str, Any]:
    """Translate ``q`` into ``request.target`` and summarise it there (``Pipeline.execute``)."""
    result = pipeline.execute(q, request)
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
    """``{"status": "ok", "models": [...]}``: registry names of the models in memory."""
    return {"status": "ok", "models": [entry.name for entry in pipeline.store.loaded_entries()]}
