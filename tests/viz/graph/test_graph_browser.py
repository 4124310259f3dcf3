"""The graph pages in headless Chromium: offline, without console errors, filtering, searching, clicking.

Each test opens a page written by ``verlicht viz`` and keeps a screenshot under tests/artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path

from browserkit import open_page
from pagedata import page_data

import verlicht

CLAIM = "assumption:verloop_bewoners->sociale_cohesie:-"
SHOWN = "() => [verlicht.nodeView.length, verlicht.edgeView.length]"


def _write(ws_root: Path, name: str, **options) -> Path:
    target = ws_root / "graphs" / f"{name}.html"
    verlicht.open(ws_root).viz(out=target, **options)
    return target


def _ready(session) -> None:
    session.page.wait_for_selector("body[data-ready]", state="attached", timeout=30000)


def test_demo_page_opens_offline_with_its_parts(browser, built_demo: Path):
    page_file = _write(built_demo, "browser-all")
    data = page_data(page_file.read_text(encoding="utf-8"))
    with open_page(browser, page_file, name="graph-demo") as s:
        _ready(s)
        page = s.page
        assert page.locator("#graph canvas").count() == 1
        assert page.locator("#legend .keys li").count() >= 6
        assert page.locator("#f-theme option").count() == 1 + len(data["themes"])
        assert page.locator("#f-group option").count() == 1 + len(data["groups"])
        nodes, edges = page.evaluate(SHOWN)
        assert (nodes, edges) == (len(data["nodes"]), len(data["edges"]))
        assert page.text_content("#count").startswith(f"{len(data['nodes']) - 11} van ")
        s.screenshot()
        assert s.errors == []


def test_a_polarity_filter_shows_only_those_claims(browser, built_demo: Path):
    ws = verlicht.open(built_demo)
    negative = {r["id"] for r in ws.assumptions(polarity="-")}
    with open_page(browser, _write(built_demo, "browser-filter"), name="graph-filter") as s:
        _ready(s)
        before = s.page.evaluate(SHOWN)
        s.page.select_option("#f-polarity", "-")
        s.page.wait_for_function(f"verlicht.edgeView.length < {before[1]}")
        shown = s.page.evaluate("verlicht.edgeView.get().filter(e => e.vkind !== 'link').map(e => e.id)")
        assert set(shown) == negative
        ends = s.page.evaluate("verlicht.nodeView.get().filter(n => n.vkind === 'concept').map(n => n.code)")
        assert set(ends) == {r[k] for r in ws.assumptions(polarity="-") for k in ("cause", "effect")}
        assert s.page.get_attribute("#count", "data-edges") == str(s.page.evaluate(SHOWN)[1])
        s.page.fill("#f-support", "3")
        s.page.wait_for_function("() => verlicht.edgeView.get().every(e => e.vkind === 'link' || e.support >= 3)")
        strong = {r["id"] for r in ws.assumptions(polarity="-", min_support=3)}
        assert set(s.page.evaluate("verlicht.edgeView.get().filter(e => e.vkind !== 'link').map(e => e.id)")) == strong
        s.page.click("#clear")
        s.page.wait_for_function(f"verlicht.edgeView.length === {before[1]}")
        s.screenshot()
        assert s.errors == []


def test_search_keeps_the_matching_concepts_and_their_neighbours(browser, built_demo: Path):
    with open_page(browser, _write(built_demo, "browser-search"), name="graph-search") as s:
        _ready(s)
        total = s.page.evaluate(SHOWN)[0]
        s.page.fill("#search", "armoede")
        s.page.wait_for_function(f"verlicht.nodeView.length < {total}")
        labels = s.page.evaluate("verlicht.nodeView.get().map(n => [n.id, n.label])")
        hits = {i for i, label in labels if "armoede" in label.lower()}
        assert "concept:armoede" in hits
        edges = s.page.evaluate("verlicht.edgeView.get().map(e => [e.from, e.to])")
        assert edges and all(a in hits or b in hits for a, b in edges)
        s.screenshot()
        assert s.errors == []


def test_clicking_an_edge_shows_its_quotes_with_source_and_line(browser, built_demo: Path):
    ws = verlicht.open(built_demo)
    page_file = _write(built_demo, "browser-click", focus="verloop_bewoners", depth=1)
    with open_page(browser, page_file, name="graph-click-edge") as s:
        _ready(s)
        page = s.page
        x, y = page.evaluate("""(id) => {
            const e = verlicht.edges.get(id);
            const p = verlicht.network.getPositions([e.from, e.to]);
            const mid = {x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2};
            const dom = verlicht.network.canvasToDOM(mid);
            const box = document.getElementById('graph').getBoundingClientRect();
            return [box.left + dom.x, box.top + dom.y];
        }""", CLAIM)
        page.mouse.click(x, y)
        page.wait_for_selector(f'#details[data-selected="{CLAIM}"]')
        assert page.text_content("#details h2") == "Verloop van bewoners (doorstroom) → Sociale cohesie"
        cites = page.locator("#details blockquote cite").all_text_contents()
        expected = ws.evidence("verloop_bewoners->sociale_cohesie", polarity="-")
        assert len(cites) == len(expected)
        assert all(re.match(r"interviews/r\d+\.rock:\d+ · R\d+ \(", c) for c in cites)
        assert f"{expected[0]['source']}:{expected[0]['line']}" in cites[0]
        assert expected[0]["text"] in page.text_content("#details blockquote")
        assert page.evaluate("verlicht.network.getSelectedEdges()") == [CLAIM]
        s.screenshot()
        assert s.errors == []


def test_clicking_a_concept_lists_its_claims_and_opens_one(browser, built_demo: Path):
    page_file = _write(built_demo, "browser-concept", focus="sociale_cohesie", depth=1, lang="en")
    with open_page(browser, page_file, name="graph-click-concept-en") as s:
        _ready(s)
        page = s.page
        x, y = page.evaluate("""() => {
            const id = 'concept:sociale_cohesie';
            const dom = verlicht.network.canvasToDOM(verlicht.network.getPositions([id])[id]);
            const box = document.getElementById('graph').getBoundingClientRect();
            return [box.left + dom.x, box.top + dom.y];
        }""")
        page.mouse.click(x, y)
        page.wait_for_selector('#details[data-selected="concept:sociale_cohesie"]')
        assert page.text_content("#details h2") == "Social cohesion"
        assert "Goals in reach" in page.text_content("#details")
        page.locator("#details button.link", has_text="Resident turnover → Social cohesion").first.click()
        page.wait_for_selector(f'#details[data-selected="{CLAIM}"]')
        assert page.locator("#details blockquote").count() == 5
        s.screenshot()
        assert s.errors == []


def test_logic_model_and_goal_pages_open_without_errors(browser, built_demo: Path):
    for name, options in (("graph-intervention", {"intervention": "meer_peuters_naar_opvang"}),
                          ("graph-goal", {"goal": 9}), ("graph-actors", {"actors": True})):
        page_file = _write(built_demo, f"browser-{name}", **options)
        data = page_data(page_file.read_text(encoding="utf-8"))
        with open_page(browser, page_file, name=name) as s:
            _ready(s)
            assert s.page.evaluate(SHOWN) == [len(data["nodes"]), len(data["edges"])]
            s.screenshot()
            assert s.errors == []


def test_a_big_page_draws_the_best_supported_first_and_all_on_request(browser, generated: Path):
    page_file = _write(generated, "browser-big")
    data = page_data(page_file.read_text(encoding="utf-8"))
    concepts = sum(1 for n in data["nodes"] if n["vkind"] == "concept")
    with open_page(browser, page_file, name="graph-generated") as s:
        _ready(s)
        page = s.page
        drawn = page.evaluate("verlicht.nodeView.get().filter(n => n.vkind === 'concept').length")
        assert drawn == data["cap"] < concepts
        assert page.is_visible("#capped")
        supports = page.evaluate("verlicht.nodeView.get().filter(n => n.vkind === 'concept').map(n => n.support)")
        assert min(supports) >= sorted((n["support"] for n in data["nodes"] if n["vkind"] == "concept"),
                                       reverse=True)[data["cap"] - 1]
        claims = page.evaluate("verlicht.edgeView.get().filter(e => e.vkind !== 'link').length")
        assert claims <= (data["edgeCap"] or claims)
        s.screenshot("capped")
        page.check("#show-all")
        page.wait_for_function(
            f"() => verlicht.nodeView.get().filter(n => n.vkind === 'concept').length === {concepts}")
        assert not page.is_visible("#capped")
        s.screenshot("all")
        assert s.errors == []


def test_a_dense_page_draws_the_best_supported_links_first(browser, dense: Path):
    page_file = _write(dense, "browser-dense")
    data = page_data(page_file.read_text(encoding="utf-8"))
    claims = sorted((e["support"] for e in data["edges"] if e["vkind"] != "link"), reverse=True)
    assert data["edgeCap"] and len(claims) > data["edgeCap"]
    with open_page(browser, page_file, name="graph-dense") as s:
        _ready(s)
        page = s.page
        drawn = page.evaluate("verlicht.edgeView.get().filter(e => e.vkind !== 'link').map(e => e.support)")
        assert len(drawn) == data["edgeCap"] and min(drawn) == claims[data["edgeCap"] - 1]
        assert page.is_visible("#capped")
        s.screenshot("capped")
        page.check("#show-all")
        page.wait_for_function(
            f"() => verlicht.edgeView.get().filter(e => e.vkind !== 'link').length === {len(claims)}")
        assert s.errors == []
