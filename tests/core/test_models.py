"""The model store: lazy, loads once under concurrency, bounded, honest about broken models."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from mtsum import ModelUnavailableError, Pipeline, Settings
from mtsum.engines.hf import TransformersEngine
from mtsum.models import ModelStore, convert_to_safetensors
from mtsum.registry import ModelEntry, Registry
from tests.support.tinymodels import save_as_pickle_only


def local_entry(folder: Path, name: str = "fr-en") -> ModelEntry:
    return ModelEntry(name, str(folder), True)


def hub_entry(reference: str = "Helsinki-NLP/opus-mt-en-fr", name: str = "en-fr") -> ModelEntry:
    return ModelEntry(name, reference, False)


class CountingLoader:
    """The real loader, slowed down so concurrent requests overlap, counting its calls."""

    def __init__(self, delay: float = 0.3) -> None:
        self.calls = 0
        self.delay = delay
        self.lock = threading.Lock()

    def __call__(self, folder: Path, entry: ModelEntry, settings: Settings) -> Any:
        with self.lock:
            self.calls += 1
        time.sleep(self.delay)
        return TransformersEngine.load(folder, entry.reference, "cpu", settings.allow_pickle)


def test_creating_a_pipeline_loads_nothing(settings: Settings) -> None:
    pipeline = Pipeline(settings)
    assert pipeline.store.loaded() == []
    assert pipeline._registry is None


def test_concurrent_first_use_loads_the_model_once(settings: Settings, tiny_root: Path) -> None:
    loader = CountingLoader()
    store = ModelStore(settings, loader=loader)
    entry = local_entry(tiny_root / "fr-en")
    engines: list[Any] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        engines.append(store.engine(entry))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loader.calls == 1
    assert len(engines) == 8
    assert all(engine is engines[0] for engine in engines)
    assert store.load_counts[store.key(entry)] == 1


def test_different_models_built_at_the_same_time_all_load(
    settings: Settings, tiny_root: Path
) -> None:
    # transformers builds models under process-wide patches; without the build lock two threads
    # loading different models at once failed with "Cannot copy out of meta tensor".
    store = ModelStore(settings.replace(max_loaded_models=8))
    names = ("fr-en", "en-fr", "en-de", "de-en", "sum-en")
    entries = [local_entry(tiny_root / name, name) for name in names]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(entries))

    def worker(entry: ModelEntry) -> None:
        barrier.wait()
        try:
            store.engine(entry)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(entry,)) for entry in entries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(store.loaded()) == sorted(store.key(entry) for entry in entries)


def test_cache_is_bounded_least_recently_used_leaves(settings: Settings, tiny_root: Path) -> None:
    store = ModelStore(settings.replace(max_loaded_models=2), loader=CountingLoader(0))
    a, b, c = (local_entry(tiny_root / d, d) for d in ("fr-en", "en-fr", "en-de"))
    store.engine(a)
    store.engine(b)
    store.engine(a)  # a is now the most recent
    store.engine(c)
    assert store.loaded() == [store.key(a), store.key(c)]


def test_missing_local_folder_is_unavailable(settings: Settings, tmp_path: Path) -> None:
    store = ModelStore(settings)
    with pytest.raises(ModelUnavailableError, match="does not exist"):
        store.engine(local_entry(tmp_path / "nothing-here"))


def test_hub_model_not_downloaded_offline_names_model_and_pull(settings: Settings) -> None:
    store = ModelStore(settings)
    with pytest.raises(ModelUnavailableError) as info:
        store.engine(hub_entry())
    message = str(info.value)
    assert "Helsinki-NLP/opus-mt-en-fr" in message
    assert "offline" in message
    assert info.value.name == "en-fr"  # what the CLI's pull hint is worded from


def test_corrupt_weights_are_reported_and_not_cached(
    settings: Settings, tiny_root: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "broken"
    shutil.copytree(tiny_root / "fr-en", folder)
    weights = folder / "model.safetensors"
    good = weights.read_bytes()
    weights.write_bytes(good[: len(good) // 3])
    store = ModelStore(settings)
    entry = local_entry(folder)
    with pytest.raises(ModelUnavailableError, match="incomplete or corrupt"):
        store.engine(entry)
    assert store.loaded() == []
    weights.write_bytes(good)  # repaired: the next request loads it
    assert store.engine(entry).max_input_tokens > 0


def test_missing_tokenizer_is_reported(settings: Settings, tiny_root: Path, tmp_path: Path) -> None:
    folder = tmp_path / "no-tokenizer"
    shutil.copytree(tiny_root / "fr-en", folder)
    for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json"):
        (folder / name).unlink()
    with pytest.raises(ModelUnavailableError, match="incomplete or corrupt"):
        ModelStore(settings).engine(local_entry(folder))


def test_pickle_only_local_folder_is_converted_once_into_the_store(
    settings: Settings, tiny_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mtsum.fetch

    folder = save_as_pickle_only(tiny_root / "fr-en", tmp_path / "pickled")
    conversions: list[Path] = []
    real = mtsum.fetch.convert_to_safetensors

    def counting(target: Path, *args: Any) -> None:
        conversions.append(target)
        real(target, *args)

    monkeypatch.setattr(mtsum.fetch, "convert_to_safetensors", counting)
    store_settings = settings.replace(model_dir=tmp_path / "store")
    seen: list[str] = []
    engine = ModelStore(store_settings).engine(
        local_entry(folder), lambda label, done, total: seen.append(label)
    )
    assert engine.count_tokens(["Bonjour."])[0] > 0
    assert "converting fr-en to safetensors" in seen
    assert [p.name for p in folder.iterdir() if p.suffix in (".bin", ".safetensors")] == [
        "pytorch_model.bin"
    ]  # the operator's folder is left as it is
    (converted,) = (tmp_path / "store" / "converted").iterdir()
    assert list(converted.glob("*.safetensors")) and not list(converted.glob("*.bin"))
    ModelStore(store_settings).engine(local_entry(folder))  # a new process: reused
    assert len(conversions) == 1


def test_allow_pickle_loads_pickle_directly(
    settings: Settings, tiny_root: Path, tmp_path: Path
) -> None:
    folder = save_as_pickle_only(tiny_root / "fr-en", tmp_path / "pickled")
    allowed = settings.replace(allow_pickle=True, model_dir=tmp_path / "store")
    assert ModelStore(allowed).engine(local_entry(folder)).max_input_tokens > 0
    assert not (tmp_path / "store" / "converted").exists()


def test_conversion_unpickles_only_with_the_weights_only_loader(
    tiny_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch

    folder = save_as_pickle_only(tiny_root / "fr-en", tmp_path / "pickled")
    flags: list[object] = []
    real = torch.load

    def spy(*args: Any, **kwargs: Any) -> Any:
        flags.append(kwargs.get("weights_only", "missing"))
        return real(*args, **kwargs)

    monkeypatch.setattr(torch, "load", spy)
    convert_to_safetensors(folder)
    assert flags and all(flag is True for flag in flags)


def test_pickle_weights_convert_to_safetensors(
    settings: Settings, tiny_root: Path, tmp_path: Path
) -> None:
    folder = save_as_pickle_only(tiny_root / "fr-en", tmp_path / "pickled")
    convert_to_safetensors(folder)
    assert not list(folder.glob("*.bin"))
    assert list(folder.glob("*.safetensors"))
    engine = ModelStore(settings).engine(local_entry(folder))
    assert engine.count_tokens(["Bonjour."])[0] > 0


class FakeHub:
    """Stands in for huggingface_hub.snapshot_download: 'downloads' from local folders."""

    def __init__(self, repos: dict[str, Path]) -> None:
        self.repos = repos
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    def __call__(
        self,
        repo_id: str,
        *,
        local_dir: Path | None = None,
        allow_patterns: list[str] | None = None,
        local_files_only: bool = False,
        **_: Any,
    ) -> str:
        from huggingface_hub.errors import LocalEntryNotFoundError

        if local_files_only or local_dir is None or allow_patterns is None:
            raise LocalEntryNotFoundError("not in the user's cache")  # the HF cache lookup
        self.calls.append((repo_id, tuple(allow_patterns)))
        if repo_id not in self.repos:
            raise OSError(f"404 for {repo_id}")
        Path(local_dir).mkdir(parents=True, exist_ok=True)
        for file in self.repos[repo_id].iterdir():
            if any(file.match(p) for p in allow_patterns):
                shutil.copy2(file, Path(local_dir) / file.name)
        return str(local_dir)


@pytest.fixture
def online(settings: Settings, tmp_path: Path) -> Settings:
    return settings.replace(offline=False, model_dir=tmp_path / "store")


def test_pull_downloads_atomically_into_the_store(
    online: Settings, tiny_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = FakeHub({"Org/fr-en": tiny_root / "fr-en"})
    monkeypatch.setattr("huggingface_hub.snapshot_download", hub)
    store = ModelStore(online)
    entry = hub_entry("Org/fr-en", "fr-en")
    assert not store.is_available(entry)
    folder = store.pull(entry)
    assert folder == online.store_dir / "hub" / "Org" / "fr-en"
    assert (folder / "config.json").is_file()
    assert store.is_available(entry)
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".partial")]
    assert "*.bin" not in hub.calls[0][1]  # pickle weights are not even fetched


def test_first_use_downloads_when_online(
    online: Settings, tiny_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "huggingface_hub.snapshot_download", FakeHub({"Org/fr-en": tiny_root / "fr-en"})
    )
    engine = ModelStore(online).engine(hub_entry("Org/fr-en", "fr-en"))
    assert engine.max_input_tokens > 0


def test_failed_download_leaves_nothing_behind(
    online: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("huggingface_hub.snapshot_download", FakeHub({}))
    store = ModelStore(online)
    with pytest.raises(ModelUnavailableError, match=r"download failed") as info:
        store.pull(hub_entry("Org/missing", "fr-en"))
    assert info.value.name == "fr-en"
    hub_dir = online.store_dir / "hub" / "Org"
    assert not hub_dir.exists() or list(hub_dir.iterdir()) == []


def test_pickle_only_repository_is_converted_on_first_use(
    online: Settings, tiny_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pickled = save_as_pickle_only(tiny_root / "fr-en", tmp_path / "pickled-repo")
    hub = FakeHub({"Org/old": pickled})
    monkeypatch.setattr("huggingface_hub.snapshot_download", hub)
    store = ModelStore(online)
    entry = hub_entry("Org/old", "fr-en")
    assert store.engine(entry).max_input_tokens > 0
    folder = store.hub_folder(entry)
    assert list(folder.glob("*.safetensors")) and not list(folder.glob("*.bin"))
    assert [patterns for _, patterns in hub.calls][-1] == ("*.bin",)


def test_registry_entries_resolve_through_the_store(
    settings: Settings, registry_path: Path
) -> None:
    registry = Registry.load(registry_path)
    store = ModelStore(settings)
    for entry in registry.entries():
        assert store.is_available(entry), entry.name


def test_loaded_entries_name_the_models_in_memory(settings: Settings, tiny_root: Path) -> None:
    store = ModelStore(settings, loader=CountingLoader(0))
    entry = local_entry(tiny_root / "fr-en")
    store.engine(entry)
    assert store.loaded_entries() == [entry]
