"""Each view of ``verlicht viz`` draws what it promises, checked against the queries on the built demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from pagedata import by_id, page_data

import verlicht
from verlicht.errors import QueryError


def _claims(data):
    return [e for e in data["edges"] if e["vkind"] == "assumption"]


def _concepts(data):
    return {n["code"] for n in data["nodes"] if n["vkind"] == "concept"}


def test_default_view_has_every_assumption_as_an_edge_between_concepts(built_demo: Path):
    ws = verlicht.open(built_demo)
    data = page_data(ws.viz().html)
    assert {e["id"] for e in _claims(data)} == {r["id"] for r in ws.assumptions()}
    in_claims = {r[k] for r in ws.assumptions() for k in ("cause", "effect")}
    assert in_claims <= _concepts(data)
    goals = [n for n in data["nodes"] if n["vkind"] == "goal"]
    assert goals and all(n["shape"] == "box" for n in goals)
    tracks = [e for e in data["edges"] if e["id"].startswith("tracks:")]
    assert {e["to"] for e in tracks} == {n["id"] for n in goals}


def test_focus_keeps_the_concepts_within_depth(built_demo: Path):
    ws = verlicht.open(built_demo)
    near = {"sociale_cohesie"}
    for r in ws.assumptions(concept="sociale_cohesie"):
        near |= {r["cause"], r["effect"]}
    for edge in ws.graph.edges_of("RELATED"):
        ends = {edge["source"].split(":", 1)[1], edge["target"].split(":", 1)[1]}
        if "sociale_cohesie" in ends:
            near |= ends
    data = page_data(ws.viz(focus="sociale_cohesie", depth=1).html)
    assert _concepts(data) == near
    assert by_id(data["nodes"])["concept:sociale_cohesie"]["anchor"] is True
    deeper = page_data(ws.viz(focus="sociale_cohesie", depth=2).html)
    assert _concepts(deeper) > near


def test_gaps_view_draws_only_the_assumptions_lacking_indicators(built_demo: Path):
    ws = verlicht.open(built_demo)
    data = page_data(ws.viz(gaps=True).html)
    assert {e["id"] for e in _claims(data)} == {r["id"] for r in ws.gaps(kind="assumptions")}
    assert {e["coverage"] for e in _claims(data)} == {"partial", "unmeasured"}
    assert not [e for e in data["edges"] if e["vkind"] == "relation"]


def test_group_view_draws_the_claims_that_group_holds(built_demo: Path):
    ws = verlicht.open(built_demo)
    data = page_data(ws.viz(group="bewoners").html)
    assert {e["id"] for e in _claims(data)} == {r["id"] for r in ws.assumptions(group="bewoner")}
    assert all("bewoner" in e["groups"] for e in _claims(data))


def test_theme_view_accepts_key_or_label_and_keeps_claims_touching_it(built_demo: Path):
    ws = verlicht.open(built_demo)
    by_key = ws.viz(theme="wonen_en_leefomgeving")
    by_label = ws.viz(theme="Wonen en leefomgeving")
    assert by_key.html == by_label.html
    assert by_key.summary["view"] == "theme-wonen_en_leefomgeving"
    data = page_data(by_key.html)
    nodes = by_id(data["nodes"])
    assert all("wonen_en_leefomgeving" in (nodes[e["from"]]["theme"], nodes[e["to"]]["theme"])
               for e in _claims(data))


def test_goal_view_lays_out_chains_towards_the_goal(built_demo: Path):
    ws = verlicht.open(built_demo)
    data = page_data(ws.viz(goal=9).html)
    nodes = by_id(data["nodes"])
    assert [n["id"] for n in data["nodes"] if n["vkind"] == "goal"] == ["goal:9"]
    assert data["physics"] is False
    for edge in _claims(data):  # every claim points towards the goal: its effect stands closer (further right)
        assert nodes[edge["from"]]["x"] < nodes[edge["to"]]["x"]
    assert max(n["x"] for n in data["nodes"]) == nodes["goal:9"]["x"]
    reaching = {r["cause"] for r in ws.gaps(all=True, goal=9, kind="assumptions")}
    assert reaching & _concepts(data)


def test_actor_view_draws_claims_and_relations_involving_actors(built_demo: Path):
    ws = verlicht.open(built_demo)
    actors = {c["code"] for c in ws.concepts() if c["type"] == "actor"}
    data = page_data(ws.viz(actors=True).html)
    nodes = by_id(data["nodes"])
    claims = [e for e in data["edges"] if e["vkind"] in ("assumption", "relation")]
    assert claims and all({nodes[e["from"]]["code"], nodes[e["to"]]["code"]} & actors for e in claims)
    assert any(e["vkind"] == "relation" and e["label"] == "collaborates" for e in claims)


def test_intervention_view_is_the_logic_model_with_its_mechanisms(built_demo: Path):
    ws = verlicht.open(built_demo)
    data = page_data(ws.viz(intervention="meer_peuters_naar_opvang").html)
    steps = [d for d in ws.graph.of_kind("Step") if d["intervention"] == "meer_peuters_naar_opvang"]
    mechanisms = [d for d in ws.graph.of_kind("Mechanism") if d["intervention"] == "meer_peuters_naar_opvang"]
    nodes = by_id(data["nodes"])
    assert {d["id"] for d in steps} | {d["id"] for d in mechanisms} <= set(nodes)
    order = ["middelen", "activiteiten", "prestaties", "effecten"]
    for a in steps:  # stages left to right
        for b in steps:
            if order.index(a["stage"]) < order.index(b["stage"]):
                assert nodes[a["id"]]["x"] < nodes[b["id"]]["x"]
    mech = mechanisms[0]
    detail = data["details"][mech["id"]]
    assert detail["source"] == f"{mech['path']}:{mech['line']}"


@pytest.mark.parametrize(("options", "message"), [
    ({"focus": "sociale_cohesi"}, "unknown concept 'sociale_cohesi' — did you mean sociale_cohesie"),
    ({"goal": 13}, "unknown goal 13 — the goals are numbered 1–12"),
    ({"group": "kinderen"}, "unknown group 'kinderen' — use one of: bewoner, professional, bestuurder"),
    ({"theme": "sport"}, "unknown theme 'sport' — use one of: leefbaarheid_en_veiligheid"),
    ({"intervention": "peuters"}, "unknown intervention 'peuters'"),
    ({"intervention": "meer_peuters_naar_opvang", "gaps": True}, "--intervention draws one logic model"),
    ({"focus": "armoede", "depth": -1}, "--depth must be 0 or more"),
])
def test_a_view_of_something_the_graph_lacks_is_a_query_error(built_demo: Path, options, message):
    with pytest.raises(QueryError) as raised:
        verlicht.open(built_demo).viz(**options)
    assert str(raised.value).startswith(message)
