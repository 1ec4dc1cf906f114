"""Who may call the REST API and how often: API keys (403), rate limit (429), CORS, settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mtsum import Pipeline, Settings
from mtsum.errors import ConfigError
from mtsum.settings import ServeSettings
from tests.support.rest_support import rest_client
from tests.support.texts import SAMPLES

FR = SAMPLES["fr"]
KEYS = ("first-key-0123", "second-key-4567")
ORIGIN = "https://app.example.org"


@pytest.fixture(scope="module")
def keyed(pipeline: Pipeline, settings: Settings) -> Iterator[TestClient]:
    with rest_client(pipeline, ServeSettings(api_keys=KEYS)) as client:
        yield client


# ---- API keys --------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["/translate", "/detect", "/summarize"])
def test_a_missing_key_is_403(keyed: TestClient, route: str) -> None:
    response = keyed.post(route, json={"q": FR, "target": "en"})
    assert response.status_code == 403
    assert "api_key" in response.json()["error"]


def test_a_wrong_key_is_403(keyed: TestClient) -> None:
    response = keyed.post("/translate", json={"q": FR, "target": "en", "api_key": "first-key"})
    assert response.status_code == 403
    assert response.json() == {"error": "Invalid API key"}


def test_a_key_that_is_not_text_is_403(keyed: TestClient) -> None:
    response = keyed.post("/translate", json={"q": FR, "target": "en", "api_key": ["x"]})
    assert response.status_code == 403


@pytest.mark.parametrize("key", KEYS)
def test_any_configured_key_is_accepted_in_json(keyed: TestClient, key: str) -> None:
    response = keyed.post("/translate", json={"q": FR, "target": "en", "api_key": key})
    assert response.status_code == 200 and response.json()["translatedText"]


def test_the_key_is_accepted_as_a_form_field(keyed: TestClient) -> None:
    response = keyed.post("/detect", data={"q": FR, "api_key": KEYS[1]})
    assert response.status_code == 200 and response.json()[0]["language"] == "fr"


def test_the_key_is_checked_before_the_input(keyed: TestClient) -> None:
    # Without a key, not even a malformed request is looked at.
    assert keyed.post("/translate", json={"target": "zz"}).status_code == 403


def test_languages_and_health_need_no_key(keyed: TestClient) -> None:
    assert keyed.get("/languages").status_code == 200
    assert keyed.get("/health").status_code == 200


def test_without_configured_keys_none_is_needed(pipeline: Pipeline) -> None:
    with rest_client(pipeline) as client:
        assert client.post("/detect", json={"q": FR}).status_code == 200


# ---- rate limit ------------------------------------------------------------------------------


def test_requests_over_the_rate_limit_are_429_with_retry_after(
    pipeline: Pipeline, settings: Settings
) -> None:
    with rest_client(pipeline, ServeSettings(rate_limit=2)) as client:
        assert client.post("/detect", json={"q": FR}).status_code == 200
        assert client.post("/detect", json={"q": FR}).status_code == 200
        refused = client.post("/translate", json={"q": FR, "target": "en"})
        assert refused.status_code == 429
        assert "Slowdown" in refused.json()["error"]
        assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_languages_and_health_are_not_rate_limited(pipeline: Pipeline, settings: Settings) -> None:
    with rest_client(pipeline, ServeSettings(rate_limit=1)) as client:
        for _ in range(3):
            assert client.get("/languages").status_code == 200
            assert client.get("/health").status_code == 200


def test_bad_requests_count_towards_the_limit(pipeline: Pipeline, settings: Settings) -> None:
    with rest_client(pipeline, ServeSettings(rate_limit=1)) as client:
        assert client.post("/detect", json={}).status_code == 400
        assert client.post("/detect", json={"q": FR}).status_code == 429


# ---- CORS ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cors(pipeline: Pipeline, settings: Settings) -> Iterator[TestClient]:
    with rest_client(pipeline, ServeSettings(cors_origins=(ORIGIN,))) as client:
        yield client


def test_cors_preflight_allows_the_configured_origin(cors: TestClient) -> None:
    response = cors.options(
        "/translate",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in response.headers["access-control-allow-methods"]


def test_cors_headers_on_answers_to_the_configured_origin(cors: TestClient) -> None:
    response = cors.post("/detect", json={"q": FR}, headers={"Origin": ORIGIN})
    assert response.headers["access-control-allow-origin"] == ORIGIN


def test_cors_refuses_other_origins(cors: TestClient) -> None:
    response = cors.post("/detect", json={"q": FR}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_is_off_by_default(pipeline: Pipeline) -> None:
    with rest_client(pipeline) as client:
        response = client.post("/detect", json={"q": FR}, headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in response.headers


# ---- settings --------------------------------------------------------------------------------


def test_settings_read_keys_rate_limit_and_origins_from_the_environment() -> None:
    settings = ServeSettings.from_env(
        {
            "MTSUM_API_KEYS": " k1, k2 ,,",
            "MTSUM_RATE_LIMIT": "30",
            "MTSUM_CORS_ORIGINS": "https://a.example, https://b.example",
        }
    )
    assert settings.api_keys == ("k1", "k2")
    assert settings.rate_limit == 30
    assert settings.cors_origins == ("https://a.example", "https://b.example")


def test_settings_default_to_open_unlimited_and_no_cors() -> None:
    settings = ServeSettings.from_env({})
    assert (settings.api_keys, settings.rate_limit, settings.cors_origins) == ((), 0, ())


def test_api_keys_stay_out_of_repr() -> None:
    assert "k1-secret" not in repr(ServeSettings(api_keys=("k1-secret",)))


def test_a_negative_rate_limit_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="rate_limit"):
        ServeSettings.from_env({"MTSUM_RATE_LIMIT": "-1"})
