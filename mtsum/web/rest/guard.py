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
from collections.abc import Callable
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
from ...settings import ServeSettings
from ..access import Access, AccessRefused
from ..ratelimit import RateLimiter
from .slots import Busy, WorkSlots

__all__ = ["Guard", "RestError", "Upload", "error_response", "mtsum_error_response"]

log = logging.getLogger(__name__)

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

# Seconds a client told "busy" should wait: long enough for a short request to finish.
BUSY_RETRY_AFTER = 2

# Optional fields that LibreTranslate reads as "not given" when blank or null (an empty form
# field, a JSON null): they fall back to their defaults instead of failing validation.
_BLANK_IS_DEFAULT = frozenset({"source", "format", "alternatives", "words", "method", "api_key"})

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
    ) -> None:
        self.access = Access(serving, limiter)
        self.slots = slots or WorkSlots(serving.concurrency, serving.queue_size)
        # Worst case per character: 4 UTF-8 bytes, each percent-encoded in a form (x3).
        self.max_body = max_chars * 12 + 64 * 1024
        self.max_upload = serving.max_upload_mb * 2**20 + 64 * 1024

    async def handle(
        self, request: Request, model: type[M], work: Callable[[M], Any], *, files: bool = False
    ) -> Response:
        """Answer ``request`` with ``work`` on its validated parameters, or with an error.

        ``files``: the request is a multipart form that may carry one file (``Upload``); its
        body may then be as large as an upload (``MTSUM_MAX_UPLOAD_MB``).
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
            with self.slots.admit():
                return JSONResponse(await run_in_threadpool(self.slots.run, work, parsed))
        except Busy:
            return error_response(
                503,
                f"the server is busy: {self.slots.capacity} requests are running or waiting; "
                f"retry in {BUSY_RETRY_AFTER} s",
                {"Retry-After": str(BUSY_RETRY_AFTER)},
            )
        except AccessRefused as exc:
            return error_response(exc.status, exc.message, exc.headers)
        except MtsumError as exc:
            return mtsum_error_response(exc)
        except Exception:
            log.exception("REST %s failed", request.url.path)
            return error_response(500, "internal error; the server log has the details")

    async def _params(self, request: Request, files: bool = False) -> dict[str, Any]:
        # Starlette decodes percent-escapes that are not UTF-8 into U+FFFD; that would change
        # the text without a word, so such a request is refused instead.
        _check_utf8_escapes(request.scope.get("query_string", b""), "the query string")
        params: dict[str, Any] = _fields(request.query_params.multi_items())
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await self._read_body(request, self.max_upload if files else self.max_body)
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

    async def _read_body(self, request: Request, limit: int) -> bytes:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise RestError(413, f"the request body is over {limit:,} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise RestError(413, f"the request body is over {limit:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)


def mtsum_error_response(exc: MtsumError) -> Response:
    """The response for an error of the mtsum tree (its row of ``error_table``)."""
    status = answer_for(exc).status
    if status >= 500:
        log.error("REST: %s", exc)
    return error_response(status, str(exc))


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
        # An empty value is "missing" to LibreTranslate; a union (q: text or list) reports one
        # error per member, of which the first says enough.
        if any(e["type"] in ("missing", "string_too_short", "too_short") for e in errors):
            parts.append(f"missing {name} parameter")
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
