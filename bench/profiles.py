"""The cost of the ``best`` profile: the tc-big shape against the base shape, side by side.

``best`` mostly picks tc-big / tc-bible-big checkpoints (d_model 1024, 16 heads, FFN 4096, 6+6
layers, about 240M parameters), ``fast`` the base ones (d_model 512, about 75M). Both shapes are
built full size with random weights (``build.py``) and translate the same article with each
contender (``worker.py``: the model card's snippet, mtsum on transformers, mtsum on
CTranslate2), each in a fresh process. Reported per row: seconds per article, CPU seconds,
peak RSS; derived: best over fast per contender (expected 2.5-3x) and CTranslate2's advantage
over the model-card snippet per shape (the target for tc-big: at least 4.5x).

    python -m bench.run --profiles-only [--threads 1]     # or the whole `make bench`
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

SHAPES = ("base", "big")
CONTENDERS = ("baseline", "transformers", "ctranslate2")
# The targets: best over fast "about 2.5-3x"; CTranslate2 over the card's snippet >= 4.5x.
EXPECTED_BEST_OVER_FAST = (2.5, 3.0)
TARGET_CT2_ADVANTAGE = 4.5
_NAMES = {"base": "base (fast profile)", "big": "tc-big (best profile)"}

Worker = Callable[..., dict[str, Any]]


def profile_rows(worker: Worker, source: Path, threads: int | None) -> dict[str, Any]:
    """Every contender on both shapes, then the ratios, measured in the same run."""
    rows: dict[str, dict[str, Any]] = {}
    for shape in SHAPES:
        # CTranslate2's conversion of the checkpoint, once, outside the measured rows.
        worker("", "prepare", source, shape=shape)
        rows[shape] = {
            name: worker(name, "translate", source, shape=shape, threads=threads)
            for name in CONTENDERS
        }
    ratios: dict[str, Any] = {"best_over_fast": {}, "ct2_over_baseline": {}}
    for name in CONTENDERS:
        base, big = rows["base"][name], rows["big"][name]
        ratios["best_over_fast"][name] = {
            "wall": round(big["seconds"] / base["seconds"], 2),
            "cpu": round(big["cpu_seconds"] / base["cpu_seconds"], 2),
        }
    for shape in SHAPES:
        card, ct2 = rows[shape]["baseline"], rows[shape]["ctranslate2"]
        ratios["ct2_over_baseline"][shape] = {
            "wall": round(card["seconds"] / ct2["seconds"], 2),
            "cpu": round(card["cpu_seconds"] / ct2["cpu_seconds"], 2),
        }
    return {"rows": rows, "ratios": ratios}


def write_profiles(results: dict[str, Any], path: Path) -> str:
    """Write the markdown of the profile rows to ``path`` and return it."""
    profiles = results["profiles"]
    machine = results.get("machine", {})
    models = results.get("models", {})
    lines = [
        "# The cost of the best profile: tc-big against base",
        "",
        f"Written by `python -m bench.run --profiles-only` (also part of `make bench`) on "
        f"{datetime.date.today().isoformat()}; threads per contender: {results.get('threads')}. "
        "Run once, on a shared machine: the load average at the start and the end of each row "
        "is in the last column, and wall times swing with it (CPU seconds less so).",
        "",
        f"Machine: {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores; "
        f"torch {machine.get('torch', '?')}, transformers {machine.get('transformers', '?')}, "
        f"ctranslate2 {machine.get('ctranslate2', '?')}; load average "
        f"{machine.get('load_average_start', '?')} at the start, "
        f"{machine.get('load_average_end', '?')} at the end.",
        "",
        _models_line(models),
        "",
        "| shape | contender | seconds per article | CPU s | RSS after load MB | peak RSS MB "
        "| load s | load average |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for shape in SHAPES:
        for name in CONTENDERS:
            row = profiles["rows"][shape][name]
            lines.append(
                f"| {_NAMES[shape]} | {name} | {row['seconds']:.2f} | {row['cpu_seconds']:.2f} | "
                f"{row['rss_after_load_mb']:.0f} | {row['peak_rss_mb']:.0f} | "
                f"{row['load_seconds']:.1f} | {row['load_average']} |"
            )
    low, high = EXPECTED_BEST_OVER_FAST
    lines += [
        "",
        "| ratio | contender or shape | wall | CPU | target |",
        "|---|---|---:|---:|---|",
    ]
    for name, ratio in profiles["ratios"]["best_over_fast"].items():
        lines.append(
            f"| best over fast (tc-big / base) | {name} | {ratio['wall']:.2f}x | "
            f"{ratio['cpu']:.2f}x | about {low}-{high}x |"
        )
    for shape, ratio in profiles["ratios"]["ct2_over_baseline"].items():
        target = f">= {TARGET_CT2_ADVANTAGE}x" if shape == "big" else "(base: for comparison)"
        lines.append(
            f"| CTranslate2 over the model-card snippet | {_NAMES[shape]} | "
            f"{ratio['wall']:.2f}x | {ratio['cpu']:.2f}x | {target} |"
        )
    text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")
    return text


def _models_line(models: dict[str, Any]) -> str:
    shapes = [
        f"{name} {info['params'] / 1e6:.1f} M parameters, vocabulary {info['vocab']:,}"
        for name, info in models.items()
        if name.startswith("marian")
    ]
    return (
        "Models (random weights, full size, `bench/build.py`): " + "; ".join(shapes) + ". The "
        "article: `bench/article.txt`, English to German, beam 4, output lengths forced equal "
        "for every contender (see `bench/worker.py`)."
    )
