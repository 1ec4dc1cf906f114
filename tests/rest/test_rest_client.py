"""A LibreTranslate client written by others (libretranslatepy) talks to a running mtsum server.

The server is the real app (Gradio page and REST API on one port) served by uvicorn on a free
loopback port; the client sends form-encoded requests with urllib exactly as it does to
LibreTranslate, and parses the answers with its own code.
"""

from __future__ import annotations

import json
import threading
import urllib.error
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from libretranslatepy import LibreTranslateAPI

from mtsum import Pipeline, Settings
from mtsum.settings import ServeSettings
from mtsum.web import create_app
from mtsum.web.rest import install_rest
from mtsum.web.rest.service import language_list
from tests.support.texts import SAMPLES
from tests.support.webserver import serve_in_thread as live_server

FR, DE = SAMPLES["fr"], SAMPLES["de"]
KEY = "client-test-key-42"


@pytest.fixture(scope="module")
def server(pipeline: Pipeline) -> Iterator[str]:
    with live_server(create_app(pipeline=pipeline)) as url:
        yield url


@pytest.fixture(scope="module")
def keyed_server(pipeline: Pipeline, settings: Settings) -> Iterator[str]:
    app = FastAPI()
    install_rest(app, pipeline, ServeSettings(api_keys=(KEY,)))
    with live_server(app) as url:
        yield url


def test_client_translate_returns_the_translation(server: str, pipeline: Pipeline) -> None:
    text = LibreTranslateAPI(server).translate(FR, "fr", "en")
    assert text == pipeline.translate(FR, target="en", source="fr").text


def test_client_translate_with_auto_source(server: str, pipeline: Pipeline) -> None:
    text = LibreTranslateAPI(server).translate(DE, "auto", "en")
    assert text == pipeline.translate(DE, target="en", source="de").text


def test_client_translate_through_a_pivot(server: str, pipeline: Pipeline) -> None:
    text = LibreTranslateAPI(server).translate(FR, "fr", "de")
    assert text == pipeline.translate(FR, target="de", source="fr").text


def test_client_detect_parses_candidates(server: str, pipeline: Pipeline) -> None:
    found = LibreTranslateAPI(server).detect(FR)
    expected = [
        {"confidence": round(c.probability * 100, 2), "language": c.language}
        for c in pipeline.detect(FR).candidates
    ]
    assert found == expected
    assert found[0]["language"] == "fr"


def test_client_languages_parses_the_list(server: str, pipeline: Pipeline) -> None:
    # The client sends GET with a (form-encoded, empty) body; the server must not mind.
    languages = LibreTranslateAPI(server).languages()
    assert languages == language_list(pipeline)
    assert next(e for e in languages if e["code"] == "fr")["name"] == "French"


def test_client_errors_are_http_errors_with_a_json_message(server: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        LibreTranslateAPI(server).translate(FR, "fr", "zz")
    assert caught.value.code == 400
    assert "not supported" in json.loads(caught.value.read())["error"]


def test_client_with_the_right_api_key_is_served(keyed_server: str) -> None:
    client = LibreTranslateAPI(keyed_server, api_key=KEY)
    assert client.translate(FR, "fr", "en")
    assert client.detect(FR)[0]["language"] == "fr"
    assert [entry["code"] for entry in client.languages()] == ["de", "en", "es", "fr", "it"]


def test_client_without_the_api_key_gets_403(keyed_server: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        LibreTranslateAPI(keyed_server).translate(FR, "fr", "en")
    assert caught.value.code == 403
    assert "api_key" in json.loads(caught.value.read())["error"]


def test_a_long_translation_does_not_block_other_requests(
    pipeline: Pipeline, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Model work runs in worker threads: while one request is stuck in the pipeline, the
    server still answers others."""
    entered, release = threading.Event(), threading.Event()
    original = pipeline.translate

    def slow_translate(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        release.wait(timeout=30)
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline, "translate", slow_translate)
    app = FastAPI()
    install_rest(app, pipeline)
    with live_server(app) as url, ThreadPoolExecutor(1) as pool:
        stuck = pool.submit(
            httpx.post,
            f"{url}translate",
            json={"q": FR, "source": "fr", "target": "en"},
            timeout=60,
        )
        assert entered.wait(timeout=30), "the translation never started"
        # Were the event loop blocked, these would time out instead of answering.
        health = httpx.get(f"{url}health", timeout=10)
        detect = httpx.post(f"{url}detect", json={"q": FR}, timeout=10)
        still_stuck = not stuck.done()
        release.set()
        assert health.status_code == 200 and detect.status_code == 200
        assert still_stuck
        assert stuck.result(timeout=60).status_code == 200
