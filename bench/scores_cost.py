"""What the translator's scores cost: each engine with and without them, side by side.

Translates the benchmark article's sentences en -> de with the full-size random-weight OPUS-MT
model of ``build.py`` (transformer-base, 58,101-token vocabulary), each call forced to write
as many tokens as its longest input (the work of a real model, see ``worker.py``), once with
mtsum's engines as they are (scores on) and once with the same calls without scores (the
engines' code before scores, repeated here), alternating, best of ``--repeats``. A script,
not a test; prints a Markdown table.

    python -m bench.scores_cost [--repeats 3] [--threads 2] [--out bench/RESULTS-trust.md]

With ``--out``, the table (with the machine's load average before and after) replaces the
section "Cost of the translator's scores" at the end of that file.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

from bench.build import build_marian, prose_lines

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / ".cache"
ARTICLE = ROOT / "article.txt"


def _plain_transformers(engine: Any, texts: list[str], options: Any) -> list[str]:
    """The transformers engine's generate as it was before scores (no recorder, no dict)."""
    import torch

    batch = engine.tokenizer(texts, return_tensors="pt", padding=True, truncation=False)
    kwargs: dict[str, Any] = {"max_new_tokens": options.max_new_tokens}
    if engine._masks is not None:
        kwargs["logits_processor"] = engine._masks.processors(
            options.min_new_tokens, options.max_new_tokens
        )
    else:
        kwargs["min_new_tokens"] = options.min_new_tokens
    with torch.inference_mode():
        output = engine.model.generate(**batch, **kwargs)
    return list(engine.decode(output))


def _plain_ct2(engine: Any, texts: list[str], options: Any) -> list[str]:
    """The CTranslate2 engine's generate as it was before scores (``return_scores`` off)."""
    source = [engine.tokenizer.convert_ids_to_tokens(ids) for ids in engine.encode(texts)]
    results = engine.translator.translate_batch(
        source,
        beam_size=options.num_beams or engine.num_beams,
        max_decoding_length=options.max_new_tokens,
        min_decoding_length=options.min_new_tokens,
        no_repeat_ngram_size=engine.no_repeat_ngram_size,
        repetition_penalty=engine.repetition_penalty,
        length_penalty=engine.length_penalty,
        max_input_length=0,
        max_batch_size=-(-len(source) // engine.inter_threads),
    )
    ids = [engine.tokenizer.convert_tokens_to_ids(r.hypotheses[0]) for r in results]
    return list(engine.decode(ids))


def measure(engine_kind: str, threads: int, repeats: int, batch: int) -> dict[str, float]:
    from mtsum import Settings
    from mtsum.engines import GenerationOptions
    from mtsum.models import ModelStore
    from mtsum.registry import ModelEntry
    from mtsum.text import split_sentences

    folder = CACHE / "models" / "marian-base"
    if not (folder / "model.safetensors").exists():
        build_marian(folder, list(prose_lines(ARTICLE)))
    settings = Settings(
        model_dir=CACHE / "store", offline=True, device="cpu", engine=engine_kind, threads=threads
    )
    engine = ModelStore(settings).engine(ModelEntry("en-de", str(folder.resolve()), True))
    text = " ".join(ARTICLE.read_text("utf-8").split())
    sentences = split_sentences(text, "en")[:batch]
    longest = max(engine.count_tokens(sentences))
    options = GenerationOptions(max_new_tokens=longest, min_new_tokens=longest)
    plain = _plain_ct2 if engine_kind == "ctranslate2" else _plain_transformers
    engine.generate(sentences[:2], options)  # warm-up
    best = {True: float("inf"), False: float("inf")}
    outputs: dict[bool, list[str]] = {}
    for turn in range(repeats):
        for scored in (True, False) if turn % 2 == 0 else (False, True):
            run = engine.generate if scored else lambda t, o: plain(engine, t, o)
            start = time.perf_counter()
            outputs[scored] = [str(out) for out in run(sentences, options)]
            best[scored] = min(best[scored], time.perf_counter() - start)
    same = outputs[True] == outputs[False]
    with_scores, without = best[True], best[False]
    return {"with": with_scores, "without": without, "same": float(same), "tokens": longest}


SECTION = "\n## Cost of the translator's scores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16, help="sentences per generate call")
    parser.add_argument(
        "--engines", nargs="+", default=["ctranslate2", "transformers"], help="which to measure"
    )
    parser.add_argument("--out", type=Path, help="results file whose cost section to replace")
    args = parser.parse_args()
    load = [os.getloadavg()[0]]
    lines = [
        "| engine | sentences x tokens | without scores (s) | with scores (s) | cost | same |",
        "|---|---:|---:|---:|---:|---|",
    ]
    print("\n".join(lines), flush=True)
    for kind in args.engines:
        got = measure(kind, args.threads, args.repeats, args.batch)
        cost = got["with"] / got["without"] - 1
        lines.append(
            f"| {kind} | {args.batch} x {int(got['tokens'])} | {got['without']:.2f} | "
            f"{got['with']:.2f} | {cost:+.1%} | {'yes' if got['same'] else 'NO'} |"
        )
        print(lines[-1], flush=True)
    load.append(os.getloadavg()[0])
    note = (
        f"`python -m bench.scores_cost --repeats {args.repeats} --batch {args.batch} --engines "
        f"{' '.join(args.engines)}`: best of "
        f"{args.repeats}, with and without scores alternating, {args.threads} threads; 1-minute "
        f"load average {load[0]:.1f} at the start and {load[1]:.1f} at the end on a machine of "
        f"{os.cpu_count()} cores shared with other work (times on a busy machine are noisy; "
        "the ratio is measured side by side)."
    )
    print(note)
    if args.out:
        text = args.out.read_text("utf-8") if args.out.exists() else ""
        at = text.find(SECTION)
        head = text[:at] if at >= 0 else text
        args.out.write_text(
            head.rstrip("\n") + "\n" + SECTION + "\n\n" + note + "\n\n" + "\n".join(lines) + "\n",
            "utf-8",
        )


if __name__ == "__main__":
    main()
