"""The transformers (PyTorch) engine: any seq2seq checkpoint the Auto classes load.

Loads only from a local folder (the model store downloads first), never runs remote code, and
reads safetensors unless the operator allowed pickle weights. Generation runs under
``torch.inference_mode()``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ModelUnavailableError
from .base import MODEL_BUILD_LOCK, GenerationOptions
from .tokenized import TokenizedEngine, declared_max_length

__all__ = ["TransformersEngine", "has_safetensors", "resolve_device"]

log = logging.getLogger(__name__)


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
        if options.min_new_tokens:
            kwargs["min_new_tokens"] = min(options.min_new_tokens, kwargs["max_new_tokens"])
        if options.num_beams is not None:
            kwargs["num_beams"] = options.num_beams
        with torch.inference_mode():
            output = self.model.generate(**batch, **kwargs)
        return self.decode(output)
