"""The model deployment of ``serve --ray``, and the engine through which the ingress calls it.

Each model replica holds the models it serves (Serve's model multiplexing, by registry entry:
a language pair or a summariser; the least recently used leaves, as in the model store) and
answers ``generate`` calls batched across clients (``serve.batch``): the calls of one batch
that share a model and options are generated together, re-packed into token-bounded batches.
The translation memory lives here, below the engine, so with ``MTSUM_TM=redis://...`` every
replica reuses what any other translated.

The ingress keeps the whole pipeline (detection, segmentation, checks, summaries) and loads
``RemoteEngine`` objects in place of models: same interface, their ``generate`` runs on a model
replica. A call whose replica died (killed process, lost node) is retried once; Serve routes
the retry to a live replica and replaces the dead one.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ray import serve

from ..engines.base import Engine, GenerationOptions, generate_batched
from ..errors import MtsumError
from ..models import ModelStore
from ..registry import ModelEntry
from ..settings import Settings

__all__ = ["ModelClient", "ModelServer", "RemoteLoader", "model_id"]

log = logging.getLogger(__name__)

# Calls a replica takes at once (Serve's max_ongoing_requests), batched together when they
# arrive together. Serve routes a model's calls to the replicas that hold it and to another only
# when those are full, so this is also where load spills over to a second replica (which then
# loads the model): with 64, a burst of 30 clients all stayed on one replica of two (make
# test-scale); 4 is two requests' worth at the default MTSUM_CONCURRENCY of 2.
REPLICA_CALLS = 4
# How long the first call of a batch waits for others: a fraction of one tiny-model call.
BATCH_WAIT_S = 0.01
# Seconds before a call to a replica is given up (a full-size model's longest batch on CPU).
CALL_TIMEOUT_S = 600.0
# Pause before the one retry of a call whose replica died: the router learns of the death.
RETRY_PAUSE_S = 0.5
_TASKS = ("translation", "summarization")


def model_id(entry: ModelEntry) -> str:
    """Serve's multiplexed model id for ``entry``: its name and a digest of what it loads."""
    digest = hashlib.blake2b(f"{entry.reference}@{entry.revision}".encode(), digest_size=6)
    return f"{entry.name}#{digest.hexdigest()}"


@dataclass(frozen=True)
class GenerateCall:
    """One engine batch sent to a replica."""

    entry: ModelEntry
    texts: tuple[str, ...]
    options: GenerationOptions


@dataclass(frozen=True)
class GenerateAnswer:
    """The outputs of a call, and who made them (for the ingress's metrics)."""

    outputs: list[str]
    replica: str
    memory: dict[str, Any] = field(default_factory=dict)


@serve.deployment(
    name="mtsum-models",
    ray_actor_options={"num_cpus": 1},
    max_ongoing_requests=REPLICA_CALLS,
)
class ModelServer:
    """A model replica: a model store of its own, multiplexed by registry entry."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = ModelStore(settings)
        self.entries: dict[str, ModelEntry] = {}
        try:
            self.replica = str(serve.get_replica_context().rank.rank)
        except Exception:  # older Serve without ranks: a short id
            self.replica = serve.get_replica_context().replica_id.unique_id[:8]

        # Serve's multiplexing keeps as many models as the replica's store holds
        # (MTSUM_MAX_LOADED_MODELS), so the two agree. Set up here, not by decorating the method,
        # because the limit is a setting; Serve detects a multiplexed function an instance
        # sets up when it is built.
        async def model(key: str) -> Engine:
            return await self._model(key)

        limit = settings.max_loaded_models
        self.model = serve.multiplexed(max_num_models_per_replica=limit)(model)

    async def _model(self, key: str) -> Engine:
        """The engine of ``key`` (loaded by the store, wrapped in the translation memory)."""
        entry = self.entries[key]
        engine = await asyncio.to_thread(self.store.engine, entry)
        return self.store.memory.around(engine, self.store.memory_context(entry, engine))

    async def describe(self, entry: ModelEntry) -> dict[str, Any]:
        """What the ingress's engine needs to know: limits, kind, task prefixes."""
        engine = await self._engine(entry)
        return {
            "kind": engine.kind,
            "reference": engine.reference,
            "max_input_tokens": engine.max_input_tokens,
            "max_output_tokens": engine.max_output_tokens,
            "prefixes": {task: engine.task_prefix(task) for task in _TASKS},
        }

    async def count_tokens(self, entry: ModelEntry, texts: list[str]) -> list[int]:
        """Tokens of each text as model input."""
        engine = await self._engine(entry)
        return await asyncio.to_thread(engine.count_tokens, texts)

    async def generate(self, entry: ModelEntry, call: GenerateCall) -> GenerateAnswer:
        """The outputs of one engine batch, batched with other clients' calls."""
        await self._engine(entry)  # loads it, and tells Serve's router this replica has it
        outputs: list[str] = await self._batched(call)
        return GenerateAnswer(outputs, self.replica, self.store.memory.stats())

    def pid(self) -> int:
        """This replica's process id (the failure tests kill it)."""
        return os.getpid()

    @serve.batch(max_batch_size=REPLICA_CALLS, batch_wait_timeout_s=BATCH_WAIT_S)  # type: ignore[untyped-decorator]
    async def _batched(self, calls: list[GenerateCall]) -> list[list[str]]:
        groups: dict[tuple[str, GenerationOptions], list[int]] = {}
        for index, call in enumerate(calls):
            groups.setdefault((model_id(call.entry), call.options), []).append(index)
        answers: list[list[str]] = [[] for _ in calls]
        for (key, options), members in groups.items():
            engine = await self.model(key)
            texts = [text for index in members for text in calls[index].texts]
            outputs = await asyncio.to_thread(
                generate_batched, engine, texts, _fixed(options), self.settings.batch_tokens
            )
            start = 0
            for index in members:
                count = len(calls[index].texts)
                answers[index] = outputs[start : start + count]
                start += count
        return answers

    async def _engine(self, entry: ModelEntry) -> Engine:
        key = model_id(entry)
        self.entries[key] = entry
        return await self.model(key)  # type: ignore[no-any-return]


def _fixed(options: GenerationOptions) -> Callable[[int], GenerationOptions]:
    """The same options for every batch (the ingress chose them for its batch's longest)."""
    return lambda _longest: options


class ModelClient:
    """Calls the model deployment from the ingress: routed by model, retried once on a death.

    Args:
        handle: the model deployment's handle.
    """

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.calls: Counter[tuple[str, str]] = Counter()  # (replica, model name) -> calls
        self.memory: dict[str, dict[str, Any]] = {}  # replica -> its latest memory stats
        self.retries = 0
        self._lock = threading.Lock()

    def call(self, method: str, entry: ModelEntry, *args: Any) -> Any:
        """``method(entry, *args)`` on a replica that serves ``entry``; its result.

        Raises:
            MtsumError: what the replica raised (a model that cannot load, ...).
        """
        from ray.exceptions import RayActorError, RayTaskError

        routed = self.handle.options(multiplexed_model_id=model_id(entry))
        for attempt in (1, 2):
            try:
                pending = getattr(routed, method).remote(entry, *args)
                return pending.result(timeout_s=CALL_TIMEOUT_S)
            except RayTaskError as exc:
                cause = getattr(exc, "cause", None)
                if isinstance(cause, MtsumError):
                    raise cause from None
                raise
            except RayActorError:
                if attempt == 2:
                    raise
                with self._lock:
                    self.retries += 1
                log.warning("a model replica died during a call to %s; retrying once", entry.name)
                time.sleep(RETRY_PAUSE_S)
        raise AssertionError("unreachable")  # pragma: no cover

    def generated(self, entry: ModelEntry, answer: GenerateAnswer) -> None:
        """Count a call's replica and keep its memory stats."""
        with self._lock:
            self.calls[(answer.replica, entry.name)] += 1
            self.memory[answer.replica] = answer.memory


class RemoteEngine:
    """An engine whose work runs on the model deployment (the ingress loads these)."""

    def __init__(self, client: ModelClient, entry: ModelEntry, info: dict[str, Any]) -> None:
        self.client = client
        self.entry = entry
        self.kind = str(info["kind"])
        self.reference = str(info["reference"])
        self.max_input_tokens = int(info["max_input_tokens"])
        self.max_output_tokens = int(info["max_output_tokens"])
        self.prefixes: dict[str, str] = dict(info["prefixes"])

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens per text, counted by a replica's tokenizer."""
        counted: list[int] = self.client.call("count_tokens", self.entry, list(texts))
        return counted

    def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
        """One output per input, generated on a replica."""
        call = GenerateCall(self.entry, tuple(texts), options)
        answer: GenerateAnswer = self.client.call("generate", self.entry, call)
        self.client.generated(self.entry, answer)
        return answer.outputs

    def task_prefix(self, task: str) -> str:
        """The model's prefix for ``task``, as the replica reported it."""
        return self.prefixes.get(task, "")


class RemoteLoader:
    """The ingress store's loader: a ``RemoteEngine`` once a replica has loaded the model."""

    kind = "remote"

    def __init__(self, client: ModelClient) -> None:
        self.client = client

    def __call__(self, folder: Path, entry: ModelEntry, settings: Settings) -> Engine:
        info: dict[str, Any] = self.client.call("describe", entry)
        return RemoteEngine(self.client, entry, info)
