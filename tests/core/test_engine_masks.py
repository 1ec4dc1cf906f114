"""The transformers engine's one-step masks give exactly what transformers' own processors give.

The engine takes ``min_new_tokens``, single-token ``bad_words_ids`` and the forced last token
over from transformers (for speed); the tokens written must not change, in greedy and beam
search, for a translation model and for a summariser with its forced first token.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mtsum.engines.base import GenerationOptions
from mtsum.engines.hf import TransformersEngine

TEXTS = [
    "The council met on Tuesday.",
    "It approved the budget for the new tram line after a long debate.",
    "Rain.",
]
# Added to the logits of </s> and <pad>: about half the unmasked outputs then end early.
TILT = 4.0


def _load(folder: Path, **generation: Any) -> tuple[Any, Any]:
    """The model, tilted towards ending early and towards <pad>, so that the masks matter."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForSeq2SeqLM.from_pretrained(folder).eval()
    with torch.no_grad():  # random weights alone almost never write </s> or <pad>
        model.final_logits_bias[..., tokenizer.eos_token_id] += TILT
        model.final_logits_bias[..., tokenizer.pad_token_id] += TILT
    for name, value in generation.items():
        setattr(model.generation_config, name, value)
    return model, tokenizer


def _reference(folder: Path, options: GenerationOptions, **generation: Any) -> list[str]:
    """transformers alone, with its own processors."""
    import torch

    model, tokenizer = _load(folder, **generation)
    model.generation_config.max_length = None
    model.generation_config.min_length = None
    batch = tokenizer(TEXTS, return_tensors="pt", padding=True)
    kwargs: dict[str, Any] = {"max_new_tokens": options.max_new_tokens}
    if options.min_new_tokens:
        kwargs["min_new_tokens"] = options.min_new_tokens
    with torch.inference_mode():
        output = model.generate(**batch, **kwargs, num_beams=options.num_beams)
    return [t.strip() for t in tokenizer.batch_decode(output, skip_special_tokens=True)]


def _masked_ids(folder: Path, options: GenerationOptions, **generation: Any) -> list[str]:
    model, tokenizer = _load(folder, **generation)
    engine = TransformersEngine(model, tokenizer, str(folder), "cpu")
    assert engine._masks is not None  # the engine took them over
    assert model.generation_config.bad_words_ids is None
    return engine.generate(TEXTS, options)


@pytest.mark.parametrize("beams", [1, 3])
@pytest.mark.parametrize(("least", "most"), [(0, 12), (4, 12), (9, 9), (12, 12)])
def test_translation_masks_match_transformers(
    tiny_root: Path, beams: int, least: int, most: int
) -> None:
    folder = tiny_root / "fr-en"
    pad = _load(folder)[1].pad_token_id
    # As OPUS-MT checkpoints publish it: the decoder's start token <pad> is never written.
    generation = {"bad_words_ids": [[pad]], "num_beams": beams}
    options = GenerationOptions(max_new_tokens=most, min_new_tokens=least, num_beams=beams)
    assert _masked_ids(folder, options, **generation) == _reference(folder, options, **generation)


@pytest.mark.parametrize("beams", [1, 2])
def test_summariser_masks_match_transformers(tiny_root: Path, beams: int) -> None:
    folder = tiny_root / "sum-en"
    tokenizer = _load(folder)[1]
    # DistilBART forces <s> first and </s> last and bans repeated trigrams.
    generation = {"forced_bos_token_id": tokenizer.bos_token_id, "num_beams": beams}
    options = GenerationOptions(max_new_tokens=20, min_new_tokens=8, num_beams=beams)
    assert _masked_ids(folder, options, **generation) == _reference(folder, options, **generation)


def test_settings_it_cannot_order_stay_with_transformers(tiny_root: Path) -> None:
    model, tokenizer = _load(tiny_root / "fr-en", renormalize_logits=True)
    engine = TransformersEngine(model, tokenizer, "fr-en", "cpu")
    assert engine._masks is None
    assert model.generation_config.forced_eos_token_id is not None  # left as it was
    assert engine.generate(["Rain."], GenerationOptions(max_new_tokens=4, min_new_tokens=2))


def test_generate_calls_take_turns_on_a_cpu(tiny_root: Path) -> None:
    # torch's threads are process-wide: two generate calls at once would fight over the cores.
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    engines = []
    for name in ("fr-en", "en-fr"):
        model, tokenizer = _load(tiny_root / name)
        engines.append(TransformersEngine(model, tokenizer, name, "cpu"))
    inside, most = [0], [0]
    lock = threading.Lock()
    for engine in engines:
        real = engine.model.generate

        def counted(*args: Any, _real: Any = real, **kwargs: Any) -> Any:
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.05)
            try:
                return _real(*args, **kwargs)
            finally:
                with lock:
                    inside[0] -= 1

        engine.model.generate = counted
    options = GenerationOptions(max_new_tokens=4)
    with ThreadPoolExecutor(6) as pool:
        done = list(pool.map(lambda i: engines[i % 2].generate(TEXTS, options), range(6)))
    assert all(len(out) == len(TEXTS) for out in done)
    assert most[0] == 1
