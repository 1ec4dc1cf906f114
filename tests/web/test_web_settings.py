"""The web app's settings: read from the environment, validated with the variable's name."""

from __future__ import annotations

import pytest

from mtsum import ConfigError, Settings


def test_web_settings_are_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "MTSUM_CONCURRENCY": "3",
            "MTSUM_QUEUE_SIZE": "5",
            "MTSUM_MAX_UPLOAD_MB": "7",
            "MTSUM_MCP": "yes",
        }
    )
    assert (settings.web_concurrency, settings.web_queue_size) == (3, 5)
    assert settings.max_upload_mb == 7 and settings.mcp_server is True


def test_web_settings_default_to_two_running_64_waiting_and_no_mcp() -> None:
    settings = Settings.from_env({})
    assert (settings.web_concurrency, settings.web_queue_size, settings.max_upload_mb) == (
        2,
        64,
        20,
    )
    assert Settings().web_queue_size == 64
    assert settings.mcp_server is False


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("MTSUM_CONCURRENCY", "0", "web_concurrency must be at least 1"),
        ("MTSUM_QUEUE_SIZE", "many", "MTSUM_QUEUE_SIZE='many' is not a whole number"),
        ("MTSUM_MAX_UPLOAD_MB", "-1", "max_upload_mb must be at least 1"),
        ("MTSUM_MCP", "perhaps", "MTSUM_MCP='perhaps' is not a boolean"),
    ],
)
def test_bad_web_setting_is_a_config_error(name: str, value: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        Settings.from_env({name: value})
