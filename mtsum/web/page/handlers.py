"""What the page's buttons and the Gradio API endpoints do: call the pipeline, word the answer.

Each handler calls the public ``Pipeline`` API and nothing below it. Errors become ``gr.Error``
with a title and a message that says what to do; a bug is logged with its traceback on the
server and shown to the visitor as a short apology, never as a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import Any

import gradio as gr
from gradio.utils import get_upload_folder

from ...degrade import Degraded
from ...documents import ExtractedText, extract_text
from ...error_table import BUG, answer_for
from ...errors import InputError, MtsumError
from ...pipeline import Pipeline, Stage
from ...progress import ProgressFn, shown
from ...request import Request, whole_words
from ...results import Detection, Result, Translation
from .aligned import aligned_html
from .document import DocumentDesk, PendingDocument, document_note
from .outputs import RunView
from .views import (
    degraded_outputs,
    detection_markdown,
    document_markdown,
    escape,
    route_text,
    timings_markdown,
    warnings_markdown,
)
from .wording import error_html, web_message

__all__ = ["Handlers", "discard_upload", "friendly", "uploaded_path"]

log = logging.getLogger(__name__)

# What the upload gives: the text box, the note under it, the error panel, the session's document.
UploadOutputs = tuple[Any, str, str, PendingDocument | None]
_EDITED = (
    "The text was changed after {name} was read, so the document itself was not translated; "
    "upload it again for a translated file."
)


@contextmanager
def friendly(*, visitor: bool = False) -> Iterator[None]:
    """Turn mtsum's errors into ``gr.Error``, and a bug into a short apology.

    Args:
        visitor: word the message for a web visitor (``wording.py``: no settings, no commands;
            the page's run), rather than mtsum's own message for the scripts that call the
            Gradio API (it names the ``mtsum models pull`` command, as REST does). Either way
            the original message goes to the log for the operator.
    """
    try:
        yield
    except gr.Error:
        raise
    except MtsumError as exc:
        answer = answer_for(exc)
        log.log(answer.log_level, "web request refused (%s): %s", answer.title, exc)
        if visitor:
            title, message = web_message(exc)
        else:
            title, message = answer.title, _sentence(exc) + answer.page_hint
        raise gr.Error(message, title=title, print_exception=False) from None
    except Exception:
        log.exception("unexpected error in a web request")
        raise gr.Error(
            "Something went wrong inside mtsum. This is a bug, not a problem with your text; "
            "the server log has the details.",
            title=BUG.title,
            print_exception=False,
        ) from None


def _sentence(exc: Exception) -> str:
    message = str(exc).strip()
    if not message:
        return type(exc).__name__
    # "the text is empty" -> "The text is empty", but "report.docx is not ..." stays as named.
    first = message.split(maxsplit=1)[0]
    return message[:1].upper() + message[1:] if first.isalpha() else message


class Handlers:
    """The page's and the API's functions, bound to one pipeline."""

    def __init__(self, pipeline: Pipeline, max_upload_mb: int = 20) -> None:
        self.pipeline = pipeline
        self.max_upload_mb = max_upload_mb
        self.documents = DocumentDesk(pipeline)

    def run(
        self,
        text: str,
        target: str,
        source: str,
        words: float | None,
        method: str,
        document: PendingDocument | None = None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - Gradio's way to ask for progress
    ) -> Iterator[RunView]:
        """Detect the language of a text, translate it and summarise it in the target language.

        Args:
            text: the text to work on, in any language.
            target: ISO 639-1 code of the language to translate into, such as "de".
            source: ISO 639-1 code of the text's language, or "auto" to detect it.
            words: about how many words the summary should have; 0 for the default.
            method: "abstractive" (a model writes the summary) or "extractive" (key sentences).
            document: the page's uploaded document (a session state; scripts send none): while
                ``text`` is its text, it is translated too, and comes back as a file.

        Returns:
            The detected language, the route, the translation, the summary, the timings, the
            warnings, the notice, the translated document and its note, the aligned view (HTML)
            and, last, the result JSON. The page shows each stage as soon as it is done.
        """
        with friendly(visitor=True):
            progress(0.0, desc="detecting the language")
            # The slider sends a float; the pipeline's one normalisation checks it.
            request = Request(target=target, source=source, words=whole_words(words), method=method)
            stages = self.pipeline.stages(
                text, request=request, progress=_reporter(progress), degrade=True
            )
            detection = _next(stages, Detection)
        detected = detection_markdown(detection)
        yield RunView(detected=detected)
        with friendly(visitor=True):
            progress(0.0, desc="translating")
            translation = _next(stages, (Translation, Degraded))
        if isinstance(translation, Degraded):  # the web faces degrade: see ``mtsum.degrade``
            yield degraded_outputs(detected, translation)
            return
        translated = RunView(
            detected=detected,
            route=route_text(translation),
            translation=translation.text,
            aligned=aligned_html(translation),
            **self._document(document, text, translation, progress),
        )
        yield translated
        with friendly(visitor=True):
            progress(0.0, desc="summarising")
            result = _next(stages, Result)
        yield replace(
            translated,
            summary=result.summary.text,
            timings=timings_markdown(result),
            warnings=warnings_markdown(result.warnings),
            aligned=aligned_html(result.translation, result.summary),
            result=result.to_dict(),
        )
        file = translated.document
        # Gradio has copied the file into its cache to serve it by now: this copy can go.
        self.documents.discard(Path(file) if file else None)

    def _document(
        self,
        document: PendingDocument | None,
        text: str,
        translation: Translation,
        progress: gr.Progress,
    ) -> dict[str, Any]:
        """The run's ``document`` (the translated file's path) and ``document_note``; a failure
        goes into the note, since the text results stand on their own."""
        if not isinstance(document, PendingDocument):
            return {}
        if text.strip() != document.text.strip():
            return {"document_note": "ℹ️ " + _EDITED.format(name=escape(Path(document.name).name))}
        progress(0.0, desc="writing the translated document")
        try:
            path, translated = self.documents.translate(
                document, translation, progress=_reporter(progress)
            )
        except MtsumError as exc:
            answer = answer_for(exc)
            log.log(answer.log_level, "document not translated (%s): %s", answer.title, exc)
            title, message = web_message(exc)
            return {"document_note": f"⚠️ **{escape(title)}**: {escape(message)}"}
        return {"document": str(path), "document_note": document_note(translated)}

    def detect(self, text: str) -> dict[str, Any]:
        """Detect the language of a text.

        Args:
            text: the text, in any language.

        Returns:
            The detection JSON: language, probability, reliable, candidates and warnings.
        """
        with friendly():
            return self.pipeline.detect(text).to_dict()

    def translate(self, text: str, target: str, source: str) -> dict[str, Any]:
        """Translate a text; its language is detected unless given.

        Args:
            text: the text to translate.
            target: ISO 639-1 code of the language to translate into, such as "en".
            source: ISO 639-1 code of the text's language, or "auto" to detect it.

        Returns:
            The translation JSON: text, source, target, route, models and warnings.
        """
        with friendly():
            return self.pipeline.translate(text, target, source).to_dict()

    def summarize(self, text: str, words: float, method: str) -> dict[str, Any]:
        """Summarise a text in its own language.

        Args:
            text: the text to summarise.
            words: about how many words the summary should have; 0 for the default.
            method: "abstractive" or "extractive".

        Returns:
            The summary JSON: text, language, method, words and warnings.
        """
        with friendly():
            return self.pipeline.summarize(text, whole_words(words), method).to_dict()

    def load_file(self, path: str | None) -> UploadOutputs:
        """Read an uploaded file into the text box; a note says what was read.

        The upload is removed as soon as it is read (or refused): the text lives on in the
        text box, and the document's bytes in the visitor's session (``document.py``), so
        nobody's document stays on the server's disk. Its name only labels the note and picks
        the reader by suffix; it is never used as a path. A refused file is explained in the
        page's error panel.
        """
        if not path:
            return gr.skip(), "", "", None
        file = Path(path)
        try:
            data, document = self._read_document(file)
        except gr.Error as exc:  # worded for a visitor, and logged, by friendly()
            return gr.skip(), "", error_html(exc.title or "Error", exc.message), None
        note = document_markdown(
            document.name, document.kind, len(document.text), document.warnings
        )
        return document.text, note, "", PendingDocument(data, document.name, document.text)

    def _read_document(self, file: Path) -> tuple[bytes, ExtractedText]:
        with friendly(visitor=True):
            uploaded = uploaded_path(file)
            if uploaded is None:
                # Only files that came through the upload route: the event's payload is the
                # client's to write, and must not open the server's own files.
                log.warning("refused to read a file that was not uploaded: %s", file.name)
                raise InputError(f"{file.name} was not uploaded to this server; upload it again")
            try:
                data = self._read_upload(uploaded)
            finally:
                discard_upload(uploaded)
            document = extract_text(data, file.name)
            self.pipeline.refuse_oversized(len(document.text))
        return data, document

    def _read_upload(self, file: Path) -> bytes:
        limit = self.max_upload_mb
        try:
            size = file.stat().st_size
            if size > limit * 2**20:
                raise InputError(
                    f"{file.name} is {size / 2**20:.1f} MB, over the upload limit of {limit} MB "
                    "(MTSUM_MAX_UPLOAD_MB)"
                )
            return file.read_bytes()
        except FileNotFoundError:
            raise InputError(f"the upload of {file.name} is gone; upload it again") from None


def uploaded_path(file: Path) -> Path | None:
    """``file`` resolved, if it lies inside Gradio's upload folder; else None."""
    root = Path(get_upload_folder()).resolve()
    try:
        resolved = file.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    return resolved if root in resolved.parents else None


def discard_upload(file: Path) -> None:
    """Remove an uploaded file, and its folder when empty; anything outside Gradio's upload
    folder is left alone (a path this function deletes must never be one a request chose)."""
    resolved = uploaded_path(file)
    if resolved is None:
        return
    with suppress(OSError):
        resolved.unlink(missing_ok=True)
        if resolved.parent != Path(get_upload_folder()).resolve():
            resolved.parent.rmdir()  # the per-upload folder; fails (kept) while not empty


def _next(stages: Iterator[Stage], kind: type[Any] | tuple[type[Any], ...]) -> Any:
    """The next stage's result, which must be of ``kind`` (the pipeline's documented order)."""
    value = next(stages)
    if not isinstance(value, kind):  # pragma: no cover - a broken pipeline, not bad input
        raise TypeError(f"unexpected {type(value).__name__} from Pipeline.stages")
    return value


def _reporter(progress: gr.Progress) -> ProgressFn:
    """The pipeline's ``(label, done, total)`` callback, shown as Gradio's progress bar
    (a download in MB, with the model's name in the label)."""

    def report(label: str, done: int, total: int) -> None:
        done_shown, total_shown, unit = shown(label, done, total)
        progress((done_shown, total_shown), desc=label, unit=unit)

    return report
