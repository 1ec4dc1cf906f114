"""``Pipeline.stream``: detection, every paragraph once and in order, summary, then the Result
that ``execute`` returns; each paragraph leaves before the rest is generated; closing stops it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import pairwise
from typing import Any

import pytest

from mtsum import (
    Detection,
    Paragraph,
    Pipeline,
    Request,
    Result,
    Settings,
    Summary,
    Translation,
    UnsupportedLanguageError,
)
from mtsum.pipeline_stream import Routed
from mtsum.results import Flag
from mtsum.text import split_text
from mtsum.waves import (
    CHARS_PER_TOKEN,
    FIRST_WAVE_SENTENCES,
    MIN_WAVE_BATCHES,
    WAVE_GROWTH,
    paragraph_spans,
    plan_waves,
)
from tests.support.loaders import RecordingLoader
from tests.support.texts import ARTICLE_EN, ARTICLE_FR

Recording = tuple[RecordingLoader, Callable[[Settings], Pipeline]]


@pytest.fixture
def pipeline(engine_pipeline: Pipeline) -> Pipeline:
    """The order and equality tests run on both engines (transformers and CTranslate2)."""
    return engine_pipeline


def _without_timings(result: Result) -> dict[str, Any]:
    data = result.to_dict()
    del data["stats"]["seconds"]
    return data


def _paragraphs(stages: list[Any]) -> list[Paragraph]:
    return [stage for stage in stages if isinstance(stage, Paragraph)]


@pytest.mark.parametrize("target", ["en", "de"])  # direct, and a pivot through English
def test_stream_yields_each_paragraph_once_in_order_and_ends_with_the_run_result(
    pipeline: Pipeline, target: str
) -> None:
    request = Request(target=target, method="extractive")
    stages = list(pipeline.stream(ARTICLE_FR, request))
    kinds = [type(stage) for stage in stages]
    paragraphs = _paragraphs(stages)
    assert kinds == [Routed] + [Paragraph] * len(paragraphs) + [Summary, Result]
    assert isinstance(stages[0], Detection)  # a Routed is the Detection, with the way it goes
    result = stages[-1]
    assert isinstance(result, Result)
    assert [p.index for p in paragraphs] == list(range(result.stats.paragraphs)) == [0, 1, 2]
    assert {p.total for p in paragraphs} == {3}
    assert "\n\n".join(p.text for p in paragraphs) == result.translation.text
    assert [s for p in paragraphs for s in p.segments] == list(result.translation.segments)
    assert [f for p in paragraphs for f in p.flags] == list(result.translation.flags)
    assert [p.first for p in paragraphs] == [0, 3, 6]
    assert stages[-2] == result.summary
    assert _without_timings(result) == _without_timings(pipeline.run(ARTICLE_FR, request=request))


def test_stream_without_summary_ends_with_what_translate_returns(pipeline: Pipeline) -> None:
    request = Request(target="de")
    stages = list(pipeline.stream(ARTICLE_FR, request, summary=False))
    assert isinstance(stages[0], Detection)
    assert [p.index for p in _paragraphs(stages)] == [0, 1, 2]
    assert stages[-1] == pipeline.translate(ARTICLE_FR, request=request)
    assert isinstance(stages[-1], Translation)


def test_same_language_streams_the_source_paragraphs_and_keeps_the_text(
    pipeline: Pipeline,
) -> None:
    stages = list(pipeline.stream(ARTICLE_EN, Request(target="en", method="extractive")))
    paragraphs = _paragraphs(stages)
    result = stages[-1]
    assert isinstance(result, Result)
    assert result.translation.text == ARTICLE_EN
    assert len(paragraphs) == result.stats.paragraphs
    assert all(s.source == s.text for p in paragraphs for s in p.segments)


def test_first_paragraph_leaves_before_the_rest_is_generated(
    settings: Settings, recording: Recording
) -> None:
    loader, make = recording
    pipeline = make(settings)
    stream = pipeline.stream(ARTICLE_FR, Request(target="en", source="fr"))
    assert isinstance(next(stream), Detection)
    first = next(stream)
    assert isinstance(first, Paragraph) and first.index == 0
    # Only the first wave has been to the engine so far: the first paragraph and its guests.
    document = split_text(ARTICLE_FR, "fr")
    first_wave = [document.sentences[i] for i in plan_waves(document, settings.batch_tokens)[0]]
    assert sorted(loader.inputs["fr-en"]) == sorted(first_wave)
    assert {segment.source for segment in first.segments} < set(first_wave)
    calls = sum(loader.calls.values())
    stream.close()  # the reader leaves: nothing more is generated
    assert sum(loader.calls.values()) == calls
    assert len(split_text(ARTICLE_FR, "fr").sentences) > len(loader.inputs["fr-en"])


def test_translate_many_keeps_the_streamed_output_of_each_text(pipeline: Pipeline) -> None:
    # Batch mode shares batches across texts but gives each sentence its own waves' options.
    texts = [ARTICLE_FR, ARTICLE_FR.split("\n\n", 1)[1], "Bonjour. " + ARTICLE_FR]
    request = Request(target="en", source="fr")
    together = pipeline.translate(texts, request=request)
    alone = [pipeline.translate(text, request=request) for text in texts]
    assert together == alone


def test_waves_start_with_the_first_paragraph_and_cover_every_sentence_once() -> None:
    paragraphs = [f"Phrase {n} du paragraphe. Encore une phrase numéro {n}." for n in range(60)]
    document = split_text("\n\n".join(paragraphs), "fr")
    waves = plan_waves(document, batch_tokens=64)
    spans = paragraph_spans(document)
    assert sorted(i for wave in waves for i in wave) == list(range(len(document.sentences)))
    assert all(wave == sorted(wave) for wave in waves)
    first, end = spans[0]
    assert waves[0][: end - first] == list(range(first, end))
    guests = waves[0][end - first :]
    assert len(waves[0]) == FIRST_WAVE_SENTENCES and guests
    longest = max(len(document.sentences[i]) for i in range(first, end))
    assert all(len(document.sentences[i]) <= longest for i in guests)
    # Later waves are runs of whole paragraphs, less the guests, in order.
    paragraph_of = {i: span for span in spans for i in range(*span)}
    for a, b in pairwise(waves[1:]):
        assert a[-1] < b[0]
    for wave in waves[1:]:
        low, high = paragraph_of[wave[0]][0], paragraph_of[wave[-1]][1]
        assert set(range(low, high)) == set(wave) | {g for g in guests if low <= g < high}
    assert 3 <= len(waves) <= 8
    single = split_text("Une seule phrase. Et une autre.", "fr")
    assert plan_waves(single, 512) == [[0, 1]]


def test_a_guest_is_never_longer_than_the_first_paragraphs_longest_sentence() -> None:
    text = (
        "Titre court.\n\nUne phrase bien plus longue que le titre, avec des détails. Oui.\n\nNon."
    )
    document = split_text(text, "fr")
    waves = plan_waves(document, batch_tokens=512)
    # "Oui." and "Non." fit beside the title; the long sentence waits for its own wave.
    assert waves == [[0, 2, 3], [1]]


def test_each_wave_but_the_last_outgrows_everything_before_it() -> None:
    # Few waves (each ends in an underfull batch), yet the second as small as the rule allows.
    paragraphs = [f"Phrase {n} du paragraphe. Encore une phrase numéro {n}." for n in range(200)]
    document = split_text("\n\n".join(paragraphs), "fr")
    waves = plan_waves(document, batch_tokens=64)
    guests = set(waves[0]) - set(range(*paragraph_spans(document)[0]))

    def size(indices: Iterable[int]) -> int:
        return sum(len(document.sentences[i]) for i in indices)

    starts = {end: first for first, end in paragraph_spans(document)}  # paragraph end -> start
    least = MIN_WAVE_BATCHES * 64 * CHARS_PER_TOKEN
    for index in range(1, len(waves) - 1):
        # Sized as whole paragraphs, the guests taken out of them counted in.
        first, end = waves[index][0], waves[index][-1] + 1
        before = size(range(first)) - size(g for g in guests if g < first) + size(guests)
        wanted = max(least, WAVE_GROWTH * before)
        assert size(range(first, end)) >= wanted
        # Closed as soon as it was large enough: without its last paragraph it was not.
        assert size(range(first, starts[end])) < wanted
    assert len(waves) <= 6


def test_paragraph_flags_are_numbered_as_in_the_whole_translation() -> None:
    flag = Flag(sentence=4, kind="length", detail="x")
    paragraph = Paragraph(index=1, total=2, text="text", first=3, segments=(), flags=(flag,))
    assert paragraph.to_dict()["flags"] == [{"sentence": 4, "kind": "length", "detail": "x"}]
    assert paragraph.to_dict()["first"] == 3


@pytest.mark.parametrize(("target", "route"), [("en", ("fr-en",)), ("DE", ("fr-en", "en-de"))])
def test_the_first_event_carries_the_checked_target_and_its_route(
    pipeline: Pipeline, target: str, route: tuple[str, ...]
) -> None:
    stream = pipeline.stream(ARTICLE_FR, Request(target=target, source="fr"), summary=False)
    routed = next(stream)
    stream.close()
    assert isinstance(routed, Routed)
    assert routed.target == target.lower() and routed.route == route
    assert routed.route == pipeline.route("fr", routed.target)
    plain = pipeline.detect(ARTICLE_FR)
    assert set(routed.to_dict()) == set(plain.to_dict())  # the same JSON as a Detection


def test_a_text_in_its_target_language_has_an_empty_route(pipeline: Pipeline) -> None:
    routed = next(pipeline.stream(ARTICLE_EN, Request(target="en", source="en")))
    assert isinstance(routed, Routed) and routed.route == ()


def test_no_route_is_none_and_the_stream_raises_next(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_route(*_: Any, **__: Any) -> None:
        raise UnsupportedLanguageError("no model route", (), "no model route")

    stream = pipeline.stream(ARTICLE_FR, Request(target="en", source="fr"))
    # The check does not route: only the routing fails.
    monkeypatch.setattr(pipeline.registry, "route", no_route)
    routed = next(stream)
    assert isinstance(routed, Routed) and routed.route is None and routed.target == "en"
    with pytest.raises(UnsupportedLanguageError, match="cannot be translated"):
        next(stream)
