"""Linked data and exchange formats: ``export``, ``validate`` and ``sparql``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from verlicht import api
from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import format_option, render
from verlicht.cli.progress import working
from verlicht.errors import ExportError


class RegistryChoice(click.Choice):
    """The registered export formats, looked up only when an export command needs them (keeps start-up fast)."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        return api.export_format_names()

    @choices.setter
    def choices(self, _value: Any) -> None:
        pass


@cli.command()
@click.option("--format", "fmt", type=RegistryChoice(),
              help="Export format (see --list); default: from the -o file's suffix.")
@click.option("-o", "--output", type=click.Path(path_type=Path, allow_dash=True),
              help="File to write (atomically); without it (or with '-o -') the export goes to stdout.")
@click.option("--list", "list_formats", is_flag=True, help="List the export formats and stop.")
@pass_ctx
def export(ctx: Context, fmt: str | None, output: Path | None, list_formats: bool) -> None:
    """Export the built graph: linked data (ttl, nt, jsonld), graph files (graphml, gexf), csv, the
    ontology and its SHACL shapes, and the formats other modules register.

    \b
    Examples:
      verlicht export --format ttl -o graphs/verlicht.ttl
      verlicht export --format graphml > graphs/verlicht.graphml
      verlicht export --format ontology -o ontology/verlicht.ttl
      verlicht export --list
    """
    if list_formats:
        render(api.export_formats(), "table")
        return
    if output is not None and str(output) == "-":  # '-o -': stdout, as for other command-line tools
        output = None
    if fmt is None:
        fmt = api.guess_export_format(output) if output is not None else None
        if fmt is None:
            raise ExportError("which format?", None, "give --format (see 'verlicht export --list') or an -o file "
                              "with a known suffix such as .ttl")
    spec = api.exporter(fmt)
    ws = ctx.workspace
    with working(f"exporting {fmt}"):
        if output is None:
            if spec.to_path:
                raise ExportError(f"format '{fmt}' writes files", None,
                                  f"give one with -o, e.g. -o export{spec.suffix}")
            stream = sys.stdout.buffer if spec.binary else sys.stdout
            ws.export(fmt, stream)
            stream.flush()
            return
        row = ws.export(fmt, output)
    click.echo(f"wrote {row['path']} ({row['format']}, {row['bytes']:,} bytes)")


VIOLATION_COLUMNS = ["location", "node", "property", "message", "value"]


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@format_option
@pass_ctx
def validate(ctx: Context, file: Path | None, fmt: str) -> None:
    """Check the linked-data export (or an RDF FILE: .ttl, .nt, .jsonld) against the SHACL shapes of
    ontology/shapes.ttl. Lists each violation with the file and line the node comes from; exits 1 when
    there are any.

    \b
    Examples:
      verlicht validate
      verlicht validate graphs/verlicht.ttl --format json
    """
    ws = ctx.workspace
    with working("validating"):
        result = ws.validate(file)
    violations = result["violations"]
    if fmt == "json":
        render([result], "json")
    elif violations:
        render(violations, fmt, VIOLATION_COLUMNS, title="SHACL violations")
    elif fmt == "csv":
        render([], "csv", VIOLATION_COLUMNS)
    if result["conforms"]:
        click.echo(f"conforms: {result['triples']:,} triples checked against {result['shapes']} shapes",
                   err=fmt != "table")
        return
    raise ExportError(f"{len(violations)} SHACL violation(s) in {result['triples']:,} triples", None,
                      "fix the files named, run 'verlicht build' and validate again")


@cli.command()
@click.argument("query", required=False)
@click.option("--engine", type=click.Choice(["auto", "rdflib", "oxigraph"]), default="auto", show_default=True,
              help="SPARQL engine; auto takes Oxigraph on large graphs.")
@format_option
@pass_ctx
def sparql(ctx: Context, query: str | None, engine: str, fmt: str) -> None:
    """Ask the linked-data graph a SPARQL QUERY: text, a .rq file, or a canned query of ontology/queries
    (gaps, coverage, evidence, paths, holders, findings). Without QUERY, list the canned queries. The prefixes vl: (the
    ontology), id: (the nodes), rdf, rdfs, xsd, owl, skos, prov, dcterms, qb and sh are declared.

    \b
    Examples:
      verlicht sparql gaps
      verlicht sparql ontology/queries/evidence.rq --format csv
      verlicht sparql 'SELECT ?c ?label WHERE { ?c a vl:Concept ; skos:prefLabel ?label FILTER(lang(?label)="en") }'
    """
    ws = ctx.workspace
    if query is None:
        render(ws.sparql_queries(), fmt, ["query", "file", "description"])
        return
    with working("querying"):
        rows = ws.sparql(query, engine=engine)
    render(rows, fmt)
