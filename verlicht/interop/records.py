"""The records every linked-data export writes: the built graph plus the quotes behind its claims.

The graph file holds no utterances (they stay in ``graphs/provenance/`` so queries load fast). Linked data
needs the provenance of each claim, so an export adds, as ``to_networkx(provenance=True)`` does, an Utterance
node for every quote that evidences an assumption or relation, its IN edge to the source and the
EVIDENCED_BY edge to it; utterances that evidence nothing stay out (the whole transcripts are the ROCK and
REFI-QDA exports' job). Keys starting with ``_`` are for VERLICHT (an utterance's ``_source`` path and
``_respondent``), not exported as properties. Nodes come sorted by id and edges by (source, kind, target),
so exports are deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from verlicht.graph.schema import relation_key, respondent_id
from verlicht.graph.store import Graph, Provenance


@dataclass
class Records:
    """Nodes by id and edges, plain dicts as in the graph file."""

    nodes: dict[str, dict[str, Any]]
    edges: list[dict[str, Any]]
    header: dict[str, Any] = field(default_factory=dict)


def export_records(graph: Graph, provenance: Provenance | None) -> Records:
    """The graph's records, with the evidencing utterances when ``provenance`` is given."""
    nodes = dict(graph.nodes)
    edges = list(graph.edges)
    if provenance is not None:
        quoted: dict[str, tuple[str, str | None]] = {}  # utterance id -> (source path, respondent id)

        def quote(owner: str, key: str, extra: dict[str, Any]) -> None:
            for path, _line, ident, respondent in provenance.evidence(key):
                quoted.setdefault(ident, (path, respondent))
                edges.append({"kind": "EVIDENCED_BY", "source": owner, "target": ident, **extra})

        for node in graph.of_kind("Assumption"):
            quote(node["id"], node["id"], {})
        for edge in graph.edges_of("RELATED"):
            for type_ in sorted(edge["types"]):
                quote(edge["source"], relation_key(edge["source"], edge["target"], type_),
                      {"relation": f"{edge['target']}||{type_}"})
        by_source: dict[str, list[str]] = {}
        for ident, (path, _who) in quoted.items():
            by_source.setdefault(path, []).append(ident)
        for path, idents in by_source.items():
            source = f"source:{path}"
            for ident in idents:
                row = provenance.utterance(path, ident)
                record = {k: v for k, v in row.items() if k not in ("id", "source")}
                nodes[ident] = {"id": ident, "kind": "Utterance", **record, "_source": path}
                edges.append({"kind": "IN", "source": ident, "target": source})
                who = quoted[ident][1]
                if who and who in graph.nodes:
                    nodes[ident]["_respondent"] = who
    ordered = {k: nodes[k] for k in sorted(nodes)}
    edges.sort(key=lambda e: (e["source"], e["kind"], e["target"], str(e.get("relation", ""))))
    return Records(ordered, edges, dict(graph.header))


def speaker(record: dict[str, Any]) -> str | None:
    """The respondent id an utterance record was said by (from its evidence, else its case id)."""
    if record.get("_respondent"):
        return record["_respondent"]
    return respondent_id(record["cid"]) if record.get("cid") else None
