"""``verlicht codebook import FILE.qdc``: take codes from ATLAS.ti, NVivo or MAXQDA (REFI-QDA codebooks).

Attached to the ``codebook`` group from here, so that the REFI-QDA code stays in its own module.
"""

from __future__ import annotations

from pathlib import Path

import click

from verlicht.cli import Context, pass_ctx
from verlicht.cli.codebook_cmd import codebook
from verlicht.cli.output import format_option, render


@codebook.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would be added; change nothing.")
@format_option
@pass_ctx
def import_(ctx: Context, file: Path, dry_run: bool, fmt: str) -> None:
    """Add the codes of a REFI-QDA codebook (.qdc) that ontology/codebook.yaml lacks.

    Codes are named as ROCK codes (ASCII, lower case, '_'); a code under a group named after a concept
    type (actor, factor, mechanism, intervention, outcome, context) gets that type, others 'factor'.
    Codes the codebook has already are left as they are.
    """
    rows = ctx.workspace.import_qdc(file, dry_run=dry_run)
    render(rows, fmt, ["action", "code", "type", "name", "parent", "description"])
    if fmt == "table":
        added = sum(1 for r in rows if r["action"] == "add")
        verb = "would add" if dry_run else "added"
        click.echo(f"{verb} {added} of {len(rows)} codes to ontology/codebook.yaml", err=True)
