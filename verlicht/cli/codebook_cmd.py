"""``verlicht codebook``: look at the codebook's use, and rename, merge or retype its concepts everywhere."""

from __future__ import annotations

import sys

import click
import orjson

from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import format_option, render
from verlicht.codebook import CONCEPT_TYPES

LIST_COLUMNS = ["code", "type", "label_nl", "theme", "uses"]


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
@click.option("--type", "type_", type=click.Choice(CONCEPT_TYPES), help="Only concepts of this type.")
@format_option
@pass_ctx
def list_(ctx: Context, type_: str | None, fmt: str) -> None:
    """Every concept with its type, labels, theme and how often the sources and logic models use it."""
    from verlicht.codebook import missing_codebook
    from verlicht.coding.usage import codebook_file, concept_rows

    layout = ctx.workspace.layout
    rows = concept_rows(layout, type_)
    book = codebook_file(layout)
    if not book.exists():
        # Not an empty codebook but none at all: say so rather than "(no rows)".
        click.echo(str(missing_codebook(layout.shown(book))), err=True)
        if fmt == "table":
            return
    render(rows, fmt, LIST_COLUMNS)


@codebook.command()
@click.argument("code")
@format_option
@pass_ctx
def show(ctx: Context, code: str, fmt: str) -> None:
    """A concept's definition, where it is used (sources, logic models), its assumptions and its indicators."""
    from verlicht.coding.usage import show_concept

    found = show_concept(ctx.workspace.layout, code)
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
    from verlicht.coding.usage import codebook_stats, stats_rows

    found = codebook_stats(ctx.workspace.layout)
    if fmt == "json":
        sys.stdout.write(orjson.dumps(found, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    render(stats_rows(found), fmt, ["section", "name", "uses", "detail"])


@codebook.command()
@format_option
@pass_ctx
def log(ctx: Context, fmt: str) -> None:
    """The codebook changelog (ontology/CHANGELOG.md): every refactor applied, oldest first."""
    from verlicht.coding.refactor import changelog_file, read_changelog

    layout = ctx.workspace.layout
    entries = read_changelog(layout)
    if not entries and fmt == "table":
        click.echo(f"no codebook changes recorded yet ({layout.shown(changelog_file(layout))})", err=True)
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
    from verlicht.coding.refactor import plan_rename

    _run(ctx, plan_rename(ctx.workspace.layout, old, new, edge_type=edge_type), yes, dry_run, reason)


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
    from verlicht.coding.refactor import plan_merge

    plan = plan_merge(ctx.workspace.layout, a, b, edge_type=edge_type, drop_self_loops=drop_self_loops,
                      keep_conflicts=keep_conflicts)
    _run(ctx, plan, yes, dry_run, reason)


@codebook.command()
@click.argument("code")
@click.argument("type_", metavar="TYPE")
@_apply_options
@pass_ctx
def retype(ctx: Context, code: str, type_: str, yes: bool, dry_run: bool, reason: str | None) -> None:
    """Give concept CODE another TYPE (actor, factor, mechanism, intervention, outcome or context)."""
    from verlicht.coding.refactor import plan_retype

    _run(ctx, plan_retype(ctx.workspace.layout, code, type_), yes, dry_run, reason)


def _run(ctx: Context, plan, yes: bool, dry_run: bool, reason: str | None) -> None:
    """Show the plan's diff (unless --yes), ask, and apply it with its changelog entry.

    Without a terminal to ask on, only --yes applies: the preview is shown and the run fails (exit 1).
    """
    from verlicht.coding.refactor import apply_plan

    if not yes or dry_run:
        for line in plan.diff():
            click.echo(_colour(line))
    for note in plan.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(plan.summary(), err=True)
    if dry_run:
        click.echo("dry run: nothing was changed", err=True)
        return
    if not plan.changes:
        click.echo("nothing to change", err=True)
        return
    if not yes and not _interactive():
        # No one to ask (a script, a pipe, CI): the preview above is all this run does.
        click.echo("nothing was changed: pass --yes to apply (or --dry-run to only preview)", err=True)
        sys.exit(1)
    if not yes and not click.confirm("apply these changes?", default=False, err=True):
        click.echo("nothing was changed", err=True)
        return
    apply_plan(ctx.workspace.layout, plan, reason=reason)
    log = ctx.workspace.layout.shown(ctx.workspace.layout.ontology / "CHANGELOG.md")
    click.echo(f"changed {plan.files} file(s), {plan.occurrences} occurrence(s); logged in {log}", err=True)


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
