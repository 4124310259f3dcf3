"""The graph for graph tools: GraphML (yEd, Gephi, Cytoscape), GEXF (Gephi) and one CSV of nodes and edges.

All three write :meth:`Workspace.to_networkx` — the graph as the notebook sees it — through networkx's own
writers. Those formats hold only numbers, booleans and text, so a list or mapping value (a concept's
``measures``, an assumption's ``groups``) is written as JSON text; the graph attribute ``json_attributes``
names those attributes, and :func:`read_back` undoes it. The header's nested ``counts`` is written the same
way. GEXF gets no modification date, so the same build gives the same bytes.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.etree import ElementTree
from xml.etree.ElementTree import SubElement

import networkx as nx
import orjson
from networkx.readwrite.gexf import GEXFWriter

from verlicht.interop.registry import exporter
from verlicht.interop.xmltext import xml_safe

if TYPE_CHECKING:
    from verlicht.api import Workspace

JSON_ATTRIBUTES = "json_attributes"


def _complex_keys(*records: Any) -> set[str]:
    """The attribute names that hold a list or mapping anywhere (all their values are then written as JSON)."""
    return {key for attrs in records for key, value in attrs.items() if isinstance(value, (list, tuple, dict))}


def _plain(attrs: dict[str, Any], complex_: set[str]) -> dict[str, Any]:
    # A name that is a mapping on one node and a number on another (a review's ``records`` by round, a round's
    # count) is JSON on every node, so that it reads back with one rule.
    return {key: orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode() if key in complex_ else value
            for key, value in attrs.items() if value is not None}


def _xml(attrs: dict[str, Any]) -> dict[str, Any]:
    return {key: xml_safe(value) for key, value in attrs.items()}


def plain_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy whose attribute values are numbers, booleans or text (lists and mappings as JSON; None left out)."""
    complex_ = _complex_keys(graph.graph, *(d for _n, d in graph.nodes(data=True)),
                             *(d for _u, _v, d in graph.edges(data=True)))
    plain = nx.DiGraph()
    plain.add_nodes_from((n, _xml(_plain(d, complex_))) for n, d in graph.nodes(data=True))
    plain.add_edges_from((u, v, _xml(_plain(d, complex_))) for u, v, d in graph.edges(data=True))
    plain.graph.update(_xml(_plain(graph.graph, complex_)))
    plain.graph[JSON_ATTRIBUTES] = ",".join(sorted(complex_))
    # GraphML and GEXF give an attribute one type: where ints and floats mix (an observation's value), floats.
    for records in ([d for _n, d in plain.nodes(data=True)], [d for _u, _v, d in plain.edges(data=True)]):
        types: dict[str, set[type]] = {}
        for attrs in records:
            for key, value in attrs.items():
                types.setdefault(key, set()).add(type(value))
        mixed = {key for key, found in types.items() if found == {int, float}}
        for attrs in records:
            for key in mixed & attrs.keys():
                attrs[key] = float(attrs[key])
    return plain


def read_back(graph: nx.DiGraph) -> nx.DiGraph:
    """Undo :func:`plain_graph` on a graph read from GraphML or GEXF: JSON text back to lists and mappings
    (and without the empty defaults networkx's GraphML reader adds)."""
    names = set(filter(None, str(graph.graph.pop(JSON_ATTRIBUTES, "")).split(",")))
    for key in ("node_default", "edge_default"):  # what networkx's GraphML reader adds of its own
        if graph.graph.get(key) == {}:
            del graph.graph[key]

    def restore(attrs: dict[str, Any]) -> None:
        for key in names & attrs.keys():
            if isinstance(attrs[key], str):
                attrs[key] = orjson.loads(attrs[key])

    for _n, d in graph.nodes(data=True):
        restore(d)
    for _u, _v, d in graph.edges(data=True):
        restore(d)
    restore(graph.graph)
    return graph


def read_graphml(path: str | Path) -> nx.DiGraph:
    """A GraphML file of :func:`write_graphml` as the graph it was written from (``to_networkx()``)."""
    return read_back(nx.read_graphml(path))


@exporter("graphml", suffix=".graphml", binary=True, help="GraphML for yEd, Gephi, Cytoscape, networkx")
def write_graphml(ws: Workspace, out: IO[bytes]) -> None:
    # infer_numeric_types: an attribute with ints and floats (an observation's value) is written as double
    nx.write_graphml(plain_graph(ws.to_networkx()), out, infer_numeric_types=True)


@exporter("gexf", suffix=".gexf", binary=True, help="GEXF for Gephi")
def write_gexf(ws: Workspace, out: IO[bytes]) -> None:
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    graph = plain_graph(ws.to_networkx())
    meta = writer.xml.find("meta")
    if meta is not None:  # networkx stamps today's date: the same build must give the same bytes
        meta.attrib.pop("lastmodifieddate", None)
        meta.find("creator").text = "VERLICHT"
        # GEXF has no graph attributes: the header (and which attributes are JSON) goes in the description
        SubElement(meta, "description").text = orjson.dumps(graph.graph, option=orjson.OPT_SORT_KEYS).decode()
    writer.add_graph(graph)
    writer.write(out)


def read_gexf(path: str | Path) -> nx.DiGraph:
    """A GEXF file of :func:`write_gexf` as the graph it was written from (header and JSON values restored)."""
    graph = nx.read_gexf(path)
    description = ElementTree.parse(path).getroot().find("{*}meta/{*}description")
    if description is not None and description.text:
        graph.graph.clear()
        graph.graph.update(orjson.loads(description.text))
    for node, attrs in graph.nodes(data=True):  # GEXF gives every node a label (its id when it had none)
        if attrs.get("label") == node:
            del attrs["label"]
        if "networkx_key" in attrs:  # networkx writes an attribute 'key' under this name
            attrs["key"] = attrs.pop("networkx_key")
    for _u, _v, attrs in graph.edges(data=True):  # and every edge an id
        attrs.pop("id", None)
    return read_back(graph)


CSV_FIRST = ("record", "id", "kind", "source", "target")


@exporter("csv", suffix=".csv", help="one CSV of nodes then edges, a column per property (lists as JSON)")
def write_csv(ws: Workspace, out: IO[str]) -> None:
    graph = ws.graph
    complex_ = _complex_keys(*graph.nodes.values(), *graph.edges)
    rows = [{"record": "node", **_plain(node, complex_)} for node in graph.nodes.values()]
    rows += [{"record": "edge", **_plain(edge, complex_)} for edge in graph.edges]
    names = sorted({k for row in rows for k in row} - set(CSV_FIRST))
    writer = csv.DictWriter(out, [*CSV_FIRST, *names], lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("true" if v is True else "false" if v is False else v) for k, v in row.items()})
