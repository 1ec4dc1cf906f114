"""Where the protected parts of a sentence are: glossary terms and spans kept without asking.

Kept without asking (every request): inline code in backticks, URLs, e-mail addresses,
@handles, #hashtags, printf placeholders (``%s``, ``%1$s``, ``%.2f``) and brace placeholders
(``{name}``, ``{0}``, ``{{name}}``). A translation model treats all of them as words and
"translates" them (``%s`` becomes ``% s``, ``{name}`` becomes ``{nom}``), which breaks the link,
the address or the software string they belong to.

Glossary terms match case-insensitively on word boundaries, the longest entry first (one
alternation, longest first, so "Conseil municipal de Paris" wins over "Conseil municipal");
a stem entry also matches the longer words it begins (``Gemeinderat*``: ``Gemeinderats``). In
scripts without spaces (Chinese, Japanese, Thai) there are no word boundaries to look for, so
terms match anywhere and stems are plain terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .glossary import Glossary, Term

__all__ = ["Span", "TermMatcher", "find_spans"]

# Each a common, well-known shape; ordered so that the longer construct wins (a URL holding an
# @, an e-mail holding a dot). Hand-written: no maintained library covers this mix, and each
# pattern is one line.
_PROTECTED = (
    ("code", r"`[^`\n]{1,200}`"),
    (
        "link",
        r"\b(?:https?|ftp)://[^\s<>\"'`]+[^\s<>\"'`.,;:!?)\]}]|\bwww\.[^\s<>\"'`]+[^\s<>\"'`.,;:!?)\]}]",
    ),
    ("e-mail address", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b"),
    (
        "placeholder",
        r"\{\{\s*[\w.]+\s*\}\}|\{[\w.]*\}|%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?[sdifuxXoeEgGc@]",
    ),
    ("handle", r"(?<![\w@.])@[A-Za-z_]\w{0,49}"),
    ("hashtag", r"(?<![\w#&])#[^\W\d_]\w{0,99}"),
)
_PROTECTED_RE = re.compile("|".join(f"(?P<g{i}>{p})" for i, (_, p) in enumerate(_PROTECTED)))


@dataclass(frozen=True)
class Span:
    """A protected stretch of one sentence.

    Attributes:
        start: its first character in the sentence.
        end: one past its last character.
        text: the source text there.
        output: what the translation must hold instead (the target term, or ``text`` itself).
        kind: ``term`` (glossary), ``keep`` (left as is on request), or the spans' own kinds
            (``link``, ``e-mail address``, ``placeholder``, ``handle``, ``hashtag``, ``code``).
        term: the glossary entry it matched, for terms.
    """

    start: int
    end: int
    text: str
    output: str
    kind: str
    term: Term | None = None


class TermMatcher:
    """Finds a glossary's terms in sentences of one source language.

    Args:
        glossary: the terms.
        spaced: whether the source script puts spaces between words (word boundaries apply).
    """

    def __init__(self, glossary: Glossary, spaced: bool = True) -> None:
        self.terms = sorted(glossary.terms, key=lambda t: len(t.source), reverse=True)
        self._by_key = {t.source.casefold(): t for t in self.terms}
        self._stems = [t for t in self.terms if t.stem and spaced]
        self.pattern: re.Pattern[str] | None = None
        if self.terms:
            # The word boundaries are checked once around the whole alternation, not once per
            # term: with 200 terms that made matching five times faster (bench/terms.py).
            body = "|".join(_term_pattern(t, spaced) for t in self.terms)
            bounded = rf"(?<!\w)(?:{body})(?!\w)" if spaced else body
            self.pattern = re.compile(bounded, re.IGNORECASE)

    def find(self, sentence: str) -> list[Span]:
        """The terms in ``sentence``, left to right, never overlapping."""
        if self.pattern is None:
            return []
        spans = []
        for match in self.pattern.finditer(sentence):
            term = self._term_for(match.group(0))
            kind = "keep" if term.keep else "term"
            spans.append(Span(match.start(), match.end(), match.group(0), term.target, kind, term))
        return spans

    def _term_for(self, found: str) -> Term:
        exact = self._by_key.get(" ".join(found.split()).casefold())
        if exact is not None:
            return exact
        folded = " ".join(found.split()).casefold()
        # An inflected form: the longest stem it begins with (terms are sorted longest first).
        return next(t for t in self._stems if folded.startswith(t.source.casefold()))


def _term_pattern(term: Term, spaced: bool) -> str:
    # Any run of spaces between the words of a term matches its single space.
    body = r"\s+".join(re.escape(word) for word in term.source.split())
    return body + (r"\w*" if term.stem and spaced else "")


def find_spans(sentence: str, matcher: TermMatcher | None, automatic: bool = True) -> list[Span]:
    """Every protected span of ``sentence``, left to right, never overlapping.

    Automatic spans (links, placeholders, ...) come first: a glossary term inside a URL is
    part of the URL. Terms then fill the rest.
    """
    spans: list[Span] = []
    if automatic:
        for match in _PROTECTED_RE.finditer(sentence):
            kind = _PROTECTED[int(str(match.lastgroup)[1:])][0]
            text = match.group(0)
            spans.append(Span(match.start(), match.end(), text, text, kind))
    if matcher is not None:
        taken = [(s.start, s.end) for s in spans]
        for span in matcher.find(sentence):
            if not any(span.start < end and start < span.end for start, end in taken):
                spans.append(span)
    return sorted(spans, key=lambda s: s.start)
