"""The page for every visitor: no axe-core violations, a keyboard order that never loses focus,
and a layout without empty boxes, in chromium on a desktop and on a 390 px phone.

axe-core (Deque's accessibility engine) comes from the ``axe-playwright-python`` package of the
test extra, which ships ``axe.min.js``; it is injected into the page and run with the WCAG 2.1
A and AA rules, before a run and after one (the results, the aligned view, the warnings).
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from tests.support.texts import ARTICLE_FR
from tests.web.test_browser import RUN_TIMEOUT_MS, browser, url  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"desktop": (1280, 1000), "phone": (390, 844)}
_RUN_AXE = """
async (tags) => (await axe.run(document, {runOnly: {type: "tag", values: tags}})).violations
  .map((v) => ({rule: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" "))}))
"""
_ACTIVE = """() => {
  const e = document.activeElement;
  return {tag: e.tagName, id: e.id, label: e.getAttribute("aria-label") || "",
          box: (e.closest("[id^=mtsum-]") || {}).id || ""};
}"""


@pytest.fixture
def visit(browser: Any, url: str) -> Iterator[Any]:  # noqa: F811 - the imported fixtures
    contexts = []

    def open_page(viewport: str) -> Any:
        width, height = VIEWPORTS[viewport]
        phone = viewport == "phone"
        context = browser.new_context(
            viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone
        )
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("#mtsum-text textarea")
        return page

    yield open_page
    for context in contexts:
        context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    source = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    page.evaluate(source)
    return list(page.evaluate(_RUN_AXE, WCAG_TAGS))


def run_extractive(page: Any) -> None:
    from playwright.sync_api import expect

    page.fill("#mtsum-text textarea", ARTICLE_FR)
    page.locator("#mtsum-method label", has_text="Extractive").click()
    page.locator("#mtsum-go").click()
    expect(page.locator("#mtsum-timings")).to_contain_text("total", timeout=RUN_TIMEOUT_MS)
    expect(page.locator("#mtsum-aligned li.mtsum-row").first).to_be_visible()


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_axe_finds_no_wcag_violation_before_and_after_a_run(visit: Any, viewport: str) -> None:
    page = visit(viewport)
    assert axe_violations(page) == []
    run_extractive(page)
    assert axe_violations(page) == []


def test_tab_walks_every_control_in_order_and_never_drops_to_the_body(visit: Any) -> None:
    page = visit("desktop")
    page.focus("#mtsum-text textarea")
    seen = []
    for _ in range(30):
        page.keyboard.press("Tab")
        active = page.evaluate(_ACTIVE)
        assert active["tag"] != "BODY", f"focus lost after {seen}"
        seen.append(active)
        if active["id"] == "mtsum-clear":
            break
    boxes = [item["box"] for item in seen]
    expected = ["mtsum-upload", "mtsum-target", "mtsum-source", "mtsum-words", "mtsum-method"]
    expected += ["mtsum-go", "mtsum-clear"]
    assert [box for box in dict.fromkeys(boxes) if box in expected] == expected


def test_empty_boxes_are_hidden_and_warnings_sit_at_the_top_of_their_panel(visit: Any) -> None:
    page = visit("desktop")
    # No upload: no "Translated document" box, before a run or after one.
    assert not page.locator("#mtsum-doc-col").is_visible()
    run_extractive(page)
    assert not page.locator("#mtsum-doc-col").is_visible()
    panel = page.locator("#mtsum-warnings-col").bounding_box()
    warnings = page.locator("#mtsum-warnings").bounding_box()
    assert panel is not None and warnings is not None
    assert warnings["y"] - panel["y"] < 80, (panel, warnings)  # under its title, not below


def test_on_a_phone_the_upload_hint_goes_under_the_upload_box(visit: Any) -> None:
    page = visit("phone")
    upload = page.locator("#mtsum-upload").bounding_box()
    hint = page.locator("#mtsum-upload-note").bounding_box()
    assert upload is not None and hint is not None
    assert hint["y"] >= upload["y"] + upload["height"] - 1, (upload, hint)
    assert hint["width"] > 300


def test_an_unsupported_file_is_explained_in_the_error_panel_not_a_popup(
    visit: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = visit("desktop")
    table = tmp_path / "figures.csv"
    table.write_text("year,budget\n2024,1250000\n", encoding="utf-8")
    page.locator("#mtsum-upload input[type=file]").set_input_files(str(table))
    panel = page.locator("#mtsum-notice")
    expect(panel).to_contain_text("'.csv' files are not supported", timeout=30_000)
    expect(panel).to_contain_text(".docx")
    assert page.locator(".toast-body").count() == 0
