"""The ontology and shapes: generated from graph/schema.py, labelled in Dutch and English, aligned with the
standards, and complete for what the export writes."""

from __future__ import annotations

import rdflib
from helpers import REPO
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from verlicht.graph import schema
from verlicht.interop.ontology import ontology_graph, shapes_graph, turtle
from verlicht.interop.rdf import Vocabulary

VOCAB = Vocabulary("https://w3id.org/verlicht/")
VL = rdflib.Namespace(VOCAB.vl)


def test_the_demo_ontology_files_are_the_generated_ones():
    assert (REPO / "ontology" / "verlicht.ttl").read_bytes() == turtle(ontology_graph(VOCAB))
    assert (REPO / "ontology" / "shapes.ttl").read_bytes() == turtle(shapes_graph(VOCAB))


def test_every_kind_is_a_class_with_dutch_and_english_labels_and_definitions():
    onto = ontology_graph(VOCAB)
    for kind in (*schema.NODE_KINDS, "Review", "ReviewRound", "Study", "Finding"):
        assert (VL[kind], RDF.type, OWL.Class) in onto, kind
        assert {label.language for label in onto.objects(VL[kind], RDFS.label)} == {"nl", "en"}, kind
        assert {text.language for text in onto.objects(VL[kind], SKOS.definition)} == {"nl", "en"}, kind
    for edge in schema.EDGE_KINDS:
        assert (VL[edge], RDF.type, OWL.ObjectProperty) in onto, edge
        source, target = schema.EDGE_KINDS[edge]
        assert (VL[edge], RDFS.domain, VL[source]) in onto and (VL[edge], RDFS.range, VL[target]) in onto


def test_the_ontology_reuses_prov_skos_and_the_data_cube():
    onto = ontology_graph(VOCAB)
    qb = rdflib.Namespace("http://purl.org/linked-data/cube#")
    assert (VL.Concept, RDFS.subClassOf, SKOS.Concept) in onto
    assert (VL.EVIDENCED_BY, RDFS.subPropertyOf, PROV.wasDerivedFrom) in onto
    assert (VL.Respondent, RDFS.subClassOf, PROV.Agent) in onto
    assert (VL.Observation, RDFS.subClassOf, qb.Observation) in onto
    assert (VL.IN_AREA, RDF.type, qb.DimensionProperty) in onto and (VL.value, RDF.type, qb.MeasureProperty) in onto


def test_every_property_the_demo_export_uses_is_declared(built_demo):
    data = rdflib.Graph().parse(data=built_demo.export("ttl"), format="turtle")
    onto = ontology_graph(VOCAB)
    used = {p for p in data.predicates() if str(p).startswith(VOCAB.vl)}
    undeclared = {str(p) for p in used if (p, RDF.type, None) not in onto}
    assert undeclared == set()


def test_there_is_a_shape_for_every_node_kind():
    shapes = shapes_graph(VOCAB)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    targets = {str(t)[len(VOCAB.vl):] for t in shapes.objects(None, sh.targetClass)}
    assert targets == {*schema.NODE_KINDS, *schema.KIND_TERMS}


def test_a_new_node_kind_exports_and_validates_without_code_changes(built_demo, monkeypatch):
    """A kind another module adds to the graph (here a made-up workshop) gets its class and identifier checks."""
    graph = built_demo.graph
    review = {"id": "workshop:menging", "kind": "Workshop", "title": "Effecten van menging", "rounds": 2}
    monkeypatch.setitem(graph.nodes, "workshop:menging", review)
    data = rdflib.Graph().parse(data=built_demo.export("ttl"), format="turtle")
    node = rdflib.URIRef(VOCAB.node("workshop:menging"))
    assert (node, RDF.type, VL.Workshop) in data
    assert data.value(node, VL.title) == rdflib.Literal("Effecten van menging")
    assert data.value(node, VL.rounds) == rdflib.Literal(2)
    assert built_demo.validate()["conforms"] is True
