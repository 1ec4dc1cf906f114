"""Full-size random-weight models with the published architectures, built once and cached.

The benchmark cannot download the real checkpoints, and it does not need their weights: speed
and memory depend on the architecture, the vocabulary size and the number of tokens, not on what
the weights say. So it builds

- ``marian-base``: OPUS-MT's transformer-base (d_model 512, 6+6 layers, 8 heads, FFN 2048,
  vocabulary 58,101 with ``<pad>`` last, 512 positions, swish, sinusoidal positions, beam 4),
- ``marian-big``: OPUS-MT's tc-big, the shape of the ``best`` profile's models (d_model 1024,
  6+6 layers, 16 heads, FFN 4096, relu, 1024 positions, vocabulary 53,017 as in the published
  ``config.json`` of Helsinki-NLP/opus-mt-tc-big-fr-en, beam 4), with the same tokenizer,
- ``distilbart-cnn-12-6``: BART-large with 12 encoder and 6 decoder layers (d_model 1024,
  16 heads, FFN 4096, vocabulary 50,264, 1024 positions) and the model card's generation
  settings (beam 4, ``no_repeat_ngram_size`` 3, length penalty 2, forced ``<s>``),

each with a real tokenizer trained here: a 32k sentencepiece unigram model for Marian (OPUS-MT
uses one 32k model per side; the joint vocabulary is filled up to 58,101 like theirs) and a
byte-level BPE for BART, trained towards 50,264 tokens. The training text is the input file
plus English prose found on this machine (docstrings of the Python standard library and the
installed packages); whatever the BPE does not learn is filled with unused tokens so the
vocabulary, and so the embedding and output layer, has the published size.
"""

from __future__ import annotations

import io
import json
import logging
import re
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger("bench.build")

MARIAN_VOCAB = 58_101
# vocab_size of Helsinki-NLP/opus-mt-tc-big-fr-en's config.json (commit b59b4319...): the tc-big
# checkpoints have 53k-59k entries (en-it 54,422, en-es 55,027, hu-en 56,973, en-el 58,829).
TC_BIG_VOCAB = 53_017
BART_VOCAB = 50_264
SPM_VOCAB = 32_000
CORPUS_CHARS = 20_000_000
_MARKER = "bench-build.json"
_RECIPE = 2  # bump to rebuild cached models after changing this file


_DOCSTRING = re.compile(r'"""(.*?)"""', re.S)


def prose_lines(extra: Path | None, limit: int = CORPUS_CHARS) -> Iterator[str]:
    """English sentences: the input file first, then docstrings of installed Python code."""
    if extra is not None:
        for line in extra.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield line.strip()
    roots = [Path(sysconfig.get_paths()["stdlib"]), Path(sysconfig.get_paths()["purelib"])]
    total = 0
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            try:
                source = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            for match in _DOCSTRING.finditer(source):
                for paragraph in re.split(r"\n\s*\n", match.group(1)):
                    text = " ".join(paragraph.split())
                    # Prose only: skip code examples, tables and argument lists.
                    if len(text) < 40 or not re.match(r"[A-Z][a-z]", text) or ">>>" in text:
                        continue
                    total += len(text)
                    yield text
                    if total >= limit:
                        return


def _done(folder: Path) -> bool:
    try:
        return json.loads((folder / _MARKER).read_text())["recipe"] == _RECIPE
    except (OSError, ValueError, KeyError):
        return False


# The two Marian shapes: OPUS-MT transformer-base (the fast profile's models) and tc-big (best).
SHAPES: dict[str, dict[str, int | str]] = {
    "base": {"d_model": 512, "heads": 8, "ffn": 2048, "vocab": MARIAN_VOCAB,
             "activation": "swish", "positions": 512},
    "big": {"d_model": 1024, "heads": 16, "ffn": 4096, "vocab": TC_BIG_VOCAB,
            "activation": "relu", "positions": 1024},
}  # fmt: skip


def build_marian(
    folder: Path, corpus: list[str], shape: str = "base", spm_file: Path | None = None
) -> dict[str, int]:
    """An OPUS-MT Marian model of ``shape`` with random weights and a 32k sentencepiece model
    (trained on ``corpus``, or the one in ``spm_file`` when given)."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    dims = SHAPES[shape]
    buffer = io.BytesIO(spm_file.read_bytes()) if spm_file is not None else _train_spm(corpus)
    spm_path = folder / "source.spm"
    spm_path.write_bytes(buffer.getvalue())
    (folder / "target.spm").write_bytes(buffer.getvalue())
    processor = spm.SentencePieceProcessor(model_file=str(spm_path))
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for index in range(processor.get_piece_size()):
        vocab.setdefault(processor.id_to_piece(index), len(vocab))
    learned = len(vocab)
    # OPUS-MT's vocabulary joins the source and target models; the target half is unused here.
    filler = 0
    while len(vocab) < int(dims["vocab"]) - 1:
        vocab.setdefault(f"<unused{filler}>", len(vocab))
        filler += 1
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tokenizer = MarianTokenizer(
        vocab=str(folder / "vocab.json"),
        source_spm=str(spm_path),
        target_spm=str(spm_path),
        model_max_length=512,
    )
    tokenizer.save_pretrained(folder)
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=dims["d_model"],
        encoder_layers=6,
        decoder_layers=6,
        encoder_attention_heads=dims["heads"],
        decoder_attention_heads=dims["heads"],
        encoder_ffn_dim=dims["ffn"],
        decoder_ffn_dim=dims["ffn"],
        max_position_embeddings=dims["positions"],
        activation_function=dims["activation"],
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        pad_token_id=vocab["<pad>"],
        eos_token_id=0,
        decoder_start_token_id=vocab["<pad>"],
        forced_eos_token_id=0,
    )
    torch.manual_seed(0)
    model = MarianMTModel(config)
    generation = model.generation_config
    generation.num_beams = 4
    generation.max_length = 512
    generation.bad_words_ids = [[vocab["<pad>"]]]
    model.save_pretrained(folder)
    info = {"vocab": len(vocab), "learned_tokens": learned, "params": _params(model)}
    (folder / _MARKER).write_text(json.dumps({"recipe": _RECIPE, **info}))
    return info


def _train_spm(corpus: list[str]) -> io.BytesIO:
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus),
        model_writer=buffer,
        vocab_size=SPM_VOCAB,
        hard_vocab_limit=False,
        character_coverage=0.9999,
        model_type="unigram",
        input_sentence_size=2_000_000,
        shuffle_input_sentence=True,
        minloglevel=2,
        num_threads=2,
    )
    return buffer


def build_distilbart(folder: Path, corpus: list[str]) -> dict[str, int]:
    """distilbart-cnn-12-6 with random weights and a byte-level BPE of 50,264 tokens."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    bpe = ByteLevelBPETokenizer()
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    bpe.train_from_iterator(
        corpus, vocab_size=BART_VOCAB - 1, min_frequency=2, special_tokens=specials,
        show_progress=False,
    )  # fmt: skip
    staging = folder / "_bpe"
    staging.mkdir(exist_ok=True)
    bpe.save_model(str(staging))
    vocab = json.loads((staging / "vocab.json").read_text(encoding="utf-8"))
    learned = len(vocab)
    filler = 0
    while len(vocab) < BART_VOCAB - 1:
        vocab.setdefault(f"<unused{filler}>", len(vocab))
        filler += 1
    vocab["<mask>"] = len(vocab)
    (staging / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tokenizer = BartTokenizer(
        vocab=str(staging / "vocab.json"),
        merges=str(staging / "merges.txt"),
        model_max_length=1024,
    )
    tokenizer.save_pretrained(folder)
    for file in staging.iterdir():
        file.unlink()
    staging.rmdir()
    config = BartConfig(
        vocab_size=BART_VOCAB,
        d_model=1024,
        encoder_layers=12,
        decoder_layers=6,
        encoder_attention_heads=16,
        decoder_attention_heads=16,
        encoder_ffn_dim=4096,
        decoder_ffn_dim=4096,
        max_position_embeddings=1024,
        activation_function="gelu",
        scale_embedding=False,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        forced_eos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(0)
    model = BartForConditionalGeneration(config)
    generation = model.generation_config
    generation.num_beams = 4
    generation.length_penalty = 2.0
    generation.no_repeat_ngram_size = 3
    generation.min_length = 56
    generation.max_length = 142
    generation.early_stopping = True
    generation.forced_bos_token_id = tokenizer.bos_token_id
    model.save_pretrained(folder)
    info = {"vocab": BART_VOCAB, "learned_tokens": learned, "params": _params(model)}
    (folder / _MARKER).write_text(json.dumps({"recipe": _RECIPE, **info}))
    return info


def _params(model: object) -> int:
    return sum(p.numel() for p in model.parameters())  # type: ignore[attr-defined]


def build_models(cache: Path, text_file: Path | None) -> dict[str, dict[str, int]]:
    """Both models under ``cache/models`` (reused when already built by this recipe)."""
    models = cache / "models"
    marian, bart = models / "marian-base", models / "distilbart-cnn-12-6"
    if _done(marian) and _done(bart):
        return {
            "marian-base": json.loads((marian / _MARKER).read_text()),
            "distilbart-cnn-12-6": json.loads((bart / _MARKER).read_text()),
        }
    started = time.perf_counter()
    corpus = list(prose_lines(text_file))
    print(f"tokenizer corpus: {len(corpus):,} lines, {sum(map(len, corpus)):,} characters")
    if not _done(marian):
        build_marian(marian, corpus)
    if not _done(bart):
        build_distilbart(bart, corpus)
    print(f"built the benchmark models in {time.perf_counter() - started:.0f} s")
    return build_models(cache, text_file)


def build_marian_shapes(cache: Path, text_file: Path | None) -> dict[str, dict[str, int]]:
    """``marian-base`` and ``marian-big`` (one tokenizer for both; reused when built)."""
    models = cache / "models"
    base, big = models / "marian-base", models / "marian-big"
    if not _done(base):
        build_marian(base, list(prose_lines(text_file)))
    if not _done(big):
        started = time.perf_counter()
        build_marian(big, [], "big", spm_file=base / "source.spm")
        print(f"built marian-big in {time.perf_counter() - started:.0f} s")
    return {
        "marian-base": json.loads((base / _MARKER).read_text()),
        "marian-big": json.loads((big / _MARKER).read_text()),
    }


def write_registry(cache: Path) -> Path:
    """A registry that routes en-de to the Marian model and English summaries to DistilBART."""
    models = cache.resolve() / "models"
    path = cache / "registry.toml"
    path.write_text(
        "[translation]\n"
        f'"en-de" = "{models / "marian-base"}"\n\n'
        "[summarization]\n"
        f'"en" = "{models / "distilbart-cnn-12-6"}"\n',
        encoding="utf-8",
    )
    # The best profile's shape: en-de on the tc-big-shaped model (translation only).
    (cache / "registry-big.toml").write_text(
        f'[translation]\n"en-de" = "{models / "marian-big"}"\n', encoding="utf-8"
    )
    return path


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    root = Path(__file__).resolve().parent
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "article.txt"
    print(json.dumps(build_models(root / ".cache", source), indent=2))
