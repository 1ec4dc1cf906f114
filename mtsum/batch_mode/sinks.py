"""Writing batch output in atomic chunks, and reading back which records a previous run did.

A batch may be killed at any moment (Ctrl-C, a crash, a power cut). The rule: every record in
the output is complete, and a rerun loses at most the chunk that was being written. How each
format keeps it:

- **JSONL**: a chunk is appended as complete lines with one write, then flushed and
  ``fsync``-ed before the next chunk starts. A killed write can only leave a torn tail
  (a partial last line, or garbage after the last good line); on resume the tail is cut off
  at the last complete record. Complete lines of a torn chunk are kept: they are done.
- **CSV and Parquet**, which cannot be appended to safely (a header, a footer), write each
  chunk as a part file in ``OUTPUT.parts/``: written to a temporary name, ``fsync``-ed, then
  renamed (``os.replace`` is atomic), so a part is either all there or not there. When the
  batch ends, the previous OUTPUT (if any) and the parts are merged, by id, first one wins,
  into a temporary file that is renamed over OUTPUT; then the parts are removed. A crash
  between the rename and the removal leaves parts whose records OUTPUT already has, and the
  next merge drops them as duplicates.
- **A folder**: one ``<id>.json`` per record, each written to a temporary name and renamed.

Leftover temporary files of a killed run are removed when the output is opened again.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from ..errors import InputError
from . import tables
from .records import format_of, to_json

__all__ = ["Sink", "open_output", "to_json"]

log = logging.getLogger(__name__)

_TMP = ".tmp"


class Sink(Protocol):
    """Where a batch writes its output."""

    path: Path

    def done_keys(self) -> set[str]:
        """Keys of the records already in the output (repairing a torn tail first)."""
        ...

    def write(self, records: list[dict[str, Any]]) -> None:
        """Append one chunk of output records, atomically as described above."""
        ...

    def finish(self) -> None:
        """Make the output whole (merge parts). Safe to call when nothing was written."""
        ...

    def close(self) -> None:
        """Release open files, also when the run stops early (finish() does it on success)."""
        ...


def open_output(path: str | Path, id_field: str) -> Sink:
    """The sink for ``path``: by its extension, or a folder when it has none (or is one).

    Raises:
        InputError: the extension is not one batch mode writes.
    """
    target = Path(path)
    if target.is_dir() or not target.suffix:
        return FolderSink(target, id_field)
    kind = format_of(target, "output")
    if kind == "jsonl":
        return JsonlSink(target, id_field)
    return PartsSink(target, id_field, kind)


def _fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` survive a power cut (POSIX)."""
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def write_atomically(path: Path, write: Any) -> None:
    """Call ``write(temporary_path)``, fsync the file, then rename it to ``path``."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}{_TMP}")
    try:
        write(temporary)
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_dir(path.parent)


def _remove_temporaries(folder: Path, name: str) -> None:
    """Delete what :func:`write_atomically` left behind for ``name`` (a glob) when killed."""
    for leftover in folder.glob(f".{name}.*{_TMP}"):
        log.info("removing %s, left by an interrupted run", leftover)
        leftover.unlink(missing_ok=True)


class JsonlSink:
    """JSON Lines: chunks appended whole and fsync-ed; a torn tail is cut on resume."""

    def __init__(self, path: Path, id_field: str) -> None:
        self.path = path
        self.id_field = id_field
        self._handle: Any = None

    def done_keys(self) -> set[str]:
        if not self.path.exists():
            return set()
        keys: set[str] = set()
        good_end = 0  # byte offset just after the last complete, valid record
        bad: list[int] = []
        with self.path.open("rb") as handle:
            offset = 0
            for number, line in enumerate(handle, start=1):
                offset += len(line)
                key = self._key(line) if line.endswith(b"\n") else None
                if key is not None:
                    if bad:
                        raise InputError(
                            f"line {bad[0]} of {self.path} is not a batch output record but "
                            "records follow it; the file was changed by hand or is damaged. "
                            "Repair it or choose a new OUTPUT"
                        )
                    keys.add(key)
                    good_end = offset
                elif line.strip():
                    bad.append(number)
                elif not bad:
                    good_end = offset  # blank lines between records are harmless
        size = self.path.stat().st_size
        if good_end < size:
            log.warning(
                "%s: removing %d byte(s) after the last complete record, left by an "
                "interrupted run",
                self.path,
                size - good_end,
            )
            with self.path.open("rb+") as handle:
                handle.truncate(good_end)
                os.fsync(handle.fileno())
        return keys

    def _key(self, line: bytes) -> str | None:
        try:
            data = json.loads(line)
        except ValueError:
            return None
        if not isinstance(data, dict) or self.id_field not in data:
            return None
        return str(data[self.id_field])

    def write(self, records: list[dict[str, Any]]) -> None:
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            created = not self.path.exists()
            self._handle = self.path.open("ab")
            if created:
                _fsync_dir(self.path.parent)
        data = "".join(to_json(record) + "\n" for record in records).encode("utf-8")
        self._handle.write(data)
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def finish(self) -> None:
        if self._handle is not None:
            self.close()
        elif not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, lambda tmp: tmp.write_bytes(b""))


class PartsSink:
    """CSV or Parquet: atomic part files in ``OUTPUT.parts/``, merged into OUTPUT at the end."""

    def __init__(self, path: Path, id_field: str, kind: str) -> None:
        self.path = path
        self.id_field = id_field
        self.format: tables.CsvFormat | tables.ParquetFormat = (
            tables.CsvFormat(id_field) if kind == "csv" else tables.ParquetFormat(id_field)
        )
        self.parts = path.with_name(path.name + ".parts")
        self._next = 0

    def _part_files(self) -> list[Path]:
        if not self.parts.is_dir():
            return []
        return sorted(p for p in self.parts.glob("part-*") if not p.name.endswith(_TMP))

    def done_keys(self) -> set[str]:
        if self.parts.is_dir():
            _remove_temporaries(self.parts, "*")
        if self.path.parent.is_dir():
            _remove_temporaries(self.path.parent, self.path.name)
        parts = self._part_files()
        if self.path.exists() and self.id_field not in self.format.columns(self.path):
            # Merging would keep only one of its rows (all with no id): refuse, lose nothing.
            raise InputError(
                f"{self.path} exists but has no {self.id_field!r} column, so it is not the "
                "output of a batch with this --id-field; choose a new OUTPUT"
            )
        keys: set[str] = set()
        for source in [self.path, *parts] if self.path.exists() else parts:
            keys.update(self.format.keys(source))
        self._next = int(parts[-1].name.split("-")[1].split(".")[0]) + 1 if parts else 0
        return keys

    def write(self, records: list[dict[str, Any]]) -> None:
        self.parts.mkdir(parents=True, exist_ok=True)
        part = self.parts / f"part-{self._next:06d}{self.format.suffix}"
        self._next += 1
        write_atomically(part, lambda tmp: self.format.write(tmp, records))

    def close(self) -> None:
        """Part files are closed as they are written; nothing stays open."""

    def finish(self) -> None:
        parts = self._part_files()
        if not parts:
            if not self.path.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(self.path, lambda tmp: self.format.write(tmp, []))
            self._drop_parts()
            return
        sources = [self.path, *parts] if self.path.exists() else parts
        write_atomically(self.path, lambda tmp: self.format.merge(tmp, sources))
        self._drop_parts()

    def _drop_parts(self) -> None:
        if self.parts.is_dir():
            shutil.rmtree(self.parts)


class FolderSink:
    """A folder with one ``<id>.json`` per record, each written atomically."""

    def __init__(self, path: Path, id_field: str) -> None:
        self.path = path
        self.id_field = id_field

    def done_keys(self) -> set[str]:
        if not self.path.is_dir():
            return set()
        _remove_temporaries(self.path, "*")
        keys = set()
        for file in self._files():
            key = _key_of_name(file.name[: -len(".json")])
            if key is None:  # a long id: the name is shortened, the file has the id
                data = json.loads(file.read_text(encoding="utf-8"))
                key = str(data[self.id_field])
            keys.add(key)
        return keys

    def _files(self) -> Iterator[Path]:
        return (p for p in self.path.glob("*.json") if not p.name.startswith("."))

    def write(self, records: list[dict[str, Any]]) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        for record in records:
            name = _name_of_key(str(record[self.id_field])) + ".json"
            text = to_json(record, indent=2) + "\n"
            write_atomically(self.path / name, lambda tmp, t=text: tmp.write_text(t, "utf-8"))

    def close(self) -> None:
        """Each record file is closed as it is written; nothing stays open."""

    def finish(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)


# Ids become file names with every character but letters, digits and "_.-~" percent-encoded,
# so an id can never name a path outside the folder ("../x" becomes "..%2Fx"). "+" is never
# produced by the encoding; it marks a long id shortened with a hash.
_MAX_NAME = 200


def _name_of_key(key: str) -> str:
    import hashlib
    from urllib.parse import quote

    name = quote(key, safe="")
    if name.startswith("."):
        name = "%2E" + name[1:]  # never a hidden file, never "." or ".."
    if len(name) <= _MAX_NAME:
        return name
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return f"{name[:100]}+{digest}"


def _key_of_name(name: str) -> str | None:
    from urllib.parse import unquote

    return None if "+" in name else unquote(name)
