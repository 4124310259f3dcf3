"""Fixtures for the anonymiser: one detector per session (deduce takes seconds to load), a passphrase in the
environment as a team would set it, and keys kept outside the workspace."""

from __future__ import annotations

import pytest
from anondata import PASSPHRASE

from verlicht.anonymise.pipeline import Detector


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector(model="blank")


@pytest.fixture(autouse=True)
def passphrase(monkeypatch):
    monkeypatch.setenv("VERLICHT_KEY_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("VERLICHT_KEY_FILE", raising=False)
    monkeypatch.delenv("VERLICHT_WORKSPACE", raising=False)
    return PASSPHRASE


@pytest.fixture(autouse=True)
def config_home(tmp_path, monkeypatch):
    """Default key folder inside the test's tmp dir, never the developer's real ~/.config."""
    home = tmp_path / "config-home"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home
