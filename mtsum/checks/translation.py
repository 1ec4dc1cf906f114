"""Flags on the sentences of a translation, found without a reference translation.

Each check looks at one aligned pair (source sentence, output sentence) and says what makes
the output doubtful: a loop, a copy of the source, another language, a length far from the
source's, a number or link lost on the way, a sentence about something else (where a word
list for the pair is installed). The output is never changed, only described.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from ..errors import InputError
from ..results import Detection, Flag, Segment
from ..text import count_letters, count_words, split_sentences
from .confidence import low_confidence
from .lexicon import Lexicon, detached
from .loops import echoes, longest_loop
from .marks import added_brackets, lost_names
from .numbers import compare, mentions

__all__ = ["KINDS", "DetectFn", "check_segments"]

log = logging.getLogger(__name__)

DetectFn = Callable[[str], Detection]
"""A language detector: text in, ``Detection`` out (``LanguageDetector.detect`` or better)."""

KINDS = (
    "repetition",
    "untranslated",
    "wrong_language",
    "length",
    "numbers",
    "detached",
    "low_confidence",
)

# A loop that the source has too is faithful ("very, very, very"): the output's counts only
# if it has more than this many times the source's copies.
SOURCE_LOOP_FACTOR = 2
# "(nearly) the source": difflib's similarity of the case-folded texts. Cognates, names and
# numbers make a faithful fr->en sentence about 0.5-0.7 similar; a copy with a word or two
# changed is above 0.9.
UNTRANSLATED_RATIO = 0.9
# Below this many letters a sentence may rightly stay as it is: names, datelines, a headline
# such as "Emmanuel Macron in Berlin" (22 letters).
UNTRANSLATED_MIN_LETTERS = 30
# Language identification is unreliable on short text (lingua-py's tables: 74-98% from one
# word to one sentence; langdetect 65-98%), so shorter outputs are not judged.
WRONG_LANGUAGE_MIN_LETTERS = 40
# Only a confident other language counts, and the target must be no serious candidate.
WRONG_LANGUAGE_MIN_PROBABILITY = 0.9
WRONG_LANGUAGE_TARGET_MAX = 0.1
# Languages that detectors confuse on a single sentence; one of them for another is not flagged.
CONFUSABLE = (
    frozenset({"da", "no", "nb", "nn"}),
    frozenset({"hr", "sr", "bs", "sh"}),
    frozenset({"id", "ms"}),
    frozenset({"es", "gl", "ca"}),
    frozenset({"pt", "gl"}),
    frozenset({"bg", "mk"}),
    frozenset({"be", "ru", "uk"}),
    frozenset({"hi", "mr", "ne"}),
)
# Words of the output per word of the source. Word counts of faithful translations between
# European languages stay within about 0.6-1.6 of each other, and count_words counts two
# characters of Chinese, Japanese or Thai as a word, which keeps those near 1 as well; a ratio
# beyond 3 (or under 1/3) is a loop, a cut-off or a dropped clause.
LENGTH_RATIO_MAX = 3.0
# Very short sentences ("Yes." -> "Oui, bien sûr.") have erratic ratios.
LENGTH_MIN_WORDS = 4


def check_segments(
    segments: Sequence[Segment],
    source: str,
    target: str,
    detect: DetectFn | None = None,
    lexicon: Lexicon | None = None,
) -> tuple[Flag, ...]:
    """Every flag on ``segments``, in sentence order.

    Args:
        segments: the aligned (source, output) sentences.
        source: the language of the source sentences.
        target: the language the output should be in.
        detect: a language detector for the ``wrong_language`` check; that check is left out
            without one.
        lexicon: a ``source -> target`` word list for the ``detached`` check
            (:mod:`mtsum.checks.lexicon`); that check is left out without one.

    Returns:
        The flags; none when source equals target, and none on a sentence without letters
        (kept as it is on purpose).
    """
    if source == target:
        return ()
    flags: list[Flag] = []
    for index, segment in enumerate(segments):
        if count_letters(segment.source) == 0:
            continue
        flags.extend(_check_one(index, segment, target, detect))
        if any(f.sentence == index for f in flags):  # a loop explains its sentences
            continue
        elsewhere = detached(segment, lexicon) if lexicon is not None else None
        sentences = None if elsewhere else _added_sentence(segment, source, target)
        if elsewhere:
            flags.append(Flag(sentence=index, kind="detached", detail=elsewhere))
        elif sentences:
            flags.append(Flag(sentence=index, kind="length", detail=sentences))
    flags.extend(low_confidence(segments))
    return tuple(sorted(flags, key=lambda flag: flag.sentence))


def _check_one(index: int, segment: Segment, target: str, detect: DetectFn | None) -> list[Flag]:
    found: list[Flag] = []

    def flag(kind: str, detail: str | None) -> None:
        if detail is not None:
            found.append(Flag(sentence=index, kind=kind, detail=detail))

    flag("repetition", _repetition(segment))
    flag("untranslated", _untranslated(segment))
    # A loop or a copy is already flagged, and the language of a loop says nothing; skipping
    # them saves the costliest check where it is slowest (langdetect on a loop: ~30 ms).
    if not found and detect is not None:
        flag("wrong_language", _wrong_language(segment.text, target, detect))
    flag("length", _length(segment))
    flag("numbers", _numbers(segment))
    if not any(f.kind == "numbers" for f in found):
        flag("numbers", _names(segment))
    return found


def _repetition(segment: Segment) -> str | None:
    loop = longest_loop(segment.text)
    if loop is None:
        return _echo(segment)
    own = longest_loop(segment.source)
    if own is not None and loop.repeats <= own.repeats * SOURCE_LOOP_FACTOR:
        return None
    return f"the output repeats {loop.describe()}; the source does not"


def _echo(segment: Segment) -> str | None:
    """A phrase said twice in a row that the source does not say twice as often."""
    said = echoes(segment.text)
    if len(said) <= len(echoes(segment.source, loose=True)):
        return None
    return f'the output says "{said[0]}" twice in a row; the source does not'


def _untranslated(segment: Segment) -> str | None:
    if count_letters(segment.source) < UNTRANSLATED_MIN_LETTERS:
        return None
    a, b = " ".join(segment.source.casefold().split()), " ".join(segment.text.casefold().split())
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    # The quick upper bounds rule out most pairs before the quadratic exact ratio.
    bounds = (matcher.real_quick_ratio, matcher.quick_ratio, matcher.ratio)
    if any(bound() < UNTRANSLATED_RATIO for bound in bounds):
        return None
    ratio = matcher.ratio()
    same = "the same as" if a == b else f"{ratio:.0%} the same as"
    return f"the output is {same} the source"


def _wrong_language(text: str, target: str, detect: DetectFn) -> str | None:
    if count_letters(text) < WRONG_LANGUAGE_MIN_LETTERS:
        return None
    try:
        found = detect(text)
    except InputError:  # the detector cannot tell at all: no evidence either way
        return None
    language = found.language
    unsure = not found.reliable or found.probability < WRONG_LANGUAGE_MIN_PROBABILITY
    target_likely = any(
        c.language == target and c.probability > WRONG_LANGUAGE_TARGET_MAX for c in found.candidates
    )
    confused = any(language in group and target in group for group in CONFUSABLE)
    if language == target or unsure or target_likely or confused:
        return None
    return (
        f"the output seems to be in {language} (probability {found.probability:.2f}), not {target}"
    )


def _length(segment: Segment) -> str | None:
    source_words = count_words(segment.source)
    if source_words < LENGTH_MIN_WORDS:
        return None
    output_words = count_words(segment.text)
    ratio = output_words / source_words
    if 1 / LENGTH_RATIO_MAX <= ratio <= LENGTH_RATIO_MAX:
        return None
    return (
        f"the output has {output_words} words for the source's {source_words} "
        f"({ratio:.1f} times as many)"
    )


# A translation renders one source sentence as one sentence; a second sentence is something the
# model added ("The staff were very friendly and helpful. The room was clean and comfortable."
# for a sentence about something else). Measured on the dev half of the Guerreiro et al. set
# (bench/trust.py): 4 of 20 hallucinations, 0 of 160 correct translations, 0 of 32 error-free
# MQM segments (a held-out MQM segment turned "...; it forces..." into two sentences, so a
# source's semicolons count as sentence ends). Scripts written without spaces are left out:
# their sentence ends are split differently (a Chinese sentence of commas became two English
# ones in the Xu et al. set).
UNSPACED_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my"})


def _added_sentence(segment: Segment, source: str, target: str) -> str | None:
    if {source, target} & UNSPACED_LANGUAGES:
        return None
    if len(split_sentences(segment.source, source)) != 1:
        return None
    count = len(split_sentences(segment.text, target))
    # A semicolon joins what a translator may rightly write as two sentences.
    if count <= 1 + segment.source.count(";"):
        return None
    return f"the output has {count} sentences for the source's one"


def _numbers(segment: Segment) -> str | None:
    missing, added = compare(mentions(segment.source), mentions(segment.text))
    if not missing and not added:
        return None
    parts = []
    if missing:
        parts.append(f"missing or changed: {', '.join(missing)}")
    if added:
        parts.append(f"not in the source: {', '.join(added)}")
    return "; ".join(parts)


def _names(segment: Segment) -> str | None:
    """Kept names lost or invented, and bracketed passages added."""
    lost, invented = lost_names(segment.source, segment.text)
    parts = []
    if lost:
        parts.append(f"names missing: {', '.join(lost)}")
    if invented:
        parts.append(f"names not in the source: {', '.join(invented)}")
    brackets = added_brackets(segment.source, segment.text)
    if brackets:
        parts.append(f"brackets not in the source: {brackets[0]}")
    return "; ".join(parts) or None
