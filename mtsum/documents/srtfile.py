"""Subtitles (``.srt``): cue numbers and timings kept exactly, each cue's text translated.

A cue's lines are one unit (a sentence is often broken over two lines); its translation is
spread back over the same number of lines at word boundaries (``base.distribute``). For faces
that need only the text, cues separated by a pause become paragraphs.
"""

from __future__ import annotations

import re

from ..inputs import decode_text
from .base import ParsedFile, distribute

__all__ = ["SubtitleFile", "read_srt"]

# Subtitles separated by a pause this long (seconds) start a new paragraph of the plain text.
_SUBTITLE_PAUSE = 2.0
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_SRT_TAGS = re.compile(r"<[^>]{1,40}>|\{\\[^}]{0,40}\}")


class SubtitleFile(ParsedFile):
    """A subtitle file; one unit per cue with words in it."""

    kind = "srt"
    output_suffixes = (".srt", ".txt")

    def __init__(self, text: str) -> None:
        import srt

        self._subtitles = list(srt.parse(text))
        self._spoken = [i for i, s in enumerate(self._subtitles) if _words(s.content)]
        tagged = sum(1 for i in self._spoken if _SRT_TAGS.search(self._subtitles[i].content))
        warnings = []
        if tagged:
            warnings.append(
                f"{tagged} cue(s) had formatting tags (<i>, {{\\an8}}, ...); they were removed "
                "from the translation"
            )
        super().__init__([_words(self._subtitles[i].content) for i in self._spoken], warnings)

    def plain_text(self) -> tuple[str, list[str]]:
        paragraphs: list[list[str]] = []
        previous_end = None
        for index in self._spoken:
            subtitle = self._subtitles[index]
            pause = (
                (subtitle.start - previous_end).total_seconds() if previous_end is not None else 0
            )
            if not paragraphs or pause >= _SUBTITLE_PAUSE:
                paragraphs.append([])
            paragraphs[-1].append(_words(subtitle.content))
            previous_end = subtitle.end
        warning = "subtitle numbers and timings were left out; the words are kept in order"
        return "\n\n".join(" ".join(p) for p in paragraphs), [warning]

    def _write(self, translations: list[str], target: str) -> bytes:
        import srt

        subtitles = list(self._subtitles)
        for index, translation in zip(self._spoken, translations, strict=True):
            lines = [line for line in _SRT_TAGS.sub("", subtitles[index].content).split("\n")]
            lines = [line for line in lines if line.strip()] or [""]
            pieces = distribute(translation.strip(), [line.strip() for line in lines], target)
            content = "\n".join(piece.strip() for piece in pieces if piece.strip())
            subtitles[index] = srt.Subtitle(
                subtitles[index].index,
                subtitles[index].start,
                subtitles[index].end,
                content,
                subtitles[index].proprietary,
            )
        composed: str = srt.compose(subtitles, reindex=False, strict=False)
        return composed.encode()


def read_srt(data: bytes, name: str) -> SubtitleFile:
    """An ``.srt`` file in UTF-8."""
    return SubtitleFile(decode_text(data, name))


def _words(content: str) -> str:
    """A cue's text on one line, formatting tags removed."""
    return _SPACES.sub(" ", _SRT_TAGS.sub("", content)).strip()
