"""OpenDocument text and slides (``.odt``, ``.odp``): paragraphs, spans, headings, lists, tables.

Read and written with odfpy. Every ``text:p`` and ``text:h`` of the body is one unit: the
paragraphs of lists, table cells, text boxes, slides and their speaker notes, and footnotes
(each its own unit, outside the paragraph that cites it); in a text document also the headers
and footers of its master pages. A unit is translated as a whole and spread back over its text
nodes in proportion to their length (``base.distribute``), so spans (bold, italic), links,
styles and list structure stay where they were. Comments (``office:annotation``) and slide
master prompts are kept as they are.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from .base import ParsedFile, check_zip, count_in_members, distribute

__all__ = ["OdfFile", "read_odf"]

# odfpy builds a Python object per element. Measured here: 100 000 paragraphs (200 000 tags)
# loaded in 2.8 s on a busy 2-core machine; a 100 000-character document with a span on every
# word has about 40 000 tags. Counted in the raw XML, so a hostile file is refused in
# milliseconds, before odfpy sees it.
MAX_TAGS = 200_000
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_DRAW_NS = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_PARAGRAPHS = frozenset({(_TEXT_NS, "p"), (_TEXT_NS, "h")})
# Inside a paragraph, these hold text of their own (a footnote's body, a frame's paragraphs, a
# comment): not part of the paragraph's sentence. Footnotes and frames are units of their own.
_APART = frozenset(
    {(_TEXT_NS, "note"), (_DRAW_NS, "frame"), (_OFFICE_NS, "annotation"), *_PARAGRAPHS}
)
# Elements that stand for white space between two text nodes.
_SPACES = frozenset({(_TEXT_NS, "s"), (_TEXT_NS, "tab"), (_TEXT_NS, "line-break")})
_KINDS = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
_TEXT_NODE = 3


class OdfFile(ParsedFile):
    """An OpenDocument text or presentation whose units are its paragraphs' texts."""

    def __init__(self, document: Any, kind: str) -> None:
        self.kind = kind
        self.output_suffixes = (f".{kind}", ".txt")
        self._document = document
        self._paragraphs: list[list[Any]] = []
        units = []
        for paragraph in _paragraphs(document, kind):
            nodes, text = _text_nodes(paragraph)
            if text.strip():
                self._paragraphs.append(nodes)
                units.append(text)
        super().__init__(units)

    def _write(self, translations: list[str], target: str) -> bytes:
        for nodes, translation in zip(self._paragraphs, translations, strict=True):
            pieces = distribute(translation, [node.data for node in nodes], target)
            for node, piece in zip(nodes, pieces, strict=True):
                node.data = piece
        _set_language(self._document, target)
        buffer = io.BytesIO()
        self._document.save(buffer)
        return buffer.getvalue()


def read_odf(data: bytes, name: str) -> OdfFile:
    """An ``.odt`` or ``.odp`` file, refused quickly when it is a zip bomb or absurdly large.

    Raises:
        InputError: not an OpenDocument text or presentation, or too large to be one.
    """
    from odf.opendocument import load

    check_zip(data, name, "OpenDocument", "save it again as .odt or .odp")
    tags, entity = count_in_members(data, lambda member: member.endswith(".xml"), (b"<",))
    if entity is not None:
        raise InputError(f"{name} declares XML entities in {entity}, which no document does")
    if tags > MAX_TAGS:
        raise InputError(
            f"{name} has {tags} XML tags, more than any document within the text limit "
            f"(at most {MAX_TAGS}); save it as plain text"
        )
    _check_well_formed(data, name)
    document = load(io.BytesIO(data))
    kind = _KINDS.get(str(document.mimetype))
    if kind is None or not name.lower().endswith(f".{kind}"):
        raise InputError(
            f"{name} is an OpenDocument of type {document.mimetype!r}; give a text "
            "document as .odt, a presentation as .odp"
        )
    return OdfFile(document, kind)


def _check_well_formed(data: bytes, name: str) -> None:
    """Refuse damaged or absurdly deep XML before odfpy reads it.

    odfpy builds its tree without limits and writes it back recursively: 50 000 nested spans
    took 2.4 s to load and then failed to write. lxml parses in C, in milliseconds, and
    refuses nesting deeper than 256 levels (libxml2's default), which no document needs.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in ("content.xml", "styles.xml"):
            if member not in archive.namelist():
                continue
            try:
                etree.fromstring(archive.read(member), parser)
            except etree.XMLSyntaxError:
                raise InputError(
                    f"{name} is damaged or nested too deeply (its {member} is not well-formed "
                    "XML or nests over 256 levels); save it again, or paste its text"
                ) from None


def _paragraphs(document: Any, kind: str) -> Iterator[Any]:
    """Every paragraph and heading of the body, then (text documents) of headers and footers."""
    roots = [document.body]
    if kind == "odt":
        roots.append(document.masterstyles)
    for root in roots:
        stack = [root]  # depth first, in document order, without recursion
        while stack:
            element = stack.pop()
            if element.qname == (_OFFICE_NS, "annotation"):
                continue
            if element.qname in _PARAGRAPHS:
                yield element
            stack.extend(
                child for child in reversed(element.childNodes) if child.nodeType != _TEXT_NODE
            )


def _text_nodes(paragraph: Any) -> tuple[list[Any], str]:
    """The text nodes of a paragraph's own sentence, and its text (spaces for ``text:s``,
    tabs and line breaks, so the words on either side stay apart)."""
    nodes: list[Any] = []
    parts: list[str] = []
    stack = list(reversed(paragraph.childNodes))
    while stack:
        node = stack.pop()
        if node.nodeType == _TEXT_NODE:
            nodes.append(node)
            parts.append(node.data)
        elif node.qname in _SPACES:
            parts.append(" ")
        elif node.qname not in _APART:
            stack.extend(reversed(node.childNodes))
    return nodes, "".join(parts)


def _set_language(document: Any, target: str) -> None:
    """Say ``target`` in the document's metadata (``dc:language``), where it says a language."""
    from odf import dc

    for element in document.meta.getElementsByType(dc.Language):
        for child in element.childNodes:
            if child.nodeType == _TEXT_NODE:
                child.data = target
