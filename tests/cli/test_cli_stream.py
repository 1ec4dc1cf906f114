"""``mtsum translate`` and ``mtsum run`` write the translation paragraph by paragraph as it is
made (to a terminal or a pipe); ``--json`` still prints one document at the end."""

from __future__ import annotations

import io
import json
from pathlib import Path

from mtsum.cli import main
from tests.cli.test_cli import article, cli_env  # noqa: F401 - the fixtures

__all__: list[str] = []


class Pipe(io.StringIO):
    """Standard output that remembers what was written at each flush."""

    def __init__(self) -> None:
        super().__init__()
        self.flushed: list[str] = []

    def flush(self) -> None:
        self.flushed.append(self.getvalue())
        super().flush()


def test_translate_writes_each_paragraph_as_it_is_made(article: Path) -> None:  # noqa: F811
    out = Pipe()
    assert main(["translate", str(article), "--source", "fr", "--target", "de"], out=out) == 0
    grown = [text for text in dict.fromkeys(out.flushed) if text]
    # One flush per paragraph (the article has three), each adding one.
    assert [text.count("\n\n") for text in grown[:3]] == [0, 1, 2]
    json_out = io.StringIO()
    argv = ["translate", str(article), "--source", "fr", "--target", "de", "--json"]
    assert main(argv, out=json_out) == 0
    assert out.getvalue() == json.loads(json_out.getvalue())["text"] + "\n"


def test_run_writes_the_head_then_paragraphs_then_the_summary(article: Path) -> None:  # noqa: F811
    out = Pipe()
    argv = ["run", str(article), "--target", "en", "--method", "extractive"]
    assert main(argv, out=out) == 0
    first = next(text for text in out.flushed if text)
    assert first.startswith("Language:  French (fr)") and "Translation (en)" in first
    assert "Summary (" not in first  # the summary comes after the paragraphs
    assert "Summary (en, extractive" in out.getvalue()
