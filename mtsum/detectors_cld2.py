"""CLD2 (pycld2) as one more voice of :mod:`mtsum.detect`, for texts long enough for it.

Why a fourth detector: without lingua's high accuracy models (10 to 57 MB per language, about
1 GB for every routed language) the other voices lose 1.4 points on dev sentences; CLD2 reads
quadgrams and whole words with tables compiled into its library (no model to load, about 3 MB
resident, 0.01 ms a sentence), and with it texts of 30 characters and more need no big model
at all (measured in :mod:`mtsum.detect`, beside ``LONG_VOICE_WEIGHTS``). On short text it is
weak, so it is asked only on long ones.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from .detectors import Scores

__all__ = ["Cld2Voice"]

log = logging.getLogger(__name__)

# CLD2 refuses a whole text ("invalid UTF-8") for one C0/C1 control character, a lone surrogate
# or a noncharacter; they say nothing about the language, so they become spaces first.
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
# CLD2's codes for routed languages that the registry spells differently.
_ALIASES = {"iw": "he", "nb": "no", "zh-Hant": "zh"}


class Cld2Voice:
    """CLD2's answer as probabilities over the routed languages it knows.

    CLD2 names up to three languages with the percent of the text it gives each; those shares
    are its probabilities here (an unknown share counts for no routed language).

    Args:
        languages: the routed languages (ISO 639-1); those CLD2 lacks are left out of
            :attr:`languages`, so the ensemble knows where this voice cannot speak.
    """

    name = "cld2"

    def __init__(self, languages: Iterable[str]) -> None:
        self.wanted = frozenset(languages)
        known = {_ALIASES.get(code, code) for _, code in self.model().LANGUAGES}
        self.languages = self.wanted & known

    def model(self) -> Any:
        """The pycld2 module (its tables are part of the library: nothing to load)."""
        import pycld2

        return pycld2

    def scores(self, text: str) -> Scores:
        cld2 = self.model()
        clean = _REFUSED.sub(" ", text).encode("utf-8", errors="replace")
        try:
            _reliable, _bytes, found = cld2.detect(clean, bestEffort=True)
        except cld2.error as exc:  # another byte it refuses: the other voices still answer
            log.debug("cld2: no answer (%s)", exc)
            return {}
        scores: Scores = {}
        for _name, raw, percent, _score in found:
            code = _ALIASES.get(raw, raw)
            if code in self.wanted and percent > 0:
                scores[code] = scores.get(code, 0.0) + percent / 100
        return scores
