"""Links: the article comes through without the page's clutter; unsafe links are refused, each
with its reason. The pages come from a news site the test starts on loopback."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterator

import pytest

from mtsum.articles import ArticleReader
from mtsum.errors import LinkError, TextTooLongError
from mtsum.links import MAX_REDIRECTS, LinkFetcher, _is_public
from mtsum.settings import Settings
from tests.support.newsserver import (
    ARTICLE_PARAGRAPHS,
    BIG_BYTES,
    BOILERPLATE,
    TITLE,
    news_site,
)


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[str, list[str | None]]]:
    with news_site() as served:
        yield served


def _visitor(**caps: float) -> LinkFetcher:
    """The server's fetcher for visitors, with the test-only loopback switch on."""
    return LinkFetcher(public_only=True, loopback_for_tests=True, **caps)  # type: ignore[arg-type]


def _refusal(fetcher: LinkFetcher, url: str) -> LinkError:
    with pytest.raises(LinkError) as caught:
        fetcher.fetch(url)
    return caught.value


def test_only_the_article_comes_through(site: tuple[str, list[str | None]]) -> None:
    base, _ = site
    article = ArticleReader(Settings()).read(f"{base}/news")
    assert article.title == TITLE
    assert article.author == "Claire Dubois"
    assert article.date == "2026-11-28"
    assert article.url == f"{base}/news"
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0] == TITLE
    assert paragraphs[1:] == list(ARTICLE_PARAGRAPHS)
    for clutter in BOILERPLATE:
        assert clutter not in article.text


def test_a_redirect_is_followed_and_the_given_link_recorded(
    site: tuple[str, list[str | None]],
) -> None:
    base, _ = site
    page = _visitor().fetch(f"{base}/hop")
    assert page.url == f"{base}/hop" and page.final_url == f"{base}/news"
    assert page.content_type == "text/html" and page.charset == "utf-8"
    article = ArticleReader(Settings()).read(f"{base}/hop")
    assert article.url == f"{base}/hop" and article.final_url == f"{base}/news"
    assert article.warnings == (f"the link led to {base}/news; the article was read there",)


def test_the_server_refuses_loopback_unless_the_test_switch_is_on(
    site: tuple[str, list[str | None]],
) -> None:
    base, _ = site
    error = _refusal(LinkFetcher(public_only=True), f"{base}/news")
    assert error.reason == "address" and "not on the public internet" in str(error)


@pytest.mark.parametrize("path", ["/private", "/metadata"])
def test_a_redirect_to_a_private_address_is_refused(
    site: tuple[str, list[str | None]], path: str
) -> None:
    base, _ = site
    error = _refusal(_visitor(), f"{base}{path}")
    assert error.reason == "address"
    assert error.url.startswith(("http://10.0.0.1/", "http://169.254.169.254/"))


def test_too_many_redirects_are_refused(site: tuple[str, list[str | None]]) -> None:
    base, _ = site
    error = _refusal(_visitor(), f"{base}/loop/0")
    assert error.reason == "redirects" and f"more than {MAX_REDIRECTS} times" in str(error)


@pytest.mark.parametrize("path", ["/big", "/big-unsaid"])
def test_an_oversized_page_is_refused(site: tuple[str, list[str | None]], path: str) -> None:
    base, _ = site
    error = _refusal(_visitor(max_bytes=BIG_BYTES // 2), f"{base}{path}")
    assert error.reason == "size" and "larger than" in str(error)


def test_a_slow_page_is_refused_in_time(site: tuple[str, list[str | None]]) -> None:
    base, _ = site
    start = time.perf_counter()
    error = _refusal(_visitor(seconds=1.0), f"{base}/slow")
    assert error.reason == "time" and "more than 1 seconds" in str(error)
    assert time.perf_counter() - start < 3


def test_a_file_that_is_not_a_page_is_refused(site: tuple[str, list[str | None]]) -> None:
    base, _ = site
    error = _refusal(_visitor(), f"{base}/pdf")
    assert error.reason == "type" and "application/pdf" in str(error)


def test_an_error_status_is_refused(site: tuple[str, list[str | None]]) -> None:
    base, _ = site
    error = _refusal(_visitor(), f"{base}/gone")
    assert error.reason == "status" and "404" in str(error)


def test_no_cookie_travels_to_the_redirect(site: tuple[str, list[str | None]]) -> None:
    base, seen = site
    _visitor().fetch(f"{base}/cookie")
    assert seen and seen[-1] is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "scheme"),
        ("ftp://example.org/a", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("http://user:secret@example.org/", "credentials"),
        ("http:///nohost", "scheme"),
    ],
)
def test_links_that_are_not_plain_web_links_are_refused(url: str, reason: str) -> None:
    def never(host: str, port: int) -> list[str]:
        raise AssertionError("refused before any lookup")

    for fetcher in (LinkFetcher(public_only=False, resolver=never), _visitor()):
        assert _refusal(fetcher, url).reason == reason


def test_every_address_of_a_host_is_checked_before_connecting() -> None:
    def mixed(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "10.1.2.3"]  # one public, one private: refused

    error = _refusal(LinkFetcher(public_only=True, resolver=mixed), "https://news.example/a")
    assert error.reason == "address"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # the cloud metadata service
        "100.100.100.200",  # shared address space (a cloud's metadata service too)
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fd00:ec2::254",  # a cloud's IPv6 metadata service
        "::ffff:127.0.0.1",  # IPv4 loopback inside IPv6
        "2002:7f00:1::",  # 6to4 around 127.0.0.1
        "ff02::1",
    ],
)
def test_addresses_that_are_not_public(address: str) -> None:
    assert not _is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses(address: str) -> None:
    assert _is_public(ipaddress.ip_address(address))


def test_visitors_links_are_off_unless_the_operator_allows_them(
    site: tuple[str, list[str | None]],
) -> None:
    base, _ = site
    with pytest.raises(LinkError, match="does not fetch links") as caught:
        ArticleReader(Settings()).read(f"{base}/news", for_visitor=True)
    assert caught.value.reason == "disabled"
    allowed = ArticleReader(Settings(allow_urls=True))
    assert _refusal_of(allowed, f"{base}/news").reason == "address"  # on, but public only
    allowed.visitor_links = _visitor()
    assert allowed.read(f"{base}/news", for_visitor=True).title == TITLE


def _refusal_of(reader: ArticleReader, url: str) -> LinkError:
    with pytest.raises(LinkError) as caught:
        reader.read(url, for_visitor=True)
    return caught.value


def test_an_article_over_the_character_limit_is_refused(
    site: tuple[str, list[str | None]],
) -> None:
    base, _ = site
    with pytest.raises(TextTooLongError):
        ArticleReader(Settings(max_chars=100)).read(f"{base}/news")


def test_a_page_without_an_article_says_so(site: tuple[str, list[str | None]]) -> None:
    base, _ = site
    reader = ArticleReader(Settings())
    with pytest.raises(LinkError, match="no article text") as caught:
        reader.read(f"{base}/empty")
    assert caught.value.reason == "empty"


def test_the_operator_switch_is_read_from_the_environment() -> None:
    assert Settings.from_env({}).allow_urls is False
    assert Settings.from_env({"MTSUM_ALLOW_URLS": "1"}).allow_urls is True
    assert LinkFetcher(public_only=True).loopback_for_tests is False  # the test switch: off


def test_the_connection_goes_to_the_checked_address(site: tuple[str, list[str | None]]) -> None:
    base, _ = site
    port = base.rsplit(":", 1)[1]
    answers: list[str] = []

    def once(host: str, port: int) -> list[str]:
        # The only lookup: a second one (DNS rebinding) would find nothing, since the reserved
        # name news.test resolves nowhere else; the fetch connects to what was checked here.
        answers.append(host)
        return ["127.0.0.1"]

    fetcher = LinkFetcher(public_only=True, loopback_for_tests=True, resolver=once)
    page = fetcher.fetch(f"http://news.test:{port}/news")
    assert answers == ["news.test"]
    assert TITLE.encode() in page.content
