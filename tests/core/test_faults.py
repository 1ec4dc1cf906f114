"""Faults while serving: broken models, a failing request; the server keeps serving the rest.

One live server has four directions of its registry named by hub id, each stored model broken
its own way (missing, half-downloaded, truncated weights, no tokenizer); the tests talk to it
through REST and ``gradio_client``, repair one model each and see it load. The failing-request
tests get a server of their own, with one work slot, where a slot kept by a failure would hang.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from mtsum import Pipeline, Settings
from mtsum.models import ModelStore
from mtsum.registry import ModelEntry
from mtsum.settings import ServeSettings
from mtsum.web import create_app
from tests.conftest import RecordingLoader
from tests.support.texts import SAMPLES
from tests.support.tinymodels import write_registry
from tests.support.webserver import serve_in_thread

FR, DE, EN, ES = SAMPLES["fr"], SAMPLES["de"], SAMPLES["en"], SAMPLES["es"]


def _remove_weights(folder: Path) -> None:
    (folder / "model.safetensors").unlink()


def _truncate_weights(folder: Path) -> None:
    weights = folder / "model.safetensors"
    data = weights.read_bytes()
    weights.write_bytes(data[: len(data) // 3])


def _remove_tokenizer(folder: Path) -> None:
    for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json"):
        (folder / name).unlink()


@dataclass(frozen=True)
class Damage:
    """One way a stored model breaks, on one direction of the registry."""

    direction: str
    text: str
    damage: Callable[[Path], None]
    reason: str  # what the message must say about it

    @property
    def hub_id(self) -> str:
        return f"Helsinki-NLP/opus-mt-{self.direction}"


DAMAGES = {
    "missing": Damage("fr-en", FR, shutil.rmtree, "not downloaded and mtsum is offline"),
    "half-downloaded": Damage("de-en", DE, _remove_weights, "no weights found"),
    "truncated-weights": Damage("en-fr", EN, _truncate_weights, "incomplete or corrupt"),
    "missing-tokenizer": Damage("en-de", EN, _remove_tokenizer, "incomplete or corrupt"),
}


class Served:
    """A live server on a pipeline, with a REST session and a Gradio client."""

    def __init__(self, pipeline: Pipeline, url: str) -> None:
        self.pipeline = pipeline
        self.rest = httpx.Client(base_url=url, timeout=120)
        self.gradio = Client(url, verbose=False)

    def translate(self, text: str, source: str, target: str) -> httpx.Response:
        return self.rest.post("/translate", json={"q": text, "source": source, "target": target})

    def gradio_translate(self, text: str, source: str, target: str) -> dict[str, Any]:
        job = self.gradio.submit(text, target, source, api_name="/translate")
        result: dict[str, Any] = job.result(timeout=120)  # a stuck queue fails, not hangs
        return result


@contextmanager
def _serve(pipeline: Pipeline, serving: ServeSettings | None = None) -> Iterator[Served]:
    with serve_in_thread(create_app(pipeline=pipeline, serving=serving)) as url:
        served = Served(pipeline, url)
        try:
            yield served
        finally:
            served.rest.close()


@pytest.fixture(scope="module")
def broken(
    settings: Settings, tiny_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """A server whose registry names four directions by hub id, each broken its own way."""
    store = tmp_path_factory.mktemp("broken-store")
    for item in DAMAGES.values():
        folder = store / "hub" / item.hub_id
        shutil.copytree(tiny_root / item.direction, folder)
        item.damage(folder)
    registry = write_registry(
        tiny_root,
        name="broken-hub.toml",
        translation={item.direction: item.hub_id for item in DAMAGES.values()},
    )
    with _serve(Pipeline(settings.replace(registry_path=registry, model_dir=store))) as served:
        yield served


@pytest.mark.parametrize("name", list(DAMAGES))
def test_a_broken_model_is_named_with_its_fix_and_retried_after_repair(
    broken: Served, name: str, tiny_root: Path
) -> None:
    item = DAMAGES[name]
    source, target = item.direction.split("-")
    pull = f"mtsum models pull {item.direction}"
    response = broken.translate(item.text, source, target)
    assert response.status_code == 503, response.text
    message = response.json()["error"]
    # Named for the client; why and the command that fixes it are the operator's (the log).
    assert item.hub_id in message and item.direction in message and pull not in message
    with pytest.raises(AppError) as caught:
        broken.gradio_translate(item.text, source, target)
    assert caught.value.title == "Model unavailable"
    assert item.hub_id in caught.value.message and pull not in caught.value.message

    # Other pairs keep working, on both faces (through the multilingual models).
    assert broken.translate(ES, "es", "en").status_code == 200
    assert broken.gradio_translate(EN, "en", "it")["route"] == ["en-it"]

    # Repaired on disk: the next request loads it; the failure was not remembered.
    folder = broken.pipeline.settings.store_dir / "hub" / item.hub_id
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(tiny_root / item.direction, folder)
    assert broken.translate(item.text, source, target).status_code == 200
    assert broken.gradio_translate(item.text, source, target)["route"] == [item.direction]
    entry = ModelEntry(item.direction, item.hub_id, False)
    assert broken.pipeline.store.load_counts[broken.pipeline.store.key(entry)] == 1


class FailOnce(RecordingLoader):
    """The real loader, whose fr-en engine raises once each time ``arm()`` is called."""

    def __init__(self) -> None:
        super().__init__()
        self.armed = 0

    def arm(self) -> None:
        self.armed += 1

    def __call__(self, folder: Path, entry: Any, settings: Settings) -> Any:
        engine = super().__call__(folder, entry, settings)
        if entry.name != "fr-en":
            return engine
        working = engine.generate

        def generate(texts: Any, options: Any) -> list[str]:
            if self.armed:
                self.armed -= 1
                raise RuntimeError("injected failure inside the engine")
            return working(texts, options)

        engine.generate = generate
        return engine


@pytest.fixture
def flaky(settings: Settings) -> Iterator[tuple[FailOnce, Served]]:
    # One request at a time and a short queue: a slot the failure kept would hang the next one.
    # No translation memory: each request must reach the engine for the failure to happen.
    one = settings.replace(translation_memory="off")
    loader = FailOnce()
    pipeline = Pipeline(one, store=ModelStore(one, loader=loader))
    with _serve(pipeline, ServeSettings(concurrency=1, queue_size=2)) as served:
        yield loader, served


def test_a_failing_request_does_not_spoil_the_next_on_rest(
    flaky: tuple[FailOnce, Served],
) -> None:
    loader, served = flaky
    assert served.translate(FR, "fr", "en").status_code == 200  # loaded, cached
    loader.arm()
    failed = served.translate(FR, "fr", "en")
    assert failed.status_code == 500
    assert "injected" not in failed.json()["error"]
    for _ in range(3):  # more than the one slot: none was kept by the failure
        assert served.translate(FR, "fr", "en").status_code == 200
    assert loader.loads.count("fr-en") == 1
    assert "fr-en" in served.rest.get("/health").json()["models"]  # still in the cache


def test_a_failing_request_does_not_spoil_the_next_on_gradio(
    flaky: tuple[FailOnce, Served],
) -> None:
    loader, served = flaky
    assert served.gradio_translate(FR, "fr", "en")["route"] == ["fr-en"]
    loader.arm()
    with pytest.raises(AppError) as caught:
        served.gradio_translate(FR, "fr", "en")
    assert caught.value.title == "Internal error" and "injected" not in caught.value.message
    for _ in range(3):
        assert served.gradio_translate(FR, "fr", "en")["route"] == ["fr-en"]
    assert loader.loads.count("fr-en") == 1
