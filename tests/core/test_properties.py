"""Property-based tests: arbitrary unicode through the real pipeline on the tiny models.

Whatever the text, the pipeline either answers or raises a typed ``MtsumError``; when it
answers, the paragraphs are all there and every input sentence maps to one output sentence.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtsum import InputError, MtsumError, Pipeline
from mtsum.text import clean_text, split_paragraphs, split_text

# Text that looks like text: words from several scripts, punctuation, spaces and line breaks,
# plus a share of anything at all (control characters, emoji, surrogates are filtered by st.text).
WORDS = st.sampled_from(
    [
        "le",
        "conseil",
        "budget",
        "Bus",
        "市议会",
        "预算",
        "Совет",
        "مجلس",
        "2024",
        "—",
        "!",
        "?",
        ".",
    ]
)
LIKE_TEXT = st.lists(
    st.one_of(WORDS, st.sampled_from([" ", " ", "\n", "\n\n", ". "]), st.text(max_size=3)),
    max_size=80,
).map("".join)
ANY_TEXT = st.one_of(LIKE_TEXT, st.text(max_size=300))
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(text=ANY_TEXT)
def test_translation_keeps_paragraphs_and_every_sentence(pipeline: Pipeline, text: str) -> None:
    try:
        translation = pipeline.translate(text, target="en", source="fr")
    except InputError:
        cleaned = clean_text(text)[0]
        assert not cleaned.strip() or not any(ch.isalpha() for ch in cleaned)
        return
    cleaned = clean_text(text)[0]
    source_sentences = split_text(cleaned, "fr").sentences
    assert [s.source for s in translation.segments] == source_sentences
    assert all(s.text.strip() for s in translation.segments)
    assert len(split_paragraphs(translation.text)) == len(split_paragraphs(cleaned))


@SETTINGS
@given(text=ANY_TEXT)
def test_run_answers_or_raises_a_typed_error(pipeline: Pipeline, text: str) -> None:
    try:
        result = pipeline.run(text, target="de", method="extractive")
    except MtsumError:
        return
    assert result.translation.target == "de"
    assert result.stats.paragraphs == len(split_paragraphs(clean_text(text)[0]))
    assert result.summary.text.strip()


@SETTINGS
@given(text=LIKE_TEXT, words=st.integers(min_value=1, max_value=200))
def test_extractive_summary_is_never_empty(pipeline: Pipeline, text: str, words: int) -> None:
    try:
        summary = pipeline.summarize(text, words=words, method="extractive")
    except MtsumError:
        return
    assert summary.text.strip()
    assert summary.words >= 1


@SETTINGS
@given(text=ANY_TEXT)
def test_text_with_words_and_a_given_source_always_gets_a_result(
    pipeline: Pipeline, text: str
) -> None:
    # The other properties accept typed errors; this one pins the success path: with letters
    # in it and the source given, any text (control characters, emoji, odd spacing) is answered.
    result = pipeline.run("Le conseil vote. " + text, target="de", source="fr", method="extractive")
    assert result.translation.route == ("fr-en", "en-de")
    assert result.summary.text.strip()
    assert len(result.translation.segments) == len(
        split_text(clean_text("Le conseil vote. " + text)[0], "fr").sentences
    )
