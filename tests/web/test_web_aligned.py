"""The page's aligned view as HTML: escaped, flagged rows with their reasons, working links.

The HTML is parsed with the standard library's parser, so the tests read what a browser builds
(elements, attributes, text), not substrings of markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest

from mtsum import Pipeline, Settings
from mtsum.results import Flag, Segment, Summary, Translation
from mtsum.web.page.aligned import aligned_html, row_id
from mtsum.web.page.handlers import Handlers
from mtsum.web.page.run_view import RunView
from tests.support.texts import ARTICLE_EN, ARTICLE_FR

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" \'too\''


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    content: list[str | Element] = field(default_factory=list)

    @property
    def children(self) -> list[Element]:
        return [part for part in self.content if isinstance(part, Element)]

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def all_text(self) -> str:
        return "".join(p if isinstance(p, str) else p.all_text() for p in self.content)

    def find(self, predicate: Callable[[Element], bool]) -> list[Element]:
        found = [self] if predicate(self) else []
        for child in self.children:
            found.extend(child.find(predicate))
        return found


class TreeBuilder(HTMLParser):
    """A small DOM: enough to ask for rows, classes, titles and links."""

    VOID: ClassVar[set[str]] = {"img", "br", "hr", "input", "meta", "link"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].content.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].content.append(data)


def parse(markup: str) -> Element:
    builder = TreeBuilder()
    builder.feed(markup)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def rows(tree: Element) -> list[Element]:
    return tree.find(lambda e: e.tag == "li" and "mtsum-row" in e.classes())


def summary_rows(tree: Element) -> list[Element]:
    return tree.find(lambda e: e.tag == "li" and "mtsum-sum-row" in e.classes())


def links(element: Element) -> list[str]:
    return [a.attrs["href"] for a in element.find(lambda e: e.tag == "a")]


def hostile_translation() -> Translation:
    segments = (
        Segment("Le maire a parlé.", "The mayor spoke."),
        Segment(HOSTILE, "la la la la la la la la"),
        Segment("Il pleut.", "It rains."),
    )
    flags = (
        Flag(sentence=1, kind="repetition", detail=f"loops on {HOSTILE}"),
        Flag(sentence=1, kind="length", detail="too long"),
    )
    return Translation(
        text="...",
        source="fr",
        target="en",
        route=("fr-en",),
        models=("m",),
        segments=segments,
        flags=flags,
    )


def test_every_text_is_escaped_and_the_markup_stays_well_formed() -> None:
    summary = Summary(
        text=HOSTILE,
        language="en",
        method="abstractive",
        words=9,
        sentences=(HOSTILE,),
        sources=((1,),),
        flags=(Flag(sentence=0, kind="unsupported_name", detail=HOSTILE),),
    )
    markup = aligned_html(hostile_translation(), summary)
    tree = parse(markup)
    assert not tree.find(lambda e: e.tag in {"script", "img"})
    assert not tree.find(lambda e: any(name.startswith("on") for name in e.attrs))
    assert "<script" not in markup and "<img" not in markup
    assert HOSTILE in rows(tree)[1].all_text()  # shown literally, as the visitor wrote it
    assert HOSTILE in summary_rows(tree)[0].all_text()


def test_a_flagged_row_is_highlighted_and_carries_its_reasons_on_hover_and_tap() -> None:
    tree = parse(aligned_html(hostile_translation()))
    found = rows(tree)
    assert [row.attrs["id"] for row in found] == [row_id(i) for i in range(3)]
    flagged = [row for row in found if "mtsum-flagged" in row.classes()]
    assert flagged == [found[1]]
    row = found[1]
    # Hover: the row's title; tap: the <details> under the translation.
    assert row.attrs["title"] == f"repetition: loops on {HOSTILE}; length: too long"
    (details,) = row.find(lambda e: e.tag == "details")
    (marker,) = details.find(lambda e: e.tag == "summary")
    assert "repetition" in marker.all_text() and "length" in marker.all_text()
    assert f"loops on {HOSTILE}" in details.all_text() and "too long" in details.all_text()
    assert not found[0].find(lambda e: e.tag == "details") and "title" not in found[0].attrs
    # Both sides, in their languages, for screen readers and hyphenation.
    langs = [e.attrs["lang"] for e in row.find(lambda e: "lang" in e.attrs)]
    assert langs == ["fr", "en"]


def test_summary_sources_link_to_existing_rows_and_out_of_range_ones_do_not() -> None:
    summary = Summary(
        text="One. Two. Three.",
        language="en",
        method="abstractive",
        words=3,
        sentences=("One.", "Two.", "Three."),
        sources=((0, 2), (), (7,)),
    )
    tree = parse(aligned_html(hostile_translation(), summary))
    ids = {row.attrs["id"] for row in rows(tree)}
    first, second, third = summary_rows(tree)
    assert links(first) == [f"#{row_id(0)}", f"#{row_id(2)}"]
    assert "from sentences 1, 3" in first.all_text()
    assert {href.removeprefix("#") for href in links(first)} <= ids
    assert links(second) == [] and "no sentence" in second.all_text()
    assert links(third) == [] and "from sentence 8" in third.all_text()


@pytest.fixture(scope="module")
def fr_run(pipeline: Pipeline) -> list[RunView]:
    run = Handlers(pipeline).run(ARTICLE_FR, "en", "auto", 0, "extractive", lambda *a, **k: None)
    return list(run)


def test_the_run_shows_the_rows_after_translating_and_the_summary_links_at_the_end(
    fr_run: list[RunView],
) -> None:
    # Detection, each paragraph as it is done, the whole translation, the result.
    detected, *_, translated, last = fr_run
    assert detected.aligned == "" and isinstance(last.result, dict)
    data = last.result
    segments, flags = data["translation"]["segments"], data["translation"]["flags"]
    after_translation = parse(translated.aligned)
    assert len(rows(after_translation)) == len(segments) and not summary_rows(after_translation)

    tree = parse(last.aligned)
    found = rows(tree)
    assert len(found) == len(segments)
    assert flags, "the tiny random models loop, so their translations are flagged"
    for flag in flags:
        row = found[flag["sentence"]]
        assert "mtsum-flagged" in row.classes() and flag["detail"] in row.attrs["title"]
    for row, segment in zip(found, segments, strict=True):
        texts = [e.all_text() for e in row.find(lambda e: e.tag == "div")]
        assert texts[0].endswith(segment["source"]) and segment["text"] in texts[1]
    # Extractive: each summary sentence links exactly the sentence it was taken from.
    chosen = summary_rows(tree)
    assert len(chosen) == len(data["summary"]["sources"]) > 0
    for row, sources in zip(chosen, data["summary"]["sources"], strict=True):
        assert links(row) == [f"#{row_id(i)}" for i in sources]


def test_a_same_language_run_shows_each_sentence_once(pipeline: Pipeline) -> None:
    run = Handlers(pipeline).run(ARTICLE_EN, "en", "en", 0, "extractive", lambda *a, **k: None)
    *_, last = run
    tree = parse(last.aligned)
    assert "nothing was translated" in tree.all_text()
    assert not tree.find(lambda e: "mtsum-out" in e.classes())
    assert not tree.find(lambda e: "mtsum-flagged" in e.classes())
    ids = {row.attrs["id"] for row in rows(tree)}
    assert last.result is not None
    assert len(ids) == len(last.result["translation"]["segments"])
    for row in summary_rows(tree):
        assert {href.removeprefix("#") for href in links(row)} <= ids and links(row)


def test_a_degraded_run_shows_the_texts_own_sentences_and_its_summary_sources(
    settings: Settings, registry_variant: Callable[..., Path]
) -> None:
    registry = registry_variant(translation={"fr-en": "Helsinki-NLP/opus-mt-fr-en"})
    pipeline = Pipeline(settings.replace(registry_path=registry))
    run = Handlers(pipeline).run(ARTICLE_FR, "en", "auto", 0, "abstractive", lambda *a, **k: None)
    *_, last = run
    assert last.result is not None and last.result["translation"] is None
    tree = parse(last.aligned)
    assert "Not translated" in tree.all_text() and "French" in tree.all_text()
    found = rows(tree)
    assert found and not tree.find(lambda e: "mtsum-out" in e.classes())
    assert "Westmere" in found[0].all_text()
    ids = {row.attrs["id"] for row in found}
    chosen = summary_rows(tree)
    assert chosen and all(links(row) for row in chosen)
    assert all({href.removeprefix("#") for href in links(row)} <= ids for row in chosen)
