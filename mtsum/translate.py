"""The translation stage: a document through a route of hops, sentence by sentence, nothing lost.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .checks import DetectFn, check_segments, flags_warning
from .engines.base import Engine, GenerationOptions, rescored, score_of, weakest, with_score
from .engines.grouping import generate_across
from .models import ModelStore
from .progress import ProgressFn
from .registry import Hop
from .results import Flag, Segment, Translation
from .settings import Settings
from .terms import Restored, TermSet, missing_detail
from .text import Document, count_letters, joiner_for, split_document, split_to_fit

__all__ = ["TranslationRun", "Translator"]

log = logging.getLogger(__name__)

_CAP_STEP = 16


@dataclass(frozen=True)
class TranslationRun:
    """A translation together with what the rest of the pipeline reuses.

    Attributes:
        translation: the public result.
        document: the source text's structure (paragraphs, lines, sentences).
        sentences: the sentence list in each language the route passed through, aligned
            one-to-one with ``document.sentences`` (source, pivot if any, target).
        terms: what the translation protected (the summary's translation protects it too).
    """

    translation: Translation
    document: Document
    sentences: dict[str, list[str]]
    terms: TermSet | None = None

    def with_text(self, text: str) -> TranslationRun:
        """The same run with ``translation.text`` replaced (by the caller's own text, say)."""
        return dataclasses.replace(
            self, translation=dataclasses.replace(self.translation, text=text)
        )


class Translator:
    """Translates documents and sentence lists along registry routes.

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

    def translate_document(
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

        ``check=False`` leaves the sentences unchecked (no ``flags``). ``profile``: the profile
        the caller asked for, reported in ``Translation.profile`` (by default the hops').
        ``terms`` protects glossary terms and spans (see :mod:`mtsum.terms`).
        """
        return self.translate_documents(
            [text], source, target, hops, progress, check=check, profile=profile, terms=terms
        )[0]

    def translate_documents(
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
        """Translate several documents along the same route, their sentences batched together.

        Each result equals what :meth:`translate_document` gives for that text alone.
        """
        if profile is None and hops:
            profile = hops[0].profile
        documents = [split_document(text, source) for text in texts]
        groups = [document.sentences for document in documents]
        translated = self._translate_groups(groups, source, hops, progress, terms)
        runs = []
        for text, document, (by_language, warnings, missing) in zip(
            texts, documents, translated, strict=True
        ):
            output = document.rebuild(by_language[target], target) if hops else text
            segments = tuple(
                Segment(source_text, str(out), score_of(out))
                for source_text, out in zip(document.sentences, by_language[target], strict=True)
            )
            flags = check_segments(segments, source, target, self.detect) if check and hops else ()
            flags = _with_term_flags(flags, missing if check else [])
            line = flags_warning(flags)
            if line:
                # DEBUG: the line is in the result's warnings; a REST list of 5,000 items
                # would otherwise write 5,000 log lines (the faces count them per request).
                log.debug("%s", line)
            translation = Translation(
                text=output,
                source=source,
                target=target,
                route=tuple(hop.direction for hop in hops),
                models=tuple(hop.entry.reference for hop in hops),
                profile=profile,
                segments=segments,
                flags=flags,
                warnings=(*warnings, line) if line else tuple(warnings),
            )
            runs.append(TranslationRun(translation, document, by_language, terms))
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
    ) -> list[tuple[dict[str, list[str]], list[str]]]:
        """:meth:`translate_sentences` for several documents at once, sharing engine batches.

        Returns:
            Per group, in order: its sentences in every language of the route, and its warnings.
        """
        translated = self._translate_groups(groups, source, hops, progress, None)
        return [(by_language, warnings) for by_language, warnings, _ in translated]

    def _translate_groups(
        self,
        groups: Sequence[list[str]],
        source: str,
        hops: Sequence[Hop],
        progress: ProgressFn | None,
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
        for number, hop in enumerate(hops, 1):
            hopped = [
                (weakest(sentences, before), hop_warnings)
                for (sentences, hop_warnings), before in zip(
                    self._hop(current, hop, progress, terms.memory_key if terms else ""),
                    current,
                    strict=True,
                )
            ]
            current = [sentences for sentences, _ in hopped]
            for index, (sentences, hop_warnings) in enumerate(hopped):
                by_language[index][hop.target] = sentences
                warnings[index].extend(hop_warnings)
                if terms is not None:
                    final = number == len(hops)
                    restored = terms.restore(sentences, protected[index], final=final)
                    by_language[index][hop.target] = [
                        rescored(r.text, out) for r, out in zip(restored, sentences, strict=True)
                    ]
                    if final:
                        missing[index] = _term_flags(restored)
        return list(zip(by_language, warnings, missing, strict=True))

    def _hop(
        self, groups: list[list[str]], hop: Hop, progress: ProgressFn | None, key: str = ""
    ) -> list[tuple[list[str], list[str]]]:
        loaded = self.store.engine(hop.entry, progress)
        context = self.store.memory_context(hop.entry, loaded) + (f"|{key}" if key else "")
        engine = self.store.memory.around(loaded, context)
        prefix = f"{hop.token} " if hop.token else ""

        def count(texts: Sequence[str]) -> list[int]:
            return engine.count_tokens([prefix + t for t in texts])

        limit = piece_limit(engine)
        plans = [_plan_pieces(sentences, count, limit) for sentences in groups]
        spans, start = [], 0
        for plan in plans:
            spans.append((start, start + len(plan.pieces)))
            start += len(plan.pieces)
        total, done = start, 0

        def on_batch(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(f"translating {hop.direction}", done, total)

        outputs = generate_across(
            engine,
            [prefix + piece for plan in plans for piece in plan.pieces],
            self._options(engine),
            self.settings.batch_tokens,
            lengths=[size for plan in plans for size in plan.lengths],
            spans=spans,
            on_batch=on_batch,
        )
        return [
            self._assemble(sentences, plan.owners, outputs[a:b], hop, plan.too_long, limit)
            for sentences, plan, (a, b) in zip(groups, plans, spans, strict=True)
        ]

    def _options(self, engine: Engine) -> Callable[[int], GenerationOptions]:
        beams = self.settings.num_beams

        def options(longest: int) -> GenerationOptions:
            # Translations rarely run past 1.5x the source length; the cap stops runaway loops.
            # Rounding up to a step makes the caps of different documents coincide, so batch
            # mode can share their batches (engines/grouping.py): a few tokens more headroom.
            longest = -(-longest // _CAP_STEP) * _CAP_STEP
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
            else:
                translated = with_score(translated, parts[index])
            result.append(translated)
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
        return result, warnings


def _term_flags(restored: Sequence[Restored]) -> list[Flag]:
    """A ``term`` flag for each span a model dropped, and a log line for the repairs."""
    repaired = sum(r.repaired for r in restored)
    if repaired:
        log.info("repaired %d placeholder(s) the model mangled", repaired)
    return [
        Flag(index, "term", missing_detail(span))
        for index, r in enumerate(restored)
        for span in r.missing
    ]


def _with_term_flags(flags: Sequence[Flag], terms: Sequence[Flag]) -> tuple[Flag, ...]:
    """The checks' flags and the ``term`` flags, ordered by sentence."""
    if not terms:
        return tuple(flags)
    return tuple(sorted((*flags, *terms), key=lambda flag: flag.sentence))


@dataclass(frozen=True)
class _Pieces:
    """One document's sentences as model inputs: long ones cut, letterless ones left out.

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


def _plan_pieces(
    sentences: list[str], count: Callable[[Sequence[str]], list[int]], limit: int
) -> _Pieces:
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
    return _Pieces(pieces, owners, lengths, too_long)
