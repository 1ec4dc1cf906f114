"""Glossaries: what a caller says a term must become, read once from pairs, a TSV or a CSV.

A glossary is a tuple of :class:`Term` entries, each a source term and the target term it must
be written as (a term to keep has itself as target). It comes from a request's pairs
(``{"Conseil municipal": "city council"}``), its ``keep`` list, a file given to the CLI
(``--glossary FILE``) or an operator's named glossary; all four go through the same checks here,
so a bad entry is refused the same way everywhere: an ``InputError`` naming its line (a file)
or its entry (pairs).

File formats, as the services translators already use: TSV with one ``source<TAB>target``
entry a line (DeepL's glossary entries format), or CSV whose first line is a header naming the
``source`` and ``target`` columns. Blank lines and lines starting with ``#`` are skipped in a
TSV. A source term ending in ``*`` is a stem: ``Gemeinderat*`` also matches ``Gemeinderats``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..errors import InputError

__all__ = [
    "MAX_BYTES",
    "MAX_ENTRIES",
    "MAX_TERM_CHARS",
    "STEM_MARK",
    "Glossary",
    "Term",
    "glossary_from_pairs",
    "glossary_lines",
    "parse_glossary",
    "parse_glossary_lines",
]

# Limits of one glossary (the issue's): DeepL allows 5,000 entries a glossary too; 1 MB is
# far above 5,000 entries of 2 x 100 characters, so only a malformed file reaches it.
MAX_ENTRIES = 5_000
MAX_BYTES = 1_000_000
# A term is a name or a phrase, not a paragraph: longer entries are mistakes (a pasted text).
MAX_TERM_CHARS = 200
STEM_MARK = "*"
"""A source term ending in this mark matches its inflected forms too (the stem)."""


@dataclass(frozen=True)
class Term:
    """One glossary entry.

    Attributes:
        source: the term as it appears in the source text (the stem mark removed).
        target: what the translation must say instead; equals ``source`` for a kept term.
        stem: whether ``source`` is a stem that also matches longer words (``Gemeinderats``).
        keep: whether the term is to be left as it is (from ``keep``, not a pair).
    """

    source: str
    target: str
    stem: bool = False
    keep: bool = False


@dataclass(frozen=True)
class Glossary:
    """Terms a translation must render one fixed way. Frozen and hashable.

    Attributes:
        terms: the entries, in the order given (matching takes the longest first).
        name: the operator glossary id it was read from, if any (for messages).
    """

    terms: tuple[Term, ...] = ()
    name: str | None = None

    def __bool__(self) -> bool:
        return bool(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def digest(self) -> str:
        """A short hash of the entries: what the translation memory keys on."""
        material = "\n".join(
            f"{t.source}\t{t.target}\t{int(t.stem)}\t{int(t.keep)}" for t in self.terms
        )
        return hashlib.blake2b(material.encode("utf-8"), digest_size=10).hexdigest()

    def merged(self, other: Glossary) -> Glossary:
        """These terms and ``other``'s (``other``'s win for a source given twice)."""
        theirs = {t.source.casefold() for t in other.terms}
        mine = tuple(t for t in self.terms if t.source.casefold() not in theirs)
        return Glossary((*mine, *other.terms), self.name or other.name)

    def to_pairs(self) -> dict[str, str]:
        """The glossary as ``{source: target}`` (stems with their mark), for JSON and the page."""
        return {t.source + (STEM_MARK if t.stem else ""): t.target for t in self.terms}


def glossary_from_pairs(
    pairs: Mapping[str, str] | Iterable[tuple[str, str]],
    keep: Iterable[str] = (),
    *,
    name: str | None = None,
) -> Glossary:
    """A glossary from ``{source: target}`` pairs and terms to keep.

    Raises:
        InputError: an entry is empty, too long, not text, or given twice; too many entries.
    """
    items = list(pairs.items()) if isinstance(pairs, Mapping) else list(pairs)
    builder = _Builder(name)
    for number, item in enumerate(items, 1):
        if not (isinstance(item, tuple) and len(item) == 2):
            raise InputError(f"glossary entry {number} must be a source and a target term")
        builder.add(item[0], item[1], f"glossary entry {number}")
    for number, term in enumerate(keep, 1):
        builder.add(term, None, f"keep term {number}")
    return builder.glossary()


def parse_glossary(data: bytes | str, name: str = "glossary") -> Glossary:
    """A glossary from a file's contents: TSV (``source<TAB>target``) or CSV with a header.

    Args:
        data: the file's bytes (UTF-8, a BOM allowed) or text.
        name: what to call the file in messages (a file name, never a server path).

    Raises:
        InputError: over the size limit, not UTF-8, neither format, or a bad line (named).
    """
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8"))
    if size > MAX_BYTES:
        raise InputError(f"{name} is {size:,} bytes; a glossary may have at most {MAX_BYTES:,}")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{name} is not UTF-8 text; save it as UTF-8") from None
    text = data.lstrip("\ufeff")
    lines = (line for line in text.splitlines() if line.strip() and not line.startswith("#"))
    first = next(lines, "")
    builder = _Builder(None)
    if "\t" in first or not first:
        _read_tsv(text, name, builder)
    else:
        _read_csv(text, name, builder)
    return builder.glossary()


def parse_glossary_lines(text: str, name: str = "glossary") -> Glossary:
    """A glossary typed in a box: ``source = target`` a line; a line with only a term keeps it.

    Tab-separated lines (pasted from a spreadsheet) work too. Blank lines and lines starting
    with ``#`` are skipped.

    Raises:
        InputError: over the limits, or a bad line (named).
    """
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise InputError(f"the {name} is larger than a glossary may be ({MAX_BYTES:,} bytes)")
    builder = _Builder(None)
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        separator = "\t" if "\t" in line else "="
        source, found, target = line.partition(separator)
        where = f"{name} line {number}"
        if found and not target.strip():
            raise InputError(f"{where}: nothing after {separator.strip() or 'the tab'!r}")
        builder.add(source, target if found else None, where)
    return builder.glossary()


def glossary_lines(glossary: Glossary) -> str:
    """The glossary as ``source = target`` lines (a kept term alone), as the page's box shows."""
    return "\n".join(
        t.source + (STEM_MARK if t.stem else "") + ("" if t.keep else f" = {t.target}")
        for t in glossary.terms
    )


def _read_tsv(text: str, name: str, builder: _Builder) -> None:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2:
            raise InputError(
                f"{name} line {number}: expected 'source<TAB>target' (two columns), "
                f"got {len(fields)} column(s)"
            )
        builder.add(fields[0], fields[1], f"{name} line {number}")


def _read_csv(text: str, name: str, builder: _Builder) -> None:
    rows = csv.reader(io.StringIO(text))
    try:
        header = [cell.strip().lower() for cell in next(rows)]
    except (StopIteration, csv.Error):
        header = []
    if "source" not in header or "target" not in header:
        raise InputError(
            f"{name} line 1: expected 'source<TAB>target' lines, or a CSV whose first line "
            "names the columns 'source' and 'target'"
        )
    source, target = header.index("source"), header.index("target")
    try:
        for row in rows:
            number = rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) <= max(source, target):
                raise InputError(f"{name} line {number}: the row has no source or target column")
            builder.add(row[source], row[target], f"{name} line {number}")
    except csv.Error as exc:
        raise InputError(f"{name} line {rows.line_num}: not valid CSV ({exc})") from None


class _Builder:
    """Checks entries one by one and remembers where each source term was given."""

    def __init__(self, name: str | None) -> None:
        self.name = name
        self.terms: list[Term] = []
        self.seen: dict[str, str] = {}

    def add(self, source: object, target: object, where: str) -> None:
        if len(self.terms) >= MAX_ENTRIES:
            raise InputError(f"{where}: a glossary may have at most {MAX_ENTRIES:,} entries")
        keep = target is None
        clean_source = _clean(source, where, "source term")
        stem = clean_source.endswith(STEM_MARK)
        if stem:
            clean_source = clean_source[: -len(STEM_MARK)].rstrip()
            if not clean_source:
                raise InputError(f"{where}: the source term is only the stem mark {STEM_MARK!r}")
        clean_target = clean_source if keep else _clean(target, where, "target term")
        key = clean_source.casefold()
        if key in self.seen:
            raise InputError(
                f"{where}: {clean_source!r} is already in the glossary ({self.seen[key]})"
            )
        self.seen[key] = where
        self.terms.append(Term(clean_source, clean_target, stem, keep))

    def glossary(self) -> Glossary:
        return Glossary(tuple(self.terms), self.name)


def _clean(value: object, where: str, what: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{where}: the {what} must be text, got {type(value).__name__}")
    cleaned = " ".join(value.split())
    if not cleaned:
        raise InputError(f"{where}: the {what} is empty")
    if len(cleaned) > MAX_TERM_CHARS:
        raise InputError(
            f"{where}: the {what} has {len(cleaned)} characters; at most {MAX_TERM_CHARS}"
        )
    if any(ch in value for ch in "\r\n\x00"):
        raise InputError(f"{where}: the {what} must be on one line")
    return cleaned
