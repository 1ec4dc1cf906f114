"""Which reader reads which file, and the plain text of a file for faces that need only text.

The suffix of the file's name chooses the reader; the name is never used as a path. Parsers
of untrusted files fail in many ways (zip, XML, PDF syntax errors); every one of those is an
``InputError`` naming the file and saying what to do, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..inputs import read_file_bytes
from .base import ParsedFile
from .docxfile import read_docx
from .epubfile import read_epub
from .htmlfile import read_html
from .markdownfile import read_markdown
from .odffile import read_odf
from .pdffile import read_pdf
from .pptxfile import read_pptx
from .srtfile import read_srt
from .textfile import read_text

__all__ = ["SUPPORTED_SUFFIXES", "ExtractedText", "extract_text", "parse_file", "read_document"]

log = logging.getLogger(__name__)

_Reader = Callable[[bytes, str], ParsedFile]
_READERS: dict[str, tuple[str, _Reader]] = {
    ".txt": ("text", read_text),
    ".text": ("text", read_text),
    ".md": ("markdown", read_markdown),
    ".markdown": ("markdown", read_markdown),
    ".html": ("html", read_html),
    ".htm": ("html", read_html),
    ".docx": ("docx", read_docx),
    ".pdf": ("pdf", read_pdf),
    ".srt": ("srt", read_srt),
    ".pptx": ("pptx", read_pptx),
    ".odt": ("odt", read_odf),
    ".odp": ("odp", read_odf),
    ".epub": ("epub", read_epub),
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_READERS)


@dataclass(frozen=True)
class ExtractedText:
    """The plain text of an uploaded or local file (for faces that work on text only).

    Attributes:
        text: the running text, paragraphs separated by blank lines.
        name: the file name it came from.
        kind: the format it was read as: ``text``, ``markdown``, ``html``, ``docx``, ``pdf``,
            ``srt``, ``pptx``, ``odt``, ``odp``, ``epub``.
        warnings: what the extraction left out or could not keep.
    """

    text: str
    name: str
    kind: str
    warnings: tuple[str, ...] = ()


def parse_file(data: bytes, name: str) -> ParsedFile:
    """A file's bytes taken apart into translatable units; ``name`` chooses the format.

    Raises:
        InputError: an unsupported suffix, a damaged or hostile file.
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
        return read(data, name)
    except InputError:
        raise
    except RecursionError:
        raise InputError(f"{name} is nested too deeply to read; save it as plain text") from None
    except Exception as exc:
        # Every parser failure means this file cannot be read, which is the user's to fix, not
        # a bug. The exception's own text can quote the file (a UnicodeDecodeError holds all of
        # its bytes): only at debug level, where the submitted text may appear.
        log.info("cannot read %s as %s: %s", name, kind, type(exc).__name__)
        log.debug("reading %s failed", name, exc_info=True)
        raise InputError(
            f"{name} could not be read as a {kind} file ({type(exc).__name__}); it may be "
            "damaged or in another format: save it again, or paste its text"
        ) from None


def extract_text(data: bytes, name: str) -> ExtractedText:
    """The plain text of a file's bytes; ``name`` (its file name) chooses the format by suffix.

    Raises:
        InputError: an unsupported suffix, a damaged file, or a file without any text.
    """
    parsed = parse_file(data, name)
    try:
        text, warnings = parsed.plain_text()
    except RecursionError:
        raise InputError(f"{name} is nested too deeply to read; save it as plain text") from None
    text = text.strip()
    if not text:
        raise InputError(f"{name} contains no text to work on")
    return ExtractedText(text, name, parsed.kind, tuple(warnings))


def read_document(path: str | Path) -> ExtractedText:
    """The plain text of a file on disk, read according to its suffix.

    Raises:
        InputError: missing, unreadable, an unsupported type, damaged, or without any text.
    """
    return extract_text(read_file_bytes(path), Path(path).name)
