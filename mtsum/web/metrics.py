"""Prometheus metrics of the server (``GET /metrics``): load, latency, queueing, models, memory.

An operator who runs mtsum for others needs to see how busy it is, where the time goes and
whether the translation memory pays, without reading logs. ``ServerMetrics`` holds one
``prometheus_client`` registry per app (two apps in one process, as in the tests, never mix
their counts); ``MetricsMiddleware`` counts every HTTP request by route template, method and
status; the REST routes add stage timings, flags, degraded items and refusals; a collector reads
the model store and the translation memory when the metrics are scraped.

Labels never carry text, keys or raw paths: a route label is one of the app's fixed route
templates (anything else is ``other``), a flag kind outside the known kinds is ``other``, and a
model label is a registry name (the operator's registry bounds them).
"""

from __future__ import annotations

import logging
import time
from collections import Counter as Tally
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..checks import KINDS
from ..pipeline import Pipeline

__all__ = [
    "FLAG_KINDS",
    "METRICS_PATH",
    "MetricsMiddleware",
    "ServerMetrics",
    "record_items",
]

log = logging.getLogger(__name__)

METRICS_PATH = "/metrics"
# Every flag kind the checks write (results.py, checks/); others are counted as "other".
FLAG_KINDS = frozenset(
    {*KINDS, "term", "unsupported_number", "unsupported_name", "unsupported_word"}
)
# Refusals by the status they answer with; the guard names finer reasons (busy) itself.
_REFUSAL_BY_STATUS = {
    400: "bad_input",
    403: "api_key",
    413: "too_long",
    429: "rate_limit",
    503: "unavailable",
}
# Seconds: a tiny model answers in milliseconds, a full-size one on CPU in seconds to minutes.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
# Gradio's routes, each counted under one template.
_GRADIO_PREFIXES = (
    ("/gradio_api/queue/", "/gradio_api/queue/*"),
    ("/gradio_api/upload", "/gradio_api/upload"),
    ("/gradio_api/file=", "/gradio_api/file=*"),
    ("/gradio_api/", "/gradio_api/*"),
)


class ServerMetrics:
    """The metrics of one app, in a registry of their own.

    Args:
        pipeline: whose model store and translation memory to report; none for an app
            without models (the Ray ingress reports its replicas' counts instead).
    """

    def __init__(self, pipeline: Pipeline | None = None) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.requests = Counter(
            "mtsum_http_requests",
            "HTTP requests answered, by route template, method and status",
            ["route", "method", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "mtsum_http_request_duration_seconds",
            "Time from request to the end of the answer, by route template",
            ["route"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.stages = Histogram(
            "mtsum_stage_duration_seconds",
            "Time spent per pipeline stage (detect, translate, summarize) per request",
            ["stage"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.queue_wait = Histogram(
            "mtsum_queue_wait_seconds",
            "Time a REST request waited for a work slot",
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.queue_depth = Gauge(
            "mtsum_queue_depth",
            "REST requests waiting for a work slot now",
            registry=registry,
        )
        self.running = Gauge(
            "mtsum_requests_running",
            "REST requests holding a work slot now",
            registry=registry,
        )
        self.flags = Counter(
            "mtsum_flags", "Sentences flagged as doubtful, by kind", ["kind"], registry=registry
        )
        self.degraded = Counter(
            "mtsum_degraded_items",
            "Items answered with a warning (shortened, guessed, flagged), by route",
            ["route"],
            registry=registry,
        )
        self.refusals = Counter(
            "mtsum_refusals", "Requests refused, by reason", ["reason"], registry=registry
        )
        if pipeline is not None:
            registry.register(StoreCollector(pipeline))

    def render(self) -> tuple[bytes, str]:
        """The exposition text and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST

    def observe_stage(self, stage: str, seconds: float) -> None:
        """Add one stage's time of one request."""
        self.stages.labels(stage=stage).observe(seconds)

    def count_flags(self, kinds: Iterable[str]) -> None:
        """Count flags by kind (a kind outside ``FLAG_KINDS`` as ``other``)."""
        for kind, count in Tally(k if k in FLAG_KINDS else "other" for k in kinds).items():
            self.flags.labels(kind=kind).inc(count)


def record_items(
    metrics: ServerMetrics | None,
    route: str,
    warnings: Sequence[Sequence[str]],
    flag_kinds: Sequence[str],
) -> None:
    """Count one request's per-item degradations: in the metrics and in one log line at most.

    One request never writes a line per item (a list of 5,000 short texts once wrote 10,002):
    the items' warnings are in the answer; the log says how many, with the commonest warning.

    Args:
        metrics: where to count them (none: only the log line).
        route: the route template (``/translate``).
        warnings: per item, its warnings.
        flag_kinds: the kind of every flag of the request.
    """
    degraded = sum(1 for item in warnings if item)
    if metrics is not None:
        metrics.count_flags(flag_kinds)
        if degraded:
            metrics.degraded.labels(route=route).inc(degraded)
    if not degraded:
        return
    common, times = Tally(w for item in warnings for w in dict.fromkeys(item)).most_common(1)[0]
    kinds = ", ".join(f"{n} {kind}" for kind, n in Tally(flag_kinds).most_common())
    log.warning(
        "%s: %d of %d item(s) degraded%s; most often (%d): %s",
        route,
        degraded,
        len(warnings),
        f" (flags: {kinds})" if kinds else "",
        times,
        common,
    )


class StoreCollector(Collector):
    """Reads the model store and the translation memory at scrape time."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def collect(self) -> Iterator[Metric]:
        """The models in memory, their load times and the memory's counts."""
        return iter(store_metrics(self.pipeline))


def store_metrics(pipeline: Pipeline, replica: str | None = None) -> list[Metric]:
    """Metric families of one pipeline's models and memory (``replica`` adds that label)."""
    labels = ["replica"] if replica is not None else []
    extra = [replica] if replica is not None else []
    loaded = GaugeMetricFamily("mtsum_models_loaded", "Models in memory now", labels=labels)
    loaded.add_metric(extra, len(pipeline.loaded_models()))
    load_time = GaugeMetricFamily(
        "mtsum_model_load_seconds",
        "Seconds the last load of each model took (find, fetch, convert, load)",
        labels=[*labels, "model"],
    )
    for name, seconds in sorted(pipeline.load_seconds().items()):
        load_time.add_metric([*extra, name], seconds)
    stats: Mapping[str, Any] = pipeline.memory_stats()
    hits = CounterMetricFamily(
        "mtsum_translation_memory_hits", "Sentences answered by the memory", labels=labels
    )
    hits.add_metric(extra, float(stats["hits"]))
    misses = CounterMetricFamily(
        "mtsum_translation_memory_misses", "Sentences the memory did not have", labels=labels
    )
    misses.add_metric(extra, float(stats["misses"]))
    return [loaded, load_time, hits, misses]


class MetricsMiddleware:
    """Counts and times every HTTP request by route template; answers ``GET /metrics``.

    Args:
        app: the ASGI app to wrap.
        metrics: where to count.
        routes: the app's fixed paths (``/translate``, ...); other paths are grouped.
        prefixes: path prefixes mapped to one template each (``/download_file/`` ->
            ``/download_file/{id}``).
    """

    def __init__(
        self,
        app: ASGIApp,
        metrics: ServerMetrics,
        routes: Iterable[str],
        prefixes: Mapping[str, str] | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = frozenset({*routes, METRICS_PATH, "/"})
        self.prefixes = dict(prefixes or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = self.template(str(scope.get("path", "")))
        if route == METRICS_PATH and scope.get("method") == "GET":
            await self._expose(send)
            self.metrics.requests.labels(route=route, method="GET", status="200").inc()
            return
        status = 500
        started = time.perf_counter()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            self._count(scope, route, status, time.perf_counter() - started)

    def template(self, path: str) -> str:
        """The bounded label for ``path``."""
        if path in self.routes:
            return path
        for prefix, template in (*self.prefixes.items(), *_GRADIO_PREFIXES):
            if path.startswith(prefix):
                return template
        return "other"

    def _count(self, scope: Scope, route: str, status: int, seconds: float) -> None:
        method = str(scope.get("method", "GET"))
        if method not in ("GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE"):
            method = "other"
        metrics = self.metrics
        metrics.requests.labels(route=route, method=method, status=str(status)).inc()
        metrics.latency.labels(route=route).observe(seconds)
        state = scope.get("state") or {}
        reason = state.get("refusal") or _REFUSAL_BY_STATUS.get(status)
        if reason is not None and status >= 400:
            metrics.refusals.labels(reason=reason).inc()

    async def _expose(self, send: Send) -> None:
        body, content_type = self.metrics.render()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", content_type.encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
