"""The VERLICHT ontology (OWL) and its SHACL shapes, generated from :mod:`verlicht.graph.schema`.

``ontology/verlicht.ttl`` and ``ontology/shapes.ttl`` of a workspace are these graphs written out
(``verlicht export --format ontology``, ``--format shapes``), under the workspace's ``base_iri``. Nothing here
repeats the schema: classes, properties, labels (nl, en), definitions, datatypes and cardinalities all come
from schema.py; this module only adds how the terms align with the standards the issue asks for (PROV-O for
provenance, SKOS for the codebook, DCTERMS, the RDF Data Cube for observations) and which values a few
properties may take.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from verlicht import __version__
from verlicht.codebook import CONCEPT_TYPES
from verlicht.graph import schema
from verlicht.indicators.tables import DIRECTIONS
from verlicht.interop.rdf import LANGUAGES, Vocabulary, predicate, workspace_vocabulary
from verlicht.interop.registry import exporter
from verlicht.logic.model import STAGES

if TYPE_CHECKING:
    from verlicht.api import Workspace

QB = Namespace("http://purl.org/linked-data/cube#")
SH = Namespace("http://www.w3.org/ns/shacl#")
# How VERLICHT's kinds sit in the standard vocabularies.
CLASS_ALIGNMENT = {
    "Concept": SKOS.Concept, "Assumption": PROV.Entity, "Utterance": PROV.Entity, "Source": PROV.Entity,
    "Respondent": PROV.Agent, "Observation": QB.Observation, "Indicator": QB.DataSet, "Area": DCTERMS.Location,
    "Finding": PROV.Entity, "Study": DCTERMS.BibliographicResource, "Review": PROV.Activity,
    "ReviewRound": PROV.Activity,
}
EDGE_ALIGNMENT = {"EVIDENCED_BY": PROV.wasDerivedFrom, "IN": DCTERMS.isPartOf, "RELATED": SKOS.related}
# The values some properties may take (checked by sh:in).
ALLOWED = {
    ("Concept", "type"): CONCEPT_TYPES,
    ("Assumption", "polarity"): schema.POLARITIES,
    ("Respondent", "group"): (*schema.GROUPS, schema.INTERVIEWER, schema.UNKNOWN_GROUP),
    ("Step", "stage"): STAGES,
    ("Indicator", "direction"): DIRECTIONS,
}
XSD_OF = {"string": XSD.string, "integer": XSD.integer, "decimal": XSD.decimal, "boolean": XSD.boolean,
          "json": RDF.JSON, "text": RDF.langString, "local": RDF.langString}


def _a(word: str) -> str:
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def all_kinds() -> list[str]:
    """Node kinds of the schema, then those with terms declared ahead of their nodes (the reviews')."""
    return [*schema.NODE_KINDS, *(k for k in schema.KIND_TERMS if k not in schema.NODE_KINDS)]


def all_edges() -> list[str]:
    return [*schema.EDGE_KINDS, *(k for k in schema.EDGE_TERMS if k not in schema.EDGE_KINDS)]


def _bind(graph: Graph, vocab: Vocabulary) -> None:
    graph.bind("vl", Namespace(vocab.vl))
    for name, ns in (("skos", SKOS), ("prov", PROV), ("dcterms", DCTERMS), ("qb", QB), ("owl", OWL),
                     ("sh", SH)):
        graph.bind(name, ns)


def _terms(graph: Graph, subject: URIRef, terms: tuple[str, str, str, str] | None, fallback: str) -> None:
    label_nl, label_en, definition_nl, definition_en = terms or (fallback, fallback, "", "")
    graph.add((subject, RDFS.label, Literal(label_nl, lang="nl")))
    graph.add((subject, RDFS.label, Literal(label_en, lang="en")))
    for text, lang in ((definition_nl, "nl"), (definition_en, "en")):
        if text:
            graph.add((subject, SKOS.definition, Literal(text, lang=lang)))


def ontology_graph(vocab: Vocabulary) -> Graph:
    """The OWL ontology of the graph schema."""
    graph = Graph()
    _bind(graph, vocab)
    vl = Namespace(vocab.vl)
    onto = URIRef(vocab.base + "ontology")
    graph.add((onto, RDF.type, OWL.Ontology))
    graph.add((onto, DCTERMS.title, Literal("VERLICHT-ontologie", lang="nl")))
    graph.add((onto, DCTERMS.title, Literal("VERLICHT ontology", lang="en")))
    graph.add((onto, DCTERMS.description, Literal(
        "Het schema van de VERLICHT-graaf: begrippen, aannames (causale beweringen) met hun herkomst tot op de "
        "geanonimiseerde regel, respondenten, indicatoren en waarnemingen, doelen, interventies en reviews.",
        lang="nl")))
    graph.add((onto, DCTERMS.description, Literal(
        "The schema of the VERLICHT graph: concepts, assumptions (causal claims) with their provenance down to "
        "the anonymised line, respondents, indicators and observations, goals, interventions and reviews.",
        lang="en")))
    graph.add((onto, OWL.versionInfo, Literal(__version__)))
    graph.add((onto, DCTERMS.license, URIRef("https://www.gnu.org/licenses/gpl-3.0.html")))
    for kind in all_kinds():
        cls = vl[kind]
        graph.add((cls, RDF.type, OWL.Class))
        _terms(graph, cls, schema.KIND_TERMS.get(kind), kind)
        if kind in CLASS_ALIGNMENT:
            graph.add((cls, RDFS.subClassOf, CLASS_ALIGNMENT[kind]))
    for kind in all_edges():
        prop = vl[kind]
        graph.add((prop, RDF.type, OWL.ObjectProperty))
        _terms(graph, prop, schema.EDGE_TERMS.get(kind), kind)
        if kind in schema.EDGE_KINDS:
            source, target = schema.EDGE_KINDS[kind]
            graph.add((prop, RDFS.domain, vl[source]))
            graph.add((prop, RDFS.range, vl[target]))
        if kind in EDGE_ALIGNMENT:
            graph.add((prop, RDFS.subPropertyOf, EDGE_ALIGNMENT[kind]))
    _datatype_properties(graph, vocab)
    _data_cube(graph, vocab)
    return graph


def _datatype_properties(graph: Graph, vocab: Vocabulary) -> None:
    """Each property schema.py declares, with its domain and range where all kinds agree on them."""
    uses: dict[str, list[tuple[str, str]]] = {}
    for kind in [*all_kinds(), *schema.EDGE_PROPERTIES]:
        for name, type_, _required, _many in schema.node_properties(kind):
            uses.setdefault(predicate(vocab, name, type_), []).append((kind, type_))
    vl = Namespace(vocab.vl)
    for iri in sorted(uses):
        if not iri.startswith(vocab.vl):
            continue  # a standard term (skos:prefLabel, dcterms:description …): declared by its vocabulary
        prop = URIRef(iri)
        name = iri[len(vocab.vl):]
        graph.add((prop, RDF.type, OWL.DatatypeProperty))
        graph.add((prop, RDFS.label, Literal(name.replace("_", " "))))
        kinds = sorted({k for k, _t in uses[iri]})
        types = {t for _k, t in uses[iri]}
        if len(kinds) == 1 and kinds[0] not in schema.EDGE_PROPERTIES:  # an edge's are on its rdf:Statement
            graph.add((prop, RDFS.domain, vl[kinds[0]]))
        if len(types) == 1:
            graph.add((prop, RDFS.range, XSD_OF[types.pop()]))


def _data_cube(graph: Graph, vocab: Vocabulary) -> None:
    """Observations as an RDF Data Cube: each indicator a data set of values by area and period."""
    vl = Namespace(vocab.vl)
    structure = URIRef(vocab.structure())
    graph.add((structure, RDF.type, QB.DataStructureDefinition))
    graph.add((structure, RDFS.label, Literal("Waarnemingen per gebied en periode", lang="nl")))
    graph.add((structure, RDFS.label, Literal("Observations by area and period", lang="en")))
    for name, role, prop in (("area", QB.dimension, vl.IN_AREA), ("period", QB.dimension, vl.period),
                             ("value", QB.measure, vl.value)):
        component = URIRef(f"{vocab.structure()}-{name}")
        graph.add((structure, QB.component, component))
        graph.add((component, RDF.type, QB.ComponentSpecification))
        graph.add((component, role, prop))
        graph.add((prop, RDF.type, QB.DimensionProperty if role == QB.dimension else QB.MeasureProperty))
    graph.add((vl.OBSERVED, OWL.inverseOf, QB.dataSet))


def shapes_graph(vocab: Vocabulary) -> Graph:
    """SHACL shapes for every node kind: identifier, declared properties (datatype, count, values), edges."""
    graph = Graph()
    _bind(graph, vocab)
    vl = Namespace(vocab.vl)
    shapes = Namespace(vocab.base + "shapes#")
    graph.bind("shape", shapes)
    for kind in all_kinds():
        shape = shapes[kind]
        graph.add((shape, RDF.type, SH.NodeShape))
        graph.add((shape, SH.targetClass, vl[kind]))
        label = schema.KIND_TERMS.get(kind, (kind, kind))[1]
        graph.add((shape, RDFS.label, Literal(f"Shape of {_a(label)}", lang="en")))
        _property(graph, shape, shapes[f"{kind}-identifier"], DCTERMS.identifier, XSD.string, 1, 1,
                  f"every {kind} needs exactly one identifier (its id)")
        for name, type_, required, many in schema.node_properties(kind):
            path = URIRef(predicate(vocab, name, type_))
            single = not many and type_ not in ("text",)
            what = "exactly one" if required and single else ("at least one" if required else "at most one")
            message = f"{_a(kind)} needs {what} {name}" if required or single else f"{_a(kind)}'s {name}"
            message += f" ({type_})" if single else f" ({type_} values)"
            prop = _property(graph, shape, shapes[f"{kind}-{name}"], path, XSD_OF[type_],
                             1 if required else None, 1 if single else None, message)
            if type_ == "text":
                graph.add((prop, SH.uniqueLang, Literal(True)))
                graph.add((prop, SH.languageIn, _list(graph, [Literal(lang) for lang in LANGUAGES])))
            if (kind, name) in ALLOWED:
                values = ALLOWED[(kind, name)]
                graph.add((prop, SH["in"], _list(graph, [Literal(v) for v in values])))
                graph.set((prop, SH.message, Literal(f"{message}, one of: {', '.join(values)}")))
        for edge, (source, target) in schema.EDGE_KINDS.items():
            if source != kind:
                continue
            one = edge in schema.SINGLE_EDGES
            _property(graph, shape, shapes[f"{kind}-{edge}"], vl[edge], None, 1 if one else None,
                      1 if one else None,
                      f"{edge} of {_a(kind)} must lead to " + ("exactly one " if one else "") + _a(target)
                      if not one else f"{_a(kind)} needs exactly one {edge}, to {_a(target)}", cls=vl[target])
    return graph


def _list(graph: Graph, items: list) -> BNode:
    head = BNode()
    Collection(graph, head, items)
    return head


def _property(graph: Graph, shape: URIRef, prop: URIRef, path: URIRef, datatype: URIRef | None,
              min_count: int | None, max_count: int | None, message: str, cls: URIRef | None = None) -> URIRef:
    graph.add((shape, SH.property, prop))
    graph.add((prop, RDF.type, SH.PropertyShape))
    graph.add((prop, SH.path, path))
    if datatype is not None:
        graph.add((prop, SH.datatype, datatype))
    if cls is not None:
        graph.add((prop, SH["class"], cls))
    if min_count is not None:
        graph.add((prop, SH.minCount, Literal(min_count)))
    if max_count is not None:
        graph.add((prop, SH.maxCount, Literal(max_count)))
    graph.add((prop, SH.message, Literal(message)))
    return prop


def turtle(graph: Graph) -> bytes:
    """Turtle of a small RDFLib graph (its serializer sorts subjects and predicates: the same graph, the same
    bytes)."""
    return graph.serialize(format="turtle", encoding="utf-8")


@exporter("ontology", suffix=".owl.ttl", binary=True,
          help="the VERLICHT ontology (OWL, Turtle) under this workspace's base IRI: ontology/verlicht.ttl")
def write_ontology(ws: Workspace, out: IO[bytes]) -> None:
    out.write(turtle(ontology_graph(workspace_vocabulary(ws))))


@exporter("shapes", suffix=".shacl.ttl", binary=True,
          help="SHACL shapes for every node kind (Turtle): ontology/shapes.ttl")
def write_shapes(ws: Workspace, out: IO[bytes]) -> None:
    out.write(turtle(shapes_graph(workspace_vocabulary(ws))))
