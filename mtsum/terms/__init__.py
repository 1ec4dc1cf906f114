"""Terms that come out right: glossaries, terms kept as they are, and spans protected always.

The translator calls this stage helper on both sides of the engine: :meth:`TermSet.protect`
swaps each protected span of a source sentence for a placeholder before the first hop, and
:meth:`TermSet.restore` repairs the placeholders of the last hop's output and writes what each
span must read; on a pivot (fr -> en -> de) the hop in between only ever sees placeholders.
A span whose placeholder the model dropped is reported, never invented (a ``term`` flag).

Modules: ``glossary`` (entries, files, limits), ``store`` (the operator's named glossaries),
``spans`` (where terms and protected spans are), ``placeholders`` (swap, repair, restore).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .glossary import (
    MAX_BYTES,
    MAX_ENTRIES,
    STEM_MARK,
    Glossary,
    Term,
    glossary_from_pairs,
    glossary_lines,
    parse_glossary,
    parse_glossary_lines,
)
from .placeholders import (
    DEFAULT_SHAPE,
    SHAPES,
    Protected,
    Restored,
    Shape,
    missing_detail,
    protect,
    restore,
)
from .spans import Span, TermMatcher, find_spans
from .store import GLOSSARY_DIR, GlossaryInfo, GlossaryStore

__all__ = [
    "DEFAULT_SHAPE",
    "GLOSSARY_DIR",
    "MAX_BYTES",
    "MAX_ENTRIES",
    "SHAPES",
    "STEM_MARK",
    "Glossary",
    "GlossaryInfo",
    "GlossaryStore",
    "Protected",
    "Restored",
    "Shape",
    "Span",
    "Term",
    "TermMatcher",
    "TermSet",
    "find_spans",
    "glossary_from_pairs",
    "glossary_lines",
    "missing_detail",
    "parse_glossary",
    "parse_glossary_lines",
    "protect",
    "resolve_glossary",
    "restore",
]


@dataclass(frozen=True)
class TermSet:
    """What one translation protects: a glossary (maybe empty) and the automatic spans.

    Attributes:
        glossary: the terms of the request (pairs, an operator glossary, kept terms).
        source_spaced: whether the source script separates words by spaces.
        target_spaced: the same for the target.
        shape: the placeholder shape.
        automatic: whether links, e-mails, placeholders, code, handles and hashtags are kept.
    """

    glossary: Glossary
    source_spaced: bool = True
    target_spaced: bool = True
    shape: Shape = DEFAULT_SHAPE
    automatic: bool = True

    @property
    def memory_key(self) -> str:
        """What the translation memory adds to its key: the glossary's digest (or nothing).

        The placeholders already make a protected input differ from the plain one; the digest
        makes sure no output cached under one glossary is ever served under another.
        """
        return f"glossary={self.glossary.digest()}" if self.glossary else ""

    def protect(self, sentences: Sequence[str]) -> list[Protected]:
        """Each sentence with its protected spans swapped for placeholders."""
        matcher = TermMatcher(self.glossary, self.source_spaced) if self.glossary else None
        return [protect(s, matcher, self.shape, automatic=self.automatic) for s in sentences]

    def restore(
        self, outputs: Sequence[str], protected: Sequence[Protected], *, final: bool
    ) -> list[Restored]:
        """Each output repaired and restored (see :func:`restore`); ``final``: the last hop."""
        spaced = self.target_spaced if final else True
        return [
            restore(out, p, self.shape, final=final, spaced=spaced)
            for out, p in zip(outputs, protected, strict=True)
        ]


def resolve_glossary(
    glossary: Glossary | Mapping[str, str] | str | None,
    keep: Sequence[str],
    store: GlossaryStore | None,
    source: str,
    target: str,
) -> Glossary:
    """The one glossary of a normalised request for (source, target): pairs or an operator
    glossary (read now), with the kept terms added.

    Raises:
        InputError: the operator glossary has no version for this pair, or is broken.
    """
    found = Glossary()
    if isinstance(glossary, str):
        if store is None:
            raise ValueError("an operator glossary id needs the glossary store")
        found = store.load(glossary, source, target)
    elif isinstance(glossary, Glossary):
        found = glossary
    elif glossary is not None:  # pairs of a request that was not normalised
        found = glossary_from_pairs(glossary)
    if keep:
        found = found.merged(glossary_from_pairs({}, keep))
    return found
