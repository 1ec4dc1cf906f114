"""A REST list is one batch: items detected one by one, translated together, results unchanged."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mtsum import InputError, Pipeline, Request, Settings
from mtsum.web.rest import service
from tests.support.loaders import RecordingLoader
from tests.support.texts import SAMPLES

Recording = tuple[RecordingLoader, Callable[[Settings], Pipeline]]
AUTO_EN = Request(target="en")
FR_EN = Request(target="en", source="fr")
STRINGS = [f"Le musée {n} ouvre ses portes samedi." for n in range(20)]


@pytest.fixture
def off(settings: Settings) -> Settings:
    """No translation memory, so every item really reaches the engine."""
    return settings.replace(translation_memory="off")


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_a_list_gives_what_each_item_gives_alone(
    off: Settings, recording: Recording, fmt: str
) -> None:
    _, make = recording
    items = [SAMPLES["fr"], SAMPLES["de"], "2024", SAMPLES["en"], *STRINGS[:4]]
    if fmt == "html":
        items = [f"<p>{item}</p><p><b>{item[:20]}</b> fin.</p>" for item in items]
    together = service.translate_items(make(off), items, AUTO_EN, fmt, batch=True)
    alone = make(off)
    for item, result in zip(items, together, strict=True):
        [single] = service.translate_items(alone, [item], AUTO_EN, fmt, batch=False)
        assert result == single


def test_a_list_of_short_strings_shares_engine_batches(off: Settings, recording: Recording) -> None:
    loader, make = recording
    results = service.translate_items(make(off), STRINGS, FR_EN, "text", batch=True)
    assert len(results) == len(STRINGS)
    assert loader.calls["fr-en"] <= 2


def test_a_bad_item_is_named_and_nothing_is_translated(off: Settings, recording: Recording) -> None:
    loader, make = recording
    with pytest.raises(InputError, match=r"^q\[2\]: the text is empty"):
        service.translate_items(make(off), [*STRINGS[:2], "  "], FR_EN, "text", batch=True)
    assert loader.calls.get("fr-en", 0) == 0
