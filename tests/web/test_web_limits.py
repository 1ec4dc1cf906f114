"""Limits that keep one busy or greedy client from taking the server from everyone else.

The Gradio API shares the REST API's per-client rate limit; REST model work is bounded like the
page's queue (busy: 503 with ``Retry-After``); the Gradio queue turns the excess away with a
clear message; and uvicorn's access log keeps no query strings.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import Any

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError
from gradio_client.utils import QueueError

from mtsum import ConfigError, Pipeline, Settings
from mtsum.results import Detection
from mtsum.settings import ServeSettings
from mtsum.web import create_app
from mtsum.web.access import RedactQuery
from mtsum.web.rest.slots import Busy, WorkSlots
from tests.support.texts import SAMPLES
from tests.support.webserver import serve_in_thread

FR = SAMPLES["fr"]
WAIT = 60.0


# ---- rate limit for the Gradio API, shared with REST -------------------------------------------


@pytest.fixture
def limited(settings: Settings) -> Iterator[str]:
    with serve_in_thread(create_app(settings, serving=ServeSettings(rate_limit=3))) as url:
        yield url


def test_gradio_requests_over_the_rate_limit_are_429_with_retry_after(limited: str) -> None:
    client = Client(limited, verbose=False)  # reading the page's config is not counted
    for _ in range(3):
        assert client.predict(FR, api_name="/detect")["language"] == "fr"
    with pytest.raises(httpx.HTTPStatusError) as caught:
        client.predict(FR, api_name="/detect")
    response = caught.value.response
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert "limit is 3 per minute" in response.json()["detail"]


def test_the_rate_limit_is_one_budget_for_both_faces(limited: str) -> None:
    client = Client(limited, verbose=False)
    with httpx.Client(base_url=limited, timeout=WAIT) as rest:
        assert rest.post("/detect", json={"q": FR}).status_code == 200
        assert rest.post("/detect", json={"q": FR}).status_code == 200
        assert client.predict(FR, api_name="/detect")["language"] == "fr"
        refused = rest.post("/detect", json={"q": FR})
        assert refused.status_code == 429 and "Retry-After" in refused.headers
        assert rest.get("/").status_code == 200  # the page itself stays reachable


def test_login_attempts_count_towards_the_limit(settings: Settings) -> None:
    keyed = ServeSettings(rate_limit=2, api_keys=("right-key",))
    with (
        serve_in_thread(create_app(settings, serving=keyed)) as url,
        httpx.Client(base_url=url) as http,
    ):
        for _ in range(2):
            assert http.post("/login", data={"username": "a", "password": "guess"}).is_error
        guessed = http.post("/login", data={"username": "a", "password": "right-key"})
    assert guessed.status_code == 429  # even the right key waits: guessing is slowed down


# ---- bounded work --------------------------------------------------------------------------


class Gate:
    """Makes the pipeline's detect wait until opened, and counts the calls that reached it."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.opened = threading.Event()
        self.reached = threading.Semaphore(0)
        self.real = pipeline.detect

    def detect(self, text: str) -> Detection:
        self.reached.release()
        if not self.opened.wait(WAIT):
            raise TimeoutError("the gate was never opened")
        return self.real(text)


@pytest.fixture
def gated(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Gate, str]]:
    pipeline = Pipeline(settings)
    gate = Gate(pipeline)
    monkeypatch.setattr(pipeline, "detect", gate.detect)
    try:
        one = ServeSettings(concurrency=1, queue_size=1)
        with serve_in_thread(create_app(pipeline=pipeline, serving=one)) as url:
            yield gate, url
    finally:
        gate.opened.set()


def test_rest_beyond_the_work_slots_is_told_busy_with_retry_after(
    gated: tuple[Gate, str],
) -> None:
    gate, url = gated

    def detect() -> httpx.Response:
        return httpx.post(url + "detect", json={"q": FR}, timeout=WAIT)

    with ThreadPoolExecutor(3) as pool:
        running = pool.submit(detect)
        assert gate.reached.acquire(timeout=WAIT)  # one works, held at the gate
        # Two more: one waits for the slot (the queue holds one), the other is turned away at
        # once, whichever arrives second.
        more = [pool.submit(detect), pool.submit(detect)]
        done, pending = wait(more, timeout=WAIT, return_when=FIRST_COMPLETED)
        (refused,) = (f.result() for f in done)
        assert refused.status_code == 503
        assert "busy" in refused.json()["error"]
        assert refused.headers["Retry-After"] == "2"
        gate.opened.set()
        assert running.result().status_code == 200
        assert [f.result().status_code for f in pending] == [200]
    assert detect().status_code == 200  # and the slots are free again


def test_gradio_beyond_its_queue_is_told_the_queue_is_full(gated: tuple[Gate, str]) -> None:
    gate, url = gated
    client = Client(url, verbose=False)
    running = client.submit(FR, api_name="/detect")
    assert gate.reached.acquire(timeout=WAIT)
    more = [client.submit(FR, api_name="/detect") for _ in range(2)]
    done, pending = wait([job.future for job in more], timeout=WAIT, return_when=FIRST_COMPLETED)
    (refused,) = done
    with pytest.raises((QueueError, AppError), match=r"[Qq]ueue is full"):
        refused.result()
    gate.opened.set()
    assert running.result(timeout=WAIT)["language"] == "fr"
    assert [f.result(timeout=WAIT)["language"] for f in pending] == ["fr"]


def test_work_slots_admit_up_to_their_capacity_and_free_on_failure() -> None:
    slots = WorkSlots(concurrency=1, queue_size=1)
    with slots.admit(), slots.admit():
        with pytest.raises(Busy), slots.admit():
            pass
        assert slots.admitted == 2
    with pytest.raises(ZeroDivisionError), slots.admit():
        slots.run(lambda x: 1 / x, 0)
    assert slots.admitted == 0
    assert slots.run(lambda x: x + 1, 1) == 2  # the turn was given back


# ---- the access log ----------------------------------------------------------------------


def _access_record(path: str) -> logging.LogRecord:
    args: Any = ("127.0.0.1:5000", "POST", path, "1.1", 200)
    return logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d', args, None
    )


def test_the_access_log_keeps_the_path_but_not_the_query() -> None:
    record = _access_record("/translate?q=Le%20secret&target=en")
    assert RedactQuery().filter(record)
    assert record.getMessage() == (
        '127.0.0.1:5000 - "POST /translate?[query omitted] HTTP/1.1" 200'
    )
    plain = _access_record("/translate")
    RedactQuery().filter(plain)
    assert plain.getMessage() == '127.0.0.1:5000 - "POST /translate HTTP/1.1" 200'


def test_mcp_cannot_be_combined_with_api_keys(settings: Settings) -> None:
    # Gradio's MCP routes check no login; with keys they would be a way around them.
    with pytest.raises(ConfigError, match="MTSUM_API_KEYS"):
        create_app(settings, serving=ServeSettings(mcp=True, api_keys=("k",)))
