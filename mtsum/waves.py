"""Waves: the order in which a text's paragraphs are translated, so the first comes first.

A streamed translation should show its first paragraph in a fraction of the whole time, yet
cost no more than one that packs every sentence into length-sorted batches at once. So the
sentences go to the engine in waves of whole paragraphs: the first wave is the first paragraph
alone (one small batch, back at once); each later wave is at least ``WAVE_GROWTH`` times as
long as everything before it, and never shorter than ``MIN_WAVE_BATCHES`` full batches, so
that within a wave the sentences are packed and length-sorted as before and only a few
batches (one per wave) run less than full. A 9-paragraph article is two waves (its first
paragraph, then the rest); 60 paragraphs are three.

Every face translates a text in these waves, streamed or not (``execute`` is ``stream``
run to the end), and batch mode gives each text the generation options it gets in its own
waves, so a text's translation is the same on every path.
"""

from __future__ import annotations

from .text import SplitText

__all__ = ["paragraph_spans", "plan_waves"]

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


def paragraph_spans(parts: SplitText) -> list[tuple[int, int]]:
    """``(first, end)`` of each paragraph's sentences in ``parts.sentences``."""
    spans, start = [], 0
    for paragraph in parts.paragraphs:
        size = sum(len(line) for line in paragraph)
        spans.append((start, start + size))
        start += size
    return spans


def plan_waves(parts: SplitText, batch_tokens: int) -> list[tuple[int, int]]:
    """The waves of ``parts``: ``(first, end)`` sentence indices, whole paragraphs each.

    Args:
        parts: the split source text.
        batch_tokens: the engine batch budget (``Settings.batch_tokens``).

    Returns:
        Consecutive ranges covering every sentence, in order; one range for one paragraph.
    """
    spans = paragraph_spans(parts)
    if len(spans) <= 1:
        return [(0, spans[0][1])] if spans else []
    sentences = parts.sentences
    sizes = [sum(len(sentences[i]) for i in range(a, b)) for a, b in spans]
    least = MIN_WAVE_BATCHES * batch_tokens * CHARS_PER_TOKEN
    waves = [spans[0]]
    done = sizes[0]
    start, held = 1, 0
    for index in range(1, len(spans)):
        held += sizes[index]
        if held >= max(least, WAVE_GROWTH * done) and index + 1 < len(spans):
            waves.append((spans[start][0], spans[index][1]))
            done += held
            start, held = index + 1, 0
    waves.append((spans[start][0], spans[-1][1]))
    return waves
