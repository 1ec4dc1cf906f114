"""Reading batch input as a stream of records, one format at a time, never all at once.

A record is one document: the input's fields as they were, the text to work on, and a key (its
id as a string) that a rerun uses to skip what is already done. A record that cannot be read
(a line that is not JSON, a file that is not UTF-8) still becomes a record, with the problem
noted, so that it shows up in the output as an error instead of vanishing.

Formats, chosen by the input path: ``.jsonl``/``.ndjson`` (one JSON object per line), ``.csv``
(a header row), ``.parquet`` (needs pyarrow: ``pip install 'mtsum[parquet]'``), or a folder
whose ``.txt`` files (searched recursively, in name order) are the documents.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..inputs import read_text_file

__all__ = [
    "RESERVED_FIELDS",
    "InputSource",
    "Record",
    "format_of",
    "make_record",
    "open_input",
    "records_from_objects",
]

RESERVED_FIELDS = ("result", "error")
"""Fields the output adds to each record; an input record may not have them."""

JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
PARQUET_SUFFIXES = (".parquet", ".pq")
_PARQUET_ROWS = 1024


@dataclass(frozen=True)
class Record:
    """One input document.

    Attributes:
        key: the record's id as a string: what resuming and de-duplication compare.
        fields: the input's fields in their order, the id field first (added as the record's
            position, 1-based, when the input has none).
        text: the value of the text field (``None`` when there is a ``problem``).
        problem: why the record cannot be processed, if it cannot; it becomes an ``error``.
    """

    key: str
    fields: dict[str, Any]
    text: Any
    problem: str | None = None


def make_record(fields: Mapping[str, Any], position: int, text_field: str, id_field: str) -> Record:
    """A record from one input row; ``position`` (1-based) is its id when it has none."""
    identifier = fields.get(id_field)
    if identifier is None or identifier == "":
        identifier = position
    ordered = {id_field: identifier, **{k: v for k, v in fields.items() if k != id_field}}
    key = str(identifier)
    clash = [name for name in RESERVED_FIELDS if name in fields]
    if clash:
        problem = (
            f"the record has a field named {clash[0]!r}, which the batch output adds; "
            "rename that field in the input"
        )
        return Record(key, ordered, None, problem)
    if text_field not in fields:
        problem = (
            f"the record has no {text_field!r} field; name the field that holds the text "
            "(--text-field / text_field=)"
        )
        return Record(key, ordered, None, problem)
    text = fields[text_field]
    if text is None:
        return Record(key, ordered, None, f"the record's {text_field!r} field is empty")
    return Record(key, ordered, text)


def _problem_record(position: int, id_field: str, problem: str) -> Record:
    return Record(str(position), {id_field: position}, None, problem)


def records_from_objects(
    items: Iterable[Mapping[str, Any] | str], text_field: str, id_field: str
) -> Iterator[Record]:
    """Records from Python objects: mappings of fields, or plain strings (the text itself)."""
    for position, item in enumerate(items, start=1):
        if isinstance(item, str):
            yield make_record({text_field: item}, position, text_field, id_field)
        elif isinstance(item, Mapping):
            yield make_record(item, position, text_field, id_field)
        else:
            problem = f"a record must be a mapping of fields or a string, got {type(item).__name__}"
            yield _problem_record(position, id_field, problem)


class InputSource:
    """A batch input on disk: count its records, then stream them.

    Args:
        path: a ``.jsonl``/``.ndjson``, ``.csv`` or ``.parquet`` file, or a folder of ``.txt``.
        text_field: the field holding the text (folders: the name given to the file's text).
        id_field: the field holding the id (folders: the file's path without ``.txt``).

    Raises:
        InputError: the path is missing or of a kind batch mode does not read.
    """

    def __init__(self, path: str | Path, text_field: str = "text", id_field: str = "id") -> None:
        self.path = Path(path)
        self.text_field = text_field
        self.id_field = id_field
        if self.path.is_dir():
            self.kind = "folder"
        elif not self.path.exists():
            raise InputError(f"cannot read {self.path}: no such file or folder")
        else:
            self.kind = format_of(self.path, "input")

    def count(self) -> int:
        """How many records the input holds (a quick pass that parses no text)."""
        if self.kind == "folder":
            return len(self._text_files())
        if self.kind == "jsonl":
            with self.path.open("rb") as handle:
                return sum(1 for line in handle if line.strip())
        if self.kind == "csv":
            with self._open_csv() as handle:
                return max(0, sum(1 for _ in csv.reader(handle)) - 1)
        return int(_parquet().ParquetFile(self.path).metadata.num_rows)

    def __iter__(self) -> Iterator[Record]:
        readers = {
            "folder": self._folder,
            "jsonl": self._jsonl,
            "csv": self._csv,
            "parquet": self._parquet,
        }
        return readers[self.kind]()

    def _text_files(self) -> list[Path]:
        return sorted(p for p in self.path.rglob("*.txt") if p.is_file())

    def _folder(self) -> Iterator[Record]:
        for file in self._text_files():
            identifier = file.relative_to(self.path).with_suffix("").as_posix()
            try:
                text = read_text_file(file)
            except InputError as exc:
                yield Record(identifier, {self.id_field: identifier}, None, str(exc))
                continue
            fields = {self.id_field: identifier, self.text_field: text}
            yield Record(identifier, fields, text)

    def _jsonl(self) -> Iterator[Record]:
        with self.path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    fields = json.loads(line)
                except ValueError as exc:
                    yield _problem_record(number, self.id_field, f"line {number}: not JSON ({exc})")
                    continue
                if not isinstance(fields, dict):
                    problem = f"line {number}: a JSON object is needed, got {type(fields).__name__}"
                    yield _problem_record(number, self.id_field, problem)
                    continue
                yield make_record(fields, number, self.text_field, self.id_field)

    def _open_csv(self) -> Any:
        # A news article can be longer than the csv module's default field limit (128 KiB).
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        return self.path.open("r", encoding="utf-8-sig", newline="")

    def _csv(self) -> Iterator[Record]:
        with self._open_csv() as handle:
            reader = csv.DictReader(handle)
            for number, row in enumerate(reader, start=1):
                if None in row:
                    problem = f"row {number} has more values than the header has columns"
                    yield _problem_record(number, self.id_field, problem)
                    continue
                yield make_record(row, number, self.text_field, self.id_field)

    def _parquet(self) -> Iterator[Record]:
        position = 0
        for batch in _parquet().ParquetFile(self.path).iter_batches(batch_size=_PARQUET_ROWS):
            for row in batch.to_pylist():
                position += 1
                yield make_record(row, position, self.text_field, self.id_field)


def open_input(path: str | Path, text_field: str = "text", id_field: str = "id") -> InputSource:
    """The batch input at ``path``. See :class:`InputSource`."""
    return InputSource(path, text_field, id_field)


def format_of(path: Path, role: str) -> str:
    """``jsonl``, ``csv`` or ``parquet`` by the file's extension; ``role`` names it in errors."""
    suffix = path.suffix.lower()
    for kind, suffixes in (
        ("jsonl", JSONL_SUFFIXES),
        ("csv", CSV_SUFFIXES),
        ("parquet", PARQUET_SUFFIXES),
    ):
        if suffix in suffixes:
            return kind
    raise InputError(
        f"cannot tell the format of the {role} {path} from its name; expected one of: "
        ".jsonl, .ndjson, .csv, .parquet, or a folder"
    )


def _parquet() -> Any:
    """``pyarrow.parquet``, or a clear error saying how to install it."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "Parquet files need pyarrow; install it with: pip install 'mtsum[parquet]'"
        ) from None
    return pq


def to_json(value: Any, indent: int | None = None) -> str:
    """JSON text for an output record; dates, decimals and bytes from Parquet become text."""
    return json.dumps(value, ensure_ascii=False, indent=indent, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
