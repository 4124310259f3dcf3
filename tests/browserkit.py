"""Headless Chromium for the page tests: Playwright's Python package driving Debian's system Chromium.

No browser is downloaded: Playwright is launched with the system Chromium's ``executable_path``. Without
Chromium or Playwright the browser tests skip with the reason; CI installs both (``.ci/run``).
Screenshots go to ``tests/artifacts/`` (git-ignored), named after the test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).parent / "artifacts"

# The flags keep Chromium off the (closed) network and quiet in a container run as root.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    """The system Chromium (``VERLICHT_CHROMIUM`` overrides), or None."""
    explicit = os.environ.get("VERLICHT_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def skip_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright's Python package is not installed (pip install -e '.[test]')"
    if chromium_path() is None:
        return "no Chromium found (apt-get install chromium, or set VERLICHT_CHROMIUM)"
    return None


@dataclass
class PageSession:
    """A loaded page plus what its console said; ``errors`` collects console errors and page exceptions."""

    page: Any
    errors: list[str] = field(default_factory=list)
    name: str = "page"

    def screenshot(self, suffix: str = "") -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / f"{self.name}{'-' + suffix if suffix else ''}.png"
        self.page.screenshot(path=str(target), full_page=True)
        return target


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless system Chromium; skips the calling test when there is none."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def open_page(browser: Any, path: Path, name: str = "page", viewport: tuple[int, int] = (1280, 900),
              block_network: bool = True) -> Iterator[PageSession]:
    """Open a local HTML file; any request leaving file:// fails the page (offline is part of the contract)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    session = PageSession(page=page, name=name)
    page.on("console", lambda msg: session.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: session.errors.append(str(exc)))
    if block_network:
        def refuse(route: Any) -> None:
            session.errors.append(f"network request: {route.request.url}")
            route.abort()

        page.route("http://**/*", refuse)
        page.route("https://**/*", refuse)
    try:
        page.goto(Path(path).resolve().as_uri())
        yield session
    finally:
        context.close()
