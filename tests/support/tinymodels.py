"""Tiny random seq2seq models, built in a second, loaded through mtsum's real code path.

The tests cannot reach the model hub. Instead they build Marian translation models and a BART
summariser with the real architectures at toy size (``d_model=16``), with sentencepiece / BPE
tokenizers trained here on the project's own test texts, save them like a hub checkpoint and
point a registry file at the folders. Their output is random words; tests assert structure
and behaviour, never wording.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import torch
import transformers

from tests.support.texts import CORPUS

transformers.utils.logging.disable_progress_bar()

MARIAN_POSITIONS = 128
BART_POSITIONS = 128


def corpus_lines() -> list[str]:
    """The test texts cut into lines, for tokenizer training."""
    lines = [line.strip() for text in CORPUS for line in re.split(r"(?<=[.!?。])\s+|\n", text)]
    return [line for line in lines if line]


def train_sentencepiece(path: Path, vocab_size: int = 600) -> Path:
    """A unigram sentencepiece model trained on the test texts, written to ``path``."""
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus_lines() * 3),
        model_writer=buffer,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        model_type="unigram",
        minloglevel=2,
    )
    path.write_bytes(buffer.getvalue())
    return path


# The same tiny transformer for the Marian translators and the BART summariser: small enough
# that the suite stays quick, big enough to exercise every code path.
TINY_DIMENSIONS: dict[str, int] = {
    "d_model": 16,
    "encoder_layers": 1,
    "decoder_layers": 1,
    "encoder_attention_heads": 2,
    "decoder_attention_heads": 2,
    "encoder_ffn_dim": 32,
    "decoder_ffn_dim": 32,
}


def build_marian(
    folder: Path, spm_path: Path, language_tokens: tuple[str, ...] = (), seed: int = 0
) -> Path:
    """A tiny MarianMT model with its tokenizer, saved like a hub checkpoint in ``folder``."""
    import sentencepiece as spm
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    processor = spm.SentencePieceProcessor(model_file=str(spm_path))
    # Laid out like a real OPUS-MT vocabulary: </s> and <unk> first, <pad> last. CTranslate2's
    # Marian converter relies on that (it drops the last row, the decoder's <pad> start token).
    vocab: dict[str, int] = {}
    for token in ("</s>", "<unk>", *language_tokens):
        vocab.setdefault(token, len(vocab))
    for index in range(processor.get_piece_size()):
        vocab.setdefault(processor.id_to_piece(index), len(vocab))
    vocab.setdefault("<pad>", len(vocab))
    staging = folder / "_staging"
    staging.mkdir(exist_ok=True)
    (staging / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tokenizer = MarianTokenizer(
        vocab=str(staging / "vocab.json"),
        source_spm=str(spm_path),
        target_spm=str(spm_path),
        model_max_length=MARIAN_POSITIONS,
    )
    tokenizer.save_pretrained(folder)
    for file in staging.iterdir():
        file.unlink()
    staging.rmdir()
    config = MarianConfig(
        vocab_size=len(vocab),
        **TINY_DIMENSIONS,
        max_position_embeddings=MARIAN_POSITIONS,
        pad_token_id=vocab["<pad>"],
        eos_token_id=vocab["</s>"],
        decoder_start_token_id=vocab["<pad>"],
        forced_eos_token_id=vocab["</s>"],
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    # Greedy: beam search is transformers' code, not ours, and random weights never stop early,
    # so every beam would run to the length cap and only slow the suite down.
    model.generation_config.num_beams = 1
    model.generation_config.max_length = MARIAN_POSITIONS
    model.save_pretrained(folder)
    return folder


def build_bart(folder: Path, seed: int = 0) -> Path:
    """A tiny BART summariser with a byte-level BPE tokenizer trained on the test texts."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        corpus_lines(),
        vocab_size=800,
        min_frequency=1,
        special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
        show_progress=False,
    )
    staging = folder / "_staging"
    staging.mkdir(exist_ok=True)
    bpe.save_model(str(staging))
    tokenizer = BartTokenizer(
        vocab=str(staging / "vocab.json"),
        merges=str(staging / "merges.txt"),
        model_max_length=BART_POSITIONS,
    )
    tokenizer.save_pretrained(folder)
    for file in staging.iterdir():
        file.unlink()
    staging.rmdir()
    config = BartConfig(
        vocab_size=len(tokenizer),
        **TINY_DIMENSIONS,
        max_position_embeddings=BART_POSITIONS,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        forced_eos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(seed)
    model = BartForConditionalGeneration(config)
    model.generation_config.num_beams = 1
    model.generation_config.no_repeat_ngram_size = 3
    model.generation_config.max_length = 60
    model.generation_config.min_length = 10
    model.save_pretrained(folder)
    return folder


def save_as_pickle_only(source: Path, folder: Path) -> Path:
    """A copy of a model whose weights are ``pytorch_model.bin`` only (no safetensors)."""
    import shutil

    from transformers import AutoModelForSeq2SeqLM

    shutil.copytree(source, folder)
    model = AutoModelForSeq2SeqLM.from_pretrained(source)
    for weights in folder.glob("*.safetensors"):
        weights.unlink()
    torch.save(model.state_dict(), folder / "pytorch_model.bin")
    return folder


# The tiny models: translation directions and the multilingual pair with its target labels.
DIRECTIONS = ("fr-en", "en-fr", "en-de", "de-en", "mul-en", "en-mul")
MULTILINGUAL = {"es": "spa", "it": "ita"}


def build_all(root: Path) -> Path:
    """Every tiny model under ``root`` and a registry file pointing at them; returns its path."""
    spm_path = train_sentencepiece(root / "shared.spm")
    tokens = tuple(f">>{label}<<" for label in MULTILINGUAL.values())
    for seed, direction in enumerate(DIRECTIONS):
        extra = tokens if direction == "en-mul" else ()
        build_marian(root / direction, spm_path, extra, seed=seed)
    build_bart(root / "sum-en")
    return write_registry(root)


def write_registry(
    root: Path,
    name: str = "registry.toml",
    translation: dict[str, str] | None = None,
    summarization: dict[str, str] | None = None,
) -> Path:
    """A registry for the tiny models (relative paths), with optional replacements."""
    entries = {d: f"./{d}" for d in DIRECTIONS}
    entries.update(translation or {})
    summaries = {"en": "./sum-en"}
    if summarization is not None:
        summaries = summarization
    lines = ["[translation]"]
    lines += [f'"{key}" = "{value}"' for key, value in entries.items()]
    lines += ["", "[multilingual]"]
    lines += [f'"{code}" = "{label}"' for code, label in MULTILINGUAL.items()]
    lines += ["", "[summarization]"]
    lines += [f'"{key}" = "{value}"' for key, value in summaries.items()]
    path = root / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
