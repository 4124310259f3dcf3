"""A workspace's ontology/catalogue.yaml is a partial override merged over the built-in catalogue, key by key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import DATA, run

from verlicht.errors import CodebookError
from verlicht.graph.store import load_graph
from verlicht.programme import BUILTIN, load_catalogue

OVERRIDES = DATA / "catalogue"
BUILT_IN = load_catalogue()


def merged(name: str):
    return load_catalogue(OVERRIDES / name, f"ontology/{name}", base=load_catalogue())


def test_overriding_one_goal_text_keeps_its_theme_short_label_and_the_other_goals():
    catalogue = merged("one_goal.yaml")
    goal = catalogue.goals[4]
    assert goal.nl.startswith("Het aandeel bewoners van Heerlen-Noord met een bijstandsuitkering")
    assert (goal.theme, goal.en, goal.short_nl) == ("werk_en_bestaanszekerheid", BUILT_IN.goals[4].en,
                                                    "Minder bijstand")
    assert {n: g for n, g in catalogue.goals.items() if n != 4} == {n: g for n, g in BUILT_IN.goals.items()
                                                                     if n != 4}
    assert (catalogue.mission, catalogue.themes, catalogue.areas) == (BUILT_IN.mission, BUILT_IN.themes,
                                                                      BUILT_IN.areas)
    assert catalogue.path == "ontology/one_goal.yaml"


def test_every_section_merges_by_key_adds_new_keys_last_and_null_takes_one_out():
    catalogue = merged("merged.yaml")
    assert catalogue.mission == {"nl": BUILT_IN.mission["nl"],
                                 "en": "The next generation grows up with the same chances as anywhere else in "
                                       "the Netherlands."}
    assert catalogue.themes["wonen_en_leefomgeving"] == {"nl": "Wonen en leefomgeving",
                                                         "en": "Housing and surroundings"}
    assert list(catalogue.themes) == list(BUILT_IN.themes)
    assert (catalogue.goals[9].short_en, catalogue.goals[9].short_nl) == ("Safe neighbourhood",
                                                                          "Sociaal veilige buurt")
    assert (catalogue.goals[13].theme, catalogue.goals[13].short_nl) == ("werk_en_bestaanszekerheid",
                                                                         "Leerwerkplekken")
    assert "heerlen_zuid" not in catalogue.areas
    assert (catalogue.areas["vrieheide"].label, catalogue.areas["vrieheide"].focus) == ("Vrieheide e.o.", False)
    assert list(catalogue.areas)[-1] == "schaesberg" and catalogue.areas["schaesberg"].kind == "wijk"
    assert BUILT_IN.areas["vrieheide"].focus is True and "heerlen_zuid" in BUILT_IN.areas  # base untouched


@pytest.mark.parametrize("name, message, line", [
    ("unknown_theme.yaml", "goal 4 has unknown theme 'werk'", 3),
    ("theme_taken_out.yaml", "goal 8 has theme 'leefbaarheid_en_veiligheid', which this file takes out", 2),
    ("null_for_nothing.yaml", "area maastricht is set to null, but there is no such area to take out", 2),
])
def test_override_mistakes_are_located_in_the_override(name, message, line):
    with pytest.raises(CodebookError) as caught:
        merged(name)
    assert caught.value.message == message
    assert (caught.value.location.path, caught.value.location.line) == (f"ontology/{name}", line)


def test_builtin_catalogue_is_named_by_its_package_path_not_an_absolute_one():
    assert BUILT_IN.path == BUILTIN == "verlicht/data/catalogue.yaml"


def test_workspace_with_a_one_goal_override_builds_and_reports_with_it(mini):
    shutil.copyfile(OVERRIDES / "one_goal.yaml", mini / "ontology" / "catalogue.yaml")
    code, _, err = run("build", "--quiet", workspace=mini)
    assert (code, err) == (0, "")
    graph = load_graph(mini / "graphs" / "verlicht.json")
    assert graph.nodes["goal:4"]["label_nl"].startswith("Het aandeel bewoners van Heerlen-Noord met een bijstand")
    assert graph.nodes["goal:5"]["label_nl"] == BUILT_IN.goals[5].nl
    code, out, err = run("goals", "status", "--format", "json", workspace=mini)
    assert (code, err) == (0, "")
    rows = {(r["scope"], r["id"]): r for r in json.loads(out)}
    assert rows[("goal", "4")]["text"].startswith("Het aandeel bewoners van Heerlen-Noord met een bijstand")
    assert len([r for r in rows if r[0] == "goal"]) == 12


def test_empty_override_changes_nothing(tmp_path: Path):
    path = tmp_path / "catalogue.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    catalogue = load_catalogue(path, "ontology/catalogue.yaml", base=BUILT_IN)
    assert (catalogue.goals, catalogue.areas, catalogue.themes) == (BUILT_IN.goals, BUILT_IN.areas, BUILT_IN.themes)
