"""Many texts translated together: per-item detection, shared batches, item-by-item results."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from mtsum import InputError, Pipeline, Request, Settings, Translation
from tests.support.loaders import RecordingLoader
from tests.support.texts import SAMPLES

Recording = tuple[RecordingLoader, Callable[[Settings], Pipeline]]
SHORT = [f"Le conseil {n} vote le budget de la ville." for n in range(12)]


def test_translating_a_list_equals_translating_each_text_alone(
    settings: Settings, recording: Recording
) -> None:
    _, make = recording
    off = settings.replace(translation_memory="off")
    texts = [SAMPLES["fr"], SAMPLES["de"], "", SAMPLES["en"], *SHORT[:3]]
    together = make(off).translate(texts, target="en")
    alone = make(off)
    for text, outcome in zip(texts, together, strict=True):
        if not text:
            assert isinstance(outcome, InputError)
            continue
        assert isinstance(outcome, Translation)
        assert same(outcome, alone.translate(text, target="en"))


def test_translating_a_list_shares_engine_batches(settings: Settings, recording: Recording) -> None:
    loader, make = recording
    off = settings.replace(translation_memory="off")
    outcomes = make(off).translate(SHORT, target="en")
    assert all(isinstance(o, Translation) and o.route == ("fr-en",) for o in outcomes)
    assert loader.calls["fr-en"] < len(SHORT) / 2


def test_translating_a_list_takes_one_request(settings: Settings, recording: Recording) -> None:
    _, make = recording
    pipeline = make(settings.replace(translation_memory="off"))
    request = Request(target="en", source="fr")
    outcomes = pipeline.translate(SHORT[:3], request=request)
    alone = [pipeline.translate(text, request=request) for text in SHORT[:3]]
    assert all(
        isinstance(a, Translation) and isinstance(b, Translation) and same(a, b)
        for a, b in zip(outcomes, alone, strict=True)
    )
    with pytest.raises(InputError, match="xx"):
        pipeline.translate(SHORT[:3], request=Request(target="xx"))


def same(one: Translation, other: Translation) -> bool:
    """Equal translations; the scores may differ in their last digits (padding in a batch
    changes the float sums, not the tokens)."""

    def rounded(t: Translation) -> Translation:
        segments = tuple(
            s._replace(score=None if s.score is None else round(s.score, 4)) for s in t.segments
        )
        return dataclasses.replace(t, segments=segments)

    return rounded(one) == rounded(other)
