"""``verlicht review …``: living systematic reviews — protocol, search rounds, screening, findings, PRISMA."""

from __future__ import annotations

from pathlib import Path

import click

from verlicht.api import CONSENSUS, REVIEW_TYPES
from verlicht.api import REVIEW_FORMATS as FORMATS
from verlicht.api import REVIEW_STAGES as STAGES
from verlicht.api import REVIEW_STATUSES as STATUSES
from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import format_option, render
from verlicht.errors import ReviewError

screener_option = click.option(
    "--screener", envvar="VERLICHT_SCREENER", required=True, help="Who decides (initials); or set VERLICHT_SCREENER."
)
stage_option = click.option(
    "--stage", type=click.Choice(STAGES), default="title-abstract", show_default=True, help="Screening stage."
)


@cli.group()
def review() -> None:
    """Living systematic reviews: protocol, search rounds, screening, findings, PRISMA 2020.

    \b
    A review lives in reviews/SLUG/ as plain files; 'verlicht build' adds it to the graph.
      verlicht review new menging-cohesie --question 'Versterkt sociale menging de sociale cohesie?'
      verlicht review import menging-cohesie scopus.ris pubmed.nbib --date 2026-06-01
      verlicht review screen menging-cohesie --screener gp
      verlicht review prisma menging-cohesie --svg graphs/prisma.svg
    """


@review.command("new")
@click.argument("slug")
@click.option("--question", default="", help="The review question.")
@click.option(
    "--type",
    "kind",
    type=click.Choice(REVIEW_TYPES),
    default="effect",
    show_default=True,
    help="What kind of question it is.",
)
@format_option
@pass_ctx
def review_new(ctx: Context, slug: str, question: str, kind: str, fmt: str) -> None:
    """Create reviews/SLUG/ with a protocol to fill in."""
    render([ctx.workspace.review_new(slug, question, kind)], fmt)


@review.command("import")
@click.argument("slug")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--database", help="Database of records that do not name theirs (default: the file's name).")
@click.option("--date", help="Date the search was run, YYYY-MM-DD (default: today).")
@click.option(
    "--from",
    "source_format",
    type=click.Choice(["auto", *FORMATS]),
    default="auto",
    show_default=True,
    help="Format of the files.",
)
@click.option("--dry-run", is_flag=True, help="Count, but keep nothing.")
@format_option
@pass_ctx
def review_import(
    ctx: Context,
    slug: str,
    files: tuple[Path, ...],
    database: str | None,
    date: str | None,
    source_format: str,
    dry_run: bool,
    fmt: str,
) -> None:
    """Add a dated search round from RIS, BibTeX, MEDLINE (.nbib), Web of Science tab-delimited or CSV files.

    Records are de-duplicated against the round and every earlier round: DOI, then PMID, then title +
    year + first author. Per file: found, duplicates within the round, duplicates of earlier rounds, new.
    """
    rows = ctx.workspace.review_import(slug, list(files), database, date, source_format, dry_run)
    render(rows, fmt, ["round", "date", "database", "file", "found", "duplicates_within", "duplicates_earlier", "new"])


@review.command("records")
@click.argument("slug")
@click.option("--round", "round_", type=int, help="Only this round.")
@click.option("--status", type=click.Choice(STATUSES), help="Only records in this state.")
@format_option
@pass_ctx
def review_records(ctx: Context, slug: str, round_: int | None, status: str | None, fmt: str) -> None:
    """The kept records and where their screening stands."""
    render(
        ctx.workspace.review_records(slug, round_, status),
        fmt,
        ["record", "round", "label", "status", "reason", "title"],
    )


@review.command("screen")
@click.argument("slug")
@screener_option
@stage_option
@click.option("--all-rounds", is_flag=True, help="Also records of earlier rounds not yet screened.")
@pass_ctx
def review_screen(ctx: Context, slug: str, screener: str, stage: str, all_rounds: bool) -> None:
    """Screen records one by one: i include, e CODE exclude, m maybe, s skip, u undo, q quit.

    Only the unscreened records of the current round, most likely relevant first once the review has
    both an include and an exclude. Every decision is saved at once: stop any time, resume later.
    """
    ctx.workspace.review_screen(slug, screener, stage, all_rounds)


@review.command("queue")
@click.argument("slug")
@screener_option
@stage_option
@click.option("--all-rounds", is_flag=True, help="Also records of earlier rounds not yet screened.")
@format_option
@pass_ctx
def review_queue(ctx: Context, slug: str, screener: str, stage: str, all_rounds: bool, fmt: str) -> None:
    """The records still to screen, in the order 'review screen' offers them."""
    render(ctx.workspace.review_queue(slug, screener, stage, all_rounds), fmt)


def _decision(include: bool, exclude: str | None, maybe: bool) -> tuple[str, str | None]:
    chosen = [name for name, on in (("include", include), ("exclude", exclude is not None), ("maybe", maybe)) if on]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --include, --exclude CODE, --maybe")
    return chosen[0], exclude


@review.command("decide")
@click.argument("slug")
@click.argument("record")
@click.option("--include", is_flag=True, help="Include the record.")
@click.option("--exclude", metavar="CODE", help="Exclude it, with a criterion code of the protocol.")
@click.option("--maybe", is_flag=True, help="Not sure yet (goes on to full text).")
@screener_option
@stage_option
@format_option
@pass_ctx
def review_decide(
    ctx: Context,
    slug: str,
    record: str,
    include: bool,
    exclude: str | None,
    maybe: bool,
    screener: str,
    stage: str,
    fmt: str,
) -> None:
    """Record one screening decision (for scripts)."""
    decision, reason = _decision(include, exclude, maybe)
    render([ctx.workspace.review_decide(slug, record, decision, reason, screener, stage)], fmt)


@review.command("reconcile")
@click.argument("slug")
@click.argument("record", required=False)
@click.option("--include", is_flag=True, help="The agreed decision: include.")
@click.option("--exclude", metavar="CODE", help="The agreed decision: exclude, with a criterion code.")
@click.option("--maybe", is_flag=True, help="The agreed decision: maybe.")
@stage_option
@format_option
@pass_ctx
def review_reconcile(
    ctx: Context, slug: str, record: str | None, include: bool, exclude: str | None, maybe: bool, stage: str, fmt: str
) -> None:
    """Two screeners: Cohen's kappa and the conflicts; with RECORD and a decision, settle one conflict."""
    if record:
        decision, reason = _decision(include, exclude, maybe)
        render([ctx.workspace.review_decide(slug, record, decision, reason, CONSENSUS, stage)], fmt)
        return
    result = ctx.workspace.review_conflicts(slug, stage)
    if fmt == "json":
        render([result], fmt)
        return
    kappa = "n/a" if result["kappa"] is None else f"{result['kappa']:.3f}"
    if fmt == "table":
        click.echo(
            f"screeners {' and '.join(result['screeners']) or '(fewer than two)'}: {result['both']} records "
            f"screened by both, {result['agree']} agreed, Cohen's kappa {kappa}; "
            f"{len(result['conflicts'])} conflict(s)"
        )
    if result["conflicts"]:
        render(result["conflicts"], fmt, ["record", "decisions", "title"])


@review.command("status")
@click.argument("slug", required=False)
@format_option
@pass_ctx
def review_status(ctx: Context, slug: str | None, fmt: str) -> None:
    """Living status: last search, next due (overdue flagged), unscreened, included, findings per assumption."""
    rows = ctx.workspace.review_status(slug)
    render(
        rows,
        fmt,
        [
            "review",
            "rounds",
            "last_search",
            "next_due",
            "overdue",
            "records",
            "unscreened",
            "unscreened_all_rounds",
            "awaiting_full_text",
            "included",
            "findings",
            "findings_per_target",
        ],
    )


@review.command("prisma")
@click.argument("slug")
@click.option(
    "--svg",
    "svg",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the PRISMA 2020 flow diagram as SVG to this file.",
)
@click.option("--round", "round_", type=int, help="The diagram of this round (default: all rounds together).")
@format_option
@pass_ctx
def review_prisma(ctx: Context, slug: str, svg: Path | None, round_: int | None, fmt: str) -> None:
    """PRISMA 2020 counts per round and in total (a row per box), and optionally the flow diagram."""
    rows = ctx.workspace.review_prisma(slug)
    if svg is not None:
        ctx.workspace.review_prisma_svg(slug, round_, out=svg)
    elif round_ is not None:
        raise ReviewError("--round picks the round of the diagram", None, "give --svg FILE too")
    render(rows, fmt)
    if svg is not None and fmt == "table":
        click.echo(f"wrote {svg}", err=True)


@review.command("findings")
@click.argument("slug")
@format_option
@pass_ctx
def review_findings(ctx: Context, slug: str, fmt: str) -> None:
    """The findings file, checked against the codebook and the screening (errors as path:line)."""
    render(
        ctx.workspace.review_findings(slug),
        fmt,
        ["line", "study", "label", "target", "direction", "design", "risk_of_bias", "quote"],
    )


@review.command("export-asreview")
@click.argument("slug")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--all-rounds", is_flag=True, help="Unscreened records of every round, not only the current one.")
@click.option("--prior", is_flag=True, help="Add the records decided so far, labelled, as prior knowledge.")
@format_option
@pass_ctx
def review_export_asreview(ctx: Context, slug: str, out: Path, all_rounds: bool, prior: bool, fmt: str) -> None:
    """Write the unscreened records as a CSV dataset for ASReview LAB."""
    render([ctx.workspace.review_export_asreview(slug, out, all_rounds, prior)], fmt)


@review.command("import-asreview")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@screener_option
@click.option(
    "--exclude-reason",
    required=True,
    metavar="CODE",
    help="Criterion code for the records ASReview labelled irrelevant.",
)
@click.option("--dry-run", is_flag=True, help="Show the decisions, keep nothing.")
@format_option
@pass_ctx
def review_import_asreview(
    ctx: Context, slug: str, file: Path, screener: str, exclude_reason: str, dry_run: bool, fmt: str
) -> None:
    """Take ASReview LAB's labelled export back as title/abstract decisions."""
    render(
        ctx.workspace.review_import_asreview(slug, file, screener, exclude_reason, dry_run),
        fmt,
        ["record", "decision", "reason", "screener"],
    )
