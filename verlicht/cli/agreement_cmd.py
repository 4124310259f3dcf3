"""``verlicht agreement`` and ``verlicht merge``: several coders' copies of one source.

A copy's coder is its ``[[coderId=…]]``, else the name given with ``--coder FILE=NAME``,
else the name of the folder it is in (``coders/anna/r07.rock`` is anna's).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import orjson

from verlicht import api
from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import format_option, render

STAT_COLUMNS = ["kind", "code", "units", "agreement", "alpha", "kappa", "applied", "note"]
DISAGREEMENT_COLUMNS = ["uid", "ref", "text", "code", "applied_by", "not_applied_by", "note"]
CONFLICT_COLUMNS = ["uid", "ref", "code", "for", "against", "kept", "note"]
TEXT_WIDTH = 70  # characters of an utterance's text in the table of disagreements (CSV and JSON give all)

sources_argument = click.argument("sources", nargs=-1, required=True, metavar="SOURCE_A SOURCE_B [...]",
                                  type=click.Path(dir_okay=False, path_type=Path))
coder_option = click.option(
    "--coder", "coder_pairs", multiple=True, metavar="FILE=NAME",
    help="Name the coder of a copy that has no [[coderId=…]] (default: its folder's name). Repeatable.")


def _coders(pairs: tuple[str, ...]) -> dict[str, str]:
    named = {}
    for pair in pairs:
        path, _, name = pair.rpartition("=")
        if not path or not name:
            raise click.BadParameter(f"'{pair}' is not FILE=NAME", param_hint="--coder")
        named[path] = name
    return named


def _emit_json(data: Any) -> None:
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())


def _number(value: float | None, undefined: str = "undefined") -> str:
    return undefined if value is None else f"{value:.3f}"


@cli.command()
@sources_argument
@click.option("--codes", "kinds", flag_value="codes", help="Plain codes only.")
@click.option("--network", "kinds", flag_value="network", help="Network edges (cause->effect||type) only.")
@click.option("--both", "kinds", flag_value="both", default=True, help="Codes and network edges (default).")
@click.option("--by-code", is_flag=True, help="A row per code and edge, not only the pooled rows.")
@click.option("--level", type=click.Choice(["edge", "pair"]), default="edge", show_default=True,
              help="Compare network codes as cause->effect||type (edge) or as the pair cause->effect whatever "
                   "its type and sign (pair: a sign flip agrees).")
@click.option("--disagreements", "only_disagreements", is_flag=True,
              help="Output only the table of disagreements (for CSV or JSON, with the full text).")
@coder_option
@format_option
def agreement(sources: tuple[Path, ...], kinds: str, by_code: bool, level: str,
              only_disagreements: bool, coder_pairs: tuple[str, ...], fmt: str) -> None:
    """How well coders agree: Krippendorff's alpha, Cohen's kappa, percent agreement, disagreements.

    \b
    Give each coder's copy of one source; utterances are matched by uid:
      verlicht agreement coders/anna/r07.rock coders/bram/r07.rock --by-code
    Every code and edge (cause->effect||type, weight aside) is applied or not per utterance;
    the pooled rows take every (utterance, code) pair as one unit; --level pair compares edges
    by cause->effect alone. Each disagreement names the utterance by uid and ref, its line in the
    first copy given that holds it (as 'merge' and 'code adjudicate' do).
    """
    report = api.agreement_of(list(sources), _coders(coder_pairs), kinds, by_code, level)
    for warning in report.warnings:
        click.echo(str(warning), err=True)
    if fmt == "json":
        _emit_json(report.disagreements if only_disagreements else report.to_dict())
        return
    if fmt == "csv":
        if only_disagreements:
            render([_disagreement_cells(row) for row in report.disagreements], fmt, DISAGREEMENT_COLUMNS)
        else:
            render(report.statistics, fmt, STAT_COLUMNS)
        return
    names = [c["coder"] for c in report.coders]
    if not only_disagreements:
        click.echo(f"Agreement of {len(names)} coders ({', '.join(names)}) on {report.units} utterances")
        render([_stat_cells(row, len(names)) for row in report.statistics], fmt, STAT_COLUMNS)
        click.echo(f"\nDisagreements ({len(report.disagreements)})")
    render([_disagreement_cells(row, short=True) for row in report.disagreements], fmt, DISAGREEMENT_COLUMNS)


def shorten(text: str, width: int = TEXT_WIDTH) -> str:
    """``text`` cut to ``width`` characters with an ellipsis, for a table cell."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _stat_cells(row: dict[str, Any], coders: int) -> dict[str, Any]:
    kind = "codes" if row["kind"] == "code" else "edges"
    return {**row, "code": row["code"] or f"(all {row['variables']} {kind})",
            "agreement": "undefined" if row["agreement"] is None else f"{row['agreement']:.1%}",
            "alpha": _number(row["alpha"]), "kappa": _number(row["kappa"], "undefined" if coders == 2 else "-")}


def _disagreement_cells(row: dict[str, Any], short: bool = False) -> dict[str, Any]:
    """A disagreement as table or CSV cells; the table (``short``) shows the utterance's text shortened."""
    return {**row, "text": shorten(row["text"]) if short else row["text"]}


@cli.command()
@sources_argument
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The consensus source to write.")
@click.option("--rule", type=click.Choice(["all", "majority", "any"]), default="majority", show_default=True,
              help="Keep a code applied by every coder, by more than half of them (with two coders: both), "
                   "or by any.")
@click.option("--conflicts", "conflicts_csv", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the conflicts to this CSV file.")
@click.option("--comments/--no-comments", default=True, show_default=True,
              help="Write each conflict as a '#' comment above its utterance in the consensus.")
@click.option("--force", is_flag=True, help="Overwrite --out (and --conflicts) if they exist.")
@coder_option
@format_option
@pass_ctx
def merge(ctx: Context, sources: tuple[Path, ...], out: Path, rule: str, conflicts_csv: Path | None,
          comments: bool, force: bool, coder_pairs: tuple[str, ...], fmt: str) -> None:
    """Build a consensus source from coders' copies and list the conflicts.

    \b
    The text, uids and YAML come from the first copy; each code is kept by --rule:
      verlicht merge coders/anna/r07.rock coders/bram/r07.rock --out interviews/r07.rock --force
    The consensus records the merge in a VERLICHT_merge YAML fragment and has no coderId.

    Opposite signs on one edge of one utterance (a->b||causal_pos and a->b||causal_neg, or the
    codebook's types with polarity + and -) are a conflict under every rule, noted "contradictory
    types". The consensus never keeps both: where the rule would (--rule any, whenever the coders
    differ on the sign), it keeps neither and the comment above the utterance names both, so the
    team settles the sign instead of the graph counting one utterance for a claim and its opposite.
    """
    # Copies outside any workspace: the built-in edge types.
    report = api.merge_copies(list(sources), out, rule=rule, coders=_coders(coder_pairs), conflicts_csv=conflicts_csv,
                              comments=comments, force=force, layout=api.layout_near(ctx.workspace_path))
    for warning in report.warnings:
        click.echo(str(warning), err=True)
    if rule == "majority" and len(report.coders) == 2 and report.conflicts:
        click.echo(f"note: {report.rule_means} — to settle each conflict by hand instead: verlicht code adjudicate "
                   f"{' '.join(str(s) for s in sources)} (or --rule any to keep them all)", err=True)
    summary = (f"wrote {report.out}: {report.utterances} utterances, {report.kept} codes kept, "
               f"{len(report.conflicts)} conflicts (rule {report.rule}; coders {', '.join(report.coders)})")
    if fmt == "json":
        _emit_json(report.to_dict())
        return
    if fmt == "csv":
        click.echo(summary, err=True)
        render(report.conflicts, fmt, CONFLICT_COLUMNS)
        return
    click.echo(summary)
    if report.conflicts:
        render(report.conflicts, fmt, CONFLICT_COLUMNS)
