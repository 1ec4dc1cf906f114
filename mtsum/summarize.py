"""The summarisation stage: abstractive (a seq2seq model, map-reduce over long text) or extractive.

Length is asked in words, the unit people think in; it is turned into tokens with the ratio the
model's tokenizer shows on this very text. A text longer than the model's window is cut on
sentence boundaries into chunks, each summarised, and the joined partial summaries summarised
again until one window holds them. The extractive method, which needs no model, lives in
:mod:`mtsum.extractive`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence

from .engines.base import Engine, GenerationOptions, generate_batched
from .models import ModelStore
from .progress import ProgressFn
from .registry import ModelEntry
from .settings import Settings
from .text import count_words, joiner_for, pack_chunks, split_to_fit

__all__ = ["Summarizer", "default_words"]

log = logging.getLogger(__name__)

_MIN_PARTIAL_WORDS = 20


def default_words(text_words: int) -> int:
    """A summary length that suits a text of ``text_words`` words: about 15%, 30 to 120 words."""
    return max(30, min(120, round(text_words * 0.15)))


class Summarizer:
    """Abstractive summaries with a registry model, chunked to fit its window."""

    def __init__(self, store: ModelStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def abstractive(
        self,
        entry: ModelEntry,
        sentences: list[str],
        language: str,
        words: int,
        progress: ProgressFn | None = None,
    ) -> tuple[str, int, list[str]]:
        """Summarise ``sentences`` (written in ``language``) in about ``words`` words.

        Returns:
            The summary, how many chunks the text was read in, and warnings.

        Raises:
            ModelUnavailableError: the summarisation model cannot be loaded.
        """
        joiner = joiner_for(language)
        text_words = count_words(joiner.join(sentences))
        if text_words <= words:
            return (
                joiner.join(sentences),
                1,
                [
                    f"the text ({text_words} words) is no longer than the summary asked for "
                    f"({words} words), so it is its own summary"
                ],
            )
        engine = self.store.engine(entry, progress)
        prefix = engine.task_prefix("summarization")

        def count(texts: Sequence[str]) -> list[int]:
            return engine.count_tokens([prefix + t for t in texts])

        window = engine.max_input_tokens
        units, split = _fit_sentences(sentences, window, count)
        warnings = []
        if split:
            warnings.append(
                f"{split} sentence(s) longer than the summariser's window of {window} tokens "
                "were read in pieces"
            )
        sizes = count(units)
        ratio = max(sum(sizes), 1) / max(text_words, 1)
        chunks = pack_chunks(sizes, window)
        first_level = len(chunks)
        rounds = 0
        # Each partial summary may use at most a third of the window, so at least two fit in the
        # next round's chunk: every round shrinks the text and the loop ends.
        partial_cap = max(8, window // 3)
        while len(chunks) > 1:
            rounds += 1
            texts = [joiner.join(units[i] for i in chunk) for chunk in chunks]
            chunk_tokens = [sum(sizes[i] for i in chunk) for chunk in chunks]
            partial_words = max(_MIN_PARTIAL_WORDS, min(words, text_words // (2 * len(chunks))))
            label = f"summarizing (round {rounds}, {len(chunks)} chunks)"
            partials = self._generate(
                engine, texts, partial_words, ratio, chunk_tokens, label, progress, partial_cap
            )
            units, _ = _fit_sentences([p for p in partials if p], window, count)
            if not units:
                break
            sizes = count(units)
            previous, chunks = len(chunks), pack_chunks(sizes, window)
            if len(chunks) >= previous:
                partial_cap = max(8, partial_cap // 2)
        if rounds:
            log.info("map-reduce summary: %d chunks, %d round(s)", first_level, rounds)
        final_text = joiner.join(units)
        needed = math.ceil(words * ratio)
        if needed > engine.max_output_tokens:
            warnings.append(
                f"the summariser writes at most {engine.max_output_tokens} tokens at once, about "
                f"{int(engine.max_output_tokens / ratio)} words; the summary is shorter than the "
                f"{words} words asked for"
            )
        summary = self._generate(
            engine, [final_text], words, ratio, [sum(sizes)], "summarizing", progress, None
        )[0]
        return summary.strip(), first_level, warnings

    def _generate(
        self,
        engine: Engine,
        texts: list[str],
        words: int,
        ratio: float,
        input_tokens: list[int],
        label: str,
        progress: ProgressFn | None,
        cap: int | None,
    ) -> list[str]:
        """Summaries of ``texts`` of about ``words`` words each, at most ``cap`` tokens."""
        prefix = engine.task_prefix("summarization")
        tokens = math.ceil(words * ratio)
        total, done = len(texts), 0

        def options(longest: int) -> GenerationOptions:
            ceiling = min(engine.max_output_tokens, cap or engine.max_output_tokens)
            maximum = max(1, min(math.ceil(tokens * 1.3) + 4, ceiling))
            minimum = min(int(tokens * 0.7), maximum)
            return GenerationOptions(
                max_new_tokens=maximum, min_new_tokens=minimum, num_beams=self.settings.num_beams
            )

        def on_batch(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(label, done, total)

        return generate_batched(
            engine,
            [prefix + t for t in texts],
            options,
            self.settings.batch_tokens,
            lengths=input_tokens,
            on_batch=on_batch,
        )


def _fit_sentences(
    sentences: list[str], window: int, count: Callable[[Sequence[str]], list[int]]
) -> tuple[list[str], int]:
    """Sentences with every one longer than ``window`` cut into pieces that fit."""
    sizes = count(sentences) if sentences else []
    units: list[str] = []
    split = 0
    for sentence, size in zip(sentences, sizes, strict=True):
        if size <= window:
            units.append(sentence)
        else:
            split += 1
            units.extend(split_to_fit(sentence, window, count))
    return units, split
