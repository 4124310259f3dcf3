"""Test helpers shared by several test modules."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from click.testing import CliRunner

from verlicht.cli import main

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


DEMO_PARTS = ("verlicht.toml", "interviews", "ontology", "indicators", "logic", "reviews")


def copy_demo(target: Path) -> Path:
    """A copy of the demo workspace this repository is (its sources only, no build outputs) at ``target``."""
    target.mkdir(parents=True)
    for name in DEMO_PARTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            shutil.copyfile(source, target / name)
    return target


def copy_workspace(source: Path, target: Path) -> Path:
    """A copy of a test workspace (without build outputs) that a test may change."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("graphs", ".venv", "__pycache__"))
    return target


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                 "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def main_entry(args):
    """Route CliRunner through main(), so the tests see the real error handling."""
    main(list(args))


def run(*args: str, workspace: Path | None = None) -> tuple[int, str, str]:
    """Run the command through main() (the real error handling), capturing stdout and stderr."""
    runner = CliRunner()
    argv = (["-w", str(workspace)] if workspace else []) + list(args)
    result = runner.invoke(main_entry, argv, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr
