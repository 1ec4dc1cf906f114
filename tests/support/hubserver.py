"""A local stand-in for the model hub: the routes ``huggingface_hub`` calls, on loopback.

So the real download path (``snapshot_download`` and everything under it) runs in the tests
without a network: point ``HF_ENDPOINT`` (or ``Settings.hub_endpoint``) at it. It answers

- ``GET /api/models/{repo}[/revision/{rev}]``: the repository's commit (``sha``) and files;
- ``GET /api/models/{repo}/tree/{rev}``: the file list with sizes, blob ids and LFS hashes;
- ``HEAD``/``GET /{repo}/resolve/{rev}/{file}``: ``X-Repo-Commit``, ``ETag``, the size, and
  the bytes (ranges too, as a resumed download asks);

and 404 with the hub's ``X-Error-Code`` for an unknown repository, revision or file. Each
repository has revisions (a branch name or a commit) that map to folders of files. It listens
on 127.0.0.1 only, serves at most a bounded number of requests, and stops itself after a
time limit even if a test forgets to. A file named in ``stall`` is sent half-way and then
held, to stand for a download interrupted by a killed process.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = ["FakeHubServer", "HubRepo", "serve_hub"]

_MAX_REQUESTS = 2_000
_LIFETIME_S = 300.0
_LFS = (".safetensors", ".bin")


@dataclass
class HubRepo:
    """One repository: revision (branch or commit) -> folder of its files."""

    revisions: dict[str, Path]
    commits: dict[str, str] = field(default_factory=dict)

    def commit(self, revision: str) -> str | None:
        """The 40-hex commit a revision stands for (a fixed digest per folder)."""
        if revision in self.commits.values():
            return revision
        folder = self.revisions.get(revision)
        if folder is None:
            return None
        return self.commits.setdefault(revision, hashlib.sha1(str(folder).encode()).hexdigest())

    def folder(self, revision: str) -> Path | None:
        for name, commit in self.commits.items():
            if commit == revision:
                return self.revisions[name]
        return self.revisions.get(revision) if self.commit(revision) else None


class FakeHubServer(ThreadingHTTPServer):
    """The server; ``requests`` records ``(method, path)`` of every request it answered."""

    daemon_threads = True

    def __init__(self, repos: dict[str, HubRepo]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.repos = repos
        self.requests: list[tuple[str, str]] = []
        self.stall: set[str] = set()
        self.release = threading.Event()
        self.stalled = threading.Event()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def downloads(self) -> list[str]:
        """The files fetched (GET of a resolve route), in order."""
        with self.lock:
            return [
                p.rsplit("/", 1)[-1] for m, p in self.requests if m == "GET" and "/resolve/" in p
            ]


@contextmanager
def serve_hub(repos: dict[str, HubRepo]) -> Iterator[FakeHubServer]:
    """Serve ``repos`` on a free loopback port until the block ends (or the time limit)."""
    server = FakeHubServer(repos)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    timer = threading.Timer(_LIFETIME_S, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        yield server
    finally:
        timer.cancel()
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


_API = re.compile(r"^/api/models/([^/]+/[^/]+)(?:/revision/([^/]+))?$")
_TREE = re.compile(r"^/api/models/([^/]+/[^/]+)/tree/([^/]+)(?:/.*)?$")
_RESOLVE = re.compile(r"^/([^/]+/[^/]+)/resolve/([^/]+)/(.+)$")


class _Handler(BaseHTTPRequestHandler):
    server: FakeHubServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the tests read requests
        return None

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        with self.server.lock:
            self.server.requests.append((self.command, path))
            too_many = len(self.server.requests) > _MAX_REQUESTS
        if too_many:
            self._error(429, "TooManyRequests")
            return
        if match := _TREE.match(path):
            self._tree(match.group(1), match.group(2))
        elif match := _API.match(path):
            self._info(match.group(1), match.group(2) or "main")
        elif match := _RESOLVE.match(path):
            self._file(match.group(1), match.group(2), match.group(3), body)
        else:
            self._error(404, "EntryNotFound")

    def _lookup(self, repo_id: str, revision: str) -> tuple[str, Path] | None:
        repo = self.server.repos.get(repo_id)
        if repo is None:
            self._error(404, "RepoNotFound")
            return None
        commit, folder = repo.commit(revision), repo.folder(revision)
        if commit is None or folder is None:
            self._error(404, "RevisionNotFound")
            return None
        return commit, folder

    def _info(self, repo_id: str, revision: str) -> None:
        found = self._lookup(repo_id, revision)
        if found is not None:
            commit, folder = found
            siblings = [{"rfilename": p.name} for p in sorted(folder.iterdir()) if p.is_file()]
            self._json({"id": repo_id, "sha": commit, "siblings": siblings, "private": False})

    def _tree(self, repo_id: str, revision: str) -> None:
        found = self._lookup(repo_id, revision)
        if found is None:
            return
        entries = []
        for file in sorted(p for p in found[1].iterdir() if p.is_file()):
            data = file.read_bytes()
            entry: dict[str, Any] = {
                "type": "file",
                "path": file.name,
                "size": len(data),
                "oid": hashlib.sha1(data).hexdigest(),
            }
            if file.suffix in _LFS:
                sha = hashlib.sha256(data).hexdigest()
                entry["lfs"] = {"oid": sha, "size": len(data), "pointerSize": 134}
            entries.append(entry)
        self._json(entries)

    def _file(self, repo_id: str, revision: str, name: str, body: bool) -> None:
        found = self._lookup(repo_id, revision)
        if found is None:
            return
        commit, folder = found
        file = folder / name
        if "/" in name or not file.is_file():
            self._error(404, "EntryNotFound")
            return
        data = file.read_bytes()
        etag = (
            hashlib.sha256(data).hexdigest()
            if file.suffix in _LFS
            else hashlib.sha1(data).hexdigest()
        )
        start = _range_start(self.headers.get("Range"))
        self.send_response(206 if start else 200)
        self.send_header("X-Repo-Commit", commit)
        self.send_header("ETag", f'"{etag}"')
        if file.suffix in _LFS:
            self.send_header("X-Linked-Etag", f'"{etag}"')
            self.send_header("X-Linked-Size", str(len(data)))
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        if not body:
            return
        payload = data[start:]
        if name in self.server.stall:
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.server.stalled.set()
            self.server.release.wait(timeout=_LIFETIME_S)
            self.close_connection = True
            return
        self.wfile.write(payload)

    def _json(self, data: Any) -> None:
        raw = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(raw)

    def _error(self, status: int, code: str) -> None:
        raw = json.dumps({"error": code}).encode()
        self.send_response(status)
        self.send_header("X-Error-Code", code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(raw)


def _range_start(header: str | None) -> int:
    match = re.match(r"bytes=(\d+)-", header or "")
    return int(match.group(1)) if match else 0
