"""A bounded burst of users against the real server: every request answered, correctly.

40 clients at once (20 through ``gradio_client``, 20 through the REST API), 5 requests each,
mixed languages (direct, pivot and multilingual routes, detection) and sizes (a sentence, an
article), on the tiny models. The test asserts correctness and bounds, never speed:

* every request ends with a correct answer; a client told "busy" (Gradio's full queue, REST's
  503 with ``Retry-After``) waits and tries again, and nothing else goes wrong (no 500);
* each model is loaded exactly once;
* the process's memory after the burst stays within a bound of its memory before it (measured
  after a warm-up that loaded every model).

It prints the figures: requests, busy answers, p50/p95 latency, RSS before, peak and after.
Marked ``load``: ``make test-load`` (and ``.ci/run``) runs it; ``make test`` does not.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import psutil
import pytest
from gradio_client import Client
from gradio_client.utils import QueueError

from mtsum import Pipeline, Settings
from mtsum.settings import ServeSettings
from mtsum.text import split_paragraphs
from mtsum.web import create_app
from tests.support.texts import ARTICLE_EN, ARTICLE_FR, SAMPLES
from tests.support.webserver import serve_in_thread

pytestmark = pytest.mark.load

CLIENTS_PER_FACE = 20
REQUESTS_PER_CLIENT = 5
CONCURRENCY = 2
QUEUE_SIZE = 8  # small on purpose: the burst must meet full queues
MEMORY_BOUND_MB = 150
RETRY_LIMIT = 200
WAIT = 300.0

Check = Callable[[Any], None]


@dataclass
class Tally:
    """What the clients saw, shared by their threads."""

    latencies: list[float] = field(default_factory=list)
    busy: dict[str, int] = field(default_factory=lambda: {"gradio": 0, "rest": 0})
    lock: threading.Lock = field(default_factory=threading.Lock)

    def done(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)

    def turned_away(self, face: str) -> None:
        with self.lock:
            self.busy[face] += 1


def _route(expected: list[str]) -> Check:
    def check(data: Any) -> None:
        assert data["route"] == expected and data["text"], data

    return check


def _rest_translation(paragraphs: int) -> Check:
    def check(body: Any) -> None:
        assert len(split_paragraphs(body["translatedText"])) == paragraphs, body

    return check


def _detected(language: str) -> Check:
    def check(data: Any) -> None:
        found = data["language"] if isinstance(data, dict) else data[0]["language"]
        assert found == language, data

    return check


def _summary(data: Any) -> None:
    assert data["summary"] and data["translatedText"] and data["detectedLanguage"], data


def _run_result(route: list[str]) -> Check:
    def check(outputs: Any) -> None:
        result = outputs[-1]
        assert result["translation"]["route"] == route and result["summary"]["text"], result

    return check


ARTICLE_PARAGRAPHS = len(split_paragraphs(ARTICLE_FR))

# (what, arguments, check): the mix each client cycles through, shifted by its number.
GRADIO_MIX: list[tuple[str, tuple[Any, ...], Check]] = [
    ("/detect", (SAMPLES["de"],), _detected("de")),
    ("/translate", (SAMPLES["fr"], "en", "auto"), _route(["fr-en"])),
    ("/translate", (SAMPLES["en"], "it", "en"), _route(["en-it"])),
    ("/translate", (SAMPLES["es"], "de", "es"), _route(["es-en", "en-de"])),
    ("/run", (ARTICLE_FR, "de", "fr", 40, "extractive"), _run_result(["fr-en", "en-de"])),
    ("/summarize", (ARTICLE_EN, 30, "extractive"), lambda d: d["text"] or pytest.fail(str(d))),
]
REST_MIX: list[tuple[str, dict[str, Any], Check]] = [
    ("/translate", {"q": SAMPLES["de"], "target": "en"}, _rest_translation(1)),
    ("/translate", {"q": SAMPLES["en"], "source": "en", "target": "fr"}, _rest_translation(1)),
    ("/detect", {"q": SAMPLES["it"]}, _detected("it")),
    (
        "/translate",
        {"q": ARTICLE_FR, "source": "fr", "target": "en"},
        _rest_translation(ARTICLE_PARAGRAPHS),
    ),
    ("/summarize", {"q": SAMPLES["fr"], "target": "de", "method": "extractive"}, _summary),
    ("/translate", {"q": [SAMPLES["fr"], SAMPLES["it"]], "target": "en"}, lambda b: None),
]


@pytest.fixture(scope="module")
def burst_server(settings: Settings) -> Iterator[tuple[Pipeline, str]]:
    # every model of the mix stays: a reload would be a second load
    pipeline = Pipeline(settings.replace(max_loaded_models=8))
    tuned = ServeSettings(concurrency=CONCURRENCY, queue_size=QUEUE_SIZE)
    with serve_in_thread(create_app(pipeline=pipeline, serving=tuned)) as url:
        yield pipeline, url


def _gradio_client(
    url: str, number: int, tally: Tally, requests: int = REQUESTS_PER_CLIENT
) -> None:
    client = Client(url, verbose=False)
    try:
        for index in range(requests):
            api_name, args, check = GRADIO_MIX[(number + index) % len(GRADIO_MIX)]
            start = time.perf_counter()
            for _ in range(RETRY_LIMIT):
                try:
                    data = client.submit(*args, api_name=api_name).result(timeout=WAIT)
                    break
                except QueueError:
                    tally.turned_away("gradio")
                    time.sleep(0.5)
            else:
                pytest.fail(f"{api_name} was turned away {RETRY_LIMIT} times")
            check(data)
            tally.done(time.perf_counter() - start)
    finally:
        client.close()


def _rest_client(url: str, number: int, tally: Tally, requests: int = REQUESTS_PER_CLIENT) -> None:
    with httpx.Client(base_url=url, timeout=WAIT) as http:
        for index in range(requests):
            route, body, check = REST_MIX[(number + index) % len(REST_MIX)]
            start = time.perf_counter()
            for _ in range(RETRY_LIMIT):
                response = http.post(route, json=body)
                if response.status_code != 503:
                    break
                assert "busy" in response.json()["error"], response.text
                tally.turned_away("rest")
                time.sleep(float(response.headers["Retry-After"]))
            assert response.status_code == 200, (route, response.text)
            check(response.json())
            tally.done(time.perf_counter() - start)


class PeakRSS:
    """Samples the process's resident memory in the background; keeps the peak."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.peak = self.process.memory_info().rss
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self.stopped.wait(0.05):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> PeakRSS:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join()


def _rss() -> int:
    """Resident memory once garbage is collected and freed heap is handed back to the system.

    glibc keeps memory freed by many threads in per-thread arenas; without the trim, RSS after
    a burst of 40 client threads tells how busy the allocator was, not what is still alive.
    """
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: RSS as it is
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return int(psutil.Process().memory_info().rss)


def _mb(value: float) -> str:
    return f"{value / 2**20:.0f} MB"


def test_a_burst_of_clients_is_served_correctly_within_bounds(
    burst_server: tuple[Pipeline, str],
) -> None:
    pipeline, url = burst_server
    warm = Tally()  # warm-up: each request of the mix once, so every model is loaded
    _gradio_client(url, 0, warm, len(GRADIO_MIX))
    _rest_client(url, 0, warm, len(REST_MIX))
    loaded_after_warmup = dict(pipeline.store.load_counts)
    before = _rss()

    tally = Tally()
    started = time.perf_counter()
    with PeakRSS() as memory, ThreadPoolExecutor(2 * CLIENTS_PER_FACE) as pool:
        futures = [pool.submit(_gradio_client, url, n, tally) for n in range(CLIENTS_PER_FACE)]
        futures += [pool.submit(_rest_client, url, n, tally) for n in range(CLIENTS_PER_FACE)]
        for future in futures:
            future.result()  # re-raises a client's failed check
    elapsed = time.perf_counter() - started
    after = _rss()

    requests = 2 * CLIENTS_PER_FACE * REQUESTS_PER_CLIENT
    latencies = sorted(tally.latencies)
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"\nload: {requests} requests from {2 * CLIENTS_PER_FACE} clients in {elapsed:.1f} s; "
        f"busy answers: gradio {tally.busy['gradio']}, rest {tally.busy['rest']}; "
        f"latency p50 {p50:.2f} s, p95 {p95:.2f} s (retries included); "
        f"RSS before {_mb(before)}, peak {_mb(memory.peak)}, after {_mb(after)}"
    )
    assert len(latencies) == requests
    assert all(count == 1 for count in pipeline.store.load_counts.values()), (
        pipeline.store.load_counts
    )
    assert pipeline.store.load_counts == loaded_after_warmup  # the burst loaded nothing new
    assert after - before < MEMORY_BOUND_MB * 2**20, f"{_mb(after - before)} more after the burst"
    assert httpx.get(url + "health").json()["status"] == "ok"


BURST_CLIENTS = 30
BURST_REQUESTS = 2  # per client, sent at once
BURST_MIX: list[tuple[str, tuple[Any, ...], Check]] = [
    ("/translate", (SAMPLES["fr"], "en", "auto"), _route(["fr-en"])),
    ("/translate", (SAMPLES["es"], "de", "es"), _route(["es-en", "en-de"])),
    ("/detect", (SAMPLES["de"],), _detected("de")),
]


@dataclass
class Positions:
    """The largest queue position and queue size that any client was told while waiting."""

    rank: int = 0
    size: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def seen(self, rank: int | None, size: int | None) -> None:
        with self.lock:
            self.rank = max(self.rank, rank or 0)
            self.size = max(self.size, size or 0)


def _burst_client(url: str, number: int, tally: Tally, positions: Positions) -> None:
    """Two requests at once, each tried exactly once: a "queue full" fails the test."""
    client = Client(url, verbose=False)
    try:
        start = time.perf_counter()
        jobs = []
        for index in range(BURST_REQUESTS):
            api_name, args, check = BURST_MIX[(number + index) % len(BURST_MIX)]
            jobs.append((client.submit(*args, api_name=api_name), check))
        while not all(job.done() for job, _ in jobs):
            for job, _ in jobs:
                status = job.status()
                positions.seen(status.rank, status.queue_size)
            time.sleep(0.05)
        for job, check in jobs:
            check(job.result(timeout=WAIT))  # a QueueError here is a visitor turned away
            tally.done(time.perf_counter() - start)
    finally:
        client.close()


def test_a_burst_waits_in_the_default_queue_and_every_request_is_answered(
    settings: Settings,
) -> None:
    """30 clients x 2 requests at once on the default queue: all answered, none turned away,
    each told its place in the queue; memory grows with the requests running, not waiting."""
    tuned = ServeSettings()
    assert tuned.queue_size >= 64
    pipeline = Pipeline(settings.replace(max_loaded_models=8))
    with serve_in_thread(create_app(pipeline=pipeline, serving=tuned)) as url:
        warm = Tally()
        _burst_client(url, 0, warm, Positions())
        _burst_client(url, 1, warm, Positions())  # every model of the mix is loaded now
        before = _rss()
        tally, positions = Tally(), Positions()
        started = time.perf_counter()
        with PeakRSS() as memory, ThreadPoolExecutor(BURST_CLIENTS) as pool:
            futures = [
                pool.submit(_burst_client, url, n, tally, positions) for n in range(BURST_CLIENTS)
            ]
            for future in futures:
                future.result()
        elapsed = time.perf_counter() - started
        after = _rss()
    requests = BURST_CLIENTS * BURST_REQUESTS
    print(
        f"\nburst: {requests} requests from {BURST_CLIENTS} clients at once in {elapsed:.1f} s "
        f"(queue {tuned.queue_size}, {tuned.concurrency} running); largest queue "
        f"position told {positions.rank + 1} of {positions.size}; RSS before {_mb(before)}, "
        f"peak {_mb(memory.peak)} (+{_mb(memory.peak - before)}), after {_mb(after)}"
    )
    assert len(tally.latencies) == requests
    assert positions.rank >= tuned.concurrency, "no client was told its place in the queue"
    assert memory.peak - before < MEMORY_BOUND_MB * 2**20, f"peak {_mb(memory.peak - before)} more"
