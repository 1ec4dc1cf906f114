"""The CTranslate2 engine: converted once, rebuilt when broken, same shapes as transformers.

The pipeline, translation and summary tests run on this engine too (the ``engine`` fixture of
``conftest.py``); these tests cover what only this engine has: the conversion cache, engine
selection, compute types and agreement with the transformers engine.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from mtsum import ConfigError, ModelUnavailableError, Settings
from mtsum.engines import GenerationOptions, ct2_convert
from mtsum.models import ModelStore
from mtsum.registry import ModelEntry

pytest.importorskip("ctranslate2", reason="the fast extra (ctranslate2) is not installed")


def local_entry(folder: Path, name: str = "fr-en") -> ModelEntry:
    return ModelEntry(name, str(folder), True)


@pytest.fixture
def ct2_settings(settings: Settings, tmp_path: Path) -> Settings:
    """CTranslate2 with a store of its own, so every test starts with no conversion."""
    return settings.replace(engine="ctranslate2", model_dir=tmp_path / "store")


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Records every conversion the store makes."""
    made: list[Path] = []
    real = ct2_convert.convert_model

    def counting(source: Path, output: Path, quantization: str, allow_pickle: bool) -> None:
        made.append(source)
        real(source, output, quantization, allow_pickle)

    monkeypatch.setattr(ct2_convert, "convert_model", counting)
    return made


def converted_folder(settings: Settings, entry: ModelEntry, quantization: str = "int8") -> Path:
    return ct2_convert.conversion_dir(
        settings.store_dir, entry.reference, entry.revision, quantization
    )


def test_first_use_converts_into_the_store_with_a_manifest(
    ct2_settings: Settings, tiny_root: Path, conversions: list[Path]
) -> None:
    entry = local_entry(tiny_root / "fr-en")
    engine = ModelStore(ct2_settings).engine(entry)
    assert engine.kind == "ctranslate2"
    folder = converted_folder(ct2_settings, entry)
    assert folder.parent.parent == ct2_settings.store_dir / "ct2"
    assert (folder / "model.bin").is_file()
    manifest = json.loads((folder / ct2_convert.MANIFEST).read_text())
    assert manifest["quantization"] == "int8"
    assert manifest["files"]["model.bin"] == (folder / "model.bin").stat().st_size
    assert conversions == [tiny_root / "fr-en"]
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]


def test_second_load_reuses_the_conversion(
    ct2_settings: Settings, tiny_root: Path, conversions: list[Path]
) -> None:
    entry = local_entry(tiny_root / "fr-en")
    first = ModelStore(ct2_settings).engine(entry)
    second = ModelStore(ct2_settings).engine(entry)  # a new process would do the same
    assert first is not second
    assert len(conversions) == 1
    texts = ["Le conseil vote un budget."]
    options = GenerationOptions(max_new_tokens=8, num_beams=1)
    assert second.generate(texts, options) == first.generate(texts, options)


def test_truncated_conversion_is_rebuilt(
    ct2_settings: Settings, tiny_root: Path, conversions: list[Path]
) -> None:
    entry = local_entry(tiny_root / "fr-en")
    ModelStore(ct2_settings).engine(entry)
    weights = converted_folder(ct2_settings, entry) / "model.bin"
    weights.write_bytes(weights.read_bytes()[:1000])
    engine = ModelStore(ct2_settings).engine(entry)
    assert len(conversions) == 2
    assert engine.generate(["Le budget."], GenerationOptions(max_new_tokens=4))[0]


def test_damaged_conversion_of_the_right_size_is_rebuilt(
    ct2_settings: Settings, tiny_root: Path, conversions: list[Path]
) -> None:
    entry = local_entry(tiny_root / "fr-en")
    ModelStore(ct2_settings).engine(entry)
    weights = converted_folder(ct2_settings, entry) / "model.bin"
    weights.write_bytes(b"\xff" * weights.stat().st_size)  # garbage, same size
    engine = ModelStore(ct2_settings).engine(entry)
    assert len(conversions) == 2
    assert engine.generate(["Le budget."], GenerationOptions(max_new_tokens=4))[0]


def test_half_written_conversion_never_counts(
    ct2_settings: Settings, tiny_root: Path, conversions: list[Path]
) -> None:
    entry = local_entry(tiny_root / "fr-en")
    folder = converted_folder(ct2_settings, entry)
    # What an interrupted conversion leaves: files, but no manifest (it is written last).
    folder.mkdir(parents=True)
    (folder / "model.bin").write_bytes(b"partial")
    (folder / "config.json").write_text("{}")
    ModelStore(ct2_settings).engine(entry)
    assert len(conversions) == 1
    assert (folder / ct2_convert.MANIFEST).is_file()


def test_changed_source_model_is_converted_again(
    ct2_settings: Settings, tiny_root: Path, tmp_path: Path, conversions: list[Path]
) -> None:
    source = tmp_path / "model"
    shutil.copytree(tiny_root / "fr-en", source)
    entry = local_entry(source)
    ModelStore(ct2_settings).engine(entry)
    shutil.copy2(tiny_root / "de-en" / "model.safetensors", source / "model.safetensors")
    ModelStore(ct2_settings).engine(entry)
    assert len(conversions) == 2


def test_quantizations_are_cached_apart(
    ct2_settings: Settings, tiny_root: Path, conversions: list[Path]
) -> None:
    entry = local_entry(tiny_root / "fr-en")
    ModelStore(ct2_settings).engine(entry)
    ModelStore(ct2_settings.replace(compute_type="float32")).engine(entry)
    assert converted_folder(ct2_settings, entry, "int8").is_dir()
    assert converted_folder(ct2_settings, entry, "float32").is_dir()
    assert len(conversions) == 2


def test_pickle_only_weights_are_made_safe_before_ctranslate2_reads_them(
    ct2_settings: Settings, tiny_root: Path, tmp_path: Path
) -> None:
    from tests.support.tinymodels import save_as_pickle_only

    folder = save_as_pickle_only(tiny_root / "fr-en", tmp_path / "pickled")
    assert ModelStore(ct2_settings).engine(local_entry(folder)).kind == "ctranslate2"
    assert (ct2_settings.store_dir / "converted").is_dir()
    allowed = ModelStore(ct2_settings.replace(allow_pickle=True))
    assert allowed.engine(local_entry(folder)).kind == "ctranslate2"


def test_auto_uses_ctranslate2_when_installed(settings: Settings) -> None:
    assert ModelStore(settings.replace(engine="auto")).engine_kind == "ctranslate2"


def test_auto_uses_transformers_without_ctranslate2(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mtsum.models.ctranslate2_importable", lambda: False)
    assert ModelStore(settings.replace(engine="auto")).engine_kind == "transformers"
    with pytest.raises(ConfigError, match=r"fast extra"):
        ModelStore(settings.replace(engine="ctranslate2"))


def test_auto_falls_back_to_transformers_for_an_unconvertible_model(
    settings: Settings, tiny_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(source: Path, *_: Any) -> None:
        raise ct2_convert.ConversionFailedError(str(source), "no converter for this architecture")

    monkeypatch.setattr(ct2_convert, "convert_model", refuse)
    auto = settings.replace(engine="auto", model_dir=tmp_path / "store")
    entry = local_entry(tiny_root / "fr-en")
    assert ModelStore(auto).engine(entry).kind == "transformers"
    with pytest.raises(ModelUnavailableError, match="no converter"):
        ModelStore(auto.replace(engine="ctranslate2")).engine(entry)


def test_cache_key_names_the_engine(settings: Settings, tiny_root: Path) -> None:
    entry = local_entry(tiny_root / "fr-en")
    ct2 = ModelStore(settings.replace(engine="ctranslate2")).key(entry)
    hf = ModelStore(settings.replace(engine="transformers")).key(entry)
    assert ct2 != hf
    assert ct2.startswith("ctranslate2:") and hf.startswith("transformers:")


def test_compute_type_is_read_and_checked() -> None:
    assert Settings.from_env({"MTSUM_COMPUTE_TYPE": "float32"}).compute_type == "float32"
    assert Settings.from_env({}).compute_type == "auto"
    with pytest.raises(ConfigError, match=r"MTSUM_COMPUTE_TYPE.*expected one of"):
        Settings.from_env({"MTSUM_COMPUTE_TYPE": "int3"})


def test_compute_type_the_cpu_lacks_names_the_ones_it_has(
    ct2_settings: Settings, tiny_root: Path
) -> None:
    import ctranslate2

    if "float16" in ctranslate2.get_supported_compute_types("cpu"):
        pytest.skip("this CPU computes in float16, so there is no unsupported type to ask for")
    store = ModelStore(ct2_settings.replace(compute_type="float16"))
    with pytest.raises(ConfigError, match=r"not supported on cpu.*int8"):
        store.engine(local_entry(tiny_root / "fr-en"))


def test_generation_settings_come_from_the_checkpoint(
    ct2_settings: Settings, tiny_root: Path
) -> None:
    store = ModelStore(ct2_settings)
    marian: Any = store.engine(local_entry(tiny_root / "fr-en"))
    bart: Any = store.engine(local_entry(tiny_root / "sum-en", "summarize:en"))
    assert (marian.num_beams, marian.no_repeat_ngram_size) == (1, 0)
    assert (bart.num_beams, bart.no_repeat_ngram_size) == (1, 3)
    assert marian.max_input_tokens == bart.max_input_tokens == 128


@pytest.mark.parametrize(("folder", "name"), [("fr-en", "fr-en"), ("sum-en", "summarize:en")])
@pytest.mark.parametrize("beams", [1, 2])
def test_float32_output_equals_the_transformers_engine(
    ct2_settings: Settings, tiny_root: Path, folder: str, name: str, beams: int
) -> None:
    entry = local_entry(tiny_root / folder, name)
    ct2 = ModelStore(ct2_settings.replace(compute_type="float32")).engine(entry)
    hf = ModelStore(ct2_settings.replace(engine="transformers")).engine(entry)
    texts = ["Le conseil municipal vote un budget.", "Les bus seront plus fréquents."]
    assert ct2.count_tokens(texts) == hf.count_tokens(texts)

    def options(tokens: int) -> GenerationOptions:
        return GenerationOptions(max_new_tokens=tokens, min_new_tokens=tokens, num_beams=beams)

    # transformers forces </s> as the last of its new tokens; CTranslate2 does not.
    assert ct2.generate(texts, options(12)) == hf.generate(texts, options(13))
