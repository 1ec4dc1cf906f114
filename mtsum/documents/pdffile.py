"""PDF: the text layer read into paragraphs; the translation comes back as a ``.docx``.

A PDF places every line at fixed coordinates, so a translation (longer or shorter than the
original) cannot be written back into the same layout without a layout engine. A Word file
keeps what the reader did recover (the paragraphs, in order) and can be edited and printed
to PDF again; plain text would lose even the paragraphs' boundaries in most viewers. Lines
wrapped by the layout are joined back into paragraphs (hyphenation undone).
"""

from __future__ import annotations

import io
import re

from ..errors import InputError
from .base import ParsedFile

__all__ = ["PdfFile", "read_pdf"]

# A PDF line this much shorter than the block's longest line, ending a sentence, ends a paragraph.
_SHORT_LINE = 0.8
_SENTENCE_END = (".", "!", "?", ":", "…", "。", "！", "？", '"', "»", "”")


class PdfFile(ParsedFile):
    """A PDF's paragraphs; written back as a Word document (or plain text)."""

    kind = "pdf"
    output_suffixes = (".docx", ".txt")

    def _write(self, translations: list[str], target: str) -> bytes:
        import docx

        document = docx.Document()
        for translation in translations:
            document.add_paragraph(translation.strip())
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()


def read_pdf(data: bytes, name: str) -> PdfFile:
    """The paragraphs of a PDF's text layer.

    Raises:
        InputError: password-protected, or without any text layer (scanned pages).
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise InputError(f"{name} is protected by a password; save an unprotected copy first")
    paragraphs: list[str] = []
    empty: list[int] = []
    for number, page in enumerate(reader.pages, start=1):
        found = _unwrap_lines(page.extract_text() or "")
        if not found:
            empty.append(number)
            continue
        # A paragraph that runs over the page break continues on the next page.
        if paragraphs and not paragraphs[-1].endswith(_SENTENCE_END):
            found[0] = _join_line(paragraphs.pop(), found[0])
        paragraphs.extend(found)
    if not paragraphs:
        raise InputError(
            f"{name} has no text layer (it is probably scanned images); run OCR on it first, "
            "for example with ocrmypdf"
        )
    warnings = []
    if empty:
        pages = ", ".join(str(n) for n in empty)
        warnings.append(
            f"{name}: page(s) {pages} have no text layer (scanned images?) and were left out"
        )
    return PdfFile(paragraphs, warnings)


def _unwrap_lines(text: str) -> list[str]:
    """Paragraphs from a PDF page whose lines are broken where the layout wrapped them."""
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        width = max(len(line) for line in lines)
        current = ""
        for line in lines:
            current = _join_line(current, line) if current else line
            if line.endswith(_SENTENCE_END) and len(line) < _SHORT_LINE * width:
                paragraphs.append(current)
                current = ""
        if current:
            paragraphs.append(current)
    return paragraphs


def _join_line(left: str, right: str) -> str:
    """Two wrapped pieces of one paragraph: undo hyphenation, no space between CJK characters."""
    if len(left) > 1 and left.endswith("-") and left[-2].isalpha() and right[:1].islower():
        return left[:-1] + right
    if _unspaced(left[-1:]) and _unspaced(right[:1]):
        return left + right
    return f"{left} {right}"


def _unspaced(char: str) -> bool:
    """True for characters of scripts written without spaces (CJK, kana, Thai)."""
    return bool(char) and (
        "\u3000" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af" or "\u0e00" <= char <= "\u0e7f"
    )
