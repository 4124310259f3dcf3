"""Logic models in the graph and the deeper gap analysis: steps, mechanisms, goal relevance (goalcase)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from helpers import DATA, run

import verlicht
from verlicht.cli.query_cmd import gap_title
from verlicht.errors import QueryError
from verlicht.graph.queries import GoalReach


@pytest.fixture
def goalcase(tmp_path: Path) -> Path:
    """Hand-built: five claims, four indicators, one logic model (see its EXPECTED.md)."""
    return Path(shutil.copytree(DATA / "workspaces" / "goalcase", tmp_path / "goalcase"))


@pytest.fixture
def goal_ws(goalcase):
    ws = verlicht.open(goalcase)
    ws.build(strict=True)
    return ws


def rows_of(rows, kind):
    return [r for r in rows if r["kind"] == kind]


# -- the graph ---------------------------------------------------------------------------------------------

def test_graph_holds_the_chain_its_mechanisms_and_links(goal_ws):
    graph = goal_ws.graph
    kinds = Counter(e["kind"] for e in graph.edges)
    assert {k: kinds[k] for k in ("HAS_STEP", "LEADS_TO", "EXPLAINS", "MONITORS", "ABOUT", "IS_CONCEPT",
                                  "AIMS_AT")} == {"HAS_STEP": 6, "LEADS_TO": 6, "EXPLAINS": 3, "MONITORS": 1,
                                                  "ABOUT": 2, "IS_CONCEPT": 2, "AIMS_AT": 1}
    assert graph.nodes["intervention:x_programma"]["label_en"] == "Programme X"
    step = graph.nodes["step:x_programma/bezoek"]
    assert (step["stage"], step["text_nl"], step["concepts"], step["path"], step["line"]) == (
        "activiteiten", "Huisbezoeken", ["g"], "logic/x_programma.yaml", 7)
    edges = {(e["source"], e["target"], e["kind"]): e for e in graph.edges}
    arrow = edges[("step:x_programma/telling", "step:x_programma/effect_a", "LEADS_TO")]
    mechanism = "mechanism:x_programma/telling->effect_a/b"
    assert arrow["mechanisms"] == [mechanism]
    assert (mechanism, "step:x_programma/effect_a", "EXPLAINS") in edges
    assert (mechanism, "concept:b", "IS_CONCEPT") in edges
    assert ("indicator:ind_out", "step:x_programma/telling", "MONITORS") in edges
    assert ("step:x_programma/effect_a", "concept:a", "ABOUT") in edges
    assert ("step:x_programma/effect_a", "goal:7", "AIMS_AT") in edges
    assert ("intervention:x_programma", "step:x_programma/geld", "HAS_STEP") in edges
    free = graph.nodes["mechanism:x_programma/geld->bezoek/er_is_geld_voor_huisbezoeken"]
    assert (free["text_nl"], free["concept"], free["from_step"], free["to_step"]) == (
        "Er is geld voor huisbezoeken", None, "geld", "bezoek")
    assert graph.nodes["mechanism:x_programma/bezoek->telling/m"]["text_nl"] == "Mechanisme M"  # the label
    assert {k: graph.header["counts"][k] for k in ("interventions", "steps", "mechanisms")} == {
        "interventions": 1, "steps": 6, "mechanisms": 3}


def test_to_networkx_shows_the_logic_model(goal_ws):
    import networkx as nx

    graph = goal_ws.to_networkx()
    assert graph.nodes["step:x_programma/geld"]["kind"] == "Step"
    assert graph.edges["mechanism:x_programma/bezoek->telling/m", "concept:m"]["kind"] == "IS_CONCEPT"
    chain = graph.edge_subgraph((u, v) for u, v, k in graph.edges(data="kind") if k == "LEADS_TO")
    assert nx.shortest_path(chain, "step:x_programma/geld", "step:x_programma/effect_a") == [
        "step:x_programma/geld", "step:x_programma/bezoek", "step:x_programma/telling", "step:x_programma/effect_a"]


def test_build_is_byte_identical_across_copies_and_with_the_cache(goalcase, tmp_path):
    run("build", workspace=goalcase)
    first = (goalcase / "graphs" / "verlicht.json").read_bytes()
    run("build", workspace=goalcase)  # everything from the caches
    assert (goalcase / "graphs" / "verlicht.json").read_bytes() == first
    again = Path(shutil.copytree(goalcase, tmp_path / "again", ignore=shutil.ignore_patterns("graphs")))
    run("build", workspace=again)
    assert (again / "graphs" / "verlicht.json").read_bytes() == first


# -- goal relevance of assumptions ---------------------------------------------------------------------------

def test_assumptions_rank_by_goal_relevance_then_support_then_path(goal_ws):
    rows = rows_of(goal_ws.gaps(), "assumption")
    assert [(r["cause"], r["effect"], r["goals"], r["goal"], r["goal_distance"]) for r in rows] == [
        ("a", "b", [4, 7], 7, 1),
        ("c", "d", [4], 4, 1),
        ("b", "c", [4], 4, 2),
        ("g", "a", [4, 7], 7, 2),
        ("e", "f", [], None, None),  # the highest support, but f's indicator tracks no goal
    ]
    first = rows[0]
    assert (first["goal_path"], first["goal_indicators"]) == (["a", "b"], ["ind_b"])
    assert rows[3]["goal_path"] == ["g", "a", "b"]


def test_goal_filter_keeps_what_reaches_the_goal_with_distances_to_it(goal_ws):
    rows = goal_ws.gaps(goal=4)
    assert [(r["cause"], r["effect"], r["goal_distance"], r["goal_path"]) for r in rows_of(rows, "assumption")] == [
        ("a", "b", 3, ["a", "b", "c", "d"]),
        ("c", "d", 1, ["c", "d"]),
        ("b", "c", 2, ["b", "c", "d"]),
        ("g", "a", 4, ["g", "a", "b", "c", "d"]),
    ]
    assert all(r["goal"] == 4 and r["goal_indicators"] == ["ind_d"] for r in rows_of(rows, "assumption"))
    assert [(r["cause"], r["effect"]) for r in goal_ws.gaps(goal=7, kind="assumptions")] == [("a", "b"), ("g", "a")]
    assert [(r["step"], r["goal_distance"]) for r in rows_of(rows, "step")] == [
        ("geld", 5), ("bezoek", 4), ("folder", 5), ("effect_a", 3)]
    assert [(r["arrow"], r["goal_distance"]) for r in rows_of(rows, "mechanism")] == [
        ("geld -> bezoek", 4), ("bezoek -> telling", 4)]


def test_unknown_goal_or_kind_is_a_query_error(goal_ws):
    with pytest.raises(QueryError, match="unknown goal 13") as caught:
        goal_ws.gaps(goal=13)
    assert caught.value.hint == "the goals are numbered 1–12"
    with pytest.raises(QueryError, match="unknown kind of gap 'stappen'"):
        goal_ws.gaps(kind="stappen")


def test_gapcase_relevance_follows_the_effect_not_the_cause(gapcase):
    """gapcase (see its EXPECTED.md): every indicator tracks goal 1; d->e has a measured cause only."""
    ws = verlicht.open(gapcase)
    ws.build()
    found = {(r["cause"], r["effect"]): (r["goals"], r["goal_distance"]) for r in ws.gaps(all=True)}
    assert found == {("a", "b"): ([1], 1), ("b", "c"): ([1], 1), ("c", "d"): ([1], 1),
                     ("d", "e"): ([], None), ("e", "f"): ([], None)}
    assert {r["kind"] for r in ws.gaps(all=True)} == {"assumption"}


def test_goal_distances_agree_with_networkx_shortest_paths(demo):
    """On the demo: the distance of every concept to each goal, against networkx on the causal graph."""
    import networkx as nx

    ws = verlicht.open(demo)
    ws.build()
    graph = ws.graph
    reach = GoalReach(graph)
    causal = nx.DiGraph((d["cause"], d["effect"]) for d in graph.of_kind("Assumption"))
    checked = 0
    for goal, ends in reach.ends.items():
        for concept in causal:
            lengths = nx.single_source_shortest_path_length(causal, concept)
            expected = min((n for end, n in lengths.items() if end in ends), default=None)
            got = reach.of_concept(concept).get(goal)
            assert (got[0] if got else None) == expected, (goal, concept)
            if got:
                path = got[1]
                assert path[0] == concept and path[-1] in ends and len(path) == got[0] + 1
                assert all(causal.has_edge(a, b) for a, b in itertools.pairwise(path))
                checked += 1
    assert checked > 50


# -- steps and mechanisms ------------------------------------------------------------------------------------

def test_steps_without_indicators_in_scheme_order_with_their_goals(goal_ws):
    steps = rows_of(goal_ws.gaps(), "step")
    assert [(r["step"], r["stage"], r["coverage"], r["goals"], r["goal"], r["goal_distance"]) for r in steps] == [
        ("geld", "middelen", "unmeasured", [4, 7, 12], 12, 2),
        ("bezoek", "activiteiten", "unmeasured", [4, 7, 12], 12, 1),
        ("folder", "activiteiten", "unmeasured", [4, 7, 12], 12, 1),
        ("effect_a", "effecten", "unmeasured", [4, 7], 7, 0),
        ("effect_z", "effecten", "unmeasured", [], None, None),
    ]
    assert steps[0]["goal_path"] == ["step:x_programma/geld", "step:x_programma/bezoek", "step:x_programma/telling"]
    assert steps[1]["goal_indicators"] == ["ind_out"]
    assert (steps[3]["aims_at"], steps[3]["concepts"], steps[3]["file"], steps[3]["line"]) == (
        [7], ["a"], "logic/x_programma.yaml", 18)
    telling = next(r for r in goal_ws.gaps(all=True, kind="steps") if r["step"] == "telling")
    assert (telling["coverage"], telling["indicators"], telling["goal"], telling["goal_distance"]) == (
        "measurable", ["ind_out"], 12, 0)


def test_step_goals_through_concepts_and_arrows(goal_ws):
    bezoek = next(r for r in goal_ws.gaps(goal=7) if r.get("step") == "bezoek")
    assert (bezoek["goal_distance"], bezoek["goal_path"], bezoek["goal_indicators"]) == (
        2, ["step:x_programma/bezoek", "concept:g", "concept:a", "concept:b"], ["ind_b"])
    folder = next(r for r in goal_ws.gaps(goal=7) if r.get("step") == "folder")
    assert folder["goal_path"] == ["step:x_programma/folder", "step:x_programma/telling", "step:x_programma/effect_a"]


def test_mechanisms_without_indicators_and_one_measured_through_its_concept(goal_ws):
    gaps = rows_of(goal_ws.gaps(), "mechanism")
    assert [(r["arrow"], r["text"], r["concept"], r["goal"], r["goal_distance"]) for r in gaps] == [
        ("geld -> bezoek", "Er is geld voor huisbezoeken", None, 12, 1),
        ("bezoek -> telling", "Mechanisme M", "m", 12, 0),
    ]
    [measured] = [r for r in goal_ws.gaps(all=True, kind="mechanisms") if r["concept"] == "b"]
    assert (measured["coverage"], measured["concept_indicators"]) == ("measurable", ["ind_b"])
    assert goal_ws.gaps(goal=4, kind="mechanisms", all=True)[-1]["goal_path"] == [
        "mechanism:x_programma/telling->effect_a/b", "concept:b", "concept:c", "concept:d"]


def test_lang_en_gives_the_english_labels(goal_ws):
    rows = goal_ws.gaps(kind="steps", lang="en")
    assert rows[0]["intervention_label"] == "Programme X"


# -- the command -------------------------------------------------------------------------------------------

def test_gaps_json_gives_every_kind_with_a_kind_field(goal_ws):
    code, out, _ = run("gaps", "--format", "json", workspace=goal_ws.root)
    assert code == 0
    rows = json.loads(out)
    assert [r["kind"] for r in rows] == ["assumption"] * 5 + ["step"] * 5 + ["mechanism"] * 2
    assert rows == goal_ws.gaps()
    _, out, _ = run("gaps", "--goal", "4", "--kind", "steps", "--format", "json", workspace=goal_ws.root)
    assert [r["step"] for r in json.loads(out)] == ["geld", "bezoek", "folder", "effect_a"]


def test_gaps_table_has_a_section_per_kind(goal_ws):
    code, out, _ = run("gaps", workspace=goal_ws.root)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["cause", "effect", "polarity", "coverage", "support", "bewoner", "professional",
                                "bestuurder", "contested", "goals", "distance"]
    assert lines[1].split() == ["a", "b", "+", "partial", "2", "R1", "R2", "no", "4;7", "1"]
    steps = lines.index("Interventiestappen zonder indicator")
    assert lines[steps + 1].split()[:5] == ["intervention", "stage", "step", "text", "measure"]
    assert lines[steps + 2].split() == ["x_programma", "middelen", "geld", "Geld", "unmeasured", "4;7;12", "2"]
    assert lines[steps + 6].split() == ["x_programma", "effecten", "effect_z", "Iets", "anders", "aantal", "keer",
                                        "iets", "anders", "unmeasured"]
    mechanisms = lines.index("Mechanismen zonder indicator")
    assert lines[mechanisms + 2].split()[:3] == ["x_programma", "geld", "->"]


def test_gaps_headings_follow_lang_en(goal_ws):
    code, out, _ = run("gaps", "--lang", "en", workspace=goal_ws.root)
    assert code == 0
    lines = out.splitlines()
    assert "Intervention steps without an indicator" in lines and "Mechanisms without an indicator" in lines
    assert "Interventiestappen zonder indicator" not in lines
    assert gap_title("assumptions", False, "en") == "Assumptions without (full) indicators"
    assert gap_title("assumptions", True, "nl") == "Alle aannames"
    code, out, _ = run("gaps", "--help")
    assert "concept labels, step and mechanism texts, and the headings" in " ".join(out.split())


def test_gaps_for_a_goal_no_step_reaches_says_so_in_one_line(goal_ws):
    code, out, err = run("gaps", "--goal", "9", workspace=goal_ws.root)
    assert (code, err) == (0, "")
    assert out.endswith("\nGeen interventiestappen of mechanismen bereiken doel 9.\n")
    code, out, _ = run("gaps", "--goal", "4", "--lang", "en", workspace=goal_ws.root)
    assert "No intervention steps or mechanisms" not in out and "Intervention steps without an indicator" in out
    code, out, err = run("gaps", "--goal", "9", "--kind", "mechanisms", "--lang", "en", workspace=goal_ws.root)
    assert (code, out, err) == (0, "No mechanisms reach goal 9.\n", "")
    code, out, _ = run("gaps", "--goal", "9", "--format", "json", workspace=goal_ws.root)
    assert json.loads(out) == []


def test_gaps_help_explains_distance_and_measure():
    code, out, _ = run("gaps", "--help")
    assert code == 0
    assert "distance   how far the nearest of those goals is" in out
    assert "1 when its own effect is measured" in out and "plus one per arrow" in out
    assert "measure    (steps) what would show the step happened" in out


def test_gaps_limit_applies_to_each_kind_and_csv_has_a_kind_column(goal_ws):
    code, out, _ = run("gaps", "--limit", "1", "--format", "csv", workspace=goal_ws.root)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["kind"], r["cause"], r["step"], r["arrow"]) for r in rows] == [
        ("assumption", "a", "", ""), ("step", "", "geld", ""), ("mechanism", "", "", "geld -> bezoek")]
    _, out, _ = run("gaps", "--all", "--kind", "steps", "--format", "csv", workspace=goal_ws.root)
    telling = next(r for r in csv.DictReader(io.StringIO(out)) if r["step"] == "telling")
    assert (telling["coverage"], telling["measured_by"], telling["distance"]) == ("measurable", "ind_out", "0")


def test_gaps_on_a_workspace_without_logic_models_is_the_assumption_table(gapcase):
    run("build", workspace=gapcase)
    _, out, _ = run("gaps", workspace=gapcase)
    assert "Interventiestappen" not in out
    code, out, err = run("gaps", "--kind", "steps", workspace=gapcase)
    assert (code, out, err) == (0, "", "(no rows)\n")


def test_gaps_unknown_goal_is_one_line_and_exit_1(goal_ws):
    code, _, err = run("gaps", "--goal", "13", workspace=goal_ws.root)
    assert (code, err) == (1, "error: unknown goal 13 — the goals are numbered 1–12\n")


def test_demo_shows_the_step_gaps_of_its_logic_models(demo):
    code, _, err = run("build", "--strict", workspace=demo)
    assert (code, err) == (0, "")  # no warnings either
    code, out, _ = run("gaps", "--format", "csv", workspace=demo)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    top = rows[0]
    assert (top["kind"], top["cause"], top["effect"], top["support"]) == (
        "assumption", "verloop_bewoners", "sociale_cohesie", "5")
    peuters = [r for r in rows if r["intervention"] == "meer_peuters_naar_opvang"]
    assert [r["step"] or r["arrow"] for r in peuters] == [
        "plusfunctionarissen", "aanbellen", "gesprek_belang_povh", "gevoerde_gesprekken",
        "plusfunctionarissen -> aanbellen", "aanbellen -> gevoerde_gesprekken",
        "gevoerde_gesprekken -> kinderen_naar_peuteropvang"]
    _, out, _ = run("gaps", "--goal", "11", "--kind", "steps", "--format", "json", workspace=demo)
    assert {r["intervention"] for r in json.loads(out)} >= {"meer_peuters_naar_opvang"}
    ws = verlicht.open(demo)
    links = {(e["source"], e["target"]) for e in ws.graph.edges_of("IS_CONCEPT")}
    assert ("mechanism:meer_peuters_naar_opvang/plusfunctionarissen->aanbellen/taal_spreken",
            "concept:taal_spreken") in links
    # The mechanism "Ik spreek de taal" is also a claim in the interviews: logic model and QNA meet.
    assert "assumption:taal_spreken->vertrouwen_in_instanties:+" in ws.graph


def test_an_empty_assumption_section_has_its_heading_and_a_sentence_in_either_language(goal_ws):
    code, out, err = run("gaps", "--goal", "9", workspace=goal_ws.root)
    assert (code, err) == (0, "")
    assert out.splitlines()[:3] == ["Aannames zonder (volledige) indicator", "Geen aanname bereikt doel 9.", ""]
    code, out, err = run("gaps", "--goal", "9", "--kind", "assumptions", "--all", "--lang", "en",
                         workspace=goal_ws.root)
    assert (code, out, err) == (0, "All assumptions\nNo assumption reaches goal 9.\n", "")


def test_an_empty_gap_section_says_when_the_assumptions_reaching_the_goal_are_all_measured(goalcase):
    csv_file = goalcase / "indicators" / "indicators.csv"
    csv_file.write_text(csv_file.read_text(encoding="utf-8") + "".join(
        f"ind_{c},Niveau van {c.upper()},%,goalcase,{c},,\n" for c in "aceg"), encoding="utf-8")
    ws = verlicht.open(goalcase)
    ws.build(strict=True)
    assert ws.gaps(all=True, kind="assumptions", goal=4) and not ws.gaps(kind="assumptions", goal=4)
    code, out, err = run("gaps", "--goal", "4", "--kind", "assumptions", "--lang", "en", workspace=goalcase)
    assert (code, err) == (0, "")
    assert out == "Assumptions without (full) indicators\nEvery assumption that reaches goal 4 is fully measured.\n"
    code, out, _ = run("gaps", "--kind", "assumptions", workspace=goalcase)
    assert out == "Aannames zonder (volledige) indicator\nElke aanname is volledig gemeten.\n"
