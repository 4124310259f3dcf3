"""Docs that run: every docstring example (``>>>``) in the package, against a built copy of the demo workspace.

Examples use ``workspace`` (the copy's folder), ``graph`` (its built graph) and ``codebook`` (its codebook).
"""

from __future__ import annotations

import doctest
import importlib

import pytest
from helpers import REPO, copy_demo

import verlicht
from verlicht.codebook import load_codebook

PACKAGE = REPO / "verlicht"
MODULES = sorted(
    ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
    for path in PACKAGE.rglob("*.py") if ">>> " in path.read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def names(tmp_path_factory) -> dict:
    target = copy_demo(tmp_path_factory.mktemp("doctest") / "demo")
    ws = verlicht.open(target)
    ws.build()
    return {"workspace": target, "graph": ws.graph, "codebook": load_codebook(target / "ontology" / "codebook.yaml")}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run_as_written(name, names):
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = doctest.DocTestFinder().find(module, extraglobs=names)
    assert any(t.examples for t in tests), f"{name} has '>>> ' but no example was found"
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (see above)"


def test_the_package_has_examples():
    assert len(MODULES) >= 8
