"""Shared fixtures: tiny random models built once per session, and settings that point at them.

The suite never touches the network: the hub is switched off before anything imports it, and
``MTSUM_*`` variables of the developer's shell are cleared so they cannot leak into tests.
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
for _name in [n for n in os.environ if n.startswith("MTSUM_")]:
    del os.environ[_name]

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402

from mtsum import Pipeline, Settings  # noqa: E402
from mtsum.models import ModelStore  # noqa: E402
from tests.support.loaders import RecordingLoader  # noqa: E402
from tests.support.tinymodels import build_all, write_registry  # noqa: E402


@pytest.fixture(scope="session")
def tiny_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with every tiny model and ``registry.toml`` pointing at them."""
    root = tmp_path_factory.mktemp("tiny-models")
    build_all(root)
    return root


@pytest.fixture(scope="session")
def registry_path(tiny_root: Path) -> Path:
    return tiny_root / "registry.toml"


@pytest.fixture(scope="session")
def settings(registry_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Offline settings on the tiny registry, with an empty model store, on transformers."""
    return Settings(
        registry_path=registry_path,
        model_dir=tmp_path_factory.mktemp("store"),
        offline=True,
        device="cpu",
        engine="transformers",
        # Tiny models cost per decoding step, not per row: big batches keep the suite quick.
        batch_tokens=4096,
        # One torch thread: on two shared cores, two spinning threads per process made each
        # decoding step many times slower; torch's thread count is process-wide anyway.
        threads=1,
    )


ENGINES = ("transformers", "ctranslate2")


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each generation engine in turn; tests that take it run once per engine."""
    name = str(request.param)
    if name == "ctranslate2":
        from mtsum.models import ctranslate2_importable

        if not ctranslate2_importable():
            pytest.skip("ctranslate2 is not installed: pip install -e '.[test]' installs it")
    return name


@pytest.fixture(scope="session")
def pipeline(settings: Settings) -> Pipeline:
    """One pipeline for the session: its models load once and are shared by tests."""
    return Pipeline(settings)


@pytest.fixture(scope="session")
def engine_pipeline(settings: Settings, engine: str) -> Pipeline:
    """A session pipeline per engine; a test module that overrides ``pipeline`` with it runs
    its tests on both engines (the pipeline, translation and summary tests do)."""
    return Pipeline(settings.replace(engine=engine))


@pytest.fixture
def fresh_pipeline(settings: Settings) -> Pipeline:
    """A pipeline of its own, with an empty model cache."""
    return Pipeline(settings)


@pytest.fixture
def registry_variant(tiny_root: Path) -> Callable[..., Path]:
    """Write a registry next to the tiny models with some entries replaced."""
    counter = iter(range(1_000_000))

    def make(**kwargs: Any) -> Path:
        return write_registry(tiny_root, name=f"variant-{next(counter)}.toml", **kwargs)

    return make


@pytest.fixture
def recording() -> Iterator[tuple[RecordingLoader, Callable[[Settings], Pipeline]]]:
    """A recording loader and a factory for pipelines that use it."""
    loader = RecordingLoader()

    def make(settings: Settings) -> Pipeline:
        return Pipeline(settings, store=ModelStore(settings, loader=loader))

    yield loader, make


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say so when the load test is left out, and how to run it."""
    if "not load" in (config.option.markexpr or ""):
        return "the load test (marker load) is not in this run: make test-load runs it"
    return None
