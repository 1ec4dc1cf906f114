"""What the page's buttons and the Gradio API endpoints do: call the pipeline, word the answer.

Each handler calls the public ``Pipeline`` API and nothing below it. Errors become ``gr.Error``
with a title and a message that says what to do; a bug is logged with its traceback on the
server and shown to the visitor as a short apology, never as a traceback.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import gradio as gr

from ...articles import Article
from ...degrade import Degraded
from ...documents import ExtractedText, extract_text
from ...error_table import BUG
from ...errors import InputError, MtsumError
from ...pipeline import Pipeline
from ...progress import ProgressFn, shown
from ...request import Request, whole_words
from ...results import Detection, Result, Summary, Translation
from ...terms import MAX_BYTES, glossary_lines, parse_glossary, parse_glossary_lines
from ..metrics import ServerMetrics, record_items
from ..visitors import log_refusal, visitor_result
from .aligned import aligned_html
from .document import DocumentDesk, PendingDocument, document_note
from .growing import growing
from .run_view import RunView
from .stops import RunStopped, StopSignals, stoppable
from .uploads import discard_upload, uploaded_path
from .views import (
    article_markdown,
    degraded_outputs,
    detection_markdown,
    document_markdown,
    escape,
    final_view,
    route_text,
)
from .wording import error_html, operator_models_html, web_message

__all__ = ["Handlers", "discard_upload", "friendly", "uploaded_path"]

log = logging.getLogger(__name__)

# The route label of the page's runs in /metrics (REST's are their paths).
PAGE_ROUTE = "/"

# The upload's outputs: text box, note, error panel, the session's document (or link's article).
UploadOutputs = tuple[Any, str, str, PendingDocument | Article | None]
_EDITED = (
    "The text was changed after {name} was read, so the document itself was not translated; "
    "upload it again for a translated file."
)


@contextmanager
def friendly() -> Iterator[None]:
    """Turn mtsum's errors into ``gr.Error``, and a bug into a short apology.

    The message is worded for a web visitor (``web/visitors.py``: no server path, setting or
    command), for the page and for the scripts that call the Gradio API alike: both are
    remote. The original message goes to the log for the operator.
    """
    try:
        yield
    except (gr.Error, RunStopped):  # a stopped run ends quietly (``stops.py``)
        raise
    except MtsumError as exc:
        log_refusal(log, "web request refused", exc)
        title, message = web_message(exc)
        raise gr.Error(message, title=title, print_exception=False) from None
    except Exception:
        log.exception("unexpected error in a web request")
        raise gr.Error(
            "Something went wrong inside mtsum. This is a bug, not a problem with your text; "
            "the server log has the details.",
            title=BUG.title,
            print_exception=False,
        ) from None


class Handlers:
    """The page's and the API's functions, bound to one pipeline."""

    def __init__(
        self, pipeline: Pipeline, max_upload_mb: int = 20, metrics: ServerMetrics | None = None
    ) -> None:
        self.pipeline = pipeline
        self.max_upload_mb = max_upload_mb
        self.metrics = metrics  # the app's /metrics: the page's flags count there as REST's do
        self.documents = DocumentDesk(pipeline)
        self.stops = StopSignals()  # the page's Stop button

    def run(
        self,
        text: str,
        target: str,
        source: str,
        words: float | None,
        method: str,
        document: PendingDocument | Article | None = None,
        glossary: str | None = None,
        profile: str | None = None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - Gradio's way to ask for progress
        *,
        operator: bool = False,
    ) -> Iterator[RunView]:
        """Detect the language of a text, translate it and summarise it in the target language.

        Args:
            text: the text to work on, in any language.
            target: ISO 639-1 code of the language to translate into, such as "de".
            source: ISO 639-1 code of the text's language, or "auto" to detect it.
            words: about how many words the summary should have; 0 for the default.
            method: "abstractive" (a model writes the summary) or "extractive" (key sentences).
            document: the page's uploaded document (a session state; scripts send none): while
                ``text`` is its text, it is translated too, and comes back as a file. Or the
                article fetched from a link: while ``text`` is its text, the result records
                the link and the title.
            glossary: terms to translate one fixed way, "source = target" a line (a term alone
                is kept as it is); empty for none. The page keeps it in the session.
            profile: "best" (the best-scoring models) or "fast" (smaller ones where a language
                has one); none for the server's default.
            operator: the visitor is on the server's own machine (the page sets it), so a
                missing model's notice also says how to get models.

        Returns:
            A ``RunView`` per step: the detected language, the route, the translation, the
            summary, the timings, the warnings, the notice, the translated document and its
            note, the aligned view (HTML) and, last, the result JSON. Each stage shows as soon
            as it is done, the translation paragraph by paragraph.
        """
        for view, _line in self.run_stream(
            *(text, target, source, words, method, document, glossary, profile),
            progress=progress,
            operator=operator,
        ):
            yield view

    def run_stream(
        self,
        text: str,
        target: str,
        source: str,
        words: float | None,
        method: str,
        document: PendingDocument | Article | None,
        glossary: str | None = None,
        profile: str | None = None,
        *,
        progress: gr.Progress,
        operator: bool = False,
        stop: threading.Event | None = None,
    ) -> Iterator[tuple[RunView, str]]:
        """:meth:`run`, each output with a progress line beside it ("paragraph 3 of 12").

        The translation fills in paragraph by paragraph (``Pipeline.stream``). ``stop``, once
        set, ends the run before the engine's next batch (the page's Stop button).
        """
        started = time.monotonic()
        report = stoppable(_reporter(progress), stop)
        with friendly():
            progress(0.0, desc="detecting the language")
            request = _page_request(target, source, words, method, glossary, profile)
            stages = self.pipeline.stream(
                text, request, progress=report, translation=True, degrade=True
            )
            detection = _next(stages, Detection)
        detected = detection_markdown(detection)
        yield RunView(detected=detected), "Translating…"
        with friendly():
            progress(0.0, desc="translating")
            route_so_far = self._route(detection.language, target)
            translation = yield from growing(stages, detected, detection, target, route_so_far)
        if isinstance(translation, Degraded):  # the web faces degrade: see ``mtsum.degrade``
            elapsed = time.monotonic() - started
            help_html = operator_models_html() if operator else ""
            yield degraded_outputs(detected, translation, elapsed, help_html), ""
            return
        translated = RunView(
            detected=detected,
            route=route_text(translation),
            translation=translation.text,
            aligned=aligned_html(translation),
            **self._document(document, text, translation, progress, request.glossary),
        )
        yield translated, "Summarising…"
        with friendly():
            progress(0.0, desc="summarising")
            _next(stages, Summary)
            result = _next(stages, Result)
            if isinstance(document, Article) and text.strip() == document.text.strip():
                result = document.attach(result)
        kinds = [flag.kind for flag in (*result.translation.flags, *result.summary.flags)]
        record_items(self.metrics, PAGE_ROUTE, [result.warnings], kinds)
        final = final_view(translated, result)
        yield final, ""
        # Gradio has copied the file into its cache to serve it by now: this copy can go.
        self.documents.discard(Path(final.document) if final.document else None)

    def _route(self, source: str, target: str) -> tuple[str, ...]:
        """The directions from ``source`` to ``target`` (for the view while it fills in)."""
        try:
            return self.pipeline.route(source, target)
        except MtsumError:  # the stream itself reports it
            return ()

    def _document(
        self,
        document: PendingDocument | Article | None,
        text: str,
        translation: Translation,
        progress: gr.Progress,
        glossary: Any = None,
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
                document, translation, progress=_reporter(progress), glossary=glossary
            )
        except MtsumError as exc:
            log_refusal(log, "document not translated", exc)
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
            return visitor_result(self.pipeline.detect(text).to_dict())

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
            translation = self.pipeline.translate(text, target, source)
        kinds = [flag.kind for flag in translation.flags]
        record_items(self.metrics, PAGE_ROUTE, [translation.warnings], kinds)
        return visitor_result(translation.to_dict())

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
            summary = self.pipeline.summarize(text, whole_words(words), method)
        kinds = [flag.kind for flag in summary.flags]
        record_items(self.metrics, PAGE_ROUTE, [summary.warnings], kinds)
        return visitor_result(summary.to_dict())

    def load_glossary(self, path: str | None, lines: str | None) -> str:
        """A glossary file (TSV or CSV) read into the glossary box, after what it holds.

        Raises:
            gr.Error: the file is not a glossary; the message names the line.
        """
        if not path:
            return lines or ""
        file = Path(path)
        with friendly():
            uploaded = uploaded_path(file)
            if uploaded is None:  # the payload is the client's: never open another file
                raise InputError(f"{file.name} was not uploaded to this server; upload it again")
            try:
                if uploaded.stat().st_size > MAX_BYTES:
                    raise InputError(f"a glossary may be at most {MAX_BYTES:,} bytes")
                data = uploaded.read_bytes()
            except OSError:
                raise InputError("the glossary file could not be read; upload it again") from None
            finally:
                discard_upload(uploaded)
            read = glossary_lines(parse_glossary(data, "the glossary file"))
        return "\n".join(part for part in ((lines or "").rstrip(), read) if part)

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

    def load_link(self, url: str | None) -> UploadOutputs:
        """Fetch the article behind a visitor's link into the text box; the note under it shows
        its title, author, date and link, before anything is translated. Refusals (links off,
        a private address, too large, ...) go to the page's error panel."""
        if not url or not url.strip():
            return gr.skip(), "", "", None
        try:
            with friendly():
                article = self.pipeline.fetch_article(url.strip(), for_visitor=True)
        except gr.Error as exc:  # worded for a visitor, and logged, by friendly()
            return gr.skip(), "", error_html(exc.title or "Error", exc.message), None
        return article.text, article_markdown(article), "", article

    def _read_document(self, file: Path) -> tuple[bytes, ExtractedText]:
        with friendly():
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


def _page_request(
    target: str,
    source: str,
    words: float | None,
    method: str,
    glossary: str | None,
    profile: str | None,
) -> Request:
    """The page's fields as a ``Request`` (the pipeline checks the slider's float words)."""
    terms = parse_glossary_lines(glossary) if isinstance(glossary, str) else None
    return Request(
        target=target,
        source=source,
        words=whole_words(words),
        method=method,
        profile=profile or None,
        glossary=terms or None,
    )


def _next(stages: Iterator[Any], kind: type[Any] | tuple[type[Any], ...]) -> Any:
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
