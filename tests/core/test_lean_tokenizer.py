"""The CTranslate2 engine's tokenizer: the class AutoTokenizer picks, loaded without torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from transformers import AutoTokenizer

from mtsum import Pipeline, Settings
from mtsum.engines.lean_tokenizer import load_tokenizer, tokenizer_class_name

pytest.importorskip("ctranslate2", reason="the fast extra (ctranslate2) is not installed")

SAMPLE = "Le conseil vote le budget, 12 voix contre 3."


@pytest.mark.parametrize("model", ["fr-en", "en-mul", "sum-en"])
def test_the_lean_tokenizer_equals_autotokenizer(tiny_root: Path, model: str) -> None:
    folder = tiny_root / model
    lean, auto = load_tokenizer(folder), AutoTokenizer.from_pretrained(folder)
    assert type(lean) is type(auto)
    assert lean(SAMPLE)["input_ids"] == auto(SAMPLE)["input_ids"]
    assert lean.model_max_length == auto.model_max_length


def test_the_class_comes_from_the_model_type_when_not_declared(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "marian"}))
    (tmp_path / "tokenizer_config.json").write_text("{}")
    assert tokenizer_class_name(tmp_path) == "MarianTokenizer"


@pytest.mark.parametrize(
    "declared",
    [{"tokenizer_class": "SomethingElseTokenizer"}, {"auto_map": {"AutoTokenizer": "x.Y"}}],
)
def test_unknown_or_custom_tokenizers_go_through_autotokenizer(
    tmp_path: Path, declared: dict[str, object]
) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "marian"}))
    (tmp_path / "tokenizer_config.json").write_text(json.dumps(declared))
    assert tokenizer_class_name(tmp_path) is None


def test_a_converted_model_translates_and_summarises_without_torch(
    settings: Settings, tmp_path: Path
) -> None:
    """After the first use (the conversion needs torch), a process never imports it."""
    ct2 = settings.replace(engine="ctranslate2", model_dir=tmp_path / "store")
    text = "Le conseil vote le budget. La ville ouvre une école. Les bus roulent la nuit."
    Pipeline(ct2).run(text, target="en", source="fr", words=8)  # converts both models
    script = (
        "import sys; from pathlib import Path; from mtsum import Pipeline, Settings\n"
        f"s = Settings(registry_path=Path({str(ct2.registry_path)!r}), "
        f"model_dir=Path({str(ct2.model_dir)!r}), offline=True, device='cpu', "
        "engine='ctranslate2', threads=1)\n"
        f"Pipeline(s).run({text!r}, target='en', source='fr', words=8)\n"
        "print('torch' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "False"
