"""What both engines share: the checkpoint's own tokenizer, used safely from many threads, and
the limits and task prefix read from the checkpoint's config.

Both engines count, encode and decode with the same transformers tokenizer, so token counts,
limits and outputs have the same shape whichever engine runs the model.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["TokenizedEngine", "declared_max_length"]

# Tokenizers that do not declare a limit report a huge sentinel; ignore anything this large.
_NO_LIMIT = 1_000_000
_FALLBACK_LIMIT = 512


class TokenizedEngine:
    """Base of the engines: tokenizer access, input/output limits and task prefixes.

    Args:
        tokenizer: the checkpoint's transformers tokenizer.
        reference: the model reference (hub id or folder), for messages.
        config: the checkpoint's ``config.json`` as a mapping.
        max_length: the longest output the checkpoint declares (``declared_max_length``).
    """

    def __init__(
        self,
        tokenizer: Any,
        reference: str,
        config: Mapping[str, Any],
        max_length: int | None = None,
    ) -> None:
        self.tokenizer = tokenizer
        self.reference = reference
        self._model_config = config
        # Fast (Rust) tokenizers fail with "Already borrowed" when two threads call them at
        # once with different padding settings; the web server runs requests concurrently.
        self._tokenizer_lock = threading.Lock()
        limits = [config.get("max_position_embeddings"), config.get("n_positions")]
        model_max = getattr(tokenizer, "model_max_length", None)
        if isinstance(model_max, int) and model_max < _NO_LIMIT:
            limits.append(model_max)
        known = [v for v in limits if isinstance(v, int) and v > 0]
        self.max_input_tokens: int = min(known) if known else _FALLBACK_LIMIT
        # The decoder's position table is the hard limit (one position goes to the start
        # token); the checkpoint's declared max_length, where it has one, is its authors' cap
        # on the output and counts the start token too. Lengths asked for (1.5 x the input for
        # a translation, the user's words for a summary) never go past either.
        positions = config.get("max_position_embeddings") or self.max_input_tokens
        caps = [int(positions)]
        if isinstance(max_length, int) and max_length > 1:
            caps.append(max_length)
        self.max_output_tokens: int = max(1, min(caps) - 1)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens each text takes as model input, special tokens included."""
        if not texts:
            return []
        return [len(ids) for ids in self.encode(texts)]

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text, special tokens included, never truncated."""
        with self._tokenizer_lock:
            encoded = self.tokenizer(
                list(texts), add_special_tokens=True, truncation=False, verbose=False
            )
        return [list(ids) for ids in encoded["input_ids"]]

    def decode(self, sequences: Any) -> list[str]:
        """Texts of generated token id sequences, special tokens dropped."""
        with self._tokenizer_lock:
            decoded = self.tokenizer.batch_decode(sequences, skip_special_tokens=True)
        return [text.strip() for text in decoded]

    def task_prefix(self, task: str) -> str:
        """Text the model expects before each input for ``task`` (T5's ``summarize: ``), or ''."""
        params = self._model_config.get("task_specific_params") or {}
        entry = params.get(task) if isinstance(params, dict) else None
        prefix = entry.get("prefix", "") if isinstance(entry, dict) else ""
        return prefix if isinstance(prefix, str) else ""


def declared_max_length(folder: Path) -> int | None:
    """The output length a checkpoint declares: ``max_length`` of its generation config, else
    of its ``config.json``; None when neither says (or a file is unreadable)."""
    for name in ("generation_config.json", "config.json"):
        try:
            data = json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        value = data.get("max_length") if isinstance(data, dict) else None
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None
