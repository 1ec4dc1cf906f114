"""The ``mtsum`` command: output, JSON, standard input, exit codes and one-line errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mtsum.cli import main
from tests.support.texts import ARTICLE_EN, ARTICLE_FR

MTSUM = Path(sys.executable).parent / "mtsum"


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, registry_path: Path, tmp_path: Path) -> Path:
    monkeypatch.setenv("MTSUM_REGISTRY", str(registry_path))
    monkeypatch.setenv("MTSUM_MODEL_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("MTSUM_OFFLINE", "1")
    return tmp_path


def call(*argv: str, stdin: bytes | None = None) -> tuple[int, str]:
    out = io.StringIO()
    if stdin is not None:
        fake = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        old, sys.stdin = sys.stdin, fake
        try:
            return main(list(argv), out=out), out.getvalue()
        finally:
            sys.stdin = old
    return main(list(argv), out=out), out.getvalue()


@pytest.fixture
def article(cli_env: Path) -> Path:
    path = cli_env / "article-fr.txt"
    path.write_text(ARTICLE_FR, encoding="utf-8")
    return path


def test_run_json_prints_the_contract_result(article: Path) -> None:
    code, out = call("run", str(article), "--target", "de", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["detection"]["language"] == "fr"
    assert data["translation"]["route"] == ["fr-en", "en-de"]
    assert data["summary"]["language"] == "de"


def test_run_text_output_has_every_section(article: Path) -> None:
    code, out = call("run", str(article), "--target", "de", "--method", "extractive")
    assert code == 0
    assert "Language:  French (fr)" in out
    assert "Route:     fr → en → de" in out
    assert "Translation (de)" in out and "Summary (de, extractive" in out


def test_reads_standard_input(cli_env: Path) -> None:
    code, out = call("detect", "--json", stdin=ARTICLE_FR.encode())
    assert code == 0
    assert json.loads(out)["language"] == "fr"


def test_translate_prints_only_the_translation(article: Path) -> None:
    code, out = call("translate", str(article), "--target", "en")
    assert code == 0
    assert out.count("\n\n") == 2  # three paragraphs


def test_summarize_json(cli_env: Path) -> None:
    path = cli_env / "en.txt"
    path.write_text(ARTICLE_EN, encoding="utf-8")
    code, out = call("summarize", str(path), "--words", "40", "--method", "extractive", "--json")
    assert code == 0
    assert json.loads(out)["method"] == "extractive"


def test_detect_text_output(article: Path) -> None:
    code, out = call("detect", str(article))
    assert code == 0
    assert out.splitlines()[0].startswith("fr  French  ")


Maker = Callable[[Path], Path]


def _empty(d: Path) -> Path:
    p = d / "empty.txt"
    p.write_text("  \n", encoding="utf-8")
    return p


def _binary(d: Path) -> Path:
    p = d / "image.txt"
    p.write_bytes(bytes(range(256)) * 10)
    return p


def _latin1(d: Path) -> Path:
    p = d / "latin1.txt"
    p.write_bytes("Le café est très réputé à Paris.".encode("latin-1"))
    return p


def _digits(d: Path) -> Path:
    p = d / "digits.txt"
    p.write_text("123 456 789", encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (_empty, "empty"),
        (_binary, "binary file"),
        (_latin1, "not valid UTF-8"),
        (_digits, "no letters"),
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a folder"),
    ],
)
def test_bad_input_files_exit_2_with_one_line(
    cli_env: Path, capsys: pytest.CaptureFixture[str], make: Maker, fragment: str
) -> None:
    code, out = call("run", str(make(cli_env)))
    err = capsys.readouterr().err
    assert code == 2
    assert out == ""
    [line] = err.strip().splitlines()
    assert line.startswith("mtsum: error: ")
    assert fragment in line


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--words", "many"],
        ["run", "--method", "poetry"],
        ["frobnicate"],
        ["models", "pull"],
    ],
)
def test_usage_errors_exit_2(
    cli_env: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, _ = call(*argv)
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("mtsum: error: ")
    assert len(err.strip().splitlines()) == 1


def test_bare_mtsum_prints_the_help_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = call()
    assert code == 0
    assert out.startswith("usage: mtsum")
    for command in ("run", "detect", "translate", "summarize", "serve", "models"):
        assert command in out
    assert capsys.readouterr().err == ""


def test_unsupported_target_exits_2_listing_languages(
    article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = call("run", str(article), "--target", "xx")
    assert code == 2
    assert "supported: de, en, es, fr, it" in capsys.readouterr().err


def test_unavailable_model_exits_3_naming_model_and_pull_command(
    article: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    registry_variant,  # type: ignore[no-untyped-def]
) -> None:
    path = registry_variant(translation={"fr-en": "Helsinki-NLP/opus-mt-fr-en"})
    monkeypatch.setenv("MTSUM_REGISTRY", str(path))
    code, out = call("run", str(article), "--target", "en")
    err = capsys.readouterr().err.strip()
    assert code == 3
    assert out == ""
    assert err.startswith("mtsum: error: model Helsinki-NLP/opus-mt-fr-en is unavailable")
    assert err.endswith("fetch it with: mtsum models pull fr-en")


def test_bad_setting_exits_2(
    article: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MTSUM_MAX_CHARS", "huge")
    code, _ = call("run", str(article))
    assert code == 2
    assert "MTSUM_MAX_CHARS" in capsys.readouterr().err


def test_internal_error_exits_1_and_says_it_is_a_bug(
    article: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr("mtsum.pipeline.Pipeline.run", broken)
    monkeypatch.setattr("mtsum.pipeline.Pipeline.stream", broken)  # text output streams
    code, _ = call("run", str(article))
    assert code == 1
    assert "internal error (a bug" in capsys.readouterr().err


def test_models_list_shows_each_entry_and_its_status(cli_env: Path) -> None:
    code, out = call("models", "list", "--json")
    rows = {row["name"]: row for row in json.loads(out)}
    assert code == 0
    assert {"fr-en", "en-mul", "summarize:en"} <= set(rows)
    assert rows["fr-en"]["status"] == "local folder"


def test_models_pull_of_local_folders_downloads_nothing(cli_env: Path) -> None:
    code, out = call("models", "pull", "fr-de")
    assert code == 0
    assert "fr-en: local folder" in out and "en-de: local folder" in out


def test_models_pull_unknown_name_exits_2(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = call("models", "pull", "klingon")
    assert code == 2
    assert "no model named 'klingon'" in capsys.readouterr().err


def test_installed_command_end_to_end(registry_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE_EN, encoding="utf-8")
    env = {**os.environ, "MTSUM_REGISTRY": str(registry_path), "MTSUM_MODEL_DIR": str(tmp_path)}
    done = subprocess.run(
        [str(MTSUM), "run", str(path), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["detection"]["language"] == "en"
    assert data["translation"]["route"] == []
    assert data["summary"]["method"] == "abstractive"
    assert data["stats"]["sentences"] == 24


def test_run_text_output_marks_the_flagged_sentences(article: Path) -> None:
    # The tiny random models loop on every sentence, so the checks flag them.
    code, out = call("run", str(article), "--target", "en", "--method", "extractive")
    assert code == 0
    assert "Sentences that may be wrong" in out
    assert "! sentence 1: " in out and "repetition" in out
    assert "Sources:   1 ← " in out


def test_run_json_has_segments_flags_and_sources(article: Path) -> None:
    code, out = call("run", str(article), "--target", "en", "--json", "--method", "extractive")
    assert code == 0
    data = json.loads(out)
    assert data["translation"]["segments"][0]["source"]
    assert {flag["kind"] for flag in data["translation"]["flags"]} >= {"repetition"}
    assert all(len(indices) == 1 for indices in data["summary"]["sources"])


def test_translate_prints_flags_on_standard_error(
    article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = call("translate", str(article), "--target", "en")
    assert code == 0
    assert "mtsum: flag: translation sentence 1 (repetition)" in capsys.readouterr().err
    assert "mtsum: flag" not in out


# ---- global flags, models pull offline -----------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ("detect", "{file}", "-v", "--json"),
        ("detect", "{file}", "--progress", "--debug"),
        ("detect", "{file}", "--no-progress", "-vv"),
        ("-v", "detect", "{file}", "--progress"),
        ("models", "list", "-v"),
    ],
)
def test_global_flags_work_after_the_subcommand_too(article: Path, argv: tuple[str, ...]) -> None:
    code, _ = call(*(arg.format(file=article) for arg in argv))
    assert code == 0


def test_flags_after_the_subcommand_take_effect() -> None:
    from mtsum.cli import build_parser

    args = build_parser().parse_args(["detect", "x.txt", "-v", "--no-progress"])
    assert args.verbose == 1 and args.progress is False
    args = build_parser().parse_args(["--progress", "models", "pull", "fr-en"])
    assert args.progress is True and args.verbose == 0 and args.debug is False


def test_models_pull_offline_says_what_to_do_instead_of_pointing_at_itself(
    cli_env: Path,
    registry_variant: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MTSUM_REGISTRY", str(registry_variant(translation={"fr-en": "Org/fr-en"})))
    code, _ = call("models", "pull", "fr-en")
    assert code == 3
    error = capsys.readouterr().err
    assert "no network" in error and "HF_ENDPOINT" in error and "HF_HUB_OFFLINE" in error
    assert str(cli_env / "store") in error  # where a copied model folder goes
    assert "mtsum models pull" not in error
