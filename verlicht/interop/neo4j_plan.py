"""The push to Neo4j as a plan: a list of Cypher statements with their parameters, derived from the build.

Planning is pure (no server, no driver): the same build gives the same plan, so the statements, their
batches and their parameters are tested against the graph without Neo4j. :mod:`verlicht.interop.neo4j`
runs a plan through the official driver; :mod:`verlicht.interop.cypher` writes the same plan as a script
for ``cypher-shell``.

How the mirror stays exact and repairable:

* every node carries the label ``Verlicht`` (unique ``id``, one constraint) and its kind as a second label
  (``Concept``, ``Assumption`` …); relationships carry a ``key`` that names them among parallel ones;
* every node and relationship written is stamped with the build id (``verlicht_build``, a hash of the
  build's content), by an idempotent ``UNWIND $rows AS row MERGE … SET``;
* only after everything was written, whatever carries another stamp (it left the build) is deleted, in
  batches, relationships first.

A push killed at any point leaves nodes stamped with the old or the new build and nothing deleted that
the build still has; the next push writes everything again and then deletes the rest, so it repairs
the state. A re-push of the same build writes the same properties and deletes nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from verlicht.gcpause import gc_paused
from verlicht.graph.schema import EDGE_KINDS, NODE_KINDS, relation_key
from verlicht.graph.store import Graph, Provenance

BASE_LABEL = "Verlicht"
STAMP = "verlicht_build"
META_LABEL = "VerlichtBuild"
DEFAULT_BATCH = 5000
DELETE_BATCH = 10000
# Text that Neo4j Browser and Bloom search in (one full-text index over the kinds that carry words).
TEXT_KINDS = ("Concept", "Assumption", "Utterance", "Indicator", "Goal", "Step", "Mechanism", "Intervention")
TEXT_PROPERTIES = ("label_nl", "label_en", "label", "text", "text_nl", "text_en", "description", "code")


@dataclass(frozen=True, slots=True)
class Statement:
    """One Cypher statement and its parameters.

    ``op`` says what it does, for the executor and for tests that check the plan without Cypher:
    ``schema`` (a constraint or index), ``begin``/``commit`` (the build marker), ``nodes`` / ``relationships``
    (a batch of MERGEs of one ``kind``; ``rows`` in ``params['rows']``) and ``delete`` (removes, in batches
    of ``params['limit']``, what carries another stamp; repeated until it reports 0).
    """

    op: str
    kind: str
    cypher: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.params.get("rows", ()))


@dataclass(frozen=True, slots=True)
class PushPlan:
    """Every statement of one push, in the order they must run."""

    build: str
    workspace: str
    statements: list[Statement]

    def of(self, op: str) -> list[Statement]:
        return [s for s in self.statements if s.op == op]

    @property
    def node_count(self) -> int:
        return sum(s.rows for s in self.of("nodes"))

    @property
    def relationship_count(self) -> int:
        return sum(s.rows for s in self.of("relationships"))

    def summary(self) -> list[dict[str, Any]]:
        """One row per statement group: what ``push --dry-run`` lists."""
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for s in self.statements:
            kind = "constraints and indexes" if s.op == "schema" else s.kind
            row = rows.setdefault((s.op, kind), {"op": s.op, "kind": kind, "statements": 0, "rows": 0})
            row["statements"] += 1
            row["rows"] += s.rows
        return list(rows.values())


def build_id(graph_file: Path, evidence_file: Path, provenance: Iterable[Path]) -> str:
    """A content hash of the build outputs the push reads: the same build always gets the same id."""
    digest = hashlib.sha256()
    for path in (graph_file, evidence_file, *sorted(provenance)):
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except FileNotFoundError:
            digest.update(b"-")
    return digest.hexdigest()[:16]


def properties(record: dict[str, Any], skip: Iterable[str] = ()) -> dict[str, Any]:
    """A record as Neo4j properties: scalars and lists of one scalar type as they are; a mapping of
    scalars becomes one property per key (``groups`` ``{"bewoner": 2}`` → ``groups_bewoner: 2``); anything
    else (nested mappings, mixed lists) becomes its JSON text. ``None`` and empty values are left out,
    as Neo4j stores no nulls."""
    out: dict[str, Any] = {}
    skipped = set(skip)
    for key, value in record.items():  # build records keep their keys sorted; so do these properties
        kind = type(value)
        if kind is str or kind is int or kind is float or kind is bool:  # most values: straight through
            if key not in skipped:
                out[key] = value
        elif value is None or key in skipped:
            continue
        elif isinstance(value, dict):
            if all(_scalar(v) for v in value.values()):
                for sub, item in sorted(value.items()):
                    if item is not None:
                        out[_property_name(f"{key}_{sub}")] = item
            elif value:
                out[key] = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
        elif isinstance(value, (list, tuple)):
            if not value:
                continue
            types = {type(v) for v in value}
            if len(types) == 1 and _scalar(value[0]) and value[0] is not None:
                out[key] = list(value)
            else:
                out[key] = orjson.dumps(list(value), option=orjson.OPT_SORT_KEYS).decode()
        else:
            out[key] = value
    return out


_NOT_NAME = re.compile(r"[^A-Za-z0-9_]")


def _property_name(name: str) -> str:
    """A flattened key as a plain identifier (``values_wonen>instroom`` → ``values_wonen_instroom``), so that
    Cypher names it without back-ticks and the script writer can take JSON keys as they are."""
    return _NOT_NAME.sub("_", name)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def graph_rows(graph: Graph, prov: Provenance | None
               ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """Node rows per kind and relationship rows per kind, everything the mirror holds, in a stable order.

    Node rows are ``{"id", "props"}``; relationship rows ``{"source", "target", "key", "props"}``. With
    ``prov``, the anonymised utterances, ``IN`` and ``EVIDENCED_BY`` come along (the full schema).
    """
    nodes: dict[str, list[dict[str, Any]]] = {kind: [] for kind in NODE_KINDS}
    rels: dict[str, list[dict[str, Any]]] = {kind: [] for kind in EDGE_KINDS}
    for ident in sorted(graph.nodes):
        record = graph.nodes[ident]
        nodes.setdefault(record["kind"], []).append({"id": ident, "props": properties(record, ("kind",))})
    for edge in graph.edges:
        kind = edge["kind"]
        if kind == "RELATED":  # one relationship per relation type, as the codebook's edge types are
            for type_, facts in sorted(edge.get("types", {}).items()):
                key = f"{edge['source']}|RELATED|{edge['target']}|{type_}"
                props = {"key": key, "type": type_, **properties(facts or {})}
                rels[kind].append({"source": edge["source"], "target": edge["target"], "key": key, "props": props})
            continue
        key = f"{edge['source']}|{kind}|{edge['target']}"
        props = {"key": key, **properties(edge, ("kind", "source", "target"))}
        rels.setdefault(kind, []).append({"source": edge["source"], "target": edge["target"], "key": key,
                                          "props": props})
    if prov is not None:
        _provenance_rows(graph, prov, nodes, rels)
    for kind_rows in rels.values():
        kind_rows.sort(key=lambda r: r["key"])
    return ({k: v for k, v in nodes.items() if v}, {k: v for k, v in rels.items() if v})


def _provenance_rows(graph: Graph, prov: Provenance, nodes: dict[str, list[dict[str, Any]]],
                     rels: dict[str, list[dict[str, Any]]]) -> None:
    utterances = nodes.setdefault("Utterance", [])
    for source in graph.of_kind("Source"):
        for ident, row in sorted(prov.source(source["path"]).items()):
            utterances.append({"id": ident, "props": _utterance_properties(row)})
            key = f"{ident}|IN|{source['id']}"
            rels["IN"].append({"source": ident, "target": source["id"], "key": key, "props": {"key": key}})
    evidenced = rels["EVIDENCED_BY"]
    for assumption in graph.of_kind("Assumption"):
        for path, line, ident, respondent in prov.evidence(assumption["id"]):
            key = f"{assumption['id']}|EVIDENCED_BY|{ident}"
            evidenced.append({"source": assumption["id"], "target": ident, "key": key,
                              "props": properties({"key": key, "respondent": respondent, "source": path,
                                                   "line": line})})
    for edge in graph.edges_of("RELATED"):
        for type_ in sorted(edge.get("types", {})):
            relation = f"{edge['target']}||{type_}"
            for path, line, ident, respondent in prov.evidence(relation_key(edge["source"], edge["target"], type_)):
                key = f"{edge['source']}|EVIDENCED_BY|{ident}|{relation}"
                evidenced.append({"source": edge["source"], "target": ident, "key": key,
                                  "props": properties({"key": key, "respondent": respondent, "relation": relation,
                                                       "source": path, "line": line})})
    # One utterance can back the same claim twice (two codes on a line): the mirror holds it once.
    seen: set[str] = set()
    evidenced[:] = [r for r in evidenced if not (r["key"] in seen or seen.add(r["key"]))]


def _utterance_properties(row: dict[str, Any]) -> dict[str, Any]:
    """:func:`properties` of a provenance row, the quick way (there are hundreds of thousands): its values
    are strings, numbers and lists of strings, but for ``values`` (code → value), flattened as ever."""
    props = dict(row)
    values = props.pop("values", None)
    if values:
        for code, value in sorted(values.items()):
            props[_property_name(f"values_{code}")] = value
    return props


def schema_statements(node_kinds: Iterable[str], rel_kinds: Iterable[str]) -> list[Statement]:
    """Constraints and indexes, all ``IF NOT EXISTS`` so that running them again changes nothing."""
    out = [
        Statement("schema", BASE_LABEL,
                  f"CREATE CONSTRAINT verlicht_id IF NOT EXISTS FOR (n:{BASE_LABEL}) REQUIRE n.id IS UNIQUE"),
        Statement("schema", BASE_LABEL,
                  f"CREATE INDEX verlicht_build IF NOT EXISTS FOR (n:{BASE_LABEL}) ON (n.{STAMP})"),
        Statement("schema", META_LABEL,
                  f"CREATE CONSTRAINT verlicht_build_workspace IF NOT EXISTS FOR (b:{META_LABEL}) "
                  "REQUIRE b.workspace IS UNIQUE"),
    ]
    for kind in node_kinds:  # queries that name the kind (MATCH (c:Concept {id: …})) use these
        out.append(Statement("schema", kind,
                             f"CREATE INDEX verlicht_{kind.lower()}_id IF NOT EXISTS FOR (n:{kind}) ON (n.id)"))
    for kind in rel_kinds:
        out.append(Statement("schema", kind,
                             f"CREATE INDEX verlicht_rel_{kind.lower()}_key IF NOT EXISTS "
                             f"FOR ()-[r:{kind}]-() ON (r.key)"))
    labels = "|".join(TEXT_KINDS)
    fields = ", ".join(f"n.{p}" for p in TEXT_PROPERTIES)
    out.append(Statement("schema", "fulltext",
                         f"CREATE FULLTEXT INDEX verlicht_text IF NOT EXISTS FOR (n:{labels}) ON EACH [{fields}]"))
    return out


def node_statement(kind: str, rows: list[dict[str, Any]]) -> Statement:
    """MERGE one batch of nodes of ``kind``: properties replaced by the build's, stamped with it."""
    cypher = (f"UNWIND $rows AS row MERGE (n:{BASE_LABEL} {{id: row.id}}) "
              f"SET n = row.props, n:{kind}, n.id = row.id, n.{STAMP} = $build")
    return Statement("nodes", kind, cypher, {"rows": rows})


def relationship_statement(kind: str, rows: list[dict[str, Any]]) -> Statement:
    """MERGE one batch of relationships of ``kind`` between nodes merged before, by their ``key``."""
    cypher = (f"UNWIND $rows AS row MATCH (a:{BASE_LABEL} {{id: row.source}}) "
              f"MATCH (b:{BASE_LABEL} {{id: row.target}}) "
              f"MERGE (a)-[r:{kind} {{key: row.key}}]->(b) SET r = row.props, r.{STAMP} = $build")
    return Statement("relationships", kind, cypher, {"rows": rows})


def delete_statements() -> list[Statement]:
    """Remove what another build stamped: relationships first, then nodes (with whatever still hangs on them)."""
    return [
        Statement("delete", "relationships",
                  f"MATCH (:{BASE_LABEL})-[r]->(:{BASE_LABEL}) WHERE r.{STAMP} IS NULL OR r.{STAMP} <> $build "
                  "WITH r LIMIT $limit DELETE r RETURN count(*) AS deleted", {"limit": DELETE_BATCH}),
        Statement("delete", "nodes",
                  f"MATCH (n:{BASE_LABEL}) WHERE n.{STAMP} IS NULL OR n.{STAMP} <> $build "
                  "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted", {"limit": DELETE_BATCH}),
    ]


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def plan_push(graph: Graph, prov: Provenance | None, build: str, workspace: str,
              batch_size: int = DEFAULT_BATCH) -> PushPlan:
    """Every statement that mirrors ``graph`` (and, with ``prov``, its utterances) into Neo4j.

    Order: schema; the build marker (``complete: false``); nodes per kind; relationships per kind; the
    deletion of what other builds stamped; the marker set ``complete: true``. Each statement's
    parameters hold its rows and the ``build`` id.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    with gc_paused():  # hundreds of thousands of small dicts, none of them cyclic
        nodes, rels = graph_rows(graph, prov)
    statements = schema_statements(sorted(nodes), sorted(rels))
    meta = {"workspace": workspace, "build": build, "nodes": sum(map(len, nodes.values())),
            "relationships": sum(map(len, rels.values()))}
    statements.append(Statement(
        "begin", META_LABEL,
        f"MERGE (b:{META_LABEL} {{workspace: $workspace}}) SET b.build = $build, b.complete = false, "
        "b.nodes = $nodes, b.relationships = $relationships", meta))
    for kind in sorted(nodes):
        statements.extend(node_statement(kind, batch) for batch in _batches(nodes[kind], batch_size))
    for kind in sorted(rels):
        statements.extend(relationship_statement(kind, batch) for batch in _batches(rels[kind], batch_size))
    statements.extend(delete_statements())
    statements.append(Statement(
        "commit", META_LABEL,
        f"MATCH (b:{META_LABEL} {{workspace: $workspace}}) WHERE b.build = $build SET b.complete = true",
        {"workspace": workspace, "build": build}))
    # Every statement that names $build gets it: the stamp is what makes the deletion safe.
    return PushPlan(build, workspace, [
        Statement(s.op, s.kind, s.cypher, {**s.params, "build": build}) if "$build" in s.cypher else s
        for s in statements
    ])
