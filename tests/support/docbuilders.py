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
