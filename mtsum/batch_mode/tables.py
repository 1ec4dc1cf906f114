"""CSV and Parquet as batch output: one part file per chunk, and the merge of parts into one.

Both are tables, so a record's nested values are stored as JSON text: ``result`` and ``error``
always, and any input field holding a list or an object. Records from a JSONL input need not
share their fields; a table gets the union of the columns, in the order they were first seen,
and a record without a column gets an empty cell (CSV) or null (Parquet). Merging streams the
sources one at a time, so memory stays at one part however long the output.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .records import RESERVED_FIELDS, _parquet, to_json

__all__ = ["CsvFormat", "ParquetFormat"]


def _columns(records: Sequence[dict[str, Any]], id_field: str | None = None) -> list[str]:
    """The union of the records' fields, first-seen order, with ``result``/``error`` last."""
    seen: dict[str, None] = {id_field: None} if id_field else {}
    for record in records:
        seen.update(dict.fromkeys(record))
    return [c for c in seen if c not in RESERVED_FIELDS] + list(RESERVED_FIELDS)


def _cell(value: Any, column: str) -> Any:
    """A value as a table cell: nested data and the result or error become JSON text."""
    if value is None:
        return None
    if column in RESERVED_FIELDS or isinstance(value, (dict, list, tuple)):
        return to_json(value)
    return value


class CsvFormat:
    """Comma-separated values with a header, UTF-8."""

    suffix = ".csv"

    def __init__(self, id_field: str) -> None:
        self.id_field = id_field

    def columns(self, path: Path) -> list[str]:
        with path.open("r", encoding="utf-8", newline="") as handle:
            return next(csv.reader(handle), [])

    def keys(self, path: Path) -> Iterator[str]:
        with path.open("r", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                yield row.get(self.id_field) or ""

    def write(self, path: Path, records: Sequence[dict[str, Any]]) -> None:
        columns = _columns(records, self.id_field)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, restval="")
            writer.writeheader()
            for record in records:
                row = {c: _cell(record.get(c), c) for c in columns}
                writer.writerow({c: "" if v is None else v for c, v in row.items()})

    def merge(self, path: Path, sources: Sequence[Path]) -> None:
        id_field = self.id_field
        columns: dict[str, None] = {}
        for source in sources:
            with source.open("r", encoding="utf-8", newline="") as handle:
                columns.update(dict.fromkeys(next(csv.reader(handle), [])))
        ordered = [c for c in columns if c not in RESERVED_FIELDS] + list(RESERVED_FIELDS)
        seen: set[str] = set()
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=ordered, restval="")
            writer.writeheader()
            for source in sources:
                with source.open("r", encoding="utf-8", newline="") as handle:
                    for row in csv.DictReader(handle):
                        key = row.get(id_field) or ""
                        if key in seen:
                            continue
                        seen.add(key)
                        writer.writerow(row)


class ParquetFormat:
    """Apache Parquet (pyarrow). Input columns keep their types; mixed types become text."""

    suffix = ".parquet"

    def __init__(self, id_field: str) -> None:
        self.id_field = id_field

    def columns(self, path: Path) -> list[str]:
        return list(_parquet().read_schema(path).names)

    def keys(self, path: Path) -> Iterator[str]:
        pq = _parquet()
        table = pq.read_table(path, columns=[self.id_field])
        for value in table.column(0).to_pylist():
            yield str(value)

    def write(self, path: Path, records: Sequence[dict[str, Any]]) -> None:
        import pyarrow as pa

        arrays, names = [], []
        for column in _columns(records, self.id_field):
            values = [_cell(record.get(column), column) for record in records]
            try:
                array = pa.array(values)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                # One field with values of several types (a JSONL input): keep them as JSON.
                array = pa.array([None if v is None else json.dumps(v) for v in values])
            if column in RESERVED_FIELDS:
                array = array.cast(pa.string())
            arrays.append(array)
            names.append(column)
        _parquet().write_table(pa.table(arrays, names=names), path)

    def merge(self, path: Path, sources: Sequence[Path]) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        pq = _parquet()
        schema = _unified_schema([pq.read_schema(source) for source in sources])
        seen: set[str] = set()
        with pq.ParquetWriter(path, schema) as writer:
            for source in sources:
                file = pq.ParquetFile(source)
                for batch in file.iter_batches():
                    table = pa.Table.from_batches([batch])
                    if self.id_field not in table.column_names:
                        continue
                    keys = [str(v) for v in table.column(self.id_field).to_pylist()]
                    keep = []
                    for key in keys:
                        keep.append(key not in seen)
                        seen.add(key)
                    table = table.filter(pa.array(keep, pa.bool_()))
                    columns = [
                        _fit(table.column(f.name), f.type, pc)
                        if f.name in table.column_names
                        else pa.nulls(table.num_rows, f.type)
                        for f in schema
                    ]
                    writer.write_table(pa.table(columns, schema=schema))


def _unified_schema(schemas: Sequence[Any]) -> Any:
    """One schema for all parts: a column's types promoted where they can be, else text."""
    import pyarrow as pa

    types: dict[str, list[Any]] = {}
    for schema in schemas:
        for field in schema:
            types.setdefault(field.name, []).append(field.type)
    fields = []
    for name, found in types.items():
        known = [t for t in found if not pa.types.is_null(t)]
        if not known:
            fields.append(pa.field(name, pa.null()))
            continue
        try:
            merged = pa.unify_schemas(
                [pa.schema([(name, t)]) for t in known], promote_options="permissive"
            )
            fields.append(merged.field(name))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            fields.append(pa.field(name, pa.string()))
    ordered = [f for f in fields if f.name not in RESERVED_FIELDS]
    ordered += [f for f in fields if f.name in RESERVED_FIELDS]
    return pa.schema(ordered)


def _fit(column: Any, wanted: Any, pc: Any) -> Any:
    """``column`` as type ``wanted``; values that do not convert become JSON text."""
    import pyarrow as pa

    if column.type == wanted:
        return column
    try:
        return pc.cast(column, wanted)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        values = column.to_pylist()
        return pa.array([None if v is None else json.dumps(v, default=str) for v in values])
