"""Load the built graph, its evidence and its provenance back into memory.

Three build outputs, each read only by the questions that need it:

* ``graphs/verlicht.json`` — the knowledge graph (nodes and edges, plain dicts);
* ``graphs/evidence.json`` — per assumption and relation, the utterances behind it;
* ``graphs/provenance/<source>.json`` — the anonymised text of every utterance.

The graph loads into :class:`Graph`, an indexed view that the queries read
directly (fast enough for ``gaps`` on a thousand interviews in well under a
second); :meth:`Graph.to_networkx` gives the same graph as a networkx DiGraph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from verlicht.errors import Location, WorkspaceError
from verlicht.gcpause import gc_paused
from verlicht.graph.schema import relation_key

if TYPE_CHECKING:
    import networkx as nx

    from verlicht.graph.facts import Facts

GRAPH_FORMAT = "verlicht-graph"
GRAPH_VERSION = 2  # 2: logic models (Intervention, Step, Mechanism) and the Mission
EVIDENCE_FILE = "evidence.json"


class Graph:
    """Nodes by id and edges indexed by kind and end; every record is a plain dict."""

    def __init__(self, header: dict[str, Any], nodes: list[dict[str, Any]], edges: list[dict[str, Any]]):
        self.header = header
        self.nodes: dict[str, dict[str, Any]] = {n["id"]: n for n in nodes}
        self.edges = edges
        self._by_kind: dict[str, list[dict[str, Any]]] | None = None
        self._nodes_by_kind: dict[str, list[dict[str, Any]]] | None = None
        self._incoming: dict[tuple[str, str], list[dict[str, Any]]] | None = None
        self._facts: Facts | None = None  # what the questions read of it (verlicht.graph.facts.facts_of)

    def __contains__(self, ident: object) -> bool:
        return ident in self.nodes

    def of_kind(self, kind: str) -> Iterator[dict[str, Any]]:
        """Node records of one kind, in id order (indexed on first use: queries ask for a few kinds of many)."""
        if self._nodes_by_kind is None:
            index: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for node in self.nodes.values():
                index[node["kind"]].append(node)
            self._nodes_by_kind = index
        return iter(self._nodes_by_kind.get(kind, ()))

    def edges_of(self, kind: str) -> list[dict[str, Any]]:
        if self._by_kind is None:
            index: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for edge in self.edges:
                index[edge["kind"]].append(edge)
            self._by_kind = index
        return self._by_kind.get(kind, [])

    def incoming(self, node: str, kind: str) -> list[dict[str, Any]]:
        """Edges of ``kind`` that end at ``node``, in source order."""
        if self._incoming is None:
            index: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
            for edge in self.edges:
                index[(edge["target"], edge["kind"])].append(edge)
            self._incoming = index
        return self._incoming.get((node, kind), [])

    def to_networkx(self) -> nx.DiGraph:
        """The graph as a networkx DiGraph; node and edge attributes are copies of the records."""
        import networkx as nx

        graph = nx.DiGraph(**{k: v for k, v in self.header.items()})
        graph.add_nodes_from((i, {k: v for k, v in n.items() if k != "id"}) for i, n in self.nodes.items())
        graph.add_edges_from(
            (e["source"], e["target"], {k: v for k, v in e.items() if k not in ("source", "target")})
            for e in self.edges
        )
        return graph


def _read_json(path: Path, what: str) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise WorkspaceError(f"no {what} at {path}", None, "run 'verlicht build' first") from None
    except orjson.JSONDecodeError as exc:
        raise WorkspaceError(f"{what} is damaged: {exc}", Location(str(path)),
                             "run 'verlicht build' to write it again") from None


def load_graph(path: Path) -> Graph:
    """Read ``graphs/verlicht.json``."""
    with gc_paused():
        data = _read_json(path, "graph")
        if not isinstance(data, dict) or data.get("format") != GRAPH_FORMAT:
            raise WorkspaceError("not a VERLICHT graph file", Location(str(path)), "run 'verlicht build'")
        if data.get("version") != GRAPH_VERSION:
            raise WorkspaceError(f"graph file version {data.get('version')} is not {GRAPH_VERSION}",
                                 Location(str(path)), "run 'verlicht build' with this version of VERLICHT")
        header = {k: v for k, v in data.items() if k not in ("nodes", "edges")}
        return Graph(header, data["nodes"], data["edges"])


class Provenance:
    """The evidence index and the utterances behind it, read lazily from ``graphs/``."""

    def __init__(self, graphs: Path):
        self.graphs = graphs
        self._evidence: dict[str, list[list[Any]]] | None = None
        self._sources: dict[str, dict[str, dict[str, Any]]] = {}

    def evidence(self, key: str) -> list[list[Any]]:
        """``[source, line, utterance id, respondent id]`` rows behind an assumption or relation id."""
        if self._evidence is None:
            self._evidence = _read_json(self.graphs / EVIDENCE_FILE, "evidence index")
        return self._evidence.get(key, [])

    def source(self, path: str) -> dict[str, dict[str, Any]]:
        if path not in self._sources:
            from verlicht.graph.source_cache import provenance_path  # it brings the ROCK reader: only here

            file = provenance_path(self.graphs, path)
            data = _read_json(file, f"provenance of {path}")
            self._sources[path] = {row["id"]: {**row, "source": path} for row in data["utterances"]}
        return self._sources[path]

    def utterance(self, path: str, ident: str) -> dict[str, Any]:
        row = self.source(path).get(ident)
        if row is None:
            raise WorkspaceError(f"utterance {ident} is not in the provenance of {path}", None,
                                 "run 'verlicht build' again")
        return row


def with_provenance(graph: Graph, graphs: Path) -> nx.DiGraph:
    """The full schema as networkx: the graph plus Utterance nodes, IN and EVIDENCED_BY edges."""
    full = graph.to_networkx()
    prov = Provenance(graphs)
    for node in graph.of_kind("Source"):
        for ident, row in prov.source(node["path"]).items():
            full.add_node(ident, kind="Utterance", **{k: v for k, v in row.items() if k != "id"})
            full.add_edge(ident, node["id"], kind="IN")
    for assumption in graph.of_kind("Assumption"):
        for _path, _line, ident, respondent in prov.evidence(assumption["id"]):
            full.add_edge(assumption["id"], ident, kind="EVIDENCED_BY", respondent=respondent)
    for edge in graph.edges_of("RELATED"):
        for type_ in edge["types"]:
            for _path, _line, ident, respondent in prov.evidence(relation_key(edge["source"], edge["target"], type_)):
                full.add_edge(edge["source"], ident, kind="EVIDENCED_BY", respondent=respondent,
                              relation=f"{edge['target']}||{type_}")
    return full
