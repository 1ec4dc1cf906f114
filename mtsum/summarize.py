"""The summary stage, whole: the language to summarise in, extractive or abstractive, the fallback
from abstractive to extractive (announced in the warnings), and the translation back to the target.

Length is asked in words, the unit people think in; it is turned into tokens with the ratio the
model's tokenizer shows on this very text. A text longer than the model's window is cut on
sentence boundaries into chunks, each summarised, and the joined partial summaries summarised
again until one window holds them. The extractive ranking, which needs no model, lives in
:mod:`mtsum.extractive`; this module turns the chosen sentences into the summary text.

The summariser works in a language it has a model for: the target when it has one, else a
language the text already passed through (the English of a pivot route), else any language the
source can be routed to and back from the target. The stage returns one :class:`Summary`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import replace

from .checks import review_summary
from .engines.base import Engine, GenerationOptions, generate_batched
from .errors import ModelUnavailableError
from .models import ModelStore
from .progress import ProgressFn
from .registry import Hop, ModelEntry, Registry
from .request import Request
from .results import Summary
from .settings import Settings
from .text import (
    count_words,
    join_excerpts,
    joiner_for,
    pack_chunks,
    split_text,
    split_to_fit,
)
from .translate import TranslationRun, Translator

__all__ = ["Summarizer", "default_words"]

log = logging.getLogger(__name__)

_MIN_PARTIAL_WORDS = 20


def default_words(text_words: int) -> int:
    """A summary length that suits a text of ``text_words`` words: about 15%, 30 to 120 words."""
    return max(30, min(120, round(text_words * 0.15)))


class Summarizer:
    """The summary stage: a translated text in, its ``Summary`` in the target language out.

    Args:
        store: where the summarisation models come from.
        settings: beams and batch sizes.
        translator: translates the text into the summary language and the summary back.
        registry: the model registry, asked for when first needed (it is read lazily).
    """

    def __init__(
        self,
        store: ModelStore,
        settings: Settings,
        translator: Translator,
        registry: Callable[[], Registry],
    ) -> None:
        self.store = store
        self.settings = settings
        self.translator = translator
        self._registry = registry

    def summarize(
        self, run: TranslationRun, request: Request, progress: ProgressFn | None = None
    ) -> Summary:
        """The summary of ``run``'s text in its target language, about ``request.words`` words,
        by ``request.method``.

        ``words`` ``None`` chooses from the text's length (:func:`default_words`). An
        abstractive summary whose model cannot be loaded falls back to the extractive method,
        with a warning that says why.

        Raises:
            UnsupportedLanguageError: no route leads from the summary language to the target.
        """
        words, method = request.words, request.method
        if method == "extractive":
            return self.extractive(run, words)
        try:
            text_words = count_words(" ".join(run.parts.sentences))
            return self._abstractive_summary(
                run, words or default_words(text_words), progress, asked=words is not None
            )
        except ModelUnavailableError as exc:
            log.warning("abstractive summary unavailable, falling back to extractive: %s", exc)
            named = f" ({exc.name})" if exc.name else ""
            note = (
                f"abstractive summary{named} unavailable ({exc}); used the extractive method "
                "instead"
            )
            return self.extractive(run, words, (note,))

    def extractive(
        self, run: TranslationRun, words: int | None, warnings: tuple[str, ...] = ()
    ) -> Summary:
        """The key source sentences, taken from the translation (no model at all).

        ``words`` ``None``: the extractive method's own default length (a few sentences).
        """
        from .extractive import extract_parts  # numpy, only when asked for

        target = run.translation.target
        chosen = extract_parts(run.parts, words, run.translation.source)
        output = run.sentences[target]
        picked = tuple(output[i] for i in chosen.sentences)
        text = join_excerpts(picked, target)
        return Summary(
            text=text,
            language=target,
            method="extractive",
            words=count_words(text),
            sentences=picked,
            sources=tuple((i,) for i in chosen.sentences),
            warnings=(*warnings, *chosen.notes),
        )

    def _abstractive_summary(
        self, run: TranslationRun, words: int, progress: ProgressFn | None, *, asked: bool
    ) -> Summary:
        source, target = run.translation.source, run.translation.target
        language, entry = self._language(run)
        warnings: list[str] = []
        sentences = run.sentences.get(language)
        if sentences is None:
            # The text has not passed through this language yet: translate it there once.
            hops = self._route(run, source, language)
            by_language, extra = self.translator.translate_sentences(
                run.parts.sentences, source, hops, progress
            )
            sentences = by_language[language]
            warnings.extend(f"summary input: {w}" for w in extra)
        summary = self.abstractive(entry, sentences, language, words, progress, asked=asked)
        warnings.extend(summary.warnings)
        text = summary.text
        shown = tuple(split_text(text, language).sentences)
        # Sources and unsupported facts are judged in the summary language, against the text
        # the summariser read; the translation back keeps the sentence numbering.
        review = review_summary(shown, sentences, language)
        if language != target:
            hops = self._route(run, language, target)
            # The glossary applies to the summary too: a pivot language's sentences (which the
            # summariser read) hold the source terms, which this translation turns into the
            # target terms.
            terms = run.terms
            if terms is not None:
                terms = replace(terms, source_spaced=joiner_for(language) == " ")
            back = self.translator.translate_text(
                text, language, target, hops, progress, check=False, terms=terms
            )
            text = back.translation.text
            shown = tuple(segment.text for segment in back.translation.segments)
            warnings.extend(f"summary translation: {w}" for w in back.translation.warnings)
        return Summary(
            text=text,
            language=target,
            method="abstractive",
            words=count_words(text),
            chunks=summary.chunks,
            sentences=shown,
            sources=review.sources,
            flags=review.flags,
            warnings=(*warnings, *review.warnings),
        )

    def _route(self, run: TranslationRun, source: str, target: str) -> list[Hop]:
        """A route with the models of the profile that translated ``run`` (if any did)."""
        profile = run.translation.profile
        if profile is None:
            return self._registry().route(source, target)
        return self._registry().route(source, target, profile)

    def _language(self, run: TranslationRun) -> tuple[str, ModelEntry]:
        """Where to summarise: the target if it has a model, else a language the text already
        passed through, else any language with a model that the source can be routed to."""
        registry = self._registry()
        target = run.translation.target
        preferred = [target, *[lang for lang in run.sentences if lang != target]]
        for language in preferred:
            entry = registry.summarizer(language)
            if entry is not None:
                return language, entry
        source = run.translation.source
        for language, entry in sorted(registry.summarization.items()):
            if registry.can_route(source, language) and registry.can_route(language, target):
                return language, entry
        raise ModelUnavailableError(
            "(none)", f"the registry has no summarization model usable for {target!r}"
        )

    def abstractive(
        self,
        entry: ModelEntry,
        sentences: list[str],
        language: str,
        words: int,
        progress: ProgressFn | None = None,
        *,
        asked: bool = True,
    ) -> Summary:
        """Summarise ``sentences`` (written in ``language``) in about ``words`` words;
        ``asked``: whether the caller chose ``words`` (not the default), for the warnings.

        Returns:
            The summary in ``language``; ``chunks`` says how many pieces the text was read in.

        Raises:
            ModelUnavailableError: the summarisation model cannot be loaded.
        """
        joiner = joiner_for(language)
        text_words = count_words(joiner.join(sentences))
        if text_words <= words:
            length = "the summary asked for" if asked else "a summary of it would be"
            note = (
                f"the text ({text_words} words) is no longer than {length} ({words} words), so "
                "it is its own summary"
            )
            return _abstractive(joiner.join(sentences), language, warnings=(note,))
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
        first_level = len(pack_chunks(sizes, window))
        units, sizes = self._reduce(
            engine, units, sizes, joiner, words, text_words, ratio, count, progress
        )
        final_text = joiner.join(units)
        if math.ceil(words * ratio) > engine.max_output_tokens:
            wanted = "asked for" if asked else "usual for a text of this length"
            warnings.append(
                f"the summariser writes at most {engine.max_output_tokens} tokens at once, about "
                f"{int(engine.max_output_tokens / ratio)} words; the summary is shorter than the "
                f"{words} words {wanted}"
            )
        summary = self._generate(
            engine, [final_text], words, ratio, [sum(sizes)], "summarizing", progress, None
        )[0]
        return _abstractive(summary.strip(), language, chunks=first_level, warnings=tuple(warnings))

    def _reduce(
        self,
        engine: Engine,
        units: list[str],
        sizes: list[int],
        joiner: str,
        words: int,
        text_words: int,
        ratio: float,
        count: Callable[[Sequence[str]], list[int]],
        progress: ProgressFn | None,
    ) -> tuple[list[str], list[int]]:
        """Map-reduce: chunks of ``units`` summarised, round after round, until one window holds
        them; returns the remaining units and their token sizes."""
        window = engine.max_input_tokens
        chunks = pack_chunks(sizes, window)
        first_level, rounds = len(chunks), 0
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
        return units, sizes

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


def _abstractive(
    text: str, language: str, *, chunks: int = 1, warnings: tuple[str, ...] = ()
) -> Summary:
    """An abstractive ``Summary`` of ``text`` in ``language``, its words counted."""
    return Summary(
        text=text,
        language=language,
        method="abstractive",
        words=count_words(text),
        chunks=chunks,
        warnings=warnings,
    )
