"""One hop of a route as generation work: sentences cut into model inputs, batched, joined again.

Shared by the batch path (``Translator.translate_sentence_groups``, many texts at once)
and the streaming path (``streaming.TextStream``, one text wave by wave), so both cut,
cap and join every sentence the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from .engines.base import Engine, GenerationOptions, iter_batched, with_score
from .registry import Hop
from .text import count_letters, joiner_for, split_to_fit

__all__ = ["HopWork", "Pieces", "hop_warnings", "join_pieces", "options_for", "piece_limit"]

log = logging.getLogger(__name__)

_CAP_STEP = 16


def options_for(engine: Engine, beams: int | None) -> Callable[[int], GenerationOptions]:
    """Generation options of a batch, given its longest input in tokens."""

    def options(longest: int) -> GenerationOptions:
        # Translations rarely run past 1.5x the source length; the cap stops runaway loops.
        # Rounding up to a step makes the caps of different texts coincide, so batch
        # mode can share their batches (engines/grouping.py): a few tokens more headroom.
        longest = -(-longest // _CAP_STEP) * _CAP_STEP
        wanted = longest * 3 // 2 + 10
        return GenerationOptions(
            max_new_tokens=min(wanted, engine.max_output_tokens), num_beams=beams
        )

    return options


def join_pieces(
    sentences: Sequence[str], owners: Sequence[int], outputs: Sequence[str], language: str
) -> tuple[list[str], int]:
    """Each sentence's translation: its pieces' outputs joined, or the sentence itself.

    A sentence without pieces (no letters) stays as it is; one whose output is empty is kept
    untranslated and counted.

    Returns:
        The translated sentences, and how many came back empty.
    """
    joiner = joiner_for(language)
    parts: dict[int, list[str]] = {}
    for owner, output in zip(owners, outputs, strict=True):
        parts.setdefault(owner, []).append(output)
    result = []
    empty = 0
    for index, sentence in enumerate(sentences):
        if index not in parts:
            result.append(sentence)  # no letters: numbers and symbols stay as they are
            continue
        translated = joiner.join(p for p in parts[index] if p).strip()
        if not translated:
            empty += 1
            translated = sentence
        else:  # the translator's score travels with the text (the mean of a cut sentence's pieces)
            translated = with_score(translated, parts[index])
        result.append(translated)
    return result, empty


def hop_warnings(hop: Hop, too_long: int, empty: int, limit: int) -> list[str]:
    """What one hop degraded: sentences cut into pieces, outputs that came back empty."""
    warnings = []
    if too_long:
        warnings.append(
            f"{too_long} sentence(s) longer than the {limit} tokens the {hop.direction} model "
            "translates in one piece were translated in pieces and joined again"
        )
    if empty:
        warnings.append(
            f"the {hop.direction} model returned nothing for {empty} sentence(s); "
            "they are kept untranslated"
        )
    for warning in warnings:
        log.warning("%s", warning)
    return warnings


@dataclass(frozen=True)
class HopWork:
    """One hop's engine with what generating through it needs.

    Attributes:
        hop: the direction and model.
        engine: the model, behind the translation memory.
        prefix: the target token put before each input (``>>deu<< ``), or ''.
        options: generation options for a batch, given its longest input.
        batch_tokens: padded input tokens per batch.
    """

    hop: Hop
    engine: Engine
    prefix: str
    options: Callable[[int], GenerationOptions]
    batch_tokens: int

    @property
    def limit(self) -> int:
        """The longest piece, in tokens, one call translates (:func:`piece_limit`)."""
        return piece_limit(self.engine)

    def count(self, texts: Sequence[str]) -> list[int]:
        """Input tokens of each text, target token included."""
        return self.engine.count_tokens([self.prefix + t for t in texts])

    def plan(self, sentences: list[str]) -> Pieces:
        """``sentences`` as model inputs (long ones cut, letterless ones left out)."""
        return plan_pieces(sentences, self.count, self.limit)

    def batches(self, plan: Pieces) -> Iterator[tuple[list[int], list[str]]]:
        """The plan's pieces generated batch by batch: piece indices and their outputs."""
        texts = [self.prefix + piece for piece in plan.pieces]
        return iter_batched(self.engine, texts, self.options, self.batch_tokens, plan.lengths)


@dataclass(frozen=True)
class Pieces:
    """One text's sentences as model inputs: long ones cut, letterless ones left out.

    Attributes:
        pieces: the texts to generate for.
        owners: for each piece, the index of the sentence it belongs to.
        lengths: token count of each piece.
        too_long: how many sentences had to be cut.
    """

    pieces: list[str]
    owners: list[int]
    lengths: list[int]
    too_long: int


def piece_limit(engine: Engine) -> int:
    """The longest input, in tokens, that one model call may translate.

    The model's input limit, or less: the output of a piece is capped at 1.5 times its length
    plus 10 tokens (rounded up to a step), and that cap must fit the decoder's positions, or the
    end of a long piece's translation would be cut off.
    """
    room = (engine.max_output_tokens - 10) * 2 // 3 - _CAP_STEP
    return max(8, min(engine.max_input_tokens, room))


def plan_pieces(
    sentences: list[str], count: Callable[[Sequence[str]], list[int]], limit: int
) -> Pieces:
    todo = [i for i, s in enumerate(sentences) if count_letters(s) > 0]
    pieces: list[str] = []
    owners: list[int] = []
    lengths: list[int] = []
    too_long = 0
    for index, size in zip(todo, count([sentences[i] for i in todo]), strict=True):
        parts = (
            [sentences[index]] if size <= limit else split_to_fit(sentences[index], limit, count)
        )
        if len(parts) > 1:
            too_long += 1
        part_sizes = [size] if len(parts) == 1 else count(parts)
        pieces.extend(parts)
        owners.extend([index] * len(parts))
        lengths.extend(part_sizes)
    return Pieces(pieces, owners, lengths, too_long)
