"""What the questions of :mod:`verlicht.graph.queries` read of a graph, and nothing else.

``gaps``, ``query assumptions|concepts|paths`` and ``stats`` need a few hundred small records (concepts,
goals, indicators, respondents, the logic models and the edges between them) and, for every assumption,
eight plain values and who holds it. At the worst case that is a tenth of the graph file: its 45,000
assumption records are read here as columns, its 80,000 HOLDS edges as two columns of numbers, and the
graph's other records (sources, observations, CAUSE/EFFECT/RELATED edges …) are left out.

:class:`Facts` is made from the records the graph file is made of, :meth:`Facts.of_records`: by the build,
which keeps it in the query index (:mod:`verlicht.graph.queryindex`), and from a loaded
:class:`~verlicht.graph.store.Graph` when there is no valid index (:func:`facts_of`). A build that patches the
last graph file instead of writing every record can patch the last facts alike (:meth:`Facts.patched`). The
questions answer from them the same, whichever way they came.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from verlicht.graph.store import Graph

# The records the questions read whole (a few hundred at most); the assumptions and HOLDS edges go in columns.
NODE_KINDS = ("Concept", "Goal", "Indicator", "Intervention", "Step", "Mechanism", "Respondent")
EDGE_KINDS = ("MEASURES", "TESTS", "TRACKS", "MONITORS", "LEADS_TO")
# Per assumption, in graph order (the keys of its record; the defaults of the ones a record may lack).
CLAIM_FIELDS = ("id", "cause", "effect", "polarity", "support", "contested", "evidence", "sources")
CLAIM_DEFAULTS = {"contested": False, "evidence": 0, "sources": 0}


class Claims:
    """The assumptions as columns, one list per field of :data:`CLAIM_FIELDS`, in graph order, and the HOLDS
    edges in graph order as two columns: ``held_by``, positions in ``holder_ids`` (respondent ids), and
    ``held``, positions of the assumption held."""

    __slots__ = ("_position", "causes", "contested", "effects", "evidence", "held", "held_by",
                 "holder_ids", "ids", "polarities", "sources", "supports")

    def __init__(self, columns: tuple[list[Any], ...], holder_ids: list[str], held_by: list[int], held: list[int]):
        (self.ids, self.causes, self.effects, self.polarities, self.supports, self.contested, self.evidence,
         self.sources) = columns
        self.holder_ids = holder_ids
        self.held_by = held_by
        self.held = held
        self._position: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def columns(self) -> tuple[list[Any], ...]:
        return (self.ids, self.causes, self.effects, self.polarities, self.supports, self.contested,
                self.evidence, self.sources)

    def position(self, ident: str) -> int | None:
        """Where the assumption ``ident`` stands, or None when the graph has no such assumption."""
        if self._position is None:
            self._position = {ident: index for index, ident in enumerate(self.ids)}
        return self._position.get(ident)

    def record(self, ident: str) -> dict[str, Any] | None:
        """The fields of one assumption as a dict (those of :data:`CLAIM_FIELDS`)."""
        index = self.position(ident)
        if index is None:
            return None
        return {name: column[index] for name, column in zip(CLAIM_FIELDS, self.columns(), strict=True)}


class Facts:
    """The part of a graph the questions read: its header, the records of :data:`NODE_KINDS` by id and of
    :data:`EDGE_KINDS` by kind (both in graph order), and the assumptions as :class:`Claims`.

    Answers ``of_kind``, ``edges_of``, ``nodes`` and ``in`` as :class:`~verlicht.graph.store.Graph` does,
    for the kinds it holds; asking for another kind is a programming error and raises.
    """

    def __init__(self, header: dict[str, Any], nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
                 claims: Claims):
        self.header = header
        self.records = nodes
        self.edge_records = edges
        self.claims = claims
        self.nodes: dict[str, dict[str, Any]] = {n["id"]: n for n in nodes}
        kinds: dict[str, list[dict[str, Any]]] = {kind: [] for kind in NODE_KINDS}
        for node in nodes:
            kinds[node["kind"]].append(node)
        self._nodes_by_kind = kinds
        by_kind: dict[str, list[dict[str, Any]]] = {kind: [] for kind in EDGE_KINDS}
        for edge in edges:
            by_kind[edge["kind"]].append(edge)
        self._edges_by_kind = by_kind

    @classmethod
    def of_records(cls, header: dict[str, Any], nodes: Iterable[dict[str, Any]],
                   edges: Iterable[dict[str, Any]]) -> Facts:
        """What the questions read of the graph made of ``header``, ``nodes`` and ``edges`` (one pass each)."""
        kept_nodes: list[dict[str, Any]] = []
        ids: list[str] = []
        causes: list[str] = []
        effects: list[str] = []
        polarities: list[str] = []
        supports: list[int] = []
        contested: list[bool] = []
        evidence: list[int] = []
        sources: list[int] = []
        node_kinds = frozenset(NODE_KINDS)
        for node in nodes:
            kind = node["kind"]
            if kind == "Assumption":
                ids.append(node["id"])
                causes.append(node["cause"])
                effects.append(node["effect"])
                polarities.append(node["polarity"])
                supports.append(node["support"])
                contested.append(node.get("contested", False))
                evidence.append(node.get("evidence", 0))
                sources.append(node.get("sources", 0))
            elif kind in node_kinds:
                kept_nodes.append(node)
        kept_edges: list[dict[str, Any]] = []
        edge_kinds = frozenset(EDGE_KINDS)
        holds_from: list[str] = []
        holds_to: list[str] = []
        add_from, add_to = holds_from.append, holds_to.append
        for edge in edges:  # one pass; the ids become numbers below, a C loop each
            kind = edge["kind"]
            if kind == "HOLDS":
                add_from(edge["source"])
                add_to(edge["target"])
            elif kind in edge_kinds:
                kept_edges.append(edge)
        holder_ids = list(dict.fromkeys(holds_from))
        held_by = list(map(dict(zip(holder_ids, itertools.count())).__getitem__, holds_from))
        held = list(map(dict(zip(ids, itertools.count())).__getitem__, holds_to))
        claims = Claims((ids, causes, effects, polarities, supports, contested, evidence, sources), holder_ids,
                        held_by, held)
        return cls(header, kept_nodes, kept_edges, claims)

    @classmethod
    def patched(cls, previous: Facts, header: dict[str, Any], nodes: dict[str, bytes],
                edges: dict[tuple[str, str, str], bytes], node_changes: dict[str, bytes | None],
                edge_changes: dict[tuple[str, str, str], bytes | None]) -> Facts:
        """The facts of a graph written by patching the one ``previous`` is the facts of (see
        :mod:`verlicht.graph.patch`): ``nodes`` and ``edges`` are all its records not worked out from the claims,
        as the file's bytes by id and by (source, target, kind); ``node_changes`` and ``edge_changes`` the
        records worked out from the claims that changed (the assumptions; the HOLDS, CAUSE, EFFECT and RELATED
        edges), new bytes or None for one that went. The same as :meth:`of_records` of the whole graph, at the
        cost of the records that changed: the graph's records are in id order, its edges in key order.
        Raises ValueError when a changed node is not an assumption."""
        kept_nodes = [record for record in map(orjson.loads, map(nodes.__getitem__, sorted(nodes)))
                      if record["kind"] in NODE_KINDS]
        edge_kinds = frozenset(EDGE_KINDS)
        kept_edges = [orjson.loads(edges[key]) for key in sorted(key for key in edges if key[2] in edge_kinds)]
        claims = previous.claims
        columns = [list(column) for column in claims.columns()]
        ids = columns[0]
        for ident in sorted(node_changes):
            at = bisect.bisect_left(ids, ident)
            present = at < len(ids) and ids[at] == ident
            data = node_changes[ident]
            if data is None:
                if present:
                    for column in columns:
                        del column[at]
                continue
            record = orjson.loads(data)
            if record["kind"] != "Assumption":
                raise ValueError(f"{ident} is not an assumption")
            values = [record.get(name, CLAIM_DEFAULTS[name]) if name in CLAIM_DEFAULTS else record[name]
                      for name in CLAIM_FIELDS]
            for column, value in zip(columns, values, strict=True):
                if present:
                    column[at] = value
                else:
                    column.insert(at, value)
        holds = list(zip(map(claims.holder_ids.__getitem__, claims.held_by), map(claims.ids.__getitem__, claims.held),
                         strict=True))
        for source, target, kind in sorted(edge_changes):
            if kind != "HOLDS":
                continue
            pair = (source, target)
            at = bisect.bisect_left(holds, pair)
            present = at < len(holds) and holds[at] == pair
            if edge_changes[(source, target, kind)] is None:
                if present:
                    del holds[at]
            elif not present:
                holds.insert(at, pair)
        holds_from = list(map(itemgetter(0), holds))
        holder_ids = list(dict.fromkeys(holds_from))
        held_by = list(map(dict(zip(holder_ids, itertools.count())).__getitem__, holds_from))
        held = list(map(dict(zip(ids, itertools.count())).__getitem__, map(itemgetter(1), holds)))
        return cls(header, kept_nodes, kept_edges, Claims(tuple(columns), holder_ids, held_by, held))

    def plain(self) -> tuple[Any, ...]:
        """Plain values only (dicts, lists, tuples, text, numbers), for :mod:`marshal`; :meth:`from_plain` undoes it."""
        claims = self.claims
        return (self.header, self.records, self.edge_records, claims.columns(), claims.holder_ids, claims.held_by,
                claims.held)

    @classmethod
    def from_plain(cls, value: tuple[Any, ...]) -> Facts:
        """The facts :meth:`plain` gave; raises ValueError, TypeError, KeyError or IndexError when ``value`` is
        not such."""
        header, nodes, edges, columns, holder_ids, held_by, held = value
        if not (isinstance(header, dict) and isinstance(nodes, list) and isinstance(edges, list)
                and isinstance(columns, tuple) and len(columns) == len(CLAIM_FIELDS)
                and all(isinstance(c, list) and len(c) == len(columns[0]) for c in columns)
                and isinstance(holder_ids, list) and isinstance(held_by, list) and isinstance(held, list)
                and len(held_by) == len(held)
                and min(held_by, default=0) >= 0 and max(held_by, default=-1) < len(holder_ids)
                and min(held, default=0) >= 0 and max(held, default=-1) < len(columns[0])):
            raise ValueError("not the facts of a graph")
        return cls(header, nodes, edges, Claims(columns, holder_ids, held_by, held))

    def __contains__(self, ident: object) -> bool:
        return ident in self.nodes or (isinstance(ident, str) and self.claims.position(ident) is not None)

    def of_kind(self, kind: str) -> Iterator[dict[str, Any]]:
        """Node records of one of :data:`NODE_KINDS`, in graph order."""
        return iter(self._nodes_by_kind[kind])

    def edges_of(self, kind: str) -> list[dict[str, Any]]:
        """Edge records of one of :data:`EDGE_KINDS`, in graph order."""
        return self._edges_by_kind[kind]


def facts_of(graph: Graph | Facts) -> Facts:
    """The facts of a loaded graph, made on first use and kept with it; facts are their own."""
    if isinstance(graph, Facts):
        return graph
    if graph._facts is None:
        graph._facts = Facts.of_records(graph.header, graph.nodes.values(), graph.edges)
    return graph._facts
