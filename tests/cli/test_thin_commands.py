"""Every command is a thin shell over the API: its module imports nothing from VERLICHT but the API.

The library does the work (so a notebook can do what a command does); a command parses options, calls one
:mod:`verlicht.api` function or ``Workspace`` method and renders. These tests read the command modules' source
(every import, also those inside functions) rather than trusting a convention.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import click

from verlicht.cli import cli

ALLOWED = ("verlicht.api", "verlicht.cli", "verlicht.errors")

# What a command module may import besides ALLOWED, each with the reason it cannot go through the API.
EXCEPTIONS = {
    ("verlicht.cli", "verlicht.__version__"): "the version '--version' prints is package metadata, not a capability",
    ("verlicht.cli", "verlicht.gcpause"): "how the one-shot program treats memory (issue 14 item 6), not a capability",
}


def commands(group: click.Group, path: str = "verlicht") -> list[tuple[str, click.Command]]:
    """Every command and group under ``group``, with its command path."""
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{path} {name}", command))
        if isinstance(command, click.Group):
            found.extend(commands(command, f"{path} {name}"))
    return found


def verlicht_imports(module: str) -> list[tuple[str, int]]:
    """What ``module`` imports from the verlicht package (``verlicht.x.y``), with the line, anywhere in it."""
    return imports_in(Path(importlib.import_module(module).__file__).read_text(encoding="utf-8"))


def imports_in(text: str) -> list[tuple[str, int]]:
    names = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            names += [(a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "verlicht"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "verlicht":  # 'from verlicht import api': the names are modules or attributes
                names += [(f"verlicht.{a.name}", node.lineno) for a in node.names]
            elif node.module.split(".")[0] == "verlicht":
                names.append((node.module, node.lineno))
    return names


def allowed(module: str, imported: str) -> bool:
    return (any(imported == a or imported.startswith(a + ".") for a in ALLOWED)
            or (module, imported) in EXCEPTIONS)


def test_every_command_module_imports_only_the_api_the_cli_and_the_errors():
    modules = sorted({command.callback.__module__ for _, command in commands(cli) if command.callback}
                     | {cli.callback.__module__})
    assert "verlicht.cli.anonymise_cmd" in modules and "verlicht.cli.codebook_cmd" in modules
    wrong = [f"{module}:{line}: imports {imported}"
             for module in modules for imported, line in verlicht_imports(module) if not allowed(module, imported)]
    assert wrong == []


def test_every_command_lives_in_the_cli_package():
    outside = [path for path, command in commands(cli)
               if command.callback and not command.callback.__module__.startswith("verlicht.cli")]
    assert outside == []


def test_the_check_sees_imports_inside_functions_and_from_the_package():
    # The reader itself: a command module that reached past the API would be caught, wherever it imports.
    text = ("import click\nfrom verlicht import api\n\n\ndef build():\n"
            "    from verlicht.graph.build import build_graph\n    import verlicht.rock.reader\n")
    assert imports_in(text) == [("verlicht.api", 2), ("verlicht.graph.build", 6), ("verlicht.rock.reader", 7)]
    assert not allowed("verlicht.cli.code_cmd", "verlicht.coding.edit")
    assert not allowed("verlicht.cli.code_cmd", "verlicht.apiary")
    assert allowed("verlicht.cli.code_cmd", "verlicht.cli.output")


def test_only_the_progress_module_draws_progress_bars():
    folder = Path(importlib.import_module("verlicht.cli").__file__).parent
    drawing = sorted(file.name for file in folder.glob("*.py")
                     if file.name != "progress.py" and ("rich.progress" in file.read_text(encoding="utf-8")
                                                        or ".status(" in file.read_text(encoding="utf-8")))
    assert drawing == []
