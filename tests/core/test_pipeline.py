"""The full run: the contract's JSON, validation of every argument, honest warnings."""

from __future__ import annotations

import json

import pytest

from mtsum import InputError, Pipeline, Settings, TextTooLongError, UnsupportedLanguageError
from tests.support.texts import ARTICLE_EN, ARTICLE_FR, SAMPLES


@pytest.fixture
def pipeline(engine_pipeline: Pipeline) -> Pipeline:
    """This module's tests run on both engines (transformers and CTranslate2)."""
    return engine_pipeline


def test_result_json_has_exactly_the_contract_shape(pipeline: Pipeline) -> None:
    data = json.loads(pipeline.run(ARTICLE_FR, target="de").to_json())
    assert set(data) == {"detection", "translation", "summary", "stats", "warnings"}
    assert set(data["detection"]) == {"language", "probability", "reliable", "candidates"}
    assert set(data["detection"]["candidates"][0]) == {"language", "probability"}
    assert set(data["translation"]) == {
        "text", "source", "target", "route", "models", "profile", "segments", "flags",
    }  # fmt: skip
    assert set(data["summary"]) == {
        "text", "language", "method", "words", "sentences", "sources", "flags",
    }  # fmt: skip
    assert len(data["summary"]["sentences"]) == len(data["summary"]["sources"])
    assert set(data["stats"]) == {"characters", "paragraphs", "sentences", "chunks", "seconds"}
    assert set(data["stats"]["seconds"]) == {"detect", "translate", "summarize"}
    assert data["detection"]["language"] == "fr"
    assert data["translation"]["route"] == ["fr-en", "en-de"]
    assert len(data["translation"]["models"]) == 2
    assert data["translation"]["profile"] == "best"
    assert data["summary"]["language"] == "de"
    assert data["stats"]["paragraphs"] == 3
    assert data["stats"]["sentences"] == 9
    assert data["stats"]["characters"] == len(ARTICLE_FR)
    assert isinstance(data["warnings"], list)


def test_english_text_to_english_needs_no_translation(pipeline: Pipeline) -> None:
    result = pipeline.run(ARTICLE_EN, target="en", method="extractive")
    assert result.translation.route == ()
    assert result.translation.text == ARTICLE_EN
    assert result.detection.language == "en" and result.detection.reliable


def test_given_source_is_reported_with_certainty(pipeline: Pipeline) -> None:
    result = pipeline.run(ARTICLE_FR, target="en", source="FR", method="extractive")
    detection = result.to_dict()["detection"]
    assert detection == {"language": "fr", "probability": 1.0, "reliable": True, "candidates": []}


def test_auto_source_means_detect(pipeline: Pipeline) -> None:
    assert pipeline.run(ARTICLE_FR, source="auto", method="extractive").detection.candidates


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"text": ""}, InputError, "empty"),
        ({"text": " \n\t "}, InputError, "empty"),
        ({"text": "12 34 56"}, InputError, "no letters"),
        ({"text": "🙂🙂🙂"}, InputError, "no letters"),
        ({"text": b"bytes"}, InputError, "must be a string"),
        ({"target": "xx"}, UnsupportedLanguageError, "not supported"),
        ({"target": "French"}, UnsupportedLanguageError, "not a language code"),
        ({"source": "sw"}, UnsupportedLanguageError, "not supported"),
        ({"words": -5}, InputError, "between 1 and"),
        ({"words": 10**9}, InputError, "between 1 and"),
        ({"words": "fifty"}, InputError, "whole number"),
        ({"words": 2.5}, InputError, "whole number"),
        ({"method": "magic"}, InputError, "abstractive, extractive"),
    ],
)
def test_bad_arguments_are_input_errors(
    pipeline: Pipeline, kwargs: dict[str, object], error: type[Exception], fragment: str
) -> None:
    arguments: dict[str, object] = {"text": ARTICLE_FR, "target": "en", **kwargs}
    with pytest.raises(error, match=fragment):
        pipeline.run(**arguments)  # type: ignore[arg-type]


def test_text_over_the_limit_is_refused_before_any_work(settings: Settings) -> None:
    pipeline = Pipeline(settings.replace(max_chars=100))
    with pytest.raises(TextTooLongError, match="over the limit of 100") as info:
        pipeline.run("a" * 101)
    assert (info.value.characters, info.value.limit) == (101, 100)
    assert pipeline.store.loaded() == []


def test_detected_language_without_route_says_how_to_fix_it(pipeline: Pipeline) -> None:
    with pytest.raises(UnsupportedLanguageError, match="detected; set the source language"):
        pipeline.run(SAMPLES["ru"], target="en")


def test_words_zero_means_the_default(pipeline: Pipeline) -> None:
    result = pipeline.run(ARTICLE_EN, words=0, method="extractive")
    assert 30 <= result.summary.words <= 80


def test_control_characters_are_removed_with_a_warning(pipeline: Pipeline) -> None:
    result = pipeline.run("Le budget\x00 des bus augmente.\x07 " + ARTICLE_FR, method="extractive")
    assert any("control character" in w for w in result.warnings)
    assert "\x00" not in result.translation.text


def test_short_text_detection_doubt_reaches_the_warnings(pipeline: Pipeline) -> None:
    result = pipeline.run("Bonjour", target="en", method="extractive")
    assert result.detection.reliable is False
    assert any("very short" in w for w in result.warnings)


def test_mixed_language_paragraphs_are_announced(pipeline: Pipeline) -> None:
    text = ARTICLE_FR + "\n\n" + SAMPLES["de"] + " " + SAMPLES["de"]
    result = pipeline.run(text, target="en", method="extractive")
    assert result.detection.language == "fr"
    assert any("another language" in w and "(de)" in w for w in result.warnings)


def test_one_failed_request_does_not_spoil_the_next(pipeline: Pipeline) -> None:
    with pytest.raises(InputError):
        pipeline.run("", target="en")
    assert pipeline.run(ARTICLE_FR, target="en", method="extractive").translation.text


def test_non_text_source_is_an_input_error(pipeline: Pipeline) -> None:
    with pytest.raises(UnsupportedLanguageError, match="must be text"):
        pipeline.run(ARTICLE_FR, source=42)  # type: ignore[arg-type]


def test_detector_answers_the_pipelines_registry_read_on_first_use(settings: Settings) -> None:
    from mtsum.detect import UNIQUE_SCRIPTS

    pipeline = Pipeline(settings)
    assert pipeline._registry is None
    pipeline.detect("Le conseil municipal a voté hier soir un nouveau budget pour les bus.")
    routed = set(pipeline.registry.languages())
    assert pipeline.detector.languages() <= routed | set(UNIQUE_SCRIPTS.values())
