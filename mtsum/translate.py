"""The translation stage: a text through a route of hops, sentence by sentence, nothing lost.

A route's hops are applied to the same list of sentences, so a pivot (fr -> en -> de) keeps
the sentence alignment and hands back the English in between for the summariser to reuse.
Every sentence comes out as exactly one sentence: a sentence too long for the model is cut into
pieces whose translations are joined again; a sentence without letters (a number, a dash) is
kept as it is; an empty model output keeps the source sentence. Each of these is a warning.
Every translated sentence is then checked (:mod:`mtsum.checks`) and the doubtful ones flagged.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator, Sequence

from .checks import DetectFn, Lexicons, check_segments
from .engines.base import Engine, GenerationOptions, rescored, score_of, weakest
from .engines.grouping import generate_across
from .hops import HopWork, hop_warnings, join_pieces, options_for
from .models import ModelStore
from .progress import ProgressFn
from .registry import Hop
from .results import Flag, Paragraph, Segment
from .settings import Settings
from .streaming import TextStream, TranslationRun, finish_run, term_flags, with_term_flags
from .terms import TermSet
from .text import split_text
from .waves import Wave, plan_waves

__all__ = ["TranslationRun", "Translator", "finish_run"]

log = logging.getLogger(__name__)


class Translator:
    """Translates texts and sentence lists along registry routes.

    Args:
        store: where the engines come from.
        settings: batch size, beams and the like.
        detect: the language detector the ``wrong_language`` check uses; without one that
            check is left out.
    """

    def __init__(
        self, store: ModelStore, settings: Settings, detect: DetectFn | None = None
    ) -> None:
        self.store = store
        self.settings = settings
        self.detect = detect
        self.lexicons = Lexicons(settings.lexicons)

    def translate_text(
        self,
        text: str,
        source: str,
        target: str,
        hops: Sequence[Hop],
        progress: ProgressFn | None = None,
        *,
        check: bool = True,
        profile: str | None = None,
        terms: TermSet | None = None,
    ) -> TranslationRun:
        """Translate ``text`` along ``hops``; an empty route returns the text unchanged.

        :meth:`stream_text` run to the end. ``check=False`` leaves the sentences
        unchecked (no ``flags``). ``profile``: the profile the caller asked for, reported in
        ``Translation.profile`` (by default the hops'). ``terms`` protects glossary terms and
        spans (see :mod:`mtsum.terms`).
        """
        *_, run = self.stream_text(
            text, source, target, hops, progress, check=check, profile=profile, terms=terms
        )
        if not isinstance(run, TranslationRun):  # pragma: no cover - the stream ends so
            raise RuntimeError("stream_text ended without its TranslationRun")
        return run

    def stream_text(
        self,
        text: str,
        source: str,
        target: str,
        hops: Sequence[Hop],
        progress: ProgressFn | None = None,
        *,
        check: bool = True,
        profile: str | None = None,
        terms: TermSet | None = None,
    ) -> Iterator[Paragraph | TranslationRun]:
        """Each paragraph of ``text`` translated, in order, as soon as it and those before it
        are done; then the whole ``TranslationRun`` (see :mod:`mtsum.streaming`)."""
        parts = split_text(text, source)
        stream = TextStream(
            text,
            parts,
            source,
            hops,
            lambda hop: self.hop_work(hop, progress, terms.memory_key if terms else ""),
            (
                self.settings.batch_tokens,
                self.detect,
                self.lexicons.find(source, target) if check and hops else None,
            ),
            profile if profile is not None or not hops else hops[0].profile,
            terms if hops else None,
        )
        return stream.run(progress, check=check)

    def translate_texts(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        hops: Sequence[Hop],
        progress: ProgressFn | None = None,
        *,
        check: bool = True,
        profile: str | None = None,
        terms: TermSet | None = None,
    ) -> list[TranslationRun]:
        """Translate several texts along the same route, their sentences batched together.

        Each result equals what :meth:`translate_text` gives for that text alone: every
        sentence keeps the generation options its own text's waves give it
        (:mod:`mtsum.waves`).
        """
        if profile is None and hops:
            profile = hops[0].profile
        if len(texts) == 1:
            return [
                self.translate_text(
                    *(texts[0], source, target, hops, progress),
                    check=check,
                    profile=profile,
                    terms=terms,
                )
            ]
        splits = [split_text(text, source) for text in texts]
        groups = [parts.sentences for parts in splits]
        waves = [plan_waves(parts, self.settings.batch_tokens) for parts in splits]
        translated = self._translate_groups(groups, source, hops, progress, waves, terms)
        lexicon = self.lexicons.find(source, target) if check and hops else None
        runs = []
        for text, parts, (by_language, warnings, missing) in zip(
            texts, splits, translated, strict=True
        ):
            segments = tuple(
                Segment(source_text, str(out), score_of(out))
                for source_text, out in zip(parts.sentences, by_language[target], strict=True)
            )
            flags = (
                check_segments(segments, source, target, self.detect, lexicon)
                if check and hops
                else ()
            )
            flags = with_term_flags(flags, missing if check else [])
            checked = (segments, flags)
            run = finish_run(text, parts, by_language, hops, checked, warnings, profile)
            runs.append(dataclasses.replace(run, terms=terms))
        return runs

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
        return self.translate_sentence_groups([sentences], source, hops, progress)[0]

    def translate_sentence_groups(
        self,
        groups: Sequence[list[str]],
        source: str,
        hops: Sequence[Hop],
        progress: ProgressFn | None = None,
        waves: Sequence[Sequence[Wave]] | None = None,
    ) -> list[tuple[dict[str, list[str]], list[str]]]:
        """:meth:`translate_sentences` for several texts at once, sharing engine batches.

        Args:
            waves: per group, its waves (each its sentences' indices); each sentence gets
                the generation options its wave alone would give it. One wave per group when
                omitted.

        Returns:
            Per group, in order: its sentences in every language of the route, and its warnings.
        """
        translated = self._translate_groups(groups, source, hops, progress, waves, None)
        return [(by_language, warnings) for by_language, warnings, _ in translated]

    def _translate_groups(
        self,
        groups: Sequence[list[str]],
        source: str,
        hops: Sequence[Hop],
        progress: ProgressFn | None,
        waves: Sequence[Sequence[Wave]] | None,
        terms: TermSet | None,
    ) -> list[tuple[dict[str, list[str]], list[str], list[Flag]]]:
        """Hop by hop; with ``terms``, protected before the first hop and restored after each
        (the source text in a pivot language, the target terms after the last hop).

        Returns:
            Per group: its sentences by language, its warnings, and its ``term`` flags.
        """
        by_language = [{source: list(sentences)} for sentences in groups]
        warnings: list[list[str]] = [[] for _ in groups]
        missing: list[list[Flag]] = [[] for _ in groups]
        protected = [terms.protect(s) if terms and hops else [] for s in groups]
        current = [
            [p.text for p in ps] if ps else list(s) for s, ps in zip(groups, protected, strict=True)
        ]
        cuts = list(waves) if waves is not None else [[list(range(len(g)))] for g in groups]
        key = terms.memory_key if terms else ""
        for number, hop in enumerate(hops, 1):
            hopped = [
                (weakest(sentences, before), notes)  # a pivot is as sure as its weakest hop
                for (sentences, notes), before in zip(
                    self._hop(current, hop, progress, cuts, key), current, strict=True
                )
            ]
            current = [sentences for sentences, _ in hopped]
            for index, (sentences, notes) in enumerate(hopped):
                by_language[index][hop.target] = sentences
                warnings[index].extend(notes)
                if terms is not None:
                    final = number == len(hops)
                    restored = terms.restore(sentences, protected[index], final=final)
                    by_language[index][hop.target] = [
                        rescored(r.text, out) for r, out in zip(restored, sentences, strict=True)
                    ]
                    if final:
                        missing[index] = term_flags(restored)
        return list(zip(by_language, warnings, missing, strict=True))

    def hop_work(self, hop: Hop, progress: ProgressFn | None, key: str = "") -> HopWork:
        """What one hop generates with: its engine (behind the memory, whose entries ``key``
        sets apart: a request's protected terms), limit and options."""
        loaded = self.store.engine(hop.entry, progress)
        context = self.store.memory_context(hop.entry, loaded) + (f"|{key}" if key else "")
        engine = self.store.memory.around(loaded, context)
        prefix = f"{hop.token} " if hop.token else ""
        return HopWork(hop, engine, prefix, self._options(engine), self.settings.batch_tokens)

    def _hop(
        self,
        groups: list[list[str]],
        hop: Hop,
        progress: ProgressFn | None,
        waves: Sequence[Sequence[Wave]],
        key: str = "",
    ) -> list[tuple[list[str], list[str]]]:
        work = self.hop_work(hop, progress, key)
        plans = [work.plan(sentences) for sentences in groups]
        spans: list[list[int]] = []  # each wave's pieces, as indices into all the pieces
        start = 0
        for plan, cuts in zip(plans, waves, strict=True):
            wave_of = {index: number for number, wave in enumerate(cuts) for index in wave}
            own: list[list[int]] = [[] for _ in cuts]
            for piece, owner in enumerate(plan.owners):
                own[wave_of[owner]].append(start + piece)
            spans.extend(own)
            start += len(plan.pieces)
        total, done = start, 0

        def on_batch(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(f"translating {hop.direction}", done, total)

        outputs = generate_across(
            work.engine,
            [work.prefix + piece for plan in plans for piece in plan.pieces],
            work.options,
            work.batch_tokens,
            lengths=[size for plan in plans for size in plan.lengths],
            spans=spans,
            on_batch=on_batch,
        )
        results, start = [], 0
        for sentences, plan in zip(groups, plans, strict=True):
            end = start + len(plan.pieces)
            joined, empty = join_pieces(sentences, plan.owners, outputs[start:end], hop.target)
            results.append((joined, hop_warnings(hop, plan.too_long, empty, work.limit)))
            start = end
        return results

    def _options(self, engine: Engine) -> Callable[[int], GenerationOptions]:
        return options_for(engine, self.settings.num_beams)
