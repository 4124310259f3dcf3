"""``verlicht codebook``: look at the codebook's use, and rename, merge or retype its concepts everywhere."""

from __future__ import annotations

import sys

import click
import orjson

from verlicht import api
from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import format_option, render

LIST_COLUMNS = api.CONCEPT_COLUMNS


@cli.group()
def codebook() -> None:
    """The codebook: what is in it, where it is used, and refactors that rewrite every source and logic model.

    \b
      verlicht codebook stats
      verlicht codebook show goedkope_woningen
      verlicht codebook rename goedkope_woningen betaalbare_woningen --reason "term uit het Toekomstplan"
      verlicht codebook merge instroom instroom_kwetsbaren
      verlicht codebook rename --edge-type collaborates werkt_samen
    """


@codebook.command("list")
@click.option("--type", "type_", type=click.Choice(api.CONCEPT_TYPES), help="Only concepts of this type.")
@format_option
@pass_ctx
def list_(ctx: Context, type_: str | None, fmt: str) -> None:
    """Every concept with its type, labels, theme and how often the sources and logic models use it."""
    rows = ctx.workspace.codebook_concepts(type_)
    missing = ctx.workspace.codebook_missing()
    if missing:
        # Not an empty codebook but none at all: say so rather than "(no rows)".
        click.echo(missing, err=True)
        if fmt == "table":
            return
    render(rows, fmt, LIST_COLUMNS)


@codebook.command()
@click.argument("code")
@format_option
@pass_ctx
def show(ctx: Context, code: str, fmt: str) -> None:
    """A concept's definition, where it is used (sources, logic models), its assumptions and its indicators."""
    found = ctx.workspace.codebook_show(code)
    if fmt == "json":
        sys.stdout.write(orjson.dumps(found, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    if fmt == "csv":
        render(found["locations"], fmt, ["path", "line", "col", "role"])
        return
    definition = found["definition"]
    if definition:
        click.echo(f"{code}  ({definition['type']}, {definition['where']})")
        click.echo(f"  label: {definition['label_nl']} / {definition['label_en']}")
        for key in ("theme", "description"):
            if definition[key]:
                click.echo(f"  {key}: {definition[key]}")
        if definition["synonyms"]:
            click.echo(f"  synonyms: {', '.join(definition['synonyms'])}")
    else:
        click.echo(f"{code}  (not in the codebook)")
    roles = ", ".join(f"{n} {role}" for role, n in found["by_role"].items() if n)
    click.echo(f"\nused {found['uses']} time(s)" + (f": {roles}" if roles else ""))
    if found["locations"]:
        render(found["locations"], fmt, ["where", "role"])
    if found["assumptions"]:
        click.echo("\nassumptions")
        render(found["assumptions"], fmt, ["cause", "effect", "type", "polarity", "codes", "sources"])
    if found["indicators"]:
        click.echo("\nindicators")
        render(found["indicators"], fmt, ["id", "measures", "tests", "where"])


@codebook.command()
@format_option
@pass_ctx
def stats(ctx: Context, fmt: str) -> None:
    """Uses per code and per type, unused codes, codes and edge types used but not defined (with locations)."""
    if fmt == "json":
        sys.stdout.write(orjson.dumps(ctx.workspace.codebook_stats(), option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    render(ctx.workspace.codebook_stats_rows(), fmt, ["section", "name", "uses", "detail"])


@codebook.command()
@format_option
@pass_ctx
def log(ctx: Context, fmt: str) -> None:
    """The codebook changelog (ontology/CHANGELOG.md): every refactor applied, oldest first."""
    entries = ctx.workspace.codebook_log()
    if not entries and fmt == "table":
        click.echo(f"no codebook changes recorded yet ({ctx.workspace.codebook_log_file()})", err=True)
        return
    render(entries, fmt, ["date", "command", "who", "changed", "reason"])


def _apply_options(func):
    func = click.option("--reason", help="Why: kept in ontology/CHANGELOG.md.")(func)
    func = click.option("--dry-run", is_flag=True, help="Only show the diff; change nothing.")(func)
    func = click.option("-y", "--yes", is_flag=True,
                        help="Apply without asking (after the summary); needed when stdin is no terminal.")(func)
    return func


@codebook.command()
@click.argument("old")
@click.argument("new")
@click.option("--edge-type", is_flag=True, help="OLD and NEW are edge types, not concepts.")
@_apply_options
@pass_ctx
def rename(ctx: Context, old: str, new: str, edge_type: bool, yes: bool, dry_run: bool, reason: str | None) -> None:
    """Rename concept OLD to NEW in every source, the codebook, the indicator catalogue and logic/*.yaml."""
    _done(ctx.workspace.codebook_rename(old, new, edge_type=edge_type, reason=reason, confirm=_confirm(yes, dry_run)))


@codebook.command()
@click.argument("a")
@click.argument("b")
@click.option("--edge-type", is_flag=True, help="A and B are edge types, not concepts.")
@click.option("--drop-self-loops", is_flag=True,
              help="Remove network codes A->B and B->A (and indicator tests) that the merge makes B->B.")
@click.option("--keep-conflicts", is_flag=True,
              help="Keep codes the merge sets next to their opposite claim on one line (listed in the preview).")
@_apply_options
@pass_ctx
def merge(ctx: Context, a: str, b: str, edge_type: bool, drop_self_loops: bool, keep_conflicts: bool, yes: bool,
          dry_run: bool, reason: str | None) -> None:
    """Fold concept A into B: A's uses become B (sources, indicators, logic/*.yaml), A leaves the codebook.

    A's Dutch label (without a qualifier such as "(thema)") and synonyms become B's synonyms, none twice;
    its English label only when the codebook already keeps English labels as synonyms.

    A merge that would leave one utterance holding a claim and its opposite (x->B||causal_pos and
    x->B||causal_neg, from x->A||causal_pos and x->B||causal_neg) is refused, with every such place
    listed: recode those lines first, or pass --keep-conflicts to keep both codes as written (the
    preview lists them as conflicts). Likewise a merge that would make A->B codes B->B is refused unless
    --drop-self-loops.
    """
    _done(ctx.workspace.codebook_merge(a, b, edge_type=edge_type, drop_self_loops=drop_self_loops,
                                       keep_conflicts=keep_conflicts, reason=reason, confirm=_confirm(yes, dry_run)))


@codebook.command()
@click.argument("code")
@click.argument("type_", metavar="TYPE")
@_apply_options
@pass_ctx
def retype(ctx: Context, code: str, type_: str, yes: bool, dry_run: bool, reason: str | None) -> None:
    """Give concept CODE another TYPE (actor, factor, mechanism, intervention, outcome or context)."""
    _done(ctx.workspace.codebook_retype(code, type_, reason=reason, confirm=_confirm(yes, dry_run)))


def _confirm(yes: bool, dry_run: bool):
    """The refactor's confirmation: show the plan's diff (unless --yes), its notes and summary, and say whether
    to apply it (asking on a terminal).

    Without a terminal to ask on, only --yes applies: the preview is shown and the run fails (exit 1).
    """

    def confirm(plan) -> bool:
        if not yes or dry_run:
            for line in plan.diff():
                click.echo(_colour(line))
        for note in plan.notes:
            click.echo(f"note: {note}", err=True)
        click.echo(plan.summary(), err=True)
        if dry_run:
            click.echo("dry run: nothing was changed", err=True)
            return False
        if not plan.changes:
            click.echo("nothing to change", err=True)
            return False
        if not yes and not _interactive():
            # No one to ask (a script, a pipe, CI): the preview above is all this run does.
            click.echo("nothing was changed: pass --yes to apply (or --dry-run to only preview)", err=True)
            sys.exit(1)
        if not yes and not click.confirm("apply these changes?", default=False, err=True):
            click.echo("nothing was changed", err=True)
            return False
        return True

    return confirm


def _done(refactor) -> None:
    if refactor.applied:
        click.echo(f"changed {refactor.plan.files} file(s), {refactor.plan.occurrences} occurrence(s); "
                   f"logged in {refactor.changelog}", err=True)


def _interactive() -> bool:
    """Whether someone can answer the confirmation: stdin is a terminal."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except ValueError:  # stdin closed
        return False


def _colour(line: str) -> str:
    """A diff line coloured as git does; click drops the colour when stdout is not a terminal."""
    if line.startswith(("+++", "---")):
        return click.style(line, bold=True)
    if line.startswith("+"):
        return click.style(line, fg="green")
    if line.startswith("-"):
        return click.style(line, fg="red")
    if line.startswith("@@"):
        return click.style(line, fg="cyan")
    return line
