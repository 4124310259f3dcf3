"""Workspace commands: ``init``, ``build`` and ``parse``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from verlicht import api
from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import format_option, render
from verlicht.cli.progress import progress_bar


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="Workspace name (default: the folder name).")
def init(directory: Path, name: str | None) -> None:
    """Create an empty workspace in DIRECTORY: verlicht.toml, folders and a starter codebook."""
    target = api.init(directory, name)
    click.echo(f"created workspace in {target}")
    click.echo(f"next: add coded interviews to {target / 'interviews'} and run 'verlicht build'")


@cli.command()
@click.option("--strict", is_flag=True, default=None,
              help="Treat codes and edge types missing from the codebook as errors.")
@click.option("--allow-unanonymised", is_flag=True, default=None,
              help="Accept sources without the anonymisation marker for this run (the residual scan still runs).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no warnings; only errors and the summary.")
@format_option
@pass_ctx
def build(ctx: Context, strict: bool | None, allow_unanonymised: bool | None, quiet: bool, fmt: str) -> None:
    """Build graphs/verlicht.json from the workspace (re-parses only changed sources)."""

    ws = ctx.workspace
    with progress_bar("building", quiet) as bar:
        report = ws.build(strict=strict, allow_unanonymised=allow_unanonymised,
                          progress=None if bar is None else lambda path, index, total: bar(index, total, path))
    if not quiet:
        for warning in report.warnings:
            click.echo(str(warning), err=True)
        for note in report.notes:
            click.echo(f"note: {note}", err=True)
    summary = report.to_dict()
    summary["graph"] = ws.layout.shown(report.graph_file)
    if fmt == "table":
        parts = [f"{summary[k]} {k}" for k in ("sources", "utterances", "concepts", "assumptions", "respondents",
                                                "indicators", "observations", "interventions", "steps",
                                                "warnings")]
        click.echo(f"built {summary['graph']}: " + ", ".join(parts)
                   + f" ({summary['parsed']} parsed, {summary['cached']} unchanged)")
        if summary.get("reviews"):  # living reviews (reviews/SLUG/): a line of their own
            click.echo(f"literature: {summary['reviews']} reviews, {summary['studies']} included studies, "
                       f"{summary['findings']} findings")
    else:
        render([summary], fmt)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--warnings/--no-warnings", default=True, help="Show warnings about unusual codes.")
@format_option
def parse(files: tuple[Path, ...], warnings: bool, fmt: str) -> None:
    """Read ROCK FILES and list their utterances with codes (checks them without a workspace)."""
    for file in files:
        if not file.exists():
            raise click.BadParameter(f"{file} does not exist", param_hint="FILES")
    rows = api.parse(list(files), on_warning=(lambda w: click.echo(str(w), err=True)) if warnings else None)
    render(rows, fmt, ["source", "line", "uid", "cid", "text", "codes", "network"])
    sys.stdout.flush()
