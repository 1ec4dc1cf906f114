"""The real download path, end to end, against a local stand-in for the model hub.

``snapshot_download`` and everything under it run for real, reaching the stand-in
(``tests/support/hubserver.py``) through the hub endpoint setting: first use, pickle-only
conversion, revision pinning, progress, an interrupted download that never counts, and offline
use afterwards. ``huggingface_hub`` reads ``HF_HUB_OFFLINE`` and its cache folder when it is
imported (the suite imports it offline), so the in-process tests switch its constants with
monkeypatch, and the test of ``HF_ENDPOINT`` itself runs in a subprocess.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from mtsum import ModelUnavailableError, Pipeline, Settings
from mtsum.models import ModelStore
from mtsum.registry import ModelEntry
from tests.support.hubserver import FakeHubServer, HubRepo, serve_hub
from tests.support.tinymodels import save_as_pickle_only

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def repos(tiny_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, HubRepo]:
    """fr-en with safetensors; an old-style pickle-only en-fr; a repo with two revisions."""
    pickled = save_as_pickle_only(tiny_root / "en-fr", tmp_path_factory.mktemp("old") / "en-fr")
    shutil.rmtree(pickled / ".cache", ignore_errors=True)
    return {
        "Org/fr-en": HubRepo({"main": tiny_root / "fr-en"}),
        "Org/old-en-fr": HubRepo({"main": pickled}),
        "Org/two": HubRepo({"main": tiny_root / "de-en", "v1": tiny_root / "en-de"}),
    }


@pytest.fixture
def hub(repos: dict[str, HubRepo]) -> Iterator[FakeHubServer]:
    with serve_hub(repos) as server:
        yield server


@pytest.fixture
def online(
    settings: Settings, hub: FakeHubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """Settings that download from the stand-in, with the hub client switched online."""
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    return settings.replace(offline=False, model_dir=tmp_path / "store", hub_endpoint=hub.url)


def entry(reference: str, name: str = "fr-en", revision: str | None = None) -> ModelEntry:
    return ModelEntry(name, reference, False, revision=revision)


def test_first_use_downloads_through_the_hub_routes(online: Settings, hub: FakeHubServer) -> None:
    store = ModelStore(online)
    model = store.engine(entry("Org/fr-en"))
    assert model.count_tokens(["Bonjour."])[0] > 0
    folder = store.hub_folder(entry("Org/fr-en"))
    assert (folder / "model.safetensors").is_file() and not (folder / ".cache").exists()
    paths = {path for _, path in hub.requests}
    assert "/api/models/Org/fr-en/revision/main" in paths
    assert any(path.startswith("/api/models/Org/fr-en/tree/") for path in paths)
    assert "model.safetensors" in hub.downloads()
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".partial")]


def test_progress_counts_the_bytes_of_the_download(online: Settings) -> None:
    seen: list[tuple[str, int, int]] = []
    ModelStore(online).engine(
        entry("Org/fr-en"), lambda label, done, total: seen.append((label, done, total))
    )
    downloads = [(done, total) for label, done, total in seen if label.startswith("downloading")]
    assert downloads, seen
    size = sum(p.stat().st_size for p in online.store_dir.glob("hub/Org/fr-en/*") if p.is_file())
    assert downloads[-1][0] == downloads[-1][1] >= size * 0.9  # every byte, counted once
    assert [d for d, _ in downloads] == sorted(d for d, _ in downloads)
    assert ("loading fr-en", 1, 1) in seen


def test_pickle_only_repository_is_converted_once_on_first_use(
    online: Settings, hub: FakeHubServer
) -> None:
    old = entry("Org/old-en-fr", "en-fr")
    seen: list[str] = []
    translation_model = ModelStore(online).engine(old, lambda label, *_: seen.append(label))
    assert translation_model.count_tokens(["Hello."])[0] > 0
    folder = ModelStore(online).hub_folder(old)
    assert list(folder.glob("*.safetensors")) and not list(folder.glob("*.bin"))
    assert "converting en-fr to safetensors" in seen
    assert "pytorch_model.bin" in hub.downloads()
    fetched = len(hub.requests)
    ModelStore(online).engine(old)  # reused: no request, no conversion
    assert len(hub.requests) == fetched


def test_a_pinned_revision_downloads_that_revision(online: Settings, hub: FakeHubServer) -> None:
    store = ModelStore(online)
    pinned = entry("Org/two", "en-de", revision="v1")
    folder = store.locate(pinned)
    assert folder.name == "two@v1"
    assert (folder / "config.json").read_bytes() == (
        hub.repos["Org/two"].revisions["v1"] / "config.json"
    ).read_bytes()
    with pytest.raises(ModelUnavailableError, match="no such revision"):
        store.locate(entry("Org/two", "en-de", revision="v9"))


def test_an_unknown_repository_is_named_as_such(online: Settings) -> None:
    with pytest.raises(ModelUnavailableError, match="no such repository"):
        ModelStore(online).locate(entry("Org/nothing"))


def test_offline_afterwards_the_downloaded_model_loads(
    online: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    ModelStore(online).locate(entry("Org/fr-en"))
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    offline = online.replace(offline=True, hub_endpoint="http://127.0.0.1:9")
    assert ModelStore(offline).engine(entry("Org/fr-en")).max_input_tokens > 0


def test_an_unreachable_hub_says_there_is_no_network(online: Settings) -> None:
    unreachable = online.replace(hub_endpoint="http://127.0.0.1:9")  # the discard port
    with pytest.raises(ModelUnavailableError, match="no network") as info:
        ModelStore(unreachable).pull(entry("Org/fr-en"))
    assert "HF_ENDPOINT" in str(info.value)


_PULL = """
import sys
from pathlib import Path
from mtsum import Settings
from mtsum.models import ModelStore
from mtsum.registry import ModelEntry

store = ModelStore(Settings.from_env())
entry = ModelEntry("fr-en", "Org/fr-en", False)
print(store.pull(entry))
"""


def _pull_env(hub: FakeHubServer, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "MTSUM_"))}
    return env | {
        "PYTHONPATH": str(ROOT),
        "HF_ENDPOINT": hub.url,
        "HF_HOME": str(tmp_path / "hf-home"),
        "MTSUM_MODEL_DIR": str(tmp_path / "store"),
    }


def test_hf_endpoint_reaches_a_mirror(hub: FakeHubServer, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_PULL)],
        env=_pull_env(hub, tmp_path),
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (Path(done.stdout.strip()) / "model.safetensors").is_file()
    assert not (tmp_path / "hf-home" / "hub" / "models--Org--fr-en" / "snapshots").exists()


def test_an_interrupted_download_never_counts(
    hub: FakeHubServer, tmp_path: Path, settings: Settings
) -> None:
    hub.stall.add("model.safetensors")
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(_PULL)],
        env=_pull_env(hub, tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert hub.stalled.wait(timeout=120), "the download never started"
    finally:
        process.kill()  # as a power cut or an OOM kill would
        process.wait(timeout=30)
    hub.stall.clear()
    hub.release.set()
    after = settings.replace(model_dir=tmp_path / "store", offline=True)
    store = ModelStore(after)
    assert not store.is_available(entry("Org/fr-en"))
    with pytest.raises(ModelUnavailableError, match="not downloaded"):
        store.locate(entry("Org/fr-en"))
    assert not (store.hub_folder(entry("Org/fr-en")) / "config.json").exists()
    # What the killed process left is swept by a later download once it is old enough.
    (left,) = (tmp_path / "store" / "hub" / "Org").glob(".partial-fr-en-*")
    os.utime(left, (0, 0))
    online = after.replace(offline=False, hub_endpoint=hub.url)
    with pytest.MonkeyPatch.context() as patch:
        from huggingface_hub import constants

        patch.setattr(constants, "HF_HUB_OFFLINE", False)
        patch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hf-cache"))
        assert ModelStore(online).engine(entry("Org/fr-en")).max_input_tokens > 0
    assert not left.exists()


def test_a_pipeline_translates_with_a_model_fetched_on_first_use(
    online: Settings, tiny_root: Path
) -> None:
    from tests.support.tinymodels import write_registry

    registry = write_registry(
        tiny_root, name="hub-variant.toml", translation={"fr-en": "Org/fr-en"}
    )
    pipeline = Pipeline(online.replace(registry_path=registry))
    translation = pipeline.translate("Le conseil a voté le budget.", target="en", source="fr")
    assert translation.models == ("Org/fr-en",)
