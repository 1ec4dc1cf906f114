"""Server-sent events for ``/translate`` and ``/summarize`` (``"stream": true``).

A streamed answer is ``text/event-stream``: one ``paragraph`` event per paragraph as the
pipeline finishes it, then one ``done`` event whose data is exactly the body the plain call
returns; an error after the stream began is an ``error`` event with ``{"error": ...}``. Events
are written with FastAPI's own SSE encoder (``fastapi.sse``), so the wire format is the one
FastAPI's ``EventSourceResponse`` uses.

The pipeline is a blocking generator, so one worker thread runs it from start to end and hands
each event to the response through a queue on the event loop. That thread holds the request's
work slot (``slots``) for as long as the pipeline runs, and the slot is free again as soon as
it stops. Everything up to the first event happens before the response begins, so a bad
request, a missing model or a busy server is still an ordinary JSON error with its status.
When the client goes away, Starlette cancels the response; the pipeline then stops before its
next engine batch (the progress callback raises ``StreamCancelled``) and frees the slot.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack
from typing import Any

from fastapi import Request as HttpRequest
from fastapi.responses import Response
from fastapi.sse import EventSourceResponse, format_sse_event

from ...errors import MtsumError
from ...progress import ProgressFn
from ...results import Paragraph
from ..visitors import rest_message, visitor_result
from .slots import WorkSlots

__all__ = ["StreamCancelled", "paragraph_event", "stream_answer", "wants_stream"]

log = logging.getLogger(__name__)

Event = tuple[str, Any]
"""One event: its name (``paragraph``, ``done``, ``error``) and its JSON data."""
EventsFn = Callable[[ProgressFn], Iterator[Event]]
"""Makes the events of one request, given the progress callback the pipeline must call."""

_END = object()


class StreamCancelled(Exception):
    """The client of a streamed answer went away: stop the work."""


def wants_stream(request: HttpRequest, stream: bool) -> bool:
    """Whether the answer should be server-sent events: ``stream`` asked, or the client
    accepts ``text/event-stream`` (and says nothing for JSON before it)."""
    if stream:
        return True
    accept = request.headers.get("accept", "").lower()
    return "text/event-stream" in accept and "application/json" not in accept


def paragraph_event(paragraph: Paragraph) -> Event:
    """The ``paragraph`` event: its index, the paragraph count, its text and flags."""
    data = {
        "index": paragraph.index,
        "total": paragraph.total,
        "text": paragraph.text,
        "flags": [flag.to_dict() for flag in paragraph.flags],
    }
    return "paragraph", data


def _encode(event: Event) -> bytes:
    name, data = event
    # The done event carries the plain answer's body, cleaned for visitors as it is.
    text = json.dumps(visitor_result(data), ensure_ascii=False)
    return format_sse_event(event=name, data_str=text)


async def stream_answer(slots: WorkSlots, events: EventsFn) -> Response:
    """The streamed answer of ``events``, once its first event is made.

    Raises:
        Busy: every work slot is taken and the queue is full.
        MtsumError: the request failed before its first event (bad input, missing model).
    """
    admitted = ExitStack()
    admitted.enter_context(slots.admit())
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Any] = asyncio.Queue()
    cancel = threading.Event()

    def put(item: Any) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, item)

    def check(label: str, done: int, total: int) -> None:
        if cancel.is_set():
            raise StreamCancelled

    def produce() -> None:
        try:
            with slots.turn():
                _run(events(check), cancel, put)
        finally:
            admitted.close()
            put(_END)

    loop.run_in_executor(None, produce)
    first = await queue.get()
    if isinstance(first, BaseException):
        cancel.set()
        raise first

    async def body() -> AsyncIterator[bytes]:
        item, ended = first, False
        try:
            while item is not _END:
                if isinstance(item, BaseException):
                    ended = True
                    yield _encode(("error", {"error": _error_text(item)}))
                    return
                yield _encode(item)
                item = await queue.get()
            ended = True
        finally:
            if not ended:
                log.info("streamed answer: the client went away; stopping its work")
            cancel.set()  # the client went away, or the stream ended: no more work either way

    return EventSourceResponse(body(), headers={"Cache-Control": "no-cache"})


def _run(events: Iterator[Event], cancel: threading.Event, put: Callable[[Any], None]) -> None:
    """Drive ``events`` in this worker thread until it ends, fails or is cancelled."""
    try:
        for event in events:
            if cancel.is_set():
                log.info("streamed answer cancelled: the client went away")
                return
            put(event)
    except StreamCancelled:
        log.info("streamed answer cancelled: the client went away")
    except MtsumError as exc:
        put(exc)
    except Exception as exc:
        log.exception("a streamed REST answer failed")
        put(exc)
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()


def _error_text(exc: BaseException) -> str:
    """The ``error`` event's message, worded as a JSON error would be."""
    if isinstance(exc, MtsumError):
        log.warning("REST stream: %s", exc)
        return rest_message(exc)
    return "internal error; the server log has the details"
