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

__all__ = ["Loop", "echoes", "longest_loop"]

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
        # U+FFFD: a model writing undecodable pieces over and over ("� � � �") loops too.
        if len(match.group(0)) < LOOP_MIN_CHARS or not any(
            ch.isalpha() or ch == "\ufffd" for ch in unit
        ):
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


# A short repeat: the same phrase said twice with nothing or only a joining word between the
# copies ("the beach and the beach", "Liability Liability Layer", "from the chaff, but from the
# chaff"). Real text says a phrase twice only for emphasis, which its source then does too
# ("very, very"), so the translation check compares the two texts' counts. Measured on the dev
# half of the Guerreiro et al. (2023) de->en set (bench/trust.py): a phrase of two or more words
# or one word of at least ECHO_WORD_MIN_CHARS letters catches 5 of 5 oscillatory
# hallucinations ("double/hulp/hulp" needs 4) and flags 0 of 160 correct translations; 3
# letters would let in "had had", "the the"-style slips of real text.
ECHO_WORD_MIN_CHARS = 4
# Longest phrase compared (words); longer repeats are also three-word loops above.
_ECHO_MAX_WORDS = 8
# What may stand between the two copies, besides punctuation: one joining word.
ECHO_JOINERS = frozenset(
    (  # noqa: SIM905 (a list of words reads better as words)
        "and or but nor und oder aber sowie et ou mais y o e i ma pero en maar og eller "
        "и или а но ve veya ja tai"
    ).split()
)
# A phrase of two or more words (one of them of ECHO_WORD_MIN_CHARS letters or more) may also
# have one short word of at most this many letters between its copies ("the meeting point of the
# meeting point", "a pool in a pool"). Measured as rules of a sentence alone (bench/trust.py
# data, dev half, and 2,133 sentences of the FRANK articles as natural English): no new echo in
# the articles, the Guerreiro references or its correct translations; any one word between
# found 14 more in the articles ("young people; I believe young people"), so it stays short.
ECHO_GAP_WORD_MAX_CHARS = 3
# One word written twice without a space ("hulphulp", "LiabilityLiability"): a unit of
# ECHO_WORD_MIN_CHARS letters or more doubled inside a word. Not one word of the dev data (the
# 2,133 FRANK article sentences, the Guerreiro references, sources and outputs, the Xu and MQM
# lines) has that shape; shorter units do ("murmur", "tomtom").
_DOUBLED = re.compile(rf"([^\W\d_]{{{ECHO_WORD_MIN_CHARS},}})\1")
# A word this long followed by itself with an ending is one word said in two forms (German
# "Pferdeliebhaber und Pferdeliebhaberinnen", gendered pairs), in a source only.
ECHO_FORM_MIN_CHARS = 5
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]", re.UNICODE)


def echoes(text: str, loose: bool = False) -> list[str]:
    """Phrases that ``text`` says twice in a row (only punctuation or a joining word between, or
    nothing: "hulphulp"), each once, case-folded: ``["the beach"]`` for "the beach and the beach".

    Args:
        text: one sentence.
        loose: also count a long word followed by a longer form of itself
            ("Pferdeliebhaber und Pferdeliebhaberinnen"), and one word with a short word between
            ("die Besten der Besten"): a source that says so much is faithfully translated by a
            repeat ("horse lovers and horse lovers", "the best of the best").
    """
    tokens = [t.casefold() for t in _TOKEN.findall(text)]
    words = [(i, t) for i, t in enumerate(tokens) if t[0].isalnum()]
    found: list[str] = []
    taken = -1
    for start in range(len(words)):
        if words[start][0] <= taken:
            continue
        for size in range(min(_ECHO_MAX_WORDS, (len(words) - start) // 2), 0, -1):
            unit = [w for _, w in words[start : start + size]]
            if sum(map(len, unit)) < ECHO_WORD_MIN_CHARS or (size == 1 and unit[0].isdigit()):
                continue
            after = _next_copy(words, start + size, unit, loose)
            if after is None or (size == 1 and not _ends_item(words, after, tokens)):
                continue
            found.append(" ".join(unit))
            taken = words[after + size - 1][0]
            break
    return found + [m.group(1) for _, w in words if (m := _DOUBLED.fullmatch(w))]


def _ends_item(words: list[tuple[int, str]], at: int, tokens: list[str]) -> bool:
    """Whether one repeated word is a loop rather than a list's items meeting: glued to the
    first copy ("Liability Liability"), or a copy that ends its item ("hulp/hulp.", "cook,
    cook,", "the sauna, sauna and"), unlike "billiard table, table football"."""
    glued = words[at - 1][0] == words[at][0] - 1
    follows = words[at][0] + 1
    if glued or follows >= len(tokens):
        return True
    return not tokens[follows][0].isalnum() or tokens[follows] in ECHO_JOINERS


def _next_copy(words: list[tuple[int, str]], at: int, unit: list[str], loose: bool) -> int | None:
    """Where the copy of ``unit`` starts after words[at-1], allowing one joining word (or, for
    a phrase with a long word, one short word: ECHO_GAP_WORD_MAX_CHARS)."""
    # A source (``loose``) may say one word twice so too ("die Besten der Besten").
    phrase = loose or (len(unit) > 1 and max(map(len, unit)) >= ECHO_WORD_MIN_CHARS)
    for skip in (0, 1):
        begin = at + skip
        if skip and (at >= len(words) or not _may_join(words[at][1], phrase)):
            return None
        copy = [w for _, w in words[begin : begin + len(unit)]]
        if copy == unit or (loose and len(unit) == 1 and _longer_form(unit[0], copy)):
            return begin
    return None


def _may_join(word: str, phrase: bool) -> bool:
    return word in ECHO_JOINERS or (phrase and len(word) <= ECHO_GAP_WORD_MAX_CHARS)


def _longer_form(word: str, copy: list[str]) -> bool:
    return len(word) >= ECHO_FORM_MIN_CHARS and bool(copy) and copy[0].startswith(word)
