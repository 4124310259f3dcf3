"""Load the built graph (and its provenance) back into memory.

The graph file is small enough to load in well under a second for a
thousand interviews, because the utterance texts live in per-source
provenance files that only evidence queries open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import orjson

from verlicht.errors import Location, WorkspaceError
from verlicht.graph.build import GRAPH_FORMAT, GRAPH_VERSION
from verlicht.graph.sources import provenance_path


def load_graph(path: Path) -> nx.DiGraph:
    """Read ``graphs/verlicht.json`` into a directed graph whose nodes and edges carry plain dicts."""
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise WorkspaceError(f"no graph at {path}", None, "run 'verlicht build' first") from None
    except orjson.JSONDecodeError as exc:
        raise WorkspaceError(f"graph file is damaged: {exc}", Location(str(path)),
                             "run 'verlicht build' to write it again") from None
    if not isinstance(data, dict) or data.get("format") != GRAPH_FORMAT:
        raise WorkspaceError("not a VERLICHT graph file", Location(str(path)), "run 'verlicht build'")
    if data.get("version") != GRAPH_VERSION:
        raise WorkspaceError(f"graph file version {data.get('version')} is not {GRAPH_VERSION}",
                             Location(str(path)), "run 'verlicht build' with this version of VERLICHT")
    graph = nx.DiGraph()
    graph.graph.update({k: v for k, v in data.items() if k not in ("nodes", "edges")})
    graph.add_nodes_from((n.pop("id"), n) for n in data["nodes"])
    graph.add_edges_from((e.pop("source"), e.pop("target"), e) for e in data["edges"])
    return graph


class Provenance:
    """Utterances by id, read lazily per source from ``graphs/provenance/``."""

    def __init__(self, graphs: Path):
        self.graphs = graphs
        self._sources: dict[str, dict[str, dict[str, Any]]] = {}

    def source(self, path: str) -> dict[str, dict[str, Any]]:
        if path not in self._sources:
            file = provenance_path(self.graphs, path)
            try:
                data = orjson.loads(file.read_bytes())
            except (OSError, orjson.JSONDecodeError):
                raise WorkspaceError(f"provenance of {path} is missing or damaged", Location(str(file)),
                                     "run 'verlicht build' again") from None
            self._sources[path] = {row["id"]: {**row, "source": path} for row in data["utterances"]}
        return self._sources[path]

    def utterance(self, path: str, ident: str) -> dict[str, Any]:
        row = self.source(path).get(ident)
        if row is None:
            raise WorkspaceError(f"utterance {ident} is not in the provenance of {path}", None,
                                 "run 'verlicht build' again")
        return row


def with_provenance(graph: nx.DiGraph, graphs: Path) -> nx.DiGraph:
    """A copy of ``graph`` with Utterance nodes and EVIDENCED_BY / IN edges, the full schema."""
    full = graph.copy()
    prov = Provenance(graphs)
    for node, data in graph.nodes(data=True):
        if data["kind"] != "Source":
            continue
        for ident, row in prov.source(data["path"]).items():
            attrs = {k: v for k, v in row.items() if k != "id"}
            full.add_node(ident, kind="Utterance", **attrs)
            full.add_edge(ident, node, kind="IN")
    for holder, assumption, data in graph.edges(data=True):
        if data["kind"] == "HOLDS":
            for _path, _line, ident in data["evidence"]:
                full.add_edge(assumption, ident, kind="EVIDENCED_BY", respondent=holder)
    for cause, effect, data in graph.edges(data=True):
        if data["kind"] == "RELATED":
            for type_, info in data["types"].items():
                for _path, _line, ident, _holder in info["evidence"]:
                    full.add_edge(cause, ident, kind="EVIDENCED_BY",
                                  relation=f"{cause}->{effect}||{type_}")
    return full
