"""Each check on its own: numbers in their locale forms, loops, copies, languages, lengths,
summary sources and invented numbers and names."""

from __future__ import annotations

import pytest

from mtsum.checks import (
    check_segments,
    check_summary,
    flags_warning,
    review_summary,
    summary_sources,
)
from mtsum.checks.loops import longest_loop
from mtsum.checks.numbers import compare, mentions
from mtsum.results import Candidate, Detection, Flag, Segment

SOURCE = "Le conseil municipal a approuvé mardi soir le nouveau budget des transports."
FAITHFUL = "On Tuesday evening the city council approved the new transport budget."


def _kinds(source: str, text: str, detect: object = None) -> list[str]:
    flags = check_segments([Segment(source, text)], "fr", "en", detect)  # type: ignore[arg-type]
    return [flag.kind for flag in flags]


@pytest.mark.parametrize(
    ("source", "output"),
    [
        ("25 000 personnes", "25,000 people"),
        ("25 000 personnes", "25.000 Personen"),
        ("25.000 Personen", "25,000 people"),
        ("1,5 %", "1.5%"),
        ("1.234.567,89 €", "€1,234,567.89"),
        ("le 12/03/2025", "on 12.03.2025"),
        ("le 12/03/2025", "on 12 March 2025"),
        ("2025-03-12", "12.03.2025"),
        ("à 9:30", "um 9.30 Uhr"),
        ("du 10-12 mai", "from 10 to 12 May"),
        ("3 bus", "three buses"),
        ("voir https://example.org/a?b=1", "see https://example.org/a?b=1."),
        ("écrire à a.b@example.org", "write to a.b@example.org"),
    ],
)
def test_numbers_in_their_locale_forms_are_equal(source: str, output: str) -> None:
    assert compare(mentions(source), mentions(output)) == ([], [])


@pytest.mark.parametrize(
    ("source", "output", "missing", "added"),
    [
        ("1 250 euros", "1,350 euros", ["1 250"], ["1,350"]),
        ("1 250 euros", "euros", ["1 250"], []),
        ("3 bus", "4 buses", ["3"], ["4"]),
        ("1,5 %", "15%", ["1,5"], ["15"]),
        ("voir https://example.org/a", "see the website", ["https://example.org/a"], []),
    ],
)
def test_changed_or_missing_numbers_are_reported_as_written(
    source: str, output: str, missing: list[str], added: list[str]
) -> None:
    assert compare(mentions(source), mentions(output)) == (missing, added)


def test_a_space_joins_only_thousands_groups() -> None:
    assert mentions("25 000 000 en 2024 12 fois").numbers == ("25 000 000", "2024", "12")


def test_numbers_inside_links_are_not_numbers() -> None:
    found = mentions("see https://example.org/2024/05 now")
    assert found.numbers == ()
    assert found.links == ("https://example.org/2024/05",)


@pytest.mark.parametrize(
    "text", ["codigo codigo codigo codigo", "analyseranalyseranalyser", "x èèèèèèè y"]
)
def test_loops_are_found(text: str) -> None:
    loop = longest_loop(text)
    assert loop is not None and loop.repeats >= 3


@pytest.mark.parametrize("text", [FAITHFUL, "www.example.org", "Aaah, very very good.", "1000000"])
def test_ordinary_text_has_no_loop(text: str) -> None:
    assert longest_loop(text) is None


def test_a_phrase_that_keeps_coming_back_is_a_loop() -> None:
    loop = longest_loop("the new line, the new line and again the new line today")
    assert loop is not None and loop.unit == "the new line" and not loop.back_to_back


def test_a_loop_the_source_has_too_is_not_flagged() -> None:
    assert _kinds("non, non, non et non", "no, no, no and no") == []
    assert _kinds(SOURCE, FAITHFUL + " budget budget budget budget") == ["repetition"]


def test_a_faithful_sentence_has_no_flag() -> None:
    assert _kinds(SOURCE, FAITHFUL) == []


def test_a_copy_of_the_source_is_untranslated() -> None:
    assert _kinds(SOURCE, SOURCE) == ["untranslated"]
    assert _kinds(SOURCE, SOURCE.replace("mardi", "lundi")) == ["untranslated"]


def test_a_short_name_left_as_it_is_is_not_untranslated() -> None:
    assert _kinds("Emmanuel Macron à Berlin", "Emmanuel Macron à Berlin") == []


def _detector(language: str, probability: float = 0.99, reliable: bool = True) -> object:
    def detect(text: str) -> Detection:
        return Detection(
            language=language,
            probability=probability,
            reliable=reliable,
            candidates=(Candidate(language=language, probability=probability),),
        )

    return detect


def test_a_confident_other_language_is_flagged() -> None:
    assert _kinds(SOURCE, FAITHFUL, _detector("de")) == ["wrong_language"]


@pytest.mark.parametrize(
    "detector", [_detector("en"), _detector("de", 0.6), _detector("de", reliable=False)]
)
def test_the_target_or_an_unsure_guess_is_not_flagged(detector: object) -> None:
    assert _kinds(SOURCE, FAITHFUL, detector) == []


def test_short_outputs_are_not_language_checked() -> None:
    assert _kinds("Bonjour à tous.", "Hello everyone.", _detector("de")) == []


def test_languages_detectors_confuse_are_not_flagged() -> None:
    segment = Segment(SOURCE, FAITHFUL)
    assert check_segments([segment], "fr", "no", _detector("da")) == ()  # type: ignore[arg-type]


def test_a_far_shorter_or_longer_output_has_an_unusual_length() -> None:
    assert _kinds(SOURCE, "The council.") == ["length"]
    long = " ".join(f"word{i}" for i in range(60))
    assert "length" in _kinds(SOURCE, long)
    assert _kinds("Oui.", "Yes, of course, certainly, without any doubt at all.") == []


def test_same_language_and_letterless_sentences_are_never_flagged() -> None:
    loop = "codigo codigo codigo codigo"
    assert check_segments([Segment(SOURCE, loop)], "fr", "fr") == ()
    assert check_segments([Segment("2024 - 2025", "ааааааа")], "fr", "en") == ()


def test_the_warnings_line_counts_sentences_once_per_kind() -> None:
    flags = [
        Flag(sentence=0, kind="repetition", detail="x"),
        Flag(sentence=0, kind="numbers", detail="x"),
        Flag(sentence=2, kind="repetition", detail="x"),
        Flag(sentence=2, kind="repetition", detail="y"),
    ]
    assert flags_warning(flags) == (
        "2 translated sentences may be wrong (sentences 1 and 3): 2 loops, "
        "1 changed number, name or link"
    )
    many = [Flag(sentence=i, kind="length", detail="x") for i in range(12)]
    assert "(sentences 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more)" in str(flags_warning(many))
    one = flags_warning([Flag(sentence=4, kind="numbers", detail="x")], "summary")
    assert one == (
        "1 summary sentence may not be supported by the text (sentence 5): "
        "1 changed number, name or link"
    )
    assert flags_warning([]) is None


TEXT = [
    "The harbour town of Westmere opened its new library on Saturday.",
    "Construction began three years ago and cost about 11.5 million euros.",
    "The mayor, Anna Berg, thanked the builders.",
]


def test_summary_sources_point_at_the_supporting_sentences() -> None:
    summary = [
        "Westmere opened a new library.",
        "It cost 11.5 million euros and Anna Berg thanked builders.",
    ]
    assert summary_sources(summary, TEXT) == ((0,), (1, 2))


def test_a_sentence_sharing_nothing_has_no_source() -> None:
    assert summary_sources(["Zebras xylophone quietly."], TEXT) == ((),)


def test_invented_numbers_and_names_are_flagged() -> None:
    summary = ["The library in Westmere cost 14 million euros, said Peter Holm."]
    flags = check_summary(summary, TEXT)
    assert [(f.sentence, f.kind) for f in flags] == [
        (0, "unsupported_number"),
        (0, "unsupported_name"),
    ]
    assert "14" in flags[0].detail and "Peter Holm" in flags[1].detail


def test_names_with_endings_and_numbers_in_other_forms_are_supported() -> None:
    summary = ["Westmere's library cost 11,5 million euros, and Berg's words thanked builders."]
    assert check_summary(summary, TEXT) == ()


def test_text_that_capitalises_every_noun_has_no_name_flags() -> None:
    german = [
        "Der Stadtrat hat am Dienstag einen neuen Haushalt für den Verkehr beschlossen.",
        "Die Busse sollen ab März auf den vollsten Linien häufiger fahren.",
    ]
    flags = check_summary(["Der Rat plant neue Strassenbahnen für die Innenstadt."], german)
    assert not [f for f in flags if f.kind == "unsupported_name"]


def test_scripts_without_case_yield_no_name_flags() -> None:
    text = ["市议会星期二晚上批准了一项新的公共交通预算。"]
    assert check_summary(["市议会批准了预算。"], text) == ()
    assert summary_sources(["市议会批准了预算。"], text) == ((0,),)


def test_review_summary_gives_the_summary_warnings_line() -> None:
    review = review_summary(["It cost 14 million euros."], TEXT)
    assert review.warnings == (
        "1 summary sentence may not be supported by the text (sentence 1): 1 unsupported number",
    )
