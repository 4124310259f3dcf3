"""``verlicht neo4j push|query``: mirror the build into Neo4j and ask it Cypher.

The password comes only from ``VERLICHT_NEO4J_PASSWORD``; there is deliberately no option for it.
"""

from __future__ import annotations

from typing import Any

import click
import orjson

from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import format_option, render
from verlicht.cli.progress import progress_bar

PUSH_COLUMNS = ["uri", "database", "build", "nodes", "relationships", "deleted_nodes", "deleted_relationships",
                "seconds", "per_second"]


def _server_options(func):
    for option in reversed([
        click.option("--uri", help="Bolt address (default: VERLICHT_NEO4J_URI, [neo4j] uri in verlicht.toml, "
                                   "bolt://localhost:7687)."),
        click.option("--user", help="User (default: VERLICHT_NEO4J_USER, [neo4j] user, neo4j)."),
        click.option("--database", help="Database (default: VERLICHT_NEO4J_DATABASE, [neo4j] database, "
                                        "the server's default)."),
    ]):
        func = option(func)
    return func


@cli.group()
def neo4j() -> None:
    """Mirror the built graph into Neo4j and query it with Cypher.

    \b
    The password is read only from VERLICHT_NEO4J_PASSWORD:
      export VERLICHT_NEO4J_PASSWORD=…
      verlicht neo4j push --uri bolt://localhost:7687
      verlicht neo4j query gaps

    \b
    Canned queries (NAME for 'verlicht neo4j query'; files in ontology/cypher/):
      gaps      assumptions, steps and mechanisms lacking indicators (as 'verlicht gaps')
      coverage  all of them with their coverage (as 'verlicht gaps --all')
      evidence  the utterances behind one claim (-p cause=… -p effect=…)
      paths     causal chains between two concepts (-p from=… -p to=…)
      findings  the living reviews' findings
    """


@neo4j.command()
@_server_options
@click.option("--batch-size", type=click.IntRange(min=1), default=5000, show_default=True,
              help="Rows per UNWIND … MERGE transaction.")
@click.option("--dry-run", is_flag=True, help="List the statements a push would run; needs no server.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@format_option
@pass_ctx
def push(ctx: Context, uri: str | None, user: str | None, database: str | None, batch_size: int, dry_run: bool,
         quiet: bool, fmt: str) -> None:
    """Mirror the last build into Neo4j: constraints, MERGE in batches, then remove what left the build.

    Safe to run again at any time, also after an interrupted push: every node and relationship is
    stamped with the build, and only what another build stamped is removed, at the end.
    """

    ws = ctx.workspace
    with progress_bar("pushing", quiet=quiet or dry_run) as bar:
        rows = ws.neo4j_push(uri, user, database, batch_size, dry_run=dry_run, progress=bar)
    if dry_run:
        render(rows, fmt, ["op", "kind", "statements", "rows"])
    elif fmt == "table":
        r = rows[0]
        click.echo(f"pushed build {r['build']} to {r['uri']} ({r['database']}): {r['nodes']} nodes, "
                   f"{r['relationships']} relationships; removed {r['deleted_nodes']} nodes and "
                   f"{r['deleted_relationships']} relationships no longer in the build "
                   f"({r['seconds']} s, {r['per_second']}/s)")
    else:
        render(rows, fmt, PUSH_COLUMNS)


def _parameter(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise click.BadParameter(f"'{text}' is not NAME=VALUE", param_hint="--param")
    try:
        return name, orjson.loads(value)
    except orjson.JSONDecodeError:
        return name, value  # plain text: --param concept=armoede


@neo4j.command()
@click.argument("cypher")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter ($NAME); VALUE is read as JSON when it parses, else as text. Repeatable.")
@click.option("--write", is_flag=True, help="Allow the query to change the database (read-only otherwise).")
@_server_options
@format_option
@pass_ctx
def query(ctx: Context, cypher: str, params: tuple[str, ...], write: bool, uri: str | None, user: str | None,
          database: str | None, fmt: str) -> None:
    """Run CYPHER: a canned name (gaps, coverage, evidence, paths, findings), a .cypher file, or a statement."""
    rows = ctx.workspace.neo4j_query(cypher, dict(_parameter(p) for p in params), uri, user, database, write)
    render(rows, fmt)
