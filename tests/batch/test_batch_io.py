"""Batch input and output formats: round trips, bad records, resuming, safe file names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import mtsum
from mtsum import InputError, Pipeline, Request, Settings
from mtsum.batch_mode import BatchOptions, BatchSummary, run_batch
from mtsum.batch_mode.sinks import open_output
from tests.support.batchkit import (
    batch_settings,
    by_id,
    read_csv,
    read_jsonl,
    records,
    without_timings,
    write_jsonl,
)

# Short texts keep these tests quick; the fr and de ones need a translation, "empty" fails.
NAMES = ["fr-short", "de-short", "en", "empty"]
OPTIONS = BatchOptions(Request(target="en", method="extractive"), window=2)


@pytest.fixture(scope="module")
def fast_pipeline(settings: Settings) -> Pipeline:
    """A pipeline of this module's own on the tiny models, with one torch thread."""
    return Pipeline(batch_settings(settings))


def _run(pipeline: Pipeline, source: Path, output: Path, **kwargs: Any) -> BatchSummary:
    return run_batch(source, output, kwargs.pop("options", OPTIONS), pipeline=pipeline, **kwargs)


def _check_outputs(rows: list[dict[str, Any]]) -> None:
    """Every input record once, fields kept, a result or (for "empty") an error."""
    keyed = by_id(rows)
    assert set(keyed) == set(NAMES)
    for name, row in keyed.items():
        assert row["section"] == f"s-{NAMES.index(name)}"
        if name == "empty":
            assert row["error"]["type"] == "InputError"
            assert "empty" in row["error"]["message"]
            assert "result" not in row
        else:
            assert set(row["result"]) == {
                "detection",
                "translation",
                "summary",
                "stats",
                "warnings",
            }
            assert row["result"]["translation"]["target"] == "en"


def test_jsonl_round_trip_keeps_fields_and_adds_results(
    fast_pipeline: Pipeline, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", records(NAMES))
    summary = _run(fast_pipeline, source, tmp_path / "out.jsonl")
    assert (summary.done, summary.failed, summary.skipped) == (4, 1, 0)
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert [row["id"] for row in rows] == NAMES  # local mode keeps the input order
    _check_outputs(rows)


def test_csv_round_trip_stores_results_as_json_text(
    fast_pipeline: Pipeline, tmp_path: Path
) -> None:
    import csv

    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "text", "section"])
        writer.writeheader()
        writer.writerows(records(NAMES))
    _run(fast_pipeline, source, tmp_path / "out.csv")
    _check_outputs(read_csv(tmp_path / "out.csv"))
    assert not (tmp_path / "out.csv.parts").exists()


def test_parquet_round_trip_keeps_column_types(fast_pipeline: Pipeline, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (mtsum[parquet])")
    import pyarrow.parquet as pq

    rows = [{**row, "year": 2000 + i} for i, row in enumerate(records(NAMES))]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet")
    _run(fast_pipeline, tmp_path / "in.parquet", tmp_path / "out.parquet")
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.schema.field("year").type == pa.int64()
    out = []
    for row in table.to_pylist():
        for column in ("result", "error"):
            if row[column] is None:
                del row[column]
            else:
                row[column] = json.loads(row[column])
        out.append(row)
    _check_outputs(out)


def test_folder_of_text_files_to_folder_of_json(fast_pipeline: Pipeline, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    (folder / "week1").mkdir(parents=True)
    (folder / "week1" / "a.txt").write_text(records(["fr-short"])[0]["text"], encoding="utf-8")
    (folder / "b.txt").write_text(records(["de-short"])[0]["text"], encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Le café est très bon à Paris.".encode("latin-1"))
    (folder / "notes.md").write_text("not a .txt file, not an input", encoding="utf-8")
    summary = _run(fast_pipeline, folder, tmp_path / "out")
    assert (summary.done, summary.failed) == (3, 1)
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["b.json", "latin1.json", "week1%2Fa.json"]
    record = json.loads((tmp_path / "out" / "week1%2Fa.json").read_text(encoding="utf-8"))
    assert record["id"] == "week1/a" and record["result"]["detection"]["language"] == "fr"
    bad = json.loads((tmp_path / "out" / "latin1.json").read_text(encoding="utf-8"))
    assert "not valid UTF-8" in bad["error"]["message"]


def test_bad_lines_and_records_become_errors_and_the_batch_goes_on(
    fast_pipeline: Pipeline, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": records(["fr-short"])[0]["text"]}),
        "{this is not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "no-text", "body": "the text is in another field"}),
        json.dumps({"id": "number", "text": 42}),
        json.dumps({"id": "clash", "text": "Bonjour", "result": "old"}),
        json.dumps({"text": records(["de-short"])[0]["text"]}),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = _run(fast_pipeline, source, tmp_path / "out.jsonl")
    keyed = by_id(read_jsonl(tmp_path / "out.jsonl"))
    assert (summary.done, summary.failed) == (7, 5)
    assert "result" in keyed["a"] and "result" in keyed["7"]  # no id: its line number
    assert "not JSON" in keyed["2"]["error"]["message"]
    assert "JSON object is needed" in keyed["3"]["error"]["message"]
    assert "--text-field" in keyed["no-text"]["error"]["message"]
    assert "must be a string" in keyed["number"]["error"]["message"]
    assert "rename that field" in keyed["clash"]["error"]["message"]


def test_rerun_skips_records_already_done(fast_pipeline: Pipeline, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", records(NAMES[:2]))
    _run(fast_pipeline, source, tmp_path / "out.jsonl")
    write_jsonl(source, records(NAMES))
    summary = _run(fast_pipeline, source, tmp_path / "out.jsonl")
    assert (summary.done, summary.skipped) == (2, 2)
    _check_outputs(read_jsonl(tmp_path / "out.jsonl"))


def test_torn_jsonl_tail_is_cut_and_redone(fast_pipeline: Pipeline, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", records(NAMES))
    output = tmp_path / "out.jsonl"
    _run(fast_pipeline, source, output)
    complete = read_jsonl(output)
    data = output.read_bytes()
    last = data.rstrip(b"\n").rfind(b"\n") + 1
    output.write_bytes(data[: last + 25])  # a crash in the middle of the last line
    summary = _run(fast_pipeline, source, output)
    assert (summary.done, summary.skipped) == (1, 3)
    assert [without_timings(r) for r in read_jsonl(output)] == [
        without_timings(r) for r in complete
    ]


def test_damaged_jsonl_output_is_refused_not_overwritten(
    fast_pipeline: Pipeline, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", records(NAMES))
    output = tmp_path / "out.jsonl"
    output.write_text('not a record\n{"id": "x", "result": {}}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"line 1 of .* is not a batch output record"):
        _run(fast_pipeline, source, output)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_parts_of_an_interrupted_run_are_merged_without_duplicates(
    fast_pipeline: Pipeline, tmp_path: Path, suffix: str
) -> None:
    if suffix == ".parquet":
        pytest.importorskip("pyarrow", reason="pyarrow is not installed (mtsum[parquet])")
    source = write_jsonl(tmp_path / "in.jsonl", records(NAMES))
    output = tmp_path / f"out{suffix}"
    # A previous run wrote the merged output of two records, then a part with one of them
    # again (killed between merge and clean-up) and a temporary file (killed mid-write).
    _run(fast_pipeline, write_jsonl(tmp_path / "first.jsonl", records(NAMES[:2])), output)
    previous = open_output(output, "id")
    previous.done_keys()
    previous.write([{"id": NAMES[1], "text": "stale copy", "section": "s-1", "result": {}}])
    (output.with_name(output.name + ".parts") / ".part-000009.parquet.123.tmp").write_text("x")
    summary = _run(fast_pipeline, source, output)
    assert (summary.done, summary.skipped) == (2, 2)
    rows = read_csv(output) if suffix == ".csv" else _parquet_rows(output)
    _check_outputs(rows)
    assert not output.with_name(output.name + ".parts").exists()


def _parquet_rows(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    rows = []
    for row in pq.read_table(path).to_pylist():
        for column in ("result", "error"):
            if row[column] is None:
                del row[column]
            else:
                row[column] = json.loads(row[column])
        rows.append(row)
    return rows


def test_duplicate_ids_are_done_once_and_reported(fast_pipeline: Pipeline, tmp_path: Path) -> None:
    rows = [*records(NAMES), {"id": "en", "text": "A second record with the same id."}]
    summary = _run(fast_pipeline, write_jsonl(tmp_path / "in.jsonl", rows), tmp_path / "o.jsonl")
    assert summary.duplicates == 1 and "en" in summary.line()
    assert len(read_jsonl(tmp_path / "o.jsonl")) == len(NAMES)


def test_ids_never_name_a_path_outside_the_output_folder(tmp_path: Path) -> None:
    sink = open_output(tmp_path / "out", "id")
    ids = ["../escape", "/etc/passwd", ".hidden", "x" * 500, "a b?c"]
    sink.write([{"id": i, "error": {"type": "InputError", "message": "-"}} for i in ids])
    names = [p.name for p in (tmp_path / "out").iterdir()]
    assert len(names) == len(ids) and not (tmp_path / "escape.json").exists()
    assert all(not n.startswith(".") and "/" not in n and len(n) < 255 for n in names)
    assert open_output(tmp_path / "out", "id").done_keys() == set(ids)


def test_unknown_formats_and_same_paths_are_refused(
    fast_pipeline: Pipeline, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", records(NAMES))
    with pytest.raises(InputError, match=r"expected one of: \.jsonl"):
        _run(fast_pipeline, source, tmp_path / "out.xlsx")
    with pytest.raises(InputError, match="the same path"):
        _run(fast_pipeline, source, source)
    with pytest.raises(InputError, match="no such file"):
        _run(fast_pipeline, tmp_path / "missing.jsonl", tmp_path / "out.jsonl")


def test_python_api_yields_one_output_per_record_in_order(fast_pipeline: Pipeline) -> None:
    inputs: list[Any] = [records(["fr-short"])[0], "", records(["de-short"])[0]["text"]]
    out = list(mtsum.batch(inputs, method="extractive", window=2, pipeline=fast_pipeline))
    assert [row["id"] for row in out] == ["fr-short", 2, 3]
    assert "result" in out[0] and out[1]["error"]["type"] == "InputError" and "result" in out[2]
    assert out[2]["text"] == records(["de-short"])[0]["text"]


def test_python_api_checks_options_before_reading_records(fast_pipeline: Pipeline) -> None:
    def never() -> Any:
        raise AssertionError("records were read")
        yield

    with pytest.raises(InputError, match="invalid method"):
        mtsum.batch(never(), method="poetic", pipeline=fast_pipeline)


def test_an_existing_table_without_ids_is_refused_not_merged_away(
    fast_pipeline: Pipeline, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", records(NAMES))
    output = tmp_path / "out.csv"
    output.write_text("name,value\na,1\nb,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="has no 'id' column"):
        _run(fast_pipeline, source, output)
    assert output.read_text(encoding="utf-8") == "name,value\na,1\nb,2\n"


def test_a_missing_model_holds_back_its_records_and_the_rest_goes_on(
    settings: Settings,
    tmp_path: Path,
    registry_variant,  # type: ignore[no-untyped-def]
) -> None:
    # de-en points at a folder that does not exist: German records cannot be translated.
    path = registry_variant(translation={"de-en": "./not-there"})
    pipeline = Pipeline(batch_settings(settings).replace(registry_path=path))
    source = write_jsonl(tmp_path / "in.jsonl", records(NAMES))
    output = tmp_path / "out.jsonl"
    summary = _run(pipeline, source, output)
    written = by_id(read_jsonl(output))
    assert set(written) == {"fr-short", "en", "empty"}  # the French and English went through
    assert summary.deferred == 1
    assert "not-there" in summary.deferred_reason
    assert "left for later" in summary.line()
    # After the model is repaired, the same command completes what was held back.
    fixed = Pipeline(batch_settings(settings))
    again = _run(fixed, source, output)
    assert again.deferred == 0
    assert set(by_id(read_jsonl(output))) == set(NAMES)
    assert again.skipped == 3


def test_batch_command_exits_3_after_finishing_what_it_could(
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    registry_variant,  # type: ignore[no-untyped-def]
) -> None:
    from mtsum.cli import main

    monkeypatch.setenv(
        "MTSUM_REGISTRY", str(registry_variant(translation={"de-en": "./not-there"}))
    )
    monkeypatch.setenv("MTSUM_OFFLINE", "1")
    monkeypatch.setenv("MTSUM_THREADS", "1")
    source = write_jsonl(tmp_path / "in.jsonl", records(NAMES))
    output = tmp_path / "out.jsonl"
    code = main(["--no-progress", "batch", str(source), str(output), "--method", "extractive"])
    err = capsys.readouterr().err
    assert code == 3
    assert "1 record(s) were left for later" in err
    assert len(read_jsonl(output)) == 3
