"""Documents written by the tests themselves (python-docx, plain strings), and a stand-in
translator whose output is predictable, so round trips can check where every word went."""

from __future__ import annotations

import io
from typing import Any

from mtsum.request import Request
from mtsum.results import Translation

HTML_PAGE = (
    '<!DOCTYPE html><html lang="fr"><head><title>Le titre</title>'
    "<style>p { color: red }</style><script>var salut = 'bonjour';</script></head>"
    '<body><h1 class="top" id="t">Les nouvelles du jour</h1>'
    '<p>Un texte avec un <a href="https://example.org/page" title="lien">lien utile</a>.</p>'
    "<pre>code = 1</pre><p>Deuxième paragraphe.</p></body></html>"
)
MARKDOWN = (
    "# Le titre du jour\n\n"
    "Un **paragraphe** avec un [lien](https://example.org/a) et du `code_en_ligne`.\n\n"
    "- premier point\n- second point\n\n"
    "```python\nprint('bonjour le monde')\n```\n\n"
    "    code indenté ici\n\n"
    "Fin du texte.\n"
)
SUBTITLES = (
    "1\n00:00:01,000 --> 00:00:02,500\nBonsoir à tous,\net bienvenue.\n\n"
    "2\n00:00:02,600 --> 00:00:04,000\nVoici les nouvelles.\n\n"
    "5\n00:00:09,000 --> 00:00:11,250\n♪\n\n"
    "6\n00:01:09,000 --> 00:01:11,000\nLa météo maintenant.\n"
)


class UpperPipeline:
    """Translates by upper-casing, paragraph by paragraph, and counts its calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def translate(self, text: str, *, request: Request, progress: Any = None) -> Translation:
        self.calls.append(text)
        return Translation(
            text=text.upper(),
            source=request.source or "fr",
            target=request.target,
            route=("fr-en",),
            models=("tiny",),
            warnings=("a warning",),
        )


def make_report_docx() -> bytes:
    """A Word file with a heading, a paragraph with bold and italic runs, a hyperlink, a list,
    a table, and a header and footer."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_heading("Le rapport annuel", level=1)
    paragraph = document.add_paragraph("Le conseil a voté ")
    paragraph.add_run("un budget nouveau").bold = True
    paragraph.add_run(" pour la ville, ")
    paragraph.add_run("après un long débat").italic = True
    paragraph.add_run(".")
    linked = document.add_paragraph("Lisez ")
    rel = document.part.relate_to(
        "https://example.org/rapport", RELATIONSHIP_TYPE.HYPERLINK, is_external=True
    )
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "le rapport complet"
    run.append(text)
    link.append(run)
    linked._p.append(link)
    linked.add_run(" en ligne.")
    document.add_paragraph("Premier point de la liste", style="List Bullet")
    document.add_paragraph("Second point de la liste", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for (r, c), value in {
        (0, 0): "Ville",
        (0, 1): "Habitants",
        (1, 0): "Lyon",
        (1, 1): "520 000",
    }.items():
        table.cell(r, c).text = value
    document.sections[0].header.paragraphs[0].text = "En-tête du rapport"
    document.sections[0].footer.paragraphs[0].text = "Pied de page du rapport"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_deck_pptx() -> bytes:
    """A deck of two slides: a title, a text box with a bold run and a linked run, a group
    holding a shape with text, a 2x2 table, and speaker notes on the first slide."""
    import pptx
    from pptx.util import Inches

    deck = pptx.Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    first.shapes.title.text = "Les résultats du trimestre"
    box = first.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1))
    paragraph = box.text_frame.paragraphs[0]
    for text, bold in (("Le chiffre d'affaires a ", False), ("fortement augmenté", True)):
        run = paragraph.add_run()
        run.text = text
        run.font.bold = bold
        run._r.get_or_add_rPr().set("lang", "fr-FR")  # as PowerPoint writes it
    linked = box.text_frame.add_paragraph().add_run()
    linked.text = "Lisez le rapport complet"
    linked.hyperlink.address = "https://example.org/rapport"
    group = first.shapes.add_group_shape()
    grouped = group.shapes.add_textbox(Inches(1), Inches(4), Inches(3), Inches(1))
    grouped.text_frame.text = "Une note dans un groupe"
    first.notes_slide.notes_text_frame.text = "Parler lentement des chiffres du marché."
    second = deck.slides.add_slide(deck.slide_layouts[5])
    second.shapes.title.text = "Les villes"
    table = second.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(2)).table
    for (r, c), value in {(0, 0): "Ville", (0, 1): "Habitants", (1, 0): "Lyon"}.items():
        table.cell(r, c).text = value
    table.cell(1, 1).text = "520 000"
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def make_press_odt() -> bytes:
    """A press release: a heading, a paragraph with a bold span and a link, a list, a table;
    French in its metadata."""
    from odf.dc import Language
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import A, H, List, ListItem, P, Span

    document = OpenDocumentText()
    document.meta.addElement(Language(text="fr"))
    bold = Style(name="Gras", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)
    document.text.addElement(H(outlinelevel=1, text="Communiqué de presse"))
    paragraph = P(text="Le conseil a voté ")
    paragraph.addElement(Span(stylename=bold, text="un budget nouveau"))
    paragraph.addText(" pour la ville. Lisez ")
    paragraph.addElement(A(href="https://example.org/budget", text="le détail en ligne"))
    paragraph.addText(".")
    document.text.addElement(paragraph)
    items = List()
    for text in ("Premier point de la liste", "Second point de la liste"):
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    document.text.addElement(items)
    table = Table(name="Villes")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for row_values in (("Ville", "Habitants"), ("Lyon", "520 000")):
        row = TableRow()
        for value in row_values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_slides_odp() -> bytes:
    """Two slides, each a frame with a text box, the first with a bold span."""
    from odf.draw import Frame, Page, TextBox
    from odf.opendocument import OpenDocumentPresentation
    from odf.style import MasterPage, PageLayout, Style, TextProperties
    from odf.text import P, Span

    document = OpenDocumentPresentation()
    layout = PageLayout(name="Mise")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Maître", pagelayoutname=layout)
    document.masterstyles.addElement(master)
    bold = Style(name="Gras", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)
    for index, (plain, strong) in enumerate(
        (("La ville investit ", "dans les transports"), ("Les travaux ", "commencent en mai"))
    ):
        page = Page(name=f"page{index}", masterpagename=master)
        frame = Frame(width="20cm", height="5cm", x="1cm", y="1cm")
        box = TextBox()
        paragraph = P(text=plain)
        paragraph.addElement(Span(stylename=bold, text=strong))
        paragraph.addText(".")
        box.addElement(paragraph)
        frame.addElement(box)
        page.addElement(frame)
        document.presentation.addElement(page)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_book_epub() -> bytes:
    """A French e-book of two chapters (a heading, a bold word, code), a stylesheet linked
    from each chapter, an image, and both tables of contents."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("mtsum-test-book")
    book.set_title("Le petit livre")
    book.set_language("fr")
    book.add_author("Anne Martin")
    style = epub.EpubItem(
        uid="style", file_name="style/main.css", media_type="text/css", content=b"p { margin: 0 }"
    )
    image = epub.EpubImage(
        uid="cover", file_name="images/cover.png", media_type="image/png", content=PNG_PIXEL
    )
    chapters = []
    for index, (title, body) in enumerate(
        (
            ("Le départ", "<p>Le train part <b>demain matin</b> de Lyon.</p>"),
            ("L'arrivée", "<p>Il arrive à Paris.</p><pre>code = 1</pre>"),
        ),
        start=1,
    ):
        chapter = epub.EpubHtml(title=title, file_name=f"chap{index}.xhtml", lang="fr")
        chapter.content = f"<h1>{title}</h1>{body}<img src='images/cover.png' alt=''/>"
        chapter.add_item(style)
        book.add_item(chapter)
        chapters.append(chapter)
    book.add_item(style)
    book.add_item(image)
    book.toc = tuple(chapters)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    buffer = io.BytesIO()
    epub.write_epub(buffer, book)
    return buffer.getvalue()


# The smallest valid PNG: one transparent pixel.
PNG_PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
