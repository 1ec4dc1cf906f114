"""The one interface both stages generate through: texts in, texts out, in token-bounded batches.

An engine wraps one loaded model with its tokenizer. Stages never see weights or torch; they
ask an engine to count tokens and to generate, and ``generate_batched`` turns any number of
inputs into length-sorted batches that fit the configured token budget.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..text import pack_batches

MODEL_BUILD_LOCK = threading.RLock()
"""Held while transformers builds a model (``from_pretrained``), by every engine and converter.

transformers 5 builds models under process-wide patches (the meta device context, patched
``torch.linspace``, weight-init and tie-weight switches), so two threads building different
models at once corrupt each other ("Cannot copy out of meta tensor"), seen under the 30-client
burst test. The store's per-model locks keep one model from loading twice; this lock keeps two
different models from being built at the same time. Generation does not take it.
"""

__all__ = [
    "Engine",
    "GenerationOptions",
    "Scored",
    "generate_batched",
    "iter_batched",
    "rescored",
    "score_of",
    "weakest",
    "with_score",
]


class Scored(str):
    """An output text that carries the translator's confidence in it.

    A ``str`` subclass so that every layer between the engine and the translator (batching,
    grouping, the translation memory) passes the score along unchanged without a second return
    value; any string operation returns a plain ``str``, so whoever transforms a text decides
    what its score becomes.

    Attributes:
        score: the mean log-probability per generated token (end token included) under the
            distribution the search chose from, or None when unknown.
    """

    score: float | None

    def __new__(cls, text: str, score: float | None) -> Scored:
        made = super().__new__(cls, text)
        made.score = score
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (Scored, (str(self), self.score))


def score_of(text: str) -> float | None:
    """The score ``text`` carries, or None for a plain string."""
    return text.score if isinstance(text, Scored) else None


@dataclass(frozen=True)
class GenerationOptions:
    """How long and how to search, per batch.

    Attributes:
        max_new_tokens: most tokens to write per input.
        min_new_tokens: fewest tokens to write per input.
        num_beams: beam width; None keeps the model's own setting.
    """

    max_new_tokens: int
    min_new_tokens: int = 0
    num_beams: int | None = None


class Engine(Protocol):
    """A loaded seq2seq model that turns texts into texts."""

    kind: str
    reference: str
    max_input_tokens: int
    max_output_tokens: int

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens each text takes as model input, special tokens included."""
        ...

    def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
        """One output text per input text, in the same order (one batch, as given)."""
        ...

    def task_prefix(self, task: str) -> str:
        """Text the model expects before each input for ``task`` (T5's ``summarize: ``), or ''."""
        ...


def with_score(text: str, pieces: list[str]) -> str:
    """``text`` carrying the mean score of its pieces (a sentence cut to fit the model is
    several), or plain when any piece has none (answered by the persistent memory)."""
    scores = [score_of(piece) for piece in pieces if piece]
    if not scores or any(score is None for score in scores):
        return text
    return Scored(text, sum(s for s in scores if s is not None) / len(scores))


def rescored(text: str, scored: str) -> str:
    """``text`` (a sentence with its terms restored) carrying ``scored``'s score."""
    score = score_of(scored)
    return text if score is None else Scored(text, score)


def weakest(outputs: list[str], inputs: list[str]) -> list[str]:
    """A pivot route is as sure as its least sure hop: each output carries the lower of its
    own score and its input's (the first hop's inputs carry none)."""
    result: list[str] = []
    for out, before in zip(outputs, inputs, strict=True):
        mine, theirs = score_of(out), score_of(before)
        lower = mine is not None and theirs is not None and theirs < mine
        result.append(Scored(out, theirs) if lower else out)
    return result


def generate_batched(
    engine: Engine,
    texts: Sequence[str],
    options_for: Callable[[int], GenerationOptions],
    batch_tokens: int,
    lengths: Sequence[int] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> list[str]:
    """Generate for many texts in length-sorted batches bounded by padded tokens.

    Args:
        engine: the model to generate with.
        texts: the inputs; each must already fit ``engine.max_input_tokens``.
        options_for: generation options for a batch, given its longest input in tokens.
        batch_tokens: padded input tokens allowed per batch.
        lengths: token counts of ``texts`` if the caller already has them.
        on_batch: called after each batch with how many inputs it held (for progress).

    Returns:
        One output per input, in input order.
    """
    outputs: list[str | None] = [None] * len(texts)
    for batch, results in iter_batched(engine, texts, options_for, batch_tokens, lengths):
        for index, result in zip(batch, results, strict=True):
            outputs[index] = result
        if on_batch is not None:
            on_batch(len(batch))
    return [out if out is not None else "" for out in outputs]


def iter_batched(
    engine: Engine,
    texts: Sequence[str],
    options_for: Callable[[int], GenerationOptions],
    batch_tokens: int,
    lengths: Sequence[int] | None = None,
) -> Iterator[tuple[list[int], list[str]]]:
    """:func:`generate_batched` one batch at a time: each batch's input indices and outputs.

    The engine is called only when the next batch is asked for, so a caller that stops
    iterating (a closed stream) stops the generation too.
    """
    if not texts:
        return
    sizes = list(lengths) if lengths is not None else engine.count_tokens(texts)
    for batch in pack_batches(sizes, batch_tokens):
        longest = max(sizes[i] for i in batch)
        yield batch, list(engine.generate([texts[i] for i in batch], options_for(longest)))
