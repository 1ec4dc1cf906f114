"""Where each summary sentence comes from, and what in it the text does not say.

An abstractive summariser writes new sentences, and may invent numbers and names. For each
summary sentence this finds the text's sentences that support it (greedy cover of its words,
rare words weighing more, as TF-IDF does), and flags numbers and proper names that occur
nowhere in the text, and long words the text never uses in any form (which catches names in a
lower-cased summary too). Names are told by their capital letter inside a sentence, which works in
every cased script without a language model; scripts without case have no name flags.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Callable, Sequence

from ..results import Flag
from ..text import UNSPACED_CHAR, WORD, function_words, word_terms
from .numbers import mentions, unsupported

__all__ = ["check_summary", "summary_sources"]

# A word right after one of these starts a quote or a clause and is capitalised anyway.
_OPENERS = ":«»\"“”„‹›(['‘"
# At most this many sentences support one summary sentence (a summariser fuses two or three).
SOURCES_MAX = 3
# A sentence supports a summary sentence when it covers at least this share of its words'
# weight that earlier picks did not: one shared rare name is about a fifth of a short sentence.
SOURCE_MIN_GAIN = 0.2
# German capitalises every noun: where more than this share of the text's words inside
# sentences are capitalised, a capital no longer marks a name. Measured on 97 CNN/DailyMail
# articles: median 14%, 95th percentile 26%; German (200 sentences in blocks of 20): 29-39%;
# French, Spanish, Polish, Russian: under 22%. Above the cut, names are not checked.
NAME_CAPITALISED_SHARE_MAX = 0.27
# A name is found in the text when a word there starts with all of it but its last two
# characters (at least four): "Westmere's" and inflected forms such as "Warszawy" for
# "Warszawa" are the same name.
NAME_ENDING_CHARS = 2
NAME_MIN_STEM = 4
# A word of at least this many letters that the text never uses, in any form, is a claim the
# summary brought in ("veteran", "classical", a name lower-cased as the FRANK data has them).
# Measured on the dev half of ../shared/eval/factuality-dev.jsonl (bench/trust.py), one such
# word flagging its sentence: 5 letters gave FRANK CNN/DM balanced accuracy 0.667 (precision
# 0.85) but XSum 0.571; 6 letters 0.650 (0.83) and 0.622 (0.95); 7 letters 0.623 and 0.580;
# two words of 3+ letters 0.602 and 0.637. Short words are left out: function words and
# inflections, which every language has and which say nothing new.
NOVEL_WORD_MIN_CHARS = 6
# Words compared between a summary sentence and a passage of the text: at least this many
# letters (shorter ones are mostly function words, in any language), cut to their first
# COVER_PREFIX_CHARS letters so that inflected forms meet ("appointed", "appointment").
COVER_WORD_MIN_CHARS = 5
COVER_PREFIX_CHARS = 6
# A passage is one text sentence with one of the next COVER_SPAN - 1 sentences: a summariser
# that copies fuses at most two nearby sentences.
COVER_SPAN = 3
# An extractive summary copies: its sentences' words are nearly all in one passage. A sentence
# of such a summary whose words no passage holds together fused facts from far apart, which is
# how extractive summarisers get relations and circumstances wrong (FRANK's RelE, CircE): a
# sentence is flagged when less than COVERED_SHARE of its words lie in any one passage while
# another sentence of the same summary reaches it. A one-sentence or wholly abstractive summary
# (XSum) is never judged so. Measured on the dev half of ../shared/eval/factuality-dev.jsonl
# (bench/trust.py), added to the other flags: FRANK CNN/DM balanced accuracy 0.669 -> 0.729,
# precision 0.82 -> 0.79, XSum unchanged; 0.85 gave 0.701, 0.8 0.672 (words of 4+ letters:
# 0.723 at 0.9 but precision 0.70).
COVERED_SHARE = 0.9
# Summarisers with a closed vocabulary write a placeholder for a word outside it ("UNK",
# "<unk>", "[UNK]"): a word lost, not a name brought in. Measured on the dev half of
# ../shared/eval/factuality-dev.jsonl (bench/trust.py): as names they flagged 7 FRANK CNN/DM
# summaries, 3 of them faithful; left out, precision 0.773 -> 0.811, balanced accuracy 0.731 ->
# 0.717, XSum unchanged.
UNKNOWN_WORD_PLACEHOLDERS = frozenset({"unk"})
# A one-sentence summary that no passage of the text covers (COVERED_SHARE) was rewritten, as
# XSum-style summarisers write: paraphrase brings in a new word or two, so one long novel word
# says little there. Such a sentence is flagged when more than this share of its content words
# (4+ letters, not among its language's REWRITTEN_FUNCTION_WORDS most frequent words) are
# words the text never uses in any form. Chosen on the dev half of
# ../shared/eval/factuality-dev.jsonl (bench/trust.py), as the best mean balanced accuracy of
# FRANK XSum and XSumFaith: one novel word of 6+ letters gave 0.616 and 0.598; a share of 0.3
# 0.682 and 0.754, with 0.275-0.425 all above 0.64 on both; 0.2 gave 0.524 and 0.581. FRANK
# CNN/DM (copying summaries of several sentences) is unchanged. A language without wordfreq's
# list of frequent words keeps the one-word rule.
REWRITTEN_NOVEL_SHARE_MAX = 0.3
REWRITTEN_WORD_MIN_CHARS = 4
REWRITTEN_FUNCTION_WORDS = 300


def _terms(sentence: str) -> set[str]:
    return set(word_terms(WORD.findall(sentence.casefold())))


def summary_sources(summary: Sequence[str], text: Sequence[str]) -> tuple[tuple[int, ...], ...]:
    """Per summary sentence, the indices of the ``text`` sentences that support it, in order.

    Args:
        summary: the summary's sentences.
        text: the sentences of the text summarised, in the summary's language.
    """
    sentence_terms = [_terms(sentence) for sentence in text]
    index: dict[str, list[int]] = defaultdict(list)
    for number, terms in enumerate(sentence_terms):
        for term in terms:
            index[term].append(number)
    n = len(text)

    def weight(term: str) -> float:
        return math.log((1 + n) / (1 + len(index.get(term, ())))) + 1.0

    return tuple(_cover(_terms(sentence), index, weight) for sentence in summary)


def _cover(
    terms: set[str], index: dict[str, list[int]], weight: Callable[[str], float]
) -> tuple[int, ...]:
    total = sum(weight(term) for term in terms)
    chosen: list[int] = []
    left = set(terms)
    while left and len(chosen) < SOURCES_MAX:
        gains: dict[int, float] = defaultdict(float)
        for term in left:
            for number in index.get(term, ()):
                gains[number] += weight(term)
        if not gains:
            break
        best = min(gains, key=lambda number: (-gains[number], number))
        if gains[best] < SOURCE_MIN_GAIN * total:
            break
        chosen.append(best)
        left = {term for term in left if best not in index.get(term, ())}
    return tuple(sorted(chosen))


def check_summary(
    summary: Sequence[str], text: Sequence[str], language: str | None = None
) -> tuple[Flag, ...]:
    """Flags for numbers, names and long words of ``summary`` that ``text`` never mentions.

    Args:
        summary: the summary's sentences.
        text: the sentences of the text summarised, in the summary's language.
        language: that language, which tells its function words apart in a rewritten
            one-sentence summary (see ``REWRITTEN_NOVEL_SHARE_MAX``); None keeps the one-word
            rule there too.
    """
    whole = "\n".join(text)
    known_numbers = mentions(whole)
    check_names = _capitalised_share(text) <= NAME_CAPITALISED_SHARE_MAX
    known = {w.casefold() for w in WORD.findall(whole)}
    known_words = sorted(known)
    flags: list[Flag] = []
    shares = _best_shares(summary, text)
    fused = _uncovered(shares)
    stops = function_words(language, REWRITTEN_FUNCTION_WORDS) if language else None
    rewritten = len(summary) == 1 and shares.get(0, (0.0, []))[0] < COVERED_SHARE
    for number, sentence in enumerate(summary):
        invented = unsupported(mentions(sentence), known_numbers)
        if invented:
            detail = f"not in the text: {', '.join(invented)}"
            flags.append(Flag(sentence=number, kind="unsupported_number", detail=detail))
        names = (
            [n for n in _names(sentence) if not _known(n, known_words, known)]
            if check_names
            else []
        )
        if names:
            detail = f"not in the text: {', '.join(names)}"
            flags.append(Flag(sentence=number, kind="unsupported_name", detail=detail))
        shown = {w.casefold() for name in names for w in name.split()}
        if rewritten and stops is not None:
            # A name already flagged is not counted again among the novel words.
            why = _rewritten_novel(sentence, known_words, known, stops | shown)
            if why:
                flags.append(Flag(sentence=number, kind="unsupported_word", detail=why))
            continue
        novel = [w for w in _novel_words(sentence, known_words, known) if w not in shown]
        if novel:
            detail = f"words the text never uses: {', '.join(novel)}"
            flags.append(Flag(sentence=number, kind="unsupported_word", detail=detail))
        elif number in fused and not (invented or names):  # one flag enough to distrust it
            detail = f"no passage of the text says these with the rest: {', '.join(fused[number])}"
            flags.append(Flag(sentence=number, kind="unsupported_word", detail=detail))
    return tuple(flags)


def _best_shares(summary: Sequence[str], text: Sequence[str]) -> dict[int, tuple[float, list[str]]]:
    """Per summary sentence of COVER_SPAN compared words or more: the share of them that its
    best passage holds, and those it lacks, as the sentence writes them."""
    passages = _passages([set(_cover_words(sentence)) for sentence in text])
    best: dict[int, tuple[float, list[str]]] = {}
    for number, sentence in enumerate(summary):
        words = _cover_words(sentence)
        if len(words) >= COVER_SPAN and passages:
            held = max(passages, key=lambda p: len(words.keys() & p))
            left = [word for key, word in words.items() if key not in held]
            best[number] = (1 - len(left) / len(words), left)
    return best


def _uncovered(best: dict[int, tuple[float, list[str]]]) -> dict[int, list[str]]:
    """Per summary sentence that fuses far-apart facts (see COVERED_SHARE), the words of it
    that its best passage lacks."""
    if not any(share >= COVERED_SHARE for share, _ in best.values()):
        return {}
    return {n: left for n, (share, left) in best.items() if share < COVERED_SHARE}


def _rewritten_novel(
    sentence: str, known_words: list[str], known: set[str], stops: frozenset[str]
) -> str | None:
    """Why a rewritten sentence says more than the text (REWRITTEN_NOVEL_SHARE_MAX), or None."""
    words = dict.fromkeys(w.casefold() for w in WORD.findall(sentence))
    content = [
        w
        for w in words
        if len(w) >= REWRITTEN_WORD_MIN_CHARS
        and w.isalpha()
        and not UNSPACED_CHAR.search(w)
        and w not in stops
    ]
    novel = [w for w in content if not _known(w, known_words, known)]
    if not content or len(novel) <= REWRITTEN_NOVEL_SHARE_MAX * len(content):
        return None
    return (
        f"{len(novel)} of its {len(content)} content words the text never uses: {', '.join(novel)}"
    )


def _cover_words(sentence: str) -> dict[str, str]:
    """The sentence's compared words: their prefix -> the first form written."""
    # Words with digits ("19-year-old") are numbers, compared in all their forms by the
    # number check ("aged 19"); here they would count as words no passage holds.
    words = [
        w
        for w in WORD.findall(sentence)
        if len(w) >= COVER_WORD_MIN_CHARS and not any(c.isdigit() for c in w)
    ]
    found: dict[str, str] = {}
    for word in words:
        found.setdefault(word.casefold()[:COVER_PREFIX_CHARS], word)
    return found


def _passages(sentences: list[set[str]]) -> list[set[str]]:
    return [
        sentences[i] | sentences[j]
        for i in range(len(sentences))
        for j in range(i, min(len(sentences), i + COVER_SPAN))
    ]


def _novel_words(sentence: str, known_words: list[str], known: set[str]) -> list[str]:
    """Long words of ``sentence`` (case-folded, once each) that the text has in no form; words
    of scripts written without spaces are left out (a "word" there is a whole phrase)."""
    words = dict.fromkeys(w.casefold() for w in WORD.findall(sentence))
    return [
        word
        for word in words
        if len(word) >= NOVEL_WORD_MIN_CHARS
        and word.isalpha()
        and not UNSPACED_CHAR.search(word)
        and not _known(word, known_words, known)
    ]


def _inner_words(sentence: str) -> list[str]:
    """The words of a sentence that are not capitalised by position (first, after a quote)."""
    words = []
    for match in WORD.finditer(sentence):
        before = sentence[: match.start()].rstrip()
        if before and before[-1] not in _OPENERS and not before.endswith((".", "!", "?")):
            words.append(match.group(0))
    return words


def _is_capitalised(word: str) -> bool:
    first = word[0]
    return first.isupper() and first.lower() != first


def _capitalised_share(text: Sequence[str]) -> float:
    words = [w for sentence in text for w in _inner_words(sentence) if w[0].isalpha()]
    cased = [w for w in words if w[0].lower() != w[0].upper()]
    return sum(map(_is_capitalised, cased)) / len(cased) if cased else 0.0


def _names(sentence: str) -> list[str]:
    """Runs of capitalised words inside the sentence ("New York", "Jean Dupont")."""
    names: list[str] = []
    run: list[str] = []
    words = _inner_words(sentence)
    # A placeholder ends a run, as any word that is not a name does.
    for word in ["" if w.casefold() in UNKNOWN_WORD_PLACEHOLDERS else w for w in words] + [""]:
        if word and word[0].isalpha() and _is_capitalised(word):
            run.append(word)
            continue
        if run:
            names.append(" ".join(run))
            run = []
    return names


def _known(name: str, known_words: list[str], known: set[str]) -> bool:
    """True when any word of ``name`` occurs in the text, allowing for endings both ways
    ("Westmere's", "Warszawy" for "Warszawa", "Japanese" for "Japan")."""
    for word in name.split():
        folded = word.casefold()
        stem = folded[: max(NAME_MIN_STEM, len(folded) - NAME_ENDING_CHARS)]
        at = bisect.bisect_left(known_words, stem)
        if at < len(known_words) and known_words[at].startswith(stem):
            return True
        if any(folded[:size] in known for size in range(NAME_MIN_STEM + 1, len(folded))):
            return True
    return False
