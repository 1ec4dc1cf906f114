"""What every file format hands the core: an ordered list of text units, and a way back.

A reader turns a file into a :class:`ParsedFile`: its translatable units (a paragraph's text, a
subtitle cue, a text node), in reading order, each without blank lines in it, plus whatever the
format needs to put translated units back (kept private by each format). The core translates
the units and calls :meth:`ParsedFile.write`; it never sees a file format. The same object also
gives the file's readable text (:meth:`ParsedFile.plain_text`) for faces that only need text.
"""

from __future__ import annotations

import bisect
import io
import re
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

from ..errors import InputError
from ..text import joiner_for

__all__ = ["ParsedFile", "check_zip", "count_in_members", "distribute"]

# A .docx is a zip of XML parts. Chosen, not measured on a corpus: a document at the default
# character limit (100 000 characters) with dense formatting is a few MB of XML, pictures add
# tens of MB; far beyond that is a zip bomb, refused before a parser allocates anything for it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_XML_BYTES = 50 * 1024 * 1024
# A Word file has a few dozen parts (styles, numbering, headers, media); thousands is an attack.
MAX_ZIP_MEMBERS = 2000
_SPACE = re.compile(r"\s+")
# The members that are XML text (Office and OpenDocument parts, e-book chapters and packages).
_XML_SUFFIXES = (".xml", ".rels", ".xhtml", ".html", ".htm", ".opf", ".ncx")


class ParsedFile(ABC):
    """A file taken apart into translatable units.

    Attributes:
        kind: the format it was read as (``text``, ``markdown``, ``html``, ``docx``, ``pdf``,
            ``srt``, ``pptx``, ``odt``, ``odp``, ``epub``).
        units: the texts of the file, in reading order; none holds a blank line. Those
            without letters (numbers, symbols) are kept as they are.
        warnings: what a translation of this file cannot keep, if anything.
    """

    kind: str = ""
    output_suffixes: tuple[str, ...] = ()
    """The suffixes :meth:`write` can produce, the file's own (or its stand-in) first."""

    def __init__(self, units: list[str], warnings: list[str] | None = None) -> None:
        self.units = units
        self.warnings = list(warnings or [])

    def plain_text(self) -> tuple[str, list[str]]:
        """The readable text (paragraphs separated by blank lines) and what reading the file
        as text leaves out. By default the units, one paragraph each."""
        return "\n\n".join(u.strip() for u in self.units if u.strip()), list(self.warnings)

    def write(self, translations: Sequence[str], target: str, suffix: str) -> bytes:
        """The file rebuilt with each unit replaced by its translation.

        Args:
            translations: one text per unit, in order.
            target: the language of the translations (for ``lang`` attributes and the like).
            suffix: one of :attr:`output_suffixes`; ``.txt`` is the translated units as
                paragraphs.

        Raises:
            ValueError: not one translation per unit, or a suffix this format cannot write.
        """
        if len(translations) != len(self.units):
            raise ValueError(f"write needs {len(self.units)} translations, got {len(translations)}")
        if suffix not in self.output_suffixes:
            raise ValueError(f"a {self.kind} file cannot be written as {suffix}")
        if suffix == ".txt" and self.output_suffixes[0] != ".txt":
            return "\n\n".join(t.strip() for t in translations if t.strip()).encode() + b"\n"
        return self._write(list(translations), target)

    @abstractmethod
    def _write(self, translations: list[str], target: str) -> bytes:
        """The file in its own (or its stand-in) format; ``translations`` are checked."""


def distribute(text: str, parts: Sequence[str], language: str) -> list[str]:
    """``text`` cut into one piece per source part, sized in proportion to the parts' lengths.

    A paragraph is translated as a whole, then spread back over the runs it came from (bold,
    italic, a link, ...): the cuts fall at the word boundaries nearest to the proportional
    positions, so no word is split and each run keeps about its share of the text. Text in a
    language written without spaces (``language``: Chinese, Japanese, Thai) is cut between
    characters instead. Each piece then takes
    the whitespace its part had at either end (so runs stay spaced as they were), plus one
    space where a cut between two words met parts without one. A part without text keeps only
    its own whitespace.
    """
    if not parts:
        return []
    weights = [len(part.strip()) for part in parts]
    total = sum(weights)
    if len(parts) == 1 or total <= 0:
        pieces = [text, *[""] * (len(parts) - 1)]
    else:
        cuts = [m.end() for m in _SPACE.finditer(text) if 0 < m.end() < len(text)]
        if not cuts and not joiner_for(language):
            cuts = list(range(1, len(text)))
        pieces, start, seen = [], 0, 0
        for weight in weights[:-1]:
            seen += weight
            end = (
                start
                if weight <= 0
                else _nearest_cut(cuts, len(text) * seen / total, start, len(text))
            )
            pieces.append(text[start:end])
            start = end
        pieces.append(text[start:])
    out = []
    for index, (piece, part) in enumerate(zip(pieces, parts, strict=True)):
        lead = part[: len(part) - len(part.lstrip())]
        trail = part[len(part.rstrip()) :]
        following = parts[index + 1] if index + 1 < len(parts) else "x"
        if piece.strip() and piece != piece.rstrip() and not trail and following[:1].strip():
            trail = " "  # the words on either side of this cut must stay apart
        out.append(f"{lead}{piece.strip()}{trail}" if part.strip() else part + piece.strip())
    return out


def _nearest_cut(cuts: list[int], goal: float, start: int, end: int) -> int:
    """The cut nearest ``goal`` that is not before ``start``; ``end`` when none is left."""
    first = bisect.bisect_left(cuts, start)
    index = bisect.bisect_left(cuts, goal, lo=first)
    near = cuts[max(first, index - 1) : index + 1]
    return min(near, key=lambda c: abs(c - goal)) if near else end


def check_zip(
    data: bytes,
    name: str,
    what: str,
    hint: str = "an old .doc file must be saved as .docx first",
) -> None:
    """Refuse a zip-based file (``.docx``, ``.pptx``, ``.odt``, ``.epub``) whose declared
    contents are far too large; ``hint`` says what to do with a file that is not a zip.

    The sizes come from the archive's directory, so nothing is unpacked to check them; a
    member that lies about its size fails its checksum when read and is refused then.

    Raises:
        InputError: not a zip archive, too many members, or too much unpacked data.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise InputError(f"{name} is not a {what} file (it is not a zip archive); {hint}") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise InputError(
            f"{name} holds {len(members)} parts, which is not a plain document "
            f"(at most {MAX_ZIP_MEMBERS}); paste its text instead"
        )
    unpacked = sum(info.file_size for info in members)
    xml = sum(info.file_size for info in members if info.filename.endswith(_XML_SUFFIXES))
    if unpacked > MAX_UNPACKED_BYTES or xml > MAX_XML_BYTES:
        raise InputError(
            f"{name} unpacks to {unpacked // 2**20} MB ({xml // 2**20} MB of XML), which is not "
            "a plain document; paste its text instead"
        )


def count_in_members(
    data: bytes, wanted: Callable[[str], bool], needles: Sequence[bytes]
) -> tuple[int, str | None]:
    """How often ``needles`` occur in the raw bytes of the members ``wanted`` picks by name.

    Counting tags in the raw XML takes milliseconds where parsing a hostile file takes seconds
    and its memory; the formats refuse a file on this count before any parser sees it. Call
    it after :func:`check_zip`, which bounds what is unpacked here.

    Returns:
        The count, and the name of the first member that declares an entity (``<!ENTITY``),
        or None: a document part never needs one, and an entity that expands to itself a
        billion times is the oldest XML bomb.
    """
    count, entity = 0, None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not wanted(info.filename):
                continue
            raw = archive.read(info)
            count += sum(raw.count(needle) for needle in needles)
            if entity is None and b"<!ENTITY" in raw:
                entity = info.filename
    return count, entity
