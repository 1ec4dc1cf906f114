"""A real server for the web tests: the app served by uvicorn on a free loopback port.

The tests talk to it the way users and scripts do (gradio_client, a browser), so what they prove
holds for ``mtsum serve``, not only for an in-process test client.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

__all__ = ["PageError", "page_event", "serve_in_thread", "upload_file"]

_START_TIMEOUT = 60.0


@contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """Serve ``app`` in a background thread; yields its base URL, stops it on exit."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Binding port 0 here and handing the socket to uvicorn leaves no window for a port race.
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + _START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


# ---- calling the page's own events, as the browser does ------------------------------------


class PageError(Exception):
    """An event of the page ended in an error; ``args[0]`` is the message the page shows."""


def upload_file(http: httpx.Client, base: str, name: str, data: bytes) -> httpx.Response:
    """POST one file to Gradio's upload route, as the page's file box does."""
    return http.post(f"{base}gradio_api/upload", files={"files": (name, data, "text/plain")})


def page_event(http: httpx.Client, base: str, fn_name: str, data: list[Any]) -> list[Any]:
    """Run one of the page's events by name (also private ones, which only the page calls) the
    way the browser does: join the queue, then read the event stream until it completes.

    Raises:
        PageError: the event failed; the message is what the page would show.
    """
    config = http.get(f"{base}config").json()
    fn_index = next(d["id"] for d in config["dependencies"] if d.get("api_name") == fn_name)
    session = uuid.uuid4().hex
    joined = http.post(
        f"{base}gradio_api/queue/join",
        json={
            "data": data,
            "fn_index": fn_index,
            "session_hash": session,
            "event_data": None,
            "trigger_id": None,
        },
    )
    joined.raise_for_status()
    params = {"session_hash": session}
    with http.stream("GET", f"{base}gradio_api/queue/data", params=params) as stream:
        for line in stream.iter_lines():
            if not line.startswith("data:"):
                continue
            message = json.loads(line[5:])
            if message.get("msg") != "process_completed":
                continue
            output = message.get("output") or {}
            if not message.get("success"):
                raise PageError(str(output.get("error")), message.get("title"))
            return list(output["data"])
    raise PageError("the event stream ended without a result")
