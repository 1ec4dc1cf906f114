"""The translator's confidence: both engines score what they write, and scores change nothing.

The transformers engine reads each token's log-probability from a last, read-only logits
processor; the values must equal transformers' own ``compute_transition_scores`` and the tokens
must equal a plain ``generate``. CTranslate2 scores with the search (``return_scores``); its
tokens must equal a call without scores. A tiny model tilted so that one sentence is written
with little probability gets ``low_confidence`` on that sentence only.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from mtsum import Settings
from mtsum.checks import check_segments
from mtsum.engines import GenerationOptions
from mtsum.engines.base import score_of
from mtsum.engines.hf import TransformersEngine
from mtsum.models import ModelStore
from mtsum.registry import ModelEntry
from mtsum.results import Segment

TEXTS = [
    "Le conseil municipal vote un budget.",
    "Les bus seront plus fréquents le soir.",
    "Pluie.",
]


def _model(folder: Path) -> tuple[Any, Any]:
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    return AutoModelForSeq2SeqLM.from_pretrained(folder).eval(), AutoTokenizer.from_pretrained(
        folder
    )


def _transformers_scores(
    model: Any, tokenizer: Any, beams: int, most: int
) -> tuple[list[str], list[float]]:
    """transformers alone: its texts and its own per-token scores, averaged up to the end."""
    import torch

    batch = tokenizer(TEXTS, return_tensors="pt", padding=True)
    with torch.inference_mode():
        out = model.generate(
            **batch,
            max_new_tokens=most,
            num_beams=beams,
            output_scores=True,
            return_dict_in_generate=True,
        )
        steps = model.compute_transition_scores(
            out.sequences,
            out.scores,
            getattr(out, "beam_indices", None),
            normalize_logits=beams == 1,
        )
    eos, pad = tokenizer.eos_token_id, tokenizer.pad_token_id
    generated = out.sequences[:, 1:]
    means = []
    for tokens, values in zip(generated.tolist(), steps.tolist(), strict=True):
        kept = []
        for token, value in zip(tokens, values, strict=False):
            if token == pad and kept:
                break
            kept.append(value)
            if token == eos:
                break
        means.append(sum(kept) / len(kept))
    texts = [t.strip() for t in tokenizer.batch_decode(out.sequences, skip_special_tokens=True)]
    return texts, means


@pytest.mark.parametrize("beams", [1, 3])
def test_transformers_scores_equal_its_own_transition_scores(tiny_root: Path, beams: int) -> None:
    folder = tiny_root / "fr-en"
    expected_texts, expected = _transformers_scores(*_model(folder), beams, 12)
    model, tokenizer = _model(folder)
    engine = TransformersEngine(model, tokenizer, str(folder), "cpu")
    got = engine.generate(TEXTS, GenerationOptions(max_new_tokens=12, num_beams=beams))
    assert [str(t) for t in got] == expected_texts  # the same tokens as without scores
    scores = [score_of(t) for t in got]
    assert all(s is not None and s <= 0 for s in scores)
    assert scores == pytest.approx(expected, abs=1e-4)


# The last decoder layer's output scaled by this makes the random model sure of every token
# (one token near probability 1 at each step), as a trained model is on a sentence it knows.
SURE = 5000.0


def _sure_engine(folder: Path, banned: list[int] | None = None) -> TransformersEngine:
    import torch

    model, tokenizer = _model(folder)
    norm = model.model.decoder.layers[-1].final_layer_norm
    with torch.no_grad():
        norm.weight.mul_(SURE)
        norm.bias.mul_(SURE)
    if banned:
        model.generation_config.bad_words_ids = [[token] for token in banned]
    return TransformersEngine(model, tokenizer, str(folder), "cpu")


def _first_written(engine: TransformersEngine, text: str) -> int:
    """The first token the model writes for ``text`` (after the decoder's start token)."""
    import torch

    batch = engine.tokenizer([text], return_tensors="pt")
    with torch.inference_mode():
        return int(engine.model.generate(**batch, max_new_tokens=2, num_beams=2)[0, 1])


def test_a_sentence_written_against_the_models_choice_gets_low_confidence(tiny_root: Path) -> None:
    folder = tiny_root / "fr-en"
    # Beam search scores with the model's own probabilities (a ban does not renormalise them;
    # greedy search's logits would be renormalised over what is left, as transformers does).
    options = GenerationOptions(max_new_tokens=12, num_beams=2)
    sure = _sure_engine(folder)
    outputs = sure.generate(TEXTS, options)
    # The tilt: the same model with the token it is surest to write first banned, so it has to
    # start with one it gives almost no probability; it writes the middle sentence.
    first = _first_written(sure, TEXTS[1])
    outputs[1] = _sure_engine(folder, banned=[first]).generate(TEXTS[1:2], options)[0]
    segments = [Segment(s, str(o), score_of(o)) for s, o in zip(TEXTS, outputs, strict=True)]
    flags = check_segments(segments, "fr", "en")
    assert [(f.sentence, f.kind) for f in flags if f.kind == "low_confidence"] == [
        (1, "low_confidence")
    ]
    assert any("unsure" in f.detail for f in flags)
    assert all(s.score is not None and s.score > -0.5 for i, s in enumerate(segments) if i != 1)
    untilted = [
        Segment(s, str(o), score_of(o))
        for s, o in zip(TEXTS, sure.generate(TEXTS, options), strict=True)
    ]
    assert not [f for f in check_segments(untilted, "fr", "en") if f.kind == "low_confidence"]


@pytest.mark.parametrize("beams", [1, 2])
def test_ctranslate2_scores_change_no_token_and_agree_with_transformers(
    settings: Settings, tiny_root: Path, tmp_path: Path, beams: int
) -> None:
    pytest.importorskip("ctranslate2", reason="the fast extra (ctranslate2) is not installed")
    entry = ModelEntry("fr-en", str(tiny_root / "fr-en"), True)
    own = settings.replace(model_dir=tmp_path / "store", compute_type="float32")
    ct2 = ModelStore(own.replace(engine="ctranslate2")).engine(entry)
    hf = ModelStore(own).engine(entry)
    options = GenerationOptions(max_new_tokens=12, num_beams=beams)
    scored = ct2.generate(TEXTS, options)
    plain = ct2.translator.translate_batch(
        [ct2.tokenizer.convert_ids_to_tokens(ids) for ids in ct2.encode(TEXTS)],
        beam_size=beams,
        max_decoding_length=12,
        max_input_length=0,
    )
    ids = [ct2.tokenizer.convert_tokens_to_ids(r.hypotheses[0]) for r in plain]
    assert [str(t) for t in scored] == ct2.decode(ids)
    ct2_scores = [score_of(t) for t in scored]
    assert all(s is not None and math.isfinite(s) and s <= 0 for s in ct2_scores)
    # The same model on both engines: where they write the same text, the same confidence.
    for mine, theirs in zip(scored, hf.generate(TEXTS, options), strict=True):
        if str(mine) == str(theirs):
            assert score_of(mine) == pytest.approx(score_of(theirs), abs=0.05)
