"""Settings said once: each field's variable and default come from its ``option``, a renamed
variable still works with a deprecation warning, and the documentation's table is derived."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from mtsum import ConfigError, Settings
from mtsum.environment import env_name
from mtsum.settings import RELIABLE_PROBABILITY, ServeSettings

# The contract's operator variables (CONTRACT.md section 8) and the hub's own.
CONTRACT = {
    "MTSUM_REGISTRY", "MTSUM_MODEL_DIR", "MTSUM_ENGINE", "MTSUM_MAX_CHARS", "MTSUM_API_KEYS",
    "MTSUM_RATE_LIMIT", "MTSUM_CONCURRENCY", "MTSUM_QUEUE_SIZE", "MTSUM_ALLOW_PICKLE",
    "MTSUM_PRELOAD", "MTSUM_TM", "HF_ENDPOINT", "HF_HUB_OFFLINE",
}  # fmt: skip


def _variables() -> dict[str, str]:
    """Every variable read, to the field it sets."""
    found = {}
    for cls in (Settings, ServeSettings):
        for spec in dataclasses.fields(cls):
            found[env_name(spec)] = spec.name
            found.update({other: spec.name for other in spec.metadata["also"]})
    return found


def test_variable_names_are_the_field_names_but_for_the_contracts_own() -> None:
    renamed = {
        name: field
        for name, field in _variables().items()
        if name != f"MTSUM_{field.upper()}" and name not in CONTRACT
    }
    assert renamed == {}


def test_every_operator_variable_of_the_contract_is_read() -> None:
    assert set(_variables()) >= CONTRACT


def test_defaults_are_the_fields_defaults() -> None:
    assert Settings.from_env({}) == Settings()
    assert ServeSettings.from_env({}) == ServeSettings()
    assert Settings().detect_threshold == RELIABLE_PROBABILITY


def test_an_old_variable_name_still_works_with_a_deprecation_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # An in-process CLI test may have left mtsum's logger quieter than a server runs it.
    caplog.set_level(logging.WARNING, logger="mtsum")
    with pytest.warns(DeprecationWarning, match="MTSUM_CACHE_SIZE .*MTSUM_MAX_LOADED_MODELS"):
        settings = Settings.from_env({"MTSUM_CACHE_SIZE": "3"})
    assert settings.max_loaded_models == 3
    assert any(r.levelno == logging.WARNING and "deprecated" in r.message for r in caplog.records)


def test_the_new_name_wins_over_the_old_one_and_says_nothing() -> None:
    settings = Settings.from_env({"MTSUM_CACHE_SIZE": "3", "MTSUM_MAX_LOADED_MODELS": "5"})
    assert settings.max_loaded_models == 5


def test_a_bad_choice_names_the_variable_and_the_choices() -> None:
    with pytest.raises(ConfigError, match=r"MTSUM_TM='disk' is invalid, expected one of: memory"):
        Settings.from_env({"MTSUM_TM": "disk"})


def test_either_offline_variable_switches_offline_on() -> None:
    assert Settings.from_env({"HF_HUB_OFFLINE": "1"}).offline
    assert Settings.from_env({"MTSUM_OFFLINE": "yes", "HF_HUB_OFFLINE": "0"}).offline
    assert not Settings.from_env({"HF_HUB_OFFLINE": "0"}).offline
