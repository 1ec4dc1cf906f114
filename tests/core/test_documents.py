"""Text extraction from uploaded files: every supported format, and clear errors for the rest."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from mtsum import InputError
from mtsum.documents import SUPPORTED_SUFFIXES, extract_text, read_document
from tests.support.texts import ARTICLE_FR

PARAGRAPHS = [p for p in ARTICLE_FR.split("\n\n") if p.strip()]


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(pages: list[list[str]]) -> bytes:
    """A small PDF with one text line per entry, written by hand (no PDF writer needed)."""
    objects: list[bytes] = []
    page_ids = []
    font_id = 3 + 2 * len(pages)
    for index, lines in enumerate(pages):
        content_id = 4 + 2 * index
        page_ids.append(3 + 2 * index)
        stream = b"BT /F1 11 Tf 50 780 Td 14 TL " + b" ".join(
            b"(" + line.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)") + b") '"
            for line in lines
        )
        stream += b" ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content_id} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
    ]
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    body = [*head, *objects, font]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(body, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(body) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(body) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def test_plain_text_is_read_as_utf8() -> None:
    document = extract_text(ARTICLE_FR.encode("utf-8"), "article.txt")
    assert document.text == ARTICLE_FR.strip()
    assert document.kind == "text"
    assert document.warnings == ()


def test_markdown_markup_becomes_plain_paragraphs() -> None:
    source = (
        "# Le titre\n\nUn *premier* paragraphe avec un [lien](https://example.org).\n\n"
        "- un\n- deux\n"
    )
    document = extract_text(source.encode(), "note.md")
    assert document.text.split("\n\n") == [
        "Le titre",
        "Un premier paragraphe avec un lien.",
        "un",
        "deux",
    ]


def test_html_keeps_visible_text_in_paragraphs_and_drops_scripts() -> None:
    html = (
        "<html><head><title>t</title><style>p{color:red}</style></head><body>"
        "<script>alert('x')</script><h1>Le titre</h1>"
        "<p>Premier   paragraphe,\n coupé <b>en</b> deux.</p><!-- note -->"
        "<div>Deuxième<br>ligne</div><ul><li>un</li><li>deux &amp; trois</li></ul></body></html>"
    )
    document = extract_text(html.encode(), "page.html")
    assert document.text.split("\n\n") == [
        "Le titre",
        "Premier paragraphe, coupé en deux.",
        "Deuxième\nligne",
        "un",
        "deux & trois",
    ]


def test_html_in_a_declared_legacy_encoding_is_decoded() -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>Où est le café ?</p>'
    document = extract_text(html.encode("cp1252"), "old.htm")
    assert document.text == "Où est le café ?"


def test_deeply_nested_html_is_read_without_recursion_error() -> None:
    html = "<div>" * 5000 + "Profond." + "</div>" * 5000
    assert extract_text(html.encode(), "deep.html").text == "Profond."


def test_docx_paragraphs_come_back_in_order() -> None:
    document = extract_text(make_docx(PARAGRAPHS), "article.docx")
    assert document.text.split("\n\n") == [p.strip() for p in PARAGRAPHS]
    assert document.kind == "docx"


def test_docx_tables_are_read_and_announced() -> None:
    data = make_docx(["Avant le tableau."], table=[["Ville", "Habitants"], ["Lyon", "520 000"]])
    document = extract_text(data, "table.docx")
    assert document.text.split("\n\n") == [
        "Avant le tableau.",
        "Ville",
        "Habitants",
        "Lyon",
        "520 000",
    ]
    assert any("table" in w for w in document.warnings)


def test_pdf_lines_are_rejoined_into_paragraphs_across_pages() -> None:
    pages = [
        [
            "Le conseil a vote le budget de la ville pour",
            "l'annee prochaine apres un long debat.",
            "Le maire est content.",
        ],
        ["La seance a dure trois heures et s'est", "terminee tard dans la nuit."],
    ]
    document = extract_text(make_pdf(pages), "report.pdf")
    text = document.text
    assert "pour l'annee prochaine apres un long debat." in text
    assert "s'est terminee tard dans la nuit." in text
    assert document.kind == "pdf"


def test_pdf_pages_without_text_are_named_in_warnings() -> None:
    document = extract_text(make_pdf([["Une page avec du texte."], []]), "scan.pdf")
    assert document.text == "Une page avec du texte."
    assert any("page(s) 2" in w for w in document.warnings)


def test_pdf_without_any_text_asks_for_ocr() -> None:
    with pytest.raises(InputError, match="OCR"):
        extract_text(make_pdf([[]]), "scan.pdf")


def test_srt_cues_become_flowing_text_with_paragraphs_at_pauses() -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:02,500\n<i>Bonsoir à tous,</i>\net bienvenue.\n\n"
        "2\n00:00:02,600 --> 00:00:04,000\nVoici les nouvelles.\n\n"
        "3\n00:00:09,000 --> 00:00:11,000\nLa météo maintenant.\n"
    )
    document = extract_text(srt.encode(), "news.srt")
    assert document.text.split("\n\n") == [
        "Bonsoir à tous, et bienvenue. Voici les nouvelles.",
        "La météo maintenant.",
    ]
    assert any("timings" in w for w in document.warnings)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("sheet.xlsx", b"PK\x03\x04", "not supported"),
        ("noext", b"text", "not supported"),
        ("bad.docx", b"this is not a zip", "not a Word .docx file"),
        ("bad.pdf", b"%PDF-1.4 garbage", "could not be read as a pdf file"),
        ("bad.srt", b"1\nnot a timestamp\nhello\n", "could not be read as a srt file"),
        ("binary.txt", b"\x00\x01\x02" * 100, "binary"),
        ("empty.txt", b"   \n\n ", "no text"),
    ],
)
def test_unreadable_or_unsupported_files_are_input_errors(
    name: str, data: bytes, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        extract_text(data, name)


def test_a_docx_zip_bomb_is_refused_before_parsing() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * (210 * 1024 * 1024))
    with pytest.raises(InputError, match="unpacks to"):
        extract_text(buffer.getvalue(), "bomb.docx")


def test_read_document_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "missing.txt")


def test_every_advertised_suffix_has_a_reader() -> None:
    for suffix in (".txt", ".md", ".html", ".docx", ".pdf", ".srt"):
        assert suffix in SUPPORTED_SUFFIXES
