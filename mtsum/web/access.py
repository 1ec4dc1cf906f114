"""Who may use the web page and its Gradio API, how often, and what the access log keeps.

The REST API checks its own ``api_key`` field and rate limit (``rest_guard``). The page and the
Gradio API get the same two protections here, built on Gradio's own mechanisms so that the
browser and ``gradio_client`` keep working:

* **Keys** (``MTSUM_API_KEYS``): Gradio's login (``auth``) with a password check that accepts
  any configured key, compared in constant time. A browser sees Gradio's login form (any user
  name, the key as password); a script passes ``Client(url, auth=("me", KEY))``. Every Gradio
  route that runs or uploads anything then needs the login cookie.
* **Rate limit** (``MTSUM_RATE_LIMIT``): an ASGI middleware that counts, per client address,
  the Gradio requests that start work (joining the queue, direct calls, uploads, MCP messages,
  and login attempts, so keys cannot be guessed at speed) and answers 429 with ``Retry-After``
  beyond the limit, before the request takes a place in the queue.
* **Access log**: uvicorn logs each request line; the REST API also reads parameters from the
  query string, so a ``GET``-style call could put the submitted text into that line.
  ``RedactQuery`` keeps the path and drops the query string.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections.abc import Callable, Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

from .ratelimit import RateLimiter

__all__ = ["GradioRateLimit", "RedactQuery", "key_login", "key_matches"]

# Gradio routes that start work or check a password; POST only (page loads, the event stream
# and heartbeats are free).
_COUNTED = re.compile(r"^/(?:gradio_api/(?:queue/join|call/|run/|api/|upload|mcp/)|login/?$)")


def key_matches(given: object, keys: Sequence[bytes]) -> bool:
    """Whether ``given`` is one of ``keys``, compared with every key in constant time."""
    if not isinstance(given, str) or not given:
        return False
    data = given.encode("utf-8", "surrogatepass")
    # Compare with every key, always, so the time taken does not tell which one was close.
    matched = [hmac.compare_digest(data, known) for known in keys]
    return any(matched)


def key_login(keys: Sequence[str]) -> Callable[[str, str], bool]:
    """Gradio's ``auth`` callable: any user name, a configured key as the password."""
    encoded = tuple(key.encode("utf-8") for key in keys)

    def check(username: str, password: str) -> bool:
        return key_matches(password, encoded)

    return check


class GradioRateLimit:
    """ASGI middleware: at most ``limiter.limit`` counted Gradio requests per client a minute.

    Args:
        app: the application to protect.
        limiter: the per-client sliding window (the REST API shares the same one, so a client's
            budget covers both faces).
    """

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") != "POST"
            or not self.limiter.enabled
            or not _COUNTED.match(_local_path(scope))
        ):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.limiter.check(client[0] if client else "unknown")
        if wait is None:
            await self.app(scope, receive, send)
            return
        message = (
            f"Too many requests: the limit is {self.limiter.limit} per minute; retry in {wait} s"
        )
        body = json.dumps({"detail": message, "error": message}).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode("ascii")),
                    (b"retry-after", str(wait).encode("ascii")),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _local_path(scope: Scope) -> str:
    path: str = scope.get("path", "")
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


class RedactQuery(logging.Filter):
    """Drops the query string from uvicorn's access log lines (it may carry submitted text)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn.access logs (client, method, path with query, http version, status).
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path, mark, _ = args[2].partition("?")
            if mark:
                record.args = (args[0], args[1], f"{path}?[query omitted]", args[3], args[4])
        return True
