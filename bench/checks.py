"""What the quality checks (``mtsum.checks``) add to a translation, measured in one process.

Translates the benchmark article en -> de with the full-size random-weight OPUS-MT model of
``build.py`` (each call forced to the benchmark's usual length, see ``worker.py``: the work of
a real model), then times the checks alone on three sets of outputs for the same source
sentences: what the random model wrote (mostly unused vocabulary tokens, so short), real German
sentences of the same number (``../shared/eval/langid-dev``, realistic length and content),
and loops one and a half times the source's length (the loop search's worst case); and the
summary checks on the article with its first three sentences as the summary. The share is
checks / (run - checks), what a run costs more with them than without, for the costliest set.
The run here is the translation alone, no summary, so the share is overstated for a ``run``.

    python -m bench.checks [--input FILE] [--engine ctranslate2|transformers] [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.build import build_marian, prose_lines
from bench.worker import WARMUP, mtsum_pipeline

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / ".cache"
GERMAN = ROOT.parent.parent / "shared" / "eval" / "langid-dev" / "sentences" / "de.txt"


def _best(repeats: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """Fastest of ``repeats`` runs (the least disturbed by other jobs) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def _registry(source: Path) -> Path:
    folder = CACHE / "models" / "marian-base"
    if not (folder / "model.safetensors").exists():
        build_marian(folder, list(prose_lines(source)))
    path = CACHE / "registry-checks.toml"
    path.write_text(f'[translation]\n"en-de" = "{folder.resolve()}"\n', encoding="utf-8")
    return path


def _output_sets(segments: list[Any]) -> dict[str, list[Any]]:
    from mtsum.results import Segment

    sources = [segment.source for segment in segments]
    sets = {"random model": list(segments)}
    if GERMAN.exists():
        german = [line for line in GERMAN.read_text(encoding="utf-8").splitlines() if line]
        sets["real German"] = [
            Segment(source, german[i % len(german)]) for i, source in enumerate(sources)
        ]
    sets["loops"] = [
        Segment(source, _loop(source.split()[0], len(source) * 3 // 2)) for source in sources
    ]
    return sets


def _loop(word: str, characters: int) -> str:
    return " ".join([word] * max(3, characters // (len(word) + 1)))


def measure(source: Path, engine: str, threads: int, repeats: int) -> dict[str, Any]:
    from mtsum.checks import check_segments, flags_warning, review_summary
    from mtsum.text import split_text

    pipeline, _ = mtsum_pipeline(engine, _registry(source), CACHE / "store", None, threads)
    text = source.read_text(encoding="utf-8")
    pipeline.translate(WARMUP, target="de", source="en")
    run_seconds, translation = _best(1, lambda: pipeline.translate(text, "de", "en"))
    detect = pipeline.detector.detect
    checks: dict[str, dict[str, float]] = {}
    for name, segments in _output_sets(list(translation.segments)).items():
        seconds, flags = _best(repeats, lambda s=segments: check_segments(s, "en", "de", detect))
        flags_warning(flags)
        plain, _ = _best(repeats, lambda s=segments: check_segments(s, "en", "de", None))
        checks[name] = {
            "seconds": seconds,
            "without_language_seconds": plain,
            "flags": len(flags),
            "output_characters": sum(len(s.text) for s in segments),
        }
    sentences = split_text(text, "en").sentences
    summary_seconds, _ = _best(repeats, lambda: review_summary(sentences[:3], sentences))
    worst = max(entry["seconds"] for entry in checks.values())
    return {
        "input": str(source),
        "sentences": len(translation.segments),
        "engine": engine,
        "threads": threads,
        "run_seconds": run_seconds,
        "translation_checks": checks,
        "summary_checks_seconds": summary_seconds,
        "share_of_run": (worst + summary_seconds) / max(run_seconds - worst, 1e-9),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=ROOT / "article.txt")
    parser.add_argument(
        "--engine", default="ctranslate2", help="ctranslate2 (the fastest run: the hardest bar)"
    )
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5, help="for the checks (fastest counts)")
    parser.add_argument("--out", type=Path, default=ROOT / "results-checks.json")
    args = parser.parse_args()
    result = measure(args.input, args.engine, args.threads, args.repeats)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    count = max(result["sentences"], 1)
    print(
        f"{result['sentences']} sentences; translation en-de on {result['engine']}: "
        f"{result['run_seconds']:.2f} s"
    )
    for name, entry in result["translation_checks"].items():
        print(
            f"translation checks, {name} ({entry['output_characters']} characters, "
            f"{entry['flags']} flags): {entry['seconds'] * 1000:.1f} ms, "
            f"{entry['seconds'] * 1000 / count:.2f} ms per sentence "
            f"({entry['without_language_seconds'] * 1000:.1f} ms without the language check)"
        )
    print(f"summary checks: {result['summary_checks_seconds'] * 1000:.1f} ms")
    print(f"checks add {result['share_of_run']:.2%} to the run (costliest set)")


if __name__ == "__main__":
    main()
