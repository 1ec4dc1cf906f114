"""The translation memory: hits equal misses, options kept apart, bounded, shared, persistent."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from mtsum import ConfigError, Pipeline, Settings
from mtsum.engines.base import GenerationOptions, Scored, score_of
from mtsum.memory import TranslationMemory, model_fingerprint
from mtsum.models import ModelStore
from tests.support import faulty
from tests.support.faulty import FRENCH, ScriptedLoader
from tests.support.loaders import RecordingLoader
from tests.support.texts import ARTICLE_FR

Recording = tuple[RecordingLoader, Callable[[Settings], Pipeline]]
OPTIONS = GenerationOptions(max_new_tokens=40, num_beams=2)


class Echo:
    """A stand-in engine that records its batches and answers from its inputs and options."""

    kind = "echo"
    reference = "echo"
    max_input_tokens = 100
    max_output_tokens = 100

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self._lock = threading.Lock()

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(t.split()) for t in texts]

    def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
        with self._lock:
            self.batches.append(list(texts))
        return [f"{t.upper()}/{options.num_beams}/{options.max_new_tokens}" for t in texts]

    def task_prefix(self, task: str) -> str:
        return ""


def generated(engine: Echo) -> list[str]:
    return [text for batch in engine.batches for text in batch]


def test_a_hit_returns_what_the_miss_returned() -> None:
    memory, echo = TranslationMemory("memory", 1 << 20), Echo()
    wrapped = memory.around(echo, "model-a")
    first = wrapped.generate(["un", "deux"], OPTIONS)
    again = wrapped.generate(["deux", "un"], OPTIONS)
    assert again == first[::-1]
    assert generated(echo) == ["un", "deux"]
    assert memory.stats()["hits"] == 2 and memory.stats()["misses"] == 2


def test_a_repeated_input_in_one_batch_is_generated_once() -> None:
    memory, echo = TranslationMemory("memory", 1 << 20), Echo()
    outputs = memory.around(echo, "m").generate(["un", "deux", "un", "un"], OPTIONS)
    assert generated(echo) == ["un", "deux"]
    assert outputs[0] == outputs[2] == outputs[3] != outputs[1]


@pytest.mark.parametrize(
    ("context", "options"),
    [
        ("model-b", OPTIONS),  # another model, revision, engine or compute type
        ("model-a", GenerationOptions(max_new_tokens=40, num_beams=4)),
        ("model-a", GenerationOptions(max_new_tokens=56, num_beams=2)),
        ("model-a", GenerationOptions(max_new_tokens=40, min_new_tokens=5, num_beams=2)),
    ],
)
def test_different_models_or_options_never_share_an_entry(
    context: str, options: GenerationOptions
) -> None:
    memory, echo = TranslationMemory("memory", 1 << 20), Echo()
    memory.around(echo, "model-a").generate(["un"], OPTIONS)
    memory.around(echo, context).generate(["un"], options)
    assert generated(echo) == ["un", "un"]
    assert memory.stats()["hits"] == 0


def test_the_memory_stays_within_its_byte_bound() -> None:
    memory, echo = TranslationMemory("memory", 4000), Echo()
    wrapped = memory.around(echo, "m")
    for start in range(0, 400, 20):
        wrapped.generate([f"phrase {i}" for i in range(start, start + 20)], OPTIONS)
    stats = memory.stats()
    assert 0 < stats["bytes"] <= 4000
    assert stats["evictions"] > 0 and stats["entries"] < 400
    wrapped.generate(["phrase 399"], OPTIONS)  # the most recent entry is still there
    assert memory.stats()["hits"] == 1


def test_concurrent_use_gives_every_thread_the_right_outputs() -> None:
    memory, echo = TranslationMemory("memory", 20_000), Echo()
    wrapped = memory.around(echo, "m")
    failures: list[str] = []

    def work(seed: int) -> None:
        for round_ in range(30):
            texts = [f"mot {(seed * 7 + round_ + k) % 50}" for k in range(5)]
            outputs = wrapped.generate(texts, OPTIONS)
            expected = [f"{t.upper()}/2/40" for t in texts]
            if outputs != expected:
                failures.append(f"{texts} -> {outputs}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    stats = memory.stats()
    assert stats["hits"] + stats["misses"] == 8 * 30 * 5
    assert stats["hits"] > 0


def test_off_hands_back_the_engine_itself() -> None:
    echo = Echo()
    assert TranslationMemory("off", 1 << 20).around(echo, "m") is echo


def test_a_document_translated_twice_is_generated_once(
    settings: Settings, recording: Recording
) -> None:
    loader, make = recording
    pipeline = make(settings)
    first = pipeline.translate(ARTICLE_FR, target="en", source="fr")
    asked = len(loader.inputs["fr-en"])
    second = pipeline.translate(ARTICLE_FR, target="en", source="fr")
    assert second == first
    assert len(loader.inputs["fr-en"]) == asked
    assert pipeline.store.memory.stats()["hit_rate"] == 0.5


def test_memory_on_and_off_translate_alike(settings: Settings, recording: Recording) -> None:
    _, make = recording
    text = "Le train part. La gare ferme.\n\nLe train part. Il pleut."
    on = make(settings).translate(text, target="en", source="fr")
    off = make(settings.replace(translation_memory="off")).translate(text, "en", "fr")
    assert on.text == off.text and on.segments == off.segments


def test_a_sentence_repeated_in_a_document_is_translated_once(
    settings: Settings, recording: Recording
) -> None:
    loader, make = recording
    make(settings).translate("Le train part. La gare ferme. Le train part.", "en", "fr")
    assert loader.inputs["fr-en"].count("Le train part.") == 1


def test_sqlite_memory_persists_across_pipelines(
    settings: Settings, recording: Recording, tmp_path: Path
) -> None:
    loader, make = recording
    persistent = settings.replace(translation_memory="sqlite", model_dir=tmp_path)
    first = make(persistent).translate(ARTICLE_FR, target="en", source="fr")
    asked = len(loader.inputs["fr-en"])
    later = make(persistent)
    assert later.translate(ARTICLE_FR, target="en", source="fr").text == first.text
    assert len(loader.inputs["fr-en"]) == asked
    assert later.store.memory.stats()["hits"] == asked
    assert (tmp_path / "tm.sqlite3").is_file()


def test_a_changed_model_folder_changes_its_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    before = model_fingerprint(tmp_path)
    (tmp_path / "model.safetensors").write_bytes(b"weights")
    assert model_fingerprint(tmp_path) != before


@pytest.mark.parametrize(
    ("variable", "value"), [("MTSUM_TM", "disk"), ("MTSUM_TM_MB", "0"), ("MTSUM_TM_MB", "x")]
)
def test_bad_memory_settings_name_their_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        Settings.from_env({variable: value})


def test_memory_settings_are_read() -> None:
    settings = Settings.from_env({"MTSUM_TM": "SQLite", "MTSUM_TM_MB": "8"})
    assert (settings.translation_memory, settings.tm_mb) == ("sqlite", 8)
    assert Settings.from_env({}).translation_memory == "memory"


def test_a_hit_keeps_the_flags_of_the_miss(settings: Settings) -> None:
    """The memory sits below the checks: a hit gives the same output, so the same flags."""
    loader = ScriptedLoader({FRENCH[3]: faulty.loop})
    pipeline = Pipeline(settings, store=ModelStore(settings, loader=loader))
    first = pipeline.translate(faulty.ARTICLE_FR, target="en", source="fr")
    second = pipeline.translate(faulty.ARTICLE_FR, target="en", source="fr")
    assert [flag.kind for flag in first.flags] == ["repetition"]
    assert second.flags == first.flags and second.segments == first.segments
    assert pipeline.store.memory.stats()["hits"] > 0


class ScoredEcho(Echo):
    """An engine that scores its outputs, as both real engines do."""

    def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
        return [
            Scored(out, -0.25 * (i + 1)) for i, out in enumerate(super().generate(texts, options))
        ]


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_hit_returns_the_score_of_the_miss(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite3"
    memory = TranslationMemory(kind, 1 << 20, path if kind == "sqlite" else None)
    first = memory.around(ScoredEcho(), "model-a").generate(["un", "deux"], OPTIONS)
    if kind == "sqlite":  # a new process: only the file remembers
        memory = TranslationMemory(kind, 1 << 20, path)
    echo = ScoredEcho()
    again = memory.around(echo, "model-a").generate(["deux", "un"], OPTIONS)
    assert not echo.batches
    assert [score_of(t) for t in again] == [score_of(t) for t in first[::-1]] == [-0.5, -0.25]


def test_a_memory_file_from_before_scores_answers_without_one(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "tm.sqlite3"
    key = TranslationMemory.key("model-a", OPTIONS, "un")
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE tm (key BLOB PRIMARY KEY, output TEXT)")
        db.execute("INSERT INTO tm VALUES (?, ?)", (key, "ONE"))
    memory = TranslationMemory("sqlite", 1 << 20, path)
    (out,) = memory.around(ScoredEcho(), "model-a").generate(["un"], OPTIONS)
    assert out == "ONE" and score_of(out) is None
