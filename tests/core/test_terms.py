"""The terms stage helper alone: glossaries read and refused, terms found, placeholders repaired."""

from __future__ import annotations

import pytest

from mtsum import InputError, Request
from mtsum.terms import (
    MAX_ENTRIES,
    SHAPES,
    Glossary,
    GlossaryStore,
    Shape,
    TermMatcher,
    TermSet,
    find_spans,
    glossary_from_pairs,
    glossary_lines,
    parse_glossary,
    parse_glossary_lines,
    protect,
    restore,
)

PAIRS = {"Conseil municipal": "city council", "Conseil municipal de Paris": "Paris council"}


def test_tsv_and_csv_glossaries_read_the_same_entries() -> None:
    tsv = parse_glossary(b"# house terms\nConseil municipal\tcity council\n\nmairie\ttown hall\n")
    csv = parse_glossary(
        "note,source,target\nx,Conseil municipal,city council\ny,mairie,town hall\n"
    )
    assert (
        tsv.to_pairs()
        == csv.to_pairs()
        == {
            "Conseil municipal": "city council",
            "mairie": "town hall",
        }
    )


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"a\tb\nc\td\te\n", "line 2"),  # three columns
        (b"a\tb\n\tx\n", "line 2"),  # empty source
        (b"a\tb\nb\t\n", "line 2"),  # empty target
        (b"a\tb\nA\tc\n", "line 2"),  # the same source twice (any case)
        (b"source,target\nok,fine\n,missing\n", "line 3"),
        (b"just some words\n", "line 1"),  # neither TSV nor a CSV header
        (b"*\tx\n", "line 1"),  # only the stem mark
    ],
)
def test_a_bad_glossary_line_is_named(data: bytes, line: str) -> None:
    with pytest.raises(InputError, match=line):
        parse_glossary(data, "terms.tsv")


def test_glossary_limits_are_enforced() -> None:
    too_many = "".join(f"term{i}\tx{i}\n" for i in range(MAX_ENTRIES + 1))
    with pytest.raises(InputError, match="at most 5,000 entries"):
        parse_glossary(too_many)
    with pytest.raises(InputError, match="at most 1,000,000"):
        parse_glossary(b"a\tb\n" * 300_000)
    with pytest.raises(InputError, match="not UTF-8"):
        parse_glossary(b"caf\xe9\tcoffee\n")
    with pytest.raises(InputError, match="200"):
        glossary_from_pairs({"x" * 201: "y"})


def test_the_page_lines_keep_a_lone_term_and_read_back() -> None:
    glossary = parse_glossary_lines(
        "Conseil municipal = city council\nNagorno-Karabakh\nGemeinderat* = council"
    )
    assert [(t.source, t.target, t.stem, t.keep) for t in glossary.terms] == [
        ("Conseil municipal", "city council", False, False),
        ("Nagorno-Karabakh", "Nagorno-Karabakh", False, True),
        ("Gemeinderat", "council", True, False),
    ]
    assert parse_glossary_lines(glossary_lines(glossary)) == glossary
    with pytest.raises(InputError, match="line 2"):
        parse_glossary_lines("a = b\nc =\n")


def test_terms_match_case_insensitively_on_word_boundaries_longest_first() -> None:
    matcher = TermMatcher(glossary_from_pairs(PAIRS))
    spans = matcher.find(
        "Le conseil  municipal de Paris et le Conseil municipal; Conseil municipaux."
    )
    assert [(s.text, s.output) for s in spans] == [
        ("conseil  municipal de Paris", "Paris council"),
        ("Conseil municipal", "city council"),
    ]


def test_a_stem_entry_matches_inflected_forms_and_a_plain_one_does_not() -> None:
    matcher = TermMatcher(glossary_from_pairs({"Gemeinderat*": "city council", "Rat": "council"}))
    found = [(s.text, s.output) for s in matcher.find("Des Gemeinderats Rats Rat.")]
    assert found == [("Gemeinderats", "city council"), ("Rat", "council")]


def test_terms_in_scripts_without_spaces_match_inside_the_text() -> None:
    matcher = TermMatcher(glossary_from_pairs({"市议会": "city council"}), spaced=False)
    assert [s.output for s in matcher.find("昨天市议会开会。")] == ["city council"]


@pytest.mark.parametrize(
    "span",
    [
        "https://example.org/a?b=1",
        "www.example.org/x",
        "desk@example.org",
        "@citydesk",
        "#budget2025",
        "%1$s",
        "%s",
        "%.2f",
        "{name}",
        "{0}",
        "{{user}}",
        "`mtsum run`",
    ],
)
def test_automatic_spans_are_found_whole(span: str) -> None:
    found = find_spans(f"Voir {span}, merci.", None)
    assert [s.text for s in found] == [span]


def test_a_term_inside_a_link_stays_part_of_the_link() -> None:
    matcher = TermMatcher(glossary_from_pairs({"budget": "Haushalt"}))
    spans = find_spans("Le budget: https://example.org/budget/2025", matcher)
    assert [(s.text, s.kind) for s in spans] == [
        ("budget", "term"),
        ("https://example.org/budget/2025", "link"),
    ]


def test_placeholders_avoid_numbers_the_sentence_already_shows() -> None:
    protected = protect("See [1] and [2] on https://example.org.", None)
    assert protected.text == "See [1] and [2] on [3]."
    restored = restore("Voir [1] et [2] sur [3].", protected)
    assert restored.text == "Voir [1] et [2] sur https://example.org."


@pytest.mark.parametrize(
    ("output", "repaired"),
    [
        ("Le [1] a voté [2].", 0),
        ("Le [ 1 ] a voté [2 ].", 2),  # spaces inside
        ("Le[1]a voté,[2].", 0),  # glued to words and punctuation
        ("Le [1 a voté 2].", 2),  # a bracket lost
        ("Le [1] [1] a voté [2].", 1),  # doubled
    ],
)
def test_mangled_placeholders_are_repaired(output: str, repaired: int) -> None:
    glossary = glossary_from_pairs({"Conseil municipal": "city council"})
    protected = protect("Le Conseil municipal a voté %1$s.", TermMatcher(glossary))
    result = restore(output, protected)
    assert "city council" in result.text
    assert "%1$s" in result.text
    assert "[" not in result.text and "]" not in result.text
    assert result.missing == ()
    assert result.repaired == repaired
    assert "  " not in result.text


def test_another_case_is_repaired_for_a_shape_with_letters() -> None:
    shape = Shape("xml", "<x", "/>")
    protected = protect("Voir https://example.org maintenant.", None, shape)
    assert protected.text == "Voir <x1/> maintenant."
    assert restore("See < X1 /> now.", protected, shape).text == "See https://example.org now."


def test_a_dropped_placeholder_is_reported_never_invented() -> None:
    glossary = glossary_from_pairs({"Conseil municipal": "city council"})
    protected = protect("Le Conseil municipal a voté.", TermMatcher(glossary))
    result = restore("Il a voté.", protected)
    assert result.text == "Il a voté."
    assert [s.output for s in result.missing] == ["city council"]


def test_every_candidate_shape_round_trips_through_protect_and_restore() -> None:
    glossary = glossary_from_pairs(PAIRS, keep=["Nagorno-Karabakh"])
    sentence = "Le Conseil municipal parle du Nagorno-Karabakh sur https://example.org."
    for shape in SHAPES.values():
        terms = TermSet(glossary, shape=shape)
        protected = terms.protect([sentence])
        restored = terms.restore([p.text for p in protected], protected, final=True)[0]
        assert restored.text == (
            "Le city council parle du Nagorno-Karabakh sur https://example.org."
        ), shape.name


def test_request_checks_its_glossary_once_with_the_other_fields() -> None:
    request = Request(target="en", glossary={"Conseil municipal": "city council"}, keep=["X"])
    normal = request.normalized(None, 100)
    assert isinstance(normal.glossary, Glossary)
    assert normal.keep == ("X",)
    with pytest.raises(InputError, match="glossary entry 1"):
        Request(glossary={"": "x"}).normalized(None, 100)
    with pytest.raises(InputError, match="keep must be a list"):
        Request(keep="Nagorno-Karabakh").normalized(None, 100)
    with pytest.raises(InputError, match="glossary must be"):
        Request(glossary=42).normalized(None, 100)  # type: ignore[arg-type]


def test_operator_glossaries_are_listed_and_named_by_id_never_by_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "glossaries"
    (folder / "fr-en").mkdir(parents=True)
    (folder / "fr-de").mkdir()
    (folder / "fr-en" / "newsroom.tsv").write_text("Conseil municipal\tcity council\n")
    (folder / "fr-de" / "newsroom.csv").write_text("source,target\nConseil municipal,Stadtrat\n")
    (folder / "fr-en" / "broken.tsv").write_text("a\tb\tc\n")
    store = GlossaryStore(folder)
    listed = sorted((g.id, g.source, g.target, g.entries) for g in store.listing())
    assert listed == [("newsroom", "fr", "de", 1), ("newsroom", "fr", "en", 1)]
    assert store.load("newsroom", "fr", "de").to_pairs() == {"Conseil municipal": "Stadtrat"}
    for name in ("../fr-en/newsroom", "/etc/passwd", "fr-en/newsroom.tsv", "missing"):
        with pytest.raises(InputError, match="unknown glossary"):
            store.check_id(name, None, "en")
    with pytest.raises(InputError, match="no version for de-en"):
        store.check_id("newsroom", "de", "en")
