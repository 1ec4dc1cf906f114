"""Names and brackets that a translation keeps, compared without a model.

A detached hallucination ("The staff were very friendly and helpful." for a sentence about
something else) keeps nothing of its source. Numbers and links are compared in ``numbers``;
this module adds what a script marks as kept: Latin-script words (names, brands, acronyms)
inside a text written mostly in another script, which a translation copies as they are
("Uber", "iPhone", "TED"), and bracketed passages, which a translation keeps as brackets.
Capitals are not used: German capitalises every noun, and translations rename countries and
institutions ("EWG" -> "EEC", "Venedig" -> "Venice"); on the dev half of the Guerreiro et al.
set, acronyms and inner capitals (``bench/trust.py``) flagged 14 of 224 correct translations.
Hand-written because no library compares these across languages without a model.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["added_brackets", "lost_names"]

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# A text is "in another script" when fewer than this share of its words are Latin; Chinese
# with a few kept names is far below, a Latin text with one Greek letter far above.
LATIN_SHARE_MAX = 0.5
# A kept word is found in the other text when its first letters are there (case and accents
# folded): "Airbnb's", "Hudson-Straße". Shorter words are compared whole.
NAME_PREFIX_CHARS = 4
# Enumerators that translations bracket differently ("b)" -> "(b)"): not compared.
_ENUMERATOR = re.compile(r"^\s*[(\[]?[0-9A-Za-z]{1,3}[)\]]\s*")
_PAIR = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_latin(word: str) -> bool:
    return all("LATIN" in unicodedata.name(c, "") for c in word)


def kept_words(text: str) -> list[str]:
    """The Latin-script words of a text written mostly in another script, else none."""
    words = _WORD.findall(text)
    latin = [w for w in words if _is_latin(w)]
    if not words or len(latin) >= LATIN_SHARE_MAX * len(words):
        return []
    return latin


def lost_names(source: str, output: str) -> tuple[list[str], list[str]]:
    """Kept words of ``source`` missing from ``output``, and of ``output`` missing from
    ``source``, each once, as written."""
    return _missing(kept_words(source), output), _missing(kept_words(output), source)


def _missing(words: list[str], other: str) -> list[str]:
    folded = _fold(other)
    missing = [w for w in words if _fold(w)[:NAME_PREFIX_CHARS] not in folded]
    return list(dict.fromkeys(missing))


def added_brackets(source: str, output: str) -> list[str]:
    """Bracketed passages of ``output`` when it has more of them than ``source`` (list
    enumerators such as "(b)" left out): a translation keeps brackets, a hallucination adds
    notes such as "[ 参考 译文 ]"."""
    theirs, ours = _passages(source), _passages(output)
    return ours if len(ours) > len(theirs) else []


def _passages(text: str) -> list[str]:
    """Bracketed passages with words in them: not "(2)" or "(b)", which legal references
    write as "Absatz 2" in one language and "(2)" in another; full-width brackets as ASCII."""
    pairs = _PAIR.findall(_ENUMERATOR.sub("", unicodedata.normalize("NFKC", text)))
    return [pair for pair in pairs if sum(c.isalpha() for c in pair) >= 2]
