"""``make bench-summary``: mtsum's extractive summaries against Lead-3 and the old TextRank.

Scores, with the ``rouge-score`` package (F1, Porter stemmer; ROUGE-Lsum over one sentence a
line), on real CNN/DailyMail test articles with their original highlights, read by path from
``../shared/eval/cnndm-dev.jsonl`` (never copied into the project). Each system also gets its
scores on the even- and odd-numbered halves of the set, to show whether a gain holds on both.
Writes ``bench/RESULTS-summary.md``. A script, not a test.

    python -m bench.summary [--data FILE] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

import mtsum
from mtsum.text import count_words, split_sentences, split_text

ROOT = Path(__file__).resolve().parent
DATA = ROOT.parent.parent / "shared" / "eval" / "cnndm-dev.jsonl"
OUT = ROOT / "RESULTS-summary.md"
# The figures that issue 12 reported on the real CNN/DM test articles, for the table's context.
ISSUE_TABLE = """\
| system (issue 12, CNN/DM test articles) | ROUGE-1 | ROUGE-2 | words |
|---|---:|---:|---:|
| mtsum extractive then (default length) | 32.7 | 12.5 | 94 |
| mtsum extractive then, asked for 60 words | 33.0 | 12.2 | 80 |
| Lead-3: the article's first three sentences | 41.3 | 18.7 | 74 |
| BART-large-CNN (abstractive, for reference) | 45.3 | 22.5 | 59 |
"""

OURS = "mtsum extractive (default length)"
LEAD3 = "Lead-3 (the set's `lead3`)"
Summarizer = Callable[[dict[str, str]], list[str]]  # one article -> its summary's sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    from rouge_score import rouge_scorer  # the dev extra: a benchmark tool

    rows = [json.loads(line) for line in args.data.read_text("utf-8").splitlines() if line]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    pipeline = mtsum.Pipeline()
    pipeline.summarize(rows[0]["article"], method="extractive")  # loads detection: not timed
    systems: dict[str, Summarizer] = {
        OURS: lambda row: _mtsum(pipeline, row, None),
        "mtsum extractive, asked for 60 words": lambda row: _mtsum(pipeline, row, 60),
        LEAD3: lambda row: split_sentences(row["lead3"], "en"),
        "first three of mtsum's sentences": _first_three,
        "old TextRank (default length)": lambda row: _old(row, None),
        "old TextRank, asked for 60 words": lambda row: _old(row, 60),
    }
    lines = []
    per_system = {}
    for name, summarize in systems.items():
        started = time.perf_counter()
        summaries = [summarize(row) for row in rows]
        seconds = (time.perf_counter() - started) / len(rows)
        scores = [_score(scorer, row["reference"], s) for row, s in zip(rows, summaries)]
        per_system[name] = scores
        halves = [_mean(scores[0::2]), _mean(scores[1::2])]
        everything = _mean(scores)
        line = (
            f"| {name} | {everything[0]:.1f} | {everything[1]:.1f} | {everything[2]:.1f} | "
            f"{everything[3]:.0f} | {halves[0][0]:.1f} / {halves[0][1]:.1f} | "
            f"{halves[1][0]:.1f} / {halves[1][1]:.1f} | {seconds * 1000:.0f} |"
        )
        print(line, flush=True)
        lines.append(line)
    gap = _gap(per_system[OURS], per_system[LEAD3])
    print(gap)
    args.out.write_text(_report(len(rows), lines, gap), "utf-8")
    print(f"wrote {args.out}")


def _mtsum(pipeline: mtsum.Pipeline, row: dict[str, str], words: int | None) -> list[str]:
    from mtsum.extractive import extract_parts

    summary = pipeline.summarize(row["article"], words=words, method="extractive")
    chosen = extract_parts(split_text(row["article"], "en"), words, "en")
    sentences = split_text(row["article"], "en").sentences
    picked = [sentences[i] for i in chosen.sentences]
    # The public path and the indices it is built from must agree (one sentence a line for Lsum).
    assert " ".join(picked) == " ".join(summary.text.split()), (picked, summary.text)
    return picked


def _first_three(row: dict[str, str]) -> list[str]:
    return split_text(row["article"], "en").sentences[:3]


def _score(scorer: object, reference: str, sentences: list[str]) -> tuple[float, ...]:
    reference_lines = "\n".join(split_sentences(reference, "en"))
    result = scorer.score(reference_lines, "\n".join(sentences))  # type: ignore[attr-defined]
    words = count_words(" ".join(sentences))
    return tuple(100 * result[k].fmeasure for k in ("rouge1", "rouge2", "rougeLsum")) + (words,)


def _mean(scores: Sequence[tuple[float, ...]]) -> tuple[float, ...]:
    return tuple(statistics.fmean(column) for column in zip(*scores))


def _gap(ours: Sequence[tuple[float, ...]], lead: Sequence[tuple[float, ...]]) -> str:
    """Per-article ROUGE-1/2 differences to Lead-3 on each half: mean and standard error."""
    parts = []
    for half, start in (("even", 0), ("odd", 1)):
        for metric in (0, 1):
            diffs = [
                a[metric] - b[metric] for a, b in zip(ours[start::2], lead[start::2], strict=True)
            ]
            error = statistics.stdev(diffs) / len(diffs) ** 0.5
            parts.append(f"{half} R{metric + 1} {statistics.fmean(diffs):+.1f} ± {error:.1f}")
    return ", ".join(parts)


def _report(articles: int, lines: list[str], gap: str) -> str:
    return f"""# Extractive summaries on news

`bench/summary.py` (run: `make bench-summary`), {time.strftime("%Y-%m-%d")}: {articles}
CNN/DailyMail test articles with their original highlights (`../shared/eval/cnndm-dev.jsonl`,
from SummEval), ROUGE F1 with the `rouge-score` package (Porter stemmer; ROUGE-Lsum over one
sentence a line). Halves: the even- and odd-numbered articles. "old TextRank" is the algorithm
mtsum shipped before (TextRank over hashed TF-IDF, 15% of the text, 30-120 words), kept in this
script for the comparison. ms: per article (mtsum's rows run the whole public path, language
detection included, and rank twice to check the sentence indices).

| system | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | words | even half R1 / R2 | odd half R1 / R2 | ms |
|---|---:|---:|---:|---:|---:|---:|---:|
{chr(10).join(lines)}

mtsum (default length) minus Lead-3, per article (mean ± standard error):
{gap}.

Reading it: mtsum's sentences come from its own splitter (sentencex, with a second pass: see
`mtsum/text.py`), the set's `lead3` from the original tokenised sentence split. On these
detokenised texts sentencex alone joined several sentences into one of 60-160 words (a closing
`'` standing apart is paired with the next mark as a "quotation", and no sentence ends inside
one); its first three pieces scored only 40.6 / 19.0 at 88 words. With quote marks masked on
lines that have a stray one and in pieces over 40 words ("first three of mtsum's sentences"
above), mtsum rose from 42.6 / 19.6 (odd half 41.4 / 18.0) to the first row, nothing
re-tuned. The odd half's ROUGE-2 stays below Lead-3's, by less than one standard error; no
default length from 50 to 75 words, no position prior exponent from 0.25 to 1 and no
fill-to-the-budget rule raised it without lowering the rest. Where mtsum loses most, a
DailyMail picture caption without punctuation runs into the lead sentence (no splitter can
cut it), or Lead-3's third sentence, past mtsum's length, holds what the highlights say.

The issue's table (the real CNN/DM test articles, before this change):

{ISSUE_TABLE}"""


# The old algorithm, only for the comparison: TextRank over hashed TF-IDF, 15% of the text.
_TERM = re.compile(r"[^\W\d_]+", re.UNICODE)


def _old(row: dict[str, str], words: int | None) -> list[str]:
    sentences = split_text(row["article"], "en").sentences
    budget = words or max(30, min(120, round(count_words(" ".join(sentences)) * 0.15)))
    scores = _textrank(sentences) - np.arange(len(sentences)) * 1e-9
    chosen: list[int] = []
    total = 0
    for index in sorted(range(len(sentences)), key=lambda i: (-scores[i], i)):
        size = count_words(sentences[index])
        if chosen and total + size > budget * 1.1:
            continue
        chosen.append(index)
        total += size
        if total >= budget * 0.9:
            break
    return [sentences[i] for i in sorted(chosen)]


def _textrank(sentences: Sequence[str]) -> np.ndarray:
    n = len(sentences)
    counts = np.zeros((n, 4096), dtype=np.float32)
    for row, sentence in enumerate(sentences):
        for term in _TERM.findall(sentence.lower()):
            counts[row, zlib.crc32(term.encode("utf-8")) % 4096] += 1.0
    idf = np.log((1.0 + n) / (1.0 + (counts > 0).sum(axis=0))) + 1.0
    vectors = counts * idf
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, 0.0)
    sums = similarity.sum(axis=1, keepdims=True)
    transition = np.where(sums > 0, similarity / np.where(sums > 0, sums, 1), 1.0 / n)
    scores = np.full(n, 1.0 / n)
    for _ in range(100):
        updated = 0.15 / n + 0.85 * (transition.T @ scores)
        if np.abs(updated - scores).sum() < 1e-8:
            return np.asarray(updated)
        scores = updated
    return scores


if __name__ == "__main__":
    main()
