"""Files the web faces keep for a visitor a short while: one store for the page and REST.

REST's ``POST /translate_file`` answers with a URL and the client fetches the file from it; the
page offers a translated document for download and Gradio copies it to serve it. Either way the
file must live a little while on the server, and both faces keep it the same way: in a private
folder (``mkdtemp``: mode 0700, removed with the store or when the process exits), each file in
its own folder under a random id (``secrets.token_urlsafe``), written with mode 0600 under the
base name it is sent with (never a path the visitor chose). An id is only ever looked up, never
joined to a path. Files are removed after ``KEEP_SECONDS``, and the oldest go first when the
store would hold more than ``MAX_STORED_BYTES`` or ``MAX_FILES``.
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

__all__ = ["KEEP_SECONDS", "MAX_FILES", "MAX_STORED_BYTES", "StoredFile", "TempFiles"]

log = logging.getLogger(__name__)

# A client downloads right after its upload is answered, a page visitor reads and runs within
# minutes; ten minutes covers a slow network and a retry, and bounds how long anyone's
# document stays on the server.
KEEP_SECONDS = 600
# Ten uploads of the largest size the server accepts (MTSUM_MAX_UPLOAD_MB, 20) and then some;
# a translated file is about the size of its upload.
MAX_STORED_BYTES = 256 * 2**20
MAX_FILES = 1000
_ID_BYTES = 24
_UNNAMED = "document"


@dataclass(frozen=True)
class StoredFile:
    """A file in the store: its id, where it is, what to call it when sent, and when it goes."""

    id: str
    path: Path
    name: str
    media_type: str
    size: int
    expires: float


class TempFiles:
    """Files kept for a bounded time and size, each under an unguessable id. Thread-safe."""

    def __init__(
        self,
        prefix: str = "mtsum-files-",
        keep_seconds: float = KEEP_SECONDS,
        max_bytes: int = MAX_STORED_BYTES,
        max_files: int = MAX_FILES,
    ) -> None:
        self.keep_seconds = keep_seconds
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.folder = Path(tempfile.mkdtemp(prefix=prefix))
        self._files: dict[str, StoredFile] = {}
        self._lock = threading.Lock()
        # The folder goes with the store, at the latest when the process exits.
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.folder, True)

    def put(
        self, data: bytes, name: str, media_type: str = "application/octet-stream"
    ) -> StoredFile:
        """Keep ``data`` as a file called ``name`` (its base name only).

        Raises:
            ValueError: ``data`` alone is larger than the whole store may hold.
        """
        if len(data) > self.max_bytes:
            raise ValueError(f"a file of {len(data)} bytes is over the store's {self.max_bytes}")
        file_id = secrets.token_urlsafe(_ID_BYTES)
        folder = self.folder / file_id
        folder.mkdir(mode=0o700)
        path = folder / _base_name(name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        expires = time.monotonic() + self.keep_seconds
        stored = StoredFile(file_id, path, path.name, media_type, len(data), expires)
        with self._lock:
            self._files[file_id] = stored
            self._sweep()
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        """The file stored under ``file_id``, or None when there is none (or no longer)."""
        with self._lock:
            self._sweep()
            return self._files.get(file_id)

    def discard(self, file_id: str) -> None:
        """Remove the file stored under ``file_id`` now (nothing when there is none)."""
        with self._lock:
            if file_id in self._files:
                self._drop(file_id)

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
            shutil.rmtree(stored.path.parent)
        except FileNotFoundError:
            pass
        except OSError as exc:  # the file is gone from the store either way
            log.warning("could not remove a stored file: %s", exc)


def _base_name(name: str) -> str:
    """The last part of ``name`` (either slash), or a neutral name when nothing usable is left."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base if base not in ("", ".", "..") else _UNNAMED
