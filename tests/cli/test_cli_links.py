"""``mtsum run URL`` and ``mtsum translate URL``: the article is fetched (the user is the
operator: this machine's own site is fine), shown on standard error first, and the JSON
records its link and title."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from mtsum.cli import main
from tests.support.newsserver import ARTICLE_PARAGRAPHS, TITLE, news_site


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with news_site() as (url, _):
        yield url


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, registry_path: Path, tmp_path: Path) -> Path:
    monkeypatch.setenv("MTSUM_REGISTRY", str(registry_path))
    monkeypatch.setenv("MTSUM_MODEL_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("MTSUM_OFFLINE", "1")
    monkeypatch.delenv("MTSUM_ALLOW_URLS", raising=False)  # the CLI does not need it
    return tmp_path


def call(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_run_url_json_records_the_link_and_title(
    cli_env: Path, base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{base}/news"
    code, out = call("run", url, "--source", "fr", "--method", "extractive", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["source_url"] == url and data["title"] == TITLE
    assert data["stats"]["paragraphs"] == 1 + len(ARTICLE_PARAGRAPHS)
    shown = capsys.readouterr().err
    assert f"mtsum: article: {TITLE}" in shown and "Claire Dubois, 2026-11-28" in shown


def test_translate_url_prints_the_translation_and_json_names_the_link(
    cli_env: Path, base: str
) -> None:
    url = f"{base}/news"
    code, out = call("translate", url, "--source", "fr", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["source_url"] == url and data["title"] == TITLE
    assert len(data["text"].split("\n\n")) == 1 + len(ARTICLE_PARAGRAPHS)


@pytest.mark.parametrize(
    ("path", "fragment"),
    [("/loop/0", "redirects more than 5 times"), ("/gone", "answered 404")],
)
def test_a_refused_link_is_exit_2_with_its_reason(
    cli_env: Path, base: str, capsys: pytest.CaptureFixture[str], path: str, fragment: str
) -> None:
    code, _ = call("run", f"{base}{path}")
    assert code == 2
    assert fragment in capsys.readouterr().err


def test_translate_url_with_output_file_says_what_to_do(
    cli_env: Path, base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = call("translate", f"{base}/news", "-o", str(cli_env / "out.docx"))
    assert code == 2
    assert "leave out -o" in capsys.readouterr().err
