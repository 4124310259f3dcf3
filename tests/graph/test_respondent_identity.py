"""Two people never become one respondent: a case id whose group, role or wijk disagree between sources is
a located error at both places; one person interviewed twice with the same attributes stays one respondent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import DATA, run

from verlicht.errors import BuildError
from verlicht.graph.build import build_graph
from verlicht.graph.store import load_graph
from verlicht.workspace import init_workspace, open_layout

SOURCES = DATA / "respondents"


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """A workspace as `verlicht init` makes it: interviews/voorbeeld.rock has case R01 (bewoner, Vrieheide)."""
    return init_workspace(tmp_path / "ws")


def test_one_case_id_for_two_people_is_an_error_naming_both_places(fresh):
    shutil.copyfile(SOURCES / "r01_other_person.rock", fresh / "interviews" / "r01.rock")
    with pytest.raises(BuildError) as caught:
        build_graph(open_layout(fresh))
    messages = [str(e) for e in caught.value.errors]
    # r01.rock sorts before voorbeeld.rock, so its attributes are the first seen; voorbeeld's disagree.
    assert messages == [
        "interviews/voorbeeld.rock:11: case 'R01' has role 'bewoner', group 'bewoner', wijk 'Vrieheide' here but "
        "role 'wijkagent', group 'professional', wijk 'Hoensbroek' at interviews/r01.rock:10: two people would "
        "become one respondent — give one of them another case id (in [[cid=…]] and ROCK_attributes); if it is "
        "one person interviewed twice, make the attributes agree"]
    assert not (fresh / "graphs" / "verlicht.json").exists()


def test_the_conflict_stops_the_build_from_the_command_line_too(fresh):
    shutil.copyfile(SOURCES / "r01_other_person.rock", fresh / "interviews" / "r01.rock")
    code, _out, err = run("build", workspace=fresh)
    assert code == 1
    assert "error: interviews/voorbeeld.rock:11: case 'R01' has role 'bewoner', group 'bewoner'" in err


def test_the_conflict_is_found_again_on_a_cached_rebuild(fresh):
    layout = open_layout(fresh)
    build_graph(layout)  # voorbeeld.rock now comes from the cache
    shutil.copyfile(SOURCES / "r01_other_person.rock", fresh / "interviews" / "r01.rock")
    with pytest.raises(BuildError, match="two people would become one respondent"):
        build_graph(layout)


def test_one_person_interviewed_twice_stays_one_respondent(fresh):
    shutil.copyfile(SOURCES / "r01_second_interview.rock", fresh / "interviews" / "r01_2.rock")
    report = build_graph(open_layout(fresh))
    graph = load_graph(fresh / "graphs" / "verlicht.json")
    respondent = graph.nodes["respondent:R01"]
    assert respondent["group"] == "bewoner"
    assert report.counts["respondents"] == 1
    # Both interviews' claims are held by the one respondent.
    held = sorted(e["target"] for e in graph.edges if e["kind"] == "HOLDS")
    assert held == ["assumption:goedkope_woningen->instroom_kwetsbaren:+",
                    "assumption:verloop_bewoners->sociale_cohesie:-"]
    assert {e["source"] for e in graph.edges if e["kind"] == "HOLDS"} == {"respondent:R01"}
    # A differing interview date is no identity: at most a warning.
    assert not any("role" in w.message or "wijk" in w.message or "group" in w.message for w in report.warnings)
