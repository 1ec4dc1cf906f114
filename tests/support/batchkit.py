"""Helpers shared by the batch-mode tests: documents, a fast pipeline, reading outputs back."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from mtsum import Settings
from tests.support.texts import ARTICLE_DE, ARTICLE_EN, ARTICLE_FR, SAMPLES

# Documents of several routes (fr-en, de-en, none, es via mul-en) and two that fail: an empty
# text and a language without a route (ru).
DOCUMENTS: dict[str, str] = {
    "fr-long": ARTICLE_FR,
    "fr-short": SAMPLES["fr"],
    "de-long": ARTICLE_DE,
    "en": SAMPLES["en"],
    "empty": "",
    "es": SAMPLES["es"],
    "ru": SAMPLES["ru"],
    "de-short": SAMPLES["de"],
    "fr-part": ARTICLE_FR.split("\n\n")[1],
    "en-long": ARTICLE_EN,
}
FAILING = {"empty", "ru"}


def batch_settings(settings: Settings) -> Settings:
    """The session settings with one torch thread.

    Tiny models gain nothing from a second thread, and on a machine shared with other jobs
    two spinning threads per process made each step about 20x slower.
    """
    return settings.replace(threads=1)


def records(names: list[str] | None = None) -> list[dict[str, Any]]:
    """Input records: id, text and an extra field that the output must keep."""
    chosen = names if names is not None else list(DOCUMENTS)
    return [
        {"id": name, "text": DOCUMENTS[name], "section": f"s-{i}"} for i, name in enumerate(chosen)
    ]


def without_timings(record: dict[str, Any]) -> dict[str, Any]:
    """An output record with the seconds (which differ from run to run) removed."""
    copy = json.loads(json.dumps(record))
    if "result" in copy:
        copy["result"]["stats"].pop("seconds")
    return copy


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def read_csv(path: Path) -> list[dict[str, Any]]:
    """CSV output rows with ``result``/``error`` parsed back from JSON text."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for column in ("result", "error"):
            if row.get(column):
                row[column] = json.loads(row[column])
            else:
                row.pop(column, None)
    return rows


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Rows keyed by id, refusing duplicates."""
    keyed: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = str(row["id"])
        assert key not in keyed, f"duplicate id {key}"
        keyed[key] = row
    return keyed
