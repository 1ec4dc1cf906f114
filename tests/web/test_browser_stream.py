"""The page streams in a real browser: the first paragraph is on screen while the engine is
still held on a later one, and Stop frees the visitor's slot at once.

No timing race: the engine stand-in (``tests/support/gate.py``) holds the batch of the second
paragraph until the test has seen the first one. Where no chromium is installed the tests are
skipped and say why (CI installs it: see .ci/run).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mtsum import Pipeline, Settings
from mtsum.models import ModelStore
from mtsum.settings import ServeSettings
from mtsum.text import split_text
from mtsum.waves import plan_waves
from mtsum.web import create_app
from tests.support.gate import GatedLoader, gated_text
from tests.support.texts import SAMPLES
from tests.support.webserver import serve_in_thread
from tests.web.test_browser import RUN_TIMEOUT_MS, browser

pytestmark = pytest.mark.browser

__all__ = ["browser"]  # the fixture, shared with the other browser tests

PARAGRAPHS = 6
BATCH_TOKENS = 64


@pytest.fixture
def gated(settings: Settings) -> Iterator[tuple[GatedLoader, str]]:
    """A server whose engine holds the second paragraph's batch; one run at a time, small
    batches (the held one, with the longest sentence, comes first; the rest follow)."""
    one = settings.replace(batch_tokens=BATCH_TOKENS)
    gate = GatedLoader("Zorglub")
    pipeline = Pipeline(one, store=ModelStore(one, loader=gate))
    try:
        app = create_app(pipeline=pipeline, serving=ServeSettings(concurrency=1))
        with serve_in_thread(app) as base:
            yield gate, base
    finally:
        gate.release.set()  # never leave a server thread waiting


@pytest.fixture
def page(browser: Any, gated: tuple[GatedLoader, str]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    opened = context.new_page()
    opened.goto(gated[1])
    opened.wait_for_selector("#mtsum-text textarea")
    yield opened
    context.close()


def _start(page: Any, text: str) -> None:
    """Paste ``text`` and run it: French detected, into English (the page's default)."""
    page.fill("#mtsum-text textarea", text)
    page.click("#mtsum-go")


def test_first_paragraph_shows_before_the_last(page: Any, gated: tuple[GatedLoader, str]) -> None:
    from playwright.sync_api import expect

    gate, _ = gated
    _start(page, gated_text(PARAGRAPHS))
    progress = page.locator("#mtsum-progress")
    expect(progress).to_contain_text(f"paragraph 1 of {PARAGRAPHS}", timeout=RUN_TIMEOUT_MS)
    translation = page.locator("#mtsum-translation textarea")
    first = translation.input_value()
    assert first and "\n\n" not in first  # the first paragraph alone, the rest still held
    assert gate.held.is_set() and not gate.release.is_set()
    assert "mtsum-aligned" in page.locator("#mtsum-aligned").inner_html()
    gate.release.set()
    expect(page.locator("#mtsum-summary textarea")).not_to_have_value("", timeout=RUN_TIMEOUT_MS)
    whole = translation.input_value()
    assert whole.startswith(first) and whole.count("\n\n") == PARAGRAPHS - 1
    expect(progress).to_have_text("")


def test_stop_ends_the_run_before_its_next_batch_and_frees_the_slot(
    page: Any, gated: tuple[GatedLoader, str]
) -> None:
    from playwright.sync_api import expect

    gate, _ = gated
    _start(page, gated_text(PARAGRAPHS))
    progress = page.locator("#mtsum-progress")
    expect(progress).to_contain_text(f"paragraph 1 of {PARAGRAPHS}", timeout=RUN_TIMEOUT_MS)
    assert gate.held.is_set()
    page.click("#mtsum-stop")
    expect(progress).to_have_text("Stopping…")  # the server has the visitor's stop signal
    gate.release.set()  # the held batch comes back; the run ends before the next one
    expect(progress).to_have_text("Stopped.", timeout=RUN_TIMEOUT_MS)
    # The only slot is free again: a run of another text goes through.
    _start(page, SAMPLES["fr"])
    expect(page.locator("#mtsum-summary textarea")).not_to_have_value("", timeout=RUN_TIMEOUT_MS)
    assert "\n\n" not in page.locator("#mtsum-translation textarea").input_value()
    # The stopped run's later batches never ran: the engine saw its first wave (the first
    # paragraph and its guests), the held batch, and the other text, nothing of paragraphs 3-6.
    document = split_text(gated_text(PARAGRAPHS), "fr")
    first_wave = {document.sentences[i] for i in plan_waves(document, BATCH_TOKENS)[0]}
    later = [s for s in document.sentences if "séance numéro" in s and s not in first_wave]
    assert later and not set(later) & set(gate.inputs["fr-en"])
