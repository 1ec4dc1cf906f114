"""Extractive summaries: the most central sentences of a text, in any language, with no model.

TextRank over hashed TF-IDF vectors. Kept apart from the abstractive stage so that numpy is
imported only when an extractive summary is asked for, not by ``import mtsum``.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

from .text import UNSPACED_CHAR, count_words

__all__ = ["extractive_indices"]

_TERM = re.compile(r"[^\W\d_]+", re.UNICODE)
_HASH_DIMENSIONS = 4096
_DAMPING = 0.85
# TextRank compares every sentence with every other; beyond this many sentences the text is
# ranked block by block so that memory stays bounded (a 100,000-character text of short lines
# has tens of thousands of sentences, and the full similarity matrix would take gigabytes).
BLOCK_SENTENCES = 1000


def extractive_indices(
    sentences: Sequence[str], words: int, language: str
) -> tuple[list[int], list[str]]:
    """Indices (in reading order) of the most central sentences, about ``words`` words in all.

    TextRank: sentences are nodes, cosine similarity of their TF-IDF vectors is the edge
    weight, PageRank gives centrality. Terms are words, or character pairs in scripts without
    spaces, hashed into a fixed number of dimensions so memory stays bounded.

    Returns:
        The chosen indices, and notes on anything that bent the rules (for ``warnings``).
    """
    n = len(sentences)
    if n == 0:
        return [], []
    notes = []
    if n > BLOCK_SENTENCES:
        notes.append(
            f"the text has {n} sentences, so the extractive summary ranked them in blocks of "
            f"{BLOCK_SENTENCES} (each sentence compared with those of its own block)"
        )
    scores = _scores(sentences)
    order = sorted(range(n), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    total = 0
    for index in order:
        size = count_words(sentences[index])
        if chosen and total + size > words * 1.1:
            continue
        chosen.append(index)
        total += size
        if total >= words * 0.9:
            break
    if len(chosen) == 1 and total > words * 1.5:
        notes.append(
            f"the most central sentence alone has {total} words, more than the {words} asked "
            "for; it is kept whole rather than cut"
        )
    return sorted(chosen), notes


def _scores(sentences: Sequence[str]) -> np.ndarray:
    """Centrality of every sentence, block by block, comparable across blocks."""
    n = len(sentences)
    if n <= 2:
        return np.linspace(1.0, 0.5, n)
    parts = []
    for start in range(0, n, BLOCK_SENTENCES):
        block = sentences[start : start + BLOCK_SENTENCES]
        ranks = _textrank(block) if len(block) > 2 else np.full(len(block), 1.0 / len(block))
        # PageRank scores average 1/len(block); scaling makes every block average 1.
        parts.append(ranks * len(block))
    # Ties (e.g. no shared words at all) go to the earlier sentence, the news "lead".
    scores: np.ndarray = np.concatenate(parts) - np.arange(n) * 1e-9
    return scores


def _terms(sentence: str) -> list[str]:
    terms: list[str] = []
    for token in _TERM.findall(sentence.lower()):
        if UNSPACED_CHAR.search(token):
            terms.extend(token[i : i + 2] for i in range(max(1, len(token) - 1)))
        else:
            terms.append(token)
    return terms


def _textrank(sentences: Sequence[str]) -> np.ndarray:
    n = len(sentences)
    counts = np.zeros((n, _HASH_DIMENSIONS), dtype=np.float32)
    for row, sentence in enumerate(sentences):
        for term in _terms(sentence):
            counts[row, zlib.crc32(term.encode("utf-8")) % _HASH_DIMENSIONS] += 1.0
    document_frequency = (counts > 0).sum(axis=0)
    idf = np.log((1.0 + n) / (1.0 + document_frequency)) + 1.0
    vectors = counts * idf
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, 0.0)
    row_sums = similarity.sum(axis=1, keepdims=True)
    # A sentence that shares nothing with the others links to all of them equally.
    transition = np.where(row_sums > 0, similarity / np.where(row_sums > 0, row_sums, 1), 1.0 / n)
    scores = np.full(n, 1.0 / n, dtype=np.float64)
    for _ in range(100):
        updated = (1 - _DAMPING) / n + _DAMPING * (transition.T @ scores)
        if np.abs(updated - scores).sum() < 1e-8:
            scores = updated
            break
        scores = updated
    return scores
