"""Translated files waiting for their download (LibreTranslate's ``/download_file/<id>``).

``POST /translate_file`` answers with a URL, and the client fetches the file from it, so the
file must live a little while on the server. It lives in a private folder (``mkdtemp``: mode
0700, removed when the store is), under a random id (``secrets.token_urlsafe``): never under a
name the client chose, and an id is only ever looked up, never joined to a path unchecked.
Files are removed after ``KEEP_SECONDS``, and the oldest go first when the store would hold
more than ``MAX_STORED_BYTES`` or ``MAX_FILES``.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

__all__ = ["KEEP_SECONDS", "FileStore", "StoredFile"]

log = logging.getLogger(__name__)

# A client downloads right after its upload is answered; ten minutes covers a slow network
# and a retry, and bounds how long anyone's document stays on the server.
KEEP_SECONDS = 600
# Ten uploads of the largest size the server accepts (MTSUM_MAX_UPLOAD_MB, 20) and then some;
# a translated file is about the size of its upload.
MAX_STORED_BYTES = 256 * 2**20
MAX_FILES = 1000
_ID_BYTES = 24


@dataclass(frozen=True)
class StoredFile:
    """A file in the store: where it is, what to call it when sent, and when it goes."""

    path: Path
    name: str
    media_type: str
    size: int
    expires: float


class FileStore:
    """Translated files kept for a bounded time and size. Thread-safe."""

    def __init__(
        self,
        keep_seconds: float = KEEP_SECONDS,
        max_bytes: int = MAX_STORED_BYTES,
        max_files: int = MAX_FILES,
    ) -> None:
        self.keep_seconds = keep_seconds
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.folder = Path(tempfile.mkdtemp(prefix="mtsum-files-"))
        self._files: dict[str, StoredFile] = {}
        self._lock = threading.Lock()
        # The folder goes with the store, at the latest when the process exits.
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.folder, True)

    def put(self, data: bytes, name: str, media_type: str) -> str:
        """Keep ``data``; returns the id to fetch it with.

        Raises:
            ValueError: ``data`` alone is larger than the whole store may hold.
        """
        if len(data) > self.max_bytes:
            raise ValueError(f"a file of {len(data)} bytes is over the store's {self.max_bytes}")
        file_id = secrets.token_urlsafe(_ID_BYTES)
        path = self.folder / file_id
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        stored = StoredFile(path, name, media_type, len(data), time.monotonic() + self.keep_seconds)
        with self._lock:
            self._files[file_id] = stored
            self._sweep()
        return file_id

    def get(self, file_id: str) -> StoredFile | None:
        """The file stored under ``file_id``, or None when there is none (or no longer)."""
        with self._lock:
            self._sweep()
            return self._files.get(file_id)

    def close(self) -> None:
        """Remove every file and the folder."""
        with self._lock:
            self._files.clear()
        self._cleanup()

    def _sweep(self) -> None:
        """Drop expired files, then the oldest while over the bounds (lock held)."""
        now = time.monotonic()
        for file_id in [i for i, f in self._files.items() if f.expires <= now]:
            self._drop(file_id)
        total = sum(f.size for f in self._files.values())
        while self._files and (total > self.max_bytes or len(self._files) > self.max_files):
            oldest = min(self._files, key=lambda i: self._files[i].expires)
            total -= self._files[oldest].size
            self._drop(oldest)

    def _drop(self, file_id: str) -> None:
        stored = self._files.pop(file_id)
        try:
            stored.path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:  # the file is gone from the store either way
            log.warning("could not remove a stored file: %s", exc)
