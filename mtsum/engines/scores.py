"""The translator's confidence from a transformers ``generate`` call, without keeping its scores.

transformers returns per-token scores only with ``output_scores=True``, which keeps a copy of
the whole score matrix (beams x vocabulary, 58,101 for OPUS-MT) for every step: gigabytes for
a batch of long sentences, and a copy per step. The token the search picks at a step is always
among the ``2 x beams`` best of its own row (beam search keeps the global best ``2 x beams``
of all rows; greedy search the best one), so recording those few values per step is enough to
read, after the search, the log-probability of every token it wrote (``beam_indices`` says
which row each token came from). The recorder only reads the scores; it changes no token.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["ScoreRecorder"]


class ScoreRecorder:
    """A last logits processor that keeps, per step, the best log-probabilities of each row."""

    def __init__(self, num_beams: int) -> None:
        self.beams = num_beams
        self.steps: list[tuple[Any, Any]] = []

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import torch

        # Beam search hands over log-probabilities already; greedy search raw logits.
        logp = scores if self.beams > 1 else torch.log_softmax(scores.float(), dim=-1)
        k = min(2 * self.beams, logp.shape[-1])
        values, indices = torch.topk(logp, k, dim=-1)
        self.steps.append((values, indices))
        return scores

    def per_sequence(
        self, sequences: Any, beam_indices: Any, eos: list[int], pad: int | None
    ) -> list[float | None]:
        """Mean log-probability per written token (end token included) of each sequence."""
        generated = sequences[:, sequences.shape[1] - len(self.steps) :].tolist()
        rows = beam_indices.tolist() if beam_indices is not None else None
        out: list[float | None] = []
        for n, tokens in enumerate(generated):
            total, count = 0.0, 0
            for t, token in enumerate(tokens):
                row = rows[n][t] if rows is not None else n
                if row < 0 or (rows is None and pad is not None and token == pad and count):
                    break
                value = self._value(t, row, token)
                if value is None:
                    total = float("nan")
                    break
                total += value
                count += 1
                if token in eos:
                    break
            out.append(total / count if count and not math.isnan(total) else None)
        return out

    def _value(self, step: int, row: int, token: int) -> float | None:
        values, indices = self.steps[step]
        hits = (indices[row] == token).nonzero()
        return float(values[row, hits[0, 0]]) if len(hits) else None
