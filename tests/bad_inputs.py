"""One table of hostile and odd inputs, and the answer each must get, for every face.

Each case is run through the Python API and the CLI (and the web faces, where they exist):
either a correct result that passes ``check``, or a typed error whose message contains
``fragment`` (CLI exit code 2, HTTP 400 or 413).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.texts import ARTICLE_FR, SAMPLES


@dataclass(frozen=True)
class Case:
    """One input and its expected answer.

    Attributes:
        id: the test id.
        text: the text given (``bytes`` are what a file or upload would carry).
        options: run() keyword arguments besides the text.
        error: the expected exception class name (``InputError``...), or None for a result.
        fragment: a piece of the expected error message.
        check: a predicate on the result dict when a result is expected.
        status: the HTTP status a web face must answer with, for errors.
    """

    id: str
    text: str | bytes
    options: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    fragment: str = ""
    check: Callable[[dict[str, Any]], bool] | None = None
    status: int = 400


def _has_warning(word: str) -> Callable[[dict[str, Any]], bool]:
    return lambda result: any(word in w for w in result["warnings"])


def _paragraphs(count: int) -> Callable[[dict[str, Any]], bool]:
    return lambda result: result["stats"]["paragraphs"] == count


LONG_SENTENCE = " ".join(["le conseil municipal vote un budget pour les bus de la ville"] * 420)
ONE_WORD_LINES = "\n".join(["bonjour", "merci", "voiture", "maison"] * 750)
HTML = "<p>Le conseil <b>municipal</b> a voté un budget.</p>\n<p>Les bus seront plus nombreux.</p>"
MARKDOWN = "# Le budget\n\n* Le conseil a voté un budget.\n* Les bus seront plus nombreux."
HUNDRED_K = ("Le conseil municipal a voté un nouveau budget pour les bus de la ville. " * 1400)[
    :100_000
]

CASES: list[Case] = [
    Case("empty", "", error="InputError", fragment="empty"),
    Case("whitespace", " \n\t \n", error="InputError", fragment="empty"),
    Case("digits", "12 345 6789", error="InputError", fragment="no letters"),
    Case("punctuation", "!!! ... ???", error="InputError", fragment="no letters"),
    Case("emoji", "🙂🎉🚌", error="InputError", fragment="no letters"),
    Case("invalid-utf8", "Le café".encode("latin-1"), error="InputError", fragment="UTF-8"),
    Case("binary", bytes(range(256)) * 8, error="InputError", fragment="binary"),
    Case(
        "nul-and-control",
        "Le conseil\x00 municipal\x07 a voté un budget pour les bus de la ville.",
        check=_has_warning("control character"),
    ),
    Case("one-character", "a", {"source": "fr"}, check=lambda r: r["translation"]["route"] == ["fr-en"]),
    Case("hundred-thousand", HUNDRED_K, {"method": "extractive"}, check=_paragraphs(1)),
    Case(
        "over-the-limit",
        HUNDRED_K + " plus",
        error="TextTooLongError",
        fragment="over the limit",
        status=413,
    ),
    Case("5000-word-sentence", LONG_SENTENCE, check=_has_warning("translated in pieces")),
    Case("one-word-lines", ONE_WORD_LINES, {"source": "fr"}, check=_paragraphs(1)),
    Case(
        "mixed-paragraphs",
        ARTICLE_FR + "\n\n" + SAMPLES["de"] + " " + SAMPLES["de"],
        check=_has_warning("another language"),
    ),
    Case("rtl-detected", SAMPLES["ar"], error="UnsupportedLanguageError", fragment="source language"),
    Case("rtl-given", SAMPLES["ar"], {"source": "fr"}, check=_paragraphs(1)),
    Case("cjk-given", SAMPLES["zh"] * 5, {"source": "fr"}, check=_paragraphs(1)),
    Case("html", HTML, check=lambda r: r["detection"]["language"] == "fr"),
    Case("markdown", MARKDOWN, {"source": "fr"}, check=_paragraphs(2)),
    Case("target-miscased", ARTICLE_FR, {"target": " DE "}, check=lambda r: r["translation"]["target"] == "de"),
    Case("target-region", ARTICLE_FR, {"target": "de-AT"}, check=lambda r: r["translation"]["target"] == "de"),
    Case("target-unknown", ARTICLE_FR, {"target": "xx"}, error="UnsupportedLanguageError", fragment="not supported"),
    Case("target-word", ARTICLE_FR, {"target": "German"}, error="UnsupportedLanguageError", fragment="not a language code"),
    Case("target-path", ARTICLE_FR, {"target": "../../etc"}, error="UnsupportedLanguageError", fragment="not a language code"),
    Case(
        "source-hub-id",
        ARTICLE_FR,
        {"source": "Helsinki-NLP/opus-mt-fr-en"},
        error="UnsupportedLanguageError",
        fragment="not a language code",
    ),
    Case("source-absolute-path", ARTICLE_FR, {"source": "/etc/passwd"}, error="UnsupportedLanguageError", fragment="not a language code"),
    Case("words-zero", ARTICLE_FR, {"words": 0, "method": "extractive"}, check=lambda r: r["summary"]["words"] > 0),
    Case("words-negative", ARTICLE_FR, {"words": -3}, error="InputError", fragment="between 1 and"),
    Case("words-huge", ARTICLE_FR, {"words": 10**12}, error="InputError", fragment="between 1 and"),
    Case("words-text", ARTICLE_FR, {"words": "many"}, error="InputError", fragment="whole number"),
    Case("method-unknown", ARTICLE_FR, {"method": "poem"}, error="InputError", fragment="expected one of"),
]  # fmt: skip
