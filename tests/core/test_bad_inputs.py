"""The table of hostile inputs through the Python API and the CLI: an answer, never a crash."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

import mtsum
from mtsum import Pipeline
from mtsum.cli import main
from mtsum.inputs import decode_text
from tests.support.bad_inputs import CASES, Case


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_python_api(pipeline: Pipeline, case: Case) -> None:
    if case.upload_only:
        pytest.skip("about the web page's upload (file types, names); the API takes no file")
    text = case.text if isinstance(case.text, str) else None
    if text is None:
        # Bytes reach the API only through the file readers, which must refuse them clearly.
        with pytest.raises(mtsum.InputError, match=case.fragment):
            decode_text(case.text, "upload")  # type: ignore[arg-type]
        return
    if case.error:
        with pytest.raises(getattr(mtsum, case.error), match=case.fragment):
            pipeline.run(text, **case.options)
        return
    result = pipeline.run(text, **{"method": "extractive", **case.options}).to_dict()
    assert case.check is not None, case.id
    assert not case.check.problems(result)


def _argv(case: Case, path: Path) -> list[str]:
    argv = ["run", str(path), "--json"]
    # Summaries have their own tests; the table is about getting the input through safely.
    for name, value in {"method": "extractive", **case.options}.items():
        argv += [f"--{name}", str(value)]
    return argv


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cli(
    case: Case,
    tmp_path: Path,
    registry_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if case.upload_only:
        pytest.skip("about the web page's upload (file types, names); the CLI reads any file")
    monkeypatch.setenv("MTSUM_REGISTRY", str(registry_path))
    monkeypatch.setenv("MTSUM_OFFLINE", "1")
    path = tmp_path / "input.txt"
    data = case.text.encode("utf-8") if isinstance(case.text, str) else case.text
    path.write_bytes(data)
    out = io.StringIO()
    code = main(_argv(case, path), out=out)
    err = capsys.readouterr().err
    if case.error:
        assert code == 2, err
        assert err.startswith("mtsum: error: ")
        # argparse refuses a non-numeric --words or unknown --method itself, in its own words.
        assert case.fragment in err or "invalid int value" in err or "invalid choice" in err
        return
    assert code == 0, err
    result: dict[str, Any] = json.loads(out.getvalue())
    assert case.check is not None, case.id
    assert not case.check.problems(result)
