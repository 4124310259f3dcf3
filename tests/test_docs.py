"""Docs that run: every command has help and appears in the README."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner
from helpers import REPO

from verlicht.cli import cli


def commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        if command.hidden:
            continue
        path = (*prefix, name)
        found.append(path)
        if isinstance(command, click.Group):
            found.extend(commands(command, path))
    return found


ALL = commands()
README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ALL, ids=" ".join)
def test_every_command_has_help(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output
    command = cli
    for name in path:
        command = command.commands[name]
    assert (command.help or command.short_help or "").strip(), f"verlicht {' '.join(path)} has no help text"


def in_readme(path: tuple[str, ...]) -> bool:
    """``verlicht a b`` literally, or as one of a README alternation such as ``verlicht codebook list|show``."""
    if f"verlicht {' '.join(path)}" in README:
        return True
    head, last = " ".join(path[:-1]), path[-1]
    pattern = re.compile(rf"verlicht {re.escape(head)} ((?:[\w-]+(?:\s+[A-Z][\w.…]*)*\s*\\?\|\s*)+[\w-]+)")
    return any(last in re.split(r"\s*\\?\|\s*", m.group(1).replace("\n", " ")) or
               last in [w for part in re.split(r"\\?\|", m.group(1)) for w in part.split()[:1]]
               for m in pattern.finditer(README)) if head else False


@pytest.mark.parametrize("path", ALL, ids=" ".join)
def test_every_command_appears_in_the_readme(path):
    assert in_readme(path), f"'verlicht {' '.join(path)}' is not in the README"


def test_there_are_commands_to_check():
    assert len(ALL) > 40
