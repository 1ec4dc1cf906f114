"""The translator's confidence from a transformers ``generate`` call, at no cost per step.

transformers returns per-token scores only with ``output_scores=True``, which clones the whole
score matrix (beams x vocabulary, 58,101 for OPUS-MT) at every step; even a ``topk`` over it
per step reads the matrix once more. Each pass costs about as much as the search's own
``log_softmax`` (measured, 64 rows x 58,101 on 2 cores: log_softmax 31 ms, topk 39 ms, clone
29 ms against 227 ms for the output projection alone), so over 10% of a step: far above the
3% the issue allows. So the recorder reads nothing of the matrix during the step. It keeps a
reference to the step's scores (the search makes a new tensor for the next step and never
writes into this one) and, at the next step, when the running sequences show which token each
row took and from which parent row (matched by their prefix within one batch item), it gathers
those few values into a running sum per row. The end token of a finished hypothesis is never
seen at a next step, so each step also gathers every row's end-token score (one value a row).
Hand-written because transformers has no cheaper way to return the scores of what it wrote.
The recorder only reads the scores; it changes no token.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ScoreRecorder"]


class ScoreRecorder:
    """A last logits processor that sums, per running row, the log-probability of its tokens."""

    def __init__(self, num_beams: int, eos: list[int]) -> None:
        self.beams = num_beams
        self.eos = eos
        self.prompt = 0
        self._last: Any = None  # the previous step's scores, (rows, vocabulary)
        self._last_norm: Any = None  # greedy search: their log-normaliser per row
        self._ids: list[Any] = []  # per step: the running rows' tokens so far
        self._sums: list[Any] = []  # per step: each row's summed log-probability so far
        self._ends: list[Any] = []  # per step: each row's sum if it ended there, per end token

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import torch

        if not self._ids:
            self.prompt = input_ids.shape[1]
            total = torch.zeros(input_ids.shape[0], dtype=torch.float32, device=scores.device)
        else:
            parent = self._parents(input_ids)
            taken = self._logp(parent, input_ids[:, -1])
            total = self._sums[-1][parent] + taken
        # Beam search hands over log-probabilities already; greedy search raw logits, whose
        # normaliser is one pass over the row (greedy rows are few: one per sentence).
        norm = None if self.beams > 1 else torch.logsumexp(scores.float(), dim=-1)
        ends = scores[:, self.eos].float()  # (rows, end tokens)
        self._ends.append(total[:, None] + (ends if norm is None else ends - norm[:, None]))
        self._ids.append(input_ids.clone())
        self._sums.append(total)
        self._last, self._last_norm = scores, norm
        return scores

    def _logp(self, rows: Any, tokens: Any) -> Any:
        value = self._last[rows, tokens].float()
        return value if self._last_norm is None else value - self._last_norm[rows]

    def _parents(self, input_ids: Any) -> Any:
        """Each row's row at the previous step: the one whose tokens its prefix repeats."""
        import torch

        before = self._ids[-1]
        rows, length = before.shape
        if self.beams == 1:
            return torch.arange(rows, device=input_ids.device)
        groups = rows // self.beams
        now = input_ids[:, :-1].reshape(groups, self.beams, 1, length)
        then = before.reshape(groups, 1, self.beams, length)
        same = (now == then).all(dim=-1)  # (groups, beams, beams): now's row, then's row
        first = same.to(torch.int8).argmax(dim=-1)
        offset = torch.arange(groups, device=input_ids.device)[:, None] * self.beams
        return (first + offset).reshape(-1)

    def per_sequence(self, sequences: Any, pad: int | None) -> list[float | None]:
        """Mean log-probability per written token (end token included) of each sequence, or
        None where its tokens are not among the recorded rows."""
        out: list[float | None] = []
        for n, row in enumerate(sequences.tolist()):
            written = row[self.prompt :]
            ended = next((i for i, t in enumerate(written) if t in self.eos), None)
            if ended is not None:
                written = written[: ended + 1]
            elif pad is not None:
                while written and written[-1] == pad:
                    written.pop()
            out.append(self._mean(n, written))
        return out

    def _mean(self, group: int, written: list[int]) -> float | None:
        if not written or len(written) > len(self._ids):
            return None
        step = len(written) - 1
        prefix = self._ids[step][group * self.beams : (group + 1) * self.beams]
        wanted = self._ids[0].new_tensor(written[:-1])
        match = (prefix[:, self.prompt :] == wanted).all(dim=-1).nonzero()
        if not len(match):
            return None
        row = group * self.beams + int(match[0, 0])
        if written[-1] in self.eos:
            total = float(self._ends[step][row, self.eos.index(written[-1])])
        elif step == len(self._ids) - 1:  # cut at the most tokens: the last step's scores
            total = float(self._sums[step][row] + self._logp(row, written[-1]))
        else:
            return None
        return total / len(written)
