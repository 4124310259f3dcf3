"""The graph page itself: offline, deterministic, styled by meaning, with the details the panel shows."""

from __future__ import annotations

import re
from pathlib import Path

from pagedata import by_id, page_data

import verlicht
from verlicht.graph.store import Graph, Provenance
from verlicht.viz.graphpage import DASHES, EDGE_CAP, EDGE_COLOUR, NODE_STYLE, render_page
from verlicht.viz.views import ViewSpec

CLAIM = "assumption:verloop_bewoners->sociale_cohesie:-"


def test_the_same_build_gives_the_same_bytes(built_demo: Path):
    ws = verlicht.open(built_demo)
    assert ws.viz().html == verlicht.open(built_demo).viz().html
    assert ws.viz(goal=4, lang="en").html == ws.viz(goal=4, lang="en").html


def test_the_page_loads_nothing_from_the_network(built_demo: Path):
    html = verlicht.open(built_demo).viz().html
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html)
    assert "bootstrap" not in html.lower() and "cdnjs" not in html and "jsdelivr" not in html
    assert "vis.Network" in html and "new vis.DataSet" in html  # vis-network is inline
    assert 'id="verlicht-data"' in html


def test_nodes_are_styled_by_type_and_edges_by_polarity_and_coverage(built_demo: Path):
    ws = verlicht.open(built_demo)
    data = page_data(ws.viz().html)
    nodes, edges = by_id(data["nodes"]), by_id(data["edges"])
    concepts = {c["code"]: c for c in ws.concepts()}
    for code in ("gemeente_heerlen", "armoede", "sociale_cohesie"):
        node = nodes[f"concept:{code}"]
        colour, shape = NODE_STYLE[concepts[code]["type"]]
        assert (node["color"]["background"], node["shape"]) == (colour, shape)
    rows = {r["id"]: r for r in ws.assumptions()}
    for ident, row in rows.items():
        edge = edges[ident]
        assert edge["color"]["color"] == EDGE_COLOUR[row["polarity"]]
        assert edge.get("dashes", False) == DASHES.get(row["coverage"], False)
    weak = min(rows.values(), key=lambda r: r["support"])
    strong = max(rows.values(), key=lambda r: r["support"])
    assert edges[strong["id"]]["width"] > edges[weak["id"]]["width"]
    holders = {case for r in rows.values() if "sociale_cohesie" in (r["cause"], r["effect"])
               for cases in r["holders"].values() for case in cases}
    assert nodes["concept:sociale_cohesie"]["support"] == len(holders)
    concepts_drawn = sorted((n for n in data["nodes"] if n["vkind"] == "concept"), key=lambda n: n["support"])
    assert [n["size"] for n in concepts_drawn] == sorted(n["size"] for n in concepts_drawn)
    assert concepts_drawn[-1]["size"] > concepts_drawn[0]["size"]


def test_an_edge_carries_holders_coverage_indicators_and_its_quotes(built_demo: Path):
    ws = verlicht.open(built_demo)
    detail = page_data(ws.viz().html)["details"][CLAIM]
    row = next(r for r in ws.assumptions() if r["id"] == CLAIM)
    assert detail["coverage"] == "partial" and detail["support"] == row["support"]
    assert detail["holders"] == {g: cases for g, cases in row["holders"].items() if cases}
    assert detail["cause_indicators"] == row["cause_measured_by"] == ["verhuizingen"]
    evidence = ws.evidence("verloop_bewoners->sociale_cohesie", polarity="-")
    assert [(q["source"], q["line"], q["text"]) for q in detail["quotes"]] == [
        (e["source"], e["line"], e["text"]) for e in evidence]
    assert detail["quotes_total"] == len(evidence)


def test_max_quotes_keeps_the_first_and_counts_the_rest(built_demo: Path):
    detail = page_data(verlicht.open(built_demo).viz(max_quotes=2).html)["details"][CLAIM]
    assert len(detail["quotes"]) == 2 and detail["quotes_total"] == 5


def test_a_concept_carries_its_indicators_and_the_goals_it_reaches(built_demo: Path):
    ws = verlicht.open(built_demo)
    data = page_data(ws.viz().html)
    detail = data["details"]["concept:sociale_cohesie"]
    assert [row["goals"] for row in ws.gaps(all=True, kind="assumptions") if row["id"] == CLAIM] == [
        sorted(n for n, _ in detail["goals"]["goals"])]
    assert detail["goals"]["path"][0] == "Sociale cohesie"
    assert data["goalLabels"]["9"].startswith("9. ")


def test_english_pages_use_english_labels_and_words(built_demo: Path):
    html = verlicht.open(built_demo).viz(lang="en").html
    data = page_data(html)
    assert '<html lang="en">' in html
    assert by_id(data["nodes"])["concept:sociale_cohesie"]["label"] == "Social cohesion"
    assert data["strings"]["search"] == "Search"
    assert "Theory of change" in html


def test_literature_findings_in_the_graph_show_on_their_claim(built_demo: Path):
    ws = verlicht.open(built_demo)
    base = ws.graph
    nodes = [*base.nodes.values(),
             {"id": "finding:f1", "kind": "Finding", "text": "Menging verhoogt de cohesie niet aantoonbaar."},
             {"id": "study:doi:10.1/x", "kind": "Study", "citation": "Bolt & Van Kempen (2013)"},
             {"id": "review:menging", "kind": "Review", "title": "Menging en cohesie"}]
    edges = [*base.edges, {"kind": "CONTRADICTS", "source": "finding:f1", "target": CLAIM},
             {"kind": "REPORTS", "source": "study:doi:10.1/x", "target": "finding:f1"},
             {"kind": "INCLUDES", "source": "review:menging", "target": "study:doi:10.1/x"}]
    graph = Graph(base.header, nodes, edges)
    page = render_page(graph, Provenance(ws.layout.graphs), ViewSpec())
    assert page_data(page.html)["details"][CLAIM]["findings"] == [
        {"relation": "contradicts", "text": "Menging verhoogt de cohesie niet aantoonbaar.",
         "study": "Bolt & Van Kempen (2013)", "review": "Menging en cohesie"}]
    assert page_data(ws.viz().html)["details"][CLAIM]["findings"] == []


def test_small_pages_tidy_with_physics_big_ones_are_capped_clustered_and_still(generated: Path):
    ws = verlicht.open(generated)
    page = ws.viz()
    data = page_data(page.html)
    assert page.summary["concepts"] > data["cap"] > 0
    assert data["physics"] is False and data["options"]["physics"] == {"enabled": False}
    assert len(data["clusters"]) > 1
    claims = sum(1 for e in data["edges"] if e["vkind"] != "link")
    assert data["edgeCap"] == (EDGE_CAP if claims > EDGE_CAP else 0)
    positions = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(positions) == len(data["nodes"])  # laid out in Python: no two nodes on one spot
    assert page.html == verlicht.open(generated).viz().html


def test_the_notebook_shows_the_page_inline(built_demo: Path, tmp_path: Path):
    ws = verlicht.open(built_demo)
    page = ws.viz(focus="armoede", depth=1)
    frame = page._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and "&lt;!doctype html&gt;" in frame
    written = ws.viz(focus="armoede", depth=1, out=tmp_path / "p.html")
    assert (tmp_path / "p.html").read_text(encoding="utf-8") == page.html
    assert written.summary["file"] == str(tmp_path / "p.html")


def test_two_copies_of_a_workspace_give_the_same_page(built_demo: Path, demo: Path):
    verlicht.open(demo).build()
    assert verlicht.open(demo).viz(gaps=True).html == verlicht.open(built_demo).viz(gaps=True).html
