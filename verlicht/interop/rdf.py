"""The graph as linked data: IRIs, triples, and the formats Turtle, N-Triples and JSON-LD.

The mapping is generic over :mod:`verlicht.graph.schema`, so a node or edge kind added there exports without
a change here:

* a node is ``<{base_iri}id/{id}>`` (the stable id, percent-encoded) of class ``vl:{Kind}``, with
  ``dcterms:identifier`` its id;
* a property is ``vl:{name}`` typed as schema.py declares it (undeclared ones by their Python value), except
  ``label`` (``skos:prefLabel`` per language, ``rdfs:label`` when it has none), ``description``
  (``dcterms:description``) and ``definition`` (``skos:definition``); ``name_nl``/``name_en`` pairs are one
  property with language tags, lists give one triple per value, mappings one ``rdf:JSON`` literal;
* an edge is the triple ``source vl:{KIND} target`` (the graph's own relationship names, as in Neo4j); an edge
  with properties is also reified as an ``rdf:Statement`` carrying them.

``vl:`` is ``{base_iri}ontology#`` (see :mod:`verlicht.interop.ontology`). Where a standard vocabulary says it
better, the export adds its triple: concepts are ``skos:inScheme`` the codebook, observations are in their
indicator's ``qb:dataSet``, utterances ``prov:wasAttributedTo`` their respondent.

Triples are made as pyoxigraph terms in a fixed order (nodes by id, then properties by name, then edges) and
serialised by Oxigraph: the same graph gives the same bytes, and a thousand interviews export in seconds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote, unquote

import orjson
import pyoxigraph as ox

from verlicht.errors import ExportError, Location
from verlicht.graph import schema
from verlicht.graph.store import Provenance
from verlicht.interop.records import Records, export_records, speaker
from verlicht.interop.registry import exporter

if TYPE_CHECKING:
    import rdflib

    from verlicht.api import Workspace

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
QB = "http://purl.org/linked-data/cube#"
SH = "http://www.w3.org/ns/shacl#"
STANDARD_PREFIXES = {"rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "skos": SKOS, "prov": PROV,
                     "dcterms": DCTERMS, "qb": QB, "sh": SH}
# Characters an id keeps in its IRI; the rest (">" of "->", "#", spaces, non-ASCII) is percent-encoded.
IRI_SAFE = ":/+_.-~!$&'()*,;=@"
_PLAIN = re.compile(r"[A-Za-z0-9:/+_.~!$&'()*,;=@-]*")
XSD_TYPES = {"string": "string", "local": "string", "integer": "integer", "decimal": "decimal",
             "boolean": "boolean"}
WELL_KNOWN = {"description": DCTERMS + "description", "definition": SKOS + "definition"}
LANGUAGES = ("nl", "en")


# scheme ":" then no character an IRI may not hold (RFC 3987: no spaces, <, >, ", {, }, |, \\, ^, `)
_ABSOLUTE_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+')


class Vocabulary:
    """The IRIs of one workspace: terms under ``{base}ontology#``, nodes under ``{base}id/``."""

    def __init__(self, base_iri: str, language: str = "nl"):
        if not _ABSOLUTE_IRI.fullmatch(base_iri):  # else rdflib warns per term and oxigraph fails mid-export
            raise ExportError(f"base_iri '{base_iri}' is not an absolute IRI", Location("verlicht.toml"),
                              'write e.g. base_iri = "https://example.org/my-project/" under [workspace]')
        self.base = base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"
        self.vl = self.base + "ontology#"
        self.data = self.base + "id/"
        self.language = language
        self.prefixes = {"vl": self.vl, "id": self.data, **STANDARD_PREFIXES}

    def node(self, ident: str) -> str:
        if _PLAIN.fullmatch(ident):  # most ids need no escaping; quote() is slow on 300,000 of them
            return self.data + ident
        return self.data + quote(ident, safe=IRI_SAFE)

    def ident(self, iri: str) -> str | None:
        """The node id of a node IRI, None for any other IRI."""
        return unquote(iri[len(self.data):]) if iri.startswith(self.data) else None

    def term(self, name: str) -> str:
        return self.vl + name

    def codebook(self) -> str:
        return self.data + "codebook"

    def structure(self) -> str:
        return self.vl + "ObservationStructure"


def workspace_vocabulary(ws: Workspace) -> Vocabulary:
    return Vocabulary(ws.layout.config.base_iri, ws.layout.config.language)


def predicate(vocab: Vocabulary, name: str, type_: str) -> str:
    """The predicate IRI of a node or edge property (see the module docstring)."""
    if name == "label":
        return SKOS + "prefLabel" if type_ == "text" else RDFS + "label"
    return WELL_KNOWN.get(name) or vocab.term(name)


@lru_cache(maxsize=64)
def declared(kind: str) -> dict[str, tuple[str, bool]]:
    """Declared properties of ``kind``: name -> (type, many)."""
    return {name: (type_, many) for name, type_, _required, many in schema.node_properties(kind)}


def split_language(name: str) -> tuple[str, str | None]:
    """``label_nl`` -> (``label``, ``nl``); other names unchanged."""
    stem, _, lang = name.rpartition("_")
    return (stem, lang) if stem and lang in LANGUAGES else (name, None)


def infer_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "decimal"
    if isinstance(value, dict):
        return "json"
    return "string"


def decimal_text(value: Any) -> str | None:
    """The xsd:decimal lexical form of a number (no exponent), None for NaN and infinities."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return format(Decimal(repr(value)) if isinstance(value, float) else Decimal(value), "f")


class TripleMaker:
    """Turns records into pyoxigraph triples, reusing the terms it has made."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self._iris: dict[str, ox.NamedNode] = {}
        self._nodes: dict[str, ox.NamedNode] = {}
        self._plans: dict[tuple[str, tuple[str, ...]], list[tuple[str, ox.NamedNode, str, str | None]]] = {}
        self.type = self.iri(RDF + "type")
        self._json, self._boolean = self.iri(RDF + "JSON"), self.iri(XSD + "boolean")
        self._integer, self._decimal = self.iri(XSD + "integer"), self.iri(XSD + "decimal")
        self.identifier = self.iri(DCTERMS + "identifier")

    def node(self, ident: str) -> ox.NamedNode:
        found = self._nodes.get(ident)
        if found is None:
            found = self._nodes[ident] = ox.NamedNode(self.vocab.node(ident))
        return found

    def iri(self, value: str) -> ox.NamedNode:
        found = self._iris.get(value)
        if found is None:
            found = self._iris[value] = ox.NamedNode(value)
        return found

    def literal(self, value: Any, type_: str, lang: str | None = None) -> ox.Literal | None:
        if value is None:
            return None
        if lang:
            return ox.Literal(str(value), language=lang)
        if type_ == "string" and value.__class__ is str:
            return ox.Literal(value)
        if type_ == "local":
            return ox.Literal(str(value), language=self.vocab.language)
        if type_ == "json":
            return ox.Literal(orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode(), datatype=self._json)
        if type_ == "boolean" or isinstance(value, bool):
            return ox.Literal("true" if value else "false", datatype=self._boolean)
        if type_ == "integer" and isinstance(value, int):
            return ox.Literal(str(value), datatype=self._integer)
        if type_ in ("decimal", "integer") and isinstance(value, (int, float)):
            text = decimal_text(value)
            if text is None:  # NaN and infinities have no decimal form
                double = "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
                return ox.Literal(double, datatype=self.iri(XSD + "double"))
            return ox.Literal(text, datatype=self._decimal)
        return ox.Literal(str(value))

    def properties(self, subject: ox.NamedNode, kind: str, record: dict[str, Any],
                   skip: tuple[str, ...] = ()) -> list[ox.Triple]:
        """One triple per property value of ``record`` (None, empty lists and keys starting with _ give none)."""
        names = tuple(record)
        plan = self._plans.get((kind, names))
        if plan is None:  # records of one kind mostly share their keys: work out their mapping once
            plan = self._plans[(kind, names)] = [
                (name, *self._resolve(kind, name, record[name]))
                for name in sorted(names) if name not in skip and not name.startswith("_")]
        found = []
        literal, triple = self.literal, ox.Triple
        for name, pred, type_, lang in plan:
            value = record[name]
            if value is None:
                continue
            if value.__class__ is list:
                for item in value:
                    term = literal(item, type_, lang)
                    if term is not None:
                        found.append(triple(subject, pred, term))
            else:
                term = literal(value, type_, lang)
                if term is not None:
                    found.append(triple(subject, pred, term))
        return found

    def _resolve(self, kind: str, name: str, value: Any) -> tuple[ox.NamedNode, str, str | None]:
        """The predicate, type and language of property ``name`` of ``kind`` (declared, else from its value)."""
        stem, lang = split_language(name)
        if lang is not None:
            type_ = "text"
        else:
            type_ = declared(kind).get(name, (None, False))[0]
            if type_ is None:
                type_ = infer_type(value[0] if isinstance(value, list) and value else value)
        return self.iri(predicate(self.vocab, stem, type_)), type_, lang


def triples(ws: Workspace, records: Records | None = None) -> Iterator[ox.Triple]:
    """Every triple of the workspace's export, in a fixed order."""
    vocab = workspace_vocabulary(ws)
    if records is None:
        records = export_records(ws.graph, Provenance(ws.layout.graphs))
    return record_triples(vocab, records)


def record_triples(vocab: Vocabulary, records: Records) -> Iterator[ox.Triple]:
    make = TripleMaker(vocab)
    out: dict[str, list[dict[str, Any]]] = {}
    for edge in records.edges:
        out.setdefault(edge["source"], []).append(edge)
    in_scheme, data_set = make.iri(SKOS + "inScheme"), make.iri(QB + "dataSet")
    attributed = make.iri(PROV + "wasAttributedTo")
    codebook = make.iri(vocab.codebook())
    triple, literal, node_iri, rdf_type, identifier = ox.Triple, ox.Literal, make.node, make.type, make.identifier
    for ident, node in records.nodes.items():
        kind = node["kind"]
        subject = node_iri(ident)
        yield triple(subject, rdf_type, make.iri(vocab.term(kind)))
        yield triple(subject, identifier, literal(ident))
        yield from make.properties(subject, kind, node, skip=("id", "kind"))
        if kind == "Concept":
            yield ox.Triple(subject, in_scheme, codebook)
        elif kind == "Observation" and node.get("indicator"):
            yield ox.Triple(subject, data_set, node_iri(schema.indicator_id(node["indicator"])))
        elif kind == "Indicator":
            yield ox.Triple(subject, make.iri(QB + "structure"), make.iri(vocab.structure()))
        elif kind == "Utterance":
            who = speaker(node)
            if who and who in records.nodes:
                yield triple(subject, attributed, node_iri(who))
        last = None
        for edge in out.get(ident, ()):
            key = (edge["kind"], edge["target"])
            if key != last:  # one triple for edges that differ only in their properties (a set, as RDF is)
                yield triple(subject, make.iri(vocab.term(edge["kind"])), node_iri(edge["target"]))
            last = key
    yield from _scheme(make, vocab, records)
    yield from _statements(make, vocab, records)


def _scheme(make: TripleMaker, vocab: Vocabulary, records: Records) -> Iterator[ox.Triple]:
    """The codebook as a SKOS concept scheme."""
    scheme = make.iri(vocab.codebook())
    yield ox.Triple(scheme, make.type, make.iri(SKOS + "ConceptScheme"))
    name = records.header.get("workspace") or "VERLICHT"
    yield ox.Triple(scheme, make.iri(DCTERMS + "title"), ox.Literal(f"Codebook: {name}"))


def edge_statement(edge: dict[str, Any]) -> str:
    """The id of an edge's reification (edges with properties only)."""
    return f"edge:{edge['kind']}|{edge['source']}|{edge['target']}" + (
        f"|{edge['relation']}" if edge.get("relation") else "")


def _statements(make: TripleMaker, vocab: Vocabulary, records: Records) -> Iterator[ox.Triple]:
    """Edges with properties as reified ``rdf:Statement`` nodes carrying those properties."""
    statement = make.iri(RDF + "Statement")
    subject_, predicate_, object_ = (make.iri(RDF + p) for p in ("subject", "predicate", "object"))
    found = [e for e in records.edges if any(k not in ("kind", "source", "target") for k in e)]
    for edge in sorted(found, key=edge_statement):
        node = make.iri(vocab.node(edge_statement(edge)))
        yield ox.Triple(node, make.type, statement)
        yield ox.Triple(node, subject_, make.node(edge["source"]))
        yield ox.Triple(node, predicate_, make.iri(vocab.term(edge["kind"])))
        yield ox.Triple(node, object_, make.node(edge["target"]))
        yield from make.properties(node, edge["kind"], edge, skip=("kind", "source", "target"))


def serialize(ws: Workspace, fmt: ox.RdfFormat, out: IO[bytes]) -> None:
    vocab = workspace_vocabulary(ws)
    prefixes = vocab.prefixes if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD) else None
    if prefixes:
        ox.serialize(triples(ws), out, format=fmt, prefixes=prefixes)
    else:
        ox.serialize(triples(ws), out, format=fmt)


@exporter("ttl", suffix=".ttl", binary=True, help="RDF Turtle (linked data; checks with 'verlicht validate')")
def write_turtle(ws: Workspace, out: IO[bytes]) -> None:
    serialize(ws, ox.RdfFormat.TURTLE, out)


@exporter("nt", suffix=".nt", binary=True, help="RDF N-Triples, one triple a line")
def write_ntriples(ws: Workspace, out: IO[bytes]) -> None:
    serialize(ws, ox.RdfFormat.N_TRIPLES, out)


@exporter("jsonld", suffix=".jsonld", binary=True, help="RDF JSON-LD")
def write_jsonld(ws: Workspace, out: IO[bytes]) -> None:
    serialize(ws, ox.RdfFormat.JSON_LD, out)


# -- the same triples for RDFLib (SHACL with pyshacl, SPARQL with rdflib) ---------------------------------------

def to_rdflib(source: Iterator[ox.Triple], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """Add pyoxigraph triples to an RDFLib graph (a new one when none is given)."""
    import rdflib

    graph = rdflib.Graph() if graph is None else graph
    iris: dict[str, rdflib.URIRef] = {}
    datatypes: dict[str, rdflib.URIRef] = {}

    def iri(term: ox.NamedNode) -> rdflib.URIRef:
        value = term.value
        found = iris.get(value)
        if found is None:
            found = iris[value] = rdflib.URIRef(value)
        return found

    def obj(term: Any) -> Any:
        if isinstance(term, ox.NamedNode):
            return iri(term)
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == XSD + "string":
            return rdflib.Literal(term.value)
        found = datatypes.get(dt)
        if found is None:
            found = datatypes[dt] = rdflib.URIRef(dt)
        return rdflib.Literal(term.value, datatype=found)

    add = graph.add
    for t in source:
        add((iri(t.subject), iri(t.predicate), obj(t.object)))
    return graph


def to_store(source: Iterator[ox.Triple]) -> ox.Store:
    """The triples in an in-memory Oxigraph store (fast SPARQL on large graphs)."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in source)
    return store
