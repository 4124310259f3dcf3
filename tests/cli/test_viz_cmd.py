"""``verlicht viz``: writes the page where it says, reports it as a row, and turns mistakes into one line."""

from __future__ import annotations

import json
from pathlib import Path

import click
from helpers import run

import verlicht


def test_viz_writes_the_page_into_graphs_and_prints_its_row(demo: Path):
    verlicht.open(demo).build()
    code, out, err = run("viz", "--format", "json", workspace=demo)
    assert code == 0, err
    row = json.loads(out)[0]
    page = demo / "graphs" / "graph.html"
    assert row["file"] == str(page) and row["view"] == "all"
    assert row["bytes"] == page.stat().st_size
    assert page.read_text(encoding="utf-8") == verlicht.open(demo).viz().html


def test_a_view_gets_its_own_file_and_output_overrides_it(demo: Path, tmp_path: Path):
    verlicht.open(demo).build()
    code, out, _ = run("viz", "--focus", "armoede", "--depth", "1", "--format", "csv", workspace=demo)
    assert code == 0
    assert out.splitlines()[0] == "file,view,nodes,edges,concepts,physics,bytes"
    assert (demo / "graphs" / "graph-focus-armoede-1.html").exists()
    code, out, _ = run("viz", "--goal", "9", "--lang", "en", "-o", str(tmp_path / "g9.html"), workspace=demo)
    assert code == 0 and "goal-9" in out
    assert '<html lang="en">' in (tmp_path / "g9.html").read_text(encoding="utf-8")


def test_open_launches_the_written_page(demo: Path, monkeypatch):
    verlicht.open(demo).build()
    opened = []
    monkeypatch.setattr(click, "launch", lambda url, **kw: opened.append(url))
    code, _, _ = run("viz", "--intervention", "meer_peuters_naar_opvang", "--open", workspace=demo)
    assert code == 0
    assert opened == [str(demo / "graphs" / "graph-intervention-meer_peuters_naar_opvang.html")]


def test_unknown_concept_is_one_line_and_writes_nothing(demo: Path):
    verlicht.open(demo).build()
    code, out, err = run("viz", "--focus", "sociale_cohesi", workspace=demo)
    assert code == 1 and out == ""
    assert err == ("error: unknown concept 'sociale_cohesi' — did you mean sociale_cohesie, sociale_controle, "
                   "sociale_conflicten?\n")
    assert not list((demo / "graphs").glob("graph*.html"))


def test_viz_before_a_build_builds_first_and_says_so(demo: Path):
    code, _, err = run("viz", workspace=demo)
    assert code == 0 and "building the graph first" in err
    assert (demo / "graphs" / "graph.html").exists()
