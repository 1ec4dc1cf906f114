"""Swap protected spans for placeholders the model copies, then repair, restore and check.

OPUS-MT models cannot be told a term. The usual method, used here: before the engine, each
protected span (a glossary term, a kept term, a link, a ``%1$s``) becomes a short placeholder
such as ``[3]``; the model copies it like any number in brackets; after the engine the
placeholder is replaced by what the span must read in the output (the target term, or the span
itself, byte for byte). Models mangle placeholders now and then, so before restoring, the
output's placeholders are repaired: a space inside (``[ 3 ]``), another case, punctuation glued
to them (``word[3],``), one bracket lost (``[3``), or the placeholder doubled (the second one
goes). A placeholder the model dropped is not made up: the sentence gets a ``term`` flag
saying what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .spans import Span, TermMatcher, find_spans

__all__ = [
    "DEFAULT_SHAPE",
    "SHAPES",
    "Protected",
    "Restored",
    "Shape",
    "missing_detail",
    "protect",
    "restore",
]

_MAX_NUMBER_DIGITS = 4


@dataclass(frozen=True)
class Shape:
    """A placeholder shape: ``prefix``, a number, ``suffix`` (``[`` ``3`` ``]``)."""

    name: str
    prefix: str
    suffix: str

    def render(self, number: int) -> str:
        return f"{self.prefix}{number}{self.suffix}"

    @cached_property
    def lenient(self) -> re.Pattern[str]:
        """The shape with spaces allowed anywhere inside it and any letter case."""
        return re.compile(
            rf"{_spaced(self.prefix)}\s*(\d{{1,{_MAX_NUMBER_DIGITS}}})\s*{_spaced(self.suffix)}",
            re.IGNORECASE,
        )

    @cached_property
    def halves(self) -> tuple[re.Pattern[str], ...]:
        """The shape with its prefix or its suffix lost (only for a shape that has both)."""
        if not self.prefix or not self.suffix:
            return ()
        digits = rf"(\d{{1,{_MAX_NUMBER_DIGITS}}})"
        return (
            re.compile(rf"{_spaced(self.prefix)}\s*{digits}(?!\d)", re.IGNORECASE),
            re.compile(rf"(?<!\d){digits}\s*{_spaced(self.suffix)}", re.IGNORECASE),
        )


def _spaced(delimiter: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in delimiter)


# The candidates bench/terms.py measures on both tokenizers (Marian SentencePiece, tc-big).
SHAPES = {
    shape.name: shape
    for shape in (
        Shape("square", "[", "]"),
        Shape("double-square", "[[", "]]"),
        Shape("underscore", "__", "__"),
        Shape("hash", "#", "#"),
        Shape("white-square", "\u27e6", "\u27e7"),
        Shape("xml", "<x", "/>"),
    )
}
# Chosen by bench/terms.py (bench/RESULTS-terms.md): the only candidate whose pieces round-trip
# through both published tokenizers (Marian SentencePiece and tc-big) in few tokens.
DEFAULT_SHAPE = SHAPES["square"]


@dataclass(frozen=True)
class Protected:
    """A sentence with its protected spans swapped for placeholders.

    Attributes:
        text: what the engine gets.
        spans: the spans, left to right.
        numbers: the placeholder number of each span.
    """

    text: str
    spans: tuple[Span, ...] = ()
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Restored:
    """An output with the placeholders put back.

    Attributes:
        text: the output with each span's text in its placeholder's place.
        missing: the spans whose placeholder the model dropped.
        repaired: how many placeholders were mangled (or doubled) and repaired.
    """

    text: str
    missing: tuple[Span, ...] = ()
    repaired: int = 0


def protect(
    sentence: str,
    matcher: TermMatcher | None,
    shape: Shape = DEFAULT_SHAPE,
    *,
    automatic: bool = True,
) -> Protected:
    """``sentence`` with every protected span replaced by a numbered placeholder.

    Numbers start above any the sentence already holds in the same shape (a citation ``[2]``),
    so that text never passes for a placeholder.
    """
    spans = find_spans(sentence, matcher, automatic)
    if not spans:
        return Protected(sentence)
    taken = [int(m.group(1)) for m in shape.lenient.finditer(sentence)]
    first = max(taken, default=0) + 1
    parts, numbers, at = [], [], 0
    for offset, span in enumerate(spans):
        number = first + offset
        parts += [sentence[at : span.start], shape.render(number)]
        numbers.append(number)
        at = span.end
    parts.append(sentence[at:])
    return Protected("".join(parts), tuple(spans), tuple(numbers))


def restore(
    output: str,
    protected: Protected,
    shape: Shape = DEFAULT_SHAPE,
    *,
    final: bool = True,
    spaced: bool = True,
) -> Restored:
    """Repair the placeholders of ``output`` and put each span back.

    Args:
        output: the engine's output for ``protected.text``.
        protected: what :func:`protect` made of the source sentence.
        final: True writes what each span must read in the target (the target term); False
            writes the source text (an intermediate language of a pivot, which the summariser
            may read).
        spaced: whether the output language puts spaces between words (a term glued to a word
            gets a space).
    """
    if not protected.spans:
        return Restored(output)
    wanted = dict(zip(protected.numbers, protected.spans, strict=True))
    found = _occurrences(output, shape, set(wanted))
    pieces, at, seen, repaired = [], 0, set(), 0
    for start, end, number, exact in found:
        span = wanted[number]
        pieces.append(output[at:start])
        if number in seen:
            repaired += 1  # doubled: the copy goes
        else:
            seen.add(number)
            repaired += not exact
            text = span.output if final else span.text
            pieces.append(_glue(output, start, end, text) if spaced else text)
        at = end
    pieces.append(output[at:])
    text = re.sub(r"[ \t]{2,}", " ", "".join(pieces)).strip()
    missing = tuple(span for number, span in wanted.items() if number not in seen)
    return Restored(text, missing, repaired)


def _occurrences(output: str, shape: Shape, numbers: set[int]) -> list[tuple[int, int, int, bool]]:
    """(start, end, number, exact) of each placeholder of ours in ``output``, left to right."""
    found: list[tuple[int, int, int, bool]] = []
    for match in shape.lenient.finditer(output):
        number = int(match.group(1))
        if number in numbers:
            found.append(
                (match.start(), match.end(), number, match.group(0) == shape.render(number))
            )
    present = {number for _, _, number, _ in found}
    for half in shape.halves:
        for match in half.finditer(output):
            number = int(match.group(1))
            overlaps = any(match.start() < e and s < match.end() for s, e, _, _ in found)
            if number in numbers and number not in present and not overlaps:
                found.append((match.start(), match.end(), number, False))
        present = {number for _, _, number, _ in found}
    return sorted(found)


def _glue(output: str, start: int, end: int, text: str) -> str:
    """``text`` with a space on a side where the model glued the placeholder to a word."""
    before = output[start - 1] if start > 0 else " "
    after = output[end] if end < len(output) else " "
    lead = " " if before.isalnum() and text[:1].isalnum() else ""
    trail = " " if after.isalnum() and text[-1:].isalnum() else ""
    return f"{lead}{text}{trail}"


def missing_detail(span: Span) -> str:
    """The ``term`` flag's words for a span the model dropped."""
    if span.kind == "term":
        return f"'{span.text}' should read '{span.output}'; the model dropped it"
    if span.kind == "keep":
        return f"'{span.text}' should be kept as it is; the model dropped it"
    return f"the {span.kind} '{span.text}' should come back unchanged; the model dropped it"
