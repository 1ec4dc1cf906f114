"""``make test-scale``: the Ray Serve app under a burst, on this machine's loopback.

A local Ray cluster, Redis (Debian's redis-server, started here), the tiny models (or, with
``SCALE_MODELS=full``, the full-size random Marian of ``bench/build.py`` on CTranslate2):

1. one model replica: 30 clients x 2 requests (one REST, one ``gradio_client``), all answered;
2. two model replicas: the same burst with new texts, all answered, both replicas used (the
   ingress's ``/metrics`` count each replica's calls);
3. the same again while one replica is killed half-way: all 60 answered, none with a 5xx;
4. the texts of step 1 once more: every sentence is a memory hit, also on the replica that
   replaced the killed one and never translated them (the memory is Redis, shared).

It prints the throughput of steps 1 and 2 side by side, each after an untimed warm-up burst
(models, detector and page loaded). Marked ``scale``: not in ``make test``.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from gradio_client import Client
from prometheus_client.parser import text_string_to_metric_families

from mtsum import Settings
from mtsum.settings import ServeSettings
from tests.support.redisserver import free_port, redis_server
from tests.support.texts import SAMPLES

pytestmark = pytest.mark.scale

CLIENTS = 30
WAIT = 240.0
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Burst:
    """What one burst's clients saw."""

    statuses: list[int]
    seconds: float
    errors: list[str]

    @property
    def throughput(self) -> float:
        """Answered requests per second."""
        return len(self.statuses) / self.seconds


def _scale_settings(settings: Settings, redis_url: str) -> tuple[Settings, str, str]:
    """Settings for the run, and the (source, target) of its texts."""
    if os.environ.get("SCALE_MODELS") == "full":
        from bench.build import build_marian, prose_lines

        cache = ROOT / "bench" / ".cache"
        marian = cache / "models" / "marian-base"
        if not (marian / "bench-build.json").is_file():  # built once, as make bench does
            build_marian(marian, list(prose_lines(ROOT / "bench" / "article.txt")))
        registry = cache / "registry-scale.toml"
        registry.write_text(f'[translation]\n"en-de" = "{marian.resolve()}"\n', encoding="utf-8")
        full = settings.replace(registry_path=registry, engine="ctranslate2", batch_tokens=512)
        return full.replace(translation_memory=redis_url), "en", "de"
    return settings.replace(translation_memory=redis_url), "fr", "en"


@pytest.fixture(scope="module")
def cluster(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Redis and a local Ray with Serve's proxy on a free port; (settings, url, pair)."""
    ray = pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]'")
    from ray import serve

    with redis_server(tmp_path_factory.mktemp("redis")) as redis_url:
        scaled, source, target = _scale_settings(settings, redis_url)
        port = free_port()
        ray.init(num_cpus=4, include_dashboard=False, logging_level="WARNING", namespace="mtsum")
        try:
            serve.start(http_options={"host": "127.0.0.1", "port": port})
            yield scaled, f"http://127.0.0.1:{port}", (source, target)
        finally:
            serve.shutdown()
            ray.shutdown()


def _deploy(settings: Settings, replicas: int) -> None:
    from ray import serve

    from mtsum.serving import build_app

    serve.run(build_app(settings, ServeSettings(replicas=replicas)), name="mtsum", route_prefix="/")


def _warm_up(url: str, pair: tuple[str, str]) -> None:
    """Untimed: every replica loads its model, the ingress its detector and page."""
    _burst(url, _texts(pair[0], "w")[:8], pair)


def _texts(source: str, tag: str) -> list[str]:
    base = SAMPLES[source]
    return [f"{base} {tag}{n}." for n in range(CLIENTS)]


def _burst(url: str, texts: list[str], pair: tuple[str, str], kill: int | None = None) -> Burst:
    """Each client: one REST call and one gradio_client call; ``kill`` a pid half-way."""
    source, target = pair
    statuses: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    done = threading.Event()

    def client(text: str) -> None:
        with httpx.Client(timeout=WAIT) as http:
            rest = http.post(
                f"{url}/translate", json={"q": text, "source": source, "target": target}
            )
        ok = rest.status_code == 200 and bool(rest.json()["translatedText"].strip())
        try:
            page = Client(f"{url}/", verbose=False).predict(
                text, target, source, api_name="/translate"
            )
            page_status = 200 if page["text"].strip() else 502
        except Exception as exc:  # a failed page call (the client raises; no status to see)
            page_status = 0
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}"[:300])
        with lock:
            statuses.extend(
                [rest.status_code if ok or rest.status_code != 200 else 502, page_status]
            )
            if len(statuses) >= len(texts) and kill is not None:
                done.set()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        futures = [pool.submit(client, text) for text in texts]
        if kill is not None:
            done.wait(WAIT)  # half of the answers are in
            os.kill(kill, signal.SIGKILL)
        for future in futures:
            future.result()
    burst = Burst(statuses, time.perf_counter() - started, errors)
    print(f"\nburst: {burst.seconds:.1f} s, {burst.throughput:.2f} requests/s, errors {errors}")
    return burst


def _series(url: str, name: str) -> dict[str, float]:
    text = httpx.get(f"{url}/metrics", timeout=30).text
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                replica = sample.labels.get("replica", "")
                found[replica] = found.get(replica, 0.0) + sample.value
    return found


def _redis_entries(url: str) -> int:
    import redis

    with redis.Redis.from_url(url) as client:
        return int(client.dbsize())


def _replica_pids() -> set[int]:
    from ray import serve

    handle = serve.get_deployment_handle("mtsum-models", app_name="mtsum")
    pids: set[int] = set()
    deadline = time.monotonic() + 120
    while len(pids) < 2 and time.monotonic() < deadline:
        pids.add(handle.pid.remote().result(timeout_s=60))
    return pids


def test_scale_burst_two_replicas_a_kill_and_the_shared_memory(cluster: Any) -> None:
    settings, url, pair = cluster
    _deploy(settings, 1)
    _warm_up(url, pair)
    first = _texts(pair[0], "a")
    one = _burst(url, first, pair)
    assert one.statuses == [200] * 2 * CLIENTS, one.errors

    _deploy(settings, 2)
    _warm_up(url, pair)
    before = _series(url, "mtsum_replica_calls_total")
    two = _burst(url, _texts(pair[0], "b"), pair)
    assert two.statuses == [200] * 2 * CLIENTS, two.errors
    after = _series(url, "mtsum_replica_calls_total")
    used = {r for r, calls in after.items() if calls > before.get(r, 0.0)}
    assert len(used) == 2, f"calls per replica before {before}, after {after}"

    pids = _replica_pids()
    killed = _burst(url, _texts(pair[0], "c"), pair, kill=next(iter(pids)))
    assert len(killed.statuses) == 2 * CLIENTS
    assert all(status < 500 for status in killed.statuses), killed.statuses
    assert killed.statuses == [200] * 2 * CLIENTS, killed.errors
    retries = _series(url, "mtsum_replica_retries_total")

    replaced = _replica_pids()
    assert len(replaced) == 2 and replaced != pids
    stored = _redis_entries(settings.translation_memory)
    calls = _series(url, "mtsum_replica_calls_total")
    again = _burst(url, first, pair)
    assert again.statuses == [200] * 2 * CLIENTS, again.errors
    # Nothing new was generated anywhere (a miss writes its output to Redis), although the
    # replica that replaced the killed one never translated these texts: its hits came from
    # the shared memory.
    assert _redis_entries(settings.translation_memory) == stored, "all hits"
    answered = _series(url, "mtsum_replica_calls_total")
    assert all(answered[r] > calls.get(r, 0.0) for r in answered), (calls, answered)
    hits = _series(url, "mtsum_replica_memory_hits_total")
    print(
        f"\nscale: {CLIENTS} clients x 2 requests, pair {pair[0]}-{pair[1]}, "
        f"engine {settings.engine}\n"
        f"| replicas | seconds | requests/s |\n|---|---|---|\n"
        f"| 1 | {one.seconds:.1f} | {one.throughput:.2f} |\n"
        f"| 2 | {two.seconds:.1f} | {two.throughput:.2f} |\n"
        f"| 2, one killed half-way | {killed.seconds:.1f} | {killed.throughput:.2f} |\n"
        f"| 2, repeated texts (memory) | {again.seconds:.1f} | {again.throughput:.2f} |\n"
        f"calls per replica: {after}; retries after the kill: {retries}; "
        f"memory hits per replica: {hits}; Redis entries: {stored}"
    )
