"""One table of hostile and odd inputs, and the answer each must get, for every face.

Each case is run through the Python API and the CLI (``test_bad_inputs.py``) and through the
Gradio endpoints and the REST API (``test_bad_inputs_web.py``): either a correct result that
passes ``check``, or a typed error whose message contains ``fragment`` (CLI exit code 2,
HTTP 400 or 413, a ``gr.Error`` on the page).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from tests.support.texts import ARTICLE_FR, SAMPLES


@dataclass(frozen=True)
class Expect:
    """What a correct result must show. Called on the result JSON, it says whether it does.

    Declarative rather than a lambda, so that a face that shows only part of the result (the
    REST API has no route or stats) can check the parts it has.

    Attributes:
        warning: a piece of one of the result's warnings.
        paragraphs: the paragraph count of the result.
        route: the translation route.
        language: the detected (or given) language.
        target: the language of the translation.
        summary: the summary has at least one word.
    """

    warning: str | None = None
    paragraphs: int | None = None
    route: tuple[str, ...] | None = None
    language: str | None = None
    target: str | None = None
    summary: bool = False

    def __call__(self, result: dict[str, Any]) -> bool:
        return not self.problems(result)

    def problems(self, result: dict[str, Any]) -> list[str]:
        """What the result lacks, in words (empty when it passes)."""
        found = []
        if self.warning is not None and not any(self.warning in w for w in result["warnings"]):
            found.append(f"no warning mentions {self.warning!r}: {result['warnings']}")
        if self.paragraphs is not None and result["stats"]["paragraphs"] != self.paragraphs:
            found.append(f"{result['stats']['paragraphs']} paragraphs, not {self.paragraphs}")
        if self.route is not None and tuple(result["translation"]["route"]) != self.route:
            found.append(f"route {result['translation']['route']}, not {list(self.route)}")
        if self.language is not None and result["detection"]["language"] != self.language:
            found.append(f"language {result['detection']['language']}, not {self.language}")
        if self.target is not None and result["translation"]["target"] != self.target:
            found.append(f"target {result['translation']['target']}, not {self.target}")
        if self.summary and not result["summary"]["words"] > 0:
            found.append("an empty summary")
        return found

    def without(self, *names: str) -> Expect:
        """The same expectation with some fields not checked (a face that cannot show them)."""
        return dataclasses.replace(self, **{name: _UNSET[name] for name in names})

    def fields(self) -> list[str]:
        """The names of the fields this expectation checks."""
        return [f.name for f in dataclasses.fields(self) if getattr(self, f.name) != _UNSET[f.name]]


_UNSET: dict[str, Any] = {f.name: f.default for f in dataclasses.fields(Expect)}


@dataclass(frozen=True)
class Case:
    """One input and its expected answer.

    Attributes:
        id: the test id.
        text: the text given (``bytes`` are what a file or upload would carry).
        options: run() keyword arguments besides the text.
        error: the expected exception class name (``InputError``...), or None for a result.
        fragment: a piece of the expected error message.
        check: what a correct result must show, when a result is expected.
        status: the HTTP status a web face must answer with, for errors.
        web_options: what the web faces send instead of ``options``, for cases whose point is
            the size of the text rather than the model work: the same text, no translation, so
            that the table stays fast through every face (the API and CLI run ``options``).
        web_check: the expectation that goes with ``web_options``.
        filename: the file name an upload carries.
        upload_only: the case is about the web page's file types; the CLI reads any file as
            text and the API takes no file, so only the upload faces run it.
    """

    id: str
    text: str | bytes
    options: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    fragment: str = ""
    check: Expect | None = None
    status: int = 400
    web_options: dict[str, Any] | None = None
    web_check: Expect | None = None
    filename: str = "input.txt"
    upload_only: bool = False


# Same language in and out: the text crosses the face and is summarised, no model generates.
_UNTRANSLATED = {"source": "fr", "target": "fr", "method": "extractive"}


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
        check=Expect(warning="control character"),
    ),
    Case("one-character", "a", {"source": "fr"}, check=Expect(route=("fr-en",))),
    Case("hundred-thousand", HUNDRED_K, {"method": "extractive"}, check=Expect(paragraphs=1), web_options=_UNTRANSLATED, web_check=Expect(paragraphs=1, summary=True)),
    Case(
        "over-the-limit",
        HUNDRED_K + " plus",
        error="TextTooLongError",
        fragment="over the limit",
        status=413,
    ),
    Case("5000-word-sentence", LONG_SENTENCE, check=Expect(warning="translated in pieces"), web_options=_UNTRANSLATED, web_check=Expect(paragraphs=1, summary=True)),
    Case("one-word-lines", ONE_WORD_LINES, {"source": "fr"}, check=Expect(paragraphs=1), web_options=_UNTRANSLATED, web_check=Expect(paragraphs=1, summary=True)),
    Case(
        "mixed-paragraphs",
        ARTICLE_FR + "\n\n" + SAMPLES["de"] + " " + SAMPLES["de"],
        check=Expect(warning="another language"),
    ),
    Case("rtl-detected", SAMPLES["ar"], error="UnsupportedLanguageError", fragment="source language"),
    Case("rtl-given", SAMPLES["ar"], {"source": "fr"}, check=Expect(paragraphs=1)),
    Case("cjk-given", SAMPLES["zh"] * 5, {"source": "fr"}, check=Expect(paragraphs=1)),
    Case("html", HTML, check=Expect(language="fr")),
    Case("markdown", MARKDOWN, {"source": "fr"}, check=Expect(paragraphs=2)),
    Case("target-miscased", ARTICLE_FR, {"target": " DE "}, check=Expect(target="de")),
    Case("target-region", ARTICLE_FR, {"target": "de-AT"}, check=Expect(target="de")),
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
    Case("words-zero", ARTICLE_FR, {"words": 0, "method": "extractive"}, check=Expect(summary=True)),
    Case("words-negative", ARTICLE_FR, {"words": -3}, error="InputError", fragment="between 1 and"),
    Case("words-huge", ARTICLE_FR, {"words": 10**12}, error="InputError", fragment="between 1 and"),
    Case("words-text", ARTICLE_FR, {"words": "many"}, error="InputError", fragment="whole number"),
    Case("method-unknown", ARTICLE_FR, {"method": "poem"}, error="InputError", fragment="expected one of"),
    Case("upload-wrong-extension", ARTICLE_FR.encode(), error="InputError", fragment="files are not supported", filename="article.exe", upload_only=True),
    Case("upload-text-named-docx", ARTICLE_FR.encode(), error="InputError", fragment="not a Word .docx file", filename="article.docx", upload_only=True),
    Case("upload-name-with-path", ARTICLE_FR.encode(), check=Expect(paragraphs=ARTICLE_FR.strip().count("\n\n") + 1), filename="../../evil.txt", upload_only=True),
]  # fmt: skip
