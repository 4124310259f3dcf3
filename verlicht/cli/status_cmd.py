"""Goals, status and linking: ``goals list|areas|status``, ``indicators status|suggest`` and ``link``.

``goals list`` and ``goals areas`` show the catalogue; ``indicators status`` and ``goals status`` read the
workspace files (no build needed); ``link`` edits the indicator catalogue; ``indicators suggest`` reads the
catalogue and codebook, and the last build for which concepts take part in assumptions.
"""

from __future__ import annotations

import click

from verlicht import api
from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.indicators_cmd import indicators
from verlicht.cli.output import format_option, render
from verlicht.cli.query_cmd import language_option

area_option = click.option("--area", default="heerlen_noord", show_default=True,
                           help="Area id from the catalogue, e.g. heerlen_noord, vrieheide, heerlen.")
STATUS_CSV_COLUMNS = ("indicator", "label", "unit", "direction", "area", "baseline_date", "baseline_period",
                      "baseline_value", "latest_period", "latest_value", "change", "change_pct", "trend_per_year",
                      "trend_points", "reference", "reference_value", "gap", "standing", "baseline_reference_value",
                      "baseline_gap", "gap_change", "gap_since_baseline", "notes")
SUGGEST_COLUMNS = ("concept", "assumptions", "rank", "indicator", "indicator_label", "score", "via", "command", "note")


@indicators.command("status")
@area_option
@click.option("--goal", type=int, help="Only the indicators that track this goal (1–12).")
@click.option("--theme", help="Only the indicators of this theme (key or label).")
@language_option("Language of the table's title.")
@format_option
@pass_ctx
def indicators_status(ctx: Context, area: str, goal: int | None, theme: str | None, lang: str, fmt: str) -> None:
    """Per indicator: baseline, latest value, trend 2018–2023 and the gap to the national reference.

    \b
    baseline   the value of the latest period starting on or before the indicator's baseline date
               (default 2023-01-01). Periods are placed at their start: a year counts from 1 January,
               so the figure for 2023 is the one at the 2023-01-01 baseline; 2023Q2 is 2023-04-01.
    latest     the value of the last period; change = latest − baseline.
    trend/yr   least-squares slope per year over the periods in 2018–2023.
    reference  the reference series (default: the same indicator in Nederland) for the latest period.
    gap        area − reference; standing: better, worse or level (within 1 % of the reference) by the
               indicator's direction; not judged when it has none (neutral).
    gap since baseline
               how the area moved against the reference since the baseline, by direction: improved,
               worsened or unchanged (the gaps themselves are in --format json: baseline_gap, gap,
               gap_change).
    2018–…     a sparkline, one character per year from 2018 to the latest year in the data (the last
               value of the year; a space for a year without one), scaled to the larger of the row's
               range and 10 % of its mean, so small moves in large numbers stay small.
    –          nothing to show; the note says why: no data, no value at or before the baseline, no
               reference defined (reference 'none' in the catalogue) or no reference value for that
               period.

    \b
    Example:
      verlicht indicators status --goal 4
    """
    rows = ctx.workspace.indicator_status(area=area, goal=goal, theme=theme)
    if fmt == "table":
        columns, cells = api.status_table(rows)
        label = rows[0]["area_label"] if rows else area
        render(cells, fmt, columns, title=api.table_title("indicators", label, lang))
    else:
        render(rows, fmt, STATUS_CSV_COLUMNS)


@indicators.command("suggest")
@click.option("--concept", help="Only suggestions for this concept (also when it is measured already, or an actor).")
@click.option("--limit", type=click.IntRange(min=1), default=api.DEFAULT_LIMIT, show_default=True,
              help="At most this many indicators per concept.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=api.MIN_SCORE, show_default=True,
              help="Leave out indicators holding less than this share of the concept's best name (0–1).")
@format_option
@pass_ctx
def indicators_suggest(ctx: Context, concept: str | None, limit: int, min_score: float, fmt: str) -> None:
    """Indicators that may measure concepts without one, with the command to link them.

    \b
    score  the largest share of one of the concept's names (code, labels, synonyms) that the
           indicator's id, label and definition hold, rare words weighing more; 1 means the
           indicator names the concept outright. via: that name.
    Below --min-score (default 0.6, the best floor measured on the demo catalogue) the shared
    words are incidental; a concept without a better match says "no good match". Actors
    (organisations) are left out unless asked for with --concept. Concepts that take part in
    assumptions (in the last build) come first.
    Example:
      verlicht indicators suggest --concept sociale_cohesie
    """
    rows = ctx.workspace.indicator_suggestions(concept=concept, limit=limit, min_score=min_score)
    render(rows, fmt, SUGGEST_COLUMNS)


@cli.group()
def goals() -> None:
    """The programme's mission, themes, 12 goals and areas, and where Heerlen-Noord stands per goal."""


@goals.command("list")
@language_option("Language of the mission, theme and goal texts.")
@format_option
@pass_ctx
def goals_list(ctx: Context, lang: str, fmt: str) -> None:
    """The mission first, then per theme its goals: number, short label and full text.

    \b
    From the catalogue shipped with VERLICHT, with the workspace's ontology/catalogue.yaml merged over it.
    Example:
      verlicht goals list --lang en
    """
    rows = ctx.workspace.goals(lang)
    render(rows, fmt, api.GOAL_LIST_COLUMNS, title="Missie en doelen" if lang == "nl" else "Mission and goals")


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
    render(ctx.workspace.areas(), fmt, api.AREA_COLUMNS)


@goals.command("status")
@area_option
@language_option("Language of the goal and theme texts.")
@format_option
@pass_ctx
def goals_status(ctx: Context, area: str, lang: str, fmt: str) -> None:
    """Per theme and goal: how its indicators stand against the reference and how they moved.

    \b
    An indicator counts once for every goal it tracks and every theme it belongs to.
    indicators    how many indicators the goal (theme) has
    better, worse, level
                  of those with data: standing against the reference for the latest period, by the
                  indicator's direction (level: within 1 % of the reference)
    not_judged    with data, but no direction (neutral), so neither better nor worse
    no_reference  with data, but no reference value for the latest period (or none defined)
    improved, worsened
                  the gap to the reference moved the good or the bad way since the baseline
    no_data       no value at all in the area
    The table shows each goal's short label; --format json/csv also give the full text.

    \b
    Example:
      verlicht goals status --lang en
    """
    rows = ctx.workspace.goal_status(area=area, lang=lang)
    label = rows[0]["area_label"] if rows else area
    render(rows, fmt, api.GOAL_COLUMNS if fmt == "table" else api.GOAL_CSV_COLUMNS,
           title=api.table_title("goals", label, lang))


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
    Only that cell of the indicator's row changes; the file is written atomically. Linking is
    idempotent: adding a link that is there already, or removing one that is not, changes
    nothing, says so ("nothing changed") and exits 0.
    Examples:
      verlicht link bijstand --measures armoede
      verlicht link bijstand --tests 'betaald_werk->bijstand'
      verlicht link bijstand --tracks 5
      verlicht link bijstand --tracks 5 --remove
    """
    if sum(value is not None for value in (concept, pair, goal)) != 1:
        raise click.UsageError("give exactly one of --measures, --tests and --tracks")
    result = ctx.workspace.link(indicator, measures=concept, tests=pair, tracks=goal, remove=remove)
    click.echo(result.message())
