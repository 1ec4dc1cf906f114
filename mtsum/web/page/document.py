"""The page's document translation: an uploaded file comes back translated, in its own format.

An upload fills the text box as before, and its bytes are kept in the visitor's session (a
``gr.State``, for ``tempfiles.KEEP_SECONDS`` at most; the uploaded file itself is removed at
once). When
the run's text is still the document's text, the document is translated as a document
(``mtsum.documents.translate_file``) and offered as a download beside the text results. Its
paragraphs are the ones the run just translated, so the translation is reused, not redone;
only what the run did not translate (a format whose units differ from its readable text, such
as subtitles) goes to the pipeline again.

The file is written into the web faces' one store of temporary files (``web.tempfiles``: a
private folder, a random id, the sanitised name ``translate_file`` gives, never a name the
visitor chose); Gradio copies it into its own cache to serve it, and the copy here is removed
when the run ends, at the latest after ``KEEP_SECONDS`` or when the process exits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ...documents import TranslatedFile, Translates, translate_file
from ...progress import ProgressFn
from ...request import Request
from ...results import Translation
from ...text import split_paragraphs
from ..tempfiles import TempFiles
from .views import escape, language_label

__all__ = ["DocumentDesk", "PendingDocument", "document_note"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PendingDocument:
    """An uploaded document waiting for a run, kept in the visitor's session.

    Attributes:
        data: the file's bytes.
        name: its file name as uploaded; only its suffix is used (to choose the format).
        text: the text it put into the text box; the document is translated only while the
            text box still holds it.
    """

    data: bytes
    name: str
    text: str


class DocumentDesk:
    """Translates a run's pending document and keeps the file until Gradio has served it."""

    def __init__(self, pipeline: Translates) -> None:
        self.pipeline = pipeline
        self.files = TempFiles(prefix="mtsum-page-files-")

    def translate(
        self,
        pending: PendingDocument,
        translation: Translation,
        progress: ProgressFn | None = None,
        glossary: Any = None,
    ) -> tuple[Path, TranslatedFile]:
        """``pending`` in the language of ``translation`` (the run's), written to a file.

        Raises:
            InputError: the document cannot be translated or written back.
            ModelUnavailableError: a model the run did not need cannot be loaded.
        """
        reuse = _Reusing(self.pipeline, pending.text, translation)
        # The run's profile too: units translated afresh use the models the run's text used.
        request = Request(
            target=translation.target, source=translation.source, glossary=glossary,
            profile=translation.profile,
        )  # fmt: skip
        translated = translate_file(reuse, pending.data, pending.name, request, progress=progress)
        stored = self.files.put(translated.data, translated.name, translated.media_type)
        return stored.path, translated

    def discard(self, path: Path | None) -> None:
        """Remove a file this desk wrote; any other path is left alone.

        Gradio hands back the path it was given; the store keeps each file in a folder named by
        its id, so the id is the folder's name, and only a path the store holds matches.
        """
        if path is None:
            return
        stored = self.files.get(path.parent.name)
        if stored is not None and stored.path == path:
            self.files.discard(path.parent.name)


class _Reusing:
    """``Pipeline.translate`` that answers the run's own text from the run's translation.

    ``translate_file`` translates the document's units as the paragraphs of one text. Where
    each of them is a paragraph the run has translated (the common case: the text box holds
    the document's paragraphs), their translations are taken from the run; else the text goes
    to the pipeline, in the run's source language.
    """

    def __init__(self, pipeline: Translates, text: str, translation: Translation) -> None:
        self.pipeline = pipeline
        self.translation = translation
        sources = split_paragraphs(text)
        targets = split_paragraphs(translation.text)
        self.known = (
            {_key(s): t for s, t in zip(sources, targets, strict=True)}
            if len(sources) == len(targets)
            else {}
        )

    def translate(
        self, text: str, *, request: Request, progress: ProgressFn | None = None
    ) -> Translation:
        paragraphs = split_paragraphs(text)
        if request.target == self.translation.target and all(
            _key(p) in self.known for p in paragraphs
        ):
            done = "\n\n".join(self.known[_key(p)] for p in paragraphs)
            return replace(self.translation, text=done)
        log.info("the document's units differ from the run's text: translating them again")
        source = request.source or self.translation.source
        return self.pipeline.translate(
            text, request=replace(request, source=source), progress=progress
        )


def _key(paragraph: str) -> str:
    return " ".join(paragraph.split())


def document_note(translated: TranslatedFile) -> str:
    """What the download beside the results is, in two short lines: the file, its languages,
    and how many warnings and flagged sentences it has (the flagged sentences themselves, with
    their reasons, are in the aligned view; the warnings in the Warnings box)."""
    translation = translated.translation
    parts = "part" if translated.units == 1 else "parts"
    line = (
        f"**{escape(translated.name)}**: {translated.units} {parts} of the {translated.kind} "
        f"file, {escape(language_label(translation.source))} → "
        f"{escape(language_label(translation.target))}."
    )
    flagged = len({flag.sentence for flag in translation.flags})
    notes = []
    if flagged:
        noun = "sentence" if flagged == 1 else "sentences"
        notes.append(f"{flagged} {noun} may be mistranslated (see Sentence by sentence)")
    if translated.warnings:
        count = len(translated.warnings)
        notes.append(f"{count} warning{'' if count == 1 else 's'} (see Warnings)")
    return line + ("\n\n⚠️ " + "; ".join(notes) + "." if notes else "")
