"""Generation for several documents at once, with exactly the output each would get alone.

Batch mode puts the sentences of many documents into shared engine batches for throughput.
That must not change a single word: a document's translation has to be the same whether it was
run alone or next to others. Two things could change it:

- the generation options of a batch depend on its longest input (the length cap of
  ``Translator._options``), so a short sentence batched next to another document's long one
  would get a larger cap; and
- floating-point rounding could differ with the padding of a different batch.

The first is removed here: every text keeps the options that ``generate_batched`` gives it when
its own document is generated alone, and only texts with equal options share a batch. The
second does not occur on the CPU (checked by ``tests/test_batch_equal.py``); on a GPU in half
precision a batch's padding can move the last bit of a logit, so rare ties may differ there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .base import Engine, GenerationOptions, generate_batched

__all__ = ["generate_across"]


def generate_across(
    engine: Engine,
    texts: Sequence[str],
    options_for: Callable[[int], GenerationOptions],
    batch_tokens: int,
    lengths: Sequence[int],
    spans: Sequence[Sequence[int]],
    on_batch: Callable[[int], None] | None = None,
) -> list[str]:
    """Generate for the texts of several documents, batched across documents.

    Args:
        engine: the model to generate with.
        texts: the inputs of all documents, one document after the other.
        options_for: generation options for a batch, given its longest input in tokens.
        batch_tokens: padded input tokens allowed per batch.
        lengths: token counts of ``texts``.
        spans: the indices into ``texts`` of each document (or each wave of one, see
            :mod:`mtsum.waves`), ascending; together they hold every text once.
        on_batch: called after each batch with how many inputs it held (for progress).

    Returns:
        One output per input, in input order, equal to generating each document alone.
    """
    if len(spans) <= 1:
        return generate_batched(
            engine, texts, options_for, batch_tokens, lengths=lengths, on_batch=on_batch
        )
    groups: dict[GenerationOptions, list[int]] = {}
    for span in spans:
        own = _options_alone([lengths[i] for i in span], options_for, batch_tokens)
        for index, options in zip(span, own, strict=True):
            groups.setdefault(options, []).append(index)
    outputs = [""] * len(texts)
    for options, indices in groups.items():
        results = generate_batched(
            engine,
            [texts[i] for i in indices],
            _always(options),
            batch_tokens,
            lengths=[lengths[i] for i in indices],
            on_batch=on_batch,
        )
        for index, result in zip(indices, results, strict=True):
            outputs[index] = result
    return outputs


def _always(options: GenerationOptions) -> Callable[[int], GenerationOptions]:
    def fixed(longest: int) -> GenerationOptions:
        return options

    return fixed


def _options_alone(
    lengths: Sequence[int],
    options_for: Callable[[int], GenerationOptions],
    batch_tokens: int,
) -> list[GenerationOptions]:
    """The options each text gets when its document is generated alone.

    Rather than repeat how ``generate_batched`` forms its batches, ask it: run it with a
    stand-in engine that generates nothing and answers, for each text, which options its batch
    was given. No model is touched, and the answer stays right if the batching changes.
    """
    seen: list[GenerationOptions] = []

    class _Recorder:
        kind = "recorder"
        reference = "recorder"
        max_input_tokens = max(lengths, default=1)
        max_output_tokens = 1

        def count_tokens(self, texts: Sequence[str]) -> list[int]:
            return [lengths[int(t)] for t in texts]

        def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
            seen.append(options)
            return [str(len(seen) - 1)] * len(texts)

        def task_prefix(self, task: str) -> str:
            return ""

    answers = generate_batched(
        _Recorder(),
        [str(i) for i in range(len(lengths))],
        options_for,
        batch_tokens,
        lengths=lengths,
    )
    return [seen[int(answer)] for answer in answers]
