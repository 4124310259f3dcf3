"""Query commands: ``gaps``, ``query assumptions|evidence|paths|concepts`` and ``stats``."""

from __future__ import annotations

import click

from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import TABLE_ROWS, flat, format_option, render


def language_option(help_text: str):
    """``--lang nl|en``, with help saying what it changes in this command."""
    return click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True, help=help_text)


lang_option = language_option("Language of concept labels.")
polarity_choice = click.Choice(["+", "-", "?"])
ASSUMPTION_COLUMNS = ["cause", "effect", "polarity", "coverage", "support", "bewoner", "professional",
                      "bestuurder", "contested"]


def _holder_cells(cells: dict) -> None:
    """Give ``cells`` (an assumption row) one text column of holders per group, and ``contested`` as text."""
    holders = cells["holders"]
    for group in ("bewoner", "professional", "bestuurder"):
        cases = holders.get(group, [])
        try:  # as flat() writes them, without a call per cell: case ids are text
            cells[group] = ";".join(cases)
        except TypeError:
            cells[group] = flat(cases)
    contested = cells["contested"]
    cells["contested"] = ("yes" if contested else "no") if contested.__class__ is bool else flat(contested)


def _with_groups(rows: list[dict]) -> list[dict]:
    """Rows for table/CSV: one column of holders per group; those and ``contested`` as their cells, text."""
    out = []
    for row in rows:
        cells = dict(row)
        _holder_cells(cells)
        out.append(cells)
    return out


GAP_KINDS = ("assumptions", "steps", "mechanisms")
GAP_ROW_KIND = {"assumptions": "assumption", "steps": "step", "mechanisms": "mechanism"}
GAP_COLUMNS = {
    "assumptions": [*ASSUMPTION_COLUMNS, "goals", "distance"],
    "steps": ["intervention", "stage", "step", "text", "measure", "coverage", "measured_by", "goals", "distance"],
    "mechanisms": ["intervention", "arrow", "text", "concept", "coverage", "measured_by", "goals", "distance"],
}
GAP_TITLES = {  # per language: (the gaps, everything with --all)
    "nl": {
        "assumptions": ("Aannames zonder (volledige) indicator", "Alle aannames"),
        "steps": ("Interventiestappen zonder indicator", "Alle interventiestappen"),
        "mechanisms": ("Mechanismen zonder indicator", "Alle mechanismen"),
    },
    "en": {
        "assumptions": ("Assumptions without (full) indicators", "All assumptions"),
        "steps": ("Intervention steps without an indicator", "All intervention steps"),
        "mechanisms": ("Mechanisms without an indicator", "All mechanisms"),
    },
}
NONE_REACH = {  # what --goal N says when no step or mechanism of a logic model reaches the goal
    "nl": {"steps": "interventiestappen", "mechanisms": "mechanismen", "all": "interventiestappen of mechanismen",
           "line": "Geen {what} bereiken doel {goal}."},
    "en": {"steps": "intervention steps", "mechanisms": "mechanisms", "all": "intervention steps or mechanisms",
           "line": "No {what} reach goal {goal}."},
}
NO_ASSUMPTIONS = {  # what an empty assumption section says: none at all, or none left without indicators
    "nl": {"none": "Geen aannames in de graaf.", "measured": "Elke aanname is volledig gemeten.",
           "goal_none": "Geen aanname bereikt doel {goal}.",
           "goal_measured": "Elke aanname die doel {goal} bereikt, is volledig gemeten."},
    "en": {"none": "No assumptions in the graph.", "measured": "Every assumption is fully measured.",
           "goal_none": "No assumption reaches goal {goal}.",
           "goal_measured": "Every assumption that reaches goal {goal} is fully measured."},
}


def gap_title(name: str, show_all: bool, lang: str) -> str:
    """The heading of one section of the gaps report, in ``lang``."""
    return GAP_TITLES["en" if lang == "en" else "nl"][name][show_all]


def _gap_cells(rows: list[dict]) -> list[dict]:
    """Rows for table/CSV: holders per group, the distance to the nearest goal, every indicator of a step; an
    assumption's holders, ``contested`` and ``goals`` as their cells, text (the CSV writer then takes the row
    as it is, see :func:`verlicht.cli.output.csv_cells`)."""
    out = []
    assumptions = []
    goal_cells: dict[tuple[int, ...], str] = {}
    for row in rows:  # the query's own rows, used once: given their cells in place (40,000 copies saved)
        if row["kind"] == "assumption":
            goals = tuple(row["goals"])
            _holder_cells(row)
            cell = goal_cells.get(goals)  # the rows of one effect reach the same goals: a few hundred lists
            if cell is None:
                cell = goal_cells[goals] = flat(goals)
            row["goals"] = cell
            assumptions.append(row)
    for row in assumptions + [dict(r) for r in rows if r["kind"] != "assumption"]:
        row["distance"] = row.get("goal_distance")
        if row["kind"] != "assumption":
            row["measured_by"] = sorted({*row.get("indicators", ()), *row["concept_indicators"]})
        out.append(row)
    return out


@cli.command()
@click.option("--all", "show_all", is_flag=True,
              help="List everything, not only the gaps (partial/unmeasured assumptions, unmeasured steps).")
@click.option("--kind", type=click.Choice(["all", *GAP_KINDS]), default="all", show_default=True,
              help="Assumptions, intervention steps, mechanisms, or all three (in that order).")
@click.option("--goal", type=click.IntRange(min=1),
              help="Only what reaches this programme goal through a causal path (distances are then to it).")
@click.option("--limit", type=click.IntRange(min=1),
              help="Show at most this many rows of each kind (a table otherwise stops at 200).")
@language_option("Language of concept labels, step and mechanism texts, and the headings.")
@click.option("--literature", is_flag=True,
              help="Held assumptions without any review finding, or contradicted by the literature.")
@format_option
@pass_ctx
def gaps(ctx: Context, show_all: bool, kind: str, goal: int | None, limit: int | None, lang: str,
         fmt: str, literature: bool = False) -> None:
    """What lacks indicators: assumptions (ranked by goal relevance and support), then the steps and
    mechanisms of intervention logic models.

    \b
    coverage   assumptions: partial (one end measured) or unmeasured (neither); steps and
               mechanisms: unmeasured (no indicator monitors the step or measures its concepts).
    measure    (steps) what would show the step happened, in words, as its logic model says.
    goals      the programme goals the row reaches: through a causal path of held claims to a
               concept that one of the goal's indicators measures, or (steps) the goals it aims at.
    distance   how far the nearest of those goals is (with --goal: that goal). Assumptions: the
               claims on the shortest path, 1 when its own effect is measured for the goal. Steps:
               0 when the step aims at the goal or an indicator of the goal monitors it, else the
               claims from its concepts, plus one per arrow to a later step that gets there.
               Mechanisms: as their concept, or as the step their arrow leads to. Empty when the
               row reaches no goal.

    \b
    Examples:
      verlicht gaps --goal 4
      verlicht gaps --kind steps --lang en
    """
    if literature:  # the literature's gaps: a table of its own (verlicht.reviews.queries.literature_gaps)
        render(ctx.workspace.literature_gaps(all=show_all)[:limit], fmt, ["cause", "effect", "polarity", "support",
               "literature", "findings", "supports", "contradicts", "mixed", "null"])
        return
    rows = ctx.workspace.gaps(all=show_all, lang=lang, kind=kind, goal=goal)
    sections = []
    quiet: list[str] = []  # logic sections that --goal emptied
    has_logic = goal is not None and any(True for _ in ctx.workspace.facts.of_kind("Intervention"))
    of_kind: dict[str, list[dict]] = {}
    for row in rows:  # one pass over tens of thousands of rows, not one per kind
        of_kind.setdefault(row["kind"], []).append(row)
    for name in GAP_KINDS if kind == "all" else (kind,):
        found = of_kind.get(GAP_ROW_KIND[name], [])[:limit]
        if not found and name != "assumptions" and has_logic:
            quiet.append(name)
        # Without logic models there are no step or mechanism rows: the report stays the assumption table.
        elif found or name == kind or name == "assumptions":
            sections.append((name, found))
    if fmt == "json":
        render([r for _name, found in sections for r in found], fmt)
        return
    if fmt == "csv":
        columns = ["kind", *dict.fromkeys(c for name, _found in sections for c in GAP_COLUMNS[name])]
        render(_gap_cells([r for _name, found in sections for r in found]), fmt, columns)
        return
    for index, (name, found) in enumerate(sections):
        title = gap_title(name, show_all, lang)
        if index:
            click.echo()
            click.echo(title)
        if name == "assumptions" and not found:
            if not index:
                click.echo(title)
            # Gaps only: were there assumptions (reaching the goal) that are all measured, or none at all?
            some = not show_all and bool(ctx.workspace.gaps(all=True, lang=lang, kind="assumptions", goal=goal))
            line = ("goal_" if goal is not None else "") + ("measured" if some else "none")
            click.echo(NO_ASSUMPTIONS["en" if lang == "en" else "nl"][line].format(goal=goal))
            continue
        shown = found if limit else found[:TABLE_ROWS]  # cells only for the rows the table shows
        render(_gap_cells(shown), fmt, GAP_COLUMNS[name], title=None if index else title,
               table_rows=None if limit else TABLE_ROWS, hidden=len(found) - len(shown))
    if quiet:
        words = NONE_REACH["en" if lang == "en" else "nl"]
        if sections:
            click.echo()
        click.echo(words["line"].format(what=words["all" if len(quiet) == 2 else quiet[0]], goal=goal))


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
    if fmt == "table":  # cells only for the rows the table shows
        render(_with_groups(rows[:TABLE_ROWS]), fmt, ASSUMPTION_COLUMNS, hidden=max(0, len(rows) - TABLE_ROWS))
        return
    render(rows if fmt == "json" else _with_groups(rows), fmt, ASSUMPTION_COLUMNS)


@query.command("evidence")
@click.argument("claim", metavar="CAUSE->EFFECT")
@click.option("--polarity", type=polarity_choice, help="Only claims of this polarity.")
@format_option
@pass_ctx
def query_evidence(ctx: Context, claim: str, polarity: str | None, fmt: str) -> None:
    """The quotes behind a claim, with source:line and respondent."""
    rows = ctx.workspace.evidence(claim, polarity=polarity)
    memos = ["memos"] if any(row.get("memos") for row in rows) else []  # the memos on each quote, when there are any
    render(rows, fmt, ["source", "line", "respondent", "group", "polarity", "type", "text", *memos])


@query.command("paths")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--max-length", type=click.IntRange(min=1, max=8), default=4, show_default=True,
              help="Longest chain, in steps.")
@click.option("--limit", type=click.IntRange(min=0), default=1000, show_default=True,
              help="At most this many chains, shortest and strongest first (0: all).")
@format_option
@pass_ctx
def query_paths(ctx: Context, source: str, target: str, max_length: int, limit: int, fmt: str) -> None:
    """Causal chains from FROM to TO through held assumptions, with the chain's polarity."""
    rows = ctx.workspace.paths(source, target, max_length=max_length, limit=limit or None)
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
