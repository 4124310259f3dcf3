"""The ``verlicht`` command. Commands parse options, call one library function and render.

Errors are turned into messages in exactly one place, :func:`main`: a user
mistake prints ``path:line:col: what is wrong — how to fix it`` and exits 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from verlicht import __version__
from verlicht.api import Workspace
from verlicht.cli.output import format_option, render
from verlicht.errors import BuildError, VerlichtError
from verlicht.workspace import open_layout


class Context:
    """What the group passes to its commands: where the workspace is."""

    def __init__(self, workspace: Path | None):
        self.workspace_path = workspace
        self._workspace: Workspace | None = None

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = Workspace(open_layout(self.workspace_path))
        return self._workspace


pass_ctx = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="verlicht")
@click.option("-w", "--workspace", type=click.Path(file_okay=False, path_type=Path), envvar="VERLICHT_WORKSPACE",
              help="Workspace folder (default: the nearest folder with verlicht.toml).")
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None) -> None:
    """VERLICHT: from QNA-coded interviews to a queryable theory of change.

    \b
    Typical session:
      verlicht init mijn-werkruimte && cd mijn-werkruimte
      verlicht build
      verlicht gaps
      verlicht query evidence 'verloop_bewoners->sociale_cohesie'
    """
    ctx.obj = Context(workspace)


def main(argv: list[str] | None = None) -> None:
    """Run the command line, turning VERLICHT errors into one-line messages and exit status 1."""
    try:
        cli.main(args=argv, prog_name="verlicht", standalone_mode=False)
    except BuildError as exc:
        for error in exc.errors:
            click.echo(f"error: {error}", err=True)
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except VerlichtError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted; nothing was half-written", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)


# Registering the commands (imports below attach them to ``cli``).
from verlicht.cli import (  # noqa: E402,F401
    agreement_cmd,
    anonymise_cmd,
    build_cmd,
    code_cmd,
    codebook_cmd,
    indicators_cmd,
    query_cmd,
    status_cmd,
    suggest_cmd,
)

__all__ = ["cli", "format_option", "main", "render"]
