"""Shared fixtures: real workspaces from tests/data/, copied so tests may change them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import DATA, copy_demo, copy_workspace


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A three-source workspace with known supports, a contested claim and an interviewer line."""
    return copy_workspace(DATA / "workspaces" / "mini", tmp_path / "mini")


@pytest.fixture
def gapcase(tmp_path: Path) -> Path:
    """A workspace with a known coverage table (see its EXPECTED.md)."""
    return copy_workspace(DATA / "workspaces" / "gapcase", tmp_path / "gapcase")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The demo workspace this repository is, without any build outputs."""
    return copy_demo(tmp_path / "demo")


@pytest.fixture
def cbs_ws(mini: Path) -> Path:
    """The mini workspace with the indicators the CBS fixtures (tests/data/cbs/) feed, and their mapping."""
    cbs = DATA / "cbs"
    for name in ("indicators.csv", "observations.csv"):
        shutil.copyfile(cbs / "workspace" / name, mini / "indicators" / name)
    shutil.copyfile(cbs / "cbs_mapping.toml", mini / "indicators" / "cbs_mapping.toml")
    return mini


@pytest.fixture(scope="session")
def browser():
    """One headless system Chromium for the session's page tests (skips with the reason when there is none)."""
    from browserkit import chromium

    with chromium() as instance:
        yield instance
