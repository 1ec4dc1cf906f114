"""``mtsum serve`` as an operator runs it: a separate process, stopped by a signal, and its log.

The server runs as a subprocess on a free loopback port, on the tiny models, offline. Its
standard output and error are the operator's console: uvicorn's access log, mtsum's log, and
Gradio's. The text people submit must not end up there at INFO level, through any face.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from mtsum import Pipeline, Settings
from mtsum.cli import main
from tests.support.webserver import page_event, upload_file

MARKER = "zqxjvormarker"
TEXT = (
    f"Le conseil municipal a voté mardi soir un nouveau budget {MARKER} pour les transports. "
    "Les bus circuleront plus souvent le soir et le dimanche."
)
_START_TIMEOUT = 120.0
_STOP_TIMEOUT = 20.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _environment(registry_path: Path, store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MTSUM_")}
    env.update(
        MTSUM_REGISTRY=str(registry_path),
        MTSUM_MODEL_DIR=str(store),
        MTSUM_OFFLINE="1",
        HF_HUB_OFFLINE="1",
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass
class ServerProcess:
    """A running ``mtsum serve`` and the files its console goes to."""

    process: subprocess.Popen[bytes]
    url: str
    out: Path
    err: Path

    def console(self) -> str:
        return self.out.read_text(errors="replace") + self.err.read_text(errors="replace")

    def stop(self, sig: signal.Signals) -> tuple[int, float]:
        """Send ``sig``; the exit code and the seconds it took to exit."""
        start = time.monotonic()
        self.process.send_signal(sig)
        code = self.process.wait(timeout=_STOP_TIMEOUT)
        return code, time.monotonic() - start


@contextmanager
def _serve(registry_path: Path, folder: Path) -> Iterator[ServerProcess]:
    port = _free_port()
    out, err = folder / "stdout.log", folder / "stderr.log"
    command = [sys.executable, "-m", "mtsum", "-v", "serve", "--port", str(port)]
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            command,
            env=_environment(registry_path, folder / "store"),
            stdout=stdout,
            stderr=stderr,
        )
    served = ServerProcess(process, f"http://127.0.0.1:{port}/", out, err)
    try:
        _wait_until_up(served)
        yield served
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=_STOP_TIMEOUT)


@pytest.fixture(scope="module")
def server(
    registry_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """One server for the module: the log test uses it, then the SIGTERM test stops it."""
    with _serve(registry_path, tmp_path_factory.mktemp("serve")) as served:
        yield served


def _wait_until_up(served: ServerProcess) -> None:
    deadline = time.monotonic() + _START_TIMEOUT
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            pytest.fail(f"mtsum serve exited at start:\n{served.console()}")
        try:
            if httpx.get(served.url + "health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"mtsum serve did not answer within {_START_TIMEOUT:.0f} s:\n{served.console()}")


def test_serve_prints_its_url_once_it_listens(server: ServerProcess) -> None:
    deadline = time.monotonic() + 10
    while f"mtsum: serving on {server.url}" not in server.out.read_text(errors="replace"):
        assert time.monotonic() < deadline, server.console()
        time.sleep(0.1)


# ---- what the log keeps --------------------------------------------------------------------


def _use_every_face(url: str) -> None:
    """Submit TEXT through every web face, including requests that fail."""
    with httpx.Client(base_url=url, timeout=120) as rest:
        assert rest.post("/translate", json={"q": TEXT, "target": "en"}).status_code == 200
        assert rest.post("/translate", data={"q": TEXT, "target": "en"}).status_code == 200
        query = f"/translate?target=en&q={quote(TEXT)}"  # LibreTranslate reads the query too
        assert rest.post(query).status_code == 200
        assert rest.post("/detect", json={"q": TEXT}).status_code == 200
        assert rest.post("/summarize", json={"q": TEXT}).status_code == 200
        assert rest.post("/translate", json={"q": TEXT, "target": "xx"}).status_code == 400
        upload = upload_file(rest, url, "article.txt", TEXT.encode())
        (path,) = upload.json()
        payload = {"path": path, "orig_name": "article.txt", "meta": {"_type": "gradio.FileData"}}
        assert page_event(rest, url, "load_file", [payload])[0] == TEXT
    client = Client(url, verbose=False)
    client.predict(TEXT, "de", "auto", 0, "extractive", api_name="/run")
    client.predict(TEXT, api_name="/detect")
    client.predict(TEXT, "en", "auto", api_name="/translate")
    client.predict(TEXT, 20, "extractive", api_name="/summarize")
    with pytest.raises(AppError):
        client.predict(TEXT, "xx", "auto", 0, "abstractive", api_name="/run")


def test_the_server_log_at_info_never_holds_the_submitted_text(server: ServerProcess) -> None:
    _use_every_face(server.url)
    time.sleep(0.5)  # the last access lines
    console = server.console()
    # The log was on and complete: access lines, mtsum's INFO lines, the redacted query.
    assert '"POST /translate HTTP/1.1" 200' in console
    assert "/gradio_api/queue/join" in console
    assert "loading fr-en" in console
    assert "/translate?[query omitted]" in console
    assert MARKER not in console


def test_the_cli_log_at_info_never_holds_the_text(
    registry_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.INFO)
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    for name, value in _environment(registry_path, tmp_path / "store").items():
        monkeypatch.setenv(name, value)
    assert main(["-v", "run", str(article)], out=io.StringIO()) == 0
    assert main(["-v", "translate", str(article), "--target", "xx"], out=io.StringIO()) == 2
    log = caplog.text + capsys.readouterr().err  # the log, and the warnings and errors
    assert "loading fr-en" in log  # INFO was on
    assert MARKER not in log


def test_the_library_log_at_info_never_holds_the_text(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="mtsum")  # whatever an earlier CLI test left there
    pipeline = Pipeline(settings)
    pipeline.run(TEXT, target="de")
    pipeline.run("Le\x00 " + TEXT + " 42", target="de", method="extractive")
    with pytest.raises(Exception, match="not supported"):
        pipeline.run(TEXT, target="xx")
    assert "loading fr-en" in caplog.text
    assert MARKER not in caplog.text


# ---- stopping (after the log test, which shares the module's server) ------------------------


def _check_clean_stop(served: ServerProcess, sig: signal.Signals, codes: set[int]) -> None:
    # It has served a request, so the queue, worker threads and a model are all in place.
    response = httpx.post(served.url + "translate", json={"q": TEXT, "target": "en"}, timeout=60)
    assert response.status_code == 200
    code, seconds = served.stop(sig)
    console = served.console()
    assert code in codes, console
    assert seconds < _STOP_TIMEOUT
    assert "Traceback" not in console
    assert "Application shutdown complete" in console


def test_sigterm_stops_the_server_promptly_and_cleanly(server: ServerProcess) -> None:
    # uvicorn shuts down, then re-raises the signal: killed by SIGTERM (-15; 143 in a shell).
    _check_clean_stop(server, signal.SIGTERM, {0, -signal.SIGTERM})


def test_ctrl_c_stops_the_server_promptly_and_cleanly(registry_path: Path, tmp_path: Path) -> None:
    # Ctrl-C: uvicorn shuts down, then the CLI's interrupted exit code (130).
    with _serve(registry_path, tmp_path) as served:
        _check_clean_stop(served, signal.SIGINT, {0, 130, -signal.SIGINT})
