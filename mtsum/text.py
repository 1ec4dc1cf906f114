"""Text structure: cleaning, paragraphs, sentences, and packing sentences into model-sized batches.

The translation must keep the input's shape (paragraphs, line breaks inside them) and must never
lose a sentence, so the text is taken apart into a flat list of sentences with enough
structure kept to put the translated sentences back in the same places.
Sentence boundaries come from ``sentencex`` (Wikimedia's segmenter, ~300 languages).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

__all__ = [
    "UNSPACED_CHAR",
    "WORD",
    "SplitText",
    "clean_text",
    "count_letters",
    "count_words",
    "function_words",
    "join_excerpts",
    "joiner_for",
    "pack_batches",
    "pack_chunks",
    "split_paragraphs",
    "split_sentences",
    "split_text",
    "split_to_fit",
    "word_terms",
]

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")
# Scripts written without spaces between words: the languages (text in them is joined with "")
# and their characters (CJK, kana, Thai, Lao, Myanmar, Khmer), the one table mtsum uses.
_UNSPACED_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})
UNSPACED_CHAR = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff]"
)
# A word: letters and digits, joined across an apostrophe or a hyphen ("don't", "COVID-19").
WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
# Where an over-long sentence may be cut, best first: after clause punctuation, then at spaces.
_ENDS_SENTENCE = re.compile(r"[.!?;:…。！？»”’\"')\]]\s*$")
# sentencex never splits inside what it takes for a quotation, and stray quote marks fool it:
# in text that was tokenised and put back together closing marks stand apart (``said. ' Next``)
# and it pairs them with the next mark, across real sentence ends; an inch mark (27") does the
# same. Such text is split by sentencex itself with its quote marks masked (its rules for
# abbreviations, numbers and each language's punctuation still decide; only the quotation
# ranges go). That is done for a line with a stray mark (see ``_has_stray_quote``) and for a
# piece longer than LONG_SENTENCE_WORDS (about twice a news sentence). On the CNN/DM dev set
# (97 articles; the median piece has 23 words) 15% of sentencex's pieces pass 40 words and 31%
# of those hide a boundary in a quotation range, against 1% of the shorter ones, which are
# mostly real quotations of several sentences. Extractive ROUGE-1/2 was 43.2/20.0 for any
# value from 20 to 50, 43.1/19.9 at 60 and 42.6/19.6 with no second split.
LONG_SENTENCE_WORDS = 40
_QUOTE_CHARS = "\"'`\u00ab\u00bb\u2018-\u201f\u2039\u203a\u300a-\u300f"
# A quote mark, except an apostrophe (' or ’) between two letters or digits: part of a word
# ("don't", "rock'n'roll").
_QUOTE_MARK = re.compile(
    r"[\"`\u00ab\u00bb\u2018\u201a-\u201f\u2039\u203a\u300a-\u300f]"
    r"|(?<![^\W_])['\u2019]|['\u2019](?![^\W_])"
)
# Marks that say nothing of which side they close: quotes with a space (or the line's edge)
# on both sides, which no well-formed text has (guillemets are left out: French sets them off
# with spaces), and the symmetric ASCII marks, which come in pairs.
_DETACHED_QUOTE = re.compile(r"(?:^|(?<=\s))[\"'`\u2018-\u201f](?=\s|$)")
_SYMMETRIC_QUOTES = "\"'`"
_CLOSING_MARKS = re.compile(f"[{_QUOTE_CHARS})\\]}}\uff09]+\\s*")
# Brackets, masked as a last resort: sentencex sometimes keeps everything after a bracketed
# number in one piece ("at peak hours. (100) Officials ..." and the 2,000 sentences after it).
_BRACKET_OR_QUOTE = re.compile(f"{_QUOTE_MARK.pattern}|[()\\[\\]{{}}\uff08\uff09]")
_QUOTE_MASK = "#"  # to sentencex not a quote, bracket, space, letter or sentence end
_HAS_WORD = re.compile(r"[^\W_]")
_CLAUSE_BREAK = re.compile(r"(?<=[,;:\u060c\u061b\u3001\uff0c\uff1b\uff1a\u2014\u2013])\s*")


def clean_text(text: str) -> tuple[str, int]:
    """Normalise line endings and drop control characters (NUL and friends) except tab and newline.

    Returns:
        The cleaned text and how many characters were removed.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = [
        ch
        for ch in text
        if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cs", "Co", "Cn"}
    ]
    return "".join(kept), len(text) - len(kept)


def count_letters(text: str) -> int:
    """How many letters (any script) the text has."""
    return sum(1 for ch in text if ch.isalpha())


def count_words(text: str) -> int:
    """Words in ``text``; in scripts without spaces (Chinese, Japanese, Thai) two characters count
    as one word, a common rule of thumb for their average word length."""
    unspaced = len(UNSPACED_CHAR.findall(text))
    spaced = WORD.findall(UNSPACED_CHAR.sub(" ", text))
    return len(spaced) + (unspaced + 1) // 2


def joiner_for(language: str) -> str:
    """What goes between two sentences written in ``language``."""
    return "" if language in _UNSPACED_LANGUAGES else " "


def join_excerpts(sentences: Sequence[str], language: str) -> str:
    """Sentences picked from different places, as one readable text.

    A piece that does not end like a sentence (a headline, a list item) gets a line of its own,
    so that it does not run into the next one.
    """
    joiner = joiner_for(language)
    out = ""
    for sentence in sentences:
        if out:
            out += joiner if _ENDS_SENTENCE.search(out) else "\n"
        out += sentence
    return out


def split_sentences(text: str, language: str) -> list[str]:
    """Sentences of one line of text, by sentencex; never empty pieces, nothing lost but spaces.

    Stray or unbalanced quote marks do not hide sentence ends (see ``LONG_SENTENCE_WORDS``),
    and neither do brackets that sentencex misreads (a piece still too long is split again with
    them masked too).
    """
    if _has_stray_quote(text):
        pieces = _split_unquoted(text, language)
    else:
        pieces = _split_long(_segment(text, language), language, _QUOTE_MARK)
    pieces = _split_long(pieces, language, _BRACKET_OR_QUOTE)
    return [s for s in (piece.strip() for piece in pieces) if s]


def _split_long(pieces: list[str], language: str, marks: re.Pattern[str]) -> list[str]:
    """The pieces, each one over ``LONG_SENTENCE_WORDS`` split again with ``marks`` masked."""
    out: list[str] = []
    for piece in pieces:
        long = count_words(piece) > LONG_SENTENCE_WORDS
        out.extend(_split_unquoted(piece, language, marks) if long else [piece])
    return out


def _segment(text: str, language: str) -> list[str]:
    from sentencex import segment

    return list(segment(language or "en", text))


def _has_stray_quote(text: str) -> bool:
    """Whether ``text`` has a detached quote mark or an odd number of one symmetric mark."""
    if _DETACHED_QUOTE.search(text):
        return True
    marks = [m.group() for m in _QUOTE_MARK.finditer(text)]
    return any(marks.count(mark) % 2 for mark in _SYMMETRIC_QUOTES)


def _split_unquoted(text: str, language: str, marks: re.Pattern[str] = _QUOTE_MARK) -> list[str]:
    """``text`` split where sentencex would split it if it had no quote marks (or no ``marks``).

    The marks are masked one character for one, so the parts of the masked text say where to
    cut the original. Closing marks that follow a sentence end (``now."``) stay with it, and
    so does a part that is only a closing mark (``. '``).
    """
    masked = marks.sub(_QUOTE_MASK, text)
    if masked == text:
        return _segment(text, language)
    cuts = [0]
    cursor = 0
    for part in _segment(masked, language):
        start = masked.index(part, cursor)
        cursor = start + len(part)
        if start > 0 and _HAS_WORD.search(part):
            closing = None if text[start - 1].isspace() else _CLOSING_MARKS.match(text, start)
            cuts.append(closing.end() if closing else start)
    cuts.append(len(text))
    return [text[start:end] for start, end in pairwise(cuts)]


@dataclass(frozen=True)
class SplitText:
    """A text taken apart: paragraphs hold lines, lines hold sentences.

    ``sentences`` is the flat list in reading order; ``rebuild`` puts a same-length list of
    replacement sentences back into the same layout.
    """

    paragraphs: tuple[tuple[tuple[str, ...], ...], ...]

    @property
    def sentences(self) -> list[str]:
        return [s for paragraph in self.paragraphs for line in paragraph for s in line]

    def rebuild(self, sentences: Sequence[str], language: str) -> str:
        """The text with each sentence replaced, paragraphs separated by a blank line."""
        expected = sum(len(line) for paragraph in self.paragraphs for line in paragraph)
        if len(sentences) != expected:
            raise ValueError(f"rebuild needs {expected} sentences, got {len(sentences)}")
        joiner = joiner_for(language)
        it = iter(sentences)
        out_paragraphs = []
        for paragraph in self.paragraphs:
            lines = [joiner.join(next(it) for _ in line).strip() for line in paragraph]
            out_paragraphs.append("\n".join(lines))
        return "\n\n".join(out_paragraphs)


def word_terms(words: Iterable[str]) -> list[str]:
    """``words`` as terms to match texts by: each word as it is, except a run of an unspaced
    script (``UNSPACED_CHAR``), which is a whole phrase, as its overlapping character pairs.

    Shared by the summary's source finder and the extractive ranker, so both see the same
    scripts as unspaced (pairs are how CJK retrieval indexes without a word segmenter).
    """
    terms: list[str] = []
    for word in words:
        if UNSPACED_CHAR.search(word):
            terms.extend(word[i : i + 2] for i in range(max(1, len(word) - 1)))
        else:
            terms.append(word)
    return terms


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text`` (blocks separated by blank lines), stripped, none empty."""
    return [block.strip() for block in _PARAGRAPH_BREAK.split(text.strip()) if block.strip()]


def split_text(text: str, language: str) -> SplitText:
    """Paragraphs (separated by blank lines), their lines, and each line's sentences."""
    paragraphs = []
    for block in split_paragraphs(text):
        lines = []
        for line in block.split("\n"):
            sentences = split_sentences(line, language) if line.strip() else []
            if sentences:
                lines.append(tuple(sentences))
        if lines:
            paragraphs.append(tuple(lines))
    return SplitText(tuple(paragraphs))


def split_to_fit(text: str, limit: int, count: Callable[[Sequence[str]], list[int]]) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` tokens each, losing no character but spaces.

    Cuts go after clause punctuation first, then between words, and only as a last resort
    (a run of text with no spaces, such as Chinese) between characters.

    Args:
        text: the text to cut.
        limit: most tokens a piece may have, as ``count`` measures it.
        count: token counts of several strings at once.
    """
    if count([text])[0] <= limit:
        return [text]
    for splitter in (_split_clauses, _split_words):
        parts = splitter(text)
        if len(parts) > 1:
            return _pack_parts(parts, limit, count)
    return _split_characters(text, limit, count)


def _split_clauses(text: str) -> list[str]:
    return [p for p in _CLAUSE_BREAK.split(text) if p.strip()]


def _split_words(text: str) -> list[str]:
    return text.split()


def _pack_parts(
    parts: list[str], limit: int, count: Callable[[Sequence[str]], list[int]]
) -> list[str]:
    """Greedily join consecutive parts while they fit; parts that alone are too big are cut more."""
    sizes = count(parts)
    pieces: list[str] = []
    current: list[str] = []
    current_size = 0
    for part, size in zip(parts, sizes, strict=True):
        if size > limit:
            if current:
                pieces.append(" ".join(current))
                current, current_size = [], 0
            pieces.extend(split_to_fit(part, limit, count))
            continue
        if current and current_size + size > limit:
            pieces.append(" ".join(current))
            current, current_size = [], 0
        current.append(part)
        current_size += size
    if current:
        pieces.append(" ".join(current))
    # Token counts of joined parts can exceed the sum by a token or two; recheck the joins.
    return [fit for piece in pieces for fit in _recheck(piece, limit, count)]


def _recheck(piece: str, limit: int, count: Callable[[Sequence[str]], list[int]]) -> list[str]:
    if count([piece])[0] <= limit:
        return [piece]
    words = piece.split()
    if len(words) <= 1:
        return _split_characters(piece, limit, count)
    middle = len(words) // 2
    return _recheck(" ".join(words[:middle]), limit, count) + _recheck(
        " ".join(words[middle:]), limit, count
    )


def _split_characters(
    text: str, limit: int, count: Callable[[Sequence[str]], list[int]]
) -> list[str]:
    """Cut a run without spaces into the longest prefixes that fit (binary search per piece)."""
    pieces = []
    rest = text
    while rest:
        # A token rarely spans more than a few characters: searching only the first
        # ``limit * 8`` keeps each search short on a long run (linear, not quadratic, overall).
        lo, hi = 1, min(len(rest), limit * 8)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if count([rest[:mid]])[0] <= limit:
                lo = mid
            else:
                hi = mid - 1
        pieces.append(rest[:lo])
        rest = rest[lo:]
    return pieces


def pack_batches(
    lengths: Sequence[int], batch_tokens: int, max_batch: int = 256
) -> list[list[int]]:
    """Group item indices into batches, longest first, so padded size stays within a token budget.

    Sorting by length keeps padding small; a batch holds items while
    ``len(batch) * longest_item <= batch_tokens`` (an item longer than the budget gets a batch of
    its own).

    Returns:
        Lists of indices into ``lengths``; every index appears exactly once.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for index in order:
        size = max(lengths[index], 1)
        if current and (
            (len(current) + 1) * max(longest, size) > batch_tokens or len(current) >= max_batch
        ):
            batches.append(current)
            current, longest = [], 0
        current.append(index)
        longest = max(longest, size)
    if current:
        batches.append(current)
    return batches


def pack_chunks(lengths: Sequence[int], window: int) -> list[list[int]]:
    """Group consecutive item indices, in order, into chunks of at most ``window`` tokens.

    Used to feed a summariser whole sentences; an item larger than the window is a chunk alone
    (callers split such items first).
    """
    chunks: list[list[int]] = []
    current: list[int] = []
    used = 0
    for index, size in enumerate(lengths):
        if current and used + size > window:
            chunks.append(current)
            current, used = [], 0
        current.append(index)
        used += size
    if current:
        chunks.append(current)
    return chunks


@lru_cache(maxsize=64)
def function_words(language: str, count: int) -> frozenset[str] | None:
    """The ``count`` most frequent words of ``language`` (wordfreq's lists), or None for a
    language it does not list."""
    import wordfreq  # a large import, needed only when a check asks

    try:
        return frozenset(wordfreq.top_n_list(language, count))
    except LookupError:
        return None
