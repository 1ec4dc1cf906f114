"""Summaries: abstractive with map-reduce, extractive in any language, fallback, reuse."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mtsum import Pipeline, Settings
from mtsum.extractive import extractive_indices
from mtsum.summarize import default_words
from mtsum.text import count_words, split_text
from tests.support.loaders import RecordingLoader
from tests.support.texts import ARTICLE_EN, ARTICLE_FR, SAMPLES


@pytest.fixture
def pipeline(engine_pipeline: Pipeline) -> Pipeline:
    """This module's tests run on both engines (transformers and CTranslate2)."""
    return engine_pipeline


Recording = tuple[RecordingLoader, Callable[[Settings], Pipeline]]


def test_default_length_follows_the_text() -> None:
    assert default_words(100) == 30
    assert default_words(400) == 60
    assert default_words(10_000) == 120


# Sharing no word with the rest: position alone must not carry them into the summary.
OFF_TOPIC = [
    "Heavy rain is expected on Sunday.",
    "Our football club won its third match in one month.",
    "Main Street's bakery changes owners.",
]
ON_TOPIC = [
    "The council approved the library budget after a long debate.",
    "The library budget pays for new books and longer opening hours.",
    "Critics said the library budget was too small for the new books.",
    "The mayor defended the library budget and the longer opening hours.",
    "The new library budget takes effect in March.",
]


def test_extractive_picks_central_sentences_over_an_unrelated_lead() -> None:
    sentences = OFF_TOPIC + ON_TOPIC  # the lead is off topic: "first N" would fail
    chosen, notes = extractive_indices(sentences, 20, "en")
    assert chosen == sorted(chosen)
    assert chosen and all(i >= len(OFF_TOPIC) for i in chosen)
    picked = sum(count_words(sentences[i]) for i in chosen)
    assert 18 <= picked <= 22
    assert notes == []


def test_extractive_works_without_spaces() -> None:
    sentences = [
        "天气很好，阳光明媚。",
        "市议会批准了新的交通预算。",
        "新的交通预算用于公共汽车。",
        "交通预算将在三月生效。",
        "足球队赢得了比赛。",
    ]
    chosen, _ = extractive_indices(sentences, 8, "zh")
    assert chosen and set(chosen) <= {1, 2, 3}


def test_extractive_memory_stays_bounded_on_tens_of_thousands_of_lines() -> None:
    import tracemalloc

    sentences = [f"Word{i % 50} line{i % 7}." for i in range(20_000)]
    tracemalloc.start()
    try:
        chosen, notes = extractive_indices(sentences, 40, "en")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert chosen
    assert peak < 300 * 2**20  # the full 20,000 x 20,000 matrix alone would be 1.6 GB
    assert any("blocks of 1000" in note for note in notes)


def test_extractive_says_when_one_sentence_is_longer_than_asked() -> None:
    long = "The council " + " ".join(["approved the long budget"] * 20) + "."
    chosen, notes = extractive_indices([long], 10, "en")
    assert chosen == [0]
    assert any("kept whole" in note for note in notes)


def test_extractive_summary_is_made_of_the_texts_sentences(pipeline: Pipeline) -> None:
    summary = pipeline.summarize(ARTICLE_EN, words=50, method="extractive")
    assert summary.method == "extractive"
    assert summary.language == "en"
    sentences = split_text(ARTICLE_EN, "en").sentences
    remaining = summary.text
    for sentence in sentences:
        remaining = remaining.replace(sentence, "")
    assert remaining.strip() == ""
    assert summary.words == count_words(summary.text)


def test_extractive_summary_of_chinese(pipeline: Pipeline) -> None:
    summary = pipeline.summarize(SAMPLES["zh"] * 3, words=10, method="extractive")
    assert summary.language == "zh"
    assert summary.text and " " not in summary.text


def test_abstractive_summary_uses_the_model(settings: Settings, recording: Recording) -> None:
    loader, make = recording
    summary = make(settings).summarize(ARTICLE_EN, words=40)
    assert summary.method == "abstractive"
    assert loader.loads == ["summarize:en"]
    assert summary.text.strip()
    assert summary.words == count_words(summary.text)


def test_long_text_is_summarised_chunk_by_chunk_then_reduced(pipeline: Pipeline) -> None:
    text = "\n\n".join([ARTICLE_EN] * 40)  # far beyond the tiny summariser's 128-token window
    summary = pipeline.summarize(text, words=30)
    assert summary.method == "abstractive"
    assert summary.chunks > 10
    assert summary.text.strip()


def test_pivot_english_is_reused_for_the_summary(settings: Settings, recording: Recording) -> None:
    loader, make = recording
    result = make(settings).run(ARTICLE_FR, target="de", words=40)
    sentences = split_text(ARTICLE_FR, "fr").sentences
    # fr-en saw each sentence once, for the translation; the summary reused its English.
    assert len(loader.inputs["fr-en"]) == len(sentences)
    assert result.summary.method == "abstractive"
    assert result.summary.language == "de"
    assert loader.loads.count("summarize:en") == 1


def test_direct_route_translates_to_english_once_for_the_summary(
    settings: Settings, recording: Recording, registry_variant
) -> None:  # type: ignore[no-untyped-def]
    loader, make = recording
    # A registry where German -> French is direct: English is needed only for the summary.
    path = registry_variant(translation={"de-fr": "./fr-en"})
    result = make(settings.replace(registry_path=path)).run(SAMPLES["de"] * 4, target="fr")
    assert result.translation.route == ("de-fr",)
    assert result.summary.method == "abstractive"
    assert loader.loads.count("de-en") == 1  # the summary input
    assert loader.loads.count("en-fr") == 1  # the summary back into French


def test_missing_summariser_falls_back_to_extractive(settings: Settings, registry_variant) -> None:  # type: ignore[no-untyped-def]
    path = registry_variant(summarization={"en": "sshleifer/distilbart-cnn-12-6"})
    pipeline = Pipeline(settings.replace(registry_path=path))
    result = pipeline.run(ARTICLE_EN, target="en")
    assert result.summary.method == "extractive"
    assert result.summary.text
    [warning] = [w for w in result.warnings if "extractive" in w]
    assert "sshleifer/distilbart-cnn-12-6" in warning
    assert "mtsum models pull" not in warning  # a warning reaches every face: no command in it


def test_registry_without_summariser_falls_back_to_extractive(
    settings: Settings, registry_variant
) -> None:  # type: ignore[no-untyped-def]
    path = registry_variant(summarization={})
    result = Pipeline(settings.replace(registry_path=path)).run(ARTICLE_EN)
    assert result.summary.method == "extractive"
    assert any("no summarization model" in w for w in result.warnings)


def test_text_shorter_than_the_summary_is_its_own_summary(pipeline: Pipeline) -> None:
    text = "The council approved a new budget for buses on Tuesday evening."
    summary = pipeline.summarize(text, words=50)
    assert summary.text == text
    assert any("its own summary" in w for w in summary.warnings)


def test_a_length_left_automatic_is_never_called_asked_for(pipeline: Pipeline) -> None:
    text = "The council approved a new budget for buses on Tuesday evening."
    automatic = pipeline.summarize(text)
    assert any("no longer than a summary of it would be" in w for w in automatic.warnings)
    assert not any("asked for" in w for w in automatic.warnings)
    asked = pipeline.summarize(text, words=50)
    assert any("no longer than the summary asked for (50 words)" in w for w in asked.warnings)


def test_summary_language_must_route_back_to_the_target(
    settings: Settings, registry_variant
) -> None:  # type: ignore[no-untyped-def]
    # Korean can be read (ko-en) but not written: an English summary could not come back.
    path = registry_variant(translation={"ko-en": "./fr-en"})
    result = Pipeline(settings.replace(registry_path=path)).run(SAMPLES["ko"] * 3, target="ko")
    assert result.translation.route == ()
    assert result.summary.method == "extractive"
    assert result.summary.language == "ko"
    assert any("no summarization model usable for 'ko'" in w for w in result.warnings)
