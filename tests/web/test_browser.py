"""The page in a real browser: Debian's chromium, headless, driven by Playwright.

It proves what a visitor sees: an article pasted, a target chosen, one click, and the detected
language, route, translation and summary appear; uploaded .txt and .docx files fill the text
box; an over-long text is refused with a friendly message, not a traceback. Where no chromium is
installed the tests are skipped and say why (CI installs it: see .ci/run).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mtsum import Pipeline, Settings
from mtsum.web import create_app
from tests.core.test_documents import make_docx
from tests.support.texts import ARTICLE_FR, SAMPLES
from tests.support.webserver import serve_in_thread

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("MTSUM_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LIMIT = 5000
RUN_TIMEOUT_MS = 240_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(
            f"no browser at {CHROMIUM}: install Debian's chromium (apt-get install chromium) "
            "or set MTSUM_CHROMIUM to run the browser tests"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip('playwright is not installed: pip install -e ".[test]"')
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def url(settings: Settings) -> Iterator[str]:
    pipeline = Pipeline(settings.replace(max_chars=LIMIT))
    with serve_in_thread(create_app(pipeline=pipeline)) as base:
        yield base


@pytest.fixture
def page(browser: Any, url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    opened = context.new_page()
    opened.goto(url)
    opened.wait_for_selector("#mtsum-text textarea")
    yield opened
    context.close()


def choose(page: Any, dropdown: str, label: str) -> None:
    box = page.locator(f"#{dropdown} input")
    box.click()
    box.fill(label.split(" (", maxsplit=1)[0])
    page.get_by_role("option", name=label).click()


def test_pasted_article_shows_detection_route_translation_and_summary(
    page: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page.fill("#mtsum-text textarea", ARTICLE_FR)
    expect(page.locator("#mtsum-counter")).to_contain_text(f"{len(ARTICLE_FR):,} / {LIMIT:,}")
    choose(page, "mtsum-target", "German (de)")
    page.click("#mtsum-go")

    expect(page.locator("#mtsum-detected")).to_contain_text("French (fr)", timeout=RUN_TIMEOUT_MS)
    expect(page.locator("#mtsum-route textarea")).to_have_value(
        "fr → en → de", timeout=RUN_TIMEOUT_MS
    )
    expect(page.locator("#mtsum-translation textarea")).not_to_have_value(
        "", timeout=RUN_TIMEOUT_MS
    )
    expect(page.locator("#mtsum-summary textarea")).not_to_have_value("", timeout=RUN_TIMEOUT_MS)
    expect(page.locator("#mtsum-timings")).to_contain_text("total", timeout=RUN_TIMEOUT_MS)
    translation = page.locator("#mtsum-translation textarea").input_value()
    assert translation.count("\n\n") == ARTICLE_FR.strip().count("\n\n")
    assert page.locator("#mtsum-warnings").inner_text().strip()

    shot = tmp_path / "page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")


def test_uploaded_txt_and_docx_fill_the_text_box(page: Any, url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    text_file = tmp_path / "nouvelles.txt"
    text_file.write_text(SAMPLES["fr"], encoding="utf-8")
    page.locator("#mtsum-upload input[type=file]").set_input_files(str(text_file))
    expect(page.locator("#mtsum-text textarea")).to_have_value(SAMPLES["fr"], timeout=30_000)
    expect(page.locator("#mtsum-upload-note")).to_contain_text("nouvelles.txt")

    paragraphs = ["Premier paragraphe du document.", "Second paragraphe du document."]
    docx_file = tmp_path / "rapport.docx"
    docx_file.write_bytes(make_docx(paragraphs))
    page.goto(url)
    page.locator("#mtsum-upload input[type=file]").set_input_files(str(docx_file))
    expect(page.locator("#mtsum-text textarea")).to_have_value(
        "\n\n".join(paragraphs), timeout=30_000
    )
    expect(page.locator("#mtsum-upload-note")).to_contain_text("rapport.docx (docx)")


def test_over_limit_text_gets_a_friendly_error_and_no_traceback(page: Any) -> None:
    from playwright.sync_api import expect

    page.fill("#mtsum-text textarea", "mot " * (LIMIT // 4 + 10))
    expect(page.locator("#mtsum-counter")).to_contain_text("over the limit")
    page.click("#mtsum-go")
    toast = page.get_by_text("over the limit of 5,000")
    expect(toast.first).to_be_visible(timeout=30_000)
    assert "Traceback" not in page.content()


def test_an_example_fills_the_text_and_the_target(page: Any) -> None:
    from playwright.sync_api import expect

    page.get_by_text("German news → English").click()
    expect(page.locator("#mtsum-text textarea")).to_have_value(re.compile("Altstadt von Passau"))
    expect(page.locator("#mtsum-target input")).to_have_value("English (en)")
