"""The Neo4j push plan, checked against the build without a server.

``Mirror`` below applies a plan the way its statements are written to work (MERGE by id and key,
relationships only between nodes that exist, deletion of other stamps), so that idempotence,
deletion and repair after a kill are checked on the plan's rows and parameters.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import verlicht.api as api
from verlicht.graph.store import Provenance
from verlicht.interop.neo4j_plan import BASE_LABEL, STAMP, plan_push, properties

PARAM = re.compile(r"\$([A-Za-z_]\w*)")


class Mirror:
    """What a Neo4j database holds after the plan's statements ran, statement by statement."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict] = {}
        self.rels: dict[str, dict] = {}
        self.meta: dict[str, dict] = {}

    def apply(self, statement) -> None:
        p = statement.params
        if statement.op == "nodes":
            for row in p["rows"]:
                self.nodes[row["id"]] = {**row["props"], "id": row["id"], "_kind": statement.kind, STAMP: p["build"]}
        elif statement.op == "relationships":
            for row in p["rows"]:
                if row["source"] in self.nodes and row["target"] in self.nodes:  # MATCH … MATCH …
                    self.rels[row["key"]] = {**row["props"], "_kind": statement.kind,
                                             "_ends": (row["source"], row["target"]), STAMP: p["build"]}
        elif statement.op == "delete" and statement.kind == "relationships":
            self.rels = {k: r for k, r in self.rels.items() if r[STAMP] == p["build"]}
        elif statement.op == "delete":
            self.nodes = {k: n for k, n in self.nodes.items() if n[STAMP] == p["build"]}
            self.rels = {k: r for k, r in self.rels.items() if set(r["_ends"]) <= set(self.nodes)}  # DETACH
        elif statement.op == "begin":
            self.meta[p["workspace"]] = {"build": p["build"], "complete": False}
        elif statement.op == "commit" and self.meta.get(p["workspace"], {}).get("build") == p["build"]:
            self.meta[p["workspace"]]["complete"] = True

    def run(self, plan, stop: int | None = None) -> Mirror:
        for statement in plan.statements[:stop]:
            self.apply(statement)
        return self

    def state(self) -> tuple[dict, dict]:
        """Nodes and relationships without stamps: what a user sees."""
        strip = lambda d: {k: v for k, v in d.items() if k != STAMP}  # noqa: E731
        return ({k: strip(v) for k, v in self.nodes.items()}, {k: strip(v) for k, v in self.rels.items()})


def _built(path: Path) -> api.Workspace:
    ws = api.open(path)
    ws.build()
    return ws


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory) -> api.Workspace:
    from helpers import REPO

    target = tmp_path_factory.mktemp("neo4j") / "demo"
    target.mkdir()
    for name in ("verlicht.toml", "interviews", "ontology", "indicators", "logic"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target / name)
    return _built(target)


def test_plan_writes_every_node_of_the_build_and_every_utterance_once(demo_ws):
    plan = demo_ws.neo4j_plan()
    ids = [row["id"] for s in plan.of("nodes") for row in s.params["rows"]]
    utterances = demo_ws.graph.header["counts"]["utterances"]
    assert len(ids) == len(set(ids)) == len(demo_ws.graph.nodes) + utterances == 923
    assert set(demo_ws.graph.nodes) <= set(ids)
    full = demo_ws.to_networkx(provenance=True)
    assert set(ids) == set(full.nodes)


def test_plan_relationships_match_the_graph_edges_with_provenance(demo_ws):
    plan = demo_ws.neo4j_plan()
    rows = [(s.kind, row) for s in plan.of("relationships") for row in s.params["rows"]]
    keys = [row["key"] for _kind, row in rows]
    assert len(keys) == len(set(keys))
    graph = demo_ws.graph
    related_types = sum(len(e["types"]) for e in graph.edges_of("RELATED"))
    counts = {}
    for kind, _row in rows:
        counts[kind] = counts.get(kind, 0) + 1
    for kind in ("CAUSE", "EFFECT", "HOLDS", "MEASURES", "TESTS", "TRACKS", "OBSERVED", "IN_AREA", "LEADS_TO"):
        assert counts[kind] == len(graph.edges_of(kind)), kind
    assert counts["RELATED"] == related_types
    assert counts["IN"] == graph.header["counts"]["utterances"]
    full = demo_ws.to_networkx(provenance=True)
    evidenced = {(a, b) for a, b, d in full.edges(data=True) if d["kind"] == "EVIDENCED_BY"}
    assert {(row["source"], row["target"]) for kind, row in rows if kind == "EVIDENCED_BY"} == evidenced
    node_ids = {row["id"] for s in plan.of("nodes") for row in s.params["rows"]}
    assert all(row["source"] in node_ids and row["target"] in node_ids for _k, row in rows)


def test_plan_is_the_same_for_the_same_build_and_names_every_parameter(demo_ws):
    first, second = demo_ws.neo4j_plan(), demo_ws.neo4j_plan()
    assert first == second
    assert re.fullmatch(r"[0-9a-f]{16}", first.build)
    for statement in first.statements:
        for name in PARAM.findall(statement.cypher):
            assert name in statement.params, (name, statement.cypher)
        if statement.op in ("nodes", "relationships"):
            assert statement.params["build"] == first.build
            assert statement.cypher.startswith("UNWIND $rows AS row MERGE" if statement.op == "nodes"
                                               else "UNWIND $rows AS row MATCH")


def test_plan_order_is_schema_then_nodes_then_relationships_then_deletion(demo_ws):
    ops = [s.op for s in demo_ws.neo4j_plan().statements]
    order = ["schema", "begin", "nodes", "relationships", "delete", "commit"]
    assert sorted(ops, key=order.index) == ops
    schema = [s.cypher for s in demo_ws.neo4j_plan().of("schema")]
    assert f"CREATE CONSTRAINT verlicht_id IF NOT EXISTS FOR (n:{BASE_LABEL}) REQUIRE n.id IS UNIQUE" in schema
    assert all("IF NOT EXISTS" in c for c in schema)


def test_batches_hold_at_most_batch_size_rows_and_lose_none(demo_ws):
    whole, small = demo_ws.neo4j_plan(), demo_ws.neo4j_plan(batch_size=50)
    assert max(s.rows for s in small.statements) == 50
    assert (small.node_count, small.relationship_count) == (whole.node_count, whole.relationship_count)
    assert len(small.of("nodes")) > len(whole.of("nodes"))


def test_properties_are_what_neo4j_can_store():
    record = {"id": "assumption:a->b:+", "kind": "Assumption", "groups": {"bewoner": 2, "professional": 1},
              "types": ["causal_pos"], "wijk": None, "tests": [], "nested": {"x": {"y": 1}}, "mixed": [1, "a"]}
    assert properties(record, ("kind",)) == {
        "groups_bewoner": 2, "groups_professional": 1, "id": "assumption:a->b:+", "mixed": '[1,"a"]',
        "nested": '{"x":{"y":1}}', "types": ["causal_pos"]}


def test_every_property_of_the_demo_plan_is_a_scalar_or_a_list_of_one_scalar_type(demo_ws):
    for statement in demo_ws.neo4j_plan().statements:
        for row in statement.params.get("rows", ()):
            for value in row["props"].values():
                assert value is not None
                if isinstance(value, list):
                    assert len({type(v) for v in value}) == 1 and isinstance(value[0], (str, int, float, bool))
                else:
                    assert isinstance(value, (str, int, float, bool))


def test_pushing_twice_gives_the_same_mirror_and_deletes_nothing(demo_ws):
    plan = demo_ws.neo4j_plan()
    once = Mirror().run(plan)
    twice = Mirror().run(plan).run(plan)
    assert once.state() == twice.state()
    assert len(once.nodes) == plan.node_count and len(once.rels) == plan.relationship_count
    assert once.meta == {demo_ws.name: {"build": plan.build, "complete": True}}


def _without_r12(demo_ws: api.Workspace, tmp_path: Path) -> api.Workspace:
    changed = tmp_path / "changed"
    shutil.copytree(demo_ws.root, changed, ignore=shutil.ignore_patterns("graphs"))
    (changed / "interviews" / "r12.rock").unlink()
    return _built(changed)


def test_a_source_removed_from_the_build_is_removed_from_the_mirror(demo_ws, tmp_path):
    mirror = Mirror().run(demo_ws.neo4j_plan())
    gone = {i for i, n in mirror.nodes.items() if n.get("source") == "interviews/r12.rock"}
    assert "source:interviews/r12.rock" in mirror.nodes and len(gone) > 10
    smaller = _without_r12(demo_ws, tmp_path)
    plan = smaller.neo4j_plan()
    assert plan.build != demo_ws.neo4j_plan().build
    mirror.run(plan)
    assert mirror.state() == Mirror().run(plan).state()
    assert "source:interviews/r12.rock" not in mirror.nodes and not gone & set(mirror.nodes)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_push_killed_at_any_statement_is_repaired_by_the_next(demo_ws, tmp_path_factory, data):
    smaller = _SMALLER.get("ws") or _SMALLER.setdefault("ws", _without_r12(demo_ws, tmp_path_factory.mktemp("k")))
    old, new = demo_ws.neo4j_plan(batch_size=100), smaller.neo4j_plan(batch_size=100)
    first, then = data.draw(st.sampled_from([(old, new), (new, old), (old, old)]))
    kill = data.draw(st.integers(0, len(then.statements)))
    mirror = Mirror().run(first).run(then, stop=kill)
    if kill < len(then.statements) and then is not first:  # the marker never claims an unfinished push
        assert mirror.meta[then.workspace] != {"build": then.build, "complete": True}
    repaired = mirror.run(then)
    assert repaired.state() == Mirror().run(then).state()
    assert repaired.meta[then.workspace] == {"build": then.build, "complete": True}


_SMALLER: dict[str, api.Workspace] = {}


def test_the_plan_of_a_workspace_reads_its_provenance(mini):
    ws = _built(mini)
    plan = plan_push(ws.graph, Provenance(ws.layout.graphs), ws.neo4j_build_id(), ws.name)
    without = plan_push(ws.graph, None, ws.neo4j_build_id(), ws.name)
    utterances = [row for s in plan.of("nodes") if s.kind == "Utterance" for row in s.params["rows"]]
    assert len(utterances) == ws.graph.header["counts"]["utterances"]
    assert plan.node_count - without.node_count == len(utterances)
    assert all("text" in row["props"] and row["id"].startswith("utterance:") for row in utterances)


def test_utterance_properties_are_the_general_properties_of_a_provenance_row():
    from verlicht.interop.neo4j_plan import _utterance_properties

    row = {"cid": "R1", "codes": ["wonen>instroom"], "id": "utterance:u1", "line": 4, "network": ["a->b||causal"],
           "text": "Tekst", "uid": "u1", "values": {"intensiteit": "2", "wonen>druk": "hoog"}, "source": "x.rock"}
    assert _utterance_properties(row) == properties(row)
    assert properties(row)["values_wonen_druk"] == "hoog"


@pytest.mark.parametrize("seed", [5, 9])
def test_the_plan_of_a_generated_workspace_mirrors_its_full_graph(tmp_path, seed):
    generate = _bench_generate()
    generate(tmp_path / "generated", interviews=6, utterances=60, concepts=30, seed=seed)
    ws = _built(tmp_path / "generated")
    plan = ws.neo4j_plan(batch_size=40)
    mirror = Mirror().run(plan).run(plan)
    full = ws.to_networkx(provenance=True)
    assert set(mirror.nodes) == set(full.nodes)
    assert {r["_ends"] for r in mirror.rels.values()} == set(full.edges)
    assert len(mirror.rels) == plan.relationship_count


def _bench_generate():
    """bench/generate.py's ``generate``, loaded from its file: bench/ on sys.path would put its scripts
    before the installed packages for every later test."""
    import importlib.util

    from helpers import REPO

    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate
