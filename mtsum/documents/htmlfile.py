"""HTML pages: every tag and attribute kept, text nodes translated, ``<html lang>`` updated.

The markup work is :mod:`mtsum.documents.markup` (the same code as the REST API's ``format=html``):
scripts, styles, code and ``translate="no"`` parts stay untouched. For faces that need only
the text, the page's visible text is read block by block into paragraphs.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import InputError
from ..inputs import decode_text
from .base import ParsedFile
from .markup import HtmlDocument

__all__ = ["HtmlFile", "html_to_text", "read_html"]

# Parts of an HTML page that are never running text.
_HTML_SKIP = frozenset(
    {"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"}
)
# Elements that start a new paragraph.
_HTML_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
        "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
        "td", "th", "tr", "ul",
    }
)  # fmt: skip
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


class HtmlFile(ParsedFile):
    """An HTML page or fragment; its units are the translatable text nodes."""

    kind = "html"
    output_suffixes = (".html", ".txt")

    def __init__(self, html: str) -> None:
        self._html = html
        self._document = HtmlDocument.parse(html)
        super().__init__(self._document.texts)

    def plain_text(self) -> tuple[str, list[str]]:
        return html_to_text(self._html), []

    def _write(self, translations: list[str], target: str) -> bytes:
        self._document.set_language(target)
        return self._document.render(translations).encode()


def read_html(data: bytes, name: str) -> HtmlFile:
    """An HTML file in UTF-8, or in the encoding the page itself declares."""
    return HtmlFile(_decode_html(data, name))


def _decode_html(data: bytes, name: str) -> str:
    """UTF-8 like every text file, or the encoding the page itself declares (older pages)."""
    try:
        return decode_text(data, name)
    except InputError:
        from bs4.dammit import EncodingDetector

        declared = EncodingDetector.find_declared_encoding(data, is_html=True)
        if not declared:
            raise
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            raise InputError(
                f"{name} declares the encoding {declared!r} but is not valid in it; "
                "save the page as UTF-8"
            ) from None


def html_to_text(html: str) -> str:
    """Visible text of an HTML document, one paragraph per block element."""
    from bs4 import BeautifulSoup
    from bs4.element import Comment, Declaration, Doctype, NavigableString, Tag

    soup = BeautifulSoup(html, "html.parser")
    body = soup.body or soup
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        joined = "".join(current)
        current.clear()
        lines = [_SPACES.sub(" ", line).strip() for line in joined.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            blocks.append(text)

    # An explicit stack instead of recursion: a hostile page can nest thousands of levels.
    stack: list[tuple[Any, bool]] = [(body, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            flush()
        elif isinstance(node, (Comment, Declaration, Doctype)):
            continue
        elif isinstance(node, NavigableString):
            current.append(_SPACES.sub(" ", str(node)))
        elif isinstance(node, Tag):
            if node.name in _HTML_SKIP:
                continue
            if node.name == "br":
                current.append("\n")
                continue
            if node.name in _HTML_BLOCKS:
                flush()
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
    flush()
    return "\n\n".join(blocks)
