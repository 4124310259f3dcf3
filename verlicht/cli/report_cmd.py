"""``verlicht report``: the dashboard pages for bestuurders, professionals and bewoners, from the last build."""

from __future__ import annotations

from pathlib import Path

import click

from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import format_option, render
from verlicht.cli.progress import working
from verlicht.cli.query_cmd import language_option

REPORT_COLUMNS = ("page", "path", "bytes", "title")


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), help="Folder for the pages (default: graphs/report/).")
@language_option("Language of the pages (Dutch by default).")
@click.option("--area", default="heerlen_noord", show_default=True,
              help="Area whose indicator figures the pages show (an area id from the catalogue).")
@click.option("--open", "open_", is_flag=True, help="Open the index page in the browser afterwards.")
@format_option
@pass_ctx
def report(ctx: Context, out: Path | None, lang: str, area: str, open_: bool, fmt: str) -> None:
    """Write the dashboard: static HTML pages for bestuurders, professionals and bewoners, and the gap list.

    \b
    index.html          links to each page
    bestuurders.html    the 12 goals: indicators against the national reference and since the baseline (charts)
    professionals.html  assumptions with anonymised quotes and source:line, mechanisms, literature, gaps
    bewoners.html       plain Dutch: what people said, what is tracked and what not yet
    lacunes.html        the gap list (as 'verlicht gaps')

    The pages are made from the last build only (run 'verlicht build' first), load nothing from the
    network, print cleanly and are the same bytes for the same build.

    \b
    Example:
      verlicht build && verlicht report --open
    """
    with working("writing the report"):
        rows = ctx.workspace.report(out=out, lang=lang, area=area)
    render(rows, fmt, REPORT_COLUMNS)
    if open_:
        index = next(r for r in rows if r["page"] == "index")
        path = Path(index["path"])
        click.launch(str(path if path.is_absolute() else ctx.workspace.root / path))
