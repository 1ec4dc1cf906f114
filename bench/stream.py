"""``make bench`` streaming rows: how soon the first paragraph comes, and what streaming costs.

Full-size random-weight OPUS-MT (Marian en-de, ``build.py``) on CTranslate2 and transformers,
output lengths forced as in ``worker.py``, translation memory off, one process per engine.
Texts: the 9-paragraph bench article and a 60-paragraph one (the article's paragraphs
repeated with a numbered lead sentence, so no two are the same). Per text and engine:

* time to the first paragraph and to the whole translation, streamed (``Pipeline.stream``);
* the whole translation streamed against one wave (every sentence packed and sorted at once,
  as before streaming): the cost of the waves;
* on CTranslate2, 60 paragraphs over REST with ``"stream": true``: the first byte of the first
  ``paragraph`` event after the request, against the whole answer.

Ratios are measured side by side in one run (best of ``REPEATS``); a shared machine is noisy.

    python -m bench.stream [--quick]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / ".cache"
REPEATS = 3
TARGET = "de"


def texts() -> dict[str, str]:
    """The 9-paragraph bench article and a 60-paragraph one."""
    article = (ROOT / "article.txt").read_text(encoding="utf-8").strip()
    paragraphs = [p.strip() for p in article.split("\n\n") if p.strip()]
    long = [
        f"Report {n + 1} of the council's transport series. {paragraphs[n % len(paragraphs)]}"
        for n in range(60)
    ]
    return {"9": article, "60": "\n\n".join(long)}


def _best(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: min(run[key] for run in runs) for key in runs[0]}


def streamed(pipeline: Any, text: str) -> dict[str, float]:
    """Seconds to the first paragraph and to the last one, streamed."""
    from mtsum import Paragraph, Request

    request = Request(target=TARGET, source="en")
    start = time.perf_counter()
    first = 0.0
    for stage in pipeline.stream(text, request, summary=False):
        if isinstance(stage, Paragraph) and stage.index == 0:
            first = time.perf_counter() - start
    return {"first": first, "whole": time.perf_counter() - start}


def one_wave(pipeline: Any, text: str) -> float:
    """Seconds for the whole translation in one wave (the batching before streaming)."""
    from unittest import mock

    from mtsum import Request

    request = Request(target=TARGET, source="en")
    whole = mock.patch(
        "mtsum.streaming.plan_waves",
        lambda document, batch_tokens: [(0, len(document.sentences))],
    )
    with whole:
        start = time.perf_counter()
        pipeline.translate(text, request=request)
        return time.perf_counter() - start


def rest_first_byte(pipeline: Any, text: str) -> dict[str, float]:
    """Seconds to the first byte of the first paragraph event, and to the end, over REST."""
    import httpx
    from fastapi import FastAPI

    from mtsum.web.rest import install_rest
    from tests.support.webserver import serve_in_thread

    app = FastAPI()
    install_rest(app, pipeline)
    body = {"q": text, "source": "en", "target": TARGET, "stream": True}
    with serve_in_thread(app) as base, httpx.Client(timeout=600) as client:
        start = time.perf_counter()
        first = 0.0
        with client.stream("POST", f"{base}translate", json=body) as answer:
            seen = b""
            for chunk in answer.iter_raw():
                if not first:
                    seen += chunk
                    if b"event: paragraph" in seen:
                        first = time.perf_counter() - start
        return {"first": first, "whole": time.perf_counter() - start}


def measure(engine: str, quick: bool) -> dict[str, Any]:
    """Every row of one engine, in this process."""
    from bench.build import build_models, write_registry
    from bench.worker import mtsum_pipeline

    build_models(CACHE, None)
    registry = write_registry(CACHE)
    pipeline, _ = mtsum_pipeline(engine, registry, CACHE / "store", None)
    repeats = 1 if quick else REPEATS
    streamed(pipeline, "The council met on Tuesday.\n\nIt approved the budget.")  # warm up
    rows: dict[str, Any] = {}
    for name, text in texts().items():
        if quick and name == "60" and engine == "transformers":
            continue
        stream_runs, wave_runs = [], []
        for _ in range(repeats):  # side by side, alternating
            stream_runs.append(streamed(pipeline, text))
            wave_runs.append({"whole": one_wave(pipeline, text)})
        best, wave = _best(stream_runs), _best(wave_runs)
        rows[name] = {
            **{key: round(value, 3) for key, value in best.items()},
            "one_wave": round(wave["whole"], 3),
            "first_ratio": round(best["first"] / best["whole"], 3),
            "streamed_ratio": round(best["whole"] / wave["whole"], 3),
            "spread": round(statistics.pstdev(r["whole"] for r in stream_runs), 3),
        }
    if engine == "ctranslate2":
        rest = _best([rest_first_byte(pipeline, texts()["60"]) for _ in range(repeats)])
        rows["rest_60"] = {
            **{key: round(value, 3) for key, value in rest.items()},
            "first_ratio": round(rest["first"] / rest["whole"], 3),
        }
    return rows


def table(results: dict[str, dict[str, Any]]) -> str:
    """The Markdown table of ``bench/RESULTS-stream.md``."""
    lines = [
        "| engine | paragraphs | first (s) | whole (s) | first ÷ whole | one wave (s) "
        "| streamed ÷ one wave |",
        "|---|---|---|---|---|---|---|",
    ]
    for engine, rows in results.items():
        for name in ("9", "60"):
            if name not in rows:
                continue
            row = rows[name]
            lines.append(
                f"| {engine} | {name} | {row['first']} | {row['whole']} | {row['first_ratio']} "
                f"| {row['one_wave']} | {row['streamed_ratio']} |"
            )
    rest = results.get("ctranslate2", {}).get("rest_60")
    if rest:
        lines += [
            "",
            f"REST SSE, 60 paragraphs, CTranslate2: first byte of the first paragraph event "
            f"{rest['first']} s after the request, whole answer {rest['whole']} s "
            f"(ratio {rest['first_ratio']}).",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one repeat, no 60 on transformers")
    parser.add_argument("--engine", choices=["ctranslate2", "transformers"], default=None)
    args = parser.parse_args()
    engines = [args.engine] if args.engine else ["ctranslate2", "transformers"]
    results = {engine: measure(engine, args.quick) for engine in engines}
    print(json.dumps(results, indent=2))
    out = ROOT / "RESULTS-stream.md"
    out.write_text(
        "# Streaming (`python -m bench.stream`, part of `make bench`)\n\n"
        "Full-size random OPUS-MT (Marian en-de) with forced output lengths, memory off, "
        f"best of {1 if args.quick else REPEATS}; a shared, noisy machine.\n\n" + table(results),
        encoding="utf-8",
    )
    print(table(results))


if __name__ == "__main__":
    main()
