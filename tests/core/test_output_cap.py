"""The output cap never exceeds the checkpoint's declared ``max_length``, on both engines."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mtsum import Settings
from mtsum.engines.base import GenerationOptions
from mtsum.models import ModelStore
from mtsum.registry import ModelEntry
from tests.support.texts import ARTICLE_FR

SHORT = 12  # well under the tiny model's 128 positions


@pytest.fixture(scope="module")
def capped(tiny_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny fr-en model whose generation config declares ``max_length`` = SHORT."""
    folder = tmp_path_factory.mktemp("capped") / "fr-en"
    shutil.copytree(tiny_root / "fr-en", folder)
    path = folder / "generation_config.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["max_length"] = SHORT
    path.write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_the_cap_follows_the_generation_config(
    settings: Settings, engine: str, capped: Path, tmp_path: Path
) -> None:
    store = ModelStore(settings.replace(engine=engine, model_dir=tmp_path))
    model = store.engine(ModelEntry("fr-en", str(capped), True))
    assert model.max_output_tokens == SHORT - 1  # max_length counts the start token
    sentence = ARTICLE_FR.split("\n")[0]
    (output,) = model.generate([sentence], GenerationOptions(max_new_tokens=500))
    # Random weights never stop early, so the output runs to the cap; counting its decoded
    # text adds </s>, and re-encoding may cut a piece or two differently.
    assert model.count_tokens([output])[0] <= SHORT + 2


def test_without_a_declared_length_the_positions_cap(
    settings: Settings, tiny_root: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "fr-en"
    shutil.copytree(tiny_root / "fr-en", folder)
    (folder / "generation_config.json").unlink()
    store = ModelStore(settings.replace(model_dir=tmp_path / "store"))
    model = store.engine(ModelEntry("fr-en", str(folder), True))
    assert model.max_output_tokens == 127  # 128 positions, one for the start token
