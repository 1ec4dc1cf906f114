"""The translation stage: a document through a route of hops, sentence by sentence, nothing lost.

A route's hops are applied to the same list of sentences, so a pivot (fr -> en -> de) keeps
the sentence alignment and hands back the English in between for the summariser to reuse.
Every sentence comes out as exactly one sentence: a sentence too long for the model is cut into
pieces whose translations are joined again; a sentence without letters (a number, a dash) is
kept as it is; an empty model output keeps the source sentence. Each of these is a warning.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .engines.base import Engine, GenerationOptions, generate_batched
from .models import ModelStore
from .registry import Hop
from .results import Translation
from .settings import Settings
from .text import Document, count_letters, joiner_for, split_document, split_to_fit

__all__ = ["ProgressFn", "TranslationRun", "Translator"]

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]
"""Progress callback: ``(what, done, total)``."""


@dataclass(frozen=True)
class TranslationRun:
    """A translation together with what the rest of the pipeline reuses.

    Attributes:
        translation: the public result.
        document: the source text's structure (paragraphs, lines, sentences).
        sentences: the sentence list in each language the route passed through, aligned
            one-to-one with ``document.sentences`` (source, pivot if any, target).
    """

    translation: Translation
    document: Document
    sentences: dict[str, list[str]]


class Translator:
    """Translates documents and sentence lists along registry routes."""

    def __init__(self, store: ModelStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def translate_document(
        self,
        text: str,
        source: str,
        target: str,
        hops: Sequence[Hop],
        progress: ProgressFn | None = None,
    ) -> TranslationRun:
        """Translate ``text`` along ``hops``; an empty route returns the text unchanged."""
        document = split_document(text, source)
        sentences = document.sentences
        by_language, warnings = self.translate_sentences(sentences, source, hops, progress)
        output = document.rebuild(by_language[target], target) if hops else text
        translation = Translation(
            text=output,
            source=source,
            target=target,
            route=tuple(hop.direction for hop in hops),
            models=tuple(hop.entry.reference for hop in hops),
            segments=tuple(zip(sentences, by_language[target], strict=True)),
            warnings=tuple(warnings),
        )
        return TranslationRun(translation, document, by_language)

    def translate_sentences(
        self,
        sentences: list[str],
        source: str,
        hops: Sequence[Hop],
        progress: ProgressFn | None = None,
    ) -> tuple[dict[str, list[str]], list[str]]:
        """Translate aligned sentences hop by hop.

        Returns:
            The sentences in every language of the route (source included), and the warnings.
        """
        by_language = {source: list(sentences)}
        warnings: list[str] = []
        current = list(sentences)
        for hop in hops:
            current, hop_warnings = self._hop(current, hop, progress)
            by_language[hop.target] = current
            warnings.extend(hop_warnings)
        return by_language, warnings

    def _hop(
        self, sentences: list[str], hop: Hop, progress: ProgressFn | None
    ) -> tuple[list[str], list[str]]:
        engine = self.store.engine(hop.entry)
        prefix = f"{hop.token} " if hop.token else ""

        def count(texts: Sequence[str]) -> list[int]:
            return engine.count_tokens([prefix + t for t in texts])

        todo = [i for i, s in enumerate(sentences) if count_letters(s) > 0]
        limit = engine.max_input_tokens
        pieces: list[str] = []
        owners: list[int] = []
        lengths: list[int] = []
        too_long = 0
        for index, size in zip(todo, count([sentences[i] for i in todo]), strict=True):
            parts = (
                [sentences[index]]
                if size <= limit
                else split_to_fit(sentences[index], limit, count)
            )
            if len(parts) > 1:
                too_long += 1
            part_sizes = [size] if len(parts) == 1 else count(parts)
            pieces.extend(parts)
            owners.extend([index] * len(parts))
            lengths.extend(part_sizes)

        total, done = len(pieces), 0

        def on_batch(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(f"translating {hop.direction}", done, total)

        outputs = generate_batched(
            engine,
            [prefix + p for p in pieces],
            self._options(engine),
            self.settings.batch_tokens,
            lengths=lengths,
            on_batch=on_batch,
        )
        return self._assemble(sentences, owners, outputs, hop, too_long, limit)

    def _options(self, engine: Engine) -> Callable[[int], GenerationOptions]:
        beams = self.settings.num_beams

        def options(longest: int) -> GenerationOptions:
            # Translations rarely run past 1.5x the source length; the cap stops runaway loops.
            wanted = longest * 3 // 2 + 10
            return GenerationOptions(
                max_new_tokens=min(wanted, engine.max_output_tokens), num_beams=beams
            )

        return options

    def _assemble(
        self,
        sentences: list[str],
        owners: list[int],
        outputs: list[str],
        hop: Hop,
        too_long: int,
        limit: int,
    ) -> tuple[list[str], list[str]]:
        joiner = joiner_for(hop.target)
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
            result.append(translated)
        warnings = []
        if too_long:
            warnings.append(
                f"{too_long} sentence(s) longer than the {hop.direction} model's limit of {limit} "
                "tokens were translated in pieces and joined again"
            )
        if empty:
            warnings.append(
                f"the {hop.direction} model returned nothing for {empty} sentence(s); "
                "they are kept untranslated"
            )
        for warning in warnings:
            log.warning("%s", warning)
        return result, warnings
