"""Plain text: each paragraph is a unit; the blank lines between paragraphs stay as they were."""

from __future__ import annotations

import re

from ..inputs import decode_text
from .base import ParsedFile

__all__ = ["TextFile", "read_text"]

_BREAK = re.compile(r"(\n[ \t\r\f\v]*\n\s*)")


class TextFile(ParsedFile):
    """A plain text file: paragraphs (units) and the exact separators between them."""

    kind = "text"
    output_suffixes = (".txt",)

    def __init__(self, text: str) -> None:
        # The split alternates paragraph, separator, paragraph, ...; edges keep their whitespace.
        self._head = text[: len(text) - len(text.lstrip())]
        self._tail = text[len(text.rstrip()) :]
        body = text.strip()
        parts = _BREAK.split(body)
        super().__init__(parts[0::2])
        self._separators = parts[1::2]

    def plain_text(self) -> tuple[str, list[str]]:
        return "".join(self._join(self.units)).strip(), []

    def _write(self, translations: list[str], target: str) -> bytes:
        return (self._head + "".join(self._join(translations)) + self._tail).encode()

    def _join(self, units: list[str]) -> list[str]:
        out = [units[0]]
        for separator, unit in zip(self._separators, units[1:], strict=True):
            out += [separator, unit]
        return out


def read_text(data: bytes, name: str) -> TextFile:
    """A UTF-8 (or UTF-16 with BOM) text file."""
    return TextFile(decode_text(data, name))
