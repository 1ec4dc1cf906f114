"""Word documents (``.docx``): styles, runs, links, tables, lists, headers and footers kept.

Each paragraph (of the body, of every table cell, nested tables included, and of every header
and footer) is one unit: its text is translated as a whole, so a sentence with a bold word in
it is one sentence to the model, and the translation is spread back over the paragraph's text
elements in proportion to their length, at word boundaries (``base.distribute``). Only the text
of ``<w:t>`` elements changes; run properties (bold, italic, fonts), hyperlinks, paragraph
styles, list numbering, tabs, breaks and pictures stay where they were. Text boxes, footnotes
and comments are kept untranslated.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from .base import ParsedFile, check_zip, distribute

__all__ = ["DocxFile", "read_docx"]

# A run holds at least one character, so more text elements than twice the default character
# limit (MTSUM_MAX_CHARS, 100 000) cannot be a document within it. Measured here: a file with
# 1 000 000 one-letter runs (90 KB zipped) took 1.35 s to parse before it was refused; counted
# in the raw XML first, it is refused in 0.3 s without being parsed.
MAX_TEXT_ELEMENTS = 200_000
_TEXT_XPATH = ".//w:t[not(ancestor::w:txbxContent)]"


class DocxFile(ParsedFile):
    """A Word document whose units are its paragraphs' texts."""

    kind = "docx"
    output_suffixes = (".docx", ".txt")

    def __init__(self, document: Any, name: str) -> None:
        self._document = document
        self._paragraphs: list[list[Any]] = []
        units = []
        for paragraph in _paragraphs(document):
            elements = paragraph._p.xpath(_TEXT_XPATH)
            text = "".join(element.text or "" for element in elements)
            if text.strip():
                self._paragraphs.append(elements)
                units.append(text)
        self._tables = sum(1 for _ in document.tables)
        super().__init__(units)
        self._name = name

    def plain_text(self) -> tuple[str, list[str]]:
        text, warnings = super().plain_text()
        if self._tables:
            warnings.append(
                f"{self._name}: {self._tables} table(s) were read cell by cell, as paragraphs"
            )
        return text, warnings

    def _write(self, translations: list[str], target: str) -> bytes:
        for elements, translation in zip(self._paragraphs, translations, strict=True):
            pieces = distribute(translation, [e.text or "" for e in elements], target)
            for element, piece in zip(elements, pieces, strict=True):
                element.text = piece
                if piece != piece.strip():
                    element.set(
                        "{http://www.w3.org/XML/1998/namespace}space", "preserve"
                    )  # Word drops edge spaces of a <w:t> without it
        buffer = io.BytesIO()
        self._document.save(buffer)
        return buffer.getvalue()


def read_docx(data: bytes, name: str) -> DocxFile:
    """A ``.docx`` file, refused quickly when it is a zip bomb or has absurdly many runs.

    Raises:
        InputError: not a Word file, or too large to be a document.
    """
    import docx

    check_zip(data, name, "Word .docx")
    # Counted in the raw XML first (milliseconds), then in the parsed tree (which also sees
    # a file that spells the namespace prefix differently).
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        main = archive.read("word/document.xml") if "word/document.xml" in names else b""
    _check_count(main.count(b"<w:t>") + main.count(b"<w:t "), name)
    document = docx.Document(io.BytesIO(data))
    _check_count(int(document.element.xpath("count(.//w:t)")), name)
    return DocxFile(document, name)


def _check_count(count: int, name: str) -> None:
    if count > MAX_TEXT_ELEMENTS:
        raise InputError(
            f"{name} has {count} pieces of formatted text, more than any document within the "
            f"text limit (at most {MAX_TEXT_ELEMENTS}); save it as plain text"
        )


def _paragraphs(document: Any) -> Iterator[Any]:
    """Every paragraph with text, in reading order: body, then each header and footer once."""
    yield from _blocks(document)
    seen: set[Any] = set()
    for section in document.sections:
        parts = (
            section.header,
            section.first_page_header,
            section.even_page_header,
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        )
        for part in parts:
            if part.is_linked_to_previous or part._element in seen:
                continue
            seen.add(part._element)
            yield from _blocks(part)


def _blocks(container: Any) -> Iterator[Any]:
    """Paragraphs of a body, header, footer or cell, tables (and tables in them) cell by cell."""
    from docx.table import Table

    for block in container.iter_inner_content():
        if not isinstance(block, Table):
            yield block
            continue
        # A merged cell is returned once per grid column it spans; visit it once. The set
        # holds the XML elements themselves (not ids), so they stay alive and distinct.
        seen: set[Any] = set()
        for row in block.rows:
            for cell in row.cells:
                if cell._tc not in seen:
                    seen.add(cell._tc)
                    yield from _blocks(cell)
