"""Where ``mtsum serve`` listens: its sockets, bound up front, and the optional public link.

The sockets are bound before uvicorn starts and handed to it, so a port already in use (or any
other address problem) is a clear ``InputError`` (exit 2) instead of uvicorn's own log line and
``sys.exit(3)``, which would read as "model unavailable" in our exit codes.

``--share`` opens Gradio's share tunnel to the port the full app (page, REST API, rate limit,
API-key login) listens on, once that app is up; ``Blocks.launch(share=True)`` would instead
serve the bare page, without anything ``create_app`` adds.
"""

from __future__ import annotations

import errno
import logging
import secrets
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse, urlunparse

from ..errors import InputError

__all__ = ["ShareLink", "bind", "call_when_started", "local_url", "open_share_link"]

log = logging.getLogger(__name__)

# What to do about the usual reasons a bind fails.
_ADVICE = {
    errno.EADDRINUSE: "address already in use; choose another --port or stop the other server",
    errno.EACCES: "permission denied; choose a --port from 1024 up (lower ones need privileges)",
    errno.EADDRNOTAVAIL: "no such address on this machine; check --host (127.0.0.1, 0.0.0.0)",
}
# The tunnel program connects to the server from this machine: a wildcard address is not one
# it can connect to everywhere, its loopback twin is.
_LOOPBACK = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}


def bind(host: str, port: int) -> list[socket.socket]:
    """Sockets bound to ``host``:``port`` (one per address the name has), not yet listening.

    Raises:
        InputError: the port is out of range, taken or not allowed, or the host is unknown.
    """
    where = f"{host}:{port}"
    if not 1 <= port <= 65535:
        raise InputError(f"cannot listen on {where}: the port must be 1 to 65535")
    try:
        infos = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except OSError as exc:
        raise InputError(f"cannot listen on {where}: unknown host ({exc}); check --host") from None
    sockets: list[socket.socket] = []
    try:
        for family, kind, proto, _, address in dict.fromkeys(infos):
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            # As uvicorn does: a restart can bind while the last run's connections linger.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                # As asyncio does: "::" would otherwise also take the IPv4 port of the next one.
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
    except OSError as exc:
        for sock in sockets:
            sock.close()
        reason = _ADVICE.get(exc.errno or 0, f"{exc.strerror or exc}; check --host and --port")
        raise InputError(f"cannot listen on {where}: {reason}") from None
    return sockets


def open_share_link(host: str, port: int) -> str:
    """Open Gradio's share tunnel to ``host``:``port``; the public URL.

    Raises:
        InputError: no link could be opened (no internet, most often).
    """
    from gradio import networking, tunneling

    local_host = _LOOPBACK.get(host, host)
    try:
        address = networking.setup_tunnel(
            local_host=local_host,
            local_port=port,
            # What each Blocks draws for its own links (blocks.py): a random name for this one.
            share_token=secrets.token_urlsafe(32),
            share_server_address=None,  # Gradio's service, or GRADIO_SHARE_SERVER_ADDRESS
            share_server_tls_certificate=None,
        )
    except Exception as exc:  # Gradio raises RuntimeError, ValueError, OSError, httpx errors
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        missing = "" if Path(tunneling.BINARY_PATH).exists() else ", and its tunnel program once"
        raise InputError(
            f"cannot open a public link (--share): {reason} A share link needs internet access "
            f"to Gradio's share service{missing}; check the connection, or serve without --share"
        ) from None
    # Blocks.launch shows the link as https unless a server of one's own is configured.
    protocol = "http" if networking.GRADIO_SHARE_SERVER_ADDRESS else "https"
    url: str = urlunparse((protocol, *urlparse(str(address))[1:]))
    return url


class _Server(Protocol):
    started: bool
    should_exit: bool


def local_url(host: str, port: int) -> str:
    """The address a browser on this machine opens for a server on ``host``:``port``."""
    shown = _LOOPBACK.get(host, host)
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def call_when_started(server: _Server, action: Callable[[], None]) -> threading.Thread:
    """Run ``action`` from a thread once ``server`` listens (never, if it stops first)."""

    def wait() -> None:
        while not server.started:
            if server.should_exit:
                return
            time.sleep(0.05)
        action()

    thread = threading.Thread(target=wait, name="mtsum-started", daemon=True)
    thread.start()
    return thread


class ShareLink:
    """Opens the public link from a thread once ``server`` has started.

    If it cannot, the server is stopped and ``error`` says why: an operator who asked for a
    public link should not be left serving only locally with the reason scrolled away.
    """

    def __init__(self, server: _Server, host: str, port: int) -> None:
        self.error: InputError | None = None
        self.url: str | None = None
        self._server, self._host, self._port = server, host, port
        self._thread = threading.Thread(target=self._open, name="mtsum-share", daemon=True)
        self._thread.start()

    def _open(self) -> None:
        while not self._server.started:
            if self._server.should_exit:
                return
            time.sleep(0.05)
        try:
            self.url = open_share_link(self._host, self._port)
        except InputError as exc:
            self.error = exc
            self._server.should_exit = True
            return
        # WARNING so that it shows without -v: the operator needs the link, and to know that
        # anyone who has it can use this server.
        log.warning(
            "public link: %s (anyone with it can use this server; it expires within a week)",
            self.url,
        )
