"""Language identification with langdetect, made deterministic and honest about doubt.

langdetect draws random samples; left alone it can answer differently on each call. Every
detector made here gets a fixed seed, so the same text gives the same answer in every run and
every process. Short or ambiguous text is flagged ``reliable=False`` with a warning that says
how to settle it (give the source language).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from .errors import InputError
from .results import Candidate, Detection
from .text import count_letters, split_paragraphs

__all__ = ["LanguageDetector", "mixed_language_warnings", "normalize_code"]

log = logging.getLogger(__name__)

# langdetect reads at most this many characters; longer texts are sampled across paragraphs.
_SAMPLE_CHARS = 10_000
_MAX_CANDIDATES = 3


def normalize_code(code: str) -> str:
    """langdetect's codes to ISO 639-1 (``zh-cn`` and ``zh-tw`` are both ``zh``)."""
    return code.split("-", maxsplit=1)[0].lower()


class LanguageDetector:
    """Deterministic language identification.

    Args:
        threshold: below this probability the detection is flagged unreliable.
        min_letters: texts with fewer letters are flagged unreliable.
        seed: the seed every langdetect detector gets.
    """

    def __init__(self, threshold: float = 0.80, min_letters: int = 20, seed: int = 0) -> None:
        self.threshold = threshold
        self.min_letters = min_letters
        self.seed = seed
        self._factory: Any = None
        self._lock = threading.Lock()

    def _get_factory(self) -> Any:
        # The language profiles take ~0.5 s to read: once, on first use, in a private factory
        # so that mtsum never changes langdetect's global state for other code in the process.
        with self._lock:
            if self._factory is None:
                from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                self._factory = factory
            return self._factory

    def detect(self, text: str) -> Detection:
        """Detect the language of ``text``.

        Raises:
            InputError: the text has no letters at all (empty, digits, punctuation or emoji).
        """
        from langdetect.lang_detect_exception import LangDetectException

        letters = count_letters(text)
        if letters == 0:
            raise InputError(
                "the text has no letters (only spaces, digits, punctuation, symbols or emoji); "
                "give a text written in a human language"
            )
        detector = self._get_factory().create()
        detector.seed = self.seed
        detector.append(_sample(text))
        try:
            found = detector.get_probabilities()
        except LangDetectException as exc:
            raise InputError(
                f"cannot tell what language this text is in ({exc}); set the source language"
            ) from None
        if not found:
            raise InputError("cannot tell what language this text is in; set the source language")
        candidates = _merge(found)
        best = candidates[0]
        warnings = []
        if letters < self.min_letters:
            warnings.append(
                f"the text is very short ({letters} letters), so the detected language "
                f"'{best.language}' may be wrong; set the source language to be sure"
            )
        elif best.probability < self.threshold:
            others = ", ".join(f"{c.language} {c.probability:.2f}" for c in candidates[1:])
            also = f" (also possible: {others})" if others else ""
            warnings.append(
                f"language detection is unsure: '{best.language}' with probability "
                f"{best.probability:.2f}{also}; set the source language to be sure"
            )
        for warning in warnings:
            log.info("detection: %s", warning)
        return Detection(
            language=best.language,
            probability=best.probability,
            reliable=not warnings,
            candidates=tuple(candidates[:_MAX_CANDIDATES]),
            warnings=tuple(warnings),
        )


def _merge(found: list[Any]) -> list[Candidate]:
    """Candidates with regional variants merged (zh-cn + zh-tw -> zh), best first."""
    totals: dict[str, float] = {}
    for item in found:
        code = normalize_code(item.lang)
        totals[code] = totals.get(code, 0.0) + float(item.prob)
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    return [Candidate(code, min(prob, 1.0)) for code, prob in ranked]


def _sample(text: str) -> str:
    """Up to ``_SAMPLE_CHARS`` characters taken evenly from the whole text, not just its start."""
    if len(text) <= _SAMPLE_CHARS:
        return text
    parts = 10
    step = len(text) // parts
    size = _SAMPLE_CHARS // parts
    return "\n".join(text[i * step : i * step + size] for i in range(parts))


# Mixed-language paragraphs: a paragraph needs this many letters before its own detection is
# trusted, and this probability to count as another language (kept as they were when this check
# lived in the pipeline; tests/core/test_pipeline.py pins the behaviour, not a measurement).
_MIXED_MIN_LETTERS = 80
_MIXED_MIN_PROBABILITY = 0.95
# Only the first paragraphs are checked, so a huge text costs a bounded number of detections.
_MIXED_MAX_PARAGRAPHS = 50


def mixed_language_warnings(detector: LanguageDetector, text: str, language: str) -> list[str]:
    """Warnings for paragraphs of ``text`` that are clearly in another language than ``language``.

    The whole text is translated as ``language``; a paragraph in another language is then
    translated by the wrong model, which the caller must hear about.
    """
    paragraphs = split_paragraphs(text)
    if len(paragraphs) < 2:
        return []
    others = []
    for number, paragraph in enumerate(paragraphs[:_MIXED_MAX_PARAGRAPHS], start=1):
        if sum(ch.isalpha() for ch in paragraph) < _MIXED_MIN_LETTERS:
            continue
        found = detector.detect(paragraph)
        if found.language != language and found.probability >= _MIXED_MIN_PROBABILITY:
            others.append(f"{number} ({found.language})")
    if not others:
        return []
    return [
        f"paragraph(s) {', '.join(others)} seem to be in another language than the text "
        f"({language}); they were translated as {language}"
    ]
