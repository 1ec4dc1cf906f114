"""Text out of the files people actually have: plain text, Markdown, HTML, Word, PDF, subtitles.

The web page takes uploads, and a news article often arrives as a ``.docx``, a saved web page or
a PDF rather than as clean text. Each format is read with a well-kept library (python-docx,
pypdf, Beautiful Soup, markdown-it-py, srt) and turned into paragraphs separated by blank lines,
which is what the pipeline keeps in place. A file that cannot be read is an ``InputError`` whose
message says what to do; whatever extraction leaves out (a PDF page without a text layer,
subtitle timings) is named in the document's ``warnings``.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .inputs import decode_text, read_file_bytes

__all__ = ["SUPPORTED_SUFFIXES", "Document", "extract_text", "read_document"]

log = logging.getLogger(__name__)

# A .docx is a zip of XML parts; more than this unpacked is a zip bomb, not an article.
_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# Subtitles separated by a pause this long (seconds) start a new paragraph.
_SUBTITLE_PAUSE = 2.0
# A PDF line this much shorter than the block's longest line, ending a sentence, ends a paragraph.
_SHORT_LINE = 0.8
_SENTENCE_END = (".", "!", "?", ":", "…", "。", "！", "？", '"', "»", "”")
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
_SRT_TAGS = re.compile(r"<[^>]{1,40}>|\{\\[^}]{0,40}\}")


@dataclass(frozen=True)
class Document:
    """The text of an uploaded or local file.

    Attributes:
        text: the running text, paragraphs separated by blank lines.
        name: the file name it came from.
        kind: the format it was read as: ``text``, ``markdown``, ``html``, ``docx``, ``pdf``,
            ``srt``.
        warnings: what the extraction left out or could not keep.
    """

    text: str
    name: str
    kind: str
    warnings: tuple[str, ...] = ()


def read_document(path: str | Path) -> Document:
    """The text of a file on disk, read according to its suffix.

    Raises:
        InputError: missing, unreadable, an unsupported type, damaged, or without any text.
    """
    return extract_text(read_file_bytes(path), Path(path).name)


def extract_text(data: bytes, name: str) -> Document:
    """The text of a file's bytes; ``name`` (its file name) chooses the format by suffix.

    Raises:
        InputError: an unsupported suffix, a damaged file, or a file without any text.
    """
    suffix = Path(name).suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        shown = f"{suffix!r} files" if suffix else "files without a suffix"
        raise InputError(
            f"{name}: {shown} are not supported; give one of: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    kind, read = reader
    try:
        text, warnings = read(data, name)
    except InputError:
        raise
    except RecursionError:
        raise InputError(f"{name} is nested too deeply to read; save it as plain text") from None
    except Exception as exc:
        # Parsers of untrusted files fail in many ways (zip, XML, PDF syntax errors); every one
        # of them means this file cannot be read, which is the user's to fix, not a bug.
        # The exception's own text can quote the file (a UnicodeDecodeError holds all of
        # its bytes): only at debug level, where the submitted text may appear.
        log.info("cannot read %s as %s: %s", name, kind, type(exc).__name__)
        log.debug("reading %s failed", name, exc_info=True)
        raise InputError(
            f"{name} could not be read as a {kind} file ({type(exc).__name__}); it may be "
            "damaged or in another format: save it again, or paste its text"
        ) from None
    text = text.strip()
    if not text:
        raise InputError(f"{name} contains no text to work on")
    return Document(text, name, kind, tuple(warnings))


# ---- formats ------------------------------------------------------------------------------


def _read_plain(data: bytes, name: str) -> tuple[str, list[str]]:
    return decode_text(data, name), []


def _read_markdown(data: bytes, name: str) -> tuple[str, list[str]]:
    from markdown_it import MarkdownIt

    # Rendered to HTML first, so headings, lists and emphasis become plain paragraphs the same
    # way a web page's do; raw HTML inside the Markdown is treated as markup too.
    html = MarkdownIt("commonmark").render(decode_text(data, name))
    return _html_to_text(html), []


def _read_html(data: bytes, name: str) -> tuple[str, list[str]]:
    return _html_to_text(_decode_html(data, name)), []


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


def _html_to_text(html: str) -> str:
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


def _read_docx(data: bytes, name: str) -> tuple[str, list[str]]:
    import docx
    from docx.table import Table

    _check_unpacked_size(data, name)
    document = docx.Document(io.BytesIO(data))
    paragraphs: list[str] = []
    tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            # A merged cell is returned once per grid column it spans; read it once. The set
            # holds the XML elements themselves (not ids), so they stay alive and distinct.
            seen: set[Any] = set()
            for row in block.rows:
                for cell in row.cells:
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        paragraphs.append(cell.text)
        else:
            paragraphs.append(block.text)
    warnings = []
    if tables:
        warnings.append(f"{name}: {tables} table(s) were read cell by cell, as paragraphs")
    return "\n\n".join(p.strip() for p in paragraphs if p.strip()), warnings


def _check_unpacked_size(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise InputError(
            f"{name} is not a Word .docx file (it is not a zip archive); an old .doc file must "
            "be saved as .docx first"
        ) from None
    if unpacked > _MAX_UNPACKED_BYTES:
        raise InputError(
            f"{name} unpacks to {unpacked // 2**20} MB, which is not a plain document; "
            "paste its text instead"
        )


def _read_pdf(data: bytes, name: str) -> tuple[str, list[str]]:
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
    return "\n\n".join(paragraphs), warnings


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


def _read_srt(data: bytes, name: str) -> tuple[str, list[str]]:
    import srt

    subtitles = list(srt.parse(decode_text(data, name)))
    paragraphs: list[list[str]] = []
    previous_end = None
    for subtitle in subtitles:
        words = _SPACES.sub(" ", _SRT_TAGS.sub("", subtitle.content)).strip()
        if not words:
            continue
        pause = (subtitle.start - previous_end).total_seconds() if previous_end is not None else 0.0
        if not paragraphs or pause >= _SUBTITLE_PAUSE:
            paragraphs.append([])
        paragraphs[-1].append(words)
        previous_end = subtitle.end
    text = "\n\n".join(" ".join(p) for p in paragraphs)
    warnings = [f"{name}: subtitle numbers and timings were left out; the words are kept in order"]
    return text, warnings


_Reader = Callable[[bytes, str], tuple[str, list[str]]]
_READERS: dict[str, tuple[str, _Reader]] = {
    ".txt": ("text", _read_plain),
    ".text": ("text", _read_plain),
    ".md": ("markdown", _read_markdown),
    ".markdown": ("markdown", _read_markdown),
    ".html": ("html", _read_html),
    ".htm": ("html", _read_html),
    ".docx": ("docx", _read_docx),
    ".pdf": ("pdf", _read_pdf),
    ".srt": ("srt", _read_srt),
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_READERS)
