"""The linked-data export: every node and edge of the build as triples, deterministic, readable by RDFLib."""

from __future__ import annotations

from collections import Counter

import pytest
import rdflib
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

from verlicht.graph.store import Provenance
from verlicht.interop.rdf import Vocabulary
from verlicht.interop.records import export_records

VL = rdflib.Namespace("https://w3id.org/verlicht/ontology#")
ID = "https://w3id.org/verlicht/id/"


@pytest.fixture(scope="module")
def turtle(built_demo) -> rdflib.Graph:
    return rdflib.Graph().parse(data=built_demo.export("ttl"), format="turtle")


def test_every_node_is_one_typed_resource_per_kind(built_demo, turtle):
    graph = built_demo.graph
    expected = Counter(node["kind"] for node in graph.nodes.values())
    expected["Utterance"] = len({row[2] for a in graph.of_kind("Assumption")
                                 for row in Provenance(built_demo.layout.graphs).evidence(a["id"])}
                                | {row[2] for e in graph.edges_of("RELATED") for t in e["types"]
                                   for row in Provenance(built_demo.layout.graphs).evidence(
                                       f"relation:{e['source'][8:]}->{e['target'][8:]}||{t}")})
    found = Counter(str(cls).rsplit("#", 1)[1] for _s, cls in turtle.subject_objects(RDF.type)
                    if str(cls).startswith(str(VL)))
    assert found == expected
    assert expected["Assumption"] == 69 and expected["Utterance"] > 100


def test_every_edge_is_one_triple_of_its_kind(built_demo, turtle):
    graph = built_demo.graph
    records = export_records(graph, Provenance(built_demo.layout.graphs))
    # RDF is a set: a concept quoted for two relations in one utterance is one EVIDENCED_BY triple
    expected = Counter(kind for _s, kind, _t in {(e["source"], e["kind"], e["target"]) for e in records.edges})
    assert expected["EVIDENCED_BY"] >= sum(a["evidence"] for a in graph.of_kind("Assumption"))
    assert all(expected[kind] == len(graph.edges_of(kind)) for kind in expected if kind not in ("EVIDENCED_BY", "IN"))
    assert expected["HOLDS"] == len(graph.edges_of("HOLDS")) == 127
    found = Counter(str(p).rsplit("#", 1)[1] for p in turtle.predicates(unique=False)
                    if str(p).startswith(str(VL)) and str(p).rsplit("#", 1)[1].isupper())
    assert found == expected


def test_ids_round_trip_through_iris(built_demo, turtle):
    vocab = Vocabulary("https://w3id.org/verlicht/")
    ident = "assumption:verloop_bewoners->sociale_cohesie:-"
    node = rdflib.URIRef(vocab.node(ident))
    assert str(node) == ID + "assumption:verloop_bewoners-%3Esociale_cohesie:-"
    assert vocab.ident(str(node)) == ident
    assert turtle.value(node, DCTERMS.identifier) == rdflib.Literal(ident)
    assert turtle.value(node, VL.support) == rdflib.Literal(5)
    assert (node, VL.CAUSE, rdflib.URIRef(ID + "concept:verloop_bewoners")) in turtle


def test_labels_are_language_tagged_and_concepts_are_in_the_codebook_scheme(turtle):
    concept = rdflib.URIRef(ID + "concept:armoede")
    labels = {(str(label), label.language) for label in turtle.objects(concept, SKOS.prefLabel)}
    assert labels == {("Armoede", "nl"), ("Poverty", "en")}
    assert (concept, SKOS.inScheme, rdflib.URIRef(ID + "codebook")) in turtle
    assert (rdflib.URIRef(ID + "codebook"), RDF.type, SKOS.ConceptScheme) in turtle


def test_evidence_is_prov_provenance_to_the_anonymised_line(turtle):
    utterance = rdflib.URIRef(ID + "utterance:7dcc721x")
    assert (rdflib.URIRef(ID + "assumption:armoede-%3Ejongeren_geronseld:+"), VL.EVIDENCED_BY, utterance) in turtle
    assert turtle.value(utterance, VL.line) == rdflib.Literal(42)
    assert turtle.value(utterance, VL.text).language == "nl"
    assert turtle.value(utterance, VL.IN) == rdflib.URIRef(ID + "source:interviews/r03.rock")
    assert turtle.value(utterance, PROV.wasAttributedTo) == rdflib.URIRef(ID + "respondent:R03")


def test_observations_are_data_cube_observations_of_their_indicator(turtle):
    qb = rdflib.Namespace("http://purl.org/linked-data/cube#")
    observation = rdflib.URIRef(ID + "observation:bijstand:de_passart:2024")
    assert turtle.value(observation, qb.dataSet) == rdflib.URIRef(ID + "indicator:bijstand")
    assert turtle.value(observation, VL.value) == rdflib.Literal("25", datatype=rdflib.XSD.decimal)


def test_edge_properties_are_reified_statements(turtle):
    holds = [s for s in turtle.subjects(RDF.predicate, VL.HOLDS)]
    assert len(holds) == 127
    one = holds[0]
    assert (turtle.value(one, RDF.subject), VL.HOLDS, turtle.value(one, RDF.object)) in turtle
    assert isinstance(turtle.value(one, VL.evidence).toPython(), int)


def test_the_three_rdf_formats_hold_the_same_graph(built_demo, turtle):
    nt = rdflib.Graph().parse(data=built_demo.export("nt"), format="nt")
    jsonld = rdflib.Graph().parse(data=built_demo.export("jsonld"), format="json-ld")
    assert len(nt) == len(jsonld) == len(turtle) > 5000
    assert set(nt) == set(turtle) == set(jsonld)  # no blank nodes: the same triples


def test_the_same_build_gives_the_same_bytes(built_demo):
    for fmt in ("ttl", "nt", "jsonld"):
        assert built_demo.export(fmt) == built_demo.export(fmt)
    lines = built_demo.export("nt").decode().splitlines()
    assert lines[0].startswith(f"<{ID}area:")  # nodes in id order


def test_base_iri_comes_from_verlicht_toml(tmp_path):
    from tests_support import mini_built

    ws = mini_built(tmp_path, base_iri="https://data.example.org/heerlen/")
    text = ws.export("nt").decode()
    assert "<https://data.example.org/heerlen/id/concept:" in text
    assert "<https://data.example.org/heerlen/ontology#Assumption>" in text
    assert "w3id.org/verlicht" not in text
