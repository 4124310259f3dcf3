"""The dashboard report: what each page holds, that it holds nothing the build does not, and its bytes."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest
from reportkit import built_demo, visible_text

import verlicht
from verlicht.errors import BuildError, QueryError, WorkspaceError
from verlicht.graph.store import Provenance
from verlicht.viz.report import JARGON, PAGES

FILES = [p.file for p in PAGES]


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory) -> Path:
    return built_demo(tmp_path_factory.mktemp("report") / "demo")


@pytest.fixture(scope="module")
def pages(demo_ws: Path) -> dict[str, str]:
    """The Dutch report of the demo, by file name."""
    verlicht.open(demo_ws).report()
    return {name: (demo_ws / "graphs" / "report" / name).read_text(encoding="utf-8") for name in FILES}


def test_report_writes_five_pages_and_returns_a_row_per_page(demo_ws: Path, tmp_path: Path):
    rows = verlicht.open(demo_ws).report(out=tmp_path / "r")
    assert [r["page"] for r in rows] == ["index", "bestuurders", "professionals", "bewoners", "lacunes"]
    for row in rows:
        file = Path(row["path"])
        assert file.name == f"{row['page']}.html"
        assert file.stat().st_size == row["bytes"]
    assert rows[1]["title"] == "De 12 doelen: waar staan we?"


def test_default_folder_is_graphs_report(pages: dict[str, str], demo_ws: Path):
    assert sorted(p.name for p in (demo_ws / "graphs" / "report").iterdir()) == sorted(FILES)


def test_same_build_gives_the_same_bytes(demo_ws: Path, tmp_path: Path):
    ws = verlicht.open(demo_ws)
    ws.report(out=tmp_path / "a")
    ws.report(out=tmp_path / "b")
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_pages_carry_no_time_stamp_and_load_nothing(pages: dict[str, str]):
    for name, html in pages.items():
        assert not re.search(r"\b20\d\d-\d\d-\d\dT\d\d:", html), name
        assert "<script" not in html, name
        assert not re.search(r"(src|href)=\"(https?:)?//", html), name
        assert "@import" not in html and "url(" not in html, name


def test_index_links_every_page(pages: dict[str, str]):
    html = pages["index.html"]
    for name in FILES[1:]:
        assert f'href="{name}"' in html
    assert "Over 25 jaar maakt het voor de levenskansen" in html  # the mission
    assert "12 geïnterviewden noemen 69 aannames; 27 daarvan meet nog geen enkele indicator, 24 maar aan één " \
           "kant." in html
    assert "Sinds de nulmeting gaan 5 van de 12 doelen vooral de goede kant op, 3 de verkeerde kant" in html


def test_bestuurders_page_shows_the_12_goals_with_charts_against_the_national_reference(pages: dict[str, str]):
    html = pages["bestuurders.html"]
    for number in range(1, 13):
        assert f'id="doel-{number}"' in html
    assert html.count('<svg class="bar"') == 12
    assert html.count('<svg class="chart"') >= 15
    # Goal 4: the share on social assistance, Heerlen-Noord against Nederland, since the 2023 baseline.
    assert "Heerlen-Noord: 10,4 (2018) tot 9,1 (2024). Nederland: 4,1 (2024)." in html
    goal4 = html[html.index('id="doel-4"'):html.index('id="doel-5"')]
    assert "Bijstandsmonitor (aandeel bijstand)" in goal4
    assert re.search(r"9,4 \(2023\)</td>\s*<td class=\"n\">9,1 \(2024\)</td>\s*<td class=\"n\">4,1</td>\s*"
                     r"<td class=\"n\">\+5</td>", goal4)
    assert '<span class="badge worse">slechter</span>' in goal4
    assert '<span class="badge improved">verbeterd</span>' in goal4


def test_professionals_page_quotes_claims_with_source_and_line(pages: dict[str, str]):
    html = pages["professionals.html"]
    assert "Verloop van bewoners (doorstroom)" in html
    assert ("“Vroeger kende je iedereen in de straat. Nu verhuizen mensen zo snel dat je de helft niet meer "
            "kent.”") in html
    assert "R01 (bewoner), <code>interviews/r01.rock:26</code>" in html
    # Mechanisms of the logic models, with whether something measures them.
    assert "Het blok deelt één dak: het lukt alleen als alle buren meedoen" in html
    assert "Inponden en verduurzamen in Vrieheide" in html
    assert 'id="literatuur"' in html and "Putnam 2007" in html  # the demo review's findings
    assert 'href="lacunes.html"' in html


def test_gap_page_lists_every_gap_of_verlicht_gaps(pages: dict[str, str], demo_ws: Path):
    html = pages["lacunes.html"]
    gaps = verlicht.open(demo_ws).gaps()
    for row in gaps:
        if row["kind"] == "assumption":
            assert f"<code>{row['cause']}->{row['effect']}</code>" in html
    assumptions = sum(1 for r in gaps if r["kind"] == "assumption")
    assert f"Aannames die niet of maar aan één kant gemeten worden ({assumptions})" in html


def test_gap_page_does_not_call_assumptions_measured_at_one_end_unmeasured(pages: dict[str, str], demo_ws: Path):
    gaps = [r for r in verlicht.open(demo_ws).gaps() if r["kind"] == "assumption"]
    partial = [r for r in gaps if r["coverage"] == "partial"]
    assert partial  # the demo's gap list holds claims with an indicator at one end
    text = visible_text(pages["lacunes.html"] + pages["professionals.html"] + pages["index.html"])
    assert "Aannames zonder indicator" not in text
    assert f"{len(gaps)} aannames worden niet of maar aan één kant gemeten;" in text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_residents_page_uses_no_jargon(demo_ws: Path, tmp_path: Path, lang: str):
    verlicht.open(demo_ws).report(out=tmp_path, lang=lang)
    text = visible_text((tmp_path / "bewoners.html").read_text(encoding="utf-8")).casefold()
    for word in JARGON[lang]:
        assert word not in text, word
    assert len(text) > 1500  # it does say something


def test_residents_page_says_what_residents_said_and_what_is_tracked(pages: dict[str, str]):
    html = pages["bewoners.html"]
    assert "Meer verloop van bewoners (doorstroom) geeft minder sociale cohesie." in html
    assert "Een bewoner" in html
    assert "Wat we bijhouden" in html and "Minder bijstand" in html
    assert "Wat we tellen: instroom van kwetsbare huishoudens, bijstand." in html
    assert "Sociale cohesie: " in html  # residents talk about it, nothing measures it
    assert "interviews/" not in html and "R01" not in html  # no file names or pseudonyms for residents


def test_english_report(demo_ws: Path, tmp_path: Path):
    verlicht.open(demo_ws).report(out=tmp_path, lang="en")
    html = (tmp_path / "bestuurders.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "The 12 goals: where do we stand?" in html
    assert "Heerlen-Noord: 10.4 (2018) to 9.1 (2024). Nederland: 4.1 (2024)." in html
    assert "Skip to content" in html
    resident = (tmp_path / "bewoners.html").read_text(encoding="utf-8")
    assert "What people say" in resident and "means less social cohesion." in resident


def test_quotes_come_only_from_the_build(pages: dict[str, str], demo_ws: Path):
    """Every quote on every page is an utterance of the build's provenance, said by a respondent."""
    prov = Provenance(demo_ws / "graphs")
    graph = verlicht.open(demo_ws).graph
    interviewers = {d["case"] for d in graph.of_kind("Respondent") if d["group"] == "interviewer"}
    assert interviewers
    said, asked = set(), set()
    for source in graph.of_kind("Source"):
        for row in prov.source(source["path"]).values():
            (asked if row["cid"] in interviewers else said).add(row["text"])
    quotes = [q for html in pages.values() for q in re.findall(r"<blockquote><p lang=\"nl\">“(.*?)”</p>", html)]
    assert len(quotes) > 50
    for quote in quotes:
        text = quote.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"').replace("&quot;", '"')
        assert text in said
    everything = "".join(pages.values())
    for line in asked:  # interviewers' questions are never quoted
        assert f"“{line}”" not in everything


def test_text_changed_after_the_build_stays_out(tmp_path: Path):
    ws_path = built_demo(tmp_path / "demo")
    source = ws_path / "interviews" / "r01.rock"
    original = "Vroeger kende je iedereen in de straat."
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(original, "Mijn buurman Jan Jansen woont op Dorpsstraat 12."), encoding="utf-8")
    # Without a build first, the pages hold what the last build holds, never the changed file.
    verlicht.open(ws_path, auto_build=False).report()
    everything = "".join(p.read_text(encoding="utf-8") for p in (ws_path / "graphs" / "report").iterdir())
    assert "Jansen" not in everything and "Dorpsstraat" not in everything
    assert original in everything  # what the build holds, until the next build
    # With it (the default), the build runs first: its privacy guard refuses a phone number, and the pages
    # are left as they were.
    source.write_text(text.replace(original, "Bel me gerust op 06-12345678."), encoding="utf-8")
    with pytest.raises(BuildError, match=r"r01\.rock"):
        verlicht.open(ws_path).report()
    again = "".join(p.read_text(encoding="utf-8") for p in (ws_path / "graphs" / "report").iterdir())
    assert again == everything


def test_literature_section_appears_when_the_graph_holds_review_findings(tmp_path: Path):
    ws_path = built_demo(tmp_path / "demo")
    graph_file = ws_path / "graphs" / "verlicht.json"
    data = orjson.loads(graph_file.read_bytes())
    target = "assumption:verloop_bewoners->sociale_cohesie:-"
    data["nodes"] += [
        {"id": "finding:menging/f1", "kind": "Finding", "text_nl": "Hoge mobiliteit gaat samen met minder "
         "sociale samenhang in de buurt.", "text_en": "High mobility goes with less cohesion."},
        {"id": "study:doi:10.1000/xyz", "kind": "Study", "label": "Jansen & De Vries (2019)"},
    ]
    data["edges"] += [
        {"source": "finding:menging/f1", "target": target, "kind": "SUPPORTS"},
        {"source": "study:doi:10.1000/xyz", "target": "finding:menging/f1", "kind": "REPORTS"},
    ]
    graph_file.write_bytes(orjson.dumps(data))
    verlicht.open(ws_path).report()
    html = (ws_path / "graphs" / "report" / "professionals.html").read_text(encoding="utf-8")
    section = html[html.index('id="literatuur"'):html.index('id="ongemeten"')]
    assert "Hoge mobiliteit gaat samen met minder sociale samenhang in de buurt." in section
    assert "Jansen &amp; De Vries (2019)" in section
    assert "Verloop van bewoners (doorstroom) → Sociale cohesie (-)" in section
    assert "ondersteunt" in section


def test_a_workspace_without_observations_or_logic_models_still_reports(mini: Path, tmp_path: Path):
    ws = verlicht.open(mini)
    ws.build()
    ws.report(out=tmp_path)
    html = (tmp_path / "professionals.html").read_text(encoding="utf-8")
    assert "Deze werkruimte heeft nog geen logische modellen" in html
    assert "Nog geen gegevens" not in (tmp_path / "bewoners.html").read_text(encoding="utf-8")


def test_report_without_a_build_says_to_build_first_when_not_building_itself(mini: Path):
    with pytest.raises(WorkspaceError, match="run 'verlicht build' first"):
        verlicht.open(mini, auto_build=False).report()
    assert not (mini / "graphs" / "report").exists()


def test_unknown_language_is_refused(demo_ws: Path, tmp_path: Path):
    with pytest.raises(QueryError, match="unknown language 'de'"):
        verlicht.open(demo_ws).report(out=tmp_path, lang="de")


def test_indicator_figures_are_those_of_indicators_status_while_the_build_is_current(demo_ws: Path):
    from verlicht.indicators.status import goal_rows, status_rows
    from verlicht.viz.report import built_status_inputs

    ws = verlicht.open(demo_ws)
    catalogue, indicators, observations = built_status_inputs(ws)
    for area in ("heerlen_noord", "nederland", "vrieheide"):
        assert status_rows(indicators, observations, catalogue, area) == ws.indicator_status(area=area)
    assert goal_rows(indicators, observations, catalogue, "heerlen_noord", "en") == ws.goal_status(lang="en")


def test_figures_changed_after_the_build_stay_out_until_the_next_build(tmp_path: Path):
    ws_path = built_demo(tmp_path / "demo")
    observations = ws_path / "indicators" / "observations.csv"
    text = observations.read_text(encoding="utf-8")
    assert "bijstand,heerlen_noord,2024,9.1\n" in text
    observations.write_text(text.replace("bijstand,heerlen_noord,2024,9.1\n", "bijstand,heerlen_noord,2024,77.7\n")
                            + "bijstand,heerlen_noord,2025,66.6\n", encoding="utf-8")
    ws = verlicht.open(ws_path, auto_build=False)
    ws.report()
    html = (ws_path / "graphs" / "report" / "bestuurders.html").read_text(encoding="utf-8")
    assert "9,1 (2024)" in html and "77,7" not in html and "66,6" not in html
    ws.build()
    ws.report()
    html = (ws_path / "graphs" / "report" / "bestuurders.html").read_text(encoding="utf-8")
    assert "66,6 (2025)" in html


def test_readme_shows_the_residents_page_screenshot():
    from helpers import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "![The residents' page](docs/report-bewoners.png)" in readme
    assert (REPO / "docs" / "report-bewoners.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_residents_page_leaves_out_claims_whose_labels_are_jargon(mini: Path, tmp_path: Path):
    codebook = mini / "ontology" / "codebook.yaml"
    codebook.write_text(codebook.read_text(encoding="utf-8").replace(
        "{nl: Goedkope woningen, en: Cheap housing}", "{nl: Aanname over woningen, en: Housing assumption}"),
        encoding="utf-8")
    ws = verlicht.open(mini)
    ws.build()
    for lang in ("nl", "en"):
        ws.report(out=tmp_path / lang, lang=lang)
        text = visible_text((tmp_path / lang / "bewoners.html").read_text(encoding="utf-8")).casefold()
        assert not [word for word in JARGON[lang] if word in text]
    professionals = (tmp_path / "nl" / "professionals.html").read_text(encoding="utf-8")
    assert "Aanname over woningen" in professionals  # the professionals still see it
    residents = (tmp_path / "nl" / "bewoners.html").read_text(encoding="utf-8")
    assert "Meer instroom kwetsbare huishoudens geeft meer druk op voorzieningen." in residents  # the others stay


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_residents_page_names_what_is_counted_in_plain_words_not_by_statistics_table_names(demo_ws: Path,
                                                                                            tmp_path: Path, lang: str):
    verlicht.open(demo_ws).report(out=tmp_path, lang=lang)
    text = visible_text((tmp_path / "bewoners.html").read_text(encoding="utf-8"))
    tracked = text[text.index("Wat we bijhouden" if lang == "nl" else "What we keep track of"):]
    for table_name in ("WOZ", "HL-N t.o.v. benchmarkgebieden", "HALT-jongeren", "PO en VO", "Jeugdzorg",
                       "uitsplitsen naar leeftijd", "Aantal"):
        assert table_name.casefold() not in tracked.casefold(), table_name
    if lang == "nl":
        assert "Minder bijstand : Gaat de goede kant op Wat we tellen: instroom van kwetsbare huishoudens, " \
               "bijstand." in tracked
        # Goal 12's one indicator (youth care use) measures no concept of the codebook: it is counted, not named.
        assert "Gezonde jeugd : Gaat de verkeerde kant op We houden hier 1 cijfer over bij." in tracked
    else:
        assert "Healthy youth : Going the wrong way We keep 1 figure on this." in tracked


def test_a_workspace_with_no_interviews_and_no_figures_says_so_instead_of_zeros(mini: Path, tmp_path: Path):
    for source in (mini / "interviews").iterdir():
        source.unlink()
    (mini / "indicators" / "observations.csv").write_text("indicator,area,period,value\n", encoding="utf-8")
    ws = verlicht.open(mini)
    ws.build()
    ws.report(out=tmp_path)
    page = {name: visible_text((tmp_path / name).read_text(encoding="utf-8")) for name in FILES}
    assert "Er zijn nog geen gecodeerde interviews verwerkt." in page["index.html"]
    assert "Er zijn nog geen cijfers verwerkt, dus van geen van de 12 doelen is bekend" in page["index.html"]
    assert "0 geïnterviewden noemen" not in page["index.html"]
    assert "De build bevat nog geen cijfers: voeg waarnemingen toe aan indicators/observations.csv" \
        in page["bestuurders.html"]
    assert "Nog geen aannames: codeer interviews in interviews/ en draai verlicht build." in page["professionals.html"]
    assert "0 van de 0 aannames" not in page["professionals.html"]
    assert "Er zijn nog geen gesprekken verwerkt." in page["bewoners.html"]
    assert "Het programma heeft 12 doelen. Er zijn nog geen cijfers verwerkt." in page["bewoners.html"]
    assert "Voor elk doel houden we cijfers bij" not in page["bewoners.html"]
    assert "We spraken met" not in page["bewoners.html"]


def test_residents_page_counts_one_person_in_the_singular_and_takes_the_baseline_year_from_the_indicators(
        mini: Path, tmp_path: Path):
    for name in ("b.rock", "c.rock"):
        (mini / "interviews" / name).unlink()
    one = mini / "interviews" / "a.rock"  # R1 only: the lines of R2 and their attribute block go
    lines = one.read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines[:lines.index("[[uid=a0000004]] [[cid=I1]] En menging, helpt dat? "
                                                 "[[menging->sociale_cohesie||causal_pos]]")]]
    one.write_text("\n".join(lines).replace("  -\n    caseId: R2\n    group: professional\n    wijk: GMS\n", "")
                   + "\n", encoding="utf-8")
    indicators = mini / "indicators" / "indicators.csv"
    rows = indicators.read_text(encoding="utf-8").splitlines()
    indicators.write_text("\n".join([rows[0] + ",baseline"] + [row + ",2021-01-01" for row in rows[1:]]) + "\n",
                          encoding="utf-8")
    ws = verlicht.open(mini)
    ws.build()
    assert sum(1 for d in ws.graph.of_kind("Respondent") if d["group"] != "interviewer") == 1
    for lang, said, since in (("nl", "We spraken met 1 persoon.", "dan bij het begin, in 2021."),
                              ("en", "We spoke with 1 person.", "than at the start, in 2021.")):
        ws.report(out=tmp_path / lang, lang=lang)
        text = visible_text((tmp_path / lang / "bewoners.html").read_text(encoding="utf-8"))
        assert said in text and since in text
        assert "2023" not in text
    index = visible_text((tmp_path / "nl" / "index.html").read_text(encoding="utf-8"))
    assert "1 geïnterviewde noemt 2 aannames;" in index  # was "1 geïnterviewden noemen …"
    assert "1 interview · 1 geïnterviewde · 2 aannames · 2 indicatoren" in index
    index = visible_text((tmp_path / "en" / "index.html").read_text(encoding="utf-8"))
    assert "1 person interviewed voices 2 assumptions;" in index


def test_residents_page_lists_what_most_people_say_first(pages: dict[str, str]):
    text = visible_text(pages["bewoners.html"])
    counts = [int(n) for n in re.findall(r"(\d+) mensen zeggen dit\.", text)] + \
        [1] * text.count("1 persoon zegt dit.")
    assert len(counts) == 8
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == 5  # "Meer verloop van bewoners (doorstroom) geeft minder sociale cohesie": five people
    assert text.index("geeft minder sociale cohesie.") < text.index("geeft meer ervaren gezondheid.")


def test_report_docstring_examples_hold():
    import doctest

    from verlicht.viz import report

    assert doctest.testmod(report).failed == 0


def test_residents_page_lowers_a_label_in_brackets_inside_a_sentence(demo_ws: Path, tmp_path: Path):
    verlicht.open(demo_ws).report(out=tmp_path, lang="en")
    text = visible_text((tmp_path / "bewoners.html").read_text(encoding="utf-8"))
    assert "problematic debts, mental health problems, (very) high stress." in text


def test_english_pages_mark_the_indicators_dutch_labels_as_dutch(demo_ws: Path, tmp_path: Path):
    # The indicator catalogue names its indicators in the workspace's language only (the monitor's Dutch
    # table names); WCAG 3.1.2 asks that such a part says its language, as the quotes do.
    verlicht.open(demo_ws).report(out=tmp_path, lang="en")
    html = (tmp_path / "bestuurders.html").read_text(encoding="utf-8")
    assert '<figcaption><span lang="nl">Bijstandsmonitor (aandeel bijstand)</span>' in html
    assert '<th scope="row"><span lang="nl">Bijstandsmonitor (aandeel bijstand)</span>' in html


def test_residents_page_addresses_the_reader_as_u_throughout(pages: dict[str, str]):
    text = visible_text(re.sub(r"<blockquote>.*?</blockquote>", "", pages["bewoners.html"], flags=re.S))
    words = set(re.findall(r"\w+", text.casefold()))
    assert "u" in words  # "Hier leest u …"
    assert not words & {"je", "jij", "jou", "jouw"}  # the footer said "waaraan je iemand kunt herkennen"


def test_residents_page_for_another_area_says_whose_figures_and_keeps_whom_we_spoke_with(demo_ws: Path,
                                                                                         tmp_path: Path):
    ws = verlicht.open(demo_ws)
    ws.report(out=tmp_path / "v", area="vrieheide")
    text = visible_text((tmp_path / "v" / "bewoners.html").read_text(encoding="utf-8"))
    assert "praten met mensen uit Heerlen-Noord:" in text  # the interviews are the programme's, not Vrieheide's
    assert "Het programma heeft 12 doelen. Er zijn nog geen cijfers over Vrieheide e.o. verwerkt." in text
    ws.report(out=tmp_path / "n", area="nederland", lang="en")
    text = visible_text((tmp_path / "n" / "bewoners.html").read_text(encoding="utf-8"))
    assert "talk with people from Heerlen-Noord:" in text
    assert "For each goal we keep track of figures for Nederland, and we look at whether" in text
    ws.report(out=tmp_path / "h")
    text = visible_text((tmp_path / "h" / "bewoners.html").read_text(encoding="utf-8"))
    assert "Voor elk doel houden we cijfers bij, en we kijken of het beter gaat dan bij het begin, in 2023." in text
