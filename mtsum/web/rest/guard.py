"""How the REST API reads and guards a request: body, key, rate limit, validation, load, errors.

LibreTranslate reads its parameters from a JSON object, or from form fields (urlencoded or
multipart) with the query string as a fallback; so does this. A repeated form field becomes a
list (that is how a form sends ``q`` as a list). The body is read with a size cap before it is
parsed, and every failure becomes ``{"error": "..."}`` with the contract's status. Valid
requests then take a turn of the bounded work slots (``slots``); beyond them the answer is 503
"busy" with ``Retry-After``.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import unquote_to_bytes

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import Message, Receive

from ...error_table import answer_for
from ...errors import MtsumError
from ...operator_words import operator_message
from ...progress import ProgressFn
from ...settings import ServeSettings
from ..access import Access, AccessRefused
from ..metrics import ServerMetrics
from ..ratelimit import RateLimiter
from ..visitors import rest_message, visitor_result
from .events import Event, stream_answer, wants_stream
from .slots import Busy, WorkSlots

__all__ = ["Guard", "RestError", "Upload", "error_response", "mtsum_error_response"]

log = logging.getLogger(__name__)

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

# Seconds a client told "busy" should wait: long enough for a short request to finish.
BUSY_RETRY_AFTER = 2

# Optional fields that LibreTranslate reads as "not given" when blank or null (an empty form
# field, a JSON null): they fall back to their defaults instead of failing validation.
_BLANK_IS_DEFAULT = frozenset(
    {"source", "format", "alternatives", "words", "method", "api_key", "profile", "stream"}
)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart form: the name the client gave it (never used as a path)
    and its bytes, read from the already size-checked body."""

    name: str
    data: bytes = field(repr=False)


class RestError(AccessRefused):
    """An HTTP error of the REST API with the message for ``{"error": ...}``."""


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """The JSON error every REST failure answers with."""
    return JSONResponse({"error": message}, status_code=status, headers=headers)


class Guard:
    """Reads, authorises, rate-limits and validates requests; maps errors to responses."""

    def __init__(
        self,
        serving: ServeSettings,
        max_chars: int,
        limiter: RateLimiter | None = None,
        slots: WorkSlots | None = None,
        metrics: ServerMetrics | None = None,
    ) -> None:
        self.access = Access(serving, limiter)
        self.slots = slots or WorkSlots(serving.concurrency, serving.queue_size)
        self.metrics = metrics
        if metrics is not None:
            metrics.queue_depth.set_function(lambda: self.slots.waiting)
        # Worst case per character: 4 UTF-8 bytes, each percent-encoded in a form (x3).
        self.max_body = max_chars * 12 + 64 * 1024
        self.max_upload = serving.max_upload_mb * 2**20 + 64 * 1024
        # Over the cap, in the unit the client sent: characters of text, or megabytes of file.
        self.too_large_text = (
            f"the text is over the limit of {max_chars:,} characters on this server; "
            "split it into smaller parts"
        )
        self.too_large_file = (
            f"the file is over the upload limit of {serving.max_upload_mb} MB on this server"
        )

    async def handle(
        self,
        request: Request,
        model: type[M],
        work: Callable[[M], Any],
        *,
        files: bool = False,
        events: Callable[[M, ProgressFn], Iterator[Event]] | None = None,
    ) -> Response:
        """Answer ``request`` with ``work`` on its validated parameters, or with an error.

        ``files``: the request is a multipart form that may carry one file (``Upload``); its
        body may then be as large as an upload (``MTSUM_MAX_UPLOAD_MB``).
        ``events``: the request's answer as server-sent events, used when the client asks
        for a stream (``"stream": true`` or ``Accept: text/event-stream``; ``events.py``).
        """
        try:
            self.access.check_rate(request.client.host if request.client else "unknown")
            params = await self._params(request, files)
            self.access.check_key(params.get("api_key"))
            _reject_surrogates(params)
            params = {
                k: v for k, v in params.items() if not (k in _BLANK_IS_DEFAULT and v in ("", None))
            }
            try:
                parsed = model.model_validate(params)
            except ValidationError as exc:
                raise RestError(400, _validation_message(exc)) from None
            if events is not None and wants_stream(request, bool(getattr(parsed, "stream", False))):
                timed = self._timed_events(events)
                return await stream_answer(self.slots, lambda check: timed(parsed, check))
            with self.slots.admit():
                answer = await run_in_threadpool(self.slots.run, self._timed(work), parsed)
                return JSONResponse(visitor_result(answer))
        except Busy:
            request.state.refusal = "busy"
            return error_response(
                503,
                f"the server is busy: {self.slots.capacity} requests are running or waiting; "
                f"retry in {BUSY_RETRY_AFTER} s",
                {"Retry-After": str(BUSY_RETRY_AFTER)},
            )
        except AccessRefused as exc:
            return error_response(exc.status, exc.message, exc.headers)
        except MtsumError as exc:
            response = mtsum_error_response(exc)
            if response.status_code == 503:
                request.state.refusal = "model_unavailable"
            return response
        except Exception:
            log.exception("REST %s failed", request.url.path)
            return error_response(500, "internal error; the server log has the details")

    def _timed(self, work: Callable[[M], Any]) -> Callable[[M], Any]:
        """``work``, reporting how long it waited for its turn and while it runs."""
        metrics = self.metrics
        if metrics is None:
            return work
        queued = time.perf_counter()

        def run(parsed: M) -> Any:
            metrics.queue_wait.observe(time.perf_counter() - queued)
            with metrics.running.track_inprogress():
                return work(parsed)

        return run

    def _timed_events(
        self, events: Callable[[M, ProgressFn], Iterator[Event]]
    ) -> Callable[[M, ProgressFn], Iterator[Event]]:
        """``events``, reporting as :meth:`_timed` does; it runs while its events are made."""
        metrics = self.metrics
        if metrics is None:
            return events
        queued = time.perf_counter()

        def run(parsed: M, check: ProgressFn) -> Iterator[Event]:
            metrics.queue_wait.observe(time.perf_counter() - queued)
            with metrics.running.track_inprogress():
                yield from events(parsed, check)

        return run

    async def _params(self, request: Request, files: bool = False) -> dict[str, Any]:
        # Starlette decodes percent-escapes that are not UTF-8 into U+FFFD; that would change
        # the text without a word, so such a request is refused instead.
        _check_utf8_escapes(request.scope.get("query_string", b""), "the query string")
        params: dict[str, Any] = _fields(request.query_params.multi_items())
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await self._read_body(
            request,
            self.max_upload if files else self.max_body,
            self.too_large_file if files else self.too_large_text,
        )
        if content_type == "application/json" or content_type.endswith("+json"):
            try:
                data = json.loads(body)
            except UnicodeDecodeError as exc:
                raise RestError(
                    400,
                    f"the request body is not valid UTF-8 text (bad byte at position "
                    f"{exc.start}); send JSON encoded as UTF-8",
                ) from None
            except ValueError as exc:
                raise RestError(400, f"Invalid JSON: {exc}") from None
            except RecursionError:
                # json's decoder recurses once per bracket: 100,000 nested brackets exhaust
                # the stack. Such a body is never a request of this API.
                raise RestError(
                    400, "Invalid JSON: nested too deeply; send a flat JSON object"
                ) from None
            if not isinstance(data, dict):
                raise RestError(400, "Invalid JSON format: the body must be a JSON object")
            params.update(data)
        elif content_type in _FORM_TYPES:
            if content_type == _FORM_TYPES[0]:
                _check_utf8_escapes(body, "the form data")
            replay = Request(request.scope, _replay(body))
            try:
                form = await replay.form(max_files=1 if files else 0, max_fields=1000)
            except Exception as exc:  # malformed multipart: the parser's own words
                raise RestError(400, f"Invalid form data: {exc}") from None
            items: list[tuple[str, Any]] = []
            for key, value in form.multi_items():
                if files and isinstance(value, UploadFile):
                    items.append((key, Upload(value.filename or "", await value.read())))
                else:
                    items.append((key, value))
            await form.close()
            params.update(_fields(items))
        elif body.strip():
            raise RestError(
                400,
                f"unsupported Content-Type {content_type or '(none)'!r}; send JSON "
                "(application/json) or form data (application/x-www-form-urlencoded)",
            )
        return params

    async def _read_body(self, request: Request, limit: int, too_large: str) -> bytes:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise RestError(413, too_large)
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise RestError(413, too_large)
            chunks.append(chunk)
        return b"".join(chunks)


def mtsum_error_response(exc: MtsumError) -> Response:
    """The response for an error of the mtsum tree (its row of ``error_table``)."""
    answer = answer_for(exc)
    # The operator reads mtsum's own message (the folder, the setting, the command) in the log;
    # the client reads it in a visitor's words.
    log.log(
        logging.ERROR if answer.status >= 500 else answer.log_level,
        "REST: %s",
        operator_message(exc),
    )
    return error_response(answer.status, rest_message(exc))


def _fields(items: Any) -> dict[str, Any]:
    """Form or query items as parameters: a repeated field becomes a list."""
    fields: dict[str, Any] = {}
    for key, value in items:
        if isinstance(value, UploadFile):
            raise RestError(400, f"{key} must be a text field, not a file")
        if key in fields:
            previous = fields[key]
            fields[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            fields[key] = value
    return fields


def _check_utf8_escapes(encoded: bytes, where: str) -> None:
    """Refuse urlencoded fields whose bytes, unescaped, are not UTF-8."""
    for part in encoded.split(b"&"):
        try:
            unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RestError(
                400,
                f"{where} is not valid UTF-8 text (bad byte at position {exc.start} of a field); "
                "percent-encode UTF-8 bytes",
            ) from None


def _replay(body: bytes) -> Receive:
    """An ASGI receive that hands over an already-read body (so the form parser can read it)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _validation_message(exc: ValidationError) -> str:
    """pydantic's errors as one line, in LibreTranslate's words where it has them."""
    grouped: dict[str, list[Any]] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "body"
        grouped.setdefault(name, []).append(error)
    parts = []
    for name, errors in grouped.items():
        # A union (q: text or list) reports one error per member, of which the first says
        # enough. LibreTranslate calls an empty value "missing"; it is said as it is here.
        if any(e["type"] == "missing" for e in errors):
            parts.append(f"missing {name} parameter")
        elif any(e["type"] in ("string_too_short", "too_short") for e in errors):
            parts.append(f"{name} is empty")
        else:
            parts.append(f"{name}: {errors[0]['msg']}")
    return "Invalid request: " + "; ".join(parts)


def _reject_surrogates(params: dict[str, Any]) -> None:
    """JSON escapes can carry lone surrogates, which are not text and cannot be answered."""
    for key, value in params.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and any("\ud800" <= ch <= "\udfff" for ch in item):
                raise RestError(400, f"{key} has a lone surrogate (\\ud800-\\udfff): not text")
