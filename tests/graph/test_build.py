"""Building the graph: merging claims into assumptions, determinism, caching, failure safety."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from verlicht.errors import BuildError, IndicatorError
from verlicht.graph.build import build_graph
from verlicht.graph.store import load_graph
from verlicht.workspace import open_layout


def build(root: Path, **kwargs):
    return build_graph(open_layout(root), **kwargs)


def outputs(root: Path) -> dict[str, bytes]:
    """Every build output, by path; the private parse cache (it records file times) is not one."""
    graphs = root / "graphs"
    return {p.relative_to(graphs).as_posix(): p.read_bytes() for p in sorted(graphs.rglob("*"))
            if p.is_file() and ".cache" not in p.parts}


def test_support_counts_distinct_respondents(mini):
    build(mini)
    graph = load_graph(mini / "graphs" / "verlicht.json")
    a = graph.nodes["assumption:goedkope_woningen->instroom_kwetsbaren:+"]
    # R1 (a.rock), R3 twice (b.rock) and the case-less source c.rock: three respondents.
    assert a["support"] == 3
    assert a["groups"] == {"bestuurder": 1, "bewoner": 1, "onbekend": 1}
    assert a["evidence"] == 4
    assert a["sources"] == 3


def test_source_without_case_id_counts_as_one_respondent(mini):
    build(mini)
    graph = load_graph(mini / "graphs" / "verlicht.json")
    anonymous = graph.nodes["respondent:src:interviews/c.rock"]
    assert anonymous["anonymous_source"] is True
    assert graph.nodes["assumption:instroom_kwetsbaren->druk_op_voorzieningen:?"]["support"] == 1


def test_interviewer_claims_are_not_counted_and_warned(mini):
    report = build(mini)
    graph = load_graph(mini / "graphs" / "verlicht.json")
    # Only R2 holds menging->sociale_cohesie:+; the interviewer's coded question does not count.
    assert graph.nodes["assumption:menging->sociale_cohesie:+"]["support"] == 1
    assert any("interviewer 'I1'" in w.message and w.location.line == 18 for w in report.warnings)


def test_opposite_polarities_mark_both_assumptions_contested(mini):
    build(mini)
    graph = load_graph(mini / "graphs" / "verlicht.json")
    assert graph.nodes["assumption:menging->sociale_cohesie:+"]["contested"] is True
    assert graph.nodes["assumption:menging->sociale_cohesie:-"]["contested"] is True
    assert graph.nodes["assumption:goedkope_woningen->instroom_kwetsbaren:+"]["contested"] is False


def test_non_causal_codes_become_related_edges(mini):
    build(mini)
    graph = load_graph(mini / "graphs" / "verlicht.json")
    [edge] = graph.edges_of("RELATED")
    assert (edge["source"], edge["target"]) == ("concept:gemeente_heerlen", "concept:woningcorporaties")
    assert edge["types"] == {"collaborates": {"evidence": 1, "support": 1}}


def test_respondents_carry_attributes_and_wijk_area(mini):
    build(mini)
    graph = load_graph(mini / "graphs" / "verlicht.json")
    r1 = graph.nodes["respondent:R1"]
    assert (r1["group"], r1["wijk"]) == ("bewoner", "Vrieheide")
    areas = {e["target"] for e in graph.edges_of("IN_AREA") if e["source"] == "respondent:R1"}
    assert areas == {"area:vrieheide"}


def test_build_is_byte_identical_on_rebuild_and_from_a_fresh_copy(mini, tmp_path):
    build(mini)
    first = outputs(mini)
    build(mini)
    assert outputs(mini) == first
    import shutil

    fresh = tmp_path / "fresh"
    shutil.copytree(mini, fresh, ignore=shutil.ignore_patterns("graphs"), copy_function=shutil.copyfile)
    build(fresh)
    assert outputs(fresh) == first


def test_rebuild_reparses_only_changed_sources(mini):
    assert build(mini).parsed == 3
    assert build(mini).parsed == 0
    source = mini / "interviews" / "b.rock"
    source.write_text(source.read_text() + "[[uid=b0000009]] Nog iets. [[menging->sociale_cohesie||causal_neg]]\n")
    report = build(mini)
    assert (report.parsed, report.cached) == (1, 2)
    graph = load_graph(mini / "graphs" / "verlicht.json")
    assert graph.nodes["assumption:menging->sociale_cohesie:-"]["evidence"] == 2


def test_failed_build_leaves_previous_graph_intact(mini):
    build(mini)
    before = outputs(mini)
    (mini / "interviews" / "b.rock").write_text("Kapot [[goedkope_woningen->instroom_kwetsbaren]]\n")
    with pytest.raises(BuildError) as caught:
        build(mini)
    [error] = caught.value.errors
    assert str(error.location) == "interviews/b.rock:1:7"
    assert "no edge type" in error.message
    assert outputs(mini) == before
    assert not list((mini / "graphs").rglob("*.tmp"))


def test_build_reports_every_broken_source_not_just_the_first(mini):
    (mini / "interviews" / "a.rock").write_text("open [[code\n")
    (mini / "interviews" / "b.rock").write_text("---\nROCK_attributes: [\n---\n")
    with pytest.raises(BuildError) as caught:
        build(mini)
    where = sorted(str(e.location).rsplit(":", 1)[0] for e in caught.value.errors)
    assert where == ["interviews/a.rock:1", "interviews/b.rock:2"]


def test_unknown_code_warns_at_every_location_and_fails_under_strict(mini):
    path = mini / "interviews" / "c.rock"
    path.write_text(path.read_text() + "Iets. [[vertrouwen]]\nNog eens. [[vertrouwen->sociale_cohesie||causal_pos]]\n")
    report = build(mini)
    where = [str(w.location) for w in report.warnings if "'vertrouwen'" in w.message]
    assert where == ["interviews/c.rock:4:7", "interviews/c.rock:5:11"]
    with pytest.raises(BuildError) as caught:
        build(mini, strict=True)
    assert [str(e.location) for e in caught.value.errors] == where


def test_unknown_edge_type_warns_and_fails_under_strict(mini):
    path = mini / "interviews" / "c.rock"
    path.write_text(path.read_text() + "Ze praten. [[gemeente_heerlen->woningcorporaties||praat_met]]\n")
    report = build(mini)
    [warning] = [w for w in report.warnings if "praat_met" in w.message]
    assert str(warning.location) == "interviews/c.rock:4:12"
    with pytest.raises(BuildError):
        build(mini, strict=True)


def test_edge_type_declared_in_source_network_container_is_known(mini):
    path = mini / "interviews" / "c.rock"
    path.write_text("---\nROCK_network:\n  edges:\n    - {type: praat_met, color: blue}\n---\n"
                    "Ze praten. [[gemeente_heerlen->woningcorporaties||praat_met]]\n")
    report = build(mini, strict=True)
    assert not [w for w in report.warnings if "praat_met" in w.message]


def test_uid_used_in_two_sources_is_an_error(mini):
    path = mini / "interviews" / "c.rock"
    path.write_text("[[uid=a0000002]] Dubbel. [[wonen]]\n")
    with pytest.raises(BuildError) as caught:
        build(mini)
    [error] = caught.value.errors
    assert str(error.location) == "interviews/c.rock:1"
    assert "interviews/a.rock:16" in error.message


def test_indicator_measuring_unknown_concept_is_located_error(mini):
    path = mini / "indicators" / "indicators.csv"
    path.write_text(path.read_text() + "x,X,%,CBS,bestaat_niet,,1\n")
    with pytest.raises(BuildError) as caught:  # reported with the build's other errors
        build(mini)
    [error] = caught.value.errors
    assert isinstance(error, IndicatorError)
    assert str(error.location) == "indicators/indicators.csv:4"
    assert "bestaat_niet" in error.message
    assert "codebook" in error.hint


def test_indicator_links_become_edges(mini):
    build(mini)
    graph = load_graph(mini / "graphs" / "verlicht.json")
    kinds = {(e["kind"], e["source"], e["target"]) for e in graph.edges}
    assert ("MEASURES", "indicator:instroom", "concept:instroom_kwetsbaren") in kinds
    assert ("TRACKS", "indicator:cohesie", "goal:3") in kinds
    assert ("OBSERVED", "indicator:cohesie", "observation:cohesie:nederland:2023") in kinds
    assert graph.nodes["observation:cohesie:heerlen_noord:2023"]["value"] == 4.9


def test_evidence_index_points_at_the_exact_lines(mini):
    build(mini)
    index = orjson.loads((mini / "graphs" / "evidence.json").read_bytes())
    rows = index["assumption:goedkope_woningen->instroom_kwetsbaren:+"]
    assert [r[:2] for r in rows] == [["interviews/a.rock", 16], ["interviews/b.rock", 7], ["interviews/b.rock", 9],
                                     ["interviews/c.rock", 3]]


def test_mission_is_a_node_every_theme_and_goal_leads_to(mini):
    build(mini)
    graph = load_graph(mini / "graphs" / "verlicht.json")
    mission = graph.nodes["mission:programme"]
    assert mission["kind"] == "Mission"
    assert mission["label_nl"].startswith("Over 25 jaar maakt het voor de levenskansen")
    assert mission["label_en"].startswith("In 25 years' time")
    themes = {e["source"] for e in graph.edges_of("IN_MISSION") if e["target"] == "mission:programme"}
    goals = {e["source"] for e in graph.edges_of("SERVES") if e["target"] == "mission:programme"}
    assert themes == {n["id"] for n in graph.of_kind("Theme")} and len(themes) == 4
    assert goals == {f"goal:{n}" for n in range(1, 13)}
    G = load_graph(mini / "graphs" / "verlicht.json").to_networkx()
    assert G.has_edge("goal:4", "mission:programme") and G.has_edge("goal:4", "theme:werk_en_bestaanszekerheid")


def test_workspace_without_a_mission_has_no_mission_node(mini):
    (mini / "ontology" / "catalogue.yaml").write_text("mission: {nl: ~, en: ~}\n", encoding="utf-8")
    build(mini)
    graph = load_graph(mini / "graphs" / "verlicht.json")
    assert "mission:programme" not in graph and graph.edges_of("SERVES") == []
