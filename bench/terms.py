"""Glossary benchmark: are terms and protected spans in the output, and what do they cost?

Two models with the published OPUS-MT tokenizer files and configurations and random weights
(the worst case: such a model has no reason to copy a placeholder): the transformer-base
``opus-mt-en-mg`` (Marian SentencePiece, 512 wide) and the transformer-big
``opus-mt-tc-big-fr-en`` (the tc-big vocabulary, 1024 wide). Put each model's ``config.json``,
``source.spm``, ``target.spm``, ``vocab.json`` and ``tokenizer_config.json`` (from a public mirror
of the published model; the hub is not reachable here) under ``bench/.cache/published/<name>/``.

Measured, over bench/terms_data.py's 500 sentences and 200-entry glossary:

1. per placeholder shape and tokenizer: tokens per placeholder, placeholders that become
   ``<unk>``, and the share of spans present after a perfect copy through the tokenizer
   (encode as source, decode as target, repair, restore);
2. through the real pipeline with the random-weight model: the share of required terms and of
   protected spans present, the share present or flagged (must be 100%), and the translation
   time with the glossary against without (both runs side by side, alternating, twice).

Run: ``python -m bench.terms [--sentences 500] [--reps 2]``; writes bench/results-terms.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path
from typing import Any

from bench.terms_data import KEPT, glossary, sentences

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / ".cache"
MODELS = {"opus-mt-en-mg": ("en", "mg"), "opus-mt-tc-big-fr-en": ("fr", "en")}
_TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json")


def build_random(published: Path, folder: Path) -> Path:
    """The published configuration with random weights, and the published tokenizer files."""
    import torch
    from transformers import MarianConfig, MarianMTModel

    if (folder / "model.safetensors").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    config = MarianConfig.from_pretrained(published)
    torch.manual_seed(0)
    model = MarianMTModel(config)
    model.generation_config.num_beams = 4
    model.generation_config.max_length = 512
    model.generation_config.bad_words_ids = [[config.pad_token_id]]
    model.save_pretrained(folder)
    for name in _TOKENIZER_FILES:
        if (published / name).exists():
            shutil.copy(published / name, folder / name)
    return folder


def shape_survival(folder: Path, texts: list[str]) -> list[dict[str, Any]]:
    """Each placeholder shape through the tokenizer alone, as a model that copies would see it."""
    from transformers import MarianTokenizer

    from mtsum.terms import SHAPES, TermSet, glossary_from_pairs

    tokenizer = MarianTokenizer.from_pretrained(folder)
    terms = glossary_from_pairs(glossary(), KEPT)
    rows = []
    for shape in SHAPES.values():
        term_set = TermSet(terms, shape=shape)
        protected = term_set.protect(texts)
        unk = tokenizer.unk_token_id
        ids = [tokenizer(p.text).input_ids for p in protected]
        copies = [
            tokenizer.decode(tokenizer(text_target=p.text).input_ids, skip_special_tokens=True)
            for p in protected
        ]
        restored = term_set.restore(copies, protected, final=True)
        spans = sum(len(p.spans) for p in protected)
        missing = sum(len(r.missing) for r in restored)
        per = [len(tokenizer(f"a {shape.render(n)} b").input_ids) - 3 for n in range(1, 10)]
        rows.append({
            "shape": shape.render(1), "name": shape.name,
            "tokens_per_placeholder": round(sum(per) / len(per), 2),
            "unknown_tokens": sum(i.count(unk) for i in ids),
            "present_after_copy": round(1 - missing / spans, 4) if spans else 1.0,
            "repaired": sum(r.repaired for r in restored),
        })  # fmt: skip
    return rows


def stage_seconds(texts: list[str]) -> dict[str, float]:
    """The terms stage alone (match, protect, restore; no model): seconds for ``texts``."""
    from mtsum.terms import Glossary, TermSet, glossary_from_pairs

    out = {}
    for label, terms in (("automatic_only", Glossary()), ("glossary", None)):
        term_set = TermSet(terms if terms is not None else glossary_from_pairs(glossary(), KEPT))
        start = time.perf_counter()
        for _ in range(5):
            protected = term_set.protect(texts)
            term_set.restore([p.text for p in protected], protected, final=True)
        out[label] = round((time.perf_counter() - start) / 5, 4)
    return out


def spans_of(translation: Any, matcher: Any) -> dict[str, list[int]]:
    """Per kind of span (required term, protected span): [spans, present, present or flagged]."""
    from mtsum.terms import find_spans, missing_detail

    counts = {"terms": [0, 0, 0], "protected": [0, 0, 0]}
    for index, segment in enumerate(translation.segments):
        details = {f.detail for f in translation.flags if f.sentence == index and f.kind == "term"}
        for span in find_spans(segment.source, matcher):
            row = counts["terms" if span.kind in ("term", "keep") else "protected"]
            present = span.output in segment.text
            row[0] += 1
            row[1] += present
            row[2] += present or missing_detail(span) in details
    return counts


def pipeline_run(name: str, folder: Path, texts: list[str], reps: int) -> dict[str, Any]:
    """Translate ``texts`` without and with the glossary, alternating; counts and timings."""
    from mtsum import Pipeline, Request, Settings
    from mtsum.terms import TermMatcher, glossary_from_pairs

    source, target = MODELS[name]
    registry = CACHE / f"terms-{name}.toml"
    registry.write_text(f'[translation]\n"{source}-{target}" = "{folder}"\n', encoding="utf-8")
    settings = Settings(
        registry_path=registry, model_dir=CACHE / "terms-store", offline=True, device="cpu",
        translation_memory="off", max_chars=1_000_000,
    )  # fmt: skip
    pipeline = Pipeline(settings)
    pairs = dict(glossary())
    plain = Request(target=target, source=source)
    with_terms = Request(target=target, source=source, glossary=pairs, keep=KEPT)
    pipeline.translate(texts[0], request=plain)  # load the model outside the timings
    seconds: dict[str, list[float]] = {"without": [], "with": []}
    outcomes: dict[str, Any] = {}
    for _ in range(reps):
        for label, request in (("without", plain), ("with", with_terms)):
            start = time.perf_counter()
            outcomes[label] = pipeline.translate(texts, request=request)
            seconds[label].append(time.perf_counter() - start)
    matcher = TermMatcher(glossary_from_pairs(pairs, KEPT))
    totals = {"terms": [0, 0, 0], "protected": [0, 0, 0]}
    for translation in outcomes["with"]:
        for kind, row in spans_of(translation, matcher).items():
            totals[kind] = [a + b for a, b in zip(totals[kind], row, strict=True)]
    plain_spans = {"terms": [0, 0, 0], "protected": [0, 0, 0]}
    for translation in outcomes["without"]:
        for kind, row in spans_of(translation, matcher).items():
            plain_spans[kind] = [a + b for a, b in zip(plain_spans[kind], row, strict=True)]
    best = {label: min(values) for label, values in seconds.items()}
    return {
        "model": name, "sentences": len(texts), "seconds": seconds,
        "glossary_cost": round(best["with"] / best["without"] - 1, 4),
        "with_glossary": _shares(totals), "without_glossary_terms_present": _shares(plain_spans),
    }  # fmt: skip


def _shares(totals: dict[str, list[int]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind, (spans, present, covered) in totals.items():
        out[kind] = {
            "spans": spans,
            "present": round(present / spans, 4) if spans else None,
            "present_or_flagged": round(covered / spans, 4) if spans else None,
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--models", nargs="*", default=list(MODELS))
    parser.add_argument("--skip-pipeline", action="store_true")
    parser.add_argument(
        "--pipeline-sentences", nargs="*", type=int, default=[],
        help="per model, how many of the sentences go through the model (default: all)",
    )  # fmt: skip
    args = parser.parse_args()
    texts = sentences(args.sentences)
    results: dict[str, Any] = {"shapes": {}, "pipeline": [], "stage": stage_seconds(texts)}
    print(json.dumps({"stage_seconds": results["stage"]}), flush=True)
    for number, name in enumerate(args.models):
        published = CACHE / "published" / name
        if not (published / "source.spm").exists():
            print(f"{name}: no published tokenizer files under {published}; skipped")
            continue
        folder = build_random(published, CACHE / "terms-models" / name)
        results["shapes"][name] = shape_survival(folder, texts)
        print(json.dumps({name: results["shapes"][name]}, indent=1), flush=True)
        if not args.skip_pipeline:
            limit = args.pipeline_sentences[number] if number < len(args.pipeline_sentences) else 0
            row = pipeline_run(name, folder, texts[: limit or None], args.reps)
            results["pipeline"].append(row)
            print(json.dumps(row, indent=1), flush=True)
    (ROOT / "results-terms.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
