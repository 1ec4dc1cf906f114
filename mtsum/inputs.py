"""Reading the user's text from files and bytes, with clear errors for what is not text.

Shared by the CLI and the web faces: a file that is binary, not UTF-8, a folder or missing is
an ``InputError`` whose message says what to do, never a ``UnicodeDecodeError`` traceback.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from .errors import InputError
from .terms import MAX_BYTES, Glossary, parse_glossary

__all__ = ["decode_text", "read_file_bytes", "read_glossary_file", "read_text_file"]

# A text file may carry a stray NUL (cleaned later, with a warning); a tenth of NUL bytes means
# binary data, or UTF-16 saved without its byte-order mark.
_BINARY_NUL_SHARE = 0.10


def decode_text(data: bytes, name: str) -> str:
    """Bytes of a text file as ``str``: UTF-8 (with or without BOM), or UTF-16 with a BOM.

    Raises:
        InputError: the bytes are binary data or not valid UTF-8; ``name`` is in the message.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name} starts like UTF-16 text but is not valid UTF-16") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:8192]:
            raise InputError(
                f"{name} looks like a binary file, not text; give a UTF-8 text file"
            ) from None
        raise InputError(
            f"{name} is not valid UTF-8 text (bad byte at position {exc.start}); convert it to "
            "UTF-8 first, for example: iconv -f latin1 -t utf-8 FILE > FILE.txt"
        ) from None
    if data and data.count(0) / len(data) > _BINARY_NUL_SHARE:
        raise InputError(
            f"{name} looks like a binary file (or UTF-16 text without a byte-order mark), "
            "not UTF-8 text; give a UTF-8 text file"
        )
    return text


def read_file_bytes(path: str | Path) -> bytes:
    """The bytes of a file on disk.

    Raises:
        InputError: missing, a folder, or unreadable; the message names the file.
    """
    file = Path(path)
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"cannot read {path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"cannot read {path}: it is a folder; give a file") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None


def read_text_file(path: str | Path) -> str:
    """The text of a file on disk.

    Raises:
        InputError: missing, a folder, unreadable, binary or not UTF-8.
    """
    return decode_text(read_file_bytes(path), str(path))


def read_glossary_file(file: str | Path | None) -> Glossary | None:
    """The glossary in ``file`` (TSV or CSV, see :mod:`mtsum.terms`), or None without one.

    Raises:
        InputError: unreadable, too big, or a bad line (the message names the file and line).
    """
    if file is None:
        return None
    path = Path(file)
    if path.is_file() and path.stat().st_size > MAX_BYTES:
        raise InputError(f"{path.name} is larger than a glossary may be ({MAX_BYTES:,} bytes)")
    return parse_glossary(read_file_bytes(path), path.name)
