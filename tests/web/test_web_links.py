"""The page's link field: there only where the operator allows links; the article is shown in
the text box with its title and byline before anything runs; the run's result names the link."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mtsum import Article, Pipeline, Settings
from mtsum.links import LinkFetcher
from mtsum.web.page.handlers import Handlers
from mtsum.web.page.ui import build_demo
from tests.support.newsserver import TITLE, news_site
from tests.web.test_web_handlers import run_all


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with news_site() as (url, _):
        yield url


@pytest.fixture(scope="module")
def allowing(settings: Settings) -> Pipeline:
    pipeline = Pipeline(settings.replace(allow_urls=True))
    pipeline.articles.visitor_links = LinkFetcher(public_only=True, loopback_for_tests=True)
    return pipeline


def _elem_ids(pipeline: Pipeline) -> set[str]:
    config = build_demo(pipeline).get_config_file()
    return {c["props"].get("elem_id") for c in config["components"]}


def test_the_link_field_is_there_only_when_links_are_allowed(
    pipeline: Pipeline, allowing: Pipeline
) -> None:
    assert "mtsum-url" not in _elem_ids(pipeline)
    assert {"mtsum-url", "mtsum-fetch"} <= _elem_ids(allowing)


def test_a_link_fills_the_text_box_and_the_run_records_it(allowing: Pipeline, base: str) -> None:
    handlers = Handlers(allowing)
    url = f"{base}/news"
    text, note, panel, article = handlers.load_link(url)
    assert isinstance(article, Article) and text == article.text and panel == ""
    assert TITLE in note and "Claire Dubois" in note and "2026-11-28" in note
    last = run_all(handlers, text, "en", "fr", 0, "extractive", article)[-1]
    assert last.result is not None
    assert last.result["source_url"] == url and last.result["title"] == TITLE
    edited = run_all(handlers, text + " Fin.", "en", "fr", 0, "extractive", article)[-1]
    assert (
        edited.result is not None and "source_url" not in edited.result
    )  # the text is no longer the article's


def test_a_refused_link_goes_to_the_error_panel(allowing: Pipeline, base: str) -> None:
    _, note, panel, article = Handlers(allowing).load_link(f"{base}/private")
    assert article is None and note == ""
    assert "public internet" in panel


def test_links_off_are_refused_without_naming_the_setting(pipeline: Pipeline, base: str) -> None:
    _, _, panel, article = Handlers(pipeline).load_link(f"{base}/news")
    assert article is None and "does not fetch links" in panel
    assert "MTSUM_ALLOW_URLS" not in panel
