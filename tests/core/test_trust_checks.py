"""The trust checks on text the project writes: short repeats the source lacks, 12-hour times,
decimal styles and escapes, kept names and brackets, long words a summary brings in, and the
low_confidence rule on given scores."""

from __future__ import annotations

import pytest

from mtsum.checks import check_segments, check_summary, flags_warning
from mtsum.checks.numbers import compare, mentions
from mtsum.results import Flag, Segment


def kinds(source: str, output: str, src: str = "de", tgt: str = "en") -> list[str]:
    return [flag.kind for flag in check_segments([Segment(source, output)], src, tgt)]


@pytest.mark.parametrize(
    ("source", "output"),
    [
        (
            "Das Bett war sehr bequem.",
            "The bed was very comfortable and the bed was very comfortable.",
        ),
        ("Haftungsschicht", "Liability Liability Layer"),
        ("Wir gingen zum Strand.", "We went to the beach and the beach."),
        ("Es zeigt das Doppelte an.", "It shows about double/hulp/hulp."),
        (
            "Wir trennten den Weizen von der Spreu.",
            "We took the wheat from the chaff, but from the chaff.",
        ),
        ("Wir haben eine Sauna und ein Dampfbad.", "We have a sauna, sauna and steam bath."),
        ("Der Treffpunkt ist am Tor.", "The meeting point is the meeting point at the gate."),
        ("Die Haftungsschicht hält.", "The LiabilityLiability layer holds."),
    ],
)
def test_a_repeat_the_source_lacks_is_flagged(source: str, output: str) -> None:
    assert "repetition" in kinds(source, output)


@pytest.mark.parametrize(
    ("source", "output"),
    [
        ("Das Bett war sehr, sehr bequem.", "The bed was very, very comfortable."),
        ("Das ist gut und das ist gut.", "That is good and that is good."),
        ("Für Pferdeliebhaber und Pferdeliebhaberinnen!", "For horse lovers and horse lovers!"),
        ("Billardtisch, Tischfußball", "billiard table, table football"),
        ("Er hatte es gehabt.", "He had had it."),
        ("Sie sind die Besten der Besten.", "They are the best of the best."),
        ("Das Haus ist am Ende der Straße.", "The house is at the end of the street."),
        ("Ein Navi von TomTom.", "A TomTom navigator."),
    ],
)
def test_its_faithful_twin_is_not(source: str, output: str) -> None:
    assert "repetition" not in kinds(source, output)


@pytest.mark.parametrize(
    ("source", "output"),
    [
        ("Die Sitzung endet um 19.27 Uhr.", "The sitting ends at 7.27 p.m."),
        ("Beginn 17:45", "Start at 5:45 pm"),
        ("Um 19:00 Uhr.", "At 7 PM."),
        ("Um 5 Uhr.", "At 5 am."),
        ("Es kostet 1,5 Millionen.", "It costs 1.5 million."),
        ("Es sind 25.000 Menschen.", "There are 25,000 people."),
        ("Am 12.03.2024 beginnt es.", "It starts on 12 March 2024."),
        ("Ägypten", "Egypt\\u0027s battle"),
        ("Ägypten", "Egypt&#39;s battle"),
        ("In den 90er Jahren.", "In the 1990s."),
        ("Die Saison 2014/15.", "The 2014-2015 season."),
        ("Mo-Fr 9-18 Uhr", "Mon-Fri 9 a.m.-6 p.m."),
        ("Ist es durchgehend geöffnet?", "Is it open 24 hours a day?"),
        ("Es stieg um ein Prozent.", "It rose by 1 %."),
        ("Nach zwölf Stunden.", "After 12 hours."),
    ],
)
def test_number_forms_that_mean_the_same_match(source: str, output: str) -> None:
    assert compare(mentions(source), mentions(output)) == ([], [])


def test_a_changed_time_is_still_found() -> None:
    missing, added = compare(mentions("Um 18 Uhr."), mentions("At 7 pm."))
    assert missing == ["18"] and added == ["7pm"]


def test_the_twins_of_the_normalised_forms_are_still_found() -> None:
    # A decade, a round-the-clock idiom, a range of hours and a large added number, each changed.
    assert compare(mentions("In den 90er Jahren."), mentions("In the 1980s.")) == (["90"], ["1980"])
    assert compare(mentions("In den 80er und 90er Jahren."), mentions("In the 1990s.")) == (
        ["80"],
        [],
    )
    assert compare(mentions("Es dauert 36 Stunden."), mentions("It is open 24 hours.")) == (
        ["36"],
        [],
    )
    assert compare(mentions("Mo-Fr 9-18 Uhr"), mentions("Mon-Fri 9 a.m.-5 p.m."))[0] == ["9-18"]
    assert compare(mentions("Es kamen viele."), mentions("250 came.")) == ([], ["250"])


def test_names_kept_in_another_script_are_compared_both_ways() -> None:
    source = "我们 在 Hudson 街 看到 Uber 的 车 。"
    assert "numbers" not in kinds(source, "We saw Uber cars on Hudson Street.", "zh", "en")
    assert "numbers" in kinds(source, "We saw cars on the street.", "zh", "en")
    output = "我 喜欢 Kickstarter 的 想法 。"
    assert "numbers" in kinds("I like the idea.", output, "en", "zh")


def test_added_brackets_are_flagged_but_enumerators_and_full_width_ones_are_not() -> None:
    assert "numbers" in kinds("Ich gehe nach Norden.", "[ reference translation ] I go north.")
    assert "numbers" not in kinds("b) die Regel gilt.", "(b) the rule applies.")
    assert "numbers" not in kinds("（笑声） 我想开始。", "(Laughter) I want to start.", "zh", "en")


def test_long_words_the_text_never_uses_flag_a_summary_sentence_cased_or_not() -> None:
    text = ["The harbour town of Westmere opened its new library on Saturday."]
    for summary in ("Westmere opened a library.", "westmere opened a library ."):
        assert check_summary([summary], text) == ()
    for summary in (
        "Veteran architects opened Westmere's library.",
        "veteran architects opened westmere 's library .",
    ):
        (flag,) = check_summary([summary], text)
        assert flag.kind == "unsupported_word" and "veteran" in flag.detail


def test_low_confidence_needs_both_an_outlier_and_the_floor() -> None:
    def segments(*scores: float | None) -> list[Segment]:
        return [
            Segment(f"Satz Nummer {i} ist hier.", f"Sentence {i} is here.", s)
            for i, s in enumerate(scores)
        ]

    flagged = [
        f
        for f in check_segments(segments(-0.4, -0.5, -4.0, -0.6), "de", "en")
        if f.kind == "low_confidence"
    ]
    assert [f.sentence for f in flagged] == [2]
    # Far below the others but above the floor: a sure model's ordinary spread.
    assert not [
        f
        for f in check_segments(segments(-0.1, -0.2, -2.5), "de", "en")
        if f.kind == "low_confidence"
    ]
    # Below the floor but like the others: a hard text, not an outlier.
    assert not [
        f
        for f in check_segments(segments(-3.5, -3.8, -4.0), "de", "en")
        if f.kind == "low_confidence"
    ]
    # Too few scored sentences to compare with (kept ones have none).
    assert not [
        f
        for f in check_segments(segments(-0.3, None, -5.0), "de", "en")
        if f.kind == "low_confidence"
    ]


def test_the_warnings_line_names_low_confidence_like_other_kinds() -> None:
    line = flags_warning(
        [
            Flag(sentence=2, kind="low_confidence", detail="x"),
            Flag(sentence=3, kind="low_confidence", detail="y"),
        ]
    )
    assert line == "2 translated sentences may be wrong (sentences 3 and 4): 2 unsure translations"


def test_a_second_sentence_the_source_lacks_is_flagged_unless_a_semicolon_allows_it() -> None:
    source = "Das Hotel liegt am Meer."
    assert "length" in kinds(source, "The staff were friendly. The room was clean.")
    assert "length" not in kinds(source, "The hotel is by the sea.")
    twin = "Es sieht aus wie ein Kiefer; es zwingt das Insekt hinaus."
    assert "length" not in kinds(twin, "It looks like a jaw. It forces the insect out.")


def test_a_small_number_with_a_unit_or_currency_must_survive() -> None:
    # Alone, a small number may come back as a word; with a unit or a currency it is digits.
    assert "numbers" not in kinds("Wir haben zwei Kinder und 3 Katzen.", "We have two children.")
    assert "numbers" in kinds("Weck mich um 1 Uhr nachts.", "The staff were very friendly.")
    assert "numbers" not in kinds("Weck mich um 1 Uhr nachts.", "Wake me at 1 a.m.")
    assert "numbers" in kinds("Der Eintritt kostet 5 € pro Person.", "Entry is free for all.")
    assert "numbers" in kinds("Es sind noch 3 km bis zum Strand.", "The beach is close.")
    assert "numbers" not in kinds("Es sind noch 3 km bis zum Strand.", "The beach is 3 km away.")


TEXT = [
    "Alma Reyes scored twice for Westmere Rovers on Saturday.",
    "Rovers won the match against Eastport by three goals to one.",
    "The club's chairman praised the young striker after the game.",
    "Eastport's manager resigned on Monday after a run of defeats.",
    "He had been in charge of the club since the summer of last year.",
]


def test_a_sentence_of_a_copying_summary_that_fuses_far_apart_facts_is_flagged() -> None:
    copied = "Alma Reyes scored twice for Westmere Rovers on Saturday."
    fused = "Alma Reyes resigned as manager of Westmere Rovers on Monday."
    flags = check_summary([copied, fused], TEXT)
    assert [(f.sentence, f.kind) for f in flags] == [(1, "unsupported_word")]
    assert "Reyes" in flags[0].detail and "no passage" in flags[0].detail
    # Its faithful twin: each sentence held by one passage of the text.
    faithful = "Eastport's manager resigned on Monday after a run of defeats."
    assert check_summary([copied, faithful], TEXT) == ()
    # A summary that copies nothing (one abstractive sentence) is not judged so.
    assert check_summary([fused], TEXT) == ()


def test_an_unknown_word_placeholder_is_not_a_name_but_an_invented_name_is() -> None:
    text = ["The harbour town of Westmere opened its new library on Saturday."]
    assert check_summary(["The town of UNK opened a library on Saturday."], text) == ()
    (flag,) = check_summary(["The town of Eastport opened a library on Saturday."], text)
    assert flag.kind == "unsupported_name" and "Eastport" in flag.detail


def test_a_rewritten_one_sentence_summary_may_paraphrase_but_not_bring_in_content() -> None:
    # One sentence that no passage of the text covers: a rewrite, judged by the share of its
    # content words the text never uses, in its language, not by one long new word.
    paraphrase = "striker alma reyes inspired westmere rovers to a comfortable victory ."
    # "inspired", "comfortable", "victory": 3 of its 8 content words (4+ letters, not among
    # English's most frequent words) are new, over 30%; the text has the other five.
    (flag,) = check_summary([paraphrase], TEXT, "en")
    assert flag.kind == "unsupported_word" and "content words the text never uses" in flag.detail
    faithful = "westmere rovers won the match against eastport on saturday , reyes scored twice ."
    assert check_summary([faithful], TEXT, "en") == ()
    one_new_word = "westmere rovers comfortably won the match against eastport on saturday ."
    assert check_summary([one_new_word], TEXT, "en") == ()
    # Without a language (or one wordfreq does not list), one long new word still flags it.
    (old,) = check_summary([one_new_word], TEXT)
    assert old.kind == "unsupported_word" and "comfortably" in old.detail
    assert check_summary([one_new_word], TEXT, "xx") == (old,)
    # A summary of several sentences keeps the one-word rule with a language too.
    copied = "Alma Reyes scored twice for Westmere Rovers on Saturday."
    assert [f.sentence for f in check_summary([copied, one_new_word], TEXT, "en")] == [1]


def test_a_word_with_digits_is_left_to_the_number_check_not_the_passage_cover() -> None:
    copied = "Alma Reyes scored twice for Westmere Rovers on Saturday."
    # "41-year-old" is a number the text may give as "aged 41": no passage lacks a word here.
    aged = "The 41-year-old Eastport manager resigned on Monday after a run of defeats."
    assert [f.kind for f in check_summary([copied, aged], TEXT, "en")] == ["unsupported_number"]
