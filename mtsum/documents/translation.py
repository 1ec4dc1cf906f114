"""A file in, the same file in another language out: the core of document translation.

The format's reader gives the units; all units of a document go to the pipeline together, as
the paragraphs of one text (``Pipeline.translate`` keeps paragraphs one to one), so their
sentences share the same sentence packing and engine batches as pasted text, the character
limit applies to the document's text, and the document gets one ``Translation`` whose
warnings (and flags) describe it all. The format's writer puts the translated units back.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..errors import InputError
from ..progress import ProgressFn
from ..request import Request
from ..results import Translation
from .formats import parse_file
from .markup import translate_runs

__all__ = ["MEDIA_TYPES", "TranslatedFile", "output_suffix", "translate_file"]

log = logging.getLogger(__name__)

MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".epub": "application/epub+zip",
}
_BLANK_LINES = re.compile(r"\n\s*\n")
_UNSAFE_NAME = re.compile(r"[^\w.-]+")
_ALIASES = {".htm": ".html", ".markdown": ".md", ".text": ".txt"}


class Translates(Protocol):
    """What document translation needs of a pipeline: ``translate`` of one text, by request.

    ``Pipeline`` is one; the page's run-reusing translator (``web/page/document.py``) another.
    """

    def translate(
        self, text: str, *, request: Request, progress: ProgressFn | None = None
    ) -> Translation: ...


@dataclass(frozen=True)
class TranslatedFile:
    """A translated document, ready to be written or downloaded.

    Attributes:
        data: the file's bytes.
        name: a file name for it: the original's stem (made safe), the target and the suffix.
        suffix: its format (``.docx``, ``.html``, ``.md``, ``.srt``, ``.txt``, ``.pptx``,
            ``.odt``, ``.odp``, ``.epub``).
        kind: the format the original was read as.
        units: how many units (paragraphs, cues, text nodes) were translated.
        translation: the document's text translation; its warnings cover the whole file.
    """

    data: bytes
    name: str
    suffix: str
    kind: str
    units: int
    translation: Translation

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.translation.warnings

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES.get(self.suffix, "application/octet-stream")

    def to_dict(self) -> dict[str, Any]:
        """The translation's JSON with a ``file`` object beside it."""
        data = self.translation.to_dict()
        data["file"] = {"name": self.name, "format": self.suffix[1:], "units": self.units}
        return data


def output_suffix(name: str, wanted: str | None = None) -> str:
    """The suffix a translation of ``name`` is written as: ``wanted`` if given, else its own.

    Raises:
        InputError: ``wanted`` is not something a file of this kind can be written as.
    """
    from .formats import SUPPORTED_SUFFIXES

    own = _ALIASES.get(Path(name).suffix.lower(), Path(name).suffix.lower())
    possible = {".pdf": (".docx", ".txt")}.get(own, (own, ".txt"))
    if own not in {_ALIASES.get(s, s) for s in SUPPORTED_SUFFIXES}:
        return own  # parse_file names the supported types
    if wanted is None:
        return possible[0]
    chosen = _ALIASES.get(wanted.lower(), wanted.lower())
    if chosen not in possible:
        raise InputError(
            f"a translation of {Path(name).name} can be written as {' or '.join(possible)}, "
            f"not {wanted or 'a file without a suffix'}"
        )
    return chosen


def translate_file(
    pipeline: Translates,
    data: bytes,
    name: str,
    request: Request,
    *,
    suffix: str | None = None,
    progress: ProgressFn | None = None,
) -> TranslatedFile:
    """Translate a document and rebuild it in its own format (or ``suffix``).

    Args:
        pipeline: a ``Pipeline`` (anything with its ``translate``).
        data: the file's bytes.
        name: its file name; only its suffix is used (to choose the format), never as a path.
        request: what to ask for (target, source, ...); the source is detected on the
            document's text when the request has none.
        suffix: the format to write (``output_suffix``); the file's own by default.

    Raises:
        InputError: unsupported, unreadable, hostile, empty, too long, or a bad language.
        ModelUnavailableError: a model of the route cannot be loaded.
    """
    out_suffix = output_suffix(name, suffix)
    parsed = parse_file(data, name)
    todo = [i for i, unit in enumerate(parsed.units) if any(ch.isalpha() for ch in unit)]
    if not todo:
        raise InputError(f"{name} contains no text to translate")
    cores = [_BLANK_LINES.sub("\n", parsed.units[i].strip()) for i in todo]
    done: list[Translation] = []

    def translate_text(text: str) -> str:
        # Should the paragraphs not come back one to one, translate_runs sends each unit on its
        # own; those calls use the language found for the whole document.
        given = request if not done else dataclasses.replace(request, source=done[0].source)
        translation = pipeline.translate(text, request=given, progress=progress)
        done.append(translation)
        return translation.text

    translated = translate_runs(cores, translate_text)
    outputs = _rejoined(parsed.units, todo, translated)
    first = done[0]
    try:
        written = parsed.write(outputs, first.target, out_suffix)
    except RecursionError:
        raise InputError(f"{name} is nested too deeply to write; save it as plain text") from None
    warnings = [*parsed.warnings, *_gathered(done)]
    if len(done) > 1:
        warnings.append(_ONE_BY_ONE.format(parts=len(todo), name=Path(name).name))
    translation = _whole(done, translated, warnings)
    return TranslatedFile(
        written,
        _file_name(name, first.target, out_suffix),
        out_suffix,
        parsed.kind,
        len(todo),
        translation,
    )


# When a document's paragraphs did not come back one to one, its units go one by one.
_ONE_BY_ONE = (
    "the {parts} parts of {name} were translated one by one (their paragraphs did not come "
    "back one to one together); sentence flags of that run are not shown"
)


def _rejoined(units: Sequence[str], todo: Sequence[int], translated: Sequence[str]) -> list[str]:
    """``units`` with those at ``todo`` replaced by their translations, keeping each unit's
    own leading and trailing white space."""
    outputs = list(units)
    for index, text in zip(todo, translated, strict=True):
        unit = units[index]
        outputs[index] = unit[: len(unit) - len(unit.lstrip())] + text + unit[len(unit.rstrip()) :]
    return outputs


def _whole(
    done: Sequence[Translation], translated: Sequence[str], warnings: Sequence[str]
) -> Translation:
    """The document's one ``Translation``: the first call's, with every unit's text and
    segments (flags only when one call translated it all)."""
    first = done[0]
    return dataclasses.replace(
        first,
        text="\n\n".join(translated),
        segments=tuple(pair for t in (done[1:] or done) for pair in t.segments),
        flags=first.flags if len(done) == 1 else (),
        warnings=tuple(warnings),
    )


def _gathered(translations: Sequence[Translation]) -> list[str]:
    """The warnings of every call, each once, in order."""
    return list(dict.fromkeys(w for t in translations for w in t.warnings))


def _file_name(name: str, target: str, suffix: str) -> str:
    """``report.fr.docx`` for ``report.docx`` into French; never anything but a plain name."""
    stem = _UNSAFE_NAME.sub("_", Path(Path(name).name).stem).strip("._") or "document"
    return f"{stem[:80]}.{target}{suffix}"
