"""Query commands: ``gaps``, ``query assumptions|evidence|paths|concepts`` and ``stats``."""

from __future__ import annotations

import click

from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import format_option, render

lang_option = click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
                           help="Language of concept labels.")
polarity_choice = click.Choice(["+", "-", "?"])
ASSUMPTION_COLUMNS = ["cause", "effect", "polarity", "coverage", "support", "bewoner", "professional",
                      "bestuurder", "contested"]


def _with_groups(rows: list[dict]) -> list[dict]:
    """Rows for table/CSV: one column of holders per group."""
    out = []
    for row in rows:
        flat = dict(row)
        for group in ("bewoner", "professional", "bestuurder"):
            flat[group] = row["holders"].get(group, [])
        out.append(flat)
    return out


@cli.command()
@click.option("--all", "show_all", is_flag=True, help="List every assumption, not only partial/unmeasured.")
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many rows.")
@lang_option
@format_option
@pass_ctx
def gaps(ctx: Context, show_all: bool, limit: int | None, lang: str, fmt: str) -> None:
    """Which assumptions lack indicators, and who holds them (ranked by support)."""
    rows = ctx.workspace.gaps(all=show_all, lang=lang)
    if limit:
        rows = rows[:limit]
    if fmt == "json":
        render(rows, fmt)
    else:
        render(_with_groups(rows), fmt, ASSUMPTION_COLUMNS,
               title="Aannames zonder (volledige) indicator" if not show_all else "Alle aannames")


@cli.group()
def query() -> None:
    """Ask the built graph: assumptions, evidence, causal paths, concepts."""


@query.command("assumptions")
@click.option("--group", help="Only assumptions held by someone of this group (bewoner, professional, bestuurder).")
@click.option("--concept", help="Only assumptions with this concept as cause or effect.")
@click.option("--min-support", type=click.IntRange(min=1), default=1, show_default=True,
              help="Held by at least this many respondents.")
@click.option("--polarity", type=polarity_choice, help="Only this polarity.")
@click.option("--coverage", type=click.Choice(["tested", "measurable", "partial", "unmeasured"]),
              help="Only this indicator coverage.")
@lang_option
@format_option
@pass_ctx
def query_assumptions(ctx: Context, group: str | None, concept: str | None, min_support: int,
                      polarity: str | None, coverage: str | None, lang: str, fmt: str) -> None:
    """Assumptions (causal claims) filtered by group, concept, support, polarity or coverage."""
    rows = ctx.workspace.assumptions(group=group, concept=concept, min_support=min_support,
                                     polarity=polarity, coverage=coverage, lang=lang)
    render(rows if fmt == "json" else _with_groups(rows), fmt, ASSUMPTION_COLUMNS)


@query.command("evidence")
@click.argument("claim", metavar="CAUSE->EFFECT")
@click.option("--polarity", type=polarity_choice, help="Only claims of this polarity.")
@format_option
@pass_ctx
def query_evidence(ctx: Context, claim: str, polarity: str | None, fmt: str) -> None:
    """The quotes behind a claim, with source:line and respondent."""
    rows = ctx.workspace.evidence(claim, polarity=polarity)
    render(rows, fmt, ["source", "line", "respondent", "group", "polarity", "type", "text"])


@query.command("paths")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--max-length", type=click.IntRange(min=1, max=8), default=4, show_default=True,
              help="Longest chain, in steps.")
@format_option
@pass_ctx
def query_paths(ctx: Context, source: str, target: str, max_length: int, fmt: str) -> None:
    """Causal chains from FROM to TO through held assumptions, with the chain's polarity."""
    rows = ctx.workspace.paths(source, target, max_length=max_length)
    render(rows, fmt, ["length", "polarity", "min_support", "steps"])


@query.command("concepts")
@lang_option
@format_option
@pass_ctx
def query_concepts(ctx: Context, lang: str, fmt: str) -> None:
    """Every concept with its type, label, uses and indicators."""
    render(ctx.workspace.concepts(lang=lang), fmt,
           ["code", "type", "label", "uses", "assumptions", "measured_by", "in_codebook"])


@cli.command()
@format_option
@pass_ctx
def stats(ctx: Context, fmt: str) -> None:
    """Counts: sources, utterances, concepts, assumptions by coverage, respondents by group."""
    render(ctx.workspace.stats(), fmt, ["metric", "value"])
