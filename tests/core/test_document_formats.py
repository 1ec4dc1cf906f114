"""Round trips of every format through a predictable translator: the structure comes back
unchanged, only the text is replaced, and every unit of a document goes in one call."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from typing import Any

import pytest
from bs4 import BeautifulSoup

from mtsum.documents import output_suffix, translate_file
from mtsum.documents.base import distribute
from mtsum.errors import InputError
from mtsum.request import Request
from mtsum.results import Translation
from tests.support.docbuilders import (
    HTML_PAGE,
    MARKDOWN,
    SUBTITLES,
    UpperPipeline,
    make_report_docx,
)


def _docx(data: bytes):  # type: ignore[no-untyped-def]
    import docx

    return docx.Document(io.BytesIO(data))


def test_docx_keeps_styles_runs_links_table_header_and_footer() -> None:
    original = make_report_docx()
    pipeline = UpperPipeline()
    out = translate_file(pipeline, original, "rapport.docx", Request(target="en"))
    before, after = _docx(original), _docx(out.data)
    assert [p.style.name for p in after.paragraphs] == [p.style.name for p in before.paragraphs]
    assert [len(p.runs) for p in after.paragraphs] == [len(p.runs) for p in before.paragraphs]
    runs = after.paragraphs[1].runs
    assert [(r.bold, r.italic) for r in runs] == [
        (r.bold, r.italic) for r in before.paragraphs[1].runs
    ]
    assert runs[1].bold and runs[1].text.strip() and runs[1].text == runs[1].text.upper()
    assert after.paragraphs[1].text == before.paragraphs[1].text.upper()
    assert after.paragraphs[2].hyperlinks[0].url == "https://example.org/rapport"
    assert after.paragraphs[2].text == "LISEZ LE RAPPORT COMPLET EN LIGNE."
    cells = [cell.text for row in after.tables[0].rows for cell in row.cells]
    assert cells == ["VILLE", "HABITANTS", "LYON", "520 000"]
    assert after.sections[0].header.paragraphs[0].text == "EN-TÊTE DU RAPPORT"
    assert after.sections[0].footer.paragraphs[0].text == "PIED DE PAGE DU RAPPORT"
    assert len(pipeline.calls) == 1  # all units of the document in one translation
    assert out.name == "rapport.en.docx" and out.suffix == ".docx"
    assert "a warning" in out.warnings


def test_a_paragraph_is_translated_whole_and_spread_over_its_runs() -> None:
    pieces = distribute(
        "The council voted a new budget for the city", ["Le ", "conseil", " a voté"], "en"
    )
    assert "".join(pieces) == "The council voted a new budget for the city"
    assert pieces[0].endswith(" ") and not pieces[1].startswith(" ") and pieces[2].startswith(" ")
    assert all(piece.strip() for piece in pieces)


def test_html_keeps_tags_attributes_scripts_and_sets_lang() -> None:
    out = translate_file(UpperPipeline(), HTML_PAGE.encode(), "page.html", Request(target="de"))
    html = out.data.decode()
    soup, source = BeautifulSoup(html, "html.parser"), BeautifulSoup(HTML_PAGE, "html.parser")
    assert [
        (t.name, {k: v for k, v in t.attrs.items() if k != "lang"}) for t in soup.find_all()
    ] == [(t.name, {k: v for k, v in t.attrs.items() if k != "lang"}) for t in source.find_all()]
    assert soup.html is not None and soup.html["lang"] == "de"
    assert "var salut = 'bonjour';" in html and "p { color: red }" in html
    assert "<pre>code = 1</pre>" in html
    assert soup.h1 is not None and soup.h1.text == "LES NOUVELLES DU JOUR"
    assert soup.a is not None and soup.a.text == "LIEN UTILE"


def test_markdown_code_links_and_structure_untouched() -> None:
    out = translate_file(
        UpperPipeline(), MARKDOWN.encode(), "note.md", Request(target="en")
    ).data.decode()
    assert "```python\nprint('bonjour le monde')\n```" in out
    assert "    code indenté ici" in out
    assert "`code_en_ligne`" in out
    assert "(https://example.org/a)" in out
    assert out.startswith("# LE TITRE DU JOUR\n\n")
    assert "**PARAGRAPHE**" in out and "[LIEN]" in out
    assert "- PREMIER POINT\n- SECOND POINT\n" in out
    assert out.endswith("FIN DU TEXTE.\n")
    assert len(out.splitlines()) == len(MARKDOWN.splitlines())


def test_markdown_escapes_translations_so_they_cannot_become_markup() -> None:
    class Stars(UpperPipeline):
        def translate(self, text: str, *, request: Request, progress: Any = None) -> Translation:
            result = super().translate(text, request=request)
            return replace(result, text="*" + result.text + "*")

    out = translate_file(Stars(), b"Un texte.\n", "a.md", Request(target="en")).data.decode()
    assert out == "\\*UN TEXTE.\\*\n"


def test_srt_cue_numbers_and_timings_are_identical() -> None:
    import srt

    out = translate_file(
        UpperPipeline(), SUBTITLES.encode(), "news.srt", Request(target="en")
    ).data.decode()
    before, after = list(srt.parse(SUBTITLES)), list(srt.parse(out))
    assert [(s.index, s.start, s.end) for s in after] == [(s.index, s.start, s.end) for s in before]
    assert after[0].content == "BONSOIR À TOUS,\nET BIENVENUE."
    assert after[2].content == "♪"
    assert after[3].content == "LA MÉTÉO MAINTENANT."


def test_plain_text_keeps_its_paragraph_breaks() -> None:
    text = "Premier paragraphe.\n\n\nDeuxième\nligne.\n\nTroisième.\n"
    out = translate_file(
        UpperPipeline(), text.encode(), "a.txt", Request(target="en")
    ).data.decode()
    assert out == text.upper()


def test_pdf_comes_back_as_docx_or_txt() -> None:
    from tests.core.test_documents import make_pdf

    data = make_pdf([["Le conseil a vote le budget."], ["La seance est finie."]])
    out = translate_file(UpperPipeline(), data, "report.pdf", Request(target="en"))
    assert out.suffix == ".docx" and out.name == "report.en.docx"
    assert [p.text for p in _docx(out.data).paragraphs if p.text] == [
        "LE CONSEIL A VOTE LE BUDGET.",
        "LA SEANCE EST FINIE.",
    ]
    text = translate_file(UpperPipeline(), data, "report.pdf", Request(target="en"), suffix=".txt")
    assert text.data.decode().startswith("LE CONSEIL")


def test_every_format_can_be_written_as_text() -> None:
    out = translate_file(
        UpperPipeline(), SUBTITLES.encode(), "news.srt", Request(target="en"), suffix=".txt"
    )
    assert out.data.decode().split("\n\n")[0] == "BONSOIR À TOUS, ET BIENVENUE."


def test_output_suffix_refuses_formats_a_file_cannot_become() -> None:
    assert output_suffix("a.htm") == ".html"
    assert output_suffix("a.pdf") == ".docx"
    with pytest.raises(InputError, match=r"\.docx or \.txt"):
        output_suffix("a.docx", ".html")


def test_file_names_never_carry_a_path() -> None:
    out = translate_file(
        UpperPipeline(), b"Un texte.", "../../etc/pass wd.txt", Request(target="en")
    )
    assert out.name == "pass_wd.en.txt"
    assert not re.search(r"[/\\]", out.name)


def test_a_document_without_words_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no text to translate"):
        translate_file(UpperPipeline(), b"2024 - 2025\n\n42", "n.txt", Request(target="en"))
