"""Slides, OpenDocument and e-books come back translated in their own format, structure kept.

The files are written here (python-pptx, odfpy, ebooklib) and translated by the upper-casing
stand-in pipeline, so every unit's place in the output can be checked; the outputs are then
opened with the same libraries to compare their structure with the original's.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from mtsum.documents import SUPPORTED_SUFFIXES, extract_text, parse_file, translate_file
from mtsum.request import Request
from tests.support.docbuilders import (
    PNG_PIXEL,
    UpperPipeline,
    make_book_epub,
    make_deck_pptx,
    make_press_odt,
    make_slides_odp,
)


def _pptx_structure(data: bytes) -> list[list[tuple[str, int]]]:
    """Per slide, per shape: its kind and how many paragraphs it holds."""
    import pptx

    deck = pptx.Presentation(io.BytesIO(data))
    slides = []
    for slide in deck.slides:
        shapes = []
        for shape in slide.shapes:
            count = len(shape.text_frame.paragraphs) if shape.has_text_frame else 0
            shapes.append((type(shape).__name__, count))
        slides.append(shapes)
    return slides


def test_pptx_keeps_slides_shapes_paragraphs_bold_links_tables_and_notes() -> None:
    import pptx

    original = make_deck_pptx()
    translated = translate_file(UpperPipeline(), original, "deck.pptx", Request(target="en"))
    assert translated.name == "deck.en.pptx"
    assert _pptx_structure(translated.data) == _pptx_structure(original)
    deck = pptx.Presentation(io.BytesIO(translated.data))
    first, second = deck.slides
    assert first.shapes.title.text == "LES RÉSULTATS DU TRIMESTRE"
    box = first.shapes[1].text_frame
    bold = [run.text for run in box.paragraphs[0].runs if run.font.bold]
    assert bold and bold[0].strip() and bold[0] == bold[0].upper()
    assert {run._r.rPr.get("lang") for run in box.paragraphs[0].runs} == {"en"}
    link = box.paragraphs[1].runs[0]
    assert link.text == "LISEZ LE RAPPORT COMPLET"
    assert link.hyperlink.address == "https://example.org/rapport"
    assert first.shapes[2].shapes[0].text_frame.text == "UNE NOTE DANS UN GROUPE"
    assert first.notes_slide.notes_text_frame.text == "PARLER LENTEMENT DES CHIFFRES DU MARCHÉ."
    table = next(shape for shape in second.shapes if shape.has_table).table
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["VILLE", "HABITANTS"],
        ["LYON", "520 000"],
    ]
    # Layout untouched: every shape where it was, with the size it had.
    before = pptx.Presentation(io.BytesIO(original))
    for old, new in zip(before.slides, deck.slides, strict=True):
        assert [(s.left, s.top, s.width, s.height) for s in old.shapes] == [
            (s.left, s.top, s.width, s.height) for s in new.shapes
        ]


def _odf_counts(data: bytes) -> dict[str, int]:
    from odf import table, text
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    kinds = {"p": text.P, "h": text.H, "span": text.Span, "a": text.A, "list": text.List}
    counts = {key: len(document.body.getElementsByType(kind)) for key, kind in kinds.items()}
    counts["cells"] = len(document.body.getElementsByType(table.TableCell))
    return counts


def test_odt_keeps_headings_spans_links_lists_and_tables() -> None:
    from odf import dc, teletype, text
    from odf.opendocument import load

    original = make_press_odt()
    translated = translate_file(UpperPipeline(), original, "press.odt", Request(target="en"))
    assert translated.suffix == ".odt"
    assert _odf_counts(translated.data) == _odf_counts(original)
    document = load(io.BytesIO(translated.data))
    assert teletype.extractText(document.meta.getElementsByType(dc.Language)[0]) == "en"
    heading = document.body.getElementsByType(text.H)[0]
    assert teletype.extractText(heading) == "COMMUNIQUÉ DE PRESSE"
    span = document.body.getElementsByType(text.Span)[0]
    assert span.getAttribute("stylename") == "Gras"
    assert teletype.extractText(span).strip().isupper()
    link = document.body.getElementsByType(text.A)[0]
    assert link.getAttribute("href") == "https://example.org/budget"
    paragraphs = [teletype.extractText(p) for p in document.body.getElementsByType(text.P)]
    assert "PREMIER POINT DE LA LISTE" in paragraphs
    assert paragraphs[-2:] == ["LYON", "520 000"]
    whole = teletype.extractText(document.body.getElementsByType(text.P)[0])
    assert whole == "LE CONSEIL A VOTÉ UN BUDGET NOUVEAU POUR LA VILLE. LISEZ LE DÉTAIL EN LIGNE."


def test_odp_keeps_slides_frames_and_spans() -> None:
    from odf import draw, teletype, text
    from odf.opendocument import load

    original = make_slides_odp()
    translated = translate_file(UpperPipeline(), original, "slides.odp", Request(target="en"))
    assert translated.suffix == ".odp"
    before, after = load(io.BytesIO(original)), load(io.BytesIO(translated.data))
    for kind in (draw.Page, draw.Frame, text.P, text.Span):
        assert len(after.body.getElementsByType(kind)) == len(before.body.getElementsByType(kind))
    paragraphs = [teletype.extractText(p) for p in after.body.getElementsByType(text.P)]
    assert paragraphs == [
        "LA VILLE INVESTIT DANS LES TRANSPORTS.",
        "LES TRAVAUX COMMENCENT EN MAI.",
    ]


def test_a_presentation_named_odt_is_refused_with_what_to_do() -> None:
    from mtsum.errors import InputError

    with pytest.raises(InputError, match=r"presentation as \.odp"):
        parse_file(make_slides_odp(), "slides.odt")


def test_epub_chapters_are_translated_and_it_opens_with_ebooklib() -> None:
    from ebooklib import epub

    original = make_book_epub()
    translated = translate_file(UpperPipeline(), original, "book.epub", Request(target="en"))
    assert translated.name == "book.en.epub"
    book = epub.read_epub(io.BytesIO(translated.data), {"ignore_ncx": True})
    assert book.get_metadata("DC", "language")[0][0] == "en"
    after = zipfile.ZipFile(io.BytesIO(translated.data))
    # The files as written (ebooklib's get_content() would re-template them).
    chapters = {
        item.file_name: after.read(f"EPUB/{item.file_name}").decode()
        for item in book.get_items()
        if item.media_type == "application/xhtml+xml"
    }
    assert set(chapters) == {"chap1.xhtml", "chap2.xhtml", "nav.xhtml"}
    first = chapters["chap1.xhtml"]
    assert "<b>DEMAIN MATIN</b>" in first and "LE TRAIN PART" in first
    assert 'lang="en"' in first and 'xml:lang="en"' in first
    assert 'href="style/main.css"' in first  # the stylesheet link of the head is kept
    assert "<pre>code = 1</pre>" in chapters["chap2.xhtml"]  # code is never translated
    assert "LE DÉPART" in chapters["nav.xhtml"]
    # Images and styles are the same bytes; mimetype is still the first member, stored.
    before = zipfile.ZipFile(io.BytesIO(original))
    assert after.read("EPUB/images/cover.png") == PNG_PIXEL
    assert after.read("EPUB/style/main.css") == before.read("EPUB/style/main.css")
    assert after.namelist() == before.namelist()
    assert after.infolist()[0].filename == "mimetype"
    assert after.infolist()[0].compress_type == zipfile.ZIP_STORED


def test_a_malformed_chapter_is_kept_and_said() -> None:
    source = zipfile.ZipFile(io.BytesIO(make_book_epub()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "EPUB/chap2.xhtml":
                data = data.replace(b"</body>", b"<p>pas ferme</body>")
            archive.writestr(info, data)
    translated = translate_file(UpperPipeline(), out.getvalue(), "book.epub", Request(target="en"))
    assert any("chap2.xhtml is not well-formed" in w for w in translated.warnings)
    after = zipfile.ZipFile(io.BytesIO(translated.data))
    assert b"Il arrive" in after.read("EPUB/chap2.xhtml")


@pytest.mark.parametrize(
    ("name", "build", "expected"),
    [
        ("deck.pptx", make_deck_pptx, "Parler lentement"),
        ("press.odt", make_press_odt, "Premier point"),
        ("slides.odp", make_slides_odp, "commencent en mai"),
        ("book.epub", make_book_epub, "demain matin"),
    ],
)
def test_the_new_formats_are_read_as_text_for_the_text_faces(
    name: str, build: object, expected: str
) -> None:
    assert callable(build)
    extracted = extract_text(build(), name)
    assert expected in extracted.text
    assert extracted.kind == name.rsplit(".", 1)[1]
    assert f".{extracted.kind}" in SUPPORTED_SUFFIXES


def test_a_chart_is_kept_and_counted_in_the_warnings() -> None:
    import pptx
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    deck = pptx.Presentation(io.BytesIO(make_deck_pptx()))
    data = CategoryChartData()
    data.categories = ["Lyon", "Paris"]
    data.add_series("Habitants", (520, 2100))
    deck.slides[1].shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(4), Inches(4), Inches(2), data
    )
    buffer = io.BytesIO()
    deck.save(buffer)
    translated = translate_file(
        UpperPipeline(), buffer.getvalue(), "deck.pptx", Request(target="en")
    )
    assert any("1 chart(s)" in warning for warning in translated.warnings)
    assert pptx.Presentation(io.BytesIO(translated.data)).slides[1].shapes[-1].has_chart


def test_odt_footnotes_headers_and_spaces_are_translated_in_their_place() -> None:
    from odf import teletype, text
    from odf.opendocument import OpenDocumentText, load
    from odf.style import Footer, Header, MasterPage, PageLayout

    document = OpenDocumentText()
    layout = PageLayout(name="Mise")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    header = Header()
    header.addElement(text.P(text="En-tête du communiqué"))
    master.addElement(header)
    footer = Footer()
    footer.addElement(text.P(text="Pied de page"))
    master.addElement(footer)
    document.masterstyles.addElement(master)
    paragraph = text.P(text="Le maire")
    paragraph.addElement(text.S(c=2))
    paragraph.addText("a parlé")
    note = text.Note(id="n1", noteclass="footnote")
    note.addElement(text.NoteCitation(text="1"))
    body = text.NoteBody()
    body.addElement(text.P(text="Selon la mairie."))
    note.addElement(body)
    paragraph.addElement(note)
    paragraph.addText(" hier.")
    document.text.addElement(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)

    parsed = parse_file(buffer.getvalue(), "note.odt")
    # The footnote is a unit of its own, not part of the sentence that cites it; text:s keeps
    # the words on either side apart.
    assert parsed.units == [
        "Le maire a parlé hier.",
        "Selon la mairie.",
        "En-tête du communiqué",
        "Pied de page",
    ]
    translated = translate_file(
        UpperPipeline(), buffer.getvalue(), "note.odt", Request(target="en")
    )
    after = load(io.BytesIO(translated.data))
    assert teletype.extractText(after.body.getElementsByType(text.NoteBody)[0]) == (
        "SELON LA MAIRIE."
    )
    assert teletype.extractText(after.masterstyles.getElementsByType(Header)[0]) == (
        "EN-TÊTE DU COMMUNIQUÉ"
    )
    assert after.body.getElementsByType(text.NoteCitation)[0].firstChild.data == "1"
