"""Workspace commands: ``init``, ``build`` and ``parse``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import format_option, render
from verlicht.rock import network_code, read_source
from verlicht.workspace import init_workspace


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="Workspace name (default: the folder name).")
def init(directory: Path, name: str | None) -> None:
    """Create an empty workspace in DIRECTORY: verlicht.toml, folders and a starter codebook."""
    target = init_workspace(directory, name)
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
    err = Console(stderr=True)
    if err.is_terminal and not quiet:
        with Progress(TextColumn("[bold]building[/]"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.description}"), TimeElapsedColumn(), console=err,
                      transient=True) as bar:
            task = bar.add_task("", total=None)

            def progress(path: str, index: int, total: int) -> None:
                bar.update(task, total=total, completed=index, description=path)

            report = ws.build(strict=strict, progress=progress, allow_unanonymised=allow_unanonymised)
    else:
        report = ws.build(strict=strict, allow_unanonymised=allow_unanonymised)
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
    rows = []
    for file in files:
        if not file.exists():
            raise click.BadParameter(f"{file} does not exist", param_hint="FILES")
        source = read_source(file, str(file))
        if warnings:
            for warning in source.warnings:
                click.echo(str(warning), err=True)
        for u in source.utterances:
            rows.append({
                "source": str(file), "line": u.line, "uid": u.uid, "cid": u.case_id, "coder": u.coder_id,
                "nesting": u.nesting, "text": u.text,
                "codes": [c.id for c in u.codes],
                "values": {v.code: v.value for v in u.values},
                "network": [network_code(n.source, n.target, n.type, n.weight) for n in u.network],
                "ids": dict(u.ids),
            })
    render(rows, fmt, ["source", "line", "uid", "cid", "text", "codes", "network"])
    sys.stdout.flush()
