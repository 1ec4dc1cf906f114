"""Extractive summaries: the key sentences of a text, in any language, with no model.

News (and most expository text) states what matters first and then elaborates, so a sentence
is worth picking when what follows it keeps coming back to it. This is PacSum's directed
centrality (Zheng & Lapata, 2019) over hashed TF-IDF vectors: a sentence scores by its
similarity to the sentences after it, less its similarity to those before it (a later sentence
that repeats an earlier one, such as a picture caption restating the lead, scores low). It needs
only word (or, in scripts without spaces, character-pair) statistics, so it works in any language.

Kept apart from the abstractive stage so that numpy is imported only when an extractive summary
is asked for, not by ``import mtsum``.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .text import SplitText, count_words, joiner_for, word_terms

__all__ = ["Extract", "default_extract_words", "extract", "extract_parts", "extractive_indices"]

_TERM = re.compile(r"[^\W\d_]+", re.UNICODE)
_ENDS_SENTENCE = re.compile(r"[.!?…。！？」』\"'”’»)\]]\s*$")
_HASH_DIMENSIONS = 4096
# Directed centrality compares every sentence with every other; beyond this many sentences the
# text is ranked block by block so that memory stays bounded (a 100,000-character text of short
# lines has tens of thousands of sentences, and the full similarity matrix would take gigabytes).
BLOCK_SENTENCES = 1000
# PacSum's weight on the similarity to earlier sentences (later ones weigh +1). On the CNN/DM
# dev set (97 articles, 60 words, before the lead prior) -1 gave ROUGE-1/2 42.2/19.2, 0 gave
# 41.4/18.9 and -2 gave 42.1/19.1.
BACKWARD_WEIGHT = -1.0
# A sentence whose cosine similarity to one already chosen passes this says the same again
# (dev set: 0.4 and 0.5 scored 42.6/19.6, 0.6 and no check 42.5/19.6).
REDUNDANT_SIMILARITY = 0.5
# Centrality is divided by (position + 1) ** LEAD_PRIOR: news says what matters first. On the
# CNN/DM dev set (60 words) 0.5 gave ROUGE-1/2 42.6/19.6; 0 gave 42.1/19.2, 0.25 42.4/19.4 and
# 1 42.2/19.4.
LEAD_PRIOR = 0.5
# The default length: news highlights run three or four sentences (about 60 words) whatever the
# article's length, so DEFAULT_WORDS up to LONG_TEXT_WORDS, then growing with the fourth root of
# the length (120 words at 13,000); a short text gets SHORT_TEXT_SHARE of its words at most
# (0.3 scored 42.3/19.2 on the dev set, whose shortest articles have 100-190 words).
# On the dev set (articles of 100-540 words) a flat 60 scored 42.6/19.6; 55 41.1/17.8,
# 65 42.1/19.2, and 60 scaled by each article's length ** 0.2 42.1/18.9 (the highlights'
# length does not follow the article's).
DEFAULT_WORDS = 60
LONG_TEXT_WORDS = 800
LONG_TEXT_GROWTH = 0.25
SHORT_TEXT_SHARE = 0.5
DEFAULT_WORDS_RANGE = (25, 120)
# How far a summary may run short of or past the length rather than drop a sentence: as asked
# (``words``) within 10%; the default length is itself a guess and bends 20% (0.8-1.2 scored
# 42.6/19.6 on the dev set, 0.9-1.1 40.9/17.8, 0.75-1.25 42.3/19.1, 0.8-1.3 42.5/19.5).
_ASKED_WINDOW = (0.9, 1.1)
_DEFAULT_WINDOW = (0.8, 1.2)
# Added to every centrality so that a sentence sharing no word with the rest ranks by position.
_FLOOR = 1e-3
# A first line without sentence-ending punctuation and at most this many words is taken as a
# headline, byline or dateline (front matter): it is not spent as a summary sentence.
FRONT_MATTER_WORDS = 20


@dataclass(frozen=True)
class Extract:
    """An extractive summary.

    Attributes:
        text: the chosen sentences, in reading order, joined as the language writes them.
        sentences: the chosen sentences' indices, 0-based and ascending, into the flat sentence
            list that was ranked. For :func:`extract_parts` that is ``parts.sentences``:
            the :func:`mtsum.text.split_paragraphs` paragraphs, their lines, and each line's
            sentences from :func:`mtsum.text.split_sentences`, the same list that translation
            segments are aligned with, so ``summary.sources`` can name them.
        notes: anything that bent the rules (for ``warnings``).
    """

    text: str
    sentences: tuple[int, ...]
    notes: tuple[str, ...] = ()


def default_extract_words(text_words: int) -> int:
    """The default extractive length for a text of ``text_words`` words (grows slowly with it)."""
    low, high = DEFAULT_WORDS_RANGE
    grown: float = DEFAULT_WORDS * max(1.0, text_words / LONG_TEXT_WORDS) ** LONG_TEXT_GROWTH
    return max(low, min(high, round(grown), round(text_words * SHORT_TEXT_SHARE)))


def extract_parts(
    parts: SplitText, words: int | None, language: str, *, headline: bool = False
) -> Extract:
    """The key sentences of a text taken apart.

    Args:
        parts: the text as :func:`mtsum.text.split_text` took it apart.
        words: about how many words the summary should have; ``None`` for the default length.
        language: ISO 639-1 code of the text (only to join the sentences).
        headline: whether leading front matter (a headline, byline or dateline) may be picked.
    """
    sentences = parts.sentences
    front = 0 if headline else _front_matter(parts)
    return extract(sentences, words, language, skip=front)


def extract(
    sentences: Sequence[str], words: int | None, language: str, *, skip: int = 0
) -> Extract:
    """The key sentences of a flat sentence list; the first ``skip`` are never picked."""
    indices, notes = _choose(sentences, words, skip)
    text = joiner_for(language).join(sentences[i] for i in indices)
    return Extract(text, tuple(indices), tuple(notes))


def extractive_indices(
    sentences: Sequence[str], words: int | None, language: str
) -> tuple[list[int], list[str]]:
    """Indices (ascending) of the key sentences, about ``words`` words in all, and notes."""
    del language  # the ranking is the same in every language
    return _choose(sentences, words, 0)


def _front_matter(parts: SplitText) -> int:
    """How many leading sentences are front matter: short lines that do not end a sentence."""
    count = 0
    for paragraph in parts.paragraphs:
        for line in paragraph:
            text = " ".join(line)
            if len(line) > 1 or count_words(text) > FRONT_MATTER_WORDS:
                return count
            if _ENDS_SENTENCE.search(text):
                return count
            count += 1
    return 0  # the text is all short lines: nothing to skip


def _choose(sentences: Sequence[str], words: int | None, skip: int) -> tuple[list[int], list[str]]:
    """Indices of the key sentences (``skip`` leading ones never), in reading order, and notes."""
    n = len(sentences)
    if n == 0:
        return [], []
    sizes = [count_words(s) for s in sentences[skip:]]
    if not any(sizes):  # nothing but front matter has words: it is the text
        skip, sizes = 0, [count_words(s) for s in sentences]
    candidates = sentences[skip:]
    budget = words or default_extract_words(sum(sizes))
    notes = []
    if len(candidates) > BLOCK_SENTENCES:
        notes.append(
            f"the text has {n} sentences, so the extractive summary ranked them in blocks of "
            f"{BLOCK_SENTENCES} (each sentence compared with those of its own block)"
        )
    scores, blocks = _scores(candidates)
    order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))

    def vector(index: int) -> np.ndarray:
        return blocks[index // BLOCK_SENTENCES].vector(index % BLOCK_SENTENCES)

    window = _ASKED_WINDOW if words else _DEFAULT_WINDOW
    chosen = _select(order, sizes, vector, budget * window[0], budget * window[1])
    total = sum(sizes[i] for i in chosen)
    if len(chosen) == 1 and total > budget * 1.5:
        wanted = "asked for" if words else "usual for a text of this length"
        notes.append(
            f"the key sentence alone has {total} words, more than the {budget} {wanted}; it is "
            "kept whole rather than cut"
        )
    return sorted(skip + i for i in chosen), notes


def _select(
    order: list[int],
    sizes: list[int],
    vector: Callable[[int], np.ndarray],
    least: float,
    most: float,
) -> list[int]:
    """Best first, whole sentences while they fit, none that repeats one already chosen."""
    chosen: list[int] = []
    picked: list[np.ndarray] = []
    repeats: list[int] = []
    total = 0
    for index in order:
        if chosen and total + sizes[index] > most:
            continue
        unit = vector(index)
        if picked and max(float(v @ unit) for v in picked) > REDUNDANT_SIMILARITY:
            repeats.append(index)
            continue
        chosen.append(index)
        picked.append(unit)
        total += sizes[index]
        if total >= least:
            return chosen
    # A text that keeps saying the same thing still gets the length asked for.
    for index in repeats:
        if total >= least:
            break
        if total + sizes[index] <= most:
            chosen.append(index)
            total += sizes[index]
    return chosen


@dataclass(frozen=True)
class _Block:
    """One block's unit TF-IDF vectors over only the hashed terms it uses (``columns``)."""

    columns: np.ndarray
    vectors: np.ndarray

    def vector(self, row: int) -> np.ndarray:
        full = np.zeros(_HASH_DIMENSIONS, dtype=np.float32)
        full[self.columns] = self.vectors[row]
        return full


def _scores(sentences: Sequence[str]) -> tuple[np.ndarray, list[_Block]]:
    """Directed centrality of every sentence, block by block (ties go to the earlier one)."""
    n = len(sentences)
    parts, blocks = [], []
    for start in range(0, n, BLOCK_SENTENCES):
        counts = _counts(sentences[start : start + BLOCK_SENTENCES])
        columns = np.flatnonzero(counts.any(axis=0))
        # Only the terms in use: the product below then costs what the text has, not 4096.
        counts = counts[:, columns]
        document_frequency = (counts > 0).sum(axis=0)
        idf = (np.log((1.0 + len(counts)) / (1.0 + document_frequency)) + 1.0).astype(np.float32)
        vectors = _unit(counts, idf)
        similarity = vectors @ vectors.T
        forward = np.triu(similarity, 1).sum(axis=1)
        backward = np.tril(similarity, -1).sum(axis=1)
        centrality = np.maximum(forward + BACKWARD_WEIGHT * backward, 0.0)
        # Blocks are compared on one scale: each block's best sentence scores 1.
        top = centrality.max()
        centrality = (centrality / top if top > 0 else centrality) + _FLOOR
        positions = np.arange(start, start + len(counts)) + 1.0
        parts.append(centrality / positions**LEAD_PRIOR)
        blocks.append(_Block(columns, vectors))
    scores: np.ndarray = np.concatenate(parts) - np.arange(n) * 1e-9
    return scores, blocks


def _terms(sentence: str) -> list[str]:
    return word_terms(_TERM.findall(sentence.lower()))


def _counts(sentences: Sequence[str]) -> np.ndarray:
    """Term counts per sentence, terms hashed into a fixed number of dimensions."""
    counts = np.zeros((len(sentences), _HASH_DIMENSIONS), dtype=np.float32)
    for row, sentence in enumerate(sentences):
        for term in _terms(sentence):
            counts[row, zlib.crc32(term.encode("utf-8")) % _HASH_DIMENSIONS] += 1.0
    return counts


def _unit(counts: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """Unit TF-IDF vectors with sublinear term frequency (``counts`` is reused)."""
    vectors = np.log1p(counts, out=counts) * idf
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: np.ndarray = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return unit
