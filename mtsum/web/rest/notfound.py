"""404 and 405 in the REST API's own shape, ``{"error": ...}``, like every other REST error.

The REST routes sit beside Gradio's page, mounted at ``/``: a path no route knows, or a REST
path asked with the wrong method (``GET /translate``), falls through to Gradio, which answers
``{"detail": "Not Found"}``. A LibreTranslate client reads ``error``; so this middleware answers
a wrong method on a REST path with 405 and its ``Allow`` header, and gives a JSON 404 from
below the ``error`` key. Gradio's own API (``/gradio_api/...``) keeps its ``detail``, which its
clients read. Written as plain ASGI because Starlette's exception handlers never see the 404 of
a mounted app.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["JsonErrors"]

# Gradio's API and its clients read "detail"; the page's own requests go there too.
_GRADIO_PREFIXES = ("/gradio_api", "/config", "/theme.css", "/assets", "/static")
_NOT_FOUND = "no such route: {path}; the REST API's routes are listed at /docs"


class JsonErrors:
    """ASGI middleware: 405 for a known REST path asked with another method, JSON 404s as
    ``{"error": ...}``."""

    def __init__(self, app: ASGIApp, methods: Mapping[str, frozenset[str]]) -> None:
        """``methods``: each REST path (without parameters) and the methods it answers."""
        self.app = app
        self.methods = dict(methods)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(_GRADIO_PREFIXES):
            await self.app(scope, receive, send)
            return
        allowed = self.methods.get(path.rstrip("/") or "/")
        if allowed and scope["method"] not in allowed:
            message = f"{path} answers {' and '.join(sorted(allowed))}, not {scope['method']}"
            await _send_json(send, 405, message, {"allow": ", ".join(sorted(allowed))})
            return
        await self.app(scope, receive, _NotFoundAsJson(send, path))


class _NotFoundAsJson:
    """A ``send`` that replaces the body of a JSON 404 with ``{"error": ...}``."""

    def __init__(self, send: Send, path: str) -> None:
        self.send = send
        self.path = path
        self.held: Message | None = None

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] == 404:
            headers = {k.lower(): v for k, v in message.get("headers", [])}
            if headers.get(b"content-type", b"").startswith(b"application/json"):
                self.held = message
                return
        if self.held is None:
            await self.send(message)
            return
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            self.held = None
            await _send_json(self.send, 404, _NOT_FOUND.format(path=self.path))


async def _send_json(
    send: Send, status: int, message: str, extra: dict[str, str] | None = None
) -> None:
    body = json.dumps({"error": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in (extra or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
