"""Language detection: right on real sentences, deterministic everywhere, honest about doubt."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mtsum import InputError
from mtsum.detect import LanguageDetector
from tests.support.texts import SAMPLES


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
        "from tests.support.texts import SAMPLES\n"
        "d = LanguageDetector()\n"
        "print(json.dumps({k: d.detect(v).to_dict() for k, v in SAMPLES.items()}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    other = json.loads(out.stdout)
    here = {k: detector.detect(v).to_dict() for k, v in SAMPLES.items()}
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


def test_chinese_variants_merge_into_zh(detector: LanguageDetector) -> None:
    detection = detector.detect(SAMPLES["zh"])
    assert [c.language for c in detection.candidates].count("zh") == 1


def test_long_text_is_sampled_from_its_whole_length(detector: LanguageDetector) -> None:
    # 12,000 characters of English, then German: the German half must be seen too.
    text = SAMPLES["en"] * 60 + "\n\n" + SAMPLES["de"] * 60
    detection = detector.detect(text)
    assert {c.language for c in detection.candidates} >= {"en", "de"}
