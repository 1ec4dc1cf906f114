"""``serve --ray``: the Serve application answers the REST API and the page's API, with two
model replicas, and survives a replica killed while requests are in flight."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from mtsum import Settings
from mtsum.settings import ServeSettings
from tests.support.redisserver import free_port
from tests.support.texts import SAMPLES

FR = SAMPLES["fr"]
DE = SAMPLES["de"]


@pytest.fixture(scope="module")
def ray_app(settings: Settings) -> Iterator[str]:
    """The application on a local Ray (one per module) with two model replicas; its URL."""
    try:
        import ray
        from ray import serve
    except ImportError:
        pytest.skip("Ray Serve is not installed; pip install -e '.[ray]' installs it")
    from mtsum.serving import build_app

    port = free_port()
    # Four logical CPUs: two model replicas (one each); the ingress and Serve's actors take none.
    ray.init(num_cpus=4, include_dashboard=False, logging_level="WARNING", namespace="mtsum")
    try:
        serve.start(http_options={"host": "127.0.0.1", "port": port})
        app = build_app(settings.replace(translation_memory="memory"), ServeSettings(replicas=2))
        serve.run(app, name="mtsum", route_prefix="/")
        yield f"http://127.0.0.1:{port}"
    finally:
        serve.shutdown()
        ray.shutdown()


def _replica_pids() -> set[int]:
    from ray import serve

    handle = serve.get_deployment_handle("mtsum-models", app_name="mtsum")
    pids: set[int] = set()
    deadline = time.monotonic() + 60
    while len(pids) < 2 and time.monotonic() < deadline:
        pids.add(handle.pid.remote().result(timeout_s=30))
    return pids


def _metrics(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = httpx.get(f"{url}/metrics", timeout=30).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_the_serve_app_answers_rest_and_metrics(ray_app: str) -> None:
    answer = httpx.post(f"{ray_app}/translate", json={"q": [FR, DE], "target": "en"}, timeout=120)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert len(body["translatedText"]) == 2 and all(t.strip() for t in body["translatedText"])
    assert [d["language"] for d in body["detectedLanguage"]] == ["fr", "de"]
    summary = httpx.post(f"{ray_app}/summarize", json={"q": FR, "target": "en"}, timeout=120)
    assert summary.status_code == 200, summary.text
    assert summary.json()["summary"].strip()
    assert httpx.get(f"{ray_app}/health", timeout=30).json()["status"] == "ok"
    series = _metrics(ray_app)
    calls = {
        labels: v for (name, labels), v in series.items() if name == "mtsum_replica_calls_total"
    }
    assert calls and sum(calls.values()) >= 2
    assert (
        series[
            (
                "mtsum_http_requests_total",
                (("method", "POST"), ("route", "/translate"), ("status", "200")),
            )
        ]
        >= 1
    )


def test_the_page_api_answers_through_gradio_client(ray_app: str) -> None:
    from gradio_client import Client

    client = Client(f"{ray_app}/", verbose=False)
    result = client.predict(FR, "en", "auto", 0, "extractive", api_name="/run")
    data = result[-1]
    assert data["detection"]["language"] == "fr"
    assert data["translation"]["route"] == ["fr-en"] and data["summary"]["text"].strip()


def test_a_killed_replica_is_survived(ray_app: str) -> None:
    pids = _replica_pids()
    assert len(pids) == 2, "both replicas answer"
    texts = [f"{FR} ({n})" for n in range(12)]

    def ask(text: str) -> int:
        response = httpx.post(
            f"{ray_app}/translate", json={"q": text, "source": "fr", "target": "en"}, timeout=180
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = [pool.submit(ask, text) for text in texts]
        time.sleep(0.3)  # requests are in flight
        os.kill(next(iter(pids)), signal.SIGKILL)
        statuses = [future.result() for future in futures]
    assert statuses == [200] * len(texts)
    # Serve replaces the dead replica: two again.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        new = _replica_pids()
        if len(new) == 2 and new != pids:
            break
        time.sleep(1)
    assert len(new) == 2 and new != pids
