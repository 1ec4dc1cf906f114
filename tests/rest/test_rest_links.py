"""REST ``url`` instead of ``q``: refused unless the operator allows links; then the article
behind a public link is translated and summarised, and the answer names its link and title."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx_sse import connect_sse

from mtsum import Pipeline, Settings
from mtsum.links import LinkFetcher
from tests.support.newsserver import ARTICLE_PARAGRAPHS, TITLE, news_site
from tests.support.rest_support import rest_client


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with news_site() as (url, _):
        yield url


@pytest.fixture(scope="module")
def allowing(settings: Settings) -> TestClient:
    """A server whose operator allows links; its guard lets the test's loopback site count as
    public (the test-only switch), and nothing else."""
    pipeline = Pipeline(settings.replace(allow_urls=True))
    pipeline.articles.visitor_links = LinkFetcher(public_only=True, loopback_for_tests=True)
    return rest_client(pipeline)


@pytest.mark.parametrize("route", ["/translate", "/summarize"])
def test_url_is_refused_when_links_are_off(pipeline: Pipeline, base: str, route: str) -> None:
    assert not pipeline.settings.allow_urls
    response = rest_client(pipeline).post(route, json={"url": f"{base}/news", "target": "en"})
    assert response.status_code == 400
    message = response.json()["error"]
    assert "does not fetch links" in message and "MTSUM_ALLOW_URLS" not in message


def test_translate_url_gives_the_article_translated_with_its_link_and_title(
    allowing: TestClient, base: str
) -> None:
    url = f"{base}/news"
    response = allowing.post("/translate", json={"url": url, "source": "fr", "target": "en"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["source_url"] == url and body["title"] == TITLE
    # The title and the article's paragraphs, one to one; nothing of the menu or the banner.
    assert len(body["translatedText"].split("\n\n")) == 1 + len(ARTICLE_PARAGRAPHS)


def test_summarize_url_names_the_link(allowing: TestClient, base: str) -> None:
    url = f"{base}/news"
    response = allowing.post(
        "/summarize", json={"url": url, "target": "en", "method": "extractive"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["source_url"] == url and body["title"] == TITLE and body["summary"].strip()


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("/private", "not on the public internet"),
        ("/loop/0", "redirects more than 5 times"),
        ("/pdf", "not a web page"),
        ("/empty", "no article text"),
    ],
)
def test_refused_links_are_400_with_their_reason(
    allowing: TestClient, base: str, path: str, fragment: str
) -> None:
    response = allowing.post("/translate", json={"url": f"{base}{path}", "target": "en"})
    assert response.status_code == 400
    assert fragment in response.json()["error"]


def test_a_link_to_this_machine_is_refused_without_the_test_switch(
    settings: Settings, base: str
) -> None:
    client = rest_client(Pipeline(settings.replace(allow_urls=True)))
    response = client.post("/translate", json={"url": f"{base}/news", "target": "en"})
    assert response.status_code == 400
    assert "not on the public internet" in response.json()["error"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"target": "en"}, "missing q parameter"),
        ({"q": "Bonjour", "url": "https://example.org/a", "target": "en"}, "not both"),
    ],
)
def test_q_or_url_exactly_one(allowing: TestClient, body: dict[str, str], fragment: str) -> None:
    for route in ("/translate", "/summarize"):
        response = allowing.post(route, json=body)
        assert response.status_code == 400 and fragment in response.json()["error"]


@pytest.mark.parametrize("route", ["/translate", "/summarize"])
def test_a_streamed_url_streams_the_article_then_the_plain_body(
    allowing: TestClient, base: str, route: str
) -> None:
    url = f"{base}/news"
    body = {"url": url, "source": "fr", "target": "en", "method": "extractive"}
    if route == "/translate":
        del body["method"]
    with connect_sse(allowing, "POST", route, json={**body, "stream": True}) as source:
        assert source.response.headers["content-type"].startswith("text/event-stream")
        events = list(source.iter_sse())
    # The title and each of the article's paragraphs, one event each, then the plain answer.
    assert [e.event for e in events] == ["paragraph"] * (1 + len(ARTICLE_PARAGRAPHS)) + ["done"]
    done = events[-1].json()
    assert done["source_url"] == url and done["title"] == TITLE
    assert done == allowing.post(route, json=body).json()
    translated = "\n\n".join(e.json()["text"] for e in events[:-1])
    assert translated == done["translatedText"]


def test_a_streamed_url_refused_is_an_ordinary_json_400(allowing: TestClient, base: str) -> None:
    body = {"url": f"{base}/private", "target": "en", "stream": True}
    response = allowing.post("/translate", json=body)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert "not on the public internet" in response.json()["error"]
