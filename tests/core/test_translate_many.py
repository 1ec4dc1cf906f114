"""Many texts translated together: per-item detection, shared batches, item-by-item results."""

from __future__ import annotations

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
        assert outcome == alone.translate(text, target="en")


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
    assert outcomes == [pipeline.translate(text, request=request) for text in SHORT[:3]]
    with pytest.raises(InputError, match="xx"):
        pipeline.translate(SHORT[:3], request=Request(target="xx"))
