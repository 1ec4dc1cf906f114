"""Waves: the order in which a text's sentences are translated, so the first paragraph comes first.

A streamed translation should show its first paragraph in a fraction of the whole time, yet
cost no more than one that packs every sentence into length-sorted batches at once. So the
sentences go to the engine in waves: the first wave is the first paragraph, filled up with a few
"guests", short sentences of later paragraphs that ride in its one small batch; each later
wave is whole paragraphs (less the guests already done), at least ``WAVE_GROWTH`` times as long
as everything before it and never shorter than ``MIN_WAVE_BATCHES`` full batches, so that
within a wave the sentences are packed and length-sorted as before and only a few batches (one
per wave) run less than full. A 9-paragraph article is two waves (its first paragraph with its
guests, then the rest); 60 paragraphs are three.

Why guests: the first paragraph alone is often one or two sentences, a batch of one or two rows
that keeps the engine's other workers idle for as many decoding steps as a full batch takes,
while its sentences would have ridden in a full batch almost for free. A guest is no longer (in
characters) than the first paragraph's longest sentence, so the first batch decodes no more
steps, and the rows it adds are taken out of later, fuller batches.

Every face translates a text in these waves, streamed or not (``execute`` is ``stream``
run to the end), and batch mode gives each text the generation options it gets in its own
waves, so a text's translation is the same on every path.
"""

from __future__ import annotations

from collections.abc import Sequence

from .text import SplitText, count_letters

__all__ = ["Wave", "paragraph_spans", "plan_waves"]

# A wave: the indices of the sentences it translates, ascending.
Wave = list[int]

# Later waves grow geometrically: wave k+1 holds at least four times the characters of waves
# 0..k together, so a text of n batches runs in about log4(n) + 2 waves. Every wave ends in
# a batch that runs less than full and sorts its sentences only among its own, so fewer waves
# cost less. Measured on the 60-paragraph text of ``python -m bench.stream`` (full-size OPUS-MT
# on CTranslate2, forced output lengths, CPU seconds of one run each, interleaved): growth 2
# (waves of 2, 45, 96, 96 sentences) 32.7 s, growth 4 (2, 45, 192) 28.7 s, one wave 28.1 s;
# counted in forced output tokens per batch row, growth 2 asked for 1.13x the decoding of one
# wave, growth 4 1.06x (1.03x at 250 paragraphs). Growth 4 keeps the second wave, and so the
# second paragraph, as early as growth 2 did; MIN_WAVE_BATCHES 4 instead saved as much but
# doubled the second wave.
WAVE_GROWTH = 4
# A later wave holds at least this many full batches, so a short text is two waves.
MIN_WAVE_BATCHES = 2
# Characters per Marian/BART token in European prose (SentencePiece), to size waves without
# tokenising: the wave plan must not depend on the engine, or batch mode could not repeat it.
CHARS_PER_TOKEN = 4
# The first wave is filled with guests up to this many sentences. Two workers (the CTranslate2
# default) run a batch as two halves at once, so a one-sentence first batch idles one of them
# for as many steps as the sentence takes. Measured on the 9-paragraph text of
# ``python -m bench.stream`` (its first paragraph is a one-sentence title), CPU seconds
# streamed / one wave, 5 interleaved rounds under load 2-2.5: no guests 1.057, up to 2
# sentences 0.978, 4 0.986, 6 1.094 (the first batch grows slower than it saves); first
# paragraph 0.13 s, 0.11 s, 0.15 s, 0.29 s. On a quiet machine with 4: 0.983x one wave in
# wall time (was 1.177x without guests), 60 paragraphs 1.065x (was 1.078x).
FIRST_WAVE_SENTENCES = 4


def paragraph_spans(parts: SplitText) -> list[tuple[int, int]]:
    """``(first, end)`` of each paragraph's sentences in ``parts.sentences``."""
    spans, start = [], 0
    for paragraph in parts.paragraphs:
        size = sum(len(line) for line in paragraph)
        spans.append((start, start + size))
        start += size
    return spans


def plan_waves(parts: SplitText, batch_tokens: int) -> list[Wave]:
    """The waves of ``parts``: each the ascending indices of the sentences it translates.

    Args:
        parts: the split source text.
        batch_tokens: the engine batch budget (``Settings.batch_tokens``).

    Returns:
        Waves covering every sentence exactly once: the first is the first paragraph and its
        guests; each later one is a run of whole paragraphs less the guests. One paragraph is
        one wave.
    """
    spans = paragraph_spans(parts)
    if len(spans) <= 1:
        return [list(range(spans[0][1]))] if spans else []
    sentences = parts.sentences
    sizes = [sum(len(sentences[i]) for i in range(a, b)) for a, b in spans]
    least = MIN_WAVE_BATCHES * batch_tokens * CHARS_PER_TOKEN
    ranges = [spans[0]]
    done = sizes[0]
    start, held = 1, 0
    for index in range(1, len(spans)):
        held += sizes[index]
        if held >= max(least, WAVE_GROWTH * done) and index + 1 < len(spans):
            ranges.append((spans[start][0], spans[index][1]))
            done += held
            start, held = index + 1, 0
    ranges.append((spans[start][0], spans[-1][1]))
    guests = _guests(sentences, spans[0])
    waves = [list(range(*ranges[0])) + guests]
    taken = set(guests)
    for first, end in ranges[1:]:
        wave = [i for i in range(first, end) if i not in taken]
        if wave:
            waves.append(wave)
    return waves


def _guests(sentences: Sequence[str], first: tuple[int, int]) -> list[int]:
    """Sentences of later paragraphs to fill the first wave with: up to
    ``FIRST_WAVE_SENTENCES`` in all, none longer than the first paragraph's longest, the
    longest of those first (they would cost most in a later batch); ascending."""
    a, b = first
    room = FIRST_WAVE_SENTENCES - (b - a)
    if room <= 0:
        return []
    longest = max(len(sentences[i]) for i in range(a, b))
    fitting = [
        i
        for i in range(b, len(sentences))
        if len(sentences[i]) <= longest and count_letters(sentences[i]) > 0
    ]
    fitting.sort(key=lambda i: -len(sentences[i]))
    return sorted(fitting[:room])
