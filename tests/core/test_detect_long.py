"""Long texts are detected without lingua's high accuracy models, so memory stays bounded.

Only texts under ``LONG_TEXT_CHARS`` load a language's big models (10 to 57 MB each); CLD2
stands in for them on longer texts, and an evicted language's trigram models come back at once.
"""

from __future__ import annotations

import importlib

import pytest

from mtsum import detectors
from mtsum.detect import LanguageDetector
from mtsum.detectors_cld2 import Cld2Voice
from tests.core.test_detect import _rss_of
from tests.support.langid_texts import SENTENCES

detect = importlib.import_module("mtsum.detect")  # ``mtsum.detect`` the attribute is a function


def test_cld2_reads_a_sentence_and_never_refuses_one() -> None:
    voice = Cld2Voice(["fr", "de", "en", "zz"])
    assert voice.languages == frozenset({"fr", "de", "en"})  # "zz": no CLD2 language
    text = SENTENCES["fr"][0]
    plain = voice.scores(text)
    assert max(plain, key=plain.__getitem__) == "fr"
    assert 0.0 < sum(plain.values()) <= 1.0
    # Control characters, a lone surrogate and a noncharacter made CLD2 refuse the whole text.
    dirty = voice.scores("\x00\x07" + text + "\ud800\x7f\uffff")
    assert max(dirty, key=dirty.__getitem__) == "fr"


def _high_accuracy_reads(monkeypatch: pytest.MonkeyPatch) -> list[frozenset[str]]:
    """Every candidate set lingua's high accuracy mode is asked for from now on."""
    asked: list[frozenset[str]] = []
    real = detectors._lingua_detector

    def spy(codes: frozenset[str], *, high_accuracy: bool) -> object:
        if high_accuracy:
            asked.append(codes)
        return real(codes, high_accuracy=high_accuracy)

    monkeypatch.setattr(detectors, "_lingua_detector", spy)
    return asked


def test_long_texts_need_no_high_accuracy_model(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _high_accuracy_reads(monkeypatch)
    detector = LanguageDetector(languages=["fr", "de", "es", "it", "pt", "nl", "en"])
    threshold = detect.LONG_TEXT_CHARS
    assert threshold is not None
    for code in ("fr", "de", "es", "it", "pt", "nl"):
        text = SENTENCES[code][0]
        assert len(text) >= threshold
        assert detector.detect(text).language == code
    assert detector.detect("Das ist gut").language == "de"  # three words: long enough
    assert asked == []
    # A short text still reads its candidates with the big models.
    detector.detect("Guten Tag")
    assert asked and "de" in asked[0]


def test_the_old_reading_of_long_texts_is_one_setting_away(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = _high_accuracy_reads(monkeypatch)
    detector = LanguageDetector(languages=["da", "no", "sv", "de", "en", "nl"])
    text = SENTENCES["da"][0]  # under lingua's own 120-character switch; no is near
    assert len(text) < detectors.HIGH_ACCURACY_MAX_CHARS
    assert detector.detect(text).language == "da"
    assert asked == []
    monkeypatch.setattr(detect, "LONG_TEXT_CHARS", None)
    assert detector.detect(text).language == "da"
    assert asked and {"da", "no"} <= asked[0]


def test_an_eviction_loads_the_evicted_trigrams_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # lingua's unload drops a language's trigram models too; the next long text would wait.
    reloaded: list[list[str]] = []
    real = detectors._reload_trigrams
    monkeypatch.setattr(
        detectors, "_reload_trigrams", lambda codes: (reloaded.append(list(codes)), real(codes))
    )
    store = detectors._Resident(limit=2)
    store.use(["fr", "de"])
    assert reloaded == []
    store.use(["es"])
    assert store.loaded() == ("de", "es")
    assert reloaded == [["fr"]]


def test_sentences_in_every_language_stay_small_without_a_bound() -> None:
    # Unbounded, the staged reading of every text held about 1 GB after five sentences in
    # every language (each one's big models); sentences now load none but those of Chinese
    # and Japanese without spaces (small models), so the whole process stays under 400 MB.
    whole = _rss_of(
        "from mtsum import detectors\n"
        "d = LanguageDetector()\n"
        "for texts in SENTENCES.values():\n"
        "    for text in texts:\n"
        "        d.detect(text)\n"
        "assert set(detectors.RESIDENT.loaded()) <= {'zh', 'ja'}, detectors.RESIDENT.loaded()\n"
        "print(rss())\n"
    )
    assert whole < 400, f"{whole} MiB after every language"
