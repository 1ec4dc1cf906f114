"""Whether a translation renders its source's words at all, checked with a bilingual word list.

A detached hallucination is a fluent sentence about something else ("The staff were very
friendly and helpful." for a sentence about a breakfast buffet): no number, name or repeat
gives it away, but a dictionary does: almost none of the source's content words has any of its
translations in the output. This is the lexical form of the cross-lingual similarity that the
published detectors compute with a second neural model (LaBSE, Dale et al. 2023); it needs no
model, only a word list, and it is checked only where one is installed.

Word lists are read in the format of Ding's German-English dictionary (Debian's ``trans-de-en``
package installs it as ``/usr/share/trans/de-en``): one entry a line, ``words :: words``, the
senses of an entry separated by ``|`` on both sides, synonyms by ``;``, notes in brackets. A file
named ``xx-yy`` serves both ``xx->yy`` and ``yy->xx``. No library reads this format (ding and
trans-* ship no parser), so the few lines below do.

Function words ("sich", "doch", "the") are left out on both sides: translators render them
freely, so they are no evidence either way. They are the language's most frequent words, from
``wordfreq``'s lists; a language it does not list is not checked.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..results import Segment
from ..text import function_words

__all__ = ["Lexicon", "Lexicons", "detached", "read_lexicon"]

log = logging.getLogger(__name__)

# Words are compared by their first letters, so that inflected forms meet ("helpful",
# "helpfully"; "Verbindung", "Verbindungen").
STEM_CHARS = 5
# Source words shorter than this are mostly function words or abbreviations in any language.
MIN_CHARS = 4
# The source language's this-many most frequent words are function words, not evidence
# ("sich", "werden", "auch"): with them, 3 of 160 correct dev translations had no rendered word.
SOURCE_FUNCTION_WORDS = 300
# The target's most frequent words ("the", "to", "in") match nearly any entry's senses, so they
# count as no rendering: without them 3 of 20 dev hallucinations had no rendered word, with
# them 6 (and 0 of 160 correct translations either way at the threshold below).
TARGET_FUNCTION_WORDS = 50
# A sentence is judged when at least this many of its source words are in the word list...
DETACHED_MIN_WORDS = 3
# ... and flagged when at most this share of them have a translation in the output. Chosen on
# the dev half of ../shared/eval/mt-errors-dev.jsonl (bench/trust.py) with Ding's de-en list:
# 0.15 flags 6 of 20 Guerreiro hallucinations and 5 of 10 Xu et al. ones alone, 0 of 160
# correct translations and 0 of 12 + 13 correct Xu and error-free MQM en-de ones; 0.2 flagged 5
# correct translations, 0.25 six; 0 (no word rendered) 4 hallucinations.
DETACHED_SHARE_MAX = 0.15
# Only language codes name files: nothing a request says is ever part of a path.
_CODE = re.compile(r"^[a-z]{2,3}$")
_NOTES = re.compile(r"/[^/]*/|\{[^}]*\}|\[[^\]]*\]|\([^)]*\)|<[^>]*>")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Ding's placeholders for "somebody", "something", and the infinitive's "to".
_PLACEHOLDERS = frozenset({"sb", "sth", "jdm", "jdn", "jds", "etw", "sich", "to"})


def _words(text: str) -> list[str]:
    return [w for w in (m.casefold() for m in _WORD.findall(text)) if w not in _PLACEHOLDERS]


@dataclass(frozen=True)
class Lexicon:
    """Source words -> the first letters of their translations (see ``STEM_CHARS``)."""

    source: str
    target: str
    entries: Mapping[str, tuple[str, ...]]

    def translations(self, word: str) -> tuple[str, ...] | None:
        """The stems ``word`` (case-folded) translates to; a compound ("Frühstückbüffet")
        that the list lacks is read as two words it has, with a linking "s" allowed."""
        found = self.entries.get(word)
        if found is not None:
            return found
        for cut in range(3, len(word) - 2):
            head, tail = word[:cut], word[cut:]
            last = self.entries.get(tail)
            first = self.entries.get(head) or (
                self.entries.get(head[:-1]) if head.endswith("s") else None
            )
            if last is not None and first is not None:
                return first + last
        return None


def read_lexicon(lines: Iterable[str], *, reverse: bool = False) -> dict[str, tuple[str, ...]]:
    """Word -> translation stems from lines in Ding's format (see the module's text).

    Only one-word headwords are kept (a phrase's words do not each mean its translation); each
    maps to every word of the senses beside it. ``reverse`` reads right to left.
    """
    found: dict[str, set[str]] = {}
    stems: dict[str, str] = {}  # one string per stem, shared by all entries
    for line in lines:
        if line.startswith("#") or "::" not in line:
            continue
        left, right = line.rstrip("\n").split("::", 1)
        if reverse:
            left, right = right, left
        for heads, senses in zip(left.split("|"), right.split("|"), strict=False):
            out = {
                stems.setdefault(w[:STEM_CHARS], w[:STEM_CHARS])
                for w in _words(_NOTES.sub(" ", senses))
            }
            for head in _NOTES.sub(" ", heads).split(";"):
                words = _words(head)
                if len(words) == 1 and out:
                    found.setdefault(words[0], set()).update(out)
    # Tuples of shared strings: a third of the memory frozensets take (Ding's de-en: 0.1 GB).
    return {word: tuple(out) for word, out in found.items()}


def detached(segment: Segment, lexicon: Lexicon) -> str | None:
    """Why the output seems to render none of the source's words, or None."""
    source_stops = function_words(lexicon.source, SOURCE_FUNCTION_WORDS)
    target_stops = function_words(lexicon.target, TARGET_FUNCTION_WORDS)
    if source_stops is None or target_stops is None:
        return None
    rendered = {w[:STEM_CHARS] for w in _words(segment.text) if w not in target_stops}
    judged: list[str] = []
    missed: list[str] = []
    for word in dict.fromkeys(_words(segment.source)):
        if len(word) < MIN_CHARS or word in source_stops:
            continue
        stems = lexicon.translations(word)
        if stems is None:
            continue
        judged.append(word)
        # A word kept as it is (a name, a loan) is rendered too.
        if word[:STEM_CHARS] not in rendered and rendered.isdisjoint(stems):
            missed.append(word)
    if len(judged) < DETACHED_MIN_WORDS:
        return None
    if len(judged) - len(missed) > DETACHED_SHARE_MAX * len(judged):
        return None
    return (
        f"the output renders {len(judged) - len(missed)} of the source's {len(judged)} "
        f"dictionary words (not: {', '.join(missed[:5])})"
    )


class Lexicons:
    """The word lists of one folder (or none), each read when a pair first needs it.

    Reading Ding's de-en takes about 3 s and keeps 46 MB a direction (measured with
    tracemalloc), so what was read is shared by every ``Lexicons`` of the process.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def find(self, source: str, target: str) -> Lexicon | None:
        """The ``source -> target`` word list, or None when the folder has none."""
        if self.folder is None or not (_CODE.match(source) and _CODE.match(target)):
            return None
        for name, reverse in ((f"{source}-{target}", False), (f"{target}-{source}", True)):
            path = self.folder / name
            if path.is_file():
                entries = _read(path, reverse)
                if entries is not None:
                    return Lexicon(source, target, entries)
        return None


# Files read, by path and direction, kept for the process: a handful of pairs at most.
_READ: dict[tuple[Path, bool], Mapping[str, tuple[str, ...]] | None] = {}
_READING = threading.Lock()


def _read(path: Path, reverse: bool) -> Mapping[str, tuple[str, ...]] | None:
    key = (path, reverse)
    with _READING:  # one reader; the others wait for its result
        if key not in _READ:
            try:
                with path.open(encoding="utf-8") as lines:
                    entries = read_lexicon(lines, reverse=reverse)
                log.info("word list %s read (%d words)", path, len(entries))
                _READ[key] = entries
            except (OSError, UnicodeDecodeError) as error:
                log.warning("word list %s could not be read (%s); skipped", path, error)
                _READ[key] = None
        return _READ[key]
