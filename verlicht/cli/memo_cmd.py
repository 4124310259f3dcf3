"""``verlicht memo add|list|remove``: notes on an utterance, a source or a concept, kept beside the sources."""

from __future__ import annotations

from pathlib import Path

import click

from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.code_cmd import _login
from verlicht.cli.output import format_option, render

COLUMNS = ["id", "about", "target", "ref", "author", "date", "text"]
source_option = click.option("--source", type=click.Path(dir_okay=False, path_type=Path),
                             help="The source (a memo on it, or with --uid on one of its utterances).")


@cli.group()
def memo() -> None:
    """Memos on an utterance (by uid), a source or a concept.

    \b
      verlicht memo add --uid 7ddr5tz6 "Oorzaak of gevolg? Bespreken met bram."
      verlicht memo add --source interviews/r07.rock "Lang interview, veel herhaling."
      verlicht memo add --concept sociale_cohesie "Bewoners zeggen 'samenhang', 'band'."
      verlicht memo list --format csv
      verlicht memo remove 3f2a9c1b
    Memos are kept in interviews/NAME.memos.yaml (and ontology/memos.yaml for concepts), never in the
    source: its line numbers stay put, and rock and the build ignore them. 'verlicht query evidence'
    shows the memos on each quote. The build scans memos for personal data as it scans the sources.
    """


@memo.command("add")
@click.argument("text")
@source_option
@click.option("--uid", help="The utterance the memo is on (its source is found when --source is not given).")
@click.option("--concept", help="The concept (codebook code) the memo is on.")
@click.option("--author", envvar="VERLICHT_CODER", help="Who writes it (default: $VERLICHT_CODER, your login).")
@click.option("--date", help="The memo's date, YYYY-MM-DD (default: today).")
@format_option
@pass_ctx
def add(ctx: Context, text: str, source: Path | None, uid: str | None, concept: str | None, author: str | None,
        date: str | None, fmt: str) -> None:
    """Add a memo with TEXT on an utterance (--uid), a source (--source) or a concept (--concept)."""
    row = ctx.workspace.add_memo(text, author or _login(), None if source is None else source.absolute(), uid,
                                 concept, date)
    render([row], fmt, COLUMNS if fmt != "json" else None)


@memo.command("list")
@source_option
@click.option("--uid", help="Only memos on this utterance.")
@click.option("--concept", help="Only memos on this concept.")
@format_option
@pass_ctx
def list_(ctx: Context, source: Path | None, uid: str | None, concept: str | None, fmt: str) -> None:
    """The memos of the workspace: concepts first, then per source; ref is where the memo points."""
    rows = ctx.workspace.memos(None if source is None else source.absolute(), uid, concept)
    render(rows, fmt, COLUMNS if fmt != "json" else None)


@memo.command("remove")
@click.argument("memo_id", metavar="ID")
@format_option
@pass_ctx
def remove(ctx: Context, memo_id: str, fmt: str) -> None:
    """Remove the memo ID (a unique start of it will do)."""
    row = ctx.workspace.remove_memo(memo_id)
    render([row], fmt, COLUMNS if fmt != "json" else None)
