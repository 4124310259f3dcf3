"""The full cycle against a real Neo4j: push, query, re-push, delete, repair after an interrupted push.

Runs only when a server is configured (``VERLICHT_NEO4J_URI``, ``VERLICHT_NEO4J_USER``,
``VERLICHT_NEO4J_PASSWORD``); it replaces the database's ``:Verlicht`` nodes, so point it at a scratch
database (``VERLICHT_NEO4J_DATABASE``). Start one with::

    docker run --rm -p 7687:7687 -e NEO4J_AUTH=neo4j/verlicht-test neo4j:5
    VERLICHT_NEO4J_URI=bolt://localhost:7687 VERLICHT_NEO4J_USER=neo4j VERLICHT_NEO4J_PASSWORD=verlicht-test \\
        .venv/bin/pytest tests/interop/test_neo4j_server.py
"""

from __future__ import annotations

import os
import shutil

import pytest
from helpers import REPO
from test_sparql import comparable

import verlicht.api as api
from verlicht.errors import GraphDatabaseError
from verlicht.interop import neo4j as layer

NEEDED = ("VERLICHT_NEO4J_URI", "VERLICHT_NEO4J_USER", "VERLICHT_NEO4J_PASSWORD")
missing = [name for name in NEEDED if name not in os.environ]
pytestmark = pytest.mark.skipif(bool(missing), reason=f"no Neo4j server configured: set {', '.join(missing)}")


def _workspace(tmp_path, drop: str | None = None) -> api.Workspace:
    target = tmp_path / ("demo" if drop is None else f"demo-without-{drop}")
    target.mkdir()
    for name in ("verlicht.toml", "interviews", "ontology", "indicators", "logic"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target / name)
    if drop:
        (target / "interviews" / drop).unlink()
    ws = api.open(target)
    ws.build()
    return ws


def _count(ws: api.Workspace, cypher: str) -> int:
    return ws.neo4j_query(cypher)[0]["n"]


def test_push_query_repush_delete_and_repair(tmp_path):
    ws = _workspace(tmp_path)
    ws.neo4j_query("MATCH (n:Verlicht) DETACH DELETE n", write=True)
    plan = ws.neo4j_plan(batch_size=200)

    first = ws.neo4j_push(batch_size=200)[0]
    assert (first["nodes"], first["relationships"]) == (plan.node_count, plan.relationship_count)
    assert _count(ws, "MATCH (n:Verlicht) RETURN count(n) AS n") == plan.node_count
    assert _count(ws, "MATCH (:Verlicht)-[r]->(:Verlicht) RETURN count(r) AS n") == plan.relationship_count

    evidence = ws.neo4j_query((REPO / "ontology" / "cypher" / "evidence.cypher").read_text(),
                              {"cause": "goedkope_woningen", "effect": "instroom_kwetsbaren"})
    assert {r["uid"] for r in evidence} == {r["uid"] for r in ws.evidence("goedkope_woningen->instroom_kwetsbaren")}

    again = ws.neo4j_push(batch_size=200)[0]
    assert (again["deleted_nodes"], again["deleted_relationships"]) == (0, 0)
    assert _count(ws, "MATCH (n:Verlicht) RETURN count(n) AS n") == plan.node_count

    smaller = _workspace(tmp_path, drop="r12.rock")
    # An interrupted push of the smaller build: only its first half of statements ran.
    half = smaller.neo4j_plan(batch_size=50)
    conn = layer.resolve_connection(smaller.layout)
    import neo4j

    with neo4j.GraphDatabase.driver(conn.uri, auth=conn.auth) as driver, driver.session(database=conn.database) as s:
        cut = type(half)(half.build, half.workspace, half.statements[: len(half.statements) // 2])
        layer.run_plan(s, cut)
    status = smaller.neo4j_query("MATCH (b:VerlichtBuild) RETURN b.build AS build, b.complete AS complete")
    assert status == [{"build": half.build, "complete": False}]

    repaired = smaller.neo4j_push()[0]
    assert repaired["deleted_nodes"] > 0
    assert _count(smaller, "MATCH (n:Verlicht) RETURN count(n) AS n") == half.node_count
    assert _count(smaller, "MATCH (n:Source {path: 'interviews/r12.rock'}) RETURN count(n) AS n") == 0
    assert smaller.neo4j_query("MATCH (b:VerlichtBuild) RETURN b.complete AS complete") == [{"complete": True}]


@pytest.mark.parametrize("name", ["gaps", "coverage"])
def test_the_canned_gaps_queries_give_the_rows_of_verlicht_gaps(tmp_path, name):
    """gaps.cypher is `verlicht gaps`, coverage.cypher `verlicht gaps --all`: assumptions, steps and
    mechanisms, compared as the SPARQL queries of the same names are; in the same order and columns as those."""
    ws = _workspace(tmp_path)
    ws.neo4j_push()
    rows = ws.neo4j_query((REPO / "ontology" / "cypher" / f"{name}.cypher").read_text(encoding="utf-8"))
    expected = ws.gaps(all=name == "coverage")
    assert {r["kind"] for r in rows} == {"assumption", "step", "mechanism"}
    assert comparable(rows) == comparable(expected)
    assert rows == ws.sparql(name)


def test_a_read_only_query_cannot_write(tmp_path):
    ws = _workspace(tmp_path)
    with pytest.raises(GraphDatabaseError, match=r"--write|read"):
        ws.neo4j_query("CREATE (:Verlicht {id: 'x'})")
