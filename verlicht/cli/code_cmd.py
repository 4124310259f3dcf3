"""``verlicht code``: the interactive coder, and ``code add|remove|list|copy`` for scripts."""

from __future__ import annotations

from pathlib import Path

import click

from verlicht import api
from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import format_option, render

CODER_HELP = "Your coder id, written as [[coderId=…]] (default: $VERLICHT_CODER, the file's coder, your login)."


class _CodeGroup(click.Group):
    """``verlicht code SOURCE`` opens the coder; ``verlicht code add …`` etc. are subcommands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["open", *args]
        return super().parse_args(ctx, args)


source_argument = click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
coder_option = click.option("--coder", envvar="VERLICHT_CODER", help=CODER_HELP)


def utterance_codes(command):
    """SOURCE, CODES… and which utterance (--uid or --line): what 'code add' and 'code remove' take."""
    for decorate in reversed((
        source_argument,
        click.argument("codes", nargs=-1, required=True),
        click.option("--uid", help="The utterance's uid."),
        click.option("--line", "line", type=int, help="The utterance's line (instead of --uid)."),
    )):
        command = decorate(command)
    return command


def _workspace(ctx: Context, source: Path) -> api.Workspace:
    """The workspace: -w, else the one around the source, else the one around the current folder."""
    return api.open_near(source, ctx.workspace_path)


def _login() -> str:
    return api.login()


@cli.group(cls=_CodeGroup, invoke_without_command=False)
def code() -> None:
    """Code a source: 'verlicht code SOURCE' opens the interactive coder (same as 'code open SOURCE').

    \b
    The coder: verlicht code SOURCE [--coder ID] [--uid UID | --line N] [--uncoded] [--no-suggest]
    (type ? inside it for its keys). Scripted:
      verlicht code add interviews/r07.rock --uid 7ddr5tye "goedkope_woningen->instroom_kwetsbaren||causal_pos"
      verlicht code remove interviews/r07.rock --uid 7ddr5tye 'goedkope_woningen->instroom_kwetsbaren'
      verlicht code list interviews/r07.rock --format csv
      verlicht code copy interviews/r07.rock --coder bram      (a second coder's own copy)
    """


@code.command("open")
@source_argument
@coder_option
@click.option("--uid", help="Start at this utterance.")
@click.option("--line", "line", type=int, help="Start at this line.")
@click.option("--uncoded", is_flag=True, help="Show only uncoded utterances.")
@click.option("--no-suggest", is_flag=True, help="Do not compute suggestions.")
@click.option("--claim", is_flag=True,
              help="The file's codes without a coder id are yours: mark the file with your id without asking.")
@pass_ctx
def open_(ctx: Context, source: Path, coder: str | None, uid: str | None, line: int | None, uncoded: bool,
          no_suggest: bool, claim: bool) -> None:
    """Open the interactive coder on SOURCE."""
    _workspace(ctx, source).code_session(source.absolute(), coder, uid, line, uncoded, suggest=not no_suggest,
                                         claim=claim, ui=api.coder_tui)


@code.command("add")
@utterance_codes
@coder_option
@click.option("--allow-undefined", is_flag=True,
              help="Add codes naming concepts or edge types the codebook lacks (a warning instead of an error).")
@click.option("--claim", is_flag=True,
              help="Mark a file holding codes without a coder id as yours (those codes become yours too).")
@pass_ctx
def add(ctx: Context, source: Path, codes: tuple[str, ...], uid: str | None, line: int | None,
        coder: str | None, allow_undefined: bool, claim: bool) -> None:
    """Add CODES to one utterance of SOURCE (saved at once)."""
    edit = _workspace(ctx, source).code_add(source.absolute(), codes, uid, line, coder, allow_undefined, claim)
    for warning in edit.warnings:
        click.echo(f"warning: {warning}", err=True)
    for line_ in edit.lines():
        click.echo(line_)


@code.command("remove")
@utterance_codes
@pass_ctx
def remove(ctx: Context, source: Path, codes: tuple[str, ...], uid: str | None, line: int | None) -> None:
    """Remove CODES from one utterance ('a->b' without a type removes the one edge a->b)."""
    for line_ in _workspace(ctx, source).code_remove(source.absolute(), codes, uid, line).lines():
        click.echo(line_)


LIST_COLUMNS = api.CODE_LIST_COLUMNS


@code.command("list")
@source_argument
@click.option("--uid", help="Only this utterance.")
@click.option("--uncoded", is_flag=True, help="List the utterances without codes instead.")
@format_option
@pass_ctx
def list_(ctx: Context, source: Path, uid: str | None, uncoded: bool, fmt: str) -> None:
    """The codes of SOURCE, one row per code, with line, uid, case and coder."""
    rows = _workspace(ctx, source).code_list(source.absolute(), uid=uid, uncoded=uncoded)
    render(rows, fmt, LIST_COLUMNS if fmt != "json" else None)


@code.command("copy")
@source_argument
@click.option("--coder", required=True, help="The second coder's id.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the copy (default: coders/CODER/<name> in the workspace).")
@click.option("--keep-codes", is_flag=True, help="Keep the existing codes (default: start uncoded).")
@click.option("--force", is_flag=True, help="Overwrite an existing copy.")
@pass_ctx
def copy(ctx: Context, source: Path, coder: str, out: Path | None, keep_codes: bool, force: bool) -> None:
    """Make CODER's own copy of SOURCE (same text and uids), for independent double coding."""
    made = _workspace(ctx, source).code_copy(source.absolute(), coder, None if out is None else out.absolute(),
                                             keep_codes, force)
    click.echo(f"{made['copy']}: copy for {coder}"
               + (f" ({made['left_out']} codes left out)" if made["left_out"] else ""))
