"""SPARQL over the linked-data export, with RDFLib (and Oxigraph when the graph is large).

A query is SPARQL text, a ``.rq`` file, or the name of a canned query in ``ontology/queries/`` (``gaps``,
``coverage``, ``evidence``, ``paths``, ``holders``; the workspace's own copy first, then the one VERLICHT ships). The
prefixes ``vl:`` (the ontology) and ``id:`` (the nodes) of the workspace's base IRI, and rdf, rdfs, xsd, owl,
skos, prov, dcterms, qb, sh, are declared for every query, so canned queries work under any ``base_iri``.

Rows are plain values: a node IRI becomes its VERLICHT id (``assumption:a->b:+``), another IRI its prefixed
name, a literal its Python value (numbers, booleans, text). Both engines give the same rows.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verlicht.errors import ExportError, Location
from verlicht.graph.store import Provenance
from verlicht.interop.rdf import XSD, Vocabulary, record_triples, to_rdflib, to_store, workspace_vocabulary
from verlicht.interop.records import export_records

if TYPE_CHECKING:
    from verlicht.api import Workspace

QUERY_FOLDER = "queries"
ENGINES = ("auto", "rdflib", "oxigraph")
LARGE = 200_000  # triples from which 'auto' picks Oxigraph (RDFLib's SPARQL is pure Python)


def canned_queries(ws: Workspace) -> dict[str, Path]:
    """Canned query names and their files: VERLICHT's, overridden by the workspace's ``ontology/queries``."""
    from verlicht.interop.cypher_queries import canned_files

    return canned_files(ws.layout, QUERY_FOLDER, ".rq")


def query_text(ws: Workspace, query: str) -> tuple[str, str]:
    """The SPARQL text of ``query`` (text, file or canned name) and what to call it in messages."""
    stripped = query.strip()
    canned = canned_queries(ws)
    if stripped in canned:
        file = canned[stripped]
        return file.read_text(encoding="utf-8"), ws.layout.shown(file) if file.is_relative_to(ws.root) else stripped
    if "\n" not in stripped and stripped.endswith((".rq", ".sparql")):
        file = Path(stripped)
        if not file.is_absolute() and not file.exists():
            file = ws.root / stripped
        if not file.exists():
            raise ExportError(f"no query file {stripped}", None,
                              f"give SPARQL text, a .rq file or one of: {', '.join(canned)}")
        return file.read_text(encoding="utf-8"), stripped
    if not any(word in stripped.upper() for word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")):
        raise ExportError(f"'{stripped[:60]}' is not a SPARQL query, a .rq file or a canned query", None,
                          f"canned queries: {', '.join(canned)}")
    return stripped, "query"


def prologue(vocab: Vocabulary) -> str:
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in vocab.prefixes.items())


def run_query(ws: Workspace, query: str, engine: str = "auto") -> list[dict[str, Any]]:
    """The rows of a SELECT (an ASK gives ``[{"ask": …}]``, CONSTRUCT/DESCRIBE rows of subject, predicate,
    object) over the workspace's export."""
    if engine not in ENGINES:
        raise ExportError(f"unknown SPARQL engine '{engine}'", None, f"use one of: {', '.join(ENGINES)}")
    text, name = query_text(ws, query)
    vocab = workspace_vocabulary(ws)
    records = export_records(ws.graph, Provenance(ws.layout.graphs))
    if engine == "auto":
        size = len(records.nodes) * 8 + len(records.edges)
        engine = "oxigraph" if size >= LARGE else "rdflib"
    full = prologue(vocab) + text
    if engine == "oxigraph":
        return _oxigraph(to_store(record_triples(vocab, records)), full, vocab, name)
    return _rdflib(to_rdflib(record_triples(vocab, records)), full, vocab, name)


def _error(exc: Exception, name: str) -> ExportError:
    message = " ".join(str(exc).split())
    return ExportError(f"SPARQL error: {message}", Location(name) if name != "query" else None,
                       "check the query (the prefixes vl:, id:, skos:, prov:, dcterms:, qb: are declared)")


def _rdflib(graph: Any, text: str, vocab: Vocabulary, name: str) -> list[dict[str, Any]]:
    from rdflib import Literal, URIRef

    def value(term: Any) -> Any:
        if term is None:
            return None
        if isinstance(term, URIRef):
            return _iri(str(term), vocab)
        if isinstance(term, Literal):
            if term.language is not None or term.datatype is None:
                return str(term)
            return _literal(str(term), str(term.datatype))
        return str(term)

    try:
        result = graph.query(text)
    except Exception as exc:  # the parser and evaluator raise many types
        raise _error(exc, name) from None
    if result.type == "ASK":
        return [{"ask": bool(result.askAnswer)}]
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return sorted(({"subject": value(s), "predicate": value(p), "object": value(o)} for s, p, o in result.graph),
                      key=lambda r: (str(r["subject"]), str(r["predicate"]), str(r["object"])))
    names = [str(v) for v in result.vars]
    return [{n: value(row[i]) for i, n in enumerate(names)} for row in result]


def _oxigraph(store: Any, text: str, vocab: Vocabulary, name: str) -> list[dict[str, Any]]:
    import pyoxigraph as ox

    def value(term: Any) -> Any:
        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            return _iri(term.value, vocab)
        if isinstance(term, ox.Literal):
            if term.language:
                return term.value
            return _literal(term.value, term.datatype.value)
        return str(term)

    try:
        result = store.query(text)
    except Exception as exc:  # SyntaxError, ValueError, OSError from Oxigraph
        raise _error(exc, name) from None
    if isinstance(result, ox.QueryBoolean):
        return [{"ask": bool(result)}]
    if isinstance(result, ox.QueryTriples):
        return sorted(({"subject": value(t.subject), "predicate": value(t.predicate), "object": value(t.object)}
                       for t in result), key=lambda r: (str(r["subject"]), str(r["predicate"]), str(r["object"])))
    names = [v.value for v in result.variables]
    return [{n: value(row[n]) for n in names} for row in result]


def _iri(iri: str, vocab: Vocabulary) -> str:
    ident = vocab.ident(iri)
    if ident is not None:
        return ident
    for prefix, ns in vocab.prefixes.items():
        if iri.startswith(ns) and prefix != "id":
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _literal(text: str, datatype: str) -> Any:
    """A typed literal as a Python value, the same whichever engine gave it."""
    kind = datatype[len(XSD):] if datatype.startswith(XSD) else ""
    try:
        if kind in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                    "unsignedInt", "unsignedLong"):
            return int(text)
        if kind == "decimal":
            number = Decimal(text)
            return int(number) if number == number.to_integral_value() and "." not in text else float(number)
        if kind in ("double", "float"):
            return float(text)
        if kind == "boolean":
            return text in ("true", "1")
    except (ValueError, ArithmeticError):
        return text
    return text
