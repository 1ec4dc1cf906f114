"""REST errors: always ``{"error": ...}`` with the contract's status, never a 500 for bad input."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mtsum import Pipeline, Settings
from tests.support.rest_support import rest_client
from tests.support.texts import SAMPLES

FR = SAMPLES["fr"]


@pytest.fixture(scope="module")
def client(pipeline: Pipeline) -> Iterator[TestClient]:
    with rest_client(pipeline) as test_client:
        yield test_client


def _error(response: object, status: int) -> str:
    assert getattr(response, "status_code", None) == status, getattr(response, "text", "")
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]
    return str(body["error"])


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"source": "fr", "target": "en"}, "missing q parameter"),
        ({"q": FR, "source": "fr"}, "missing target parameter"),
        ({"q": "", "target": "en"}, "q is empty"),
        ({"q": [], "target": "en"}, "q is empty"),
        ({"q": "   ", "target": "en"}, "empty"),
        ({"q": 12, "target": "en"}, "q:"),
        ({"q": [FR, 3], "target": "en"}, "q:"),
        ({"q": FR, "target": "en", "format": "xml"}, "format"),
        ({"q": FR, "target": "en", "alternatives": -1}, "alternatives"),
        ({"q": FR, "target": "en", "alternatives": "many"}, "alternatives"),
        ({"q": FR, "target": "zz"}, "not supported; supported: de, en, es, fr, it"),
        ({"q": FR, "source": "ko", "target": "en"}, "'ko' is not supported"),
        ({"q": FR, "source": "not a code", "target": "en"}, "not a language code"),
        ({"q": FR, "target": "en", "api_key": 5}, "api_key"),
    ],
)
def test_translate_bad_requests_are_400(
    client: TestClient, payload: dict[str, object], expected: str
) -> None:
    assert expected in _error(client.post("/translate", json=payload), 400)


def test_a_batch_error_names_the_item(client: TestClient) -> None:
    message = _error(client.post("/translate", json={"q": [FR, "  "], "target": "en"}), 400)
    assert message.startswith("q[1]: ")


def test_invalid_json_is_400(client: TestClient) -> None:
    response = client.post(
        "/translate", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert "Invalid JSON" in _error(response, 400)


def test_a_json_body_that_is_not_an_object_is_400(client: TestClient) -> None:
    assert "JSON object" in _error(client.post("/translate", json=["a", "b"]), 400)


def test_an_unsupported_content_type_is_400(client: TestClient) -> None:
    response = client.post("/translate", content=b"<q/>", headers={"Content-Type": "text/xml"})
    assert "Content-Type" in _error(response, 400)


def test_lone_surrogates_are_400_not_500(client: TestClient) -> None:
    body = b'{"q": "abc \\ud800 def", "target": "en"}'
    response = client.post("/translate", content=body, headers={"Content-Type": "application/json"})
    assert "surrogate" in _error(response, 400)


def test_detected_language_without_a_route_says_so_and_how_to_fix_it(client: TestClient) -> None:
    message = _error(client.post("/translate", json={"q": SAMPLES["ru"], "target": "en"}), 400)
    assert "seems to be in Russian (ru)" in message and "set source" in message


@pytest.mark.parametrize(
    ("route", "payload", "expected"),
    [
        ("/detect", {}, "missing q parameter"),
        ("/detect", {"q": ""}, "q is empty"),
        ("/detect", {"q": "12 + 30 = 42 !!"}, "no letters"),
        ("/summarize", {}, "missing q parameter"),
        ("/summarize", {"q": FR, "words": "abc"}, "words"),
        ("/summarize", {"q": FR, "words": -2}, "words"),
        ("/summarize", {"q": FR, "words": 10**6}, "words must be between 1 and"),
        ("/summarize", {"q": FR, "method": "magic"}, "method"),
        ("/summarize", {"q": FR, "target": "xx"}, "not supported"),
        ("/summarize", {"q": ["a", "b"]}, "q:"),
    ],
)
def test_detect_and_summarize_bad_requests_are_400(
    client: TestClient, route: str, payload: dict[str, object], expected: str
) -> None:
    assert expected in _error(client.post(route, json=payload), 400)


def test_text_over_the_limit_is_413(pipeline: Pipeline, settings: Settings) -> None:
    small = Pipeline(settings.replace(max_chars=100), store=pipeline.store)
    with rest_client(small) as client:
        message = _error(client.post("/translate", json={"q": "a" * 101, "target": "en"}), 413)
        assert "over the limit of 100" in message
        assert _error(client.post("/summarize", json={"q": "b" * 101}), 413)
        assert _error(client.post("/detect", json={"q": "c" * 101}), 413)


def test_a_batch_over_the_limit_altogether_is_413(pipeline: Pipeline, settings: Settings) -> None:
    small = Pipeline(settings.replace(max_chars=100), store=pipeline.store)
    with rest_client(small) as client:
        response = client.post("/translate", json={"q": ["a" * 60, "b" * 60], "target": "en"})
        assert "120 characters" in _error(response, 413)


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(
    pipeline: Pipeline, settings: Settings
) -> None:
    small = Pipeline(settings.replace(max_chars=10), store=pipeline.store)
    with rest_client(small) as client:
        response = client.post("/translate", json={"q": "x" * 100_000, "target": "en"})
        message = _error(response, 413)
        assert "over the limit of 10 characters" in message and "bytes" not in message


def test_a_model_that_cannot_be_loaded_is_503_naming_it_without_server_details(
    settings: Settings, registry_variant: Callable[..., Path], tmp_path: Path
) -> None:
    registry = registry_variant(translation={"fr-en": "Helsinki-NLP/opus-mt-fr-en"})
    offline = Pipeline(settings.replace(registry_path=registry, model_dir=tmp_path))
    with rest_client(offline) as client:
        response = client.post("/translate", json={"q": FR, "source": "fr", "target": "en"})
        message = _error(response, 503)
    assert "fr-en" in message and "not available on this server" in message
    # The operator's details (the store's folder, settings, the pull command) are the log's.
    assert str(tmp_path) not in message and "/" not in message.replace("Helsinki-NLP/", "")
    assert "HF_" not in message and "MTSUM_" not in message and "mtsum models" not in message


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/translate", 405),
        ("PUT", "/detect", 405),
        ("POST", "/languages", 405),
        ("GET", "/no/such/route", 404),
        ("POST", "/translate/extra", 404),
    ],
)
def test_unknown_routes_and_wrong_methods_answer_json_errors(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path)
    message = _error(response, status)
    assert path in message
    if status == 405:
        assert response.headers["allow"]


def test_beside_the_page_wrong_methods_and_unknown_paths_are_json_errors(
    pipeline: Pipeline,
) -> None:
    from mtsum.web import create_app

    # The page is mounted at "/": without the JSON answers it would say {"detail": "Not Found"}.
    with TestClient(create_app(pipeline=pipeline)) as app:
        assert "405" not in _error(app.get("/translate"), 405) and app.get("/").status_code == 200
        assert "/no/such/page" in _error(app.get("/no/such/page"), 404)
        assert _error(app.post("/health"), 405)


def test_a_broken_registry_is_a_json_500(settings: Settings, tmp_path: Path) -> None:
    broken = tmp_path / "registry.toml"
    broken.write_text("[translation\n", encoding="utf-8")
    with rest_client(Pipeline(settings.replace(registry_path=broken))) as client:
        assert "registry" in _error(client.get("/languages"), 500)
        assert "registry" in _error(client.post("/translate", json={"q": FR, "target": "en"}), 500)


def test_an_unexpected_failure_is_a_json_500_without_internals(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    with rest_client(pipeline) as client:
        monkeypatch.setattr(pipeline, "detect", explode)
        message = _error(client.post("/detect", json={"q": FR}), 500)
    assert "secret" not in message and "internal error" in message
