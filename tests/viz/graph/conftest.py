"""Built workspaces for the graph-page tests, made once per session (a build takes seconds).

In a folder of their own (tests/viz/graph/), apart from the dashboard's tests and fixtures in tests/viz/.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import REPO, copy_demo

import verlicht


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace, built; tests must not change it (use the ``demo`` fixture for that)."""
    target = copy_demo(tmp_path_factory.mktemp("viz") / "demo")
    verlicht.open(target).build()
    return target


def _synthetic(folder: Path, **sizes: int) -> Path:
    """A built synthetic workspace from bench/generate.py (uniform: claims drawn from all concept pairs)."""
    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate

    root = generate(folder, uniform=True, **sizes)
    verlicht.open(root).build()
    return root


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic workspace (bench/generate.py) with ~350 concepts in claims: more than a page draws at first."""
    return _synthetic(tmp_path_factory.mktemp("viz") / "generated", interviews=30, utterances=40, concepts=420)


@pytest.fixture(scope="session")
def dense(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic workspace of 60 concepts with some 600 links between them: more links than a page draws first."""
    return _synthetic(tmp_path_factory.mktemp("viz") / "dense", interviews=40, utterances=60, concepts=60)
