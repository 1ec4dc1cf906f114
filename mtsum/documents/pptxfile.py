"""PowerPoint slides (``.pptx``): every text frame, table cell and speaker note, layout kept.

Each paragraph of a text frame (shapes, placeholders, shapes inside groups), of every table
cell and of every slide's notes is one unit, translated as a whole and spread back over its
runs in proportion to their length (``base.distribute``), as for ``.docx``. Only the text of
the runs' ``<a:t>`` elements changes (and the run's ``lang``, so spelling checks the new
language); positions, sizes, fonts, bold and italic, hyperlinks (kept in the run properties),
pictures and animations stay as they were. Fields (slide numbers, dates), charts and diagrams
are kept as they are; the warnings say how many charts and diagrams were left.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from .base import ParsedFile, check_zip, count_in_members, distribute

__all__ = ["PptxFile", "read_pptx"]

# As for .docx (docxfile.MAX_TEXT_ELEMENTS): a run holds at least one character, so more text
# elements than twice the default character limit cannot be a deck within it; counted in the
# raw XML before python-pptx parses anything.
MAX_TEXT_ELEMENTS = 200_000
_SLIDE_PARTS = ("ppt/slides/", "ppt/notesSlides/")


class PptxFile(ParsedFile):
    """A slide deck whose units are its paragraphs' texts (slides, tables, notes)."""

    kind = "pptx"
    output_suffixes = (".pptx", ".txt")

    def __init__(self, presentation: Any, name: str) -> None:
        self._presentation = presentation
        self._paragraphs: list[list[Any]] = []
        units = []
        left = 0
        for slide in presentation.slides:
            for paragraph in _paragraphs(slide):
                elements = paragraph._p.xpath("./a:r/a:t")
                text = "".join(element.text or "" for element in elements)
                if text.strip():
                    self._paragraphs.append(elements)
                    units.append(text)
            left += sum(1 for shape in _shapes(slide.shapes) if _is_chart_or_diagram(shape))
        warnings = []
        if left:
            warnings.append(
                f"{name}: {left} chart(s), diagram(s) or embedded object(s) were kept untranslated"
            )
        super().__init__(units, warnings)

    def _write(self, translations: list[str], target: str) -> bytes:
        for elements, translation in zip(self._paragraphs, translations, strict=True):
            pieces = distribute(translation, [e.text or "" for e in elements], target)
            for element, piece in zip(elements, pieces, strict=True):
                element.text = piece
                properties = element.getparent().find(_qualified("a:rPr"))
                if properties is not None and properties.get("lang"):
                    properties.set("lang", target)
        buffer = io.BytesIO()
        self._presentation.save(buffer)
        return buffer.getvalue()


def read_pptx(data: bytes, name: str) -> PptxFile:
    """A ``.pptx`` file, refused quickly when it is a zip bomb or has absurdly many runs.

    Raises:
        InputError: not a PowerPoint file, or too large to be a deck.
    """
    import pptx

    check_zip(data, name, "PowerPoint .pptx", "an old .ppt file must be saved as .pptx first")
    count, entity = count_in_members(
        data, lambda member: member.startswith(_SLIDE_PARTS), (b"<a:t>", b"<a:t ")
    )
    if entity is not None:
        raise InputError(f"{name} declares XML entities in {entity}, which no deck does")
    if count > MAX_TEXT_ELEMENTS:
        raise InputError(
            f"{name} has {count} pieces of formatted text, more than any deck within the text "
            f"limit (at most {MAX_TEXT_ELEMENTS}); save it as plain text"
        )
    return PptxFile(pptx.Presentation(io.BytesIO(data)), name)


def _qualified(tag: str) -> str:
    from pptx.oxml.ns import qn

    return str(qn(tag))


def _shapes(shapes: Any) -> Iterator[Any]:
    """Every shape, those inside groups (and groups in them) included, in z-order."""
    from pptx.shapes.group import GroupShape

    for shape in shapes:
        if isinstance(shape, GroupShape):
            yield from _shapes(shape.shapes)
        else:
            yield shape


def _paragraphs(slide: Any) -> Iterator[Any]:
    """The paragraphs of a slide: its text frames and table cells, then its notes."""
    from pptx.shapes.graphfrm import GraphicFrame

    for shape in _shapes(slide.shapes):
        if shape.has_text_frame:
            yield from shape.text_frame.paragraphs
        elif isinstance(shape, GraphicFrame) and shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    if not cell.is_spanned:  # a merged cell's text lives in its first cell
                        yield from cell.text_frame.paragraphs
    if slide.has_notes_slide:
        notes = slide.notes_slide.notes_text_frame
        if notes is not None:
            yield from notes.paragraphs


def _is_chart_or_diagram(shape: Any) -> bool:
    """A graphic frame that is not a table: a chart, a SmartArt diagram, an embedded object."""
    from pptx.shapes.graphfrm import GraphicFrame

    return isinstance(shape, GraphicFrame) and not shape.has_table
