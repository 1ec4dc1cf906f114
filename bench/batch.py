"""Batch-mode throughput: per-document vs cross-document batching vs Ray, on random models.

    .venv/bin/python bench/batch.py                  # 200 documents, tiny and small models
    .venv/bin/python bench/batch.py --docs 50 --models tiny

Builds random Marian models offline (no model hub): ``tiny`` are the test suite's toy models
(d_model 16, 1 layer); ``small`` have the same tokenizer but d_model 256, 3+3 layers, FFN 1024,
so that the arithmetic per token is not negligible. Random models rarely emit the end token, so
each sentence decodes to its length cap: a worst case that is the same for every mode.
The documents are French, German and Spanish news sentences (routes fr-en, de-en, mul-en);
the summary is extractive, so the numbers isolate what batching changes (translation).

Each mode runs ``mtsum.batch_mode.run_batch`` into a fresh JSONL file, so reading, writing and
fsync are included; Ray includes starting Ray and loading models in its workers (reported
separately too). All modes' records are compared, timings aside: they must be identical.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from tests.texts import ARTICLE_DE, ARTICLE_ES, ARTICLE_FR, SAMPLES  # noqa: E402
from tests.tinymodels import build_all  # noqa: E402

from mtsum import Pipeline, Request, Settings  # noqa: E402
from mtsum.batch_mode import BatchOptions, run_batch  # noqa: E402


def documents(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` documents of 2 to 9 sentences, a third each in French, German, Spanish."""
    pools = {}
    for language, article in (("fr", ARTICLE_FR), ("de", ARTICLE_DE), ("es", ARTICLE_ES)):
        text = article + " " + SAMPLES[language]
        pools[language] = [s.strip() + "." for s in text.replace("\n", " ").split(". ") if s]
    rng = random.Random(seed)
    out = []
    for index in range(count):
        language = ("fr", "de", "es")[index % 3]
        sentences = rng.sample(pools[language], rng.randint(2, min(9, len(pools[language]))))
        out.append({"id": f"d{index:04d}", "text": " ".join(sentences)})
    return out


def build_models(kind: str, root: Path) -> Path:
    """The tiny test models, or ``small`` ones: the same tokenizers with wider, deeper weights."""
    root.mkdir(parents=True, exist_ok=True)
    registry = build_all(root)
    if kind == "tiny":
        return registry
    import torch
    from transformers import MarianConfig, MarianMTModel

    for direction in ("fr-en", "de-en", "mul-en", "en-fr", "en-de", "en-mul"):
        folder = root / direction
        config = MarianConfig.from_pretrained(folder)
        config.update(
            {
                "d_model": 256,
                "encoder_layers": 3,
                "decoder_layers": 3,
                "encoder_attention_heads": 4,
                "decoder_attention_heads": 4,
                "encoder_ffn_dim": 1024,
                "decoder_ffn_dim": 1024,
            }
        )
        torch.manual_seed(0)
        model = MarianMTModel(config)
        model.generation_config.num_beams = 2
        model.save_pretrained(folder)
    return registry


def timed_batch(
    source: Path, output: Path, settings: Settings, window: int, **kwargs: Any
) -> tuple[float, list[dict[str, Any]]]:
    pipeline = Pipeline(settings)
    options = BatchOptions(Request(target="en", method="extractive"), window=window)
    start = time.perf_counter()
    summary = run_batch(source, output, options, pipeline=pipeline, **kwargs)
    seconds = time.perf_counter() - start
    assert summary.done > 0 and summary.failed == 0, summary.line()
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    return seconds, rows


def comparable(rows: list[dict[str, Any]]) -> dict[str, Any]:
    for row in rows:
        row["result"]["stats"].pop("seconds")
    return {row["id"]: row for row in rows}


def warm_up(settings: Settings, docs: list[dict[str, Any]]) -> float:
    """Load the models once so that local rows measure processing, not loading."""
    start = time.perf_counter()
    pipeline = Pipeline(settings)
    for doc in docs[:3]:
        pipeline.run(doc["text"], target="en", method="extractive")
    return time.perf_counter() - start


def bench(
    kind: str,
    count: int,
    threads: int,
    workers: int,
    window: int,
    batch_tokens: int,
    quick: bool,
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        registry = build_models(kind, folder / "models")
        settings = Settings(
            registry_path=registry,
            model_dir=folder / "store",
            offline=True,
            device="cpu",
            threads=threads,
            batch_tokens=batch_tokens,
        )
        docs = documents(count)
        source = folder / "in.jsonl"
        source.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs))
        load = warm_up(settings, docs)
        results = {}
        modes: list[tuple[str, int, dict[str, Any], int]] = [
            (f"local, one document at a time, {threads} thread(s)", 1, {}, threads),
            (f"local, cross-document batches, {threads} thread(s)", window, {}, threads),
        ]
        if not quick:
            modes.append(("local, cross-document batches, 2 threads", window, {}, 2))
        if not quick and _has_ray():
            name = f"Ray Data, {workers} workers x 1 thread, cross-document batches"
            modes.append((name, window, {"ray": True}, 1))
        for name, size, mode, mode_threads in modes:
            extra = dict(mode)
            mode_settings = settings.replace(threads=mode_threads)
            before = os.getloadavg()[0]
            startup = fixed = 0.0
            if extra.get("ray"):
                import ray

                begin = time.perf_counter()
                ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR")
                ray.data.DataContext.get_current().enable_progress_bars = False
                startup = time.perf_counter() - begin
                extra["workers"] = workers
                # The fixed cost of a Ray run (actors start, import torch, load models): a run
                # of the first two documents, one window each, one per worker.
                tiny_input = folder / "two.jsonl"
                tiny_input.write_text("".join(source.read_text().splitlines(True)[:2]))
                fixed, _ = timed_batch(
                    tiny_input, folder / "two-out.jsonl", mode_settings, 1, **extra
                )
            seconds, out = timed_batch(
                source, folder / f"out-{len(results)}.jsonl", mode_settings, size, **extra
            )
            if extra.get("ray"):
                ray.shutdown()
            results[name] = comparable(out)
            rows.append(
                {
                    "models": kind,
                    "batch_tokens": batch_tokens,
                    "mode": name,
                    "docs": len(out),
                    "seconds": round(seconds + startup, 2),
                    "ray_start_s": round(startup, 2),
                    "records_per_s": round(len(out) / (seconds + startup), 2),
                    "ray_fixed_s": round(fixed, 2),
                    "net_records_per_s": round(len(out) / (seconds - fixed), 2),
                    "load_before": round(before, 2),
                    "load_after": round(os.getloadavg()[0], 2),
                    "local_model_load_s": round(load, 2),
                }
            )
            print(json.dumps(rows[-1]), flush=True)
        first = next(iter(results.values()))
        for name, other in results.items():
            rows[[r["mode"] for r in rows].index(name)]["identical_to_first"] = other == first
    return rows


def _has_ray() -> bool:
    try:
        import ray.data  # noqa: F401
    except ImportError:
        print("Ray is not installed (pip install -e '.[ray]'): skipping the Ray row")
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--models", choices=["tiny", "small", "both"], default="both")
    parser.add_argument("--threads", type=int, default=1, help="torch threads, local modes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--window", type=int, default=32)
    parser.add_argument("--batch-tokens", type=int, default=4096, help="MTSUM_BATCH_TOKENS")
    parser.add_argument("--quick", action="store_true", help="only the two 1-thread local rows")
    parser.add_argument("--out", type=Path, default=None, help="also write the rows as JSON")
    args = parser.parse_args()
    kinds = ["tiny", "small"] if args.models == "both" else [args.models]
    print(f"cpus: {os.cpu_count()}, load average: {os.getloadavg()}")
    rows = []
    for kind in kinds:
        rows += bench(
            kind,
            args.docs,
            args.threads,
            args.workers,
            args.window,
            args.batch_tokens,
            args.quick,
        )
    for row in rows:
        same = "yes" if row.get("identical_to_first") else "NO"
        print(
            f"| {row['models']} | {row['mode']} | {row['records_per_s']} | "
            f"{row['net_records_per_s']} | {row['seconds']} | "
            f"{row['load_before']} -> {row['load_after']} | {same} |"
        )
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
