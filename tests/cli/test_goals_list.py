"""``verlicht goals list`` (mission, themes, goals) and ``verlicht goals areas`` (areas with their CBS codes)."""

from __future__ import annotations

import csv
import io
import json

from helpers import DATA, run


def test_goals_list_starts_with_the_mission_then_each_theme_with_its_goals(mini):
    code, out, err = run("goals", "list", "--format", "json", workspace=mini)
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert rows[0]["scope"] == "mission" and rows[0]["text"].startswith("Over 25 jaar maakt het")
    assert [(r["scope"], r["id"]) for r in rows[1:7]] == [
        ("theme", "talentontwikkeling"), ("goal", "6"), ("goal", "7"), ("goal", "10"), ("goal", "11"),
        ("goal", "12")]
    assert [r["number"] for r in rows if r["scope"] == "goal"] == [6, 7, 10, 11, 12, 1, 2, 3, 4, 5, 8, 9]
    four = next(r for r in rows if r["id"] == "4")
    assert (four["short"], four["theme"]) == ("Minder bijstand", "werk_en_bestaanszekerheid")
    assert four["text"] == "Het aandeel mensen in de bijstand in Heerlen-Noord daalt naar het landelijk gemiddelde."


def test_goals_list_in_english_as_csv(mini):
    code, out, _ = run("goals", "list", "--lang", "en", "--format", "csv", workspace=mini)
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["scope", "id", "short", "text"]
    assert rows[1][0] == "mission" and rows[1][3].startswith("In 25 years' time")
    assert ["goal", "4", "Less social assistance",
            "The share of people on social assistance in Heerlen-Noord falls to the national average."] in rows


def test_goals_list_follows_the_workspace_override(mini):
    (mini / "ontology" / "catalogue.yaml").write_bytes((DATA / "catalogue" / "merged.yaml").read_bytes())
    code, out, _ = run("goals", "list", "--lang", "en", "--format", "json", workspace=mini)
    assert code == 0
    rows = {(r["scope"], r["id"]): r for r in json.loads(out)}
    assert rows[("goal", "13")]["short"] == "Work-based learning"
    assert rows[("goal", "9")]["short"] == "Safe neighbourhood"
    assert rows[("theme", "wonen_en_leefomgeving")]["text"] == "Housing and surroundings"


def test_goals_areas_lists_kind_focus_and_the_known_cbs_codes(mini):
    code, out, err = run("goals", "areas", "--format", "json", workspace=mini)
    assert (code, err) == (0, "")
    areas = {r["id"]: r for r in json.loads(out)}
    assert (areas["heerlen"]["kind"], areas["heerlen"]["cbs_codes"]) == ("gemeente", ["GM0917"])
    assert sorted(areas["nederland"]["cbs_codes"]) == ["NL00", "NL01"]
    assert [a for a, r in areas.items() if r["focus"]] == ["kasteelbuurt_hoofdstraat_west", "vrieheide", "gms"]
    assert areas["kasteelbuurt_hoofdstraat_west"]["cbs_codes"] == ["WK091710"]
    assert "not confirmed" in areas["kasteelbuurt_hoofdstraat_west"]["note"]
    assert areas["vrieheide"]["cbs_codes"] == [] and "to be looked up" in areas["vrieheide"]["note"]
    assert len([r for r in areas.values() if r["kind"] == "wijk"]) == 14


def test_goals_areas_table_marks_focus_and_joins_codes(mini):
    code, out, _ = run("goals", "areas", workspace=mini)
    assert code == 0
    nederland = next(line for line in out.splitlines() if line.startswith("nederland"))
    assert nederland.split()[:5] == ["nederland", "Nederland", "land", "no", "NL01;NL00"]
    gms = next(line for line in out.splitlines() if line.startswith("gms"))
    assert "wijk      yes" in gms and gms.rstrip().endswith("code still to be looked up (verlicht/data/regions.yaml, "
                                                          "to_check)")
