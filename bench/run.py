"""``make bench``: mtsum against the model-card baseline, side by side, in one run.

Builds (once) full-size random-weight models with the real architectures (see ``build.py``),
then runs every contender in a fresh process of its own (``worker.py``) on the same document:
translation, summarisation, and the whole run (one translation model plus the summariser in one
process), with the default threads and with one thread each; then the translation memory (a
document translated twice), REST lists of 100 and 2,000 short strings against one text, and 1
against 2 concurrent requests (``speed.py``); then a scaling run (1x, 4x, 16x the document), a
``batch_tokens`` sweep, the cost of ``import mtsum`` and how soon ``mtsum serve`` accepts
requests. Prints tables and writes ``bench/results.json``. Not a test: numbers on a shared
machine are noisy, so compare ratios within one run.

    python -m bench.run [--input FILE] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / ".cache"
PYTHON = sys.executable
CONTENDERS = ("baseline", "transformers", "ctranslate2")
THREADS: int | None = None  # --threads: the same count for every contender


def worker(contender: str, task: str, source: Path, scale: int = 1, **extra: Any) -> dict[str, Any]:
    """Run one measurement in a fresh process and return its JSON."""
    command = [PYTHON, "-m", "bench.worker", "--task", task, "--input", str(source)]
    command += ["--cache", str(CACHE), "--scale", str(scale)]
    if contender:
        command += ["--contender", contender]
    if extra.get("batch_tokens"):
        command += ["--batch-tokens", str(extra["batch_tokens"])]
    if extra.get("items"):
        command += ["--items", str(extra["items"])]
    if extra.get("shape"):
        command += ["--shape", str(extra["shape"])]
    threads = extra.get("threads", THREADS)
    if threads:
        command += ["--threads", str(threads)]
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "false", "HF_HUB_OFFLINE": "1"}
    env = {k: v for k, v in env.items() if not k.startswith("MTSUM_")}
    load_before = os.getloadavg()[0]
    done = subprocess.run(
        command, cwd=ROOT.parent, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    label = f"{contender or '-'} {task} x{scale}" + "".join(
        f" {name}={value}" for name, value in extra.items() if value
    )
    print(f"  {label}: {result}", flush=True)
    return result


def import_seconds(runs: int = 7) -> dict[str, float]:
    """Wall time of ``import mtsum`` in a fresh interpreter (best and median of ``runs``)."""
    code = "import time; t = time.perf_counter(); import mtsum; print(time.perf_counter() - t)"
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [PYTHON, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT.parent
        )
        times.append(float(done.stdout.strip()))
    return {"best": round(min(times), 3), "median": round(statistics.median(times), 3)}


def serve_seconds(timeout: float = 120.0) -> dict[str, float]:
    """Seconds from starting ``mtsum serve`` to its first answered request (GET /)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "MTSUM_REGISTRY": str(CACHE / "registry.toml"),
        "MTSUM_MODEL_DIR": str(CACHE / "store"),
        "MTSUM_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    mtsum = Path(PYTHON).with_name("mtsum")
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(mtsum), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - started < timeout:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
                    if reply.status == 200:
                        return {"seconds": round(time.perf_counter() - started, 2)}
            except OSError:
                time.sleep(0.05)
        return {"seconds": float("nan")}
    finally:
        process.terminate()
        process.wait(timeout=30)


def machine() -> dict[str, Any]:
    import ctranslate2
    import torch
    import transformers

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)),
        "memory_gib": round(memory, 1),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "transformers": transformers.__version__,
        "ctranslate2": ctranslate2.__version__,
        "load_average_start": list(os.getloadavg()),
    }


def ratios(rows: dict[str, dict[str, Any]]) -> None:
    base = rows["baseline"]
    for row in rows.values():
        row["tokens_per_second"] = round(row["useful_tokens"] / row["seconds"], 1)
        row["speedup"] = round(base["seconds"] / row["seconds"], 2)
        # CPU time is what a shared machine cannot steal: a steadier ratio than wall time.
        row["cpu_speedup"] = round(base["cpu_seconds"] / row["cpu_seconds"], 2)


def _side_row(task: str, name: str, row: dict[str, Any]) -> str:
    return (
        f"| {task} | {name} | {row['seconds']:.2f} | {row['tokens_per_second']:.0f} | "
        f"{row['speedup']:.2f} | {row['cpu_seconds']:.2f} | {row['cpu_speedup']:.2f} | "
        f"{row['peak_rss_mb']:.0f} | {row['load_seconds']:.1f} | {row['load_average']} |"
    )


def table(results: dict[str, Any]) -> str:
    lines = [
        "| task | contender | seconds | tokens/s | x baseline | CPU s | x baseline (CPU) "
        "| peak RSS MB | load s | load average |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, threads in (("side_by_side", ""), ("side_by_side_1_thread", " (1 thread)")):
        for task, rows in results.get(label, {}).items():
            for name, row in rows.items():
                lines.append(_side_row(f"{task}{threads}", name, row))
    if results.get("speed"):
        lines += ["", speed_table(results["speed"])]
    if results.get("scaling"):
        lines += ["", "| engine | scale | seconds | x of 1x | tokens/s | peak RSS MB |"]
        lines.append("|---|---:|---:|---:|---:|---:|")
        for engine, rows in results["scaling"].items():
            one = rows["1"]["seconds"]
            for scale, row in rows.items():
                lines.append(
                    f"| {engine} | {scale}x | {row['seconds']:.2f} | {row['seconds'] / one:.2f} | "
                    f"{row['useful_tokens'] / row['seconds']:.0f} | {row['peak_rss_mb']:.0f} |"
                )
    if results.get("batch_tokens"):
        lines += ["", "| engine, document | batch_tokens | seconds | calls | emitted tokens |"]
        lines[-1] += " peak RSS MB |"
        lines.append("|---|---:|---:|---:|---:|---:|")
        for engine, rows in results["batch_tokens"].items():
            for size, row in rows.items():
                lines.append(
                    f"| {engine} | {size} | {row['seconds']:.2f} | {row['generate_calls']} | "
                    f"{row['emitted_tokens']} | {row['peak_rss_mb']:.0f} |"
                )
    return "\n".join(lines)


def speed_rows(source: Path, quick: bool) -> dict[str, Any]:
    """The translation memory, REST lists and concurrency rows (``bench/speed.py``)."""
    engines = ("ctranslate2",) if quick else ("ctranslate2", "transformers")
    counts = (100,) if quick else (100, 2000)
    rows: dict[str, Any] = {}
    for engine in engines:
        rows[f"{engine} repeat"] = worker(engine, "repeat", source)
        for count in counts:
            rows[f"{engine} list {count}"] = worker(engine, "list", source, items=count)
        rows[f"{engine} concurrent"] = worker(engine, "concurrent", source)
    return rows


def speed_table(rows: dict[str, Any]) -> str:
    lines = ["| row | measured | ratio | peak RSS MB | load |", "|---|---|---:|---:|---|"]
    for name, row in rows.items():
        if "first_seconds" in row:
            measured = f"first {row['first_seconds']:.2f} s, second {row['second_seconds']:.4f} s"
            ratio = f"{row['speedup']}x less (hit rate {row['memory']['hit_rate']})"
        elif "list_seconds" in row:
            measured = f"list {row['list_seconds']:.2f} s, one text {row['one_text_seconds']:.2f} s"
            ratio = f"{row['list_over_text']}x of one text"
        else:
            measured = (
                f"one {row['one_seconds']:.2f} s, two at once {row['two_at_once_seconds']:.2f} s"
            )
            ratio = f"{row['two_over_one']}x of one"
        lines.append(
            f"| {name} | {measured} | {ratio} | {row['peak_rss_mb']:.0f} | {row['load_average']} |"
        )
    return "\n".join(lines)


def profiles_only(source: Path, threads: int | None) -> None:
    """Only the best/fast rows (``bench/profiles.py``): both Marian shapes, every contender."""
    from bench.build import build_marian_shapes, write_registry
    from bench.profiles import profile_rows, write_profiles

    models = build_marian_shapes(CACHE, source)
    write_registry(CACHE)
    results: dict[str, Any] = {"input": str(source), "threads": threads or "all cores"}
    results |= {"machine": machine(), "models": models}
    results["profiles"] = profile_rows(worker, source, threads)
    results["machine"]["load_average_end"] = list(os.getloadavg())
    (ROOT / "results-profiles.json").write_text(json.dumps(results, indent=2))
    print(write_profiles(results, ROOT / "RESULTS-profiles.md"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=ROOT / "article.txt")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="side by side (default threads) and the ctranslate2 speed rows only",
    )
    parser.add_argument(
        "--sweep",
        default="ctranslate2:4,transformers:1",
        help="batch_tokens sweep: engine:document-scale pairs ('' to skip)",
    )
    parser.add_argument("--scaling-engines", default="ctranslate2,transformers", help="'' to skip")
    parser.add_argument("--out", type=Path, default=ROOT / "results.json")
    parser.add_argument("--threads", type=int, help="threads for every contender (default: all)")
    parser.add_argument(
        "--profiles-only",
        action="store_true",
        help="only the best/fast rows (tc-big against base shape), written to RESULTS-profiles.md",
    )
    args = parser.parse_args()
    global THREADS  # noqa: PLW0603  (one setting for every worker of this run)
    THREADS = args.threads
    source = args.input.resolve()
    sys.path.insert(0, str(ROOT.parent))
    from bench.build import build_marian_shapes, build_models, write_registry
    from bench.profiles import profile_rows, write_profiles

    if args.profiles_only:
        profiles_only(source, args.threads)
        return

    models = build_models(CACHE, source) | build_marian_shapes(CACHE, source)
    write_registry(CACHE)
    results: dict[str, Any] = {
        "input": str(source),
        "threads": args.threads or "all cores",
        "machine": machine(),
        "models": models,
    }
    print("machine:", results["machine"], flush=True)
    print("converting for CTranslate2 (once; cached in the store):", flush=True)
    results["conversion"] = worker("", "prepare", source)
    results["import_mtsum_seconds"] = import_seconds()
    print("import mtsum:", results["import_mtsum_seconds"], flush=True)
    results["serve_seconds"] = serve_seconds()
    print("mtsum serve accepts requests after:", results["serve_seconds"], flush=True)
    # Default threads, and (unless --threads chose one count) one thread per contender too.
    thread_runs = (
        {"side_by_side": THREADS}
        if THREADS or args.quick
        else {
            "side_by_side": None,
            "side_by_side_1_thread": 1,
        }
    )
    for key, threads in thread_runs.items():
        results[key] = {}
        for task in ("translate", "summarize", "run"):
            rows = {name: worker(name, task, source, threads=threads) for name in CONTENDERS}
            ratios(rows)
            results[key][task] = rows
    results["speed"] = speed_rows(source, args.quick)
    results["profiles"] = profile_rows(worker, source, THREADS)
    write_profiles(results, ROOT / "RESULTS-profiles.md")
    if not args.quick:
        results["scaling"] = {
            engine: {str(s): worker(engine, "translate", source, s) for s in (1, 4, 16)}
            for engine in args.scaling_engines.split(",")
            if engine
        }
        results["batch_tokens"] = {}
        for pair in filter(None, args.sweep.split(",")):
            engine, _, scale = pair.partition(":")
            results["batch_tokens"][f"{engine} {scale}x"] = {
                str(size): worker(engine, "translate", source, int(scale), batch_tokens=size)
                for size in (256, 512, 1024, 2048, 4096)
            }
    results["machine"]["load_average_end"] = list(os.getloadavg())
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print()
    print(table(results))
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
