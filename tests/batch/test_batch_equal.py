"""Cross-document batching changes nothing: a run of a list equals run, text by text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from mtsum import InputError, Pipeline, Result, Settings
from mtsum.engines.base import GenerationOptions, generate_batched
from mtsum.engines.grouping import generate_across
from tests.support.batchkit import DOCUMENTS, FAILING, batch_settings


@pytest.fixture(scope="module")
def fast_pipeline(settings: Settings) -> Pipeline:
    """A pipeline of this module's own on the tiny models, with one torch thread."""
    return Pipeline(batch_settings(settings))


def _outcome(pipeline: Pipeline, text: str, **kwargs: Any) -> dict[str, Any] | str:
    try:
        data = pipeline.run(text, **kwargs).to_dict()
    except InputError as exc:
        return f"{type(exc).__name__}: {exc}"
    data["stats"].pop("seconds")
    return data


def _many(pipeline: Pipeline, texts: list[str], **kwargs: Any) -> list[dict[str, Any] | str]:
    out: list[dict[str, Any] | str] = []
    for item in pipeline.run(texts, **kwargs):
        if isinstance(item, Result):
            data = item.to_dict()
            data["stats"].pop("seconds")
            out.append(data)
        else:
            out.append(f"{type(item).__name__}: {item}")
    return out


@pytest.mark.parametrize("target", ["en", "de"])
def test_a_list_run_equals_run_for_every_text(fast_pipeline: Pipeline, target: str) -> None:
    texts = list(DOCUMENTS.values())
    alone = [_outcome(fast_pipeline, t, target=target, method="extractive") for t in texts]
    together = _many(fast_pipeline, texts, target=target, method="extractive")
    assert together == alone
    failed = {name for name, out in zip(DOCUMENTS, together, strict=True) if isinstance(out, str)}
    assert failed == FAILING


def test_a_list_run_equals_run_with_abstractive_summaries(fast_pipeline: Pipeline) -> None:
    texts = [DOCUMENTS[name] for name in ("fr-long", "de-long", "fr-short")]
    alone = [_outcome(fast_pipeline, t, target="de") for t in texts]
    assert _many(fast_pipeline, texts, target="de") == alone


def test_a_list_run_gives_each_result_its_own_timings(fast_pipeline: Pipeline) -> None:
    results = fast_pipeline.run([DOCUMENTS["fr-long"], DOCUMENTS["fr-short"]], method="extractive")
    for result in results:
        assert isinstance(result, Result)
        assert set(result.stats.seconds) == {"detect", "translate", "summarize"}
        assert all(value >= 0 for value in result.stats.seconds.values())


def test_sentences_of_different_documents_share_engine_batches(settings: Settings) -> None:
    pipeline = Pipeline(batch_settings(settings))
    batches: list[list[str]] = []
    engine = pipeline.store.engine(pipeline.registry.entry("fr-en"))
    original = engine.generate

    def spy(texts: Sequence[str], options: GenerationOptions) -> list[str]:
        batches.append(list(texts))
        return original(texts, options)

    engine.generate = spy  # type: ignore[method-assign]
    # Two documents whose longest sentence is the same get the same length cap.
    longest = "Le conseil municipal a approuvé mardi soir un nouveau budget pour les transports."
    one, two = "Les bus partent à huit heures.", "La bibliothèque ouvre samedi."
    pipeline.run([f"{longest} {one}", f"{longest} {two}"], method="extractive")
    assert any(one in b and two in b for b in batches), batches


def test_a_list_run_refuses_a_bad_option_for_all_texts_at_once(fast_pipeline: Pipeline) -> None:
    with pytest.raises(InputError, match="between 1 and"):
        fast_pipeline.run(["Bonjour tout le monde, voici un texte."], words=-3)


def test_a_list_run_of_nothing_is_nothing(fast_pipeline: Pipeline) -> None:
    assert fast_pipeline.run([]) == []


class _FakeEngine:
    """Outputs say which options they were generated with; records every batch."""

    kind = reference = "fake"
    max_input_tokens = 100
    max_output_tokens = 100

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(t) for t in texts]

    def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
        self.batches.append(list(texts))
        return [f"{t}@{options.max_new_tokens}" for t in texts]

    def task_prefix(self, task: str) -> str:
        return ""


def test_generate_across_gives_each_text_the_options_of_its_own_document() -> None:
    documents = [["aaaaaaaaaa", "b"], ["cc", "d"], ["eeeeeeeeee", "ffff"]]

    def options(longest: int) -> GenerationOptions:
        return GenerationOptions(max_new_tokens=longest * 2)

    alone = [
        generate_batched(_FakeEngine(), doc, options, 4096, lengths=[len(t) for t in doc])
        for doc in documents
    ]
    engine = _FakeEngine()
    texts = [t for doc in documents for t in doc]
    spans = [[0, 1], [2, 3], [4, 5]]
    together = generate_across(engine, texts, options, 4096, [len(t) for t in texts], spans)
    assert together == [out for doc in alone for out in doc]
    # Documents 1 and 3 have equal caps, so they share one batch: fewer calls than documents.
    assert len(engine.batches) == 2
