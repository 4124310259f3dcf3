"""A workspace with an empty living review, and the review test exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import DATA  # noqa: F401
from reviewdata import EXPORTS, PROTOCOL

from verlicht.api import Workspace
from verlicht.workspace import open_layout


@pytest.fixture
def rws(mini: Path) -> Workspace:
    """The mini workspace with review 'mix' (a protocol, no rounds yet)."""
    folder = mini / "reviews" / "mix"
    folder.mkdir(parents=True)
    (folder / "protocol.yaml").write_text(PROTOCOL, encoding="utf-8")
    return Workspace(open_layout(mini))


@pytest.fixture
def two_rounds(rws: Workspace) -> Workspace:
    """Review 'mix' with the two rounds of tests/data/reviews (see its EXPECTED.md)."""
    rws.review_import("mix", [EXPORTS / "scopus.ris", EXPORTS / "pubmed.nbib"], date="2025-06-01")
    rws.review_import(
        "mix", [EXPORTS / n for n in ("wos.txt", "endnote.ris", "zotero.bib", "export.csv")], date="2025-12-01"
    )
    return rws
