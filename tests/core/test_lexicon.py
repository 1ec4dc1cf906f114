"""The ``detached`` flag: a translation that renders none of its source's dictionary words.

The word lists here are written for these tests, in the format of Ding's dictionary (Debian's
``trans-de-en``); the last test reads that real list where it is installed (CI installs it).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from mtsum import Settings
from mtsum.checks import Lexicons, check_segments
from mtsum.checks.lexicon import DETACHED_MIN_WORDS, Lexicon, detached, read_lexicon
from mtsum.models import ModelStore
from mtsum.pipeline import Pipeline
from mtsum.results import Segment
from tests.support import faulty
from tests.support.faulty import ARTICLE_FR, FRENCH, ScriptedLoader

# German -> English, as Ding writes it: senses split by "|", synonyms by ";", notes in brackets.
DE_EN = """\
# a word list written for mtsum's tests
Bahnhof {m} | Bahnhöfe {pl} :: station; railway station | stations
Weg {m} [geogr.] | Wege {pl} :: path; way; road | paths; ways; roads
Fahrrad {n}; Rad {n} [ugs.] :: bicycle; bike
Radler {m}; Radfahrer {m} /Rf./ :: cyclist
Verkehr {m} :: traffic
schwer {adj} :: heavy; hard
Straße {f} | Straßen {pl} :: street; road | streets; roads
angenehm {adj} :: pleasant; agreeable
besonders {adv} :: particularly; especially
jdm. etw. zeigen :: to show sb. sth.
im Stau stecken :: to be stuck in traffic
Frühstück {n} :: breakfast
Büffet {n}; Buffet {n} :: buffet; sideboard
vielseitig {adj} :: versatile; varied
"""
# French -> English for the scripted article of tests/support/faulty.py (its 4th sentence).
FR_EN = """\
maire {m} :: mayor
remercier | remercié :: to thank | thanked
habitant {m} | habitants {pl} :: inhabitant; resident | inhabitants; residents
patience {f} :: patience
travaux {pl} :: works; roadworks
"""

ROAD_DE = (
    "Der Weg dorthin führt über die Straße mit schwerem Verkehr, was für uns Radler nicht "
    "besonders angenehm war."
)
ROAD_EN = (
    "The road there runs along the street with heavy traffic, which was not particularly "
    "pleasant for us cyclists."
)
ELSEWHERE_EN = "The hotel is located in the heart of the city, close to the station."


@pytest.fixture
def word_lists(tmp_path: Path) -> Path:
    (tmp_path / "de-en").write_text(DE_EN, "utf-8")
    (tmp_path / "fr-en").write_text(FR_EN, "utf-8")
    return tmp_path


def _de_en(word_lists: Path) -> Lexicon:
    lexicon = Lexicons(word_lists).find("de", "en")
    assert lexicon is not None
    return lexicon


def test_the_format_reads_senses_side_by_side_without_notes_or_placeholders() -> None:
    entries = read_lexicon(DE_EN.splitlines())
    assert set(entries["bahnhof"]) == {"stati", "railw"}
    assert set(entries["bahnhöfe"]) == {"stati"}
    assert set(entries["radler"]) == {"cycli"}  # "/Rf./" is an abbreviation, not a word
    assert set(entries["radfahrer"]) == {"cycli"}
    assert set(entries["zeigen"]) == {"show"}  # "jdm.", "etw.", "sb.", "sth.", "to" left out
    assert "stecken" not in entries  # a phrase's words do not each mean its translation
    assert not any(w.startswith("#") for w in entries)
    backwards = read_lexicon(DE_EN.splitlines(), reverse=True)
    assert set(backwards["cyclist"]) == {"radle", "radfa"}
    assert "to" not in backwards and "sb" not in backwards


def test_a_sentence_about_something_else_is_flagged_and_its_faithful_twin_not(
    word_lists: Path,
) -> None:
    lexicon = _de_en(word_lists)
    detail = detached(Segment(ROAD_DE, ELSEWHERE_EN), lexicon)
    assert detail is not None and detail.startswith("the output renders 0 of the source's")
    assert "radler" in detail
    assert detached(Segment(ROAD_DE, ROAD_EN), lexicon) is None


def test_a_compound_the_list_lacks_is_read_as_its_parts(word_lists: Path) -> None:
    lexicon = _de_en(word_lists)
    assert lexicon.translations("frühstücksbüffet") == (
        *lexicon.entries["frühstück"],
        *lexicon.entries["büffet"],
    )
    source = "Das Frühstücksbüffet war vielseitig, der Weg zum Bahnhof angenehm."
    faithful = "The breakfast buffet was varied, the way to the station pleasant."
    assert detached(Segment(source, faithful), lexicon) is None
    assert detached(Segment(source, "The staff were very friendly."), lexicon) is not None


def test_too_few_dictionary_words_are_not_judged(word_lists: Path) -> None:
    lexicon = _de_en(word_lists)
    assert DETACHED_MIN_WORDS == 3
    assert detached(Segment("Der Bahnhof ist angenehm.", "Nothing to see here."), lexicon) is None


def test_check_segments_names_the_kind_once_and_only_with_a_word_list(word_lists: Path) -> None:
    lexicon = _de_en(word_lists)
    segments = [Segment(ROAD_DE, ROAD_EN), Segment(ROAD_DE, ELSEWHERE_EN)]
    flags = check_segments(segments, "de", "en", lexicon=lexicon)
    assert [(f.sentence, f.kind) for f in flags] == [(1, "detached")]
    assert check_segments(segments, "de", "en") == ()
    # A loop is flagged as a loop; the same sentence is not flagged twice.
    looped = [Segment(ROAD_DE, "the road the road the road the road the road the road")]
    kinds = [f.kind for f in check_segments(looped, "de", "en", lexicon=lexicon)]
    assert "repetition" in kinds and "detached" not in kinds


def test_a_list_serves_both_directions_and_nothing_else(
    word_lists: Path, caplog: pytest.LogCaptureFixture
) -> None:
    lexicons = Lexicons(word_lists)
    backwards = lexicons.find("en", "de")
    assert backwards is not None and set(backwards.entries["cyclist"]) == {"radle", "radfa"}
    assert lexicons.find("de", "fr") is None
    assert lexicons.find("../de", "en") is None  # only language codes name files
    assert Lexicons(None).find("de", "en") is None
    (word_lists / "de-it").write_bytes(b"\xff\xfe not utf-8 \xff")
    with caplog.at_level(logging.WARNING, logger="mtsum.checks.lexicon"):
        assert lexicons.find("de", "it") is None
    assert "could not be read" in caplog.text


def test_the_folder_is_the_operators_choice(tmp_path: Path) -> None:
    assert Settings().lexicons == Path("/usr/share/trans")
    assert Settings.from_env({"MTSUM_LEXICONS": "off"}).lexicons is None
    assert Settings.from_env({"MTSUM_LEXICONS": str(tmp_path)}).lexicons == tmp_path


def _about_something_else(source: str, output: str) -> str:
    return "The weather was sunny and warm all weekend."


def test_the_pipeline_flags_exactly_the_detached_sentence(
    settings: Settings, word_lists: Path
) -> None:
    with_lists = settings.replace(lexicons=word_lists)
    faithful = Pipeline(with_lists, store=ModelStore(with_lists, loader=ScriptedLoader()))
    assert faithful.translate(ARTICLE_FR, "en", "fr").flags == ()
    loader = ScriptedLoader({FRENCH[3]: _about_something_else})
    translation = Pipeline(with_lists, store=ModelStore(with_lists, loader=loader)).translate(
        ARTICLE_FR, "en", "fr"
    )
    assert [(f.sentence, f.kind) for f in translation.flags] == [(3, "detached")]
    assert translation.segments[3].text != faulty.ENGLISH[3]
    assert any("1 sentence about something else" in w for w in translation.warnings)
    streamed = Pipeline(with_lists, store=ModelStore(with_lists, loader=loader))
    *_, last = streamed.stream(ARTICLE_FR, target="en", source="fr", summary=False)
    assert [(f.sentence, f.kind) for f in last.flags] == [(3, "detached")]


SYSTEM_DE_EN = Path("/usr/share/trans/de-en")


@pytest.mark.skipif(
    not SYSTEM_DE_EN.is_file(),
    reason="Debian's trans-de-en is not installed (apt-get install trans-de-en; CI installs it)",
)
def test_debians_german_english_list_flags_a_detached_sentence() -> None:
    lexicon = Lexicons(SYSTEM_DE_EN.parent).find("de", "en")
    assert lexicon is not None and len(lexicon.entries) > 100_000
    assert detached(Segment(ROAD_DE, ELSEWHERE_EN), lexicon) is not None
    assert detached(Segment(ROAD_DE, ROAD_EN), lexicon) is None


def test_preloading_a_pair_reads_its_word_list_before_any_request(
    settings: Settings, word_lists: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with_lists = settings.replace(lexicons=word_lists)
    pipeline = Pipeline(with_lists, store=ModelStore(with_lists, loader=ScriptedLoader()))
    with caplog.at_level(logging.INFO, logger="mtsum.checks.lexicon"):
        pipeline.preload(["fr-en"])
    assert f"word list {word_lists / 'fr-en'} read" in caplog.text
