"""One contender, one task, one document size, in a process of its own (so peak RSS is its own).

Run by ``bench/run.py``; prints one JSON object on its last line of output.

Contenders:
    baseline      the model card's snippet: ``model.generate(**tokenizer(sentences,
                  return_tensors="pt", padding=True))`` then ``batch_decode``, every sentence in
                  one padded batch, fp32, the checkpoint's own generation settings.
    transformers  mtsum's pipeline on the transformers engine.
    ctranslate2   mtsum's pipeline on the CTranslate2 engine (int8 on CPU by default).

Output lengths are forced the same for everyone, because random weights never stop on their
own: every generate call writes exactly ``L`` new tokens, where ``L`` is the longest input of
the call in tokens (translation) or ``SUMMARY_TOKENS`` (summaries). A padded batch keeps
computing its finished rows until its longest row is done in transformers, so forcing all rows
of a call to the call's longest length costs what a real model that stops at its end-of-sentence
token would; CTranslate2 drops finished rows, so for it this rule overstates the work (it is the
conservative side). "Useful" tokens, the numerator of tokens/s, are the same for every
contender: one token per input token of each sentence, ``SUMMARY_TOKENS`` per summary.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SUMMARY_TOKENS = 100
SUMMARY_WORDS = 60
WARMUP = "The council met on Tuesday. It approved the budget for the new tram line."
TARGET = "de"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process so far (user + system, all threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def current_rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 1024 / 1024


class Forced:
    """Wraps an mtsum engine so every generate call writes the benchmark's forced length."""

    def __init__(self, engine: Any, summariser: bool, counter: dict[str, int]) -> None:
        self._engine = engine
        self._summariser = summariser
        self._counter = counter
        self.kind = engine.kind
        self.reference = engine.reference
        self.max_input_tokens = engine.max_input_tokens
        self.max_output_tokens = engine.max_output_tokens

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return list(self._engine.count_tokens(texts))

    def task_prefix(self, task: str) -> str:
        return str(self._engine.task_prefix(task))

    def generate(self, texts: Sequence[str], options: Any) -> list[str]:
        length = SUMMARY_TOKENS if self._summariser else max(self._engine.count_tokens(texts))
        self._counter["emitted"] += length * len(texts)
        self._counter["calls"] += 1
        forced = dataclasses.replace(options, min_new_tokens=length, max_new_tokens=length)
        return list(self._engine.generate(texts, forced))


def mtsum_pipeline(
    engine: str,
    registry: Path,
    store: Path,
    batch_tokens: int | None,
    threads: int | None = None,
    memory: str = "off",
) -> Any:
    """mtsum's pipeline on ``engine``, its engines wrapped by :class:`Forced`.

    The translation memory is off unless asked for: the scaling rows repeat one document, and
    the side-by-side rows measure the engines (the ``repeat`` row measures the memory).
    """
    from mtsum import Pipeline, Settings
    from mtsum.models import ModelStore, _select_loader

    settings = Settings(
        registry_path=registry,
        model_dir=store,
        offline=True,
        device="cpu",
        engine=engine,
        threads=threads,
        translation_memory=memory,
        # The 2,000-item list row translates 240,000 characters as one text too.
        max_chars=1_000_000,
    )
    if batch_tokens:
        settings = settings.replace(batch_tokens=batch_tokens)
    kind, real = _select_loader(settings)
    counter = {"emitted": 0, "calls": 0}

    def loader(folder: Path, entry: Any, settings: Any) -> Any:
        return Forced(real(folder, entry, settings), entry.summarizes, counter)

    loader.kind = kind  # type: ignore[attr-defined]
    pipeline = Pipeline(settings, store=ModelStore(settings, loader=loader))
    return pipeline, counter


class Baseline:
    """What a user writes from the model cards, with transformers alone."""

    def __init__(self, registry_models: dict[str, Path], task: str) -> None:
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        self.counter = {"emitted": 0, "calls": 0}
        self.models = {}
        needed = {"translate": ["en-de"], "summarize": ["sum"], "run": ["en-de", "sum"]}[task]
        for name in needed:
            folder = registry_models[name]
            self.models[name] = (
                AutoTokenizer.from_pretrained(folder),
                AutoModelForSeq2SeqLM.from_pretrained(folder),
            )

    def translate(self, sentences: list[str]) -> list[str]:
        tokenizer, model = self.models["en-de"]
        batch = tokenizer(sentences, return_tensors="pt", padding=True)
        length = batch["input_ids"].shape[1]  # the longest sentence, as for every contender
        output = model.generate(**batch, min_new_tokens=length, max_new_tokens=length)
        self.counter["emitted"] += length * len(sentences)
        self.counter["calls"] += 1
        return list(tokenizer.batch_decode(output, skip_special_tokens=True))

    def summarize(self, text: str) -> str:
        tokenizer, model = self.models["sum"]
        batch = tokenizer([text], return_tensors="pt", truncation=True, max_length=1024)
        output = model.generate(
            **batch, min_new_tokens=SUMMARY_TOKENS, max_new_tokens=SUMMARY_TOKENS
        )
        self.counter["emitted"] += SUMMARY_TOKENS
        self.counter["calls"] += 1
        return str(tokenizer.batch_decode(output, skip_special_tokens=True)[0])


def run_baseline(
    task: str, text: str, models: dict[str, Path], threads: int | None = None
) -> dict[str, Any]:
    import torch

    from mtsum.text import split_text

    if threads:
        torch.set_num_threads(threads)
    started = time.perf_counter()
    baseline = Baseline(models, task)

    def work(document: str) -> None:
        sentences = split_text(document, "en").sentences
        if task in ("translate", "run"):
            baseline.translate(sentences)
        if task in ("summarize", "run"):
            summary = baseline.summarize(document)
            if task == "run":
                baseline.translate(split_text(summary, "en").sentences or [summary])

    work(WARMUP)
    loaded = time.perf_counter() - started
    rss_loaded = current_rss_mb()
    baseline.counter.update(emitted=0, calls=0)
    started, cpu = time.perf_counter(), cpu_seconds()
    work(text)
    report = _report(loaded, rss_loaded, time.perf_counter() - started, baseline.counter)
    return report | {"cpu_seconds": round(cpu_seconds() - cpu, 3)}


def run_mtsum(
    engine: str,
    task: str,
    text: str,
    registry: Path,
    store: Path,
    batch_tokens: int | None,
    threads: int | None = None,
) -> dict[str, Any]:
    started = time.perf_counter()
    pipeline, counter = mtsum_pipeline(engine, registry, store, batch_tokens, threads)

    def work(document: str, words: int) -> None:
        if task == "translate":
            pipeline.translate(document, target=TARGET, source="en")
        elif task == "summarize":
            pipeline.summarize(document, words=words)
        else:
            pipeline.run(document, target=TARGET, source="en", words=words)

    work(WARMUP, 5)  # shorter than the text, so the summariser loads and runs too
    loaded = time.perf_counter() - started
    rss_loaded = current_rss_mb()
    counter.update(emitted=0, calls=0)
    started, cpu = time.perf_counter(), cpu_seconds()
    work(text, SUMMARY_WORDS)
    report = _report(loaded, rss_loaded, time.perf_counter() - started, counter)
    return report | {"cpu_seconds": round(cpu_seconds() - cpu, 3)}


def _report(
    loaded: float, rss_loaded: float, seconds: float, counter: dict[str, int]
) -> dict[str, Any]:
    return {
        "load_seconds": round(loaded, 3),
        "seconds": round(seconds, 3),
        "rss_after_load_mb": round(rss_loaded, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "emitted_tokens": counter["emitted"],
        "generate_calls": counter["calls"],
    }


def useful_tokens(task: str, text: str, models: dict[str, Path]) -> int:
    """Output tokens a real model would write: the same number for every contender."""
    from transformers import AutoTokenizer

    from mtsum.text import split_text

    total = 0
    if task in ("translate", "run"):
        tokenizer = AutoTokenizer.from_pretrained(models["en-de"])
        sentences = split_text(text, "en").sentences
        total += sum(len(ids) for ids in tokenizer(sentences)["input_ids"])
    if task in ("summarize", "run"):
        total += SUMMARY_TOKENS
    return total


SPEED_TASKS = ("repeat", "list", "concurrent")


def run_speed(args: argparse.Namespace, text: str, registry: Path, store: Path) -> dict[str, Any]:
    """A row of ``bench/speed.py`` on a warmed-up mtsum pipeline."""
    from bench.speed import run_speed_task

    def pipeline_for(memory: str) -> Any:
        pipeline, _ = mtsum_pipeline(
            args.contender, registry, store, args.batch_tokens, args.threads, memory
        )
        pipeline.translate(WARMUP, target=TARGET, source="en")
        return pipeline

    started_cpu = cpu_seconds()
    result = run_speed_task(args.task, pipeline_for, text, args.items)
    return result | {
        "cpu_seconds": round(cpu_seconds() - started_cpu, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contender", choices=["baseline", "transformers", "ctranslate2"])
    parser.add_argument(
        "--task",
        choices=["translate", "summarize", "run", "prepare", "repeat", "list", "concurrent"],
    )
    parser.add_argument("--items", type=int, default=100, help="strings of the list task")
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--batch-tokens", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None, help="default: all cores")
    parser.add_argument(
        "--shape",
        choices=["base", "big"],
        default="base",
        help="the translation model: marian-base (fast profile) or marian-big (tc-big, best)",
    )
    args = parser.parse_args()
    import logging

    logging.basicConfig(level=logging.WARNING)
    big = args.shape == "big"
    registry = args.cache / ("registry-big.toml" if big else "registry.toml")
    store = args.cache / "store"
    models = {
        "en-de": args.cache / "models" / ("marian-big" if big else "marian-base"),
        "sum": args.cache / "models" / "distilbart-cnn-12-6",
    }
    base = args.input.read_text(encoding="utf-8").strip()
    text = "\n\n".join([base] * args.scale)
    if args.task == "prepare":
        existed = (store / "ct2").is_dir() and any((store / "ct2").iterdir())
        started = time.perf_counter()
        prepared = mtsum_pipeline("ctranslate2", registry, store, None)[0]
        if big:  # the tc-big registry has no summariser: converting its translator is enough
            prepared.translate(WARMUP * 3, target=TARGET, source="en")
        else:
            prepared.run(WARMUP * 3, target=TARGET, source="en", words=10)
        result: dict[str, Any] = {
            "seconds": round(time.perf_counter() - started, 3),
            "converted_now": not existed,
        }
    elif args.task in SPEED_TASKS:
        result = run_speed(args, text, registry, store)
    elif args.contender == "baseline":
        result = run_baseline(args.task, text, models, args.threads)
    else:
        result = run_mtsum(
            args.contender, args.task, text, registry, store, args.batch_tokens, args.threads
        )
    if args.task not in ("prepare", *SPEED_TASKS):
        result["useful_tokens"] = useful_tokens(args.task, text, models)
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
