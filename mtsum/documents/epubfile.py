"""E-books (``.epub``): every XHTML chapter translated, the package says the new language.

ebooklib reads the package (``META-INF/container.xml``, the OPF manifest) and names the
chapters: every XHTML item (the navigation document included) and the EPUB 2 table of contents
(``toc.ncx``). Their text nodes are the units, by the same rules as an HTML page
(``documents.markup``): code, scripts, styles and ``translate="no"`` parts stay as they are, and
each text node is one unit.

Two things are done by hand, each for a reason:

* The chapters are parsed with lxml's XML parser, not through Beautiful Soup: XHTML is XML, and
  Beautiful Soup's HTML parser lowercases SVG names (``viewBox``) and writes ``<br>``, which an
  e-reader's XML parser refuses, while its XML builder (bs4 4.15 with lxml 6) drops the
  namespace declarations. lxml keeps the file as it was, byte for byte outside the text.
* The book is written by copying its zip member by member, replacing only the translated
  chapters and the package file (its ``dc:language``): ebooklib's own writer re-templates
  every chapter (dropping the stylesheet links of its head). Images, styles and fonts are
  copied unchanged, ``mimetype`` stays first and stored.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from .base import ParsedFile, check_zip, count_in_members

__all__ = ["EpubFile", "read_epub"]

# lxml parses a million tags in well under a second; the character limit (MTSUM_MAX_CHARS)
# bounds the translation anyway. This bounds the parse of a hostile book before it starts.
MAX_TAGS = 1_000_000
_CHAPTER_TYPES = frozenset({"application/xhtml+xml", "application/x-dtbncx+xml"})
# As markup._SKIPPED (HTML's code-like and non-reader elements), plus the NCX's author.
_SKIPPED = frozenset(
    {"script", "style", "template", "code", "pre", "kbd", "samp", "var", "math", "noscript"}
    | {"docAuthor"}
)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DC_LANGUAGE = "{http://purl.org/dc/elements/1.1/}language"


@dataclass
class _Chapter:
    """One XML member of the book: its parsed tree and its text slots (element, attribute)."""

    path: str
    tree: Any
    slots: list[tuple[Any, str, str, str]] = field(default_factory=list)  # node, slot, lead, trail


class EpubFile(ParsedFile):
    """An e-book whose units are the text nodes of its chapters."""

    kind = "epub"
    output_suffixes = (".epub", ".txt")

    def __init__(self, data: bytes, package: str, chapters: list[_Chapter], warnings: list[str]):
        self._data = data
        self._package = package
        self._chapters = chapters
        units = [
            _collapse(getattr(node, slot))
            for chapter in chapters
            for node, slot, _, _ in chapter.slots
        ]
        super().__init__(units, warnings)

    def _write(self, translations: list[str], target: str) -> bytes:
        from lxml import etree

        replaced: dict[str, bytes] = {}
        texts = iter(translations)
        for chapter in self._chapters:
            for node, slot, lead, trail in chapter.slots:
                setattr(node, slot, f"{lead}{next(texts)}{trail}")
            root = chapter.tree.getroot()
            if etree.QName(root).localname == "html":
                root.set("lang", target)
            if etree.QName(root).localname == "html" or root.get(_XML_LANG) is not None:
                root.set(_XML_LANG, target)
            replaced[chapter.path] = etree.tostring(
                chapter.tree, xml_declaration=True, encoding="utf-8"
            )
        replaced[self._package] = _package_with_language(self._data, self._package, target)
        return _copy_zip(self._data, replaced)


def read_epub(data: bytes, name: str) -> EpubFile:
    """An ``.epub`` file, refused quickly when it is a zip bomb or absurdly large.

    Raises:
        InputError: not an e-book, or too large to be one.
    """
    from ebooklib import epub

    check_zip(data, name, "EPUB e-book", "give an .epub file (EPUB 2 or 3)")
    tags, entity = count_in_members(data, _is_markup, (b"<",))
    if entity is not None:
        raise InputError(f"{name} declares XML entities in {entity}, which no e-book does")
    if tags > MAX_TAGS:
        raise InputError(
            f"{name} has {tags} XML tags, more than any e-book within the text limit "
            f"(at most {MAX_TAGS}); save it as plain text"
        )
    reader = epub.EpubReader(io.BytesIO(data), {"ignore_ncx": True})
    book = reader.load()
    reader.process()
    chapters, warnings = [], []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for item in book.get_items():
            if item.media_type not in _CHAPTER_TYPES:
                continue
            path = posixpath.normpath(posixpath.join(reader.opf_dir, item.file_name))
            try:
                chapters.append(_chapter(path, archive.read(path)))
            except (KeyError, SyntaxError) as exc:  # lxml's XMLSyntaxError is a SyntaxError
                warnings.append(
                    f"{name}: {item.file_name} is not well-formed XHTML or nests over 256 "
                    f"levels ({type(exc).__name__}); it was kept untranslated"
                )
    return EpubFile(data, reader.opf_file, chapters, warnings)


def _is_markup(member: str) -> bool:
    return member.lower().endswith((".xhtml", ".html", ".htm", ".xml", ".opf", ".ncx"))


def _chapter(path: str, raw: bytes) -> _Chapter:
    """A chapter parsed, with its translatable text slots in reading order."""
    from lxml import etree

    # No entities, no network, libxml2's default depth limit: a hostile chapter stays inert.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tree = etree.ElementTree(etree.fromstring(raw, parser))
    chapter = _Chapter(path, tree)
    # (node, slot, allowed): a node's own text, or the tail that follows it in its parent.
    stack: list[tuple[Any, str, bool]] = [(tree.getroot(), "text", True)]
    while stack:
        node, slot, allowed = stack.pop()
        if slot == "text":
            if not isinstance(node.tag, str):
                continue  # a comment or processing instruction: no text of its own
            allowed = _allowed(node, allowed)
            for child in reversed(node):
                stack.append((child, "tail", allowed))
                stack.append((child, "text", allowed))
        value = getattr(node, slot)
        if allowed and value and any(ch.isalpha() for ch in value):
            lead, trail = value[: len(value) - len(value.lstrip())], value[len(value.rstrip()) :]
            chapter.slots.append((node, slot, lead, trail))
    return chapter


def _allowed(element: Any, inherited: bool) -> bool:
    """Whether an element's text may be translated, given its parent's answer (HTML's rules:
    code-like elements and ``class="notranslate"`` never; ``translate`` decides otherwise)."""
    from lxml import etree

    if etree.QName(element).localname in _SKIPPED:
        return False
    if "notranslate" in (element.get("class") or "").split():
        return False
    flag = (element.get("translate") or "").strip().lower()
    if flag == "no":
        return False
    return True if flag == "yes" else inherited


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _package_with_language(data: bytes, package: str, target: str) -> bytes:
    """The package file (OPF) with ``target`` as its ``dc:language``."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        tree = etree.ElementTree(etree.fromstring(archive.read(package), parser))
    for element in tree.getroot().iter(_DC_LANGUAGE):
        element.text = target
    written: bytes = etree.tostring(tree, xml_declaration=True, encoding="utf-8")
    return written


def _copy_zip(data: bytes, replaced: dict[str, bytes]) -> bytes:
    """The archive with the members of ``replaced`` swapped in, everything else as it was."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w") as archive,
    ):
        for info in source.infolist():
            archive.writestr(info, replaced.get(info.filename, source.read(info)))
    return out.getvalue()
