"""Queries on built graphs: the coverage rule on a hand-built case, evidence, paths, filters."""

from __future__ import annotations

import pytest

import verlicht
from verlicht.errors import QueryError
from verlicht.graph.queries import chain_polarity, paths
from verlicht.graph.schema import concept_id
from verlicht.graph.store import Graph

EXPECTED_GAPCASE = {
    # (cause, effect, polarity): (coverage, support, groups)
    ("a", "b", "+"): ("tested", 3, 2),
    ("b", "c", "-"): ("measurable", 2, 2),
    ("c", "d", "?"): ("measurable", 1, 1),
    ("d", "e", "+"): ("partial", 1, 1),
    ("e", "f", "+"): ("unmeasured", 1, 1),
}


@pytest.fixture
def gap_ws(gapcase):
    ws = verlicht.open(gapcase)
    ws.build()
    return ws


@pytest.fixture
def mini_ws(mini):
    ws = verlicht.open(mini)
    ws.build()
    return ws


def test_coverage_rule_matches_the_hand_built_case(gap_ws):
    rows = gap_ws.gaps(all=True)
    found = {(r["cause"], r["effect"], r["polarity"]): (r["coverage"], r["support"], r["groups"]) for r in rows}
    assert found == EXPECTED_GAPCASE


def test_gaps_lists_only_partial_and_unmeasured_ranked_by_support(gap_ws):
    rows = gap_ws.gaps()
    assert [(r["cause"], r["effect"], r["coverage"]) for r in rows] == [
        ("d", "e", "partial"),
        ("e", "f", "unmeasured"),
    ]


def test_gap_rows_carry_holders_per_group_and_indicators(gap_ws):
    tested = next(r for r in gap_ws.gaps(all=True) if r["cause"] == "a")
    assert tested["holders"] == {"bewoner": ["R1"], "professional": ["R2", "R3"], "bestuurder": []}
    assert tested["tested_by"] == ["ind_ab"]
    measurable = next(r for r in gap_ws.gaps(all=True) if r["cause"] == "b")
    assert (measurable["cause_measured_by"], measurable["effect_measured_by"]) == (["ind_b"], ["ind_c"])


def test_structural_relation_is_not_an_assumption(gap_ws):
    assert not [r for r in gap_ws.gaps(all=True) if (r["cause"], r["effect"]) == ("a", "f")]
    [quote] = gap_ws.evidence("a->f")
    assert (quote["type"], quote["respondent"], quote["text"]) == ("structural", "R2", "A is part of F.")


def test_ranking_puts_wider_support_first(mini_ws):
    rows = mini_ws.gaps(all=True)
    assert rows[0]["cause"] == "goedkope_woningen"
    assert rows[0]["support"] == 3
    supports = [r["support"] for r in rows]
    assert supports == sorted(supports, reverse=True)


def test_evidence_quotes_each_coded_line_with_source_line_and_respondent(mini_ws):
    rows = mini_ws.evidence("goedkope_woningen->instroom_kwetsbaren")
    assert [(r["source"], r["line"], r["respondent"], r["group"]) for r in rows] == [
        ("interviews/a.rock", 16, "R1", "bewoner"),
        ("interviews/b.rock", 7, "R3", "bestuurder"),
        ("interviews/b.rock", 9, "R3", "bestuurder"),
        ("interviews/c.rock", 3, "src:interviews/c.rock", "onbekend"),
    ]
    assert rows[0]["text"] == "De huizen zijn hier goedkoop, dus er komen mensen met veel problemen."
    assert rows[0]["uid"] == "a0000002"


def test_evidence_filters_by_polarity(mini_ws):
    rows = mini_ws.evidence("menging->sociale_cohesie", polarity="-")
    assert [(r["respondent"], r["polarity"]) for r in rows] == [("R3", "-")]


def test_evidence_for_unknown_concept_suggests_close_codes(mini_ws):
    with pytest.raises(QueryError) as caught:
        mini_ws.evidence("goedkope_woning->instroom_kwetsbaren")
    assert "goedkope_woning" in caught.value.message
    assert "goedkope_woningen" in caught.value.hint


def test_evidence_for_claim_nobody_makes_is_an_error(mini_ws):
    with pytest.raises(QueryError, match="no respondent makes the claim"):
        mini_ws.evidence("sociale_cohesie->menging")


def test_malformed_claim_is_an_error_with_example(mini_ws):
    with pytest.raises(QueryError) as caught:
        mini_ws.evidence("goedkope_woningen")
    assert "CAUSE->EFFECT" in caught.value.hint


def test_paths_follow_assumptions_and_multiply_polarity(gap_ws):
    rows = gap_ws.paths("a", "d")
    assert [(r["path"], r["polarity"]) for r in rows] == [(["a", "b", "c", "d"], "?")]
    rows = gap_ws.paths("a", "c")
    assert [(r["steps"], r["polarity"], r["min_support"]) for r in rows] == [
        (["a-[+]->b", "b-[-]->c"], "-", 2)
    ]


def test_paths_respect_max_length(gap_ws):
    assert gap_ws.paths("a", "f", max_length=3) == []
    assert len(gap_ws.paths("a", "f", max_length=5)) == 1


def test_contested_steps_give_one_chain_per_polarity(mini_ws):
    rows = mini_ws.paths("menging", "sociale_cohesie")
    assert sorted(r["polarity"] for r in rows) == ["+", "-"]


def test_chain_polarity_rules():
    assert chain_polarity(["+", "+"]) == "+"
    assert chain_polarity(["+", "-"]) == "-"
    assert chain_polarity(["-", "-"]) == "+"
    assert chain_polarity(["-", "?"]) == "?"


def test_assumption_filters(mini_ws):
    by_group = mini_ws.assumptions(group="bestuurder")
    assert {(r["cause"], r["polarity"]) for r in by_group} == {("goedkope_woningen", "+"), ("menging", "-")}
    assert [r["support"] for r in mini_ws.assumptions(min_support=2)] == [3]
    negative = mini_ws.assumptions(polarity="-")
    assert [(r["cause"], r["effect"]) for r in negative] == [("menging", "sociale_cohesie")]
    about = mini_ws.assumptions(concept="druk_op_voorzieningen")
    assert {r["cause"] for r in about} == {"instroom_kwetsbaren"}
    assert {r["coverage"] for r in mini_ws.assumptions(coverage="partial")} == {"partial"}


def test_assumption_filter_accepts_group_synonyms_and_rejects_unknown(mini_ws):
    assert mini_ws.assumptions(group="residents") == mini_ws.assumptions(group="bewoner")
    with pytest.raises(QueryError, match="unknown group"):
        mini_ws.assumptions(group="burgemeester")


def test_stats_count_what_the_graph_holds(gap_ws):
    stats = {r["metric"]: r["value"] for r in gap_ws.stats()}
    assert stats["sources"] == 2
    assert stats["utterances"] == 11
    assert stats["assumptions"] == 5
    assert stats["respondents"] == 3
    assert stats["relations"] == 1
    assert (stats["assumptions_tested"], stats["assumptions_measurable"], stats["assumptions_partial"],
            stats["assumptions_unmeasured"]) == (1, 2, 1, 1)


def test_to_networkx_has_the_schema_and_optionally_the_utterances(gap_ws):
    graph = gap_ws.to_networkx()
    assert graph.nodes["assumption:a->b:+"]["support"] == 3
    assert graph.edges["assumption:a->b:+", "concept:a"]["kind"] == "CAUSE"
    full = gap_ws.to_networkx(provenance=True)
    assert full.nodes["utterance:7e3o2zd9"]["text"] == "More A means more B."
    assert full.edges["assumption:a->b:+", "utterance:7e3o2zd9"]["kind"] == "EVIDENCED_BY"
    assert full.edges["utterance:7e3o2zd9", "source:interviews/one.rock"]["kind"] == "IN"


def test_queries_before_build_say_to_build_when_auto_build_is_off(gapcase):
    ws = verlicht.open(gapcase, auto_build=False)
    with pytest.raises(verlicht.errors.WorkspaceError, match="no graph"):
        ws.gaps()


def _dense_graph(concepts: int) -> Graph:
    """Every concept claimed to raise and to lower every other one, with supports that vary: the worst case
    for chains (the bench's --uniform workspace is of this kind)."""
    codes = [f"c{i:02d}" for i in range(concepts)]
    nodes = [{"id": concept_id(c), "kind": "Concept", "code": c} for c in codes]
    for i, a in enumerate(codes):
        for j, b in enumerate(codes):
            if a != b:
                for polarity in "+-":
                    nodes.append({"id": f"assumption:{a}->{b}{polarity}", "kind": "Assumption", "cause": a,
                                  "effect": b, "polarity": polarity, "support": 1 + (i * 7 + j * 3) % 5})
    return Graph({}, nodes, [])


def test_a_limit_gives_the_first_chains_of_the_full_order_and_one_more_to_say_so():
    graph = _dense_graph(9)
    full = paths(graph, "c00", "c01", max_length=4)
    assert len(full) > 2000  # 1 + 7·4 + 42·8 + 210·16 chains
    for limit in (1, 5, 29, 30, 400):
        assert paths(graph, "c00", "c01", max_length=4, limit=limit) == full[: limit + 1]


def test_chains_in_a_dense_graph_come_back_without_enumerating_every_long_one():
    graph = _dense_graph(60)  # millions of four-step chains: only the first hundred or so are made
    rows = paths(graph, "c00", "c01", max_length=4, limit=100)
    assert len(rows) == 101
    assert [r["length"] for r in rows[:9]] == [1, 1, 2, 2, 2, 2, 2, 2, 2]
    assert rows == sorted(rows, key=lambda r: (r["length"], -r["min_support"], r["steps"]))


def test_the_workspace_says_when_more_chains_exist(mini_ws):
    lines: list[str] = []
    mini_ws.notify = lines.append
    everything = mini_ws.paths("menging", "sociale_cohesie", limit=None)
    assert mini_ws.paths("menging", "sociale_cohesie", limit=1) == everything[:1]
    assert lines == ["the first 1 chains are shown, and there are more — raise --limit (0: all) or lower "
                     "--max-length"]
