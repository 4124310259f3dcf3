"""The query index (verlicht/graph/queryindex.py): the build keeps what the questions read beside the graph, the
questions answer from it exactly as from the graph file, and an index that is missing, stale, damaged or of
another version is never used: the question reads the graph file instead."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest
from helpers import run

import verlicht
from verlicht.graph import queries
from verlicht.graph import queryindex as qi
from verlicht.graph.facts import Facts, facts_of
from verlicht.graph.store import load_graph

NEW_LINE = ("[[uid=qidx0001]] Door de nieuwe buurtkamer leren mensen elkaar kennen. "
            "[[buurthuis->sociale_cohesie||causal_pos]]\n")


def index_of(root: Path) -> Path:
    return root / "graphs" / qi.INDEX_FILE


def from_index(root: Path) -> Facts | None:
    return qi.read_index(root / "graphs" / "verlicht.json", index_of(root))


def plain_bytes(facts: Facts) -> bytes:
    """The facts as JSON, key order and all (two equal answers need the same order of the header's counts)."""
    return orjson.dumps(facts.plain())


def answers(asked) -> list[bytes]:
    """Every question the index serves, asked of a loaded graph or of the index's facts, as JSON bytes."""
    found = [
        queries.gaps(asked), queries.gaps(asked, all=True), queries.gaps(asked, goal=4),
        queries.gaps(asked, goal=4, all=True, lang="en"), queries.gaps(asked, kind="steps"),
        queries.gaps(asked, kind="mechanisms", all=True), queries.assumptions(asked),
        queries.assumptions(asked, group="professional", coverage="unmeasured"),
        queries.assumptions(asked, concept="sociale_cohesie", min_support=2, lang="en"),
        queries.concepts(asked), queries.concepts(asked, lang="en"), queries.stats(asked),
        queries.paths(asked, "verloop_bewoners", "sociale_cohesie"),
        queries.paths(asked, "goedkope_woningen", "stress", max_length=5),
    ]
    return [orjson.dumps(rows) for rows in found]


@pytest.fixture
def built_demo(demo: Path) -> Path:
    verlicht.open(demo).build()
    return demo


def test_the_build_writes_an_index_that_answers_every_question_as_the_graph_file_does(built_demo):
    facts = from_index(built_demo)
    assert facts is not None
    graph = load_graph(built_demo / "graphs" / "verlicht.json")
    assert plain_bytes(facts) == plain_bytes(facts_of(graph))
    assert len(facts.claims) == graph.header["counts"]["assumptions"] == 69
    assert any(True for _ in facts.of_kind("Step")), "the demo's logic models are in the index"
    assert answers(facts) == answers(graph)
    assert queries.coverage_of(facts, facts.claims.ids[0]) == queries.coverage_of(graph, facts.claims.ids[0])


def test_the_index_answers_as_the_graph_file_on_the_gap_workspace(gapcase):
    ws = verlicht.open(gapcase)
    ws.build()
    facts = from_index(gapcase)
    graph = load_graph(gapcase / "graphs" / "verlicht.json")
    assert facts is not None and plain_bytes(facts) == plain_bytes(facts_of(graph))
    for asked in (dict(), dict(all=True), dict(kind="assumptions", lang="en")):
        assert queries.gaps(facts, **asked) == queries.gaps(graph, **asked)
    assert queries.stats(facts) == queries.stats(graph)


def test_the_workspace_answers_from_the_index_without_loading_the_graph(built_demo, monkeypatch):
    ws = verlicht.open(built_demo)
    expected = orjson.dumps(queries.gaps(load_graph(built_demo / "graphs" / "verlicht.json")))

    def no_graph(_path):
        raise AssertionError("the graph file was read")

    monkeypatch.setattr("verlicht.api.load_graph", no_graph)
    assert orjson.dumps(ws.gaps()) == expected
    assert ws.stats() and ws.assumptions() and ws.concepts()


def test_without_an_index_the_questions_read_the_graph_file(built_demo):
    with_index = run("gaps", "--format", "json", workspace=built_demo)
    stats = run("stats", "--format", "csv", workspace=built_demo)
    index_of(built_demo).unlink()
    ws = verlicht.open(built_demo)
    assert ws.facts is facts_of(ws.graph)  # the loaded graph's own facts
    assert run("gaps", "--format", "json", workspace=built_demo) == with_index
    assert run("stats", "--format", "csv", workspace=built_demo) == stats
    # A build puts it back, although no input changed.
    assert run("build", "-q", workspace=built_demo)[0] == 0
    assert from_index(built_demo) is not None


def test_an_index_made_for_an_older_graph_is_never_used(built_demo):
    old_index = index_of(built_demo).read_bytes()
    source = built_demo / "interviews" / "r01.rock"
    source.write_text(source.read_text(encoding="utf-8") + NEW_LINE, encoding="utf-8")
    ws = verlicht.open(built_demo)
    ws.build()
    index_of(built_demo).write_bytes(old_index)  # as if the build had stopped before writing its index
    assert from_index(built_demo) is None
    rows = verlicht.open(built_demo).assumptions(concept="buurthuis")
    assert [(r["cause"], r["effect"]) for r in rows] == [("buurthuis", "sociale_cohesie")]


def test_a_query_after_an_edit_builds_and_answers_from_the_new_index(built_demo):
    source = built_demo / "interviews" / "r01.rock"
    source.write_text(source.read_text(encoding="utf-8") + NEW_LINE, encoding="utf-8")
    code, out, err = run("query", "assumptions", "--concept", "buurthuis", "--format", "json", workspace=built_demo)
    assert code == 0 and "interviews/r01.rock changed" in err
    assert [(r["cause"], r["effect"]) for r in orjson.loads(out)] == [("buurthuis", "sociale_cohesie")]
    facts = from_index(built_demo)
    assert facts is not None and "assumption:buurthuis->sociale_cohesie:+" in facts


def test_a_touched_graph_file_makes_the_index_stale(built_demo):
    graph = built_demo / "graphs" / "verlicht.json"
    info = graph.stat()
    os.utime(graph, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000))
    assert from_index(built_demo) is None
    assert verlicht.open(built_demo).stats() == queries.stats(load_graph(graph))


@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "other version", "not an index", "empty"])
def test_a_damaged_index_or_one_of_another_version_is_not_used(built_demo, damage):
    expected = run("gaps", "--all", "--format", "csv", workspace=built_demo)
    assert expected[0] == 0 and expected[1].startswith("kind,")
    index = index_of(built_demo)
    data = bytearray(index.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "flipped byte":
        data[-100] ^= 0xFF
    elif damage == "other version":
        data[len(qi.MAGIC)] += 1
    elif damage == "not an index":
        data = bytearray(b"{}\n")
    else:
        data = bytearray()
    index.write_bytes(bytes(data))
    os.utime(index)
    assert from_index(built_demo) is None
    assert run("gaps", "--all", "--format", "csv", workspace=built_demo) == expected


CLAIM_EDGE_KINDS = ("HOLDS", "CAUSE", "EFFECT", "RELATED")


def record_bytes(record: dict) -> bytes:
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


def changes(before, after) -> tuple[dict, dict]:
    """The claims' records that differ from ``before`` to ``after`` (new bytes, or None), as a patching build
    hands them over."""
    def claim_nodes(graph):
        return {ident: record_bytes(r) for ident, r in graph.nodes.items() if r["kind"] == "Assumption"}

    def claim_edges(graph):
        return {(e["source"], e["target"], e["kind"]): record_bytes(e) for e in graph.edges
                if e["kind"] in CLAIM_EDGE_KINDS}

    found = []
    for old, new in ((claim_nodes(before), claim_nodes(after)), (claim_edges(before), claim_edges(after))):
        found.append({key: new.get(key) for key in old.keys() | new.keys() if old.get(key) != new.get(key)})
    return found[0], found[1]


def test_facts_patched_with_a_builds_changes_are_the_facts_of_the_new_graph(built_demo):
    graph_file = built_demo / "graphs" / "verlicht.json"
    before = load_graph(graph_file)
    previous = from_index(built_demo)
    source = built_demo / "interviews" / "r01.rock"
    source.write_text(source.read_text(encoding="utf-8") + NEW_LINE, encoding="utf-8")
    (built_demo / "interviews" / "r02.rock").unlink()  # a respondent and its claims go
    verlicht.open(built_demo).build()
    after = load_graph(graph_file)
    node_changes, edge_changes = changes(before, after)
    assert any(v is None for v in node_changes.values()) and any(v is not None for v in node_changes.values())
    nodes = {ident: record_bytes(r) for ident, r in after.nodes.items() if r["kind"] != "Assumption"}
    edges = {(e["source"], e["target"], e["kind"]): record_bytes(e) for e in after.edges
             if e["kind"] not in CLAIM_EDGE_KINDS}
    patched = Facts.patched(previous, after.header, nodes, edges, node_changes, edge_changes)
    assert plain_bytes(patched) == plain_bytes(facts_of(after))
    assert answers(patched) == answers(after)
