"""The running server, called the way scripts call it: gradio_client on the named endpoints."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from mtsum import ConfigError, Pipeline, Settings
from mtsum.settings import ServeSettings
from mtsum.web import build_demo, create_app
from tests.support.texts import ARTICLE_EN, ARTICLE_FR, SAMPLES
from tests.support.webserver import serve_in_thread

FRENCH = SAMPLES["fr"]
LIMIT = 3000


@pytest.fixture(scope="module")
def web_pipeline(settings: Settings) -> Pipeline:
    return Pipeline(settings.replace(max_chars=LIMIT))


@pytest.fixture(scope="module")
def client(web_pipeline: Pipeline) -> Iterator[Client]:
    with serve_in_thread(create_app(pipeline=web_pipeline)) as url:
        yield Client(url, verbose=False)


def test_named_endpoints_are_those_of_the_contract(client: Client) -> None:
    api = client.view_api(print_info=False, return_format="dict")
    endpoints = api["named_endpoints"]
    assert set(endpoints) == {"/run", "/detect", "/translate", "/summarize"}
    names = [p["parameter_name"] for p in endpoints["/run"]["parameters"]]
    assert names == ["text", "target", "source", "words", "method"]


def test_run_returns_the_result_json_last(client: Client) -> None:
    outputs = client.predict(ARTICLE_FR, "de", "auto", 0, "abstractive", api_name="/run")
    assert isinstance(outputs, tuple) and len(outputs) == 11
    detected, route, translation, summary, timings, _warnings, notice, file, note, aligned, data = (
        outputs
    )
    assert notice == "" and file is None and note == ""  # a script sends no document
    assert 'class="mtsum-aligned"' in aligned
    assert set(data) == {"detection", "translation", "summary", "stats", "warnings"}
    assert data["detection"]["language"] == "fr" and "French (fr)" in detected
    assert data["translation"]["route"] == ["fr-en", "en-de"] and route == "fr → en → de"
    assert translation == data["translation"]["text"] and translation
    assert translation.count("\n\n") == ARTICLE_FR.strip().count("\n\n")
    assert summary == data["summary"]["text"] and summary
    assert data["summary"]["language"] == "de" and data["summary"]["method"] == "abstractive"
    assert "total" in timings


def test_run_with_a_given_source_and_extractive_summary(client: Client) -> None:
    *_, data = client.predict(ARTICLE_EN, "en", "en", 40, "extractive", api_name="/run")
    assert data["detection"]["probability"] == 1.0 and data["detection"]["candidates"] == []
    assert data["translation"]["route"] == []
    assert data["summary"]["method"] == "extractive"
    assert 0 < data["summary"]["words"] <= 60


def test_run_streams_detection_before_the_summary(client: Client) -> None:
    job = client.submit(FRENCH, "en", "auto", 0, "extractive", api_name="/run")
    job.result(timeout=300)
    steps = job.outputs()
    assert len(steps) == 4  # detection, the one paragraph, the translation, the result
    assert "French" in steps[0][0] and steps[0][2] == "" and steps[0][-1] is None
    assert steps[1][2] and steps[1][3] == "" and steps[1][-1] is None
    assert steps[2][2] and steps[2][3] == ""
    assert steps[3][-1]["summary"]["text"] == steps[3][3]


def test_run_streams_the_translation_paragraph_by_paragraph(client: Client) -> None:
    job = client.submit(ARTICLE_FR, "en", "fr", 0, "extractive", api_name="/run")
    final = job.result(timeout=300)
    partial = [step[2] for step in job.outputs() if step[-1] is None and step[2]]
    # Each of the three paragraphs as it came, then the whole translation once more.
    assert [text.count("\n\n") for text in partial] == [0, 1, 2, 2]
    assert all(later.startswith(earlier) for earlier, later in pairwise(partial))
    assert len(final) == 11 and final[2] == partial[-1] == final[-1]["translation"]["text"]


def test_detect_endpoint_returns_the_detection(client: Client) -> None:
    data = client.predict(FRENCH, api_name="/detect")
    assert data["language"] == "fr" and data["reliable"] is True
    assert data["candidates"][0]["language"] == "fr"


def test_translate_endpoint_returns_the_translation(client: Client) -> None:
    data = client.predict(FRENCH, "en", "auto", api_name="/translate")
    assert data["route"] == ["fr-en"] and data["source"] == "fr" and data["target"] == "en"
    assert data["text"]


def test_summarize_endpoint_returns_the_summary(client: Client) -> None:
    data = client.predict(ARTICLE_EN, 30, "extractive", api_name="/summarize")
    assert data["language"] == "en" and data["method"] == "extractive" and data["text"]


def test_empty_text_is_a_clear_error(client: Client) -> None:
    with pytest.raises(AppError, match="empty"):
        client.predict("   ", "de", "auto", 0, "abstractive", api_name="/run")


def test_over_limit_text_is_a_clear_error(client: Client) -> None:
    with pytest.raises(AppError, match=f"over the limit of {LIMIT:,}"):
        client.predict("a" * (LIMIT + 1), "de", "auto", 0, "abstractive", api_name="/run")


def test_unsupported_target_lists_the_supported_languages(client: Client) -> None:
    with pytest.raises(AppError, match="not supported; supported: de, en"):
        client.predict(FRENCH, "xx", "auto", 0, "abstractive", api_name="/run")


def test_bad_words_value_says_the_range(client: Client) -> None:
    with pytest.raises(AppError, match="between 1 and 1000"):
        client.predict(FRENCH, 5000, "extractive", api_name="/summarize")


def test_server_keeps_serving_after_errors(client: Client) -> None:
    with pytest.raises(AppError):
        client.predict("", api_name="/detect")
    assert client.predict(ARTICLE_EN, api_name="/detect")["language"] == "en"


def test_every_pipeline_event_shares_the_configured_concurrency_limit(settings: Settings) -> None:
    demo = build_demo(Pipeline(settings), ServeSettings(concurrency=3))
    named: dict[str, Any] = {f.api_name: f for f in demo.fns.values() if f.api_name}
    for name in ("run", "detect", "translate", "summarize"):
        assert named[name].concurrency_limit == 3
        assert named[name].concurrency_id == "pipeline"


def test_mcp_without_its_extra_is_a_config_error(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "mcp", None)  # makes the import fail
    with pytest.raises(ConfigError, match=r"\[mcp\]"):
        create_app(settings, serving=ServeSettings(mcp=True))


def test_mcp_server_is_served_when_switched_on(settings: Settings) -> None:
    try:
        import mcp  # noqa: F401
    except ImportError:
        pytest.skip('the mcp extra is not installed (pip install -e ".[mcp]")')
    app = create_app(settings, serving=ServeSettings(mcp=True))
    assert any("/gradio_api/mcp" in path for path in route_paths(app))


def test_mcp_server_is_off_by_default(settings: Settings) -> None:
    app = create_app(settings)
    assert not any("/mcp" in path for path in route_paths(app))


def route_paths(app: Any, prefix: str = "") -> list[str]:
    """Every route path of an app, including those of mounted sub-applications."""
    paths = []
    for route in app.routes:
        path = prefix + getattr(route, "path", "")
        paths.append(path)
        if hasattr(route, "app") and hasattr(route.app, "routes"):
            paths.extend(route_paths(route.app, path))
    return paths
