"""The public surface: names, import cost, the error tree and settings from the environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import mtsum
from mtsum.settings import Settings


def test_all_lists_exactly_the_public_names() -> None:
    expected = {
        "detect", "translate", "summarize", "run", "Pipeline", "Settings",
        "Detection", "Translation", "Summary", "Result", "Stats", "Candidate", "Paragraph",
        "Request", "MtsumError", "InputError", "ModelUnavailableError", "ConfigError",
        "TextTooLongError", "UnsupportedLanguageError", "__version__", "batch",
        "Article", "LinkError",
    }  # fmt: skip
    assert set(mtsum.__all__) == expected
    for name in mtsum.__all__:
        assert hasattr(mtsum, name), name


def test_import_loads_no_torch_transformers_or_gradio() -> None:
    code = (
        "import sys, mtsum\n"
        "names = ('torch', 'transformers', 'gradio', 'langdetect', 'ray', 'pyarrow')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_error_tree_matches_the_documented_hierarchy() -> None:
    assert issubclass(mtsum.InputError, mtsum.MtsumError)
    assert issubclass(mtsum.TextTooLongError, mtsum.InputError)
    assert issubclass(mtsum.UnsupportedLanguageError, mtsum.InputError)
    assert issubclass(mtsum.ModelUnavailableError, mtsum.MtsumError)
    assert issubclass(mtsum.ConfigError, mtsum.MtsumError)
    assert not issubclass(mtsum.ModelUnavailableError, mtsum.InputError)


def test_model_unavailable_carries_its_data_and_no_face_advice() -> None:
    error = mtsum.ModelUnavailableError("Helsinki-NLP/opus-mt-en-fr", "not downloaded", "en-fr")
    assert (error.model, error.name, error.reason) == (
        "Helsinki-NLP/opus-mt-en-fr",
        "en-fr",
        "not downloaded",
    )
    assert "Helsinki-NLP/opus-mt-en-fr" in str(error)
    assert "mtsum models pull" not in str(error)  # the CLI words that (operator_words)


def test_text_too_long_carries_its_numbers_and_no_setting() -> None:
    error = mtsum.TextTooLongError(1200, 1000)
    assert (error.characters, error.limit) == (1200, 1000)
    assert "MTSUM_" not in str(error)


def test_settings_from_env_reads_every_variable(tmp_path: Path) -> None:
    env = {
        "MTSUM_REGISTRY": str(tmp_path / "r.toml"),
        "MTSUM_MODEL_DIR": str(tmp_path / "store"),
        "MTSUM_DEVICE": "CPU",
        "MTSUM_MAX_CHARS": "500",
        "MTSUM_MAX_LOADED_MODELS": "2",
        "MTSUM_NUM_BEAMS": "3",
        "MTSUM_ALLOW_PICKLE": "yes",
        "HF_HUB_OFFLINE": "1",
    }
    settings = Settings.from_env(env)
    assert settings.registry_file == tmp_path / "r.toml"
    assert settings.store_dir == tmp_path / "store"
    assert settings.device == "cpu"
    assert (settings.max_chars, settings.max_loaded_models, settings.num_beams) == (500, 2, 3)
    assert settings.allow_pickle and settings.offline


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("MTSUM_DEVICE", "tpu", "expected one of: auto, cpu, cuda"),
        ("MTSUM_MAX_CHARS", "lots", "not a whole number"),
        ("MTSUM_MAX_CHARS", "0", "at least 1"),
        ("MTSUM_OFFLINE", "maybe", "not a boolean"),
        ("MTSUM_ENGINE", "fastest", "expected one of"),
    ],
)
def test_bad_setting_names_the_variable_and_the_choices(
    name: str, value: str, fragment: str
) -> None:
    with pytest.raises(mtsum.ConfigError, match=fragment):
        Settings.from_env({name: value})


def test_settings_defaults_need_no_environment() -> None:
    settings = Settings.from_env({})
    assert settings.registry_file.name in ("registry.toml", "_registry.toml")
    assert settings.registry_file.is_file()
    assert settings.offline is False


def test_module_functions_use_a_default_pipeline_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, registry_path: Path, tmp_path: Path
) -> None:
    monkeypatch.setenv("MTSUM_REGISTRY", str(registry_path))
    monkeypatch.setenv("MTSUM_MODEL_DIR", str(tmp_path))
    monkeypatch.setattr(mtsum, "_default", None)
    detection = mtsum.detect("Le conseil municipal a approuvé un nouveau budget pour les bus.")
    assert detection.language == "fr"
    assert mtsum._default_pipeline().settings.registry_file == registry_path
    result = mtsum.run("Le conseil municipal a approuvé un nouveau budget pour les bus.")
    assert result.translation.route == ("fr-en",)


def test_the_operator_is_told_the_command_and_the_setting() -> None:
    from mtsum.operator_words import operator_message

    missing = mtsum.ModelUnavailableError("Helsinki-NLP/opus-mt-en-fr", "not downloaded", "en-fr")
    assert operator_message(missing).endswith("fetch it with: mtsum models pull en-fr")
    unnamed = mtsum.ModelUnavailableError("/srv/models/x", "no weights")
    assert operator_message(unnamed) == str(unnamed)  # no name: no command to offer
    assert "raise MTSUM_MAX_CHARS" in operator_message(mtsum.TextTooLongError(12, 10))


@pytest.mark.parametrize(
    "error",
    [
        mtsum.ModelUnavailableError("Org/fr-en", "offline", "fr-en"),
        mtsum.TextTooLongError(1200, 1000),
        mtsum.UnsupportedLanguageError("no route to xx", ("en", "fr"), "no model route"),
        mtsum.LinkError("too large", "https://example.org/a", "size"),
        mtsum.InputError("the text is empty"),
    ],
)
def test_an_error_crosses_processes_with_its_data(error: mtsum.MtsumError) -> None:
    import pickle

    error.args = (f"q[2]: {error}",)  # a face may reword the message; it travels too
    copy = pickle.loads(pickle.dumps(error))  # what Ray does between a worker and the driver
    assert type(copy) is type(error) and str(copy) == str(error)
    assert vars(copy) == vars(error)
