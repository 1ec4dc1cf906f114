"""HTML translation keeps every tag, attribute, comment and piece of code; only text changes."""

from __future__ import annotations

from bs4 import BeautifulSoup
from bs4.element import Comment, Tag

from mtsum.documents.markup import HtmlDocument, translate_html, translate_runs

PAGE = (
    '<div id="main" class="story  lead" data-x="1">'
    '<h1 title="Headline">Hello world</h1>\n'
    '<p>Buses run <b>more often</b> from March.<br>See <a href="/map?a=1&amp;b=2">the map</a>'
    '<img src="bus.png" alt="A bus" hidden></p>'
    "<!-- editor note -->"
    "<pre>keep   this</pre><code>x = y</code>"
    "<script>var label = 'text';</script><style>p { color: red }</style>"
    '<p translate="no">Brand Name <span translate="yes">but this yes</span></p>'
    '<p class="notranslate">Product X</p>'
    "<p>2024 — 15:30</p>"
    "</div>"
)


def _upper(texts: list[str]) -> list[str]:
    return [t.upper() for t in texts]


def _tags(html: str) -> list[tuple[str, list[tuple[str, object]]]]:
    soup = BeautifulSoup(html, "html.parser", multi_valued_attributes=None)
    return [(t.name, list(t.attrs.items())) for t in soup.find_all(True) if isinstance(t, Tag)]


def test_runs_are_the_readable_text_in_document_order() -> None:
    assert HtmlDocument.parse(PAGE).texts == [
        "Hello world",
        "Buses run",
        "more often",
        "from March.",
        "See",
        "the map",
        "but this yes",
    ]


def test_tags_and_attributes_survive_in_order() -> None:
    out, _ = translate_html(PAGE, lambda text: text.upper())
    assert _tags(out) == _tags(PAGE)
    assert '<div id="main" class="story  lead" data-x="1">' in out
    assert '<img src="bus.png" alt="A bus" hidden>' in out


def test_only_text_nodes_change() -> None:
    out, count = translate_html(PAGE, lambda text: text.upper())
    assert count == 7
    assert "HELLO WORLD" in out
    assert "<b>MORE OFTEN</b>" in out
    assert 'title="Headline"' in out  # attributes are not translated


def test_code_script_style_comments_and_notranslate_are_kept() -> None:
    out, _ = translate_html(PAGE, lambda text: text.upper())
    soup = BeautifulSoup(out, "html.parser")
    assert soup.pre is not None and soup.pre.string == "keep   this"
    assert soup.code is not None and soup.code.string == "x = y"
    assert soup.script is not None and soup.script.string == "var label = 'text';"
    assert soup.style is not None and soup.style.string == "p { color: red }"
    assert [c for c in soup.find_all(string=True) if isinstance(c, Comment)] == [" editor note "]
    assert "Brand Name" in out and "Product X" in out
    assert "BUT THIS YES" in out  # translate="yes" inside translate="no" re-enables
    assert "2024 — 15:30" in out  # no letters: nothing to translate


def test_whitespace_around_text_is_kept() -> None:
    out, _ = translate_html("<p>\n   Hello   there  \n</p>", lambda text: text.upper())
    assert out == "<p>\n   HELLO THERE  \n</p>"


def test_translations_are_escaped_so_they_cannot_inject_markup() -> None:
    out, _ = translate_html("<p>Hi</p>", lambda text: "<script>alert(1)</script> & co")
    assert out == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>"


def test_markup_without_text_comes_back_unchanged_and_untranslated() -> None:
    calls: list[str] = []
    html = '<img src="a.png" alt="x"><br>'
    out, count = translate_html(html, lambda text: calls.append(text) or text)
    assert (out, count, calls) == (html, 0, [])


def test_runs_are_translated_in_one_call_as_paragraphs() -> None:
    calls: list[str] = []

    def translate(text: str) -> str:
        calls.append(text)
        return text.upper()

    assert translate_runs(["one", "two", "three"], translate) == ["ONE", "TWO", "THREE"]
    assert calls == ["one\n\ntwo\n\nthree"]


def test_runs_fall_back_to_one_call_each_when_paragraphs_do_not_match() -> None:
    calls: list[str] = []

    def translate(text: str) -> str:
        calls.append(text)
        return text.replace("\n\n", " ").upper()  # a translator that merges paragraphs

    assert translate_runs(["one", "two"], translate) == ["ONE", "TWO"]
    assert calls == ["one\n\ntwo", "one", "two"]


def test_a_whole_page_keeps_its_doctype_and_head() -> None:
    page = (
        '<!DOCTYPE html><html lang="fr"><head><title>Titre</title></head><body>Texte</body></html>'
    )
    out, _ = translate_html(page, lambda text: text.upper())
    assert out.startswith("<!DOCTYPE html>")
    assert '<html lang="fr"><head><title>TITRE</title></head><body>TEXTE</body></html>' in out


def test_render_refuses_a_wrong_number_of_translations() -> None:
    document = HtmlDocument.parse("<p>a b</p><p>c d</p>")
    try:
        document.render(["only one"])
    except ValueError as exc:
        assert "2 translations" in str(exc)
    else:
        raise AssertionError("render accepted one translation for two runs")
