"""GraphML, GEXF and CSV: what networkx reads back is the notebook's graph."""

from __future__ import annotations

import csv
import io

import networkx as nx
import orjson

from verlicht.interop.graphfiles import read_back, read_gexf, read_graphml


def same_graph(found: nx.DiGraph, expected: nx.DiGraph) -> None:
    assert sorted(found.nodes) == sorted(expected.nodes)
    assert sorted(found.edges) == sorted(expected.edges)
    plain = {k: v for k, v in expected.graph.items() if v is not None}
    assert found.graph == plain
    for node, attrs in expected.nodes(data=True):
        assert found.nodes[node] == {k: v for k, v in attrs.items() if v is not None}, node
    for u, v, attrs in expected.edges(data=True):
        assert found.edges[u, v] == attrs, (u, v)


def test_graphml_reads_back_as_to_networkx(built_demo, tmp_path):
    file = tmp_path / "demo.graphml"
    built_demo.export("graphml", file)
    same_graph(read_back(nx.read_graphml(file)), built_demo.to_networkx())


def test_gexf_reads_back_as_to_networkx(built_demo, tmp_path):
    file = tmp_path / "demo.gexf"
    built_demo.export("gexf", file)
    same_graph(read_gexf(file), built_demo.to_networkx())


def test_graph_files_are_the_same_bytes_on_the_same_build(built_demo):
    for fmt in ("graphml", "gexf", "csv"):
        assert built_demo.export(fmt) == built_demo.export(fmt)
    assert b"lastmodifieddate" not in built_demo.export("gexf")


def test_csv_has_a_row_per_node_and_per_edge(built_demo):
    rows = list(csv.DictReader(io.StringIO(built_demo.export("csv"))))
    graph = built_demo.graph
    nodes = [r for r in rows if r["record"] == "node"]
    edges = [r for r in rows if r["record"] == "edge"]
    assert len(nodes) == len(graph.nodes) and len(edges) == len(graph.edges)
    concept = next(r for r in nodes if r["id"] == "concept:armoede")
    assert (concept["kind"], concept["label_nl"], concept["in_codebook"]) == ("Concept", "Armoede", "true")
    assumption = next(r for r in nodes if r["id"] == "assumption:armoede->jongeren_geronseld:+")
    assert orjson.loads(assumption["groups"]) == graph.nodes[assumption["id"]]["groups"]
    assert list(rows[0])[:5] == ["record", "id", "kind", "source", "target"]


def test_read_graphml_takes_a_path_as_read_gexf_does(built_demo, tmp_path):
    file = tmp_path / "demo.graphml"
    built_demo.export("graphml", file)
    same_graph(read_graphml(file), built_demo.to_networkx())
    same_graph(read_graphml(str(file)), built_demo.to_networkx())
