"""Moving node shapes' class targets onto their property shapes gives pySHACL's report unchanged, only faster."""

from __future__ import annotations

import pyshacl
import pytest
import rdflib
from rdflib import RDF
from test_validate import break_graph

import verlicht
from verlicht.graph.store import Provenance
from verlicht.interop.rdf import record_triples, to_rdflib, workspace_vocabulary
from verlicht.interop.records import export_records
from verlicht.interop.validate import load_shapes, targeted

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
PREFIXES = ("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix vl: <https://w3id.org/verlicht/ontology#> . "
            "@prefix x: <urn:x:> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . ")


def report(data: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, list[tuple[str, ...]]]:
    """pySHACL's conformance and every result as a sorted list of (focus, path, value, shape, component,
    message, severity); a blank source shape is shown by its path, as blank node ids differ between graphs."""
    conforms, results, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False,
                                                allow_warnings=True)
    rows = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        shape = results.value(result, SH.sourceShape)
        shown = str(shape) if isinstance(shape, rdflib.URIRef) else f"[{shapes.value(shape, SH.path)}]"
        fields = (SH.focusNode, SH.resultPath, SH.value, SH.sourceConstraintComponent, SH.resultMessage,
                  SH.resultSeverity)
        rows.append((*(str(results.value(result, p)) for p in fields), shown))
    return bool(conforms), sorted(rows)


def data_graph(ws: verlicht.Workspace) -> rdflib.Graph:
    records = export_records(ws.graph, Provenance(ws.layout.graphs))
    return to_rdflib(record_triples(workspace_vocabulary(ws), records))


@pytest.fixture
def broken(demo) -> verlicht.Workspace:
    ws = verlicht.open(demo)
    ws.build()
    break_graph(ws)
    return ws


def test_a_broken_graph_gives_the_same_report_with_targeted_property_shapes(broken):
    shapes = load_shapes(broken, workspace_vocabulary(broken))
    data = data_graph(broken)
    moved = targeted(shapes)
    assert sum(1 for _ in moved.subjects(SH.targetClass)) > 150  # the property shapes now carry the targets
    conforms, rows = report(data, shapes)
    assert (conforms, len(rows)) == (False, 5)
    assert report(data, moved) == (conforms, rows)


def test_the_validate_rows_of_a_broken_graph_are_those_of_the_shapes_as_written(broken, monkeypatch):
    fast = broken.validate()
    monkeypatch.setattr("verlicht.interop.validate.targeted", lambda shapes: shapes)
    assert broken.validate() == fast
    assert len(fast["violations"]) == 5


def test_node_shapes_that_do_more_than_target_classes_are_left_alone(broken):
    shapes = load_shapes(broken, workspace_vocabulary(broken))
    shapes.parse(format="turtle", data=PREFIXES + """
        x:Closed a sh:NodeShape ; sh:targetClass vl:Concept ; sh:closed true ;
            sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ;
            sh:property [ sh:path vl:code ; sh:maxCount 1 ] .
        x:Nested a sh:NodeShape ; sh:property x:NestedLabel .
        x:NestedLabel sh:path vl:code ; sh:datatype xsd:integer .
        x:Outer a sh:NodeShape ; sh:targetClass vl:Concept ; sh:property [ sh:path vl:RELATED ; sh:node x:Nested ] .
        x:Shared a sh:NodeShape ; sh:targetClass vl:Assumption ; sh:property x:Twice .
        x:Other a sh:NodeShape ; sh:targetClass vl:Assumption ; sh:property x:Twice .
        x:Twice sh:path vl:support ; sh:minInclusive 3 .
        x:Strict a sh:NodeShape ; sh:targetClass vl:Assumption ; sh:property [ sh:path vl:weight ; sh:maxInclusive 0 ] .
    """)
    moved = targeted(shapes)
    for kept in ("Closed", "Nested", "Shared", "Other"):
        assert (rdflib.URIRef(f"urn:x:{kept}"), SH.property, None) in moved, kept
    assert (rdflib.URIRef("urn:x:Strict"), SH.property, None) not in moved
    data = data_graph(broken)
    conforms, rows = report(data, shapes)
    assert not conforms and len(rows) > 100  # the extra shapes find plenty: the comparison means something
    assert report(data, moved) == (conforms, rows)
