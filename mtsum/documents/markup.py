"""HTML in, HTML out: translate the text of a page and keep every tag and attribute as it was.

LibreTranslate clients send ``format=html`` for CMS pages, e-mails and rich-text fields; they
expect the same markup back with only the visible text in another language. A regular
expression cannot tell text from markup reliably, so the HTML is parsed with BeautifulSoup
(Python's own ``html.parser`` underneath: lenient with fragments, adds no ``<html>``/``<body>``
wrapper) and only its text nodes are replaced.

What is *not* translated, by HTML's own rules and common practice: comments, the doctype,
``<script>``, ``<style>``, ``<template>``, code-like elements (``<code>``, ``<pre>``, ``<kbd>``,
``<samp>``, ``<var>``, ``<math>``), elements marked ``translate="no"`` (until a descendant says
``translate="yes"``) or ``class="notranslate"``, and text without letters (numbers, symbols,
whitespace). Attribute values (``title``, ``alt``) are kept as they are.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup
from bs4.dammit import EntitySubstitution
from bs4.element import NavigableString, PreformattedString, Tag
from bs4.formatter import HTMLFormatter

from ..text import split_paragraphs

__all__ = ["HtmlDocument", "translate_html", "translate_runs"]

log = logging.getLogger(__name__)

# Elements whose text is code, data or not meant for readers.
_SKIPPED = frozenset(
    {"script", "style", "template", "code", "pre", "kbd", "samp", "var", "math", "noscript"}
)
_SPACE = re.compile(r"\s+")
_PARAGRAPHS_JOINER = "\n\n"


class _KeepAttributes(HTMLFormatter):
    """Minimal escaping (``& < >``) so every script stays readable, void elements as ``<br>``,
    and attributes in their original order (BeautifulSoup sorts them by default)."""

    def __init__(self) -> None:
        super().__init__(
            entity_substitution=EntitySubstitution.substitute_xml,
            void_element_close_prefix="",
            empty_attributes_are_booleans=True,
        )

    def attributes(self, tag: Tag) -> Iterable[tuple[str, Any]]:
        return [(k, None if v == "" else v) for k, v in (tag.attrs or {}).items()]


_FORMATTER = _KeepAttributes()


@dataclass(frozen=True)
class _Run:
    """One text node to translate: its node, the whitespace around it and its words."""

    node: NavigableString
    lead: str
    text: str
    trail: str


class HtmlDocument:
    """A parsed HTML fragment or page whose translatable text runs can be replaced.

    Build it with :meth:`parse`; read :attr:`texts`; get the page back with :meth:`render`.
    """

    def __init__(self, soup: BeautifulSoup, runs: list[_Run]) -> None:
        self._soup = soup
        self._runs = runs

    @classmethod
    def parse(cls, html: str) -> HtmlDocument:
        """Parse ``html`` (a fragment or a whole page); malformed markup is repaired leniently."""
        # multi_valued_attributes=None keeps ``class="a  b"`` byte for byte instead of re-joining.
        soup = BeautifulSoup(html, "html.parser", multi_valued_attributes=None)
        runs = []
        for node in soup.find_all(string=True):
            if not isinstance(node, NavigableString) or isinstance(node, PreformattedString):
                continue  # comments, doctype, CDATA, processing instructions
            if not _translatable(node):
                continue
            raw = str(node)
            core = raw.strip()
            if not any(ch.isalpha() for ch in core):
                continue
            lead = raw[: len(raw) - len(raw.lstrip())]
            trail = raw[len(raw.rstrip()) :]
            # Browsers collapse whitespace in flowing text; so may we, which also guarantees that
            # a run never contains a blank line (runs are translated as paragraphs).
            runs.append(_Run(node, lead, _SPACE.sub(" ", core), trail))
        return cls(soup, runs)

    @property
    def texts(self) -> list[str]:
        """The text runs to translate, in document order, whitespace collapsed."""
        return [run.text for run in self._runs]

    @property
    def text(self) -> str:
        """The readable text (the runs as paragraphs): what language detection should see."""
        return _PARAGRAPHS_JOINER.join(self.texts)

    def set_language(self, code: str) -> None:
        """Say ``code`` in the page's ``<html lang>`` (a fragment without ``<html>``: nothing)."""
        root = self._soup.find("html")
        if isinstance(root, Tag):
            root["lang"] = code

    def render(self, translations: Sequence[str] | None = None) -> str:
        """The HTML with each run replaced by its translation (``None``: every run unchanged).

        The replacement happens in the parsed tree, so call this once per document.

        Raises:
            ValueError: ``translations`` does not have one entry per run.
        """
        if translations is not None:
            if len(translations) != len(self._runs):
                raise ValueError(
                    f"render needs {len(self._runs)} translations, got {len(translations)}"
                )
            for run, text in zip(self._runs, translations, strict=True):
                run.node.replace_with(NavigableString(f"{run.lead}{text}{run.trail}"))
        return self._soup.decode(formatter=_FORMATTER)


def _translatable(node: NavigableString) -> bool:
    """Whether a text node is reader-facing text that the page allows to be translated."""
    decided = False
    for parent in node.parents:
        if not isinstance(parent, Tag):
            continue
        if parent.name in _SKIPPED:
            return False
        classes = parent.get("class")
        if isinstance(classes, str) and "notranslate" in classes.split():
            return False
        flag = parent.get("translate")
        if not decided and isinstance(flag, str):
            # HTML: the nearest ancestor with a translate attribute decides ("" means yes).
            if flag.strip().lower() == "no":
                return False
            decided = True
    return True


def translate_runs(runs: Sequence[str], translate_text: Callable[[str], str]) -> list[str]:
    """One translation per run, using as few model calls as possible.

    The runs go through ``translate_text`` as the paragraphs of one text (the pipeline keeps
    paragraphs one to one), so their sentences share batches. Should the paragraph count ever
    come back different, each run is translated on its own instead: slower, never misaligned.

    Args:
        runs: texts without blank lines in them (``HtmlDocument.texts`` guarantees that).
        translate_text: translates one text and keeps its paragraphs.
    """
    if not runs:
        return []
    joined = translate_text(_PARAGRAPHS_JOINER.join(runs))
    parts = split_paragraphs(joined)
    if len(parts) == len(runs):
        return parts
    log.info("paragraphs came back %d for %d runs; translating run by run", len(parts), len(runs))
    return [translate_text(run).strip() for run in runs]


def translate_html(html: str, translate_text: Callable[[str], str]) -> tuple[str, int]:
    """``html`` with its text runs translated; markup, attributes and untranslatable text kept.

    Args:
        html: a fragment or a page.
        translate_text: translates one text and keeps its paragraphs (``Pipeline.translate``
            bound to a source and target, for instance).

    Returns:
        The translated HTML and how many text runs were translated.
    """
    document = HtmlDocument.parse(html)
    texts = document.texts
    if not texts:
        return document.render(), 0
    return document.render(translate_runs(texts, translate_text)), len(texts)
