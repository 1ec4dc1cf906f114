"""``mtsum translate FILE -o OUT``: documents written back in their own format."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest

from mtsum.cli import main
from mtsum.results import Translation
from tests.support.docbuilders import MARKDOWN, make_report_docx


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, registry_path: Path, tmp_path: Path) -> Path:
    monkeypatch.setenv("MTSUM_REGISTRY", str(registry_path))
    monkeypatch.setenv("MTSUM_MODEL_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("MTSUM_OFFLINE", "1")
    return tmp_path


def call(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_docx_in_docx_out_with_the_same_structure(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import docx

    source, target = cli_env / "rapport.docx", cli_env / "report.docx"
    source.write_bytes(make_report_docx())
    code, out = call(
        "translate", str(source), "--source", "fr", "--target", "en", "-o", str(target)
    )
    assert (code, out) == (0, "")
    # What was written is confirmed on standard error, so the output stays clean for pipes.
    confirmed = capsys.readouterr().err
    assert f"mtsum: wrote {target}" in confirmed
    assert "from French into English" in confirmed
    assert f"{target.stat().st_size:,} bytes" in confirmed
    before, after = docx.Document(str(source)), docx.Document(str(target))
    assert [p.style.name for p in after.paragraphs] == [p.style.name for p in before.paragraphs]
    assert after.tables[0].cell(1, 1).text == "520 000"


def test_dash_writes_the_translated_markdown_to_stdout(cli_env: Path) -> None:
    source = cli_env / "note.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    code, out = call("translate", str(source), "--source", "fr", "--target", "fr", "-o", "-")
    assert (code, out) == (0, MARKDOWN)


def test_json_with_an_output_file_prints_the_translation_and_its_file(cli_env: Path) -> None:
    source, target = cli_env / "note.md", cli_env / "note.en.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    code, out = call(
        "translate", str(source), "--source", "fr", "--target", "en", "-o", str(target), "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["file"]["format"] == "md" and data["route"] == ["fr-en"]
    assert isinstance(data["warnings"], list)
    assert "```python\nprint('bonjour le monde')\n```" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "out_name", "extra", "message"),
    [
        ("a.docx", "a.html", (), "can be written as .docx or .txt"),
        ("a.md", "-", ("--json",), "--json and -o -"),
        ("a.xlsx", "b.xlsx", (), "not supported"),
        ("missing.docx", "b.docx", (), "no such file"),
    ],
)
def test_bad_document_requests_exit_2_with_one_line(
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    out_name: str,
    extra: tuple[str, ...],
    message: str,
) -> None:
    if name != "missing.docx":
        (cli_env / name).write_bytes(make_report_docx() if name.endswith("docx") else b"Un texte.")
    output = out_name if out_name == "-" else str(cli_env / out_name)
    code, _ = call("translate", str(cli_env / name), "--target", "en", "-o", output, *extra)
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("mtsum: error:") and message in err


def test_the_output_may_not_be_the_input(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = cli_env / "a.txt"
    source.write_text("Un texte.", encoding="utf-8")
    code, _ = call("translate", str(source), "--target", "en", "-o", str(source))
    assert code == 2 and "input file itself" in capsys.readouterr().err
    assert source.read_text(encoding="utf-8") == "Un texte."


def test_a_documents_flags_are_in_its_json_and_on_stderr(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mtsum.pipeline import Pipeline
    from mtsum.results import Flag

    translate = Pipeline.translate

    def flagged(self: Pipeline, *args: Any, **kwargs: Any) -> Translation:
        translation = translate(self, *args, **kwargs)
        return dataclasses.replace(
            translation, flags=(Flag(sentence=0, kind="repetition", detail="«x x x»"),)
        )

    monkeypatch.setattr(Pipeline, "translate", flagged)
    source, target = cli_env / "note.md", cli_env / "note.en.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    code, out = call(
        "translate", str(source), "--source", "fr", "--target", "en", "-o", str(target), "--json"
    )
    assert code == 0
    assert json.loads(out)["flags"] == [{"sentence": 0, "kind": "repetition", "detail": "«x x x»"}]
    assert "mtsum: flag: translation sentence 1 (repetition)" in capsys.readouterr().err
