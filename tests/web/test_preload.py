"""MTSUM_PRELOAD: models loaded when the server starts, listed by /health before any request."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mtsum import ConfigError, Pipeline, Settings
from mtsum.settings import ServeSettings
from mtsum.web import create_app


def _health_models(settings: Settings, *preload: str) -> list[str]:
    pipeline = Pipeline(settings)
    app = create_app(pipeline=pipeline, serving=ServeSettings(preload=preload))
    assert pipeline.store.loaded() == []  # building the app loads nothing
    with TestClient(app) as client:  # start-up runs here, before the first request
        models: list[str] = client.get("/health").json()["models"]
    return models


def test_preloaded_models_are_in_memory_before_the_first_request(settings: Settings) -> None:
    models = _health_models(settings, "fr-en", "summarize:en")
    assert sorted(models) == ["fr-en", "summarize:en"]


def test_a_pair_preloads_its_whole_route(settings: Settings) -> None:
    assert sorted(_health_models(settings, "fr-de")) == ["en-de", "fr-en"]


def test_all_installed_preloads_every_model_on_this_machine(settings: Settings) -> None:
    models = _health_models(settings.replace(max_loaded_models=10), "all-installed")
    assert len(models) == 7 and "summarize:en" in models


def test_a_model_that_cannot_load_is_logged_and_the_server_starts(
    settings: Settings,
    tiny_root: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from tests.support.tinymodels import write_registry

    registry = write_registry(
        tiny_root, name="preload-missing.toml", translation={"de-en": "Org/x"}
    )
    with caplog.at_level("WARNING", logger="mtsum"):
        models = _health_models(settings.replace(registry_path=registry), "de-en", "fr-en")
    assert models == ["fr-en"]
    assert "MTSUM_PRELOAD" in caplog.text and "Org/x" in caplog.text


def test_a_name_the_registry_lacks_stops_the_start(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="MTSUM_PRELOAD"):
        create_app(pipeline=Pipeline(settings), serving=ServeSettings(preload=("xx-yy",)))


@pytest.mark.parametrize("value", ["fr_en", "summarize", "all-installed,fr-en", "FR-EN!"])
def test_a_malformed_value_is_a_config_error_naming_the_variable(value: str) -> None:
    with pytest.raises(ConfigError, match="MTSUM_PRELOAD"):
        ServeSettings.from_env({"MTSUM_PRELOAD": value})


def test_the_value_is_read_as_a_comma_separated_list() -> None:
    settings = ServeSettings.from_env({"MTSUM_PRELOAD": " fr-en, summarize:en ,"})
    assert settings.preload == ("fr-en", "summarize:en")


def test_hf_endpoint_must_be_a_web_address() -> None:
    assert Settings.from_env({"HF_ENDPOINT": "http://mirror:8080/"}).hub_endpoint == (
        "http://mirror:8080"
    )
    with pytest.raises(ConfigError, match="HF_ENDPOINT"):
        Settings.from_env({"HF_ENDPOINT": "mirror.local"})
