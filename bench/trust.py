"""``make bench-trust``: mtsum's flags measured on human-labelled translation and summary errors.

Runs the translation flags (``mtsum.checks.check_segments``, with mtsum's own language
detector for ``wrong_language``) over ``../shared/eval/mt-errors-dev.jsonl`` and the summary
flags (``mtsum.checks.check_summary``) over ``../shared/eval/factuality-dev.jsonl``, read by
path and never copied into the project, and writes per data set and per flag kind:

- Guerreiro et al. 2023 (WMT18 de->en): correct translations flagged (false alarms) and the
  share flagged of each error type; "hallucination" is oscillatory, strongly or fully detached,
  as in the paper (omissions and named-entity errors are errors, not hallucinations);
- Xu et al. 2023: false alarms and hallucination recall, de->en and en->zh;
- WMT21 TED MQM: error-free segments flagged, en->de and zh->en;
- FRANK (CNN/DM, XSum kinds) and XSumFaith: "a summary flag = not factual" as a classifier,
  balanced accuracy and precision (the share of flagged summaries that are unfaithful).

The lines are split deterministically by a hash of their id (the article's hash for the
summaries, so one article's summaries stay together) into a dev half, on which thresholds
were chosen, and a held-out half, reported only; the table gives both and all lines. The
``low_confidence`` kind needs the translator's scores, which these files do not have: it is
not measured here (see docs/trust.md). Writes ``bench/RESULTS-trust.md``; a script, not a test.

    python -m bench.trust [--out FILE] [--baseline FILE] [--save-baseline FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import time
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
EVAL = ROOT.parent.parent / "shared" / "eval"
OUT = ROOT / "RESULTS-trust.md"
BASELINE = ROOT / "trust-before.json"
SPLITS = ("dev", "held-out", "all")
GUERREIRO_TYPES = {
    "oscillatory": "repetitions",
    "strongly detached": "strong-unsupport",
    "fully detached": "full-unsupport",
    "omission": "omission",
    "named entities": "named-entities",
}
HALLUCINATION = ("repetitions", "strong-unsupport", "full-unsupport")
# The issue's figures (full sets, the same kinds of data), for context beside ours.
ISSUE = {
    "guerreiro: correct flagged": "1.4%",
    "guerreiro: hallucinations flagged": "23.8%",
    "guerreiro: oscillatory flagged": "50.6%",
    "guerreiro: strongly detached flagged": "35.9%",
    "guerreiro: fully detached flagged": "9.6%",
    "guerreiro: omission flagged": "20.4%",
    "xu de-en: false alarms": "6.3%",
    "xu de-en: hallucinations flagged": "47.9%",
    "mqm en-de: error-free flagged": "0.2%",
    "mqm zh-en: error-free flagged": "0.6%",
    "frank cnndm: balanced accuracy": "0.586",
    "frank xsum: balanced accuracy": "0.502",
    "xsumfaith: balanced accuracy": "0.563",
}
TARGETS = {
    "guerreiro: correct flagged": "<= 2%",
    "guerreiro: hallucinations flagged": ">= 50%",
    "guerreiro: oscillatory flagged": ">= 90%",
    "guerreiro: strongly detached flagged": ">= 45%",
    "guerreiro: fully detached flagged": ">= 25%",
    "mqm en-de: error-free flagged": "<= 1%",
    "mqm zh-en: error-free flagged": "<= 1%",
    "frank cnndm: balanced accuracy": ">= 0.62",
    "frank xsum: balanced accuracy": ">= 0.62",
    "frank cnndm: precision": ">= 0.75",
    "frank xsum: precision": ">= 0.75",
}


def half(key: str) -> str:
    """``dev`` or ``held-out``, fixed by the CRC-32 of ``key``."""
    return "dev" if zlib.crc32(key.encode("utf-8")) % 2 == 0 else "held-out"


def _read(name: str) -> list[dict[str, Any]]:
    path = EVAL / name
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


def _mt_kinds(rows: list[dict[str, Any]]) -> list[set[str]]:
    """The flag kinds each translation gets (one sentence, as the data aligns them)."""
    from mtsum.checks import Lexicons, check_segments
    from mtsum.detect import LanguageDetector
    from mtsum.results import Segment

    detector = LanguageDetector()
    lexicons = Lexicons(_word_list_folder())
    out = []
    for row in rows:
        segment = Segment(row["source"], row["translation"])
        source, target = row["src_lang"], row["tgt_lang"]
        lexicon = lexicons.find(source, target)
        flags = check_segments([segment], source, target, detector.detect, lexicon)
        out.append({flag.kind for flag in flags})
    return out


def _summary_kinds(rows: list[dict[str, Any]]) -> list[set[str]]:
    from mtsum.checks import check_summary
    from mtsum.text import split_sentences

    out = []
    for row in rows:
        text = [
            s
            for line in row["article"].split("\n")
            if line.strip()
            for s in split_sentences(line, "en")
        ]
        summary = split_sentences(" ".join(row["summary"].split()), "en")
        out.append({flag.kind for flag in check_summary(summary, text, "en")})
    return out


def _share(hits: Iterable[bool]) -> tuple[int, int]:
    values = list(hits)
    return sum(values), len(values)


class Table:
    """Rows of (metric, kind) -> (hits, total), per split."""

    def __init__(self) -> None:
        self.cells: dict[tuple[str, str, str], tuple[int, int]] = {}
        self.kinds: list[str] = []
        self.metrics: list[str] = []

    def add(self, split: str, metric: str, kind: str, value: tuple[int, int]) -> None:
        self.cells[(split, metric, kind)] = value
        if kind not in self.kinds:
            self.kinds.append(kind)
        if metric not in self.metrics:
            self.metrics.append(metric)


def _rate_rows(
    table: Table,
    split: str,
    kinds: list[set[str]],
    groups: dict[str, list[bool]],
    all_kinds: list[str],
) -> None:
    """For each group (a mask over lines), the share flagged by each kind and by any flag."""
    for metric, mask in groups.items():
        for kind in [*all_kinds, "any"]:
            hits = (
                bool(k) if kind == "any" else kind in k
                for k, m in zip(kinds, mask, strict=True)
                if m
            )
            table.add(split, metric, kind, _share(hits))


def measure_mt(all_kinds: list[str]) -> Table:
    rows = _read("mt-errors-dev.jsonl")
    kinds = _mt_kinds(rows)
    table = Table()
    for split in SPLITS:
        keep = [split == "all" or half(row["id"]) == split for row in rows]
        groups: dict[str, list[bool]] = {}
        for row, k in zip(rows, keep, strict=True):
            row["_keep"] = k
        g = [r["dataset"] == "guerreiro2023_wmt18_deen" and r["_keep"] for r in rows]
        labels = [r["labels"] for r in rows]
        groups["guerreiro: correct"] = [
            m and not any(lab.values()) for m, lab in zip(g, labels, strict=True)
        ]
        groups["guerreiro: hallucinations"] = [
            m and any(lab.get(h) for h in HALLUCINATION) for m, lab in zip(g, labels, strict=True)
        ]
        for name, key in GUERREIRO_TYPES.items():
            groups[f"guerreiro: {name}"] = [
                m and bool(lab.get(key)) for m, lab in zip(g, labels, strict=True)
            ]
        for data, short in (("xu2023_deen", "de-en"), ("xu2023_enzh", "en-zh")):
            x = [r["dataset"] == data and r["_keep"] for r in rows]
            groups[f"xu {short}: correct"] = [
                m and not lab["hallucination"] for m, lab in zip(x, labels, strict=True)
            ]
            groups[f"xu {short}: hallucinations"] = [
                m and bool(lab["hallucination"]) for m, lab in zip(x, labels, strict=True)
            ]
        for data, short in (("mqm_ted_ende", "en-de"), ("mqm_ted_zhen", "zh-en")):
            q = [r["dataset"] == data and r["_keep"] for r in rows]
            groups[f"mqm {short}: error-free"] = [
                m and not lab["errors"] for m, lab in zip(q, labels, strict=True)
            ]
            groups[f"mqm {short}: with errors"] = [
                m and bool(lab["errors"]) for m, lab in zip(q, labels, strict=True)
            ]
        _rate_rows(table, split, kinds, groups, all_kinds)
    return table


def _unfaithful(row: dict[str, Any]) -> bool:
    if row["dataset"] == "frank":
        return not row["labels"]["factual"]
    return not row["labels"]["summac_label"]


def measure_summaries(all_kinds: list[str]) -> dict[tuple[str, str, str], dict[str, float]]:
    rows = _read("factuality-dev.jsonl")
    kinds = _summary_kinds(rows)
    found: dict[tuple[str, str, str], dict[str, float]] = {}
    sets: dict[str, Callable[[dict[str, Any]], bool]] = {
        "frank cnndm": lambda r: r["dataset"] == "frank" and r["source_dataset"] == "cnndm",
        "frank xsum": lambda r: r["dataset"] == "frank" and r["source_dataset"] == "xsum",
        "xsumfaith": lambda r: r["dataset"] == "xsumfaith",
    }
    for split in SPLITS:
        for name, belongs in sets.items():
            chosen = [
                (k, _unfaithful(r))
                for r, k in zip(rows, kinds, strict=True)
                if belongs(r) and (split == "all" or half(_article_key(r)) == split)
            ]
            for kind in [*all_kinds, "any"]:
                pairs = [(bool(k) if kind == "any" else kind in k, bad) for k, bad in chosen]
                found[(split, name, kind)] = _classifier(pairs)
    return found


def _article_key(row: dict[str, Any]) -> str:
    return str(row.get("hash") or row.get("bbcid") or row["id"])


def _classifier(pairs: list[tuple[bool, bool]]) -> dict[str, float]:
    tp = sum(f and b for f, b in pairs)
    fp = sum(f and not b for f, b in pairs)
    pos = sum(b for _, b in pairs)
    neg = len(pairs) - pos
    tpr = tp / pos if pos else 0.0
    tnr = (neg - fp) / neg if neg else 0.0
    return {
        "n": len(pairs),
        "unfaithful": pos,
        "flagged": tp + fp,
        "balanced accuracy": (tpr + tnr) / 2,
        "precision": tp / (tp + fp) if tp + fp else float("nan"),
        "recall": tpr,
    }


def headline(
    mt: Table, summaries: dict[tuple[str, str, str], dict[str, float]]
) -> dict[str, dict[str, str]]:
    """The issue's figures, per split: metric -> split -> value as shown."""
    out: dict[str, dict[str, str]] = {}
    mt_rows = {
        "guerreiro: correct flagged": "guerreiro: correct",
        "guerreiro: hallucinations flagged": "guerreiro: hallucinations",
        "guerreiro: oscillatory flagged": "guerreiro: oscillatory",
        "guerreiro: strongly detached flagged": "guerreiro: strongly detached",
        "guerreiro: fully detached flagged": "guerreiro: fully detached",
        "guerreiro: omission flagged": "guerreiro: omission",
        "guerreiro: named entities flagged": "guerreiro: named entities",
        "xu de-en: false alarms": "xu de-en: correct",
        "xu de-en: hallucinations flagged": "xu de-en: hallucinations",
        "xu en-zh: false alarms": "xu en-zh: correct",
        "xu en-zh: hallucinations flagged": "xu en-zh: hallucinations",
        "mqm en-de: error-free flagged": "mqm en-de: error-free",
        "mqm zh-en: error-free flagged": "mqm zh-en: error-free",
    }
    for name, metric in mt_rows.items():
        out[name] = {s: _percent(mt.cells[(s, metric, "any")]) for s in SPLITS}
    for name in ("frank cnndm", "frank xsum", "xsumfaith"):
        for what in ("balanced accuracy", "precision"):
            out[f"{name}: {what}"] = {s: f"{summaries[(s, name, 'any')][what]:.3f}" for s in SPLITS}
    return out


def _percent(cell: tuple[int, int]) -> str:
    hits, total = cell
    return f"{100 * hits / total:.1f}% ({hits}/{total})" if total else "-"


def render(
    mt: Table,
    summaries: dict[tuple[str, str, str], dict[str, float]],
    now: dict[str, dict[str, str]],
    before: dict[str, dict[str, str]] | None,
    seconds: float,
    load: tuple[float, float],
) -> str:
    lines = [
        "# Trust flags on human-labelled errors (`make bench-trust`)",
        "",
        "Written by `python -m bench.trust` from ../shared/eval/mt-errors-dev.jsonl and",
        "factuality-dev.jsonl (dev slices; the issue's figures are on the full sets). Lines are",
        "split by the CRC-32 of their id (of the article for summaries): thresholds were chosen",
        "on `dev`, `held-out` is reported only. A translation counts as flagged when any flag",
        "kind fires;",
        "`low_confidence` needs the translator's scores, which the data does not have.",
        f"Word lists of `detached`: {_word_lists()}.",
        f"Run time: {seconds:.0f} s (1-minute load average {load[0]:.1f} at the start,"
        f" {load[1]:.1f} at the end, on a machine of {os.cpu_count()} cores).",
        "",
        "## Headline: before, now, the issue's figures and targets",
        "",
        "| metric | issue (full set) | target | before, held-out | now, held-out | before, dev"
        " | now, dev | now, all |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for metric, values in now.items():
        old = (before or {}).get(metric, {})
        lines.append(
            f"| {metric} | {ISSUE.get(metric, '')} | {TARGETS.get(metric, '')} | "
            f"{old.get('held-out', '')} | {values['held-out']} | {old.get('dev', '')} | "
            f"{values['dev']} | {values['all']} |"
        )
    for split in SPLITS:
        lines += ["", f"## Translations, {split}: share flagged, per flag kind", ""]
        lines += ["| lines | " + " | ".join(mt.kinds) + " |", "|---|" + "---:|" * len(mt.kinds)]
        for metric in mt.metrics:
            cells = [mt.cells[(split, metric, kind)] for kind in mt.kinds]
            n = cells[0][1]
            shown = [f"{100 * h / t:.1f}%" if t else "-" for h, t in cells]
            lines.append(f"| {metric} (n={n}) | " + " | ".join(shown) + " |")
    kinds = sorted({k for (_, _, k) in summaries}, key=lambda k: (k == "any", k))
    for split in SPLITS:
        lines += ["", f"## Summaries, {split}: a flag of this kind = not factual", ""]
        lines += [
            "| set | kind | n | unfaithful | flagged | balanced accuracy | precision | recall |"
        ]
        lines += ["|---|---|---:|---:|---:|---:|---:|---:|"]
        for name in ("frank cnndm", "frank xsum", "xsumfaith"):
            for kind in kinds:
                c = summaries[(split, name, kind)]
                lines.append(
                    f"| {name} | {kind} | {c['n']} | {c['unfaithful']} | {c['flagged']} | "
                    f"{c['balanced accuracy']:.3f} | {c['precision']:.3f} | {c['recall']:.3f} |"
                )
    return "\n".join(lines) + "\n"


def _word_list_folder() -> Path | None:
    """The word lists of the `detached` flag: the folder mtsum reads (MTSUM_LEXICONS, by
    default Debian's /usr/share/trans; `apt-get install trans-de-en` gives de<->en). Without
    one, that kind stays at 0 and the results file says so."""
    from mtsum.settings import Settings

    return Settings.from_env().lexicons


def _word_lists() -> str:
    folder = _word_list_folder()
    if folder is None or not folder.is_dir():
        return "none (the kind is not measured)"
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    return f"{folder} ({', '.join(names) or 'empty'})"


# Sections other scripts write into the results file (``bench.scores_cost``): kept as they are.
KEPT_SECTION = "\n## Cost of the translator's scores"


def _kept_sections(path: Path) -> str:
    if not path.exists():
        return ""
    text = path.read_text("utf-8")
    at = text.find(KEPT_SECTION)
    return text[at:] if at >= 0 else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--baseline", type=Path, default=BASELINE, help="the 'before' figures")
    parser.add_argument("--save-baseline", type=Path, help="write this run's figures as 'before'")
    args = parser.parse_args()
    from mtsum.checks import KINDS

    start = time.perf_counter()
    load_start = os.getloadavg()[0]
    mt = measure_mt(list(KINDS))
    summaries = measure_summaries(["unsupported_number", "unsupported_name", "unsupported_word"])
    now = headline(mt, summaries)
    seconds = time.perf_counter() - start
    if args.save_baseline:
        args.save_baseline.write_text(json.dumps(now, indent=1) + "\n", "utf-8")
    before = json.loads(args.baseline.read_text("utf-8")) if args.baseline.exists() else None
    load = (load_start, os.getloadavg()[0])
    kept = _kept_sections(args.out)
    args.out.write_text(render(mt, summaries, now, before, seconds, load) + kept, "utf-8")
    print(args.out.read_text("utf-8").split("\n## Translations")[0])


if __name__ == "__main__":
    main()
