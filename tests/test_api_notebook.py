"""The notebook API gives the same rows as the commands' --format json, for the newer capabilities."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from helpers import DATA, run

import verlicht


def test_indicator_and_goal_status_match_the_commands(demo: Path):
    ws = verlicht.open(demo)
    code, out, _ = run("indicators", "status", "--format", "json", workspace=demo)
    assert code == 0
    assert ws.indicator_status() == json.loads(out)
    code, out, _ = run("goals", "status", "--format", "json", workspace=demo)
    assert ws.goal_status() == json.loads(out)


def test_goals_list_the_mission_and_the_twelve_goals(demo: Path):
    ws = verlicht.open(demo)
    code, out, _ = run("goals", "list", "--format", "json", workspace=demo)
    assert code == 0
    rows = ws.goals()
    assert rows == json.loads(out)
    assert rows[0]["scope"] == "mission"
    assert sorted(r["number"] for r in rows if r["scope"] == "goal") == list(range(1, 13))


def test_indicator_suggestions_and_codebook_stats(demo: Path):
    ws = verlicht.open(demo)
    ws.build()
    code, out, _ = run("indicators", "suggest", "--format", "json", workspace=demo)
    assert code == 0
    assert ws.indicator_suggestions() == json.loads(out)
    stats = ws.codebook_stats()
    assert "unused" in stats and "undefined" in stats


def test_agreement_between_two_coders_copies(demo: Path):
    for coder in ("anna", "bram"):
        target = demo / "coders" / coder
        target.mkdir(parents=True)
        shutil.copyfile(DATA / "coders" / coder / "r07.rock", target / "r07.rock")
    report = verlicht.open(demo).agreement("coders/anna/r07.rock", "coders/bram/r07.rock")
    assert [c["coder"] for c in report.coders] == ["anna", "bram"]
    assert report.units > 0 and report.disagreements


def test_import_observations_dry_run_writes_nothing(demo: Path):
    observations = demo / "indicators" / "observations.csv"
    before = observations.read_bytes()
    report = verlicht.open(demo).import_observations([DATA / "indicators" / "observations.csv"], dry_run=True)
    assert report is not None
    assert observations.read_bytes() == before
