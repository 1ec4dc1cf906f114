"""One tokeniser for matching texts: the summary's sources and the extractive ranker share it."""

from __future__ import annotations

import pytest

from mtsum.checks.summary import summary_sources
from mtsum.text import word_terms

# Each is one sentence of the text, and the summary repeats its first part: written without
# spaces, the whole run is one "word", so only character pairs can match part of it.
UNSPACED = {
    "lo": ("ລັດຖະບານປະກາດແຜນການໃໝ່ໃນມື້ນີ້", "ລັດຖະບານປະກາດແຜນ"),
    "my": ("အစိုးရကစီမံကိန်းအသစ်ကိုကြေညာခဲ့သည်", "အစိုးရကစီမံကိန်း"),
    "km": ("រដ្ឋាភិបាលបានប្រកាសផែនការថ្មីនៅថ្ងៃនេះ", "រដ្ឋាភិបាលបានប្រកាស"),
    "ja": ("政府は今日新しい計画を発表した", "政府は新しい計画"),
}


def test_spaced_words_stay_whole_and_unspaced_runs_become_pairs() -> None:
    assert word_terms(["rail", "line"]) == ["rail", "line"]
    assert word_terms(["東京都"]) == ["東京", "京都"]
    assert word_terms(["字"]) == ["字"]


@pytest.mark.parametrize("language", sorted(UNSPACED))
def test_a_summary_in_an_unspaced_script_finds_its_source(language: str) -> None:
    sentence, summary = UNSPACED[language]
    text = ["The weather was fine.", sentence, "Nothing else happened."]
    assert summary_sources([summary], text) == ((1,),)
