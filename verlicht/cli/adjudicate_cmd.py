"""``verlicht code adjudicate A B``: settle two coders' differences into a consensus source."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from verlicht.cli import Context, pass_ctx
from verlicht.cli.code_cmd import _layout, code
from verlicht.cli.output import format_option, render

COLUMNS = ["uid", "ref", "a", "b", "decision", "codes"]


@code.command("adjudicate")
@click.argument("a", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("b", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The consensus source (default: coders/consensus/NAME); its log is NAME.decisions.csv beside it.")
@click.option("--take", type=click.Choice(["a", "b", "both", "neither"]),
              help="Decide every open difference this way, without asking (after any --decide).")
@click.option("--decide", "decisions", multiple=True, metavar="UID=CHOICE",
              help="Decide one utterance: a, b, both, neither or edit:CODE;CODE. Repeatable; nothing is asked.")
@click.option("--list", "list_only", is_flag=True, help="Only list the differences and decisions; write nothing.")
@click.option("--force", is_flag=True, help="Start afresh: overwrite --out and drop its decisions log.")
@click.option("--by", "by", envvar="VERLICHT_CODER", metavar="NAME",
              help="Who adjudicates, logged with each decision (default: $VERLICHT_CODER, git's user.name, login).")
@format_option
@pass_ctx
def adjudicate(ctx: Context, a: Path, b: Path, out: Path | None, take: str | None, decisions: tuple[str, ...],
               list_only: bool, force: bool, by: str | None, fmt: str) -> None:
    """Settle coder A's and coder B's differences, utterance by utterance, into a consensus source.

    \b
    Interactive (a terminal, no --take/--decide/--list): each utterance where the copies differ is
    shown with both coders' codes side by side; a takes A's, b B's, both, n neither, e edit:
      verlicht code adjudicate coders/anna/r07.rock coders/bram/r07.rock
    Scripted:
      verlicht code adjudicate coders/anna/r07.rock coders/bram/r07.rock --decide 7ddr5tz6=a --take both
    Every decision is written at once to the consensus and to NAME.decisions.csv beside it; the
    same command resumes where it stopped. The table lists each difference with its decision.
    """
    from verlicht.api import Workspace
    from verlicht.coding.adjudicate_tui import run

    workspace = Workspace(_layout(ctx, a))
    scripted = bool(take or decisions or list_only)
    result = workspace.adjudicate(a.absolute(), b.absolute(), None if out is None else out.absolute(), take=take,
                                  decide=decisions, force=force, list_only=list_only, by=by)
    if not scripted:  # the adjudicator: on a terminal, or reading the same commands from a pipe (it shows warnings)
        run(result, interactive=sys.stdin.isatty() and sys.stdout.isatty())
        return
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    rows = result.rows()
    if fmt != "json":
        rows = [{**row, "decision": row["decision"] or "open"} for row in rows]
    if not list_only:
        click.echo(f"wrote {result.shown_out}: {len(result.verdicts)} of {len(result.differences)} differences "
                   f"decided, {len(result.open_differences())} open (decisions: {result.log.name})", err=True)
    render(rows, fmt, COLUMNS if fmt != "json" else None)
