"""``make bench`` streaming rows: how soon the first paragraph comes, and what streaming costs.

Full-size random-weight OPUS-MT (Marian en-de, ``build.py``) on CTranslate2 and transformers,
output lengths forced as in ``worker.py``, translation memory off, one process per engine.
Texts: the 9-paragraph bench article and a 60-paragraph one (the article's paragraphs
repeated with a numbered lead sentence, so no two are the same). Per text and engine:

* time to the first paragraph and to the whole translation, streamed (``Pipeline.stream``);
* the whole translation streamed against one wave (every sentence packed and sorted at once,
  as before streaming): the cost of the waves;
* on CTranslate2, 60 paragraphs over REST with ``"stream": true``: the first byte of the first
  ``paragraph`` event after the request, against the whole answer, and the whole answer
  against the same text streamed in-process.

The machine this runs on is shared, so the kinds of run are interleaved (A B C, B C A, C A B
…: none always runs first) and each ratio is the median of the per-round ratios, with their
range; best-of on each side separately would pair a quiet minute with a busy one. Beside the
wall-clock ratios: the ratio of the process's CPU seconds (less sensitive to other work), the
ratio of decoded tokens (the forced lengths make it exact: the work the batching asks for,
independent of load), and the load average at each round.

    python -m bench.stream [--quick] [--engine ctranslate2|transformers]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / ".cache"
ROUNDS = 3
TARGET = "de"
Run = dict[str, float]


def texts() -> dict[str, str]:
    """The 9-paragraph bench article and a 60-paragraph one."""
    article = (ROOT / "article.txt").read_text(encoding="utf-8").strip()
    paragraphs = [p.strip() for p in article.split("\n\n") if p.strip()]
    long = [
        f"Report {n + 1} of the council's transport series. {paragraphs[n % len(paragraphs)]}"
        for n in range(60)
    ]
    return {"9": article, "60": "\n\n".join(long)}


def streamed(pipeline: Any, text: str) -> Run:
    """Seconds to the first paragraph and to the last one, streamed."""
    from mtsum import Paragraph, Request

    request = Request(target=TARGET, source="en")
    start = time.perf_counter()
    first = 0.0
    for stage in pipeline.stream(text, request, summary=False):
        if isinstance(stage, Paragraph) and stage.index == 0:
            first = time.perf_counter() - start
    return {"first": first, "whole": time.perf_counter() - start}


def one_wave(pipeline: Any, text: str) -> Run:
    """Seconds for the whole translation in one wave (the batching before streaming)."""
    from unittest import mock

    from mtsum import Request

    request = Request(target=TARGET, source="en")
    whole = mock.patch(
        "mtsum.streaming.plan_waves",
        lambda document, batch_tokens: [list(range(len(document.sentences)))],
    )
    with whole:
        start = time.perf_counter()
        pipeline.translate(text, request=request)
        return {"whole": time.perf_counter() - start}


@contextlib.contextmanager
def rest_server(pipeline: Any) -> Iterator[Callable[[Any, str], Run]]:
    """A REST server on ``pipeline`` in this process, and the function that times one
    streamed ``/translate`` on it (first byte of the first paragraph event, whole answer)."""
    import httpx
    from fastapi import FastAPI

    from mtsum.web.rest import install_rest
    from tests.support.webserver import serve_in_thread

    app = FastAPI()
    install_rest(app, pipeline)
    with serve_in_thread(app) as base, httpx.Client(timeout=1200) as client:

        def over_rest(_: Any, text: str) -> Run:
            body = {"q": text, "source": "en", "target": TARGET, "stream": True}
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

        yield over_rest


def timed(
    kind: Callable[[Any, str], Run], pipeline: Any, text: str, counter: dict[str, int]
) -> Run:
    """One run of ``kind`` with its CPU seconds (every thread of this process, the REST
    server's included) and the tokens it decoded."""
    emitted, cpu = counter["emitted"], time.process_time()
    run = kind(pipeline, text)
    return run | {"cpu": time.process_time() - cpu, "tokens": counter["emitted"] - emitted}


def _ratio(runs: dict[str, list[Run]], top: str, bottom: str, key: str) -> dict[str, float]:
    """Median and range of the per-round ratios ``top[key] / bottom[key]``."""
    values = [a[key] / b[key] for a, b in zip(runs[top], runs[bottom], strict=True)]
    return {
        "median": round(statistics.median(values), 3),
        "low": round(min(values), 3),
        "high": round(max(values), 3),
    }


def _median(runs: list[Run], key: str) -> float:
    return round(statistics.median(run[key] for run in runs), 3)


def measure_text(
    kinds: dict[str, Callable[[Any, str], Run]],
    pipeline: Any,
    text: str,
    counter: dict[str, int],
    rounds: int,
) -> dict[str, Any]:
    """Each kind of run ``rounds`` times, interleaved in a rotating order; the row's figures."""
    names = list(kinds)
    runs: dict[str, list[Run]] = {name: [] for name in names}
    loads = []
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            runs[name].append(timed(kinds[name], pipeline, text, counter))
        loads.append(round(os.getloadavg()[0], 1))
    stream = runs["streamed"]
    row: dict[str, Any] = {
        "first": _median(stream, "first"),
        "whole": _median(stream, "whole"),
        "first_ratio": round(statistics.median(r["first"] / r["whole"] for r in stream), 3),
        "one_wave": _median(runs["one_wave"], "whole"),
        "streamed_ratio": _ratio(runs, "streamed", "one_wave", "whole"),
        "cpu_ratio": _ratio(runs, "streamed", "one_wave", "cpu"),
        "token_ratio": _ratio(runs, "streamed", "one_wave", "tokens")["median"],
        "load": loads,
        "runs": runs,
    }
    if "rest" in runs:
        rest = runs["rest"]
        row["rest"] = {
            "first": _median(rest, "first"),
            "whole": _median(rest, "whole"),
            "first_ratio": round(statistics.median(r["first"] / r["whole"] for r in rest), 3),
            "over_in_process": _ratio(runs, "rest", "streamed", "whole"),
            "cpu_over_in_process": _ratio(runs, "rest", "streamed", "cpu"),
        }
    return row


def measure(engine: str, quick: bool) -> dict[str, Any]:
    """Every row of one engine, in this process."""
    from bench.build import build_models, write_registry
    from bench.worker import mtsum_pipeline

    build_models(CACHE, None)
    registry = write_registry(CACHE)
    pipeline, counter = mtsum_pipeline(engine, registry, CACHE / "store", None)
    rounds = 1 if quick else ROUNDS
    streamed(pipeline, "The council met on Tuesday.\n\nIt approved the budget.")  # warm up
    rows: dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        for name, text in texts().items():
            if quick and name == "60" and engine == "transformers":
                continue
            kinds: dict[str, Callable[[Any, str], Run]] = {
                "streamed": streamed,
                "one_wave": one_wave,
            }
            if engine == "ctranslate2" and name == "60":
                kinds["rest"] = stack.enter_context(rest_server(pipeline))
            rows[name] = measure_text(kinds, pipeline, text, counter, rounds)
    return rows


def _range(ratio: dict[str, float]) -> str:
    return f"{ratio['median']} ({ratio['low']}-{ratio['high']})"


def table(results: dict[str, dict[str, Any]]) -> str:
    """The Markdown tables of ``bench/RESULTS-stream.md``."""
    lines = [
        "| engine | paragraphs | first (s) | whole streamed (s) | first ÷ whole | one wave (s) "
        "| streamed ÷ one wave, wall | same, CPU s | same, decoded tokens | load average "
        "per round |",
        "|---|---|---:|---:|---:|---:|---|---|---:|---|",
    ]
    for engine, rows in results.items():
        for name in ("9", "60"):
            if name not in rows:
                continue
            row = rows[name]
            lines.append(
                f"| {engine} | {name} | {row['first']} | {row['whole']} | {row['first_ratio']} "
                f"| {row['one_wave']} | {_range(row['streamed_ratio'])} "
                f"| {_range(row['cpu_ratio'])} | {row['token_ratio']} | {row['load']} |"
            )
    rest = results.get("ctranslate2", {}).get("60", {}).get("rest")
    if rest:
        lines += [
            "",
            "| REST SSE, CTranslate2, 60 paragraphs | figure |",
            "|---|---|",
            f"| first byte of the first paragraph event (s) | {rest['first']} |",
            f"| whole answer (s) | {rest['whole']} |",
            f"| first ÷ whole | {rest['first_ratio']} |",
            f"| whole answer ÷ the same text streamed in-process, wall | "
            f"{_range(rest['over_in_process'])} |",
            f"| same, CPU s | {_range(rest['cpu_over_in_process'])} |",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one round, no 60 on transformers")
    parser.add_argument("--engine", choices=["ctranslate2", "transformers"], default=None)
    args = parser.parse_args()
    engines = [args.engine] if args.engine else ["ctranslate2", "transformers"]
    start = [round(x, 1) for x in os.getloadavg()]
    results = {engine: measure(engine, args.quick) for engine in engines}
    end = [round(x, 1) for x in os.getloadavg()]
    (ROOT / "results-stream.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    rounds = 1 if args.quick else ROUNDS
    out = ROOT / "RESULTS-stream.md"
    out.write_text(
        "# Streaming (`python -m bench.stream`, part of `make bench`)\n\n"
        f"Run on {datetime.date.today().isoformat()}, {os.cpu_count()} cores. Full-size random "
        "OPUS-MT (Marian en-de) with forced output lengths, memory off. Each kind of run "
        f"{rounds} time(s), interleaved in a rotating order; times are medians, ratios the "
        "median of the per-round ratios with their range in brackets. Load average (1, 5, 15 "
        f"minutes) {start} at the start, {end} at the end.\n\n" + table(results),
        encoding="utf-8",
    )
    print(table(results))


if __name__ == "__main__":
    main()
