"""Take the README's screenshot of the web page: serve the app, run one example, save a PNG.

    .venv/bin/python docs/make_screenshot.py                  # with your registry's models
    .venv/bin/python docs/make_screenshot.py --tiny --target en --method extractive

``--tiny`` uses the test suite's tiny random models (no download; their translations are
random words, so pick a target equal to the text's language and the extractive method to get a
readable page). Needs Playwright and Debian's chromium, like the browser test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtsum import Settings  # noqa: E402
from mtsum.languages import language_name  # noqa: E402
from mtsum.web import create_app  # noqa: E402
from mtsum.web.page.examples import EXAMPLES  # noqa: E402
from tests.web.test_browser import CHROMIUM, FLAGS, choose  # noqa: E402
from tests.support.webserver import serve_in_thread  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--example", default="en", help="language of the example to run")
    parser.add_argument("--target", help="target language (default: the example's)")
    parser.add_argument("--method", default="abstractive", choices=["abstractive", "extractive"])
    parser.add_argument("--tiny", action="store_true", help="use the tests' tiny random models")
    args = parser.parse_args()

    example = next(e for e in EXAMPLES if e.language == args.example)
    target = args.target or example.target
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings.from_env()
        if args.tiny:
            from tests.support.tinymodels import build_all

            registry = build_all(Path(scratch))
            settings = settings.replace(registry_path=registry, offline=True)
        from playwright.sync_api import expect, sync_playwright

        with serve_in_thread(create_app(settings)) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url)
            page.fill("#mtsum-text textarea", example.text)
            choose(page, "mtsum-target", f"{language_name(target)} ({target})")
            page.locator("#mtsum-method label", has_text=args.method.capitalize()).click()
            page.click("#mtsum-go")
            expect(page.locator("#mtsum-timings")).to_contain_text("total", timeout=600_000)
            page.mouse.move(0, 0)
            page.screenshot(path=str(args.out), full_page=True)
            browser.close()
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
