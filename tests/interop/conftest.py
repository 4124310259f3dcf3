"""Built workspaces shared by the interop tests (building once per module keeps them fast)."""

from __future__ import annotations

import sys

import pytest
from helpers import REPO, copy_demo

import verlicht


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory) -> verlicht.Workspace:
    """The demo workspace, built (do not change it: it is shared by the tests of a module)."""
    ws = verlicht.open(copy_demo(tmp_path_factory.mktemp("interop") / "demo"))
    ws.build()
    return ws


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> verlicht.Workspace:
    """A synthetic workspace from bench/generate.py (40 interviews of 60 utterances), built."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(REPO / "bench"))
    root = generate(tmp_path_factory.mktemp("interop") / "generated", interviews=40, utterances=60, concepts=30,
                    pairs=120)
    ws = verlicht.open(root)
    ws.build()
    return ws
