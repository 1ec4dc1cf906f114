"""Translation on the tiny models: routes, paragraphs kept, no sentence ever lost."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mtsum import Pipeline, Settings
from mtsum.text import split_text
from tests.conftest import RecordingLoader
from tests.support.texts import ARTICLE_DE, ARTICLE_ES, ARTICLE_FR, SAMPLES


@pytest.fixture
def pipeline(engine_pipeline: Pipeline) -> Pipeline:
    """This module's tests run on both engines (transformers and CTranslate2)."""
    return engine_pipeline


Recording = tuple[RecordingLoader, Callable[[Settings], Pipeline]]


def paragraphs(text: str) -> int:
    return len(split_text(text, "en").paragraphs)


def test_direct_route_keeps_paragraphs_and_every_sentence(pipeline: Pipeline) -> None:
    translation = pipeline.translate(ARTICLE_FR, target="en")
    assert translation.route == ("fr-en",)
    assert translation.source == "fr"
    assert paragraphs(translation.text) == paragraphs(ARTICLE_FR) == 3
    source_sentences = split_text(ARTICLE_FR, "fr").sentences
    assert [s.source for s in translation.segments] == source_sentences
    assert all(s.text.strip() for s in translation.segments)


def test_pivot_route_through_english(pipeline: Pipeline, tiny_root) -> None:  # type: ignore[no-untyped-def]
    translation = pipeline.translate(ARTICLE_DE, target="fr")
    assert translation.route == ("de-en", "en-fr")
    assert translation.models == (str(tiny_root / "de-en"), str(tiny_root / "en-fr"))
    assert paragraphs(translation.text) == paragraphs(ARTICLE_DE)


def test_multilingual_route_sends_the_target_token(
    settings: Settings, recording: Recording
) -> None:
    loader, make = recording
    translation = make(settings).translate(ARTICLE_ES, target="it")
    assert translation.route == ("es-en", "en-it")
    assert loader.inputs["en-mul"]
    assert all(text.startswith(">>ita<< ") for text in loader.inputs["en-mul"])
    assert not any(text.startswith(">>") for text in loader.inputs["mul-en"])


def test_same_language_returns_the_text_unchanged(pipeline: Pipeline) -> None:
    text = "  " + ARTICLE_FR + "\n\n"
    translation = pipeline.translate(text, target="fr")
    assert translation.route == ()
    assert translation.models == ()
    assert translation.text == text


def test_given_source_skips_detection(settings: Settings, recording: Recording) -> None:
    loader, make = recording
    # German text declared as French: the caller is trusted, the fr-en model is used.
    translation = make(settings).translate(ARTICLE_DE, target="en", source="fr")
    assert translation.source == "fr"
    assert translation.route == ("fr-en",)
    assert loader.loads == ["fr-en"]


def test_long_document_of_2000_sentences_loses_nothing(pipeline: Pipeline) -> None:
    sentences = [f"Le conseil {i} vote un budget." for i in range(2100)]
    text = "\n\n".join(" ".join(sentences[i : i + 7]) for i in range(0, len(sentences), 7))
    translation = pipeline.translate(text, target="en", source="fr")
    assert len(translation.segments) == 2100
    assert [s.source for s in translation.segments] == sentences
    assert paragraphs(translation.text) == 300
    assert all(s.text for s in translation.segments)


def test_3000_word_sentence_without_punctuation_is_split_never_cut(pipeline: Pipeline) -> None:
    words = ("le conseil municipal vote un budget pour les bus de la ville " * 250).split()
    sentence = " ".join(words[:3000])
    translation = pipeline.translate(sentence, target="en", source="fr")
    assert len(translation.segments) == 1
    assert any("translated in pieces" in w for w in translation.warnings)
    # Every piece was translated: the output is far longer than one model call could write.
    assert len(translation.text.split()) > 200


def test_long_sentence_pieces_cover_every_word_and_leave_room_for_the_output(
    settings: Settings, recording: Recording
) -> None:
    from mtsum.hops import piece_limit

    loader, make = recording
    pipeline = make(settings)
    words = [f"mot{i}" for i in range(3000)]
    pipeline.translate(" ".join(words), target="en", source="fr")
    pieces = loader.inputs["fr-en"]
    assert len(pieces) > 1
    # Batches run longest first, so compare as sets: every word once, none dropped or repeated.
    sent = " ".join(pieces).split()
    assert sorted(sent) == sorted(words)
    engine = pipeline.store.engine(pipeline.registry.translation["fr-en"])
    limit = piece_limit(engine)
    assert max(engine.count_tokens(pieces)) <= limit
    # The output cap of the longest piece (1.5x + 10, rounded up) fits the decoder.
    assert (limit + 16) * 3 // 2 + 10 <= engine.max_output_tokens


def test_segments_without_letters_are_kept_as_they_are(pipeline: Pipeline) -> None:
    text = "Le budget des bus augmente cette année.\n\n2024\n\n***"
    translation = pipeline.translate(text, target="en", source="fr")
    assert translation.text.split("\n\n")[1:] == ["2024", "***"]


def test_progress_reports_every_piece(pipeline: Pipeline) -> None:
    seen: list[tuple[str, int, int]] = []
    pipeline.translate(ARTICLE_FR, target="de", progress=lambda *a: seen.append(a))
    labels = [label for label, _, _ in seen]
    assert "translating fr-en" in labels and "translating en-de" in labels
    last = {label: (done, total) for label, done, total in seen}
    assert all(done == total for done, total in last.values())


def test_every_sample_language_with_a_route_translates(pipeline: Pipeline) -> None:
    for language in ("fr", "de", "es"):
        translation = pipeline.translate(SAMPLES[language], target="en")
        assert translation.source == language
        assert translation.text.strip()


def test_every_translated_sentence_carries_its_score(pipeline: Pipeline) -> None:
    # Scores come from whichever engine runs (both), through the memory, into the result.
    text = ARTICLE_FR + "\n\n2024 — 15 %"
    translation = pipeline.translate(text, target="en", source="fr")
    kept = [s for s in translation.segments if not any(c.isalpha() for c in s.source)]
    scored = [s for s in translation.segments if s not in kept]
    assert kept and all(s.score is None for s in kept)  # kept as it is: no score
    assert all(s.score is not None and s.score <= 0 for s in scored)
    data = translation.to_dict()["segments"]
    assert all(
        ("score" in d) == (s in scored) for d, s in zip(data, translation.segments, strict=True)
    )
    again = pipeline.translate(text, target="de", source="fr")  # a pivot: fr -> en -> de
    assert all(
        s.score is not None for s in again.segments if s.source in {x.source for x in scored}
    )
