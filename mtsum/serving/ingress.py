"""The ingress deployment of ``serve --ray``: the REST API, the page and ``/metrics`` over HTTP.

It is ``create_app`` itself (Serve's late-bound FastAPI ingress), on a pipeline whose model
store loads ``RemoteEngine`` objects: detection, segmentation, checks and summaries run here,
every model call on a model replica. The translation memory lives on the replicas (off here,
so a sentence is looked up once, where it would be generated). ``/metrics`` adds, per model
replica (by Serve's rank: a bounded label), the calls it answered and its memory's counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector
from ray import serve

from ..models import ModelStore
from ..pipeline import Pipeline
from ..settings import ServeSettings, Settings
from ..web.app import create_app
from .models import ModelClient, RemoteLoader

__all__ = ["INGRESS_ONGOING", "Ingress"]


# The app bounds its own work (MTSUM_CONCURRENCY, MTSUM_QUEUE_SIZE, Gradio's queue), and the
# page's event streams stay open while a visitor waits: Serve's default of 5 ongoing requests
# per replica would leave a sixth visitor unrouted (seen with 30 gradio_client clients).
INGRESS_ONGOING = 1000


@serve.deployment(
    name="mtsum-ingress",
    ray_actor_options={"num_cpus": 0},
    max_ongoing_requests=INGRESS_ONGOING,
)
@serve.ingress()
class Ingress:
    """The HTTP face; ``models`` is the model deployment's handle."""

    def __init__(self, settings: Settings, serving: ServeSettings, models: Any) -> None:
        self.client = ModelClient(models)
        # Each model replica works on MTSUM_CONCURRENCY requests: the ingress lets through as
        # many as all replicas together take.
        replicas = serving.replicas_max or serving.replicas
        local = settings.replace(translation_memory="off")
        store = ModelStore(local, loader=RemoteLoader(self.client))
        self.web = create_app(
            pipeline=Pipeline(local, store=store),
            serving=serving.replace(concurrency=serving.concurrency * replicas),
        )
        self.web.state.metrics.registry.register(ReplicaCollector(self.client))

    def __serve_build_asgi_app__(self) -> Any:
        return self.web


class ReplicaCollector(Collector):
    """Per model replica: calls answered (by model) and its translation memory's counts."""

    def __init__(self, client: ModelClient) -> None:
        self.client = client

    def collect(self) -> Iterator[Metric]:
        """The families, read when scraped."""
        calls = CounterMetricFamily(
            "mtsum_replica_calls",
            "Engine calls answered, by model replica (Serve rank) and model",
            labels=["replica", "model"],
        )
        hits = CounterMetricFamily(
            "mtsum_replica_memory_hits",
            "Translation memory hits, by model replica",
            labels=["replica"],
        )
        misses = CounterMetricFamily(
            "mtsum_replica_memory_misses",
            "Translation memory misses, by model replica",
            labels=["replica"],
        )
        retries = CounterMetricFamily(
            "mtsum_replica_retries", "Calls retried after their model replica died"
        )
        with self.client._lock:
            for (replica, model), count in sorted(self.client.calls.items()):
                calls.add_metric([replica, model], count)
            for replica, stats in sorted(self.client.memory.items()):
                hits.add_metric([replica], float(stats.get("hits", 0)))
                misses.add_metric([replica], float(stats.get("misses", 0)))
            retries.add_metric([], self.client.retries)
        return iter([calls, hits, misses, retries])
