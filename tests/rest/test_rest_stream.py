"""Streamed REST answers read by a real SSE client: paragraph events in order, then ``done``
with the plain call's body; errors before the stream are JSON; a client that leaves frees the
slot and stops the engine."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from httpx_sse import ServerSentEvent, connect_sse
from prometheus_client.parser import text_string_to_metric_families

from mtsum import InputError, Pipeline, Request, Settings
from mtsum.models import ModelStore
from mtsum.settings import ServeSettings
from mtsum.web.rest import install_rest
from tests.support.gate import MARKER, GatedLoader, gated_text
from tests.support.texts import ARTICLE_FR
from tests.support.webserver import serve_in_thread


def _serve(pipeline: Pipeline, serving: ServeSettings | None = None) -> Any:
    app = FastAPI()
    install_rest(app, pipeline, serving)
    return serve_in_thread(app)


@pytest.fixture(scope="module")
def base(pipeline: Pipeline) -> Iterator[str]:
    with _serve(pipeline) as url:
        yield url


def _events(base: str, path: str, body: dict[str, Any], **headers: str) -> list[ServerSentEvent]:
    with (
        httpx.Client(timeout=120) as client,
        connect_sse(client, "POST", f"{base}{path}", json=body, headers=headers) as source,
    ):
        assert source.response.headers["content-type"].startswith("text/event-stream")
        return list(source.iter_sse())


def test_translate_streams_each_paragraph_then_done_with_the_plain_body(base: str) -> None:
    body = {"q": ARTICLE_FR, "source": "auto", "target": "en"}
    events = _events(base, "translate", {**body, "stream": True})
    assert [e.event for e in events] == ["paragraph"] * 3 + ["done"]
    paragraphs = [e.json() for e in events[:-1]]
    assert [p["index"] for p in paragraphs] == [0, 1, 2]
    assert {p["total"] for p in paragraphs} == {3}
    assert all(set(p) == {"index", "total", "text", "flags"} for p in paragraphs)
    plain = httpx.post(f"{base}translate", json=body, timeout=120).json()
    assert events[-1].json() == plain
    assert "\n\n".join(p["text"] for p in paragraphs) == plain["translatedText"]


def test_accept_event_stream_streams_summarize_too(base: str) -> None:
    body = {"q": ARTICLE_FR, "source": "fr", "target": "de", "method": "extractive"}
    events = _events(base, "summarize", body, accept="text/event-stream")
    assert [e.event for e in events] == ["paragraph"] * 3 + ["done"]
    plain = httpx.post(f"{base}summarize", json=body, timeout=120).json()
    assert events[-1].json() == plain
    assert plain["summary"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"q": "   ", "target": "en"}, 400),
        ({"q": ARTICLE_FR, "target": "xx"}, 400),
        ({"q": [ARTICLE_FR, "Bonjour."], "target": "en"}, 400),
        ({"q": "<p>Bonjour tout le monde.</p>", "target": "en", "format": "html"}, 400),
    ],
)
def test_errors_before_the_stream_are_ordinary_json(
    base: str, body: dict[str, Any], status: int
) -> None:
    answer = httpx.post(f"{base}translate", json={**body, "stream": True}, timeout=60)
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json()["error"]


def test_an_error_mid_stream_is_an_error_event(
    pipeline: Pipeline, base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise InputError("the summariser broke down")

    monkeypatch.setattr(pipeline.summarizer, "summarize", broken)
    body = {"q": ARTICLE_FR, "source": "fr", "target": "en", "stream": True}
    events = _events(base, "summarize", body)
    assert [e.event for e in events] == ["paragraph"] * 3 + ["error"]
    assert events[-1].json() == {"error": "the summariser broke down"}


def test_a_client_that_leaves_frees_the_slot_and_stops_the_engine(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # One slot and one place in the queue, small batches (several per wave), no memory (so
    # every batch is engine work).
    one = settings.replace(batch_tokens=64, translation_memory="off")
    whole, whole_calls = _whole_run(one)
    gate = GatedLoader(MARKER)
    pipeline = Pipeline(one, store=ModelStore(one, loader=gate))
    body = {"q": gated_text(), "source": "fr", "target": "en", "stream": True}
    caplog.set_level(logging.INFO, logger="mtsum.web.rest.events")
    with (
        _serve(pipeline, ServeSettings(concurrency=1, queue_size=1)) as base,
        httpx.Client(timeout=60) as client,
    ):
        with connect_sse(client, "POST", f"{base}translate", json=body) as source:
            first = next(source.iter_sse())
            assert (first.event, first.json()["index"]) == ("paragraph", 0)
            assert gate.held.wait(60)  # the engine is on a later paragraph, held there
        _wait_for(lambda: "client went away" in caplog.text)  # the server saw it leave
        before = gate.total_calls()
        gate.release.set()
        # The only slot is free once the held batch is back: this runs at once after it.
        answer = client.post(f"{base}translate", json={**body, "stream": False})
        assert answer.status_code == 200
        assert answer.json()["translatedText"] == whole
    # The cancelled run made its held call and no other: the rest is the second, whole run.
    assert gate.total_calls() == before + 1 + whole_calls
    assert whole_calls > before + 2  # there was more left to do than the cancelled run did


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def _whole_run(settings: Settings) -> tuple[str, int]:
    """The text's translation and the generate calls a whole run makes."""
    gate = GatedLoader("never appears")
    pipeline = Pipeline(settings, store=ModelStore(settings, loader=gate))
    translation = pipeline.translate(gated_text(), request=Request(target="en", source="fr"))
    return translation.text, gate.total_calls()


def test_stream_field_is_in_the_schema(base: str) -> None:
    schema = httpx.get(f"{base}openapi.json").json()
    text = json.dumps(schema)
    assert "server-sent events" in text


def _metrics(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = httpx.get(f"{base}metrics", timeout=30).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_a_streamed_request_is_counted_in_the_metrics(base: str) -> None:
    labels = (("method", "POST"), ("route", "/translate"), ("status", "200"))
    requests = ("mtsum_http_requests_total", labels)
    stage = ("mtsum_stage_duration_seconds_count", (("stage", "translate"),))
    waited = ("mtsum_queue_wait_seconds_count", ())
    before = _metrics(base)
    body = {"q": ARTICLE_FR, "source": "fr", "target": "en", "stream": True}
    assert [e.event for e in _events(base, "translate", body)][-1] == "done"
    after = _metrics(base)
    for key in (requests, stage, waited):
        assert after[key] == before.get(key, 0.0) + 1, key
    assert after[("mtsum_requests_running", ())] == 0  # the streamed work is over
