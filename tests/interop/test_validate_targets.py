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
from verlicht.interop.validate import load_shapes, split_shapes, targeted, validate

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
RDF_TYPE = str(RDF.type)
PREFIXES = ("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix vl: <https://w3id.org/verlicht/ontology#> . "
            "@prefix x: <urn:x:> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . ")

# Shapes of every sort: closed, nested through sh:node, one property shape in two node shapes, a blank one.
EXTRA_SHAPES = """
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
    """


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
    shapes.parse(format="turtle", data=PREFIXES + EXTRA_SHAPES)
    moved = targeted(shapes)
    for kept in ("Closed", "Nested", "Shared", "Other"):
        assert (rdflib.URIRef(f"urn:x:{kept}"), SH.property, None) in moved, kept
    assert (rdflib.URIRef("urn:x:Strict"), SH.property, None) not in moved
    data = data_graph(broken)
    conforms, rows = report(data, shapes)
    assert not conforms and len(rows) > 100  # the extra shapes find plenty: the comparison means something
    assert report(data, moved) == (conforms, rows)


def test_validation_split_over_two_workers_gives_the_one_process_report(broken):
    alone = validate(broken, workers=1, split_from=0)
    split = validate(broken, workers=2, split_from=0)
    assert split == alone
    assert not alone["conforms"] and len(alone["violations"]) == 5


def test_each_shape_with_targets_starts_in_exactly_one_worker(broken):
    shapes = targeted(load_shapes(broken, workspace_vocabulary(broken)))
    triples = list(record_triples(workspace_vocabulary(broken), export_records(broken.graph, None)))
    plans = split_shapes(shapes, triples, 2)
    assert plans is not None and len(plans) == 2
    started = [set(graph.subjects(SH.targetClass)) for graph, _needs in plans]
    assert started[0] and started[1] and not started[0] & started[1]
    assert started[0] | started[1] == set(shapes.subjects(SH.targetClass))
    for graph, needs in plans:  # a worker loads every predicate its shapes' paths name, and the types
        paths = {str(graph.value(shape, SH.path)) for shape in graph.subjects(SH.targetClass)}
        assert paths - {"None"} <= needs and RDF_TYPE in needs
    assert split_shapes(shapes, triples, 1) is None


def test_shapes_that_are_also_classes_stay_in_one_process(broken):
    shapes = targeted(load_shapes(broken, workspace_vocabulary(broken)))
    shapes.parse(format="turtle", data=PREFIXES + """
        vl:Concept a sh:NodeShape, <http://www.w3.org/2000/01/rdf-schema#Class> ;
            sh:property [ sh:path vl:code ; sh:minLength 2 ] .
    """)
    assert split_shapes(shapes, [], 2) is None


def test_the_split_report_equals_the_one_process_report_with_shapes_of_every_sort(broken):
    shapes_file = broken.layout.ontology / "shapes.ttl"
    shapes = load_shapes(broken, workspace_vocabulary(broken))
    open_shapes = EXTRA_SHAPES[EXTRA_SHAPES.index("x:Nested"):]  # sh:closed may read anything: no split then
    shapes.parse(format="turtle", data=PREFIXES + open_shapes)
    shapes_file.write_text(shapes.serialize(format="turtle"), encoding="utf-8")
    triples = list(record_triples(workspace_vocabulary(broken), export_records(broken.graph, None)))
    assert len(split_shapes(targeted(shapes), triples, 2)) == 2
    alone = validate(broken, workers=1, split_from=0)
    assert len(alone["violations"]) > 100
    assert validate(broken, workers=2, split_from=0) == alone
