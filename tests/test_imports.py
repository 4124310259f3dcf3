"""No import cycles in ``verlicht``, and every module imports.

Importing each module first in its own fresh interpreter takes over a minute here (each one runs the
package's ``__init__`` and the API behind it), so the same guarantee is had in two cheap parts:

* the imports each module runs when it is imported (its top-level ones, ``TYPE_CHECKING`` aside), read
  with :mod:`ast`, form no cycle. Then no import order can find a module half-initialised, except through
  an import from one of its own ancestor packages (``from verlicht import __version__``, click's
  ``from verlicht.cli import cli``); Python always runs the ancestors' ``__init__`` first, whichever
  module is imported first, so those are left out of the graph, and
* one fresh interpreter imports every module, which runs exactly those ancestor imports.

Imports inside functions (deferred until called) may still go round; the known rounds are listed with
why, and no new one may appear.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx

import verlicht

PACKAGE = Path(verlicht.__file__).parent

# Rounds closed only by imports inside functions (each import runs when the function is called, when every
# module involved is long initialised). Known, not wanted: do not add to this list, remove from it.
KNOWN_DEFERRED_ROUNDS = [
    {"verlicht.anonymise.keyfile", "verlicht.anonymise.keystore"},
    {"verlicht.anonymise.guard", "verlicht.coding.memos", "verlicht.coding.usage", "verlicht.graph.build"},
]


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__.py``)."""
    found = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        parts = list(file.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = file
    return found


def _runs_at_import(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The import statements a module runs when imported: top level, also inside ``try`` and ``if``."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.If) and not _is_type_checking(node.test):
            stack.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            stack.extend(node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body])
    return found


def _ever_run(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that can run, inside functions too: all but those under ``if TYPE_CHECKING``
    (annotations only, never executed, so they cannot make a round)."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
        else:
            stack.extend(ast.iter_child_nodes(node))
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _targets(node: ast.Import | ast.ImportFrom, name: str, is_package: bool, known: dict[str, Path]) -> list[str]:
    """The modules of ``verlicht`` an import statement in module ``name`` loads."""
    if isinstance(node, ast.Import):
        wanted = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = (name if is_package else name.rpartition(".")[0]).split(".")
            base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
        wanted = [base] + [f"{base}.{alias.name}" for alias in node.names]  # `from pkg import submodule`
    return [t for t in wanted if t in known and t != name]


def import_graph(deferred: bool) -> nx.DiGraph:
    """Module → module it imports; with ``deferred``, imports inside functions count too."""
    known = modules()
    graph = nx.DiGraph()
    for name, file in known.items():
        graph.add_node(name)
        tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
        statements = _ever_run(tree) if deferred else _runs_at_import(tree)
        for node in statements:
            for target in _targets(node, name, file.name == "__init__.py", known):
                if not name.startswith(target + "."):  # an ancestor package: always initialised first
                    graph.add_edge(name, target)
    return graph


def rounds(graph: nx.DiGraph) -> list[set[str]]:
    return sorted((set(c) for c in nx.strongly_connected_components(graph) if len(c) > 1), key=sorted)


def test_the_graph_reader_sees_the_imports_it_must():
    graph = import_graph(deferred=False)
    assert graph.number_of_nodes() > 100
    assert graph.has_edge("verlicht.coding.refactor.operations", "verlicht.coding.refactor.plan")
    assert graph.has_edge("verlicht.coding.refactor", "verlicht.coding.refactor.changelog")
    assert graph.has_edge("verlicht.rock.reader", "verlicht.rock.model")
    assert not graph.has_edge("verlicht.cli.build_cmd", "verlicht.cli")  # an ancestor: left out
    # A deferred import is only in the full graph (source_cache imports the claims inside a function).
    assert not graph.has_edge("verlicht.graph.source_cache", "verlicht.graph.claims")
    assert import_graph(deferred=True).has_edge("verlicht.graph.source_cache", "verlicht.graph.claims")


def test_no_module_imports_one_that_imports_it_back():
    assert rounds(import_graph(deferred=False)) == []


def test_imports_inside_functions_make_no_new_round():
    new = [r for r in rounds(import_graph(deferred=True)) if not any(r <= known for known in KNOWN_DEFERRED_ROUNDS)]
    assert new == []


def test_every_module_imports_in_a_fresh_interpreter():
    names = [name for name in modules() if not name.endswith("__main__")]  # __main__ runs the CLI
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    result = subprocess.run([sys.executable, "-c", code, *names], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
