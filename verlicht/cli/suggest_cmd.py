"""``verlicht suggest``: suggested network codes per utterance, and how good they are (``--evaluate``)."""

from __future__ import annotations

from pathlib import Path

import click

from verlicht import api
from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import format_option, render
from verlicht.errors import CodingError

DEFAULT_MIN_SCORE = 0.2  # = verlicht.coding.suggest.DEFAULT_MIN_SCORE, not imported here: that loads spaCy
LIST_COLUMNS = ["line", "uid", "text", "code", "score", "cue", "coded"]
EVAL_COLUMNS = ["level", "precision", "recall", "f1", "right", "suggested", "found", "coded"]


def _workspace(ctx: Context, sources: tuple[Path, ...]) -> api.Workspace:
    """The workspace given with -w, else the one around the first source, else the current one."""
    if ctx.workspace_path is not None or not sources:
        return ctx.workspace
    return api.open_near(sources[0], fallback=False)


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--uid", help="Only this utterance.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=DEFAULT_MIN_SCORE, show_default=True,
              help="Leave out suggestions scoring lower.")
@click.option("--all", "show_all", is_flag=True,
              help="Every utterance, also interviewers' lines and lines without suggestions.")
@click.option("--evaluate", is_flag=True,
              help="Score the suggestions against the network codes coded in SOURCES (default: all sources).")
@click.option("--learn/--no-learn", default=True, show_default=True,
              help="Also use the words coders linked to concepts in the workspace's sources (--evaluate: "
                   "each source scored by what the others taught).")
@format_option
@pass_ctx
def suggest(ctx: Context, sources: tuple[Path, ...], uid: str | None, min_score: float, show_all: bool,
            evaluate: bool, learn: bool, fmt: str) -> None:
    """Suggested QNA network codes for the utterances of SOURCE, from causal cues in the Dutch text.

    Cues (omdat, doordat, waardoor, leidt tot, zorgt voor, komt door, als … dan, hoe meer … hoe minder, …)
    split a statement into cause and effect; both are mapped onto the codebook's concepts (labels,
    synonyms, code words) and polarity words (meer, minder, niet, geen, …) decide causal_pos or
    causal_neg. 'coded' says whether the code is already on the line.

    \b
    Examples:
      verlicht suggest interviews/r07.rock
      verlicht suggest interviews/r07.rock --uid 7ddr5tye --format json
      verlicht suggest --evaluate                       (all sources of the workspace)
      verlicht suggest --evaluate interviews/r0*.rock --min-score 0.5

    \b
    --evaluate prints precision, recall and F1 per utterance against the causal network codes
    coded on respondents' lines, at three levels: exact (cause, effect and type), pair (cause and
    effect) and edge (the two concepts, either way); 'statement' is the share of coded utterances
    where a causal statement was detected, 'concepts' how many coded causes and effects were named.
    """
    ws = _workspace(ctx, sources)
    if evaluate:
        if uid:
            raise CodingError("--uid and --evaluate do not go together", None, "leave out --uid to evaluate")
        result = ws.suggest_evaluate([s.absolute() for s in sources], min_score, learn=learn)
        click.echo(f"{result.sources} source(s), {result.utterances} respondent utterance(s), "
                   f"{result.coded_utterances} with causal network codes; suggestions scoring ≥ {min_score}",
                   err=True)
        render(result.rows(), fmt, EVAL_COLUMNS)
        return
    rows = ws.suggest([s.absolute() for s in sources], uid=uid, min_score=min_score, show_all=show_all,
                      learn=learn)
    if fmt != "table":
        render(rows, fmt, ["source", *LIST_COLUMNS, "kind", "reason"])
        return
    render(_for_table(rows), fmt, (["source"] if len(sources) > 1 else []) + LIST_COLUMNS)


def _for_table(rows: list[dict]) -> list[dict]:
    """Rows for reading: the utterance's line, uid and text only on its first row; the text shortened."""
    out = []
    previous = None
    for row in rows:
        key = (row["source"], row["line"])
        flat = dict(row)
        if key == previous:
            flat.update(source="", line="", uid="", text="")
        else:
            text = row["text"]
            flat["text"] = text if len(text) <= 60 else text[:59] + "…"
        flat["coded"] = "yes" if row["coded"] else ""
        out.append(flat)
        previous = key
    return out
