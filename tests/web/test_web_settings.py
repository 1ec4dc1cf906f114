"""The server's settings (``ServeSettings``): read from the environment, validated with the
variable's name, and apart from the core's ``Settings``."""

from __future__ import annotations

import dataclasses

import pytest

from mtsum import ConfigError, Settings
from mtsum.settings import ServeSettings


def test_web_settings_are_read_from_the_environment() -> None:
    serving = ServeSettings.from_env(
        {
            "MTSUM_CONCURRENCY": "3",
            "MTSUM_QUEUE_SIZE": "5",
            "MTSUM_MAX_UPLOAD_MB": "7",
            "MTSUM_MCP": "yes",
        }
    )
    assert (serving.concurrency, serving.queue_size) == (3, 5)
    assert serving.max_upload_mb == 7 and serving.mcp is True


def test_web_settings_default_to_two_running_64_waiting_and_no_mcp() -> None:
    serving = ServeSettings.from_env({})
    assert (serving.concurrency, serving.queue_size, serving.max_upload_mb) == (2, 64, 20)
    assert ServeSettings().queue_size == 64
    assert serving.mcp is False


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("MTSUM_CONCURRENCY", "0", "concurrency must be at least 1 .MTSUM_CONCURRENCY."),
        ("MTSUM_QUEUE_SIZE", "many", "MTSUM_QUEUE_SIZE='many' is not a whole number"),
        ("MTSUM_MAX_UPLOAD_MB", "-1", "max_upload_mb must be at least 1"),
        ("MTSUM_MCP", "perhaps", "MTSUM_MCP='perhaps' is not a boolean"),
    ],
)
def test_bad_web_setting_is_a_config_error(name: str, value: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        ServeSettings.from_env({name: value})


def test_core_and_server_settings_share_no_field() -> None:
    core = {spec.name for spec in dataclasses.fields(Settings)}
    server = {spec.name for spec in dataclasses.fields(ServeSettings)}
    assert core & server == set()
    assert {"api_keys", "rate_limit", "queue_size", "cors_origins", "max_upload_mb"} <= server


def test_the_web_concurrency_does_not_size_the_engine() -> None:
    # The engine's workers are the core's own setting; MTSUM_CONCURRENCY is the server's queue.
    settings = Settings.from_env({"MTSUM_CONCURRENCY": "7", "MTSUM_ENGINE_WORKERS": "3"})
    assert settings.engine_workers == 3
    assert Settings.from_env({"MTSUM_CONCURRENCY": "7"}).engine_workers == 2
