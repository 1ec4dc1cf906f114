"""Markdown: the source kept byte for byte except the text spans, which are translated.

markdown-it-py parses the file (CommonMark with tables) and gives each block its source lines.
The text of an inline run (a paragraph, a heading, a list item, a table cell) is one unit,
translated as a whole and spread back over its text spans (see ``base.distribute``); the
markup between the spans (``**``, ``[...](url)``) stays where it was. Code blocks, inline
code, raw HTML, images and link targets are never touched. Inline code, raw inline HTML and
images end a unit: the words on each side are translated separately.

The parser gives line numbers, not columns, so each text span is found in its block's source
lines in order; a span written with backslash escapes or entities (``\\*``, ``&amp;``) is
matched through them. Translations are escaped so that they cannot turn into markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from ..inputs import decode_text
from .base import ParsedFile, distribute

__all__ = ["MarkdownFile", "read_markdown"]

# Inline tokens that end a unit: their content is code, markup or a picture.
_HARD = frozenset({"code_inline", "html_inline", "image", "hardbreak"})
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = r"&[#0-9A-Za-z]{1,32};"
_ESCAPE = re.compile(r"([\\`*_\[\]<>|])")


@dataclass(frozen=True)
class _Span:
    """One text span of a unit: where it lies in the source, as written there and as read."""

    start: int
    end: int
    written: str
    text: str
    after_break: bool


class MarkdownFile(ParsedFile):
    """A Markdown file whose units are the texts of its inline runs."""

    kind = "markdown"
    output_suffixes = (".md", ".txt")

    def __init__(self, source: str) -> None:
        self._crlf = "\r\n" in source
        self._source = source.replace("\r\n", "\n").replace("\r", "\n")
        groups, missed, raw_html = _parse(self._source)
        self._groups = groups
        warnings = []
        if missed:
            warnings.append(
                f"{missed} piece(s) of text could not be located in the Markdown source and "
                "were kept untranslated"
            )
        if raw_html:
            warnings.append(f"{raw_html} block(s) of raw HTML were kept untranslated")
        super().__init__([_unit_text(group) for group in groups], warnings)

    def plain_text(self) -> tuple[str, list[str]]:
        from markdown_it import MarkdownIt

        from .htmlfile import html_to_text

        # Rendered to HTML first, so headings, lists and emphasis become plain paragraphs the
        # same way a web page's do; raw HTML inside the Markdown is treated as markup too.
        return html_to_text(MarkdownIt("commonmark").render(self._source)), []

    def _write(self, translations: list[str], target: str) -> bytes:
        edits: list[tuple[int, int, str]] = []
        for group, translation in zip(self._groups, translations, strict=True):
            written = [span.written for span in group]
            pieces = _outside_markup(distribute(translation, written, target), written)
            edits.extend(
                (span.start, span.end, _escape(piece))
                for span, piece in zip(group, pieces, strict=True)
            )
        out = self._source
        for start, end, text in sorted(edits, reverse=True):
            out = out[:start] + text + out[end:]
        return (out.replace("\n", "\r\n") if self._crlf else out).encode()


def read_markdown(data: bytes, name: str) -> MarkdownFile:
    """A Markdown file in UTF-8."""
    return MarkdownFile(decode_text(data, name))


def _parse(source: str) -> tuple[list[list[_Span]], int, int]:
    """The units' spans, how many text spans could not be located, and raw HTML blocks."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    offsets = [0]
    for line in source.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    groups: list[list[_Span]] = []
    missed = 0
    raw_html = 0
    cursor = 0
    for token in tokens:
        if token.type == "html_block" and any(ch.isalpha() for ch in token.content):
            raw_html += 1
        if token.type != "inline" or token.map is None or not token.children:
            continue
        start, end = token.map
        cursor = max(cursor, offsets[start])
        limit = min(offsets[min(end, len(offsets) - 1)], len(source))
        found, lost, cursor = _groups(token.children, source, cursor, limit)
        missed += lost
        groups.extend(group for group in found if any(span.text.strip() for span in group))
    return groups, missed, raw_html


def _groups(
    children: list[Token], source: str, cursor: int, limit: int
) -> tuple[list[list[_Span]], int, int]:
    """The spans of one inline token cut into units at code, raw HTML and pictures; how many
    text spans were not found; and the cursor after them."""
    groups: list[list[_Span]] = [[]]
    lost = 0
    after_break = False
    href = ""
    for child in children:
        if child.type == "text" and child.content:
            found = _find(child.content, source, cursor, limit)
            if found is None:
                lost += 1
                continue
            start, end = found
            groups[-1].append(_Span(start, end, source[start:end], child.content, after_break))
            cursor, after_break = end, False
        elif child.type == "softbreak":
            after_break = True
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
        elif child.type == "link_close":
            cursor = _skip(href, source, cursor, limit)
        elif child.type in _HARD:
            cursor = _skip(child.content, source, cursor, limit)
            cursor = _skip(str(child.attrs.get("src", "")), source, cursor, limit)
            if groups[-1]:
                groups.append([])
    return [group for group in groups if group], lost, cursor


def _unit_text(group: list[_Span]) -> str:
    """The text of a unit as the reader sees it; a line break inside a paragraph is a space."""
    return "".join((" " if span.after_break else "") + span.text for span in group).strip()


def _find(text: str, source: str, cursor: int, limit: int) -> tuple[int, int] | None:
    """Where ``text`` (as the parser decoded it) is written in ``source[cursor:limit]``."""
    plain = source.find(text, cursor, limit)
    if plain >= 0:
        return plain, plain + len(text)
    parts = []
    for ch in text:
        if ch in _PUNCTUATION:
            parts.append(f"(?:\\\\?{re.escape(ch)}|{_ENTITY})")
        elif not ch.isascii():
            parts.append(f"(?:{re.escape(ch)}|{_ENTITY})")
        else:
            parts.append(re.escape(ch))
    match = re.compile("".join(parts)).search(source, cursor, limit)
    return (match.start(), match.end()) if match else None


def _skip(written: str, source: str, cursor: int, limit: int) -> int:
    """The cursor moved past code, raw HTML or a link target, so no later span is found in it."""
    if written:
        found = source.find(written, cursor, limit)
        if found >= 0:
            return found + len(written)
    return cursor


def _outside_markup(pieces: list[str], written: list[str]) -> list[str]:
    """A space that a cut added at the end of a piece moves to the start of the next one,
    past the markup between them: ``**bold **`` would no longer be bold, ``**bold** x`` is."""
    out = list(pieces)
    for index in range(len(out) - 1):
        core = out[index].rstrip()
        added = core != out[index] and written[index] == written[index].rstrip()
        if added and core and not out[index + 1][:1].isspace():
            out[index + 1] = out[index][len(core) :] + out[index + 1]
            out[index] = core
    return out


def _escape(text: str) -> str:
    """A translated piece that Markdown shows as written: markup characters backslashed."""
    return _ESCAPE.sub(r"\\\1", text)
