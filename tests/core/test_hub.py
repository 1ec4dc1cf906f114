"""Real models from the hub: deselected by default (``pytest -m hub``), they need network."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtsum import Pipeline, Settings
from tests.support.texts import ARTICLE_EN, ARTICLE_FR

pytestmark = pytest.mark.hub


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    store: Path = tmp_path_factory.mktemp("hub-store")
    return Pipeline(Settings(model_dir=store, allow_pickle=True))


def test_real_french_to_english(real: Pipeline) -> None:
    translation = real.translate(ARTICLE_FR, target="en")
    assert translation.route == ("fr-en",)
    assert "library" in translation.text.lower()


def test_real_abstractive_summary(real: Pipeline) -> None:
    summary = real.summarize(ARTICLE_EN, words=50)
    assert summary.method == "abstractive"
    assert "library" in summary.text.lower()
