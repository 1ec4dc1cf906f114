"""The translation memory in Redis (``MTSUM_TM=redis://...``), against a real redis-server:
shared by two pipelines, entries expire, their number is bounded, and Redis down is survived."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mtsum import ConfigError, Pipeline, Settings
from mtsum.engines.base import GenerationOptions
from mtsum.memory import TranslationMemory
from tests.support.loaders import RecordingLoader
from tests.support.redisserver import free_port, redis_server
from tests.support.texts import SAMPLES

Recording = tuple[RecordingLoader, Callable[[Settings], Pipeline]]
OPTIONS = GenerationOptions(max_new_tokens=8)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def clean(redis_url: str) -> str:
    """The server, emptied: each test starts from no entries."""
    import redis

    with redis.Redis.from_url(redis_url) as client:
        client.flushdb()
    return redis_url


def _keys(memory: TranslationMemory, count: int) -> list[bytes]:
    return [memory.key("ctx", OPTIONS, f"sentence {n}") for n in range(count)]


def test_a_sentence_one_pipeline_translated_is_a_hit_in_another(
    settings: Settings, clean: str, recording: Recording
) -> None:
    loader, make = recording
    shared = settings.replace(translation_memory=clean)
    first, second = make(shared), make(shared)
    text = SAMPLES["fr"]
    one = first.translate(text, target="en", source="fr")
    calls = loader.calls["fr-en"]
    two = second.translate(text, target="en", source="fr")
    assert two.text == one.text
    assert loader.calls["fr-en"] == calls, "the second pipeline generated nothing"
    stats = second.store.memory.stats()
    assert stats["kind"] == "redis" and stats["hits"] > 0 and stats["misses"] == 0


def test_entries_expire(clean: str) -> None:
    writer = TranslationMemory(clean, 2**20, ttl=1)
    keys = _keys(writer, 3)
    writer.put_many([(key, f"out {n}") for n, key in enumerate(keys)])
    assert TranslationMemory(clean, 2**20).get_many(keys) == ["out 0", "out 1", "out 2"]
    time.sleep(2.1)
    assert TranslationMemory(clean, 2**20).get_many(keys) == [None, None, None]


def test_the_number_of_entries_is_bounded_oldest_first(clean: str) -> None:
    import redis

    memory = TranslationMemory(clean, 2**20, max_entries=10)
    keys = _keys(memory, 25)
    for key in keys:  # one write each, as batches of a server come
        memory.put_many([(key, "x")])
    with redis.Redis.from_url(clean) as client:
        stored = [k for k in client.keys("mtsum:tm:*") if not k.endswith(b"index")]
    assert 0 < len(stored) <= 10
    fresh = TranslationMemory(clean, 2**20)
    assert fresh.get_many(keys[-1:]) == ["x"]
    assert fresh.get_many(keys[:5]) == [None] * 5


def test_redis_down_serves_requests_with_one_warning(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    gone = settings.replace(translation_memory=f"redis://127.0.0.1:{free_port()}/0")
    pipeline = Pipeline(gone)
    with caplog.at_level(logging.WARNING, logger="mtsum"):
        for sample in ("fr", "de"):
            result = pipeline.translate(SAMPLES[sample], target="en", source=sample)
            assert result.text.strip()
    lines = [r.getMessage() for r in caplog.records if "Redis" in r.getMessage()]
    assert len(lines) == 1 and "unreachable" in lines[0], lines
    assert "127.0.0.1" in lines[0]


def test_the_url_is_checked_and_never_shown_with_its_password(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="MTSUM_TM"):
        Settings(translation_memory="redis://host:6379/zero")
    env = {"MTSUM_TM": "redis://:Secret@127.0.0.1:6379/2"}
    settings = Settings.from_env(env)
    assert settings.translation_memory == env["MTSUM_TM"]
    memory = TranslationMemory.from_settings(settings)
    assert memory.kind == "redis" and "Secret" not in str(memory.stats())
    assert memory.redis is not None and "Secret" not in memory.redis.where
