"""How ``mtsum serve`` starts, or fails to: exit codes and messages, and the ``--share`` link.

A port already in use or out of range is bad usage (exit 2, one ``mtsum: error:`` line), not
uvicorn's exit 3, which our contract reserves for a missing model. ``--share`` opens Gradio's
tunnel to the full app; there is no internet here, so the tunnel function is replaced by one
that records where it was pointed and what answers there.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from gradio import networking
from starlette.applications import Starlette

import mtsum.web.app as web_app
from mtsum import InputError, Settings
from mtsum.cli import main
from mtsum.settings import ServeSettings
from mtsum.web import serve

KEY = "test-key-123"
FR = "Le conseil municipal a voté un nouveau budget pour les transports publics de la ville."


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, registry_path: Path, tmp_path: Path) -> None:
    monkeypatch.setenv("MTSUM_REGISTRY", str(registry_path))
    monkeypatch.setenv("MTSUM_MODEL_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("MTSUM_OFFLINE", "1")


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A loopback port another server is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("mtsum: error:")]


# ---- where it listens --------------------------------------------------------------------------


def test_a_port_in_use_exits_2_with_what_to_do(
    cli_env: None, taken_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--port", str(taken_port)]) == 2
    err = capsys.readouterr().err
    assert _errors(err) == [
        f"mtsum: error: cannot listen on 127.0.0.1:{taken_port}: address already in use; "
        "choose another --port or stop the other server"
    ]
    assert "Traceback" not in err


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http"])
def test_a_port_out_of_range_is_a_usage_error(
    cli_env: None, port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--port", port]) == 2
    err = capsys.readouterr().err
    (line,) = _errors(err)
    assert "1 to 65535" in line and "--port" in line
    assert "Traceback" not in err


def test_serve_itself_refuses_a_port_out_of_range(settings: Settings) -> None:
    with pytest.raises(InputError, match="1 to 65535"):
        serve(settings, port=99999)


def test_an_unknown_host_is_a_usage_error(
    cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--host", "no-such-host.invalid", "--port", "7860"]) == 2
    (line,) = _errors(capsys.readouterr().err)
    assert "cannot listen on no-such-host.invalid:7860: unknown host" in line
    assert line.endswith("check --host")


def test_a_failing_app_startup_is_a_bug_not_uvicorns_exit_3(
    cli_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    @asynccontextmanager
    async def broken(app: Starlette) -> AsyncIterator[None]:
        raise RuntimeError("startup broke")
        yield  # pragma: no cover (a generator that never gets here)

    monkeypatch.setattr(web_app, "create_app", lambda settings, serving: Starlette(lifespan=broken))
    assert main(["serve", "--port", str(_free_port())]) == 1
    (line,) = _errors(capsys.readouterr().err)
    assert "internal error" in line and "failed to start" in line


# ---- the public link ---------------------------------------------------------------------------


class _RecordedServer(uvicorn.Server):
    """uvicorn's server, remembered so that the test can stop it."""

    last: _RecordedServer | None = None

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        _RecordedServer.last = self


def _use_through_tunnel(host: str, port: int) -> dict[str, Any]:
    """What a visitor of the public link gets: the tunnel forwards to ``host``:``port``."""
    with httpx.Client(base_url=f"http://{host}:{port}", timeout=60) as http:
        return {
            "languages": http.get("/languages").status_code,
            "no key": http.post("/detect", json={"q": FR}).status_code,
            "keyed": [
                http.post("/detect", json={"q": FR, "api_key": KEY}).status_code for _ in range(3)
            ],
            "page config": http.get("/config").status_code,
        }


def test_share_points_gradios_tunnel_at_the_full_app(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="mtsum")
    seen: dict[str, Any] = {}

    def tunnel(local_host: str, local_port: int, share_token: str, **options: Any) -> str:
        seen.update(where=(local_host, local_port), token=share_token, options=options)
        seen["answers"] = _use_through_tunnel(local_host, local_port)
        return "http://abcdef.gradio.live"

    monkeypatch.setattr(networking, "setup_tunnel", tunnel)
    monkeypatch.setattr(networking, "GRADIO_SHARE_SERVER_ADDRESS", None)
    monkeypatch.setattr(uvicorn, "Server", _RecordedServer)
    port = _free_port()
    shared = ServeSettings(rate_limit=3, api_keys=(KEY,))
    errors: list[BaseException] = []

    def run() -> None:
        try:
            serve(settings, host="0.0.0.0", port=port, share=True, serving=shared)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while "public link" not in caplog.text and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _RecordedServer.last is not None
    _RecordedServer.last.should_exit = True
    thread.join(timeout=30)
    assert not thread.is_alive() and errors == []
    # The wildcard address is reached through loopback, on the port the app listens on.
    assert seen["where"] == ("127.0.0.1", port)
    assert len(seen["token"]) >= 32 and seen["options"]["share_server_address"] is None
    assert seen["answers"] == {
        "languages": 200,  # the REST API is there
        "no key": 403,  # with its key check
        "keyed": [200, 200, 429],  # and the rate limit: 3 a minute, the 403 included
        "page config": 401,  # the page asks for the API-key login
    }
    assert "public link: https://abcdef.gradio.live" in caplog.text


def test_share_without_internet_stops_with_exit_2_and_says_why(
    cli_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def offline(*args: Any, **kwargs: Any) -> str:
        # What gradio.networking raises when its API server cannot be reached.
        raise RuntimeError("Could not get share link from Gradio API Server.")

    monkeypatch.setattr(networking, "setup_tunnel", offline)
    port = _free_port()
    assert main(["serve", "--share", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    (line,) = _errors(err)
    assert line.startswith(
        "mtsum: error: cannot open a public link (--share): Could not get share link"
    )
    assert "needs internet access" in line and "without --share" in line
    assert "Traceback" not in err
    with socket.socket() as sock:  # the server stopped and let go of its port
        sock.bind(("127.0.0.1", port))
