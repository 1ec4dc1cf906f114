"""The transformers (PyTorch) engine: any seq2seq checkpoint the Auto classes load.

Loads only from a local folder (the model store downloads first), never runs remote code, and
reads safetensors unless the operator allowed pickle weights. Generation runs under
``torch.inference_mode()``.
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ModelUnavailableError
from .base import MODEL_BUILD_LOCK, GenerationOptions, Scored
from .scores import ScoreRecorder
from .tokenized import TokenizedEngine, declared_max_length

__all__ = ["TransformersEngine", "has_safetensors", "resolve_device"]

log = logging.getLogger(__name__)

# PyTorch's intra-op threads are process-wide: two generate calls at once on a CPU each start a
# thread per core, and the threads fight over the cores (OpenMP threads spinning on contended
# cores made a decoding step 13x slower in bench/RESULTS.md). So on a CPU one generate call runs
# at a time in the process, whatever the model; concurrent requests take turns batch by batch,
# and each batch has the whole machine. CTranslate2 splits its work its own way (threads.py).
_CPU_GENERATE_LOCK = threading.Lock()


def has_safetensors(folder: Path) -> bool:
    """Whether ``folder`` holds safetensors weights."""
    return any(folder.glob("*.safetensors"))


def resolve_device(device: str) -> str:
    """``auto`` -> ``cuda`` when a GPU is usable, else ``cpu``."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ModelUnavailableError("cuda", "MTSUM_DEVICE=cuda but no CUDA device is available")
    return device


class TransformersEngine(TokenizedEngine):
    """A seq2seq model and its tokenizer, loaded with transformers."""

    kind = "transformers"

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        reference: str,
        device: str,
        max_length: int | None = None,
    ) -> None:
        super().__init__(tokenizer, reference, model.config.to_dict(), max_length)
        self.model = model
        self.device = device
        generation = model.generation_config
        # Lengths are passed with every call; clearing the model's own keeps transformers quiet.
        generation.max_length = None
        generation.min_length = None
        self._masks = _Masks.take_over(generation)

    @classmethod
    def load(
        cls, folder: Path, reference: str, device: str, allow_pickle: bool
    ) -> TransformersEngine:
        """Load the model in ``folder``.

        Raises:
            ModelUnavailableError: pickle-only weights without permission, or a broken model.
        """
        import torch
        import transformers
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        safetensors = has_safetensors(folder)
        if not safetensors and not allow_pickle:
            if any(folder.glob("*.bin")):
                raise ModelUnavailableError(
                    reference,
                    "it has only pickle weights (*.bin), which can run code when loaded; "
                    "convert them to safetensors or let the operator set MTSUM_ALLOW_PICKLE=1",
                )
            raise ModelUnavailableError(reference, f"no weights found in {folder}")
        device = resolve_device(device)
        dtype = torch.float16 if device == "cuda" else torch.float32
        try:
            with MODEL_BUILD_LOCK:
                tokenizer = AutoTokenizer.from_pretrained(
                    folder, local_files_only=True, trust_remote_code=False
                )
                model = AutoModelForSeq2SeqLM.from_pretrained(
                    folder,
                    local_files_only=True,
                    trust_remote_code=False,
                    use_safetensors=safetensors,
                    dtype=dtype,
                )
                model.to(device)
        except Exception as exc:  # a corrupt download surfaces as many exception types
            log.debug("loading %s failed", reference, exc_info=True)
            raise ModelUnavailableError(
                reference, f"it is incomplete or corrupt ({type(exc).__name__}: {exc})"
            ) from exc
        model.eval()
        return cls(model, tokenizer, reference, device, declared_max_length(folder))

    def _turn(self) -> Any:
        """The CPU's one-at-a-time lock; on a GPU calls may overlap (nullcontext)."""
        return _CPU_GENERATE_LOCK if self.device == "cpu" else contextlib.nullcontext()

    def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
        import torch

        if not texts:
            return []
        with self._tokenizer_lock:
            batch = self.tokenizer(
                list(texts), return_tensors="pt", padding=True, truncation=False
            ).to(self.device)
        kwargs: dict[str, Any] = {
            "max_new_tokens": max(1, min(options.max_new_tokens, self.max_output_tokens)),
        }
        least = min(options.min_new_tokens, kwargs["max_new_tokens"])
        from transformers import LogitsProcessorList

        processors = LogitsProcessorList()
        if self._masks is not None:
            processors = self._masks.processors(least, kwargs["max_new_tokens"])
        elif least:
            kwargs["min_new_tokens"] = least
        if options.num_beams is not None:
            kwargs["num_beams"] = options.num_beams
        beams = int(kwargs.get("num_beams") or self.model.generation_config.num_beams or 1)
        recorder = ScoreRecorder(beams, _ids(self.model.generation_config.eos_token_id))
        processors.append(recorder)  # last: it reads what the search chooses from
        with self._turn(), torch.inference_mode():
            sequences = self.model.generate(**batch, **kwargs, logits_processor=processors)
            scores = recorder.per_sequence(sequences, self.model.generation_config.pad_token_id)
        texts = self.decode(sequences)
        return [Scored(text, score) for text, score in zip(texts, scores, strict=True)]


# Generation settings whose processors transformers runs after the forced end-of-sentence token:
# while any is set, the order of the masks below would matter, so transformers keeps them all.
_LATER_PROCESSORS = (
    "remove_invalid_values",
    "exponential_decay_length_penalty",
    "suppress_tokens",
    "begin_suppress_tokens",
    "do_sample",
    "watermarking_config",
    "renormalize_logits",
    "sequence_bias",
)


class _Masks:
    """The minimum new tokens, banned single tokens and the forced last token, in one in-place step.

    transformers applies these as three logits processors that each copy the whole score matrix
    (beams x 58,101 for OPUS-MT) at every step: ``min_new_tokens`` builds an index over the
    vocabulary and a ``where``, ``bad_words_ids`` adds a bias matrix, and the forced
    end-of-sentence token fills a new one. Profiled on the full-size OPUS-MT of ``bench/`` they
    took 9% of a translation. This writes the same ``-inf`` (and the forced 0) into the scores
    transformers hands over (a fresh copy at every step, so writing in place is safe), in
    transformers' order; every other processor runs before it, unchanged. Only taken over when
    the checkpoint sets nothing that transformers would run after the forced token and its
    banned words are single tokens; otherwise transformers keeps all of them.
    """

    def __init__(self, banned: list[int], eos: list[int], forced_eos: list[int] | None) -> None:
        self.banned = banned
        self.eos = eos
        self.forced_eos = forced_eos

    @classmethod
    def take_over(cls, generation: Any) -> _Masks | None:
        """Take the three settings out of ``generation``; None (nothing changed) if unsafe."""
        if any(getattr(generation, name, None) for name in _LATER_PROCESSORS):
            return None
        bad = generation.bad_words_ids or []
        if any(len(word) != 1 for word in bad):
            return None
        eos, forced = _ids(generation.eos_token_id), generation.forced_eos_token_id
        # transformers never bans an end-of-sentence token (NoBadWordsLogitsProcessor)
        banned = sorted({word[0] for word in bad} - set(eos))
        if generation.forced_bos_token_id in {*banned, *eos}:
            return None  # the forced first token and these masks would then depend on order
        generation.bad_words_ids = None
        generation.forced_eos_token_id = None
        return cls(banned, eos, _ids(forced) if forced is not None else None)

    def processors(self, min_new_tokens: int, max_new_tokens: int) -> Any:
        """The logits processor list for one ``generate`` call."""
        from transformers import LogitsProcessorList

        return LogitsProcessorList([_MaskStep(self, min_new_tokens, max_new_tokens)])


class _MaskStep:
    """One call's masks; lengths count new tokens after the decoder's prompt, as transformers'."""

    def __init__(self, masks: _Masks, min_new_tokens: int, max_new_tokens: int) -> None:
        self.masks = masks
        self.min_new_tokens = min_new_tokens
        self.max_new_tokens = max_new_tokens
        self.prompt: int | None = None  # the decoder's start, seen at the first step

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        length = input_ids.shape[-1]
        if self.prompt is None:
            self.prompt = length
        written = length - self.prompt
        if written < self.min_new_tokens and self.masks.eos:
            scores[:, self.masks.eos] = -math.inf
        if self.masks.banned:
            scores[:, self.masks.banned] = -math.inf
        # transformers forces it at length max_length - 1, max_length being prompt + max_new
        if self.masks.forced_eos is not None and written == self.max_new_tokens - 1:
            scores.fill_(-math.inf)
            scores[:, self.masks.forced_eos] = 0
        return scores


def _ids(value: Any) -> list[int]:
    if value is None:
        return []
    return [int(value)] if isinstance(value, int) else [int(v) for v in value]
