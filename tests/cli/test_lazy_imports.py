"""Commands import only what they use: a query on an up-to-date graph, or a build with nothing changed, loads
neither the build nor the heavy libraries of other commands (issue 14 item 6: start-up is most of a fast
command). Each check runs in a fresh interpreter, as the command line does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run

HEAVY = ("rdflib", "spacy", "deduce", "pyvis", "jinja2", "networkx", "sklearn", "bibtexparser",
         "cryptography", "rich.progress", "pyoxigraph", "neo4j")
CHECK = """
import sys
from verlicht.cli import main
try:
    main({argv!r})
except SystemExit as exc:
    assert not exc.code, exc.code
names = {names!r}
print("loaded:" + ",".join(sorted(n for n in sys.modules if n in names or n.split(".")[0] in names)))
"""


def loaded_by(argv: list[str], names: tuple[str, ...]) -> list[str]:
    """The modules of ``names`` that running ``verlicht ARGV`` in a new interpreter imported."""
    code = CHECK.format(argv=argv, names=set(names))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    last = [line for line in done.stdout.splitlines() if line.startswith("loaded:")][-1]
    return [name for name in last.removeprefix("loaded:").split(",") if name]


@pytest.fixture
def built_mini(mini: Path) -> Path:
    assert run("build", "-q", workspace=mini)[0] == 0
    return mini


@pytest.mark.parametrize("argv", [["gaps", "--format", "json"], ["query", "assumptions", "--format", "csv"],
                                  ["stats"], ["query", "concepts", "--format", "json"]])
def test_a_query_on_an_up_to_date_graph_loads_no_heavy_library_and_not_the_build(built_mini, argv):
    assert loaded_by(["-w", str(built_mini), *argv], (*HEAVY, "verlicht.graph.build")) == []


def test_a_build_with_nothing_changed_loads_not_the_build(built_mini):
    # The build asks the key store whether the key-name scan can run (12 ms of cryptography): not counted.
    light = tuple(name for name in HEAVY if name != "cryptography")
    assert loaded_by(["-w", str(built_mini), "build", "-q"], (*light, "verlicht.graph.build")) == []


def test_a_build_with_a_change_does_load_it(built_mini):
    """The check above is not vacuous: a real build imports the build module."""
    source = sorted((built_mini / "interviews").glob("*.rock"))[0]
    source.write_bytes(source.read_bytes() + b"[[uid=lazy0001]] Nog een zin.\n")
    assert loaded_by(["-w", str(built_mini), "build", "-q"], ("verlicht.graph.build",)) == ["verlicht.graph.build"]
