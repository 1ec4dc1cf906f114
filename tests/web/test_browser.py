"""The page in a real browser: Debian's chromium, headless, driven by Playwright.

It proves what a visitor sees: an article pasted, a target chosen, one click, and the detected
language, route, translation and summary appear; uploaded .txt and .docx files fill the text
box, and a run on an uploaded .docx offers the translated .docx; the aligned view highlights a
flagged sentence, shows its reason on a click or a tap and links the summary to its sources; an
error stays in one panel until the next run; a waiting visitor sees its queue position; on a
390 px phone the outputs (and the aligned rows) stack; offline with a missing model there is
still a summary and one notice (the last two are the README's screenshots, with
PAGE_SCREENSHOTS=docs). Where no chromium is installed the tests are skipped and say why; CI
installs it and fails when it cannot (see .ci/run), so there they always run.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mtsum import Pipeline, Settings
from mtsum.settings import ServeSettings
from mtsum.web import create_app
from tests.core.test_documents import make_docx
from tests.support.texts import ARTICLE_FR, SAMPLES
from tests.support.tinymodels import write_registry
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

    print(f"screenshot: {_screenshot(page, 'page.png', tmp_path)}")


def test_the_aligned_view_highlights_a_flagged_sentence_with_its_reason_and_links_sources(
    page: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page.fill("#mtsum-text textarea", ARTICLE_FR)
    page.locator("#mtsum-method").get_by_text("Extractive").click()
    page.click("#mtsum-go")
    view = page.locator("#mtsum-aligned")
    # The tiny random models loop, so their translations are flagged.
    flagged = view.locator("li.mtsum-row.mtsum-flagged").first
    expect(flagged).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(view.locator("li.mtsum-sum-row").first).to_be_visible(timeout=RUN_TIMEOUT_MS)
    background = flagged.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    assert "repetition" in (flagged.get_attribute("title") or "")  # the reason, on hover
    reason = flagged.locator("details.mtsum-flag li").first
    expect(reason).to_be_hidden()
    flagged.locator("details.mtsum-flag summary").click()  # and on a click or a tap
    expect(reason).to_be_visible()
    expect(reason).to_contain_text("repetition")
    row = "#mtsum-aligned li.mtsum-row.mtsum-flagged"
    left, right = _document_boxes(page, f"{row} .mtsum-src", f"{row} .mtsum-out")
    assert right["x"] >= left["x"] + left["width"] and abs(right["y"] - left["y"]) < 2  # aside
    print(f"screenshot: {_screenshot(page, 'page-aligned.png', tmp_path, view)}")

    link = view.locator("li.mtsum-sum-row .mtsum-from a").last
    target = (link.get_attribute("href") or "").removeprefix("#")
    page.evaluate("window.scrollTo(0, 0)")
    link.click()
    expect(page.locator(f"[id='{target}']")).to_be_in_viewport()


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


def test_an_uploaded_docx_comes_back_as_a_docx_download(page: Any, tmp_path: Path) -> None:
    import docx
    from playwright.sync_api import expect

    paragraphs = ["Le conseil a voté un budget nouveau.", "La ville construit une école."]
    docx_file = tmp_path / "rapport.docx"
    docx_file.write_bytes(make_docx(paragraphs))
    page.locator("#mtsum-upload input[type=file]").set_input_files(str(docx_file))
    expect(page.locator("#mtsum-upload-note")).to_contain_text("rapport.docx", timeout=30_000)
    page.click("#mtsum-go")
    link = page.locator("#mtsum-download a[href*='rapport.en.docx']")
    expect(link).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(page.locator("#mtsum-document")).to_contain_text("French (fr)")
    with page.expect_download() as downloading:
        link.click()
    saved = tmp_path / "downloaded.docx"
    downloading.value.save_as(saved)
    assert downloading.value.suggested_filename == "rapport.en.docx"
    assert len(docx.Document(str(saved)).paragraphs) == len(paragraphs)


def test_an_error_stays_in_one_panel_until_the_next_run(page: Any) -> None:
    from playwright.sync_api import expect

    page.fill("#mtsum-text textarea", "mot " * (LIMIT // 4 + 10))
    expect(page.locator("#mtsum-counter")).to_contain_text("over the limit")
    page.click("#mtsum-go")
    panel = page.locator("#mtsum-notice")
    expect(panel).to_contain_text("over the limit of 5,000", timeout=30_000)
    page.wait_for_timeout(6_000)  # longer than a toast lives
    expect(panel).to_contain_text("over the limit of 5,000")
    assert "MTSUM_" not in panel.inner_text()
    assert "Traceback" not in page.content()

    page.fill("#mtsum-text textarea", ARTICLE_FR)
    page.click("#mtsum-go")
    expect(page.locator("#mtsum-detected")).to_contain_text("French (fr)", timeout=RUN_TIMEOUT_MS)
    expect(panel).to_have_text("")


def test_an_example_fills_the_text_and_the_target(page: Any) -> None:
    from playwright.sync_api import expect

    page.get_by_text("German news → English").click()
    expect(page.locator("#mtsum-text textarea")).to_have_value(re.compile("Altstadt von Passau"))
    expect(page.locator("#mtsum-target input")).to_have_value("English (en)")


def _document_boxes(page: Any, *selectors: str) -> list[dict[str, float]]:
    """Boxes of the first match of each selector, in page coordinates and measured at once.

    Measuring one at a time with ``bounding_box`` races a smooth scroll that is still moving:
    the boxes then come from different scroll positions and overlap by a few pixels.
    """
    boxes = page.evaluate(
        """(selectors) => selectors.map((selector) => {
            const element = document.querySelector(selector);
            if (!element) return null;
            const r = element.getBoundingClientRect();
            return {x: r.left + window.scrollX, y: r.top + window.scrollY,
                    width: r.width, height: r.height};
        })""",
        list(selectors),
    )
    missing = [s for s, box in zip(selectors, boxes, strict=True) if box is None]
    assert not missing, f"not on the page: {missing}"
    return boxes


def _screenshot(page: Any, name: str, tmp_path: Path, element: Any = None) -> Path:
    """A full-page screenshot, or the top of one element, into $PAGE_SCREENSHOTS (docs/ for the
    README) or a temp dir."""
    folder = Path(os.environ.get("PAGE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / name
    if element is None:
        page.screenshot(path=str(shot), full_page=True)
    else:
        box = element.bounding_box()
        top = box["y"] + page.evaluate("window.scrollY")
        clip = {"x": box["x"], "y": top, "width": box["width"], "height": min(box["height"], 640)}
        page.screenshot(path=str(shot), full_page=True, clip=clip)
    assert shot.stat().st_size > 10_000
    return shot


def test_on_a_phone_outputs_stack_the_button_comes_first_and_the_run_scrolls_to_results(
    browser: Any, url: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_selector("#mtsum-text textarea")
        go, clear = page.locator("#mtsum-go").bounding_box(), page.locator("#mtsum-clear")
        clear_box = clear.bounding_box()
        assert go is not None and clear_box is not None
        assert (go["y"], go["x"]) < (clear_box["y"], clear_box["x"])  # main button first
        page.fill("#mtsum-text textarea", ARTICLE_FR)
        page.locator("#mtsum-go").scroll_into_view_if_needed()
        page.click("#mtsum-go")
        expect(page.locator("#mtsum-summary textarea")).not_to_have_value(
            "", timeout=RUN_TIMEOUT_MS
        )
        # The run scrolls to the results (smoothly, so wait until they are in view).
        page.wait_for_function(
            "Math.abs(document.querySelector('#mtsum-results').getBoundingClientRect().top)"
            " < window.innerHeight / 2",
            timeout=RUN_TIMEOUT_MS,
        )
        translation, summary = _document_boxes(page, "#mtsum-translation", "#mtsum-summary")
        assert summary["y"] >= translation["y"] + translation["height"] - 1  # stacked
        assert translation["width"] > 300 and summary["width"] > 300
        # The aligned view stacks too: the translation under its source, the reason a tap away.
        flagged = page.locator("#mtsum-aligned li.mtsum-row.mtsum-flagged").first
        row = "#mtsum-aligned li.mtsum-row.mtsum-flagged"
        source, output = _document_boxes(page, f"{row} .mtsum-src", f"{row} .mtsum-out")
        assert output["y"] >= source["y"] + source["height"] - 1, (source, output)
        assert output["width"] > 390 * 0.6
        flagged.locator("details.mtsum-flag summary").tap()
        expect(flagged.locator("details.mtsum-flag li").first).to_be_visible()
        page.evaluate("window.scrollTo(0, 0)")
        print(f"screenshot: {_screenshot(page, 'page-phone.png', tmp_path)}")
    finally:
        context.close()


@pytest.fixture(scope="module")
def offline_url(settings: Settings, tiny_root: Path) -> Iterator[str]:
    """The page offline, with the fr-en model named in the registry but never downloaded."""
    registry = write_registry(
        tiny_root, name="browser-missing.toml", translation={"fr-en": "Helsinki-NLP/opus-mt-fr-en"}
    )
    pipeline = Pipeline(settings.replace(registry_path=registry, max_chars=LIMIT))
    with serve_in_thread(create_app(pipeline=pipeline)) as base:
        yield base


def test_offline_with_a_missing_model_the_page_shows_a_summary_and_one_notice(
    browser: Any, offline_url: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    try:
        page.goto(offline_url)
        page.wait_for_selector("#mtsum-text textarea")
        page.fill("#mtsum-text textarea", ARTICLE_FR)
        choose(page, "mtsum-source", "French (fr)")
        page.locator("#mtsum-target input").click()
        expect(page.get_by_role("option", name="English (en) · needs a download")).to_be_visible()
        page.keyboard.press("Escape")
        page.click("#mtsum-go")
        notice = page.locator("#mtsum-notice")
        expect(notice).to_contain_text("French → English", timeout=RUN_TIMEOUT_MS)
        expect(page.locator("#mtsum-summary textarea")).not_to_have_value("")
        expect(page.locator("#mtsum-route textarea")).to_have_value(re.compile("not translated"))
        expect(page.locator("#mtsum-warnings")).to_contain_text("extractive")
        assert "mtsum models pull" not in notice.inner_text()
        print(f"screenshot: {_screenshot(page, 'page-offline-missing-model.png', tmp_path)}")
    finally:
        context.close()


def test_a_waiting_visitor_sees_its_place_in_the_queue(browser: Any, settings: Settings) -> None:
    from gradio_client import Client
    from playwright.sync_api import expect

    pipeline = Pipeline(settings)
    gate = threading.Event()
    detect = pipeline.detector.detect

    def held(text: str) -> Any:
        if "HOLD" in text:
            gate.wait(timeout=60)  # the one running request, until the visitor has looked
        return detect(text)

    pipeline.detector.detect = held  # type: ignore[method-assign]
    app = create_app(pipeline=pipeline, serving=ServeSettings(concurrency=1))
    with serve_in_thread(app) as base:
        client = Client(base, verbose=False)
        running = client.submit(
            "HOLD " + SAMPLES["fr"], "en", "auto", 0, "extractive", api_name="/run"
        )
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        page = context.new_page()
        try:
            page.goto(base)
            page.fill("#mtsum-text textarea", SAMPLES["fr"])
            page.click("#mtsum-go")
            expect(page.locator("#mtsum-summary")).to_contain_text(
                re.compile(r"queue: 1/1"), timeout=30_000
            )
            gate.set()
            expect(page.locator("#mtsum-summary textarea")).not_to_have_value(
                "", timeout=RUN_TIMEOUT_MS
            )
        finally:
            gate.set()
            context.close()
            running.result(timeout=120)
            client.close()
