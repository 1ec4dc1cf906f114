"""Sentence splitting around stray quote marks: they must not hide sentence ends.

sentencex never splits inside what it takes for a quotation; a detached closing mark (text that
was tokenised and joined again) or an inch mark makes it pair marks across real sentence ends.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mtsum.text import LONG_SENTENCE_WORDS, count_words, split_sentences, split_text

# Closing marks stand apart from the words, as after detokenisation: sentencex alone joins
# "He has won ... debut." and "A fee ... mentioned." into one sentence.
DETOKENISED = (
    "The club wants to sign him in the summer. ' The forward, who finished a degree in "
    "economics only a fortnight ago, would be the first player from his country at the club "
    "if he moves this summer. He has won eleven caps since his debut. A fee of four million "
    "has been mentioned. He said: ' I have not decided yet at all. It is an honour to be "
    "asked. ' He scored thirteen goals last season."
)


PARTS = ["Word", "word", "Dr.", "3.5", ".", "!", "?", " ", " ", "'", '"', "“", "”", "。", "」"]


def no_spaces(text: str) -> str:
    return "".join(text.split())


def test_detached_quote_marks_do_not_join_sentences() -> None:
    assert split_sentences(DETOKENISED, "en") == [
        "The club wants to sign him in the summer.",
        "' The forward, who finished a degree in economics only a fortnight ago, would be the "
        "first player from his country at the club if he moves this summer.",
        "He has won eleven caps since his debut.",
        "A fee of four million has been mentioned.",
        "He said: ' I have not decided yet at all.",
        "It is an honour to be asked.",
        "' He scored thirteen goals last season.",
    ]


def test_an_inch_mark_does_not_open_a_quotation() -> None:
    text = (
        'The new screen is 27" wide and weighs less than the old one. The shop sold two '
        "hundred of them in the first week, more than it had expected, and ordered more. "
        'Staff said the demand came from students. The manager called it "the best launch."'
    )
    assert split_sentences(text, "en") == [
        'The new screen is 27" wide and weighs less than the old one.',
        "The shop sold two hundred of them in the first week, more than it had expected, "
        "and ordered more.",
        "Staff said the demand came from students.",
        'The manager called it "the best launch."',
    ]


def test_abbreviations_decimals_and_contractions_survive_the_second_split() -> None:
    text = (
        "Dr. Smith met U.S. officials, e.g. the envoy, at 3.5 p.m. on Monday. ' It went "
        "well, ' he said. ' We agreed on 2.5 million. It's a start. '"
    )
    assert split_sentences(text, "en") == [
        "Dr. Smith met U.S. officials, e.g. the envoy, at 3.5 p.m. on Monday.",
        "' It went well, ' he said.",
        "' We agreed on 2.5 million.",
        "It's a start. '",
    ]


def test_well_formed_quotations_stay_whole() -> None:
    text = 'The mayor said "We are ready. We open on Monday." and left. Then the council voted.'
    assert split_sentences(text, "en") == [
        'The mayor said "We are ready. We open on Monday." and left.',
        "Then the council voted.",
    ]
    french = "« Nous sommes prêts. Nous ouvrons lundi. » a-t-il dit. Puis le conseil a voté."
    assert split_sentences(french, "fr") == [
        "« Nous sommes prêts. Nous ouvrons lundi. » a-t-il dit.",
        "Puis le conseil a voté.",
    ]


def test_closing_marks_stay_with_their_sentence() -> None:
    text = 'He said "Go now. Please." She answered "No." Then it rained. It\'s "over.'
    assert split_sentences(text, "en") == [
        'He said "Go now.',
        'Please."',
        'She answered "No."',
        "Then it rained.",
        "It's \"over.",
    ]
    assert split_sentences('他说：“走吧。”然后他走了。屏幕有27"宽。', "zh") == [
        "他说：“走吧。”",
        "然后他走了。",
        '屏幕有27"宽。',
    ]


def test_a_long_chinese_piece_behind_a_stray_mark_is_split() -> None:
    text = (
        "记者说，这台屏幕有27“宽。会议在北京举行，来自十几个国家和地区的代表参加了讨论。"
        "大家同意明年继续合作，并且增加投入。会后双方签署了三份协议，内容涉及交通、能源和教育。"
        "他说：”我们很满意。"
    )
    assert count_words(text) > LONG_SENTENCE_WORDS
    sentences = split_sentences(text, "zh")
    assert len(sentences) == 5
    assert "".join(sentences) == text


def test_thai_without_sentence_marks_keeps_every_character() -> None:
    text = (
        'ฉันชอบกินข้าว "มาก วันนี้อากาศดีมากและเราไปเที่ยวทะเลกับครอบครัวทั้งวัน '
        "พรุ่งนี้เราจะกลับบ้านแต่เช้าเพราะต้องทำงาน ทุกคนมีความสุข"
    )
    assert no_spaces(" ".join(split_sentences(text, "th"))) == no_spaces(text)


def test_the_document_split_uses_the_same_rule() -> None:
    document = split_text(f"A headline\n\n{DETOKENISED}", "en")
    assert document.sentences[0] == "A headline"
    assert len(document.sentences) == 8


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(PARTS), max_size=120))
def test_nothing_is_lost_but_spaces(parts: list[str]) -> None:
    text = "".join(parts)
    for language in ("en", "zh"):
        sentences = split_sentences(text, language)
        assert all(sentences)
        assert no_spaces("".join(sentences)) == no_spaces(text)


def test_a_bracketed_number_does_not_end_the_splitting_of_a_long_line() -> None:
    # sentencex keeps all that follows "today. (100)" in one piece; the brackets get masked.
    line = " ".join(
        f"The committee reviewed the report today and found it fine. ({n})" for n in range(300)
    )
    sentences = split_sentences(line, "en")
    assert len(sentences) >= 299
    assert max(count_words(s) for s in sentences) <= LONG_SENTENCE_WORDS
    assert "".join(sentences).replace(" ", "") == line.replace(" ", "")  # nothing lost
