"""One text translated wave by wave, each paragraph handed out the moment it is done.

This is the translation stage of ``Pipeline.stream`` and so of every one-text call
(``execute`` is ``stream`` run to the end). The text's sentences go to the engine in the
waves of :mod:`mtsum.waves`: the first paragraph (with a few short guests from later ones),
then ever larger groups of whole
paragraphs, each packed into length-sorted batches as before. On the route's last hop the
batches of a wave are generated one at a time, and after each the paragraphs whose every
sentence is back are released, in order. A pivot route runs each wave through all its hops
before the next wave starts, so the first paragraph does not wait for the whole first hop.

The engine runs only while the caller asks for the next paragraph: closing the generator
(``GeneratorExit``) stops the work before the next batch. Each batch also reports progress, so
a face whose progress callback raises stops it between batches.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from .checks import DetectFn, Lexicon, check_segments, flags_warning
from .engines.base import rescored, score_of, weakest
from .hops import HopWork, Pieces, hop_warnings, join_pieces
from .progress import ProgressFn
from .registry import Hop
from .results import Flag, Paragraph, Segment, Translation
from .terms import Restored, TermSet, missing_detail
from .text import SplitText
from .waves import Wave, paragraph_spans, plan_waves

__all__ = ["TextStream", "TranslationRun", "finish_run", "term_flags", "with_term_flags"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TranslationRun:
    """A translation together with what the rest of the pipeline reuses.

    Attributes:
        translation: the public result.
        parts: the source text's structure (paragraphs, lines, sentences).
        sentences: the sentence list in each language the route passed through, aligned
            one-to-one with ``parts.sentences`` (source, pivot if any, target).
        terms: what the translation protected (the summary's translation protects it too).
    """

    translation: Translation
    parts: SplitText
    sentences: dict[str, list[str]]
    terms: TermSet | None = None

    def with_text(self, text: str) -> TranslationRun:
        """The same run with ``translation.text`` replaced (by the caller's own text, say)."""
        return dataclasses.replace(
            self, translation=dataclasses.replace(self.translation, text=text)
        )


class TextStream:
    """The streamed translation of one text along one route.

    Args:
        text: the text as given (returned as is on an empty route).
        parts: ``text`` split into paragraphs, lines and sentences.
        source: the language of ``text``.
        hops: the route; empty when source equals target.
        hop_work: the generation work of a hop (``Translator.hop_work``).
        setup: the batch budget (``Settings.batch_tokens``), the language detector of the
            ``wrong_language`` check and the word list of the ``detached`` check (None leaves
            either out).
        profile: the profile reported in ``Translation.profile``.
        terms: what to protect (see :mod:`mtsum.terms`): placeholders before the first hop,
            restored after each.
    """

    def __init__(
        self,
        text: str,
        parts: SplitText,
        source: str,
        hops: Sequence[Hop],
        hop_work: Callable[[Hop], HopWork],
        setup: tuple[int, DetectFn | None, Lexicon | None],
        profile: str | None = None,
        terms: TermSet | None = None,
    ) -> None:
        self.hop_work = hop_work
        self.terms = terms
        # Each sentence with its protected spans swapped for placeholders (glossary terms).
        self.protected = terms.protect(parts.sentences) if terms is not None else []
        self.batch_tokens, self.detect, self.lexicon = setup
        self.profile = profile
        self.text = text
        self.parts = parts
        self.source = source
        self.hops = list(hops)
        self.target = self.hops[-1].target if self.hops else source
        self.spans = paragraph_spans(parts)
        self.sentences = parts.sentences
        self.by_language: dict[str, list[str]] = {source: list(self.sentences)}
        self.segments: list[Segment] = []
        self.flags: list[Flag] = []
        self.check = True
        # The last hop, by sentence index: its input, and its pieces' outputs once all are back.
        self.inputs: dict[int, str] = {}
        self.back: dict[int, list[str]] = {}
        self.released = 0  # paragraphs handed out so far

    def run(
        self, progress: ProgressFn | None = None, *, check: bool = True
    ) -> Iterator[Paragraph | TranslationRun]:
        """Yield each ``Paragraph`` in order, then the whole ``TranslationRun``.

        Args:
            progress: called after each batch (``translating fr-en``, done, total).
            check: False leaves the sentences unchecked (no flags).
        """
        self.check = check and bool(self.hops)
        if not self.hops:
            for index, (first, end) in enumerate(self.spans):
                yield self._release(index, self.sentences[first:end])
            run = finish_run(
                self.text, self.parts, self.by_language, [], self._checked(), [], self.profile
            )
            yield run
            return
        works = [self.hop_work(hop) for hop in self.hops]
        for hop in self.hops[:-1]:  # a pivot language's sentences, filled in by index
            self.by_language[hop.target] = [""] * len(self.sentences)
        self.by_language[self.target] = []  # the target's, paragraph by paragraph
        counts = [[0, 0] for _ in works]  # per hop: sentences cut, outputs empty
        progress_total = _Progress(progress, len(self.sentences))
        for wave in plan_waves(self.parts, self.batch_tokens):
            current = (
                [self.protected[i].text for i in wave]
                if self.protected
                else [self.sentences[i] for i in wave]
            )
            for work, count in zip(works[:-1], counts, strict=False):
                current = self._middle_hop(work, current, wave, count, progress_total)
            yield from self._last_hop(works[-1], current, wave, counts[-1], progress_total)
        warnings = [
            line
            for work, (too_long, empty) in zip(works, counts, strict=True)
            for line in hop_warnings(work.hop, too_long, empty, work.limit)
        ]
        run = finish_run(
            self.text,
            self.parts,
            self.by_language,
            self.hops,
            self._checked(),
            warnings,
            self.profile,
        )
        yield dataclasses.replace(run, terms=self.terms)

    def _checked(self) -> tuple[tuple[Segment, ...], tuple[Flag, ...]]:
        return tuple(self.segments), tuple(self.flags)

    def _middle_hop(
        self,
        work: HopWork,
        sentences: list[str],
        wave: Wave,
        count: list[int],
        progress: _Progress,
    ) -> list[str]:
        """A wave through a hop before the last: all of it, in length-sorted batches."""
        plan = work.plan(sentences)
        outputs = [""] * len(plan.pieces)
        progress.start_wave(work.hop, len(plan.pieces), len(sentences))
        for _ in _filled(work, plan, outputs, progress):
            pass
        joined, empty = join_pieces(sentences, plan.owners, outputs, work.hop.target)
        count[0] += plan.too_long
        count[1] += empty
        shown = joined
        if self.terms is not None:  # the pivot language reads the source's own terms
            protected = [self.protected[i] for i in wave]
            shown = [r.text for r in self.terms.restore(joined, protected, final=False)]
        pivot = self.by_language[work.hop.target]
        for index, sentence in zip(wave, shown, strict=True):
            pivot[index] = sentence
        return joined

    def _last_hop(
        self,
        work: HopWork,
        sentences: list[str],
        wave: Wave,
        count: list[int],
        progress: _Progress,
    ) -> Iterator[Paragraph]:
        """A wave through the last hop; after each batch, the paragraphs whose every sentence
        is back (in this wave or an earlier one: a guest of the first) are released, in order."""
        plan = work.plan(sentences)
        count[0] += plan.too_long
        outputs = [""] * len(plan.pieces)
        pieces: dict[int, list[int]] = {}  # a sentence of the wave -> its pieces
        for piece, owner in enumerate(plan.owners):
            pieces.setdefault(owner, []).append(piece)
        left = {owner: len(own) for owner, own in pieces.items()}
        for local, index in enumerate(wave):
            self.inputs[index] = sentences[local]
            if local not in pieces:  # nothing to generate (no letters): back already
                self.back[index] = []
        progress.start_wave(work.hop, len(plan.pieces), len(sentences))
        yield from self._ready(work, count)
        for batch in _filled(work, plan, outputs, progress):
            for piece in batch:
                owner = plan.owners[piece]
                left[owner] -= 1
                if not left[owner]:
                    self.back[wave[owner]] = [outputs[p] for p in pieces[owner]]
            yield from self._ready(work, count)

    def _ready(self, work: HopWork, count: list[int]) -> Iterator[Paragraph]:
        """The next paragraphs in order whose sentences are all back from the last hop."""
        while self.released < len(self.spans):
            first, end = self.spans[self.released]
            if any(index not in self.back for index in range(first, end)):
                return
            owners = [i - first for i in range(first, end) for _ in self.back[i]]
            outputs = [out for i in range(first, end) for out in self.back.pop(i)]
            inputs = [self.inputs.pop(i) for i in range(first, end)]
            joined, empty = join_pieces(inputs, owners, outputs, work.hop.target)
            count[1] += empty
            self.released += 1
            # A pivot route is as sure as its weakest hop (the inputs carry the hop before's).
            yield self._release(self.released - 1, weakest(joined, inputs), final=True)

    def _release(self, index: int, translated: list[str], *, final: bool = False) -> Paragraph:
        """Paragraph ``index`` with its translated sentences (terms restored), checked and
        recorded."""
        first, end = self.spans[index]
        missing: list[Flag] = []
        if final and self.terms is not None:
            restored = self.terms.restore(translated, self.protected[first:end], final=True)
            translated = [rescored(r.text, o) for r, o in zip(restored, translated, strict=True)]
            missing = term_flags(restored)
        segments = tuple(
            Segment(source, str(out), score_of(out))
            for source, out in zip(self.sentences[first:end], translated, strict=True)
        )
        flags: tuple[Flag, ...] = ()
        if self.check:
            found = check_segments(segments, self.source, self.target, self.detect, self.lexicon)
            found = with_term_flags(found, missing)
            flags = tuple(
                Flag(sentence=f.sentence + first, kind=f.kind, detail=f.detail) for f in found
            )
        if self.hops:
            self.by_language[self.target].extend(translated)
        self.segments.extend(segments)
        self.flags.extend(flags)
        text = SplitText((self.parts.paragraphs[index],)).rebuild(translated, self.target)
        return Paragraph(
            index=index,
            total=len(self.spans),
            text=text,
            first=first,
            segments=segments,
            flags=flags,
        )


class _Progress:
    """Progress per hop, in pieces: those of the waves begun so far, plus the sentences of the
    waves to come as an estimate (a wave's pieces are known only when it begins)."""

    def __init__(self, progress: ProgressFn | None, sentences: int) -> None:
        self.progress = progress
        self.sentences = sentences
        self.label = ""
        self.done: dict[str, int] = {}
        self.planned: dict[str, tuple[int, int]] = {}

    def start_wave(self, hop: Hop, pieces: int, sentences: int) -> None:
        self.label = f"translating {hop.direction}"
        planned, seen = self.planned.get(self.label, (0, 0))
        self.planned[self.label] = (planned + pieces, seen + sentences)

    def batch(self, size: int) -> None:
        done = self.done.get(self.label, 0) + size
        self.done[self.label] = done
        if self.progress is not None:
            planned, seen = self.planned[self.label]
            self.progress(self.label, done, max(done, planned + self.sentences - seen))


def _filled(
    work: HopWork, plan: Pieces, outputs: list[str], progress: _Progress
) -> Iterator[list[int]]:
    """Generate ``plan`` batch by batch into ``outputs`` (by piece index), counting progress;
    yields each batch's piece indices once their outputs are in (both hops' waves use it)."""
    for batch, results in work.batches(plan):
        for piece, output in zip(batch, results, strict=True):
            outputs[piece] = output
        progress.batch(len(batch))
        yield batch


def finish_run(
    text: str,
    parts: SplitText,
    by_language: dict[str, list[str]],
    hops: Sequence[Hop],
    checked: tuple[tuple[Segment, ...], tuple[Flag, ...]],
    warnings: Sequence[str],
    profile: str | None = None,
) -> TranslationRun:
    """The ``TranslationRun`` of a translated text: its text, route, segments, flags and
    warnings (``checked`` is the segments with their flags)."""
    segments, flags = checked
    source = next(iter(by_language))
    target = hops[-1].target if hops else source
    output = parts.rebuild(by_language[target], target) if hops else text
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
    return TranslationRun(translation, parts, by_language)


def term_flags(restored: Sequence[Restored]) -> list[Flag]:
    """A ``term`` flag for each span a model dropped, and a log line for the repairs."""
    repaired = sum(r.repaired for r in restored)
    if repaired:
        log.info("repaired %d placeholder(s) the model mangled", repaired)
    return [
        Flag(sentence=index, kind="term", detail=missing_detail(span))
        for index, r in enumerate(restored)
        for span in r.missing
    ]


def with_term_flags(flags: Sequence[Flag], terms: Sequence[Flag]) -> tuple[Flag, ...]:
    """The checks' flags and the ``term`` flags, ordered by sentence."""
    if not terms:
        return tuple(flags)
    return tuple(sorted((*flags, *terms), key=lambda flag: flag.sentence))
