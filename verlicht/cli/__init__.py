"""The ``verlicht`` command. Commands parse options, call one library function and render.

Errors are turned into messages in exactly one place, :func:`main`: a user
mistake prints ``path:line:col: what is wrong — how to fix it`` and exits 1; so does a usage error
(a bad option value, a missing option), as ``what is wrong — see 'verlicht COMMAND --help'``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from verlicht import __version__
from verlicht.cli.output import format_option, render
from verlicht.errors import BuildError, VerlichtError, shown_errors
from verlicht.gcpause import keep, one_shot

if TYPE_CHECKING:
    from verlicht.api import Workspace


class Context:
    """What the group passes to its commands: where the workspace is."""

    def __init__(self, workspace: Path | None):
        self.workspace_path = workspace
        self._workspace: Workspace | None = None

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            from verlicht.api import open as open_workspace  # on first use: `verlicht --help` needs none of it

            self._workspace = keep(open_workspace(self.workspace_path))  # and the graph it loads
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
    """Run the command line, turning VERLICHT errors into one-line messages and exit status 1.

    Run as the ``verlicht`` program (``argv`` None) a command that succeeded ends without tearing its objects
    down one by one (see :func:`_end_now`)."""
    try:
        if argv is None:
            one_shot()
        cli.main(args=argv, prog_name="verlicht", standalone_mode=False)
        if argv is None:
            _end_now()
    except BuildError as exc:
        for line in shown_errors(exc.errors):
            click.echo(f"error: {line}" if not line.startswith("…") else line, err=True)
        click.echo(f"error: {exc.summary}", err=True)
        sys.exit(1)
    except VerlichtError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.exceptions.NoArgsIsHelpError as exc:  # 'verlicht' or a group alone: its help, as ever
        exc.show()
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        click.echo(f"error: {usage_message(exc, sys.argv[1:] if argv is None else argv)}", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted; nothing was half-written", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except OSError as exc:  # the file system said no (permissions, a full disk): the user's to fix
        name = str(exc.filename or "")
        if Path(name).name.startswith(".") and name.endswith(".tmp"):  # our temporary file: name its folder
            name = str(Path(name).parent)
        where = f"{name}: " if name else ""
        click.echo(f"error: {where}{exc.strerror or exc} — check the folder's permissions and free space; "
                   "files are written whole or not at all, so nothing was half-written", err=True)
        sys.exit(1)


def _end_now() -> None:
    """Leave the process at once, as the operating system frees its memory in one go anyway: deallocating a
    loaded worst-case graph and its rows object by object costs 0.1–0.3 s of CPU after the answer is out. The
    exit handlers still run and the output is flushed first (a closed pipe is handled as ever); while another
    thread runs, the process ends the ordinary way, which waits for it."""
    import atexit
    import os

    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def usage_message(exc: click.UsageError, argv: list[str] | None = None) -> str:
    """A usage error as one line, as every other mistake: what is wrong — where the help is.

    >>> usage_message(click.UsageError("Missing option '--goal'."))
    "missing option '--goal' — see 'verlicht --help'"
    """
    text = " ".join(exc.format_message().split()).rstrip(".")
    if text[:2].istitle():  # click's 'Invalid value …', not an option or a code at the start
        text = text[0].lower() + text[1:]
    command = exc.ctx.command if exc.ctx is not None else cli
    path = exc.ctx.command_path if exc.ctx is not None else "verlicht"
    if isinstance(command, click.Group):  # click's parser reports a subcommand's bad option on its group
        path = _command_path(argv or [])
    return f"{text} — see '{path} --help'"


def _command_path(argv: list[str]) -> str:
    """'verlicht indicators status' for the arguments of that command: the groups and command named."""
    names, command = ["verlicht"], cli
    for word in argv:
        if not isinstance(command, click.Group):
            break
        if word in command.commands:
            command = command.commands[word]
            names.append(word)
    return " ".join(names)


# Registering the commands (imports below attach them to ``cli``).
from verlicht.cli import (  # noqa: E402,F401
    adjudicate_cmd,
    agreement_cmd,
    anonymise_cmd,
    build_cmd,
    code_cmd,
    codebook_cmd,
    indicators_cmd,
    interop_cmd,
    memo_cmd,
    neo4j_cmd,
    qda_cmd,
    query_cmd,
    report_cmd,
    review_cmd,
    status_cmd,
    suggest_cmd,
    viz_cmd,
)

__all__ = ["cli", "format_option", "main", "render"]
