"""The article on a fetched web page: its title, author, date and main text, nothing else.

A news page is mostly not the article: menus, cookie banners, related links, comments, the
footer. trafilatura finds the main text (and the metadata) the way web archives and corpus
builders do; its precision setting drops borderline blocks rather than keep boilerplate.
The title leads the text as its first paragraph (unless the main text already starts with
it), so the headline is translated with the rest.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Any

from .errors import LinkError, TextTooLongError
from .links import LinkFetcher
from .results import Result
from .settings import Settings

__all__ = ["Article", "ArticleReader", "extract_article"]

log = logging.getLogger(__name__)

# Chosen, not measured on a corpus: on a page without an article, trafilatura's fallback keeps
# what it finds, such as the menu ("Accueil Sport", 2 words, in the tests); the shortest wire
# brief is about 40 words. Fewer words than this is not an article.
MIN_ARTICLE_WORDS = 10


@dataclass(frozen=True)
class Article:
    """An article read from a link.

    Attributes:
        url: the link as given.
        title: its headline, if the page names one.
        author: its author(s), if the page names them.
        date: its publication date (ISO, ``YYYY-MM-DD``), if the page gives one.
        text: what is translated and summarised: the title, then the main text, paragraphs
            separated by blank lines.
        final_url: where the page was found after redirects (the same as ``url`` without).
        warnings: what reading it left out or guessed.
    """

    url: str
    title: str | None
    author: str | None
    date: str | None
    text: str
    final_url: str = ""
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """``url``, ``title``, ``author``, ``date``, ``text`` (None where unknown)."""
        return {
            "url": self.url,
            "title": self.title,
            "author": self.author,
            "date": self.date,
            "text": self.text,
        }

    def attach(self, result: Result) -> Result:
        """``result`` (of a run on :attr:`text`) recording this article's link and title, with
        the warnings of reading it."""
        return dataclasses.replace(
            result,
            source_url=self.url,
            title=self.title,
            warnings=tuple(dict.fromkeys((*self.warnings, *result.warnings))),
        )


class ArticleReader:
    """Fetches links and reads their articles, for the user and (if allowed) for visitors.

    Attributes:
        links: the fetcher for links the user gives (CLI, Python API): any http(s) address.
        visitor_links: the fetcher for links a visitor gives (page, REST): public addresses
            only. Tests may swap either for one with other caps.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.links = LinkFetcher(public_only=False)
        self.visitor_links = LinkFetcher(public_only=True)

    def read(self, url: str, *, for_visitor: bool = False) -> Article:
        """The article at ``url``.

        Args:
            for_visitor: the link comes from a visitor of the web page or REST API: refused
                unless the operator allows links (``MTSUM_ALLOW_URLS``), and then fetched from
                public addresses only. The CLI and the Python API fetch any http(s) link.

        Raises:
            LinkError: the link is refused, cannot be fetched, or holds no article.
            TextTooLongError: the article is over the character limit.
        """
        if for_visitor and not self.settings.allow_urls:
            raise LinkError(
                "this server does not fetch links; paste the article's text instead",
                url,
                "disabled",
            )
        page = (self.visitor_links if for_visitor else self.links).fetch(url)
        article = extract_article(page.content, url, page.final_url, page.charset)
        if page.final_url != page.url:
            note = f"the link led to {page.final_url}; the article was read there"
            article = dataclasses.replace(article, warnings=(*article.warnings, note))
        if len(article.text) > self.settings.max_chars:
            raise TextTooLongError(len(article.text), self.settings.max_chars)
        return article


def extract_article(
    html: bytes | str, url: str, final_url: str | None = None, charset: str | None = None
) -> Article:
    """The article of a web page.

    Args:
        html: the page, as fetched (bytes are decoded by ``charset``, else as the page says).
        url: the link the user gave (recorded in the article).
        final_url: where the page was found (helps trafilatura with relative metadata).
        charset: the encoding the server named, if any.

    Raises:
        LinkError: the page holds no article text.
    """
    import trafilatura

    if isinstance(html, bytes) and charset:
        try:
            html = html.decode(charset)
        except (LookupError, UnicodeDecodeError):
            log.info("the page is not valid %s; letting trafilatura guess", charset)
    found = trafilatura.bare_extraction(
        html,
        url=final_url or url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
    )
    text = _paragraphs(getattr(found, "text", None) or "")
    if len(text.split()) < MIN_ARTICLE_WORDS:
        raise LinkError(
            f"no article text found at {url}; if it is an article, copy its text instead",
            url,
            "empty",
        )
    title = _clean(getattr(found, "title", None))
    if title and text.split("\n\n", 1)[0].strip() != title:
        text = f"{title}\n\n{text}"
    return Article(
        url=url,
        title=title,
        author=_clean(getattr(found, "author", None)),
        date=_clean(getattr(found, "date", None)),
        text=text,
        final_url=final_url or url,
    )


def _paragraphs(text: str) -> str:
    """trafilatura's lines (one block each) as paragraphs separated by blank lines."""
    return "\n\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _clean(value: object) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None
