"""Helpers of the report tests: a built copy of the demo workspace, and the visible text of a page."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from helpers import copy_demo

import verlicht


def built_demo(target: Path) -> Path:
    """A copy of the demo workspace (sources only), built."""
    copy_demo(target)
    verlicht.open(target).build()
    return target


class _Text(HTMLParser):
    """Text a reader meets: character data outside <style>, plus aria-label, alt and title attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "alt", "title") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())
