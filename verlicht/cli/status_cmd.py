"""Goals, status and linking: ``goals list|areas|status``, ``indicators status|suggest`` and ``link``.

``goals list`` and ``goals areas`` show the catalogue; ``indicators status`` and ``goals status`` read the
workspace files (no build needed); ``link`` edits the indicator catalogue; ``indicators suggest`` reads the
catalogue and codebook, and the last build for which concepts take part in assumptions.
"""

from __future__ import annotations

import click

from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.indicators_cmd import indicators
from verlicht.cli.output import format_option, render
from verlicht.cli.query_cmd import lang_option

area_option = click.option("--area", default="heerlen_noord", show_default=True,
                           help="Area id from the catalogue, e.g. heerlen_noord, vrieheide, heerlen.")
STATUS_CSV_COLUMNS = ("indicator", "label", "unit", "direction", "area", "baseline_date", "baseline_period",
                      "baseline_value", "latest_period", "latest_value", "change", "change_pct", "trend_per_year",
                      "trend_points", "reference", "reference_value", "gap", "standing", "baseline_reference_value",
                      "baseline_gap", "gap_since_baseline", "notes")
SUGGEST_COLUMNS = ("concept", "assumptions", "rank", "indicator", "score", "command")


@indicators.command("status")
@area_option
@click.option("--goal", type=int, help="Only the indicators that track this goal (1–12).")
@click.option("--theme", help="Only the indicators of this theme (key or label).")
@format_option
@pass_ctx
def indicators_status(ctx: Context, area: str, goal: int | None, theme: str | None, fmt: str) -> None:
    """Per indicator: baseline, latest value, trend 2018–2023 and the gap to the national reference.

    \b
    The baseline is the value at or before the indicator's baseline date (default 2023-01-01); the
    trend is the least-squares slope per year over 2018–2023; the gap is the area's value minus the
    reference (default: Nederland) for the same period, judged better or worse by direction.
    Example:
      verlicht indicators status --goal 4
    """
    from verlicht.indicators.status import STATUS_COLUMNS, display_rows, workspace_status

    rows = workspace_status(ctx.workspace.layout, area=area, goal=goal, theme=theme)
    if fmt == "table":
        render(display_rows(rows), fmt, STATUS_COLUMNS, title=f"Indicatoren {area} t.o.v. referentie")
    else:
        render(rows, fmt, STATUS_CSV_COLUMNS)


@indicators.command("suggest")
@click.option("--concept", help="Only suggestions for this concept (also when it is measured already).")
@click.option("--limit", type=click.IntRange(min=1), default=3, show_default=True,
              help="At most this many indicators per concept.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.05, show_default=True,
              help="Leave out matches below this similarity (0–1).")
@format_option
@pass_ctx
def indicators_suggest(ctx: Context, concept: str | None, limit: int, min_score: float, fmt: str) -> None:
    """Indicators that may measure concepts without one, by label similarity, with the command to link them.

    \b
    Concepts that take part in assumptions (in the last build) come first.
    Example:
      verlicht indicators suggest --concept sociale_cohesie
    """
    from verlicht.indicators.similar import workspace_suggestions

    rows = workspace_suggestions(ctx.workspace.layout, concept=concept, limit=limit, min_score=min_score)
    render(rows, fmt, SUGGEST_COLUMNS)


@cli.group()
def goals() -> None:
    """The programme's mission, themes, 12 goals and areas, and where Heerlen-Noord stands per goal."""


@goals.command("list")
@lang_option
@format_option
@pass_ctx
def goals_list(ctx: Context, lang: str, fmt: str) -> None:
    """The mission first, then per theme its goals: number, short label and full text.

    \b
    From the catalogue shipped with VERLICHT, with the workspace's ontology/catalogue.yaml merged over it.
    Example:
      verlicht goals list --lang en
    """
    from verlicht.catalogue import GOAL_LIST_COLUMNS, workspace_goal_list

    rows = workspace_goal_list(ctx.workspace.layout, lang)
    render(rows, fmt, GOAL_LIST_COLUMNS, title="Missie en doelen" if lang == "nl" else "Mission and goals")


@goals.command("areas")
@format_option
@pass_ctx
def goals_areas(ctx: Context, fmt: str) -> None:
    """The areas: the comparison areas, the wijken of Heerlen-Noord (focus wijken marked) and some buurten.

    \b
    cbs_codes are the CBS region codes VERLICHT ships (verlicht/data/regions.yaml); 'note' says when a
    code is not confirmed for every year or still has to be looked up. Codes a workspace adds in
    indicators/cbs_mapping.toml ([regions]) are used by the import but not listed here.
    Example:
      verlicht goals areas --format csv
    """
    from verlicht.catalogue import AREA_COLUMNS, workspace_areas

    render(workspace_areas(ctx.workspace.layout), fmt, AREA_COLUMNS)


@goals.command("status")
@area_option
@lang_option
@format_option
@pass_ctx
def goals_status(ctx: Context, area: str, lang: str, fmt: str) -> None:
    """Per theme and goal: how many indicators stand better or worse than the reference, and gaps narrowing.

    \b
    Example:
      verlicht goals status --lang en
    """
    from verlicht.indicators.status import GOAL_COLUMNS, workspace_goal_status

    rows = workspace_goal_status(ctx.workspace.layout, area=area, lang=lang)
    render(rows, fmt, GOAL_COLUMNS, title=f"Doelen {area}" if lang == "nl" else f"Goals {area}")


@cli.command()
@click.argument("indicator")
@click.option("--measures", "concept", metavar="CONCEPT", help="The indicator measures this concept.")
@click.option("--tests", "pair", metavar="CAUSE->EFFECT", help="The indicator tests this assumption.")
@click.option("--tracks", "goal", metavar="GOAL", help="The indicator tracks this goal (its number).")
@click.option("--remove", is_flag=True, help="Remove the link instead of adding it.")
@pass_ctx
def link(ctx: Context, indicator: str, concept: str | None, pair: str | None, goal: str | None,
         remove: bool) -> None:
    """Link INDICATOR to a concept, an assumption or a goal, in the indicator catalogue file itself.

    \b
    Only that cell of the indicator's row changes; the file is written atomically.
    Examples:
      verlicht link bijstand --measures armoede
      verlicht link werkende_armen --tests 'betaald_werk->armoede'
      verlicht link bijstand --tracks 5 --remove
    """
    from verlicht.indicators.link import link_indicator

    given = [(name, value) for name, value in (("measures", concept), ("tests", pair), ("tracks", goal))
             if value is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --measures, --tests and --tracks")
    name, value = given[0]
    result = link_indicator(ctx.workspace.layout, indicator, name, value, remove=remove)
    click.echo(result.message())
