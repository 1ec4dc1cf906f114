"""Text structure: paragraphs, sentences, cutting long sentences, packing into batches."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from mtsum.text import (
    clean_text,
    count_words,
    join_excerpts,
    pack_batches,
    pack_chunks,
    split_sentences,
    split_text,
    split_to_fit,
)


def word_count(texts: Sequence[str]) -> list[int]:
    """A stand-in tokenizer: one token per word plus one per 4 characters of a word, plus EOS."""
    return [sum(1 + len(w) // 4 for w in t.split()) + 1 for t in texts]


def no_spaces(text: str) -> str:
    return "".join(text.split())


def test_paragraphs_lines_and_sentences_are_kept_in_order() -> None:
    text = "Title line\nSecond line. Still second.\n\n\n  Para two, one sentence.  \n\nLast. Two."
    document = split_text(text, "en")
    assert len(document.paragraphs) == 3
    assert document.paragraphs[0] == (("Title line",), ("Second line.", "Still second."))
    assert document.sentences[-2:] == ["Last.", "Two."]


def test_rebuild_restores_the_layout_with_new_sentences() -> None:
    document = split_text("A one. A two.\nA three.\n\nB one.", "en")
    rebuilt = document.rebuild(["1", "2", "3", "4"], "en")
    assert rebuilt == "1 2\n3\n\n4"


def test_rebuild_joins_chinese_without_spaces() -> None:
    document = split_text("One. Two.", "en")
    assert document.rebuild(["一。", "二。"], "zh") == "一。二。"


def test_sentences_of_abbreviations_and_chinese() -> None:
    assert split_sentences("Dr. Smith arrived at 5 p.m. on Monday. He left.", "en") == [
        "Dr. Smith arrived at 5 p.m. on Monday.",
        "He left.",
    ]
    assert split_sentences("今天下雨。我们在家！你呢？", "zh") == [
        "今天下雨。",
        "我们在家！",
        "你呢？",
    ]


def test_clean_text_removes_control_characters_but_keeps_layout() -> None:
    cleaned, removed = clean_text("a\x00b\r\nc\td\x07")
    assert cleaned == "ab\nc\td"
    assert removed == 2


def test_count_words_in_spaced_and_unspaced_scripts() -> None:
    assert count_words("The council's new budget, approved on Tuesday.") == 7
    assert count_words("市议会批准了预算") == 4


def test_long_clause_sentence_is_cut_at_commas_first() -> None:
    sentence = ", ".join(f"clause number {i} with several extra words in it" for i in range(30))
    pieces = split_to_fit(sentence, 40, word_count)
    assert len(pieces) > 1
    assert all(word_count([p])[0] <= 40 for p in pieces)
    assert all(p.rstrip().endswith(",") for p in pieces[:-1])
    assert no_spaces("".join(pieces)) == no_spaces(sentence)


def test_sentence_without_punctuation_is_cut_between_words() -> None:
    sentence = " ".join(f"word{i}" for i in range(3000))
    pieces = split_to_fit(sentence, 50, word_count)
    assert all(word_count([p])[0] <= 50 for p in pieces)
    assert " ".join(pieces).split() == sentence.split()


def test_text_without_spaces_is_cut_between_characters() -> None:
    def chars(texts: Sequence[str]) -> list[int]:
        return [len(t) + 1 for t in texts]

    sentence = "市议会星期二晚上批准了一项新的公共交通预算" * 20
    pieces = split_to_fit(sentence, 30, chars)
    assert all(len(p) + 1 <= 30 for p in pieces)
    assert "".join(pieces) == sentence


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=400), st.integers(min_value=3, max_value=40))
def test_split_to_fit_never_loses_a_character(text: str, limit: int) -> None:
    def chars(texts: Sequence[str]) -> list[int]:
        return [len(t) + 1 for t in texts]

    pieces = split_to_fit(text, limit, chars)
    assert no_spaces("".join(pieces)) == no_spaces(text)
    assert all(len(p) + 1 <= limit for p in pieces)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=300), max_size=300),
    st.integers(min_value=1, max_value=2000),
)
def test_pack_batches_covers_every_item_once_within_budget(lengths: list[int], budget: int) -> None:
    batches = pack_batches(lengths, budget)
    flat = sorted(i for batch in batches for i in batch)
    assert flat == list(range(len(lengths)))
    for batch in batches:
        padded = len(batch) * max(lengths[i] for i in batch)
        assert padded <= budget or len(batch) == 1


def test_pack_batches_sorts_by_length_to_limit_padding() -> None:
    batches = pack_batches([5, 100, 6, 99, 4, 98], batch_tokens=300)
    assert batches[0] == [1, 3, 5]
    assert sorted(batches[1]) == [0, 2, 4]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=200), max_size=200),
    st.integers(min_value=1, max_value=500),
)
def test_pack_chunks_keeps_order_and_window(lengths: list[int], window: int) -> None:
    chunks = pack_chunks(lengths, window)
    assert [i for chunk in chunks for i in chunk] == list(range(len(lengths)))
    for chunk in chunks:
        assert sum(lengths[i] for i in chunk) <= window or len(chunk) == 1


def test_excerpts_keep_headlines_on_their_own_line() -> None:
    text = join_excerpts(["Library opens on a small island", "It took three years.", "Done."], "en")
    assert text == "Library opens on a small island\nIt took three years. Done."
