"""``verlicht viz``: write (and open) an interactive graph page of the built graph."""

from __future__ import annotations

from pathlib import Path

import click

from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import format_option, render
from verlicht.cli.query_cmd import language_option

VIZ_COLUMNS = ("file", "view", "nodes", "edges", "concepts", "physics", "bytes")


@cli.command("viz")
@click.option("--focus", metavar="CONCEPT", help="Only the concepts within --depth claims of this concept.")
@click.option("--depth", type=int, default=2, show_default=True, help="How far from --focus to go.")
@click.option("--theme", help="Only claims touching this theme (key or label).")
@click.option("--group", help="Only claims held by this group: bewoner, professional or bestuurder.")
@click.option("--goal", type=int, help="The causal chains that reach this goal, laid out by distance to it.")
@click.option("--gaps", is_flag=True, help="Only assumptions lacking indicators (partial, unmeasured).")
@click.option("--actors", is_flag=True, help="The actor network: actors, their relations and claims.")
@click.option("--intervention", metavar="ID", help="One intervention's logic model with its mechanisms.")
@click.option("--max-quotes", type=click.IntRange(min=0), default=10, show_default=True,
              help="Quotes kept per link in the page (the rest: verlicht query evidence).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write (default: graphs/graph[-VIEW].html in the workspace).")
@click.option("--open", "open_", is_flag=True, help="Open the page in the default browser afterwards.")
@language_option("Language of the page and its labels.")
@format_option
@pass_ctx
def viz(ctx: Context, focus: str | None, depth: int, theme: str | None, group: str | None, goal: int | None,
        gaps: bool, actors: bool, intervention: str | None, max_quotes: int, output: Path | None, open_: bool,
        lang: str, fmt: str) -> None:
    """Write an interactive graph page of the theory of change (one HTML file that works offline).

    Concepts are nodes (colour and shape by type, size by support), assumptions are arrows (colour by
    polarity, dashed when unmeasured, dotted when partly measured, width by support); goals are black boxes,
    linked from the concepts their indicators measure. Click a concept or an arrow for the details: who
    holds it per group, coverage, the indicators at each end, the goals in reach, the quotes with
    source:line, and literature findings when reviews exist. The page filters by theme, group, coverage,
    polarity and minimum support, and searches concepts. On big workspaces the best supported concepts
    are drawn first, clustered by theme, positions worked out in Python, without physics.

    \b
    Examples:
      verlicht viz --open
      verlicht viz --focus sociale_cohesie --depth 1
      verlicht viz --goal 9 --lang en -o goal9.html
      verlicht viz --intervention meer_peuters_naar_opvang
    """
    ws = ctx.workspace
    page = ws.viz(focus=focus, depth=depth, theme=theme, group=group, goal=goal, gaps=gaps, actors=actors,
                  intervention=intervention, lang=lang, max_quotes=max_quotes)
    if output is None:
        slug = page.summary["view"]
        output = ws.layout.graphs / (f"graph-{slug}.html" if slug != "all" else "graph.html")
        if output.is_relative_to(Path.cwd()):  # as the user would type it: graphs/graph.html
            output = output.relative_to(Path.cwd())
    page.write(output)
    render([page.summary], fmt, columns=VIZ_COLUMNS)
    if open_:
        click.launch(str(output))
