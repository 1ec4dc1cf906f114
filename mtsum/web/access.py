"""The one access layer of the web app: API keys, rate limit, CORS scope and the access log.

Both faces are guarded here, with one message for each refusal. The REST API asks ``Access``
(``check_rate``, ``check_key``) for each request; its ``api_key`` field carries the key. The page
and the Gradio API get the same two protections, built on Gradio's own mechanisms so that the
browser and ``gradio_client`` keep working:

* **Keys** (``MTSUM_API_KEYS``): Gradio's login (``auth``) with a password check that accepts
  any configured key, compared in constant time. A browser sees Gradio's login form (any user
  name, the key as password); a script passes ``Client(url, auth=("me", KEY))``. Every Gradio
  route that runs or uploads anything then needs the login cookie.
* **Rate limit** (``MTSUM_RATE_LIMIT``): an ASGI middleware that counts, per client address,
  the Gradio requests that start work (joining the queue, direct calls, uploads, MCP messages,
  and login attempts, so keys cannot be guessed at speed) and answers 429 with ``Retry-After``
  beyond the limit, before the request takes a place in the queue.
* **CORS** (``MTSUM_CORS_ORIGINS``): for the REST paths only (``ScopedCORS``); the Gradio app
  keeps its own policy for its routes.
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

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from ..settings import ServeSettings
from .ratelimit import RateLimiter

__all__ = [
    "Access",
    "AccessRefused",
    "GradioRateLimit",
    "RedactQuery",
    "ScopedCORS",
    "key_login",
    "key_matches",
    "local_path",
]

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


class AccessRefused(Exception):
    """A request turned away by the access layer: its HTTP status, message and headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def too_many(limit: int, wait: int) -> AccessRefused:
    """The one answer to a client over the rate limit (LibreTranslate's "Slowdown" wording)."""
    return AccessRefused(
        429,
        f"Slowdown: too many requests, the limit is {limit} per minute; retry in {wait} s",
        {"Retry-After": str(wait)},
    )


class Access:
    """Keys and rate limit for one app; the REST API and the page share one limiter.

    Args:
        serving: ``api_keys`` and ``rate_limit``.
        limiter: the per-client window to share with the other face; a new one when omitted.
    """

    def __init__(self, serving: ServeSettings, limiter: RateLimiter | None = None) -> None:
        self.keys = tuple(k.encode("utf-8") for k in serving.api_keys)
        self.limiter = limiter or RateLimiter(serving.rate_limit)

    def check_rate(self, client: str) -> None:
        """Count one request of ``client``; ``AccessRefused`` (429) beyond the limit."""
        wait = self.limiter.check(client)
        if wait is not None:
            raise too_many(self.limiter.limit, wait)

    def check_key(self, key: object) -> None:
        """``AccessRefused`` (403) when keys are required and ``key`` is missing or wrong."""
        if not self.keys:
            return
        if not isinstance(key, str) or not key:
            raise AccessRefused(403, "this server requires an API key: send it as api_key")
        if not key_matches(key, self.keys):
            raise AccessRefused(403, "Invalid API key")


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
            or not _COUNTED.match(local_path(scope))
        ):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.limiter.check(client[0] if client else "unknown")
        if wait is None:
            await self.app(scope, receive, send)
            return
        message = too_many(self.limiter.limit, wait).message
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


def local_path(scope: Scope) -> str:
    """The request's path below the app's mount point (``root_path``)."""
    path: str = scope.get("path", "")
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


class ScopedCORS:
    """CORS for the REST paths only; the Gradio app keeps its own policy for its routes.

    Args:
        paths: the exact paths (``/translate``).
        prefixes: path prefixes whose every path is REST too (``/download_file/``).
    """

    def __init__(
        self,
        app: ASGIApp,
        paths: frozenset[str],
        origins: list[str],
        prefixes: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.paths = paths
        self.prefixes = prefixes
        self.cors = CORSMiddleware(
            app,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Authorization"],
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = local_path(scope) if scope["type"] == "http" else ""
        if path in self.paths or (path and path.startswith(self.prefixes)):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


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
