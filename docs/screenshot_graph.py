"""Take the README's screenshot of the graph page: the demo's theory of change with one claim opened.

    .venv/bin/verlicht build && .venv/bin/verlicht viz && .venv/bin/python docs/screenshot_graph.py

Headless system Chromium through Playwright, as the page tests use (tests/browserkit.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browserkit import CHROMIUM_ARGS, chromium_path  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

CLAIM = "assumption:verloop_bewoners->sociale_cohesie:-"


def main() -> None:
    page_file = ROOT / "graphs" / "graph.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-ready]", state="attached")
        page.evaluate("""(id) => {
            verlicht.select(id);
            verlicht.network.focus(id.split('->')[0].replace('assumption', 'concept'), {scale: 0.6});
        }""", CLAIM)
        page.wait_for_timeout(500)
        page.screenshot(path=str(ROOT / "docs" / "graph-page.png"))
        browser.close()


if __name__ == "__main__":
    main()
