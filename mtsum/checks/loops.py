"""Repetition loops: the commonest failure of a seq2seq model ("codigo codigo codigo ...").

A model stuck in a loop writes the same piece again and again, either glued together
("analyseranalyser...") or as words ("ko ko ko"), or keeps returning to one phrase. Three
measures, each cheap and linear in the text: a character unit repeated back to back, a word
n-gram repeated back to back, and a word n-gram that recurs through the sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["Loop", "longest_loop"]

# A unit of up to 40 characters repeated back to back: longer units are whole clauses, whose
# repetition the n-gram measures below see; the bound keeps the search linear.
_MAX_UNIT_CHARS = 40
# Three copies in a row: two happen in real text ("very very", "Pago Pago"), three hardly ever.
LOOP_MIN_REPEATS = 3
# A glued loop must span at least this many characters, so "www", "Aaah" or "hahaha" in real
# text do not count; the random test models' loops ("èèèèèè", "umumumum") are longer.
LOOP_MIN_CHARS = 6
_GLUED = re.compile(rf"(.{{1,{_MAX_UNIT_CHARS}}}?)\1{{{LOOP_MIN_REPEATS - 1},}}", re.DOTALL)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words per n-gram for "keeps returning to one phrase": three words together recurring three
# times in one sentence is a loop; pairs ("of the") recur in long sentences of real text.
RECURRING_NGRAM = 3
RECURRING_MIN_COUNT = 3
_MAX_WORD_NGRAM = 4


@dataclass(frozen=True)
class Loop:
    """The strongest repetition found in a text: what repeats and how many times."""

    unit: str
    repeats: int
    back_to_back: bool

    def describe(self) -> str:
        how = "times in a row" if self.back_to_back else "times"
        return f'"{self.unit.strip()}" {self.repeats} {how}'


def longest_loop(text: str) -> Loop | None:
    """The repetition of ``text`` with the most copies, or None when it has none."""
    found = [_glued(text), *_word_loops([w.casefold() for w in _WORD.findall(text)])]
    loops = [loop for loop in found if loop is not None]
    return max(loops, key=lambda loop: loop.repeats) if loops else None


def _glued(text: str) -> Loop | None:
    best: Loop | None = None
    for match in _GLUED.finditer(text):
        unit = match.group(1)
        if len(match.group(0)) < LOOP_MIN_CHARS or not any(ch.isalpha() for ch in unit):
            continue
        repeats = len(match.group(0)) // len(unit)
        if best is None or repeats > best.repeats:
            best = Loop(unit, repeats, True)
    return best


def _word_loops(words: list[str]) -> list[Loop | None]:
    return [_back_to_back(words), _recurring(words)]


def _back_to_back(words: list[str]) -> Loop | None:
    best: Loop | None = None
    for size in range(1, _MAX_WORD_NGRAM + 1):
        index = 0
        while index + size <= len(words):
            unit = words[index : index + size]
            repeats = 1
            while words[index + repeats * size : index + (repeats + 1) * size] == unit:
                repeats += 1
            if repeats >= LOOP_MIN_REPEATS and (best is None or repeats > best.repeats):
                best = Loop(" ".join(unit), repeats, True)
            index += max(1, (repeats - 1) * size)
    return best


def _recurring(words: list[str]) -> Loop | None:
    grams = Counter(
        tuple(words[i : i + RECURRING_NGRAM]) for i in range(len(words) - RECURRING_NGRAM + 1)
    )
    if not grams:
        return None
    gram, count = grams.most_common(1)[0]
    if count < RECURRING_MIN_COUNT:
        return None
    return Loop(" ".join(gram), count, False)
