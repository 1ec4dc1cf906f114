"""The checks through the real pipeline: each fault flags exactly its sentence, nothing else.

A scripted engine (tests/support/faulty.py) translates from a table of hand-written
translations and spoils chosen sentences; the tiny random models show the checks on real model
output (they loop), and summary sources are checked for both methods.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from mtsum import Pipeline, Settings
from mtsum.models import ModelStore
from mtsum.results import Flag
from mtsum.text import split_text
from tests.support import faulty
from tests.support.faulty import ARTICLE_FR, FRENCH, ScriptedLoader
from tests.support.texts import ARTICLE_EN


def _pipeline(settings: Settings, loader: ScriptedLoader) -> Pipeline:
    return Pipeline(settings, store=ModelStore(settings, loader=loader))


def _found(flags: Sequence[Flag]) -> list[tuple[int, str]]:
    return [(flag.sentence, flag.kind) for flag in flags]


def test_a_faithful_engine_raises_no_flag(settings: Settings) -> None:
    translation = _pipeline(settings, ScriptedLoader()).translate(ARTICLE_FR, "en", "fr")
    assert [segment.source for segment in translation.segments] == list(FRENCH)
    assert [segment.text for segment in translation.segments] == list(faulty.ENGLISH)
    assert translation.flags == ()
    assert not any("may be wrong" in warning for warning in translation.warnings)


@pytest.mark.parametrize(
    ("fault", "sentence", "kind"),
    [
        (faulty.copy_input, 5, "untranslated"),
        (faulty.loop, 3, "repetition"),
        (faulty.drop_number, 0, "numbers"),
        (faulty.change_number, 1, "numbers"),
        (faulty.in_german, 4, "wrong_language"),
        (faulty.cut_short, 3, "length"),
    ],
)
def test_each_fault_flags_exactly_its_sentence(
    settings: Settings, fault: faulty.Fault, sentence: int, kind: str
) -> None:
    loader = ScriptedLoader({FRENCH[sentence]: fault})
    translation = _pipeline(settings, loader).translate(ARTICLE_FR, "en", "fr")
    assert _found(translation.flags) == [(sentence, kind)]
    assert f"1 translated sentence may be wrong (sentence {sentence + 1}): 1 " in " ".join(
        translation.warnings
    )


def test_the_warnings_line_counts_each_kind_once(settings: Settings) -> None:
    faults = {
        FRENCH[0]: faulty.drop_number,
        FRENCH[1]: faulty.change_number,
        FRENCH[3]: faulty.loop,
        FRENCH[5]: faulty.copy_input,
    }
    result = _pipeline(settings, ScriptedLoader(faults)).run(
        ARTICLE_FR, "en", "fr", method="extractive"
    )
    assert _found(result.translation.flags) == [
        (0, "numbers"), (1, "numbers"), (3, "repetition"), (5, "untranslated"),
    ]  # fmt: skip
    line = (
        "4 translated sentences may be wrong (sentences 1, 2, 4 and 6): 2 changed numbers, "
        "names or links, 1 loop, 1 copy of the source"
    )
    assert result.warnings.count(line) == 1
    data = result.to_dict()["translation"]
    assert data["flags"][0] == {
        "sentence": 0,
        "kind": "numbers",
        "detail": data["flags"][0]["detail"],
    }
    assert "1 250 000" in data["flags"][0]["detail"]
    assert data["segments"][2] == {"source": FRENCH[2], "text": faulty.ENGLISH[2]}


def test_a_pivot_pairs_the_original_sentence_with_the_final_output(settings: Settings) -> None:
    loader = ScriptedLoader({faulty.ENGLISH[4]: faulty.loop})
    translation = _pipeline(settings, loader).translate(ARTICLE_FR, "de", "fr")
    assert translation.route == ("fr-en", "en-de")
    assert [segment.source for segment in translation.segments] == list(FRENCH)
    assert [segment.text for segment in translation.segments][:4] == list(faulty.GERMAN[:4])
    assert _found(translation.flags) == [(4, "repetition")]


def test_the_same_language_pairs_each_sentence_with_itself_unflagged(settings: Settings) -> None:
    loader = ScriptedLoader({sentence: faulty.loop for sentence in FRENCH})
    translation = _pipeline(settings, loader).translate(ARTICLE_FR, "fr", "fr")
    assert [tuple(segment)[:2] for segment in translation.segments] == [(s, s) for s in FRENCH]
    assert translation.flags == ()


def test_a_sentence_without_letters_is_not_flagged(settings: Settings) -> None:
    text = FRENCH[3] + "\n\n2025 - 2026"
    loader = ScriptedLoader({"2025 - 2026": faulty.copy_input})
    translation = _pipeline(settings, loader).translate(text, "en", "fr")
    assert translation.segments[-1] == ("2025 - 2026", "2025 - 2026", None)  # kept: no score
    assert translation.flags == ()


def test_summary_flags_invented_numbers_and_names(settings: Settings) -> None:
    summary = (
        "The city council approved a budget for the buses. "
        "The line will cost 9.5 million, said Pierre Martin."
    )
    loader = ScriptedLoader(summary=summary)
    result = _pipeline(settings, loader).run(ARTICLE_FR, "en", "fr", words=10)
    assert result.summary.method == "abstractive"
    assert result.summary.sentences == tuple(split_text(summary, "en").sentences)
    assert _found(result.summary.flags) == [(1, "unsupported_number"), (1, "unsupported_name")]
    assert "9.5" in result.summary.flags[0].detail
    assert "Pierre Martin" in result.summary.flags[1].detail
    assert result.summary.sources[0] == (0,)
    assert 1 in result.summary.sources[1]
    assert any("may not be supported by the text (sentence" in w for w in result.warnings)


def test_tiny_random_models_get_flagged(pipeline: Pipeline) -> None:
    translation = pipeline.translate(ARTICLE_EN, "fr", "en")
    flagged = {flag.sentence for flag in translation.flags}
    assert len(flagged) >= len(translation.segments) // 2
    assert "repetition" in {flag.kind for flag in translation.flags}
    assert all(0 <= flag.sentence < len(translation.segments) for flag in translation.flags)
    assert any("translated sentences may be wrong (sentences" in w for w in translation.warnings)


def test_extractive_sources_are_the_chosen_sentences(pipeline: Pipeline) -> None:
    result = pipeline.run(ARTICLE_EN, "de", "en", method="extractive")
    summary, segments = result.summary, result.translation.segments
    assert summary.sources and all(len(indices) == 1 for indices in summary.sources)
    assert [segments[i].text for (i,) in summary.sources] == list(summary.sentences)
    assert summary.flags == ()


def test_abstractive_sources_are_valid_sentence_indices(pipeline: Pipeline) -> None:
    result = pipeline.run(ARTICLE_EN, "fr", "en", words=40)
    count = len(result.translation.segments)
    assert len(result.summary.sources) == len(result.summary.sentences)
    for indices in result.summary.sources:
        assert list(indices) == sorted(set(indices))
        assert all(0 <= i < count for i in indices)
