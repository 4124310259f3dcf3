"""Indicator commands: ``verlicht indicators import`` and ``verlicht indicators fetch-cbs``."""

from __future__ import annotations

from pathlib import Path

import click

from verlicht import api
from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import format_option, render

COLUMNS = api.IMPORT_COLUMNS
FORMATS_IN = api.IMPORT_FORMATS


@cli.group()
def indicators() -> None:
    """Indicator data: import observations from files or CBS open data."""


def _show(report, fmt: str, what: str) -> None:
    for warning in report.warnings:
        click.echo(str(warning), err=True)
    summary = api.skipped_summary(report)
    if summary:
        click.echo(summary, err=True)
    render(report.to_rows(), fmt, COLUMNS)
    if fmt == "table":
        if report.dry_run:
            click.echo(f"dry run: {report.target} not written", err=True)
        elif report.written:
            click.echo(f"{what} into {report.target}", err=True)
        else:
            click.echo(f"{report.target} already up to date", err=True)


mapping_option = click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path),
                              help="Mapping of CBS measures and regions (default: indicators/cbs_mapping.toml).")


@indicators.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format-in", "format_in", type=click.Choice(FORMATS_IN), default="auto", show_default=True,
              help="Format of the files: project CSV, CBS StatLine CSV, CBS OData v3 or v4 JSON.")
@mapping_option
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--replace", is_flag=True,
              help="Also remove observations of the imported indicators that the files no longer hold.")
@format_option
@pass_ctx
def import_(ctx: Context, files: tuple[Path, ...], format_in: str, mapping: Path | None, dry_run: bool,
            replace: bool, fmt: str) -> None:
    """Merge observations from FILES into indicators/observations.csv.

    \b
    FILES are the project CSV (indicator,area,period,value), CBS StatLine CSV downloads,
    CBS OData v3 JSON (TypedDataSet with its DataProperties, as separate files or one
    cbsodata download) or OData v4 JSON (Observations with MeasureCodes).
    Examples (the JSON is the copy 'verlicht indicators fetch-cbs 85984NED' keeps;
    a StatLine CSV or OData download from opendata.cbs.nl goes the same way):
      verlicht indicators import indicators/cbs/85984NED.json --dry-run
      verlicht indicators import DOWNLOADS/*.csv --format-in cbs-csv
    """
    report = ctx.workspace.import_observations(list(files), format_in, dry_run, mapping, replace)
    _show(report, fmt, "imported")


@indicators.command("fetch-cbs")
@click.argument("table")
@click.option("--measure", "measures", multiple=True, metavar="KEY",
              help="Measure key to fetch, e.g. AantalInwoners_5 (repeatable; default: the mapped ones).")
@click.option("--region", "regions", multiple=True, metavar="CODE",
              help="Region code to fetch, e.g. GM0917 (repeatable; default: the known region codes).")
@mapping_option
@click.option("--dry-run", is_flag=True, help="Fetch and report; write nothing.")
@click.option("--replace", is_flag=True,
              help="Also remove observations of the imported indicators that the table no longer holds.")
@format_option
@pass_ctx
def fetch_cbs(ctx: Context, table: str, measures: tuple[str, ...], regions: tuple[str, ...],
              mapping: Path | None, dry_run: bool, replace: bool, fmt: str) -> None:
    """Fetch CBS table TABLE (OData v3, via cbsodata), keep it in indicators/cbs/ and import it.

    \b
    Example:
      verlicht indicators fetch-cbs 85984NED --measure AantalInwoners_5 --region GM0917
    """
    report, saved = ctx.workspace.fetch_cbs(table, measures, regions, mapping, dry_run, replace)
    _show(report, fmt, f"fetched {saved} and imported")
