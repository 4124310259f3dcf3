"""``verlicht link`` edits one cell, byte for byte; ``verlicht indicators suggest`` proposes the obvious match first."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from helpers import DATA, REPO, run

import verlicht
from verlicht.codebook import Concept
from verlicht.indicators.similar import normalise, split_compound, stem, suggest
from verlicht.indicators.tables import Indicator

CSV = Path("indicators") / "indicators.csv"


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def changed_lines(before: list[bytes], after: list[bytes]) -> list[int]:
    assert len(before) == len(after)
    return [n for n, (a, b) in enumerate(zip(before, after, strict=True), start=1) if a != b]


def test_link_measures_changes_one_cell_and_remove_gives_the_file_back(demo):
    path = demo / CSV
    original = path.read_bytes()
    code, out, err = run("link", "werkende_armen", "--measures", "armoede", workspace=demo)
    assert (code, err) == (0, "")
    assert out == "indicators/indicators.csv:9: werkende_armen now measures armoede\n"
    after = lines_of(path)
    assert changed_lines(original.splitlines(keepends=True), after) == [9]
    assert after[8].startswith(b'werkende_armen,"Aantal werkende armen naar bron van inkomen, leeftijd etc.",'
                               b'% werkenden,"CBS, Monitor Nationaal Programma Heerlen Noord",werkende_armen;armoede,')
    code, out, _ = run("link", "werkende_armen", "--measures", "armoede", "--remove", workspace=demo)
    assert code == 0 and "no longer measures armoede" in out
    assert path.read_bytes() == original


@pytest.mark.parametrize("option, value, cell", [
    ("--tests", "betaald_werk->bijstand", b"betaald_werk->bijstand"),
    ("--tests", " betaald_werk -> bijstand ", b"betaald_werk->bijstand"),
    ("--tracks", "5", b"4;5"),
])
def test_link_tests_and_tracks_round_trip(demo, option, value, cell):
    path = demo / CSV
    original = path.read_bytes()
    code, _, err = run("link", "bijstand", option, value, workspace=demo)
    assert (code, err) == (0, "")
    row = next(line for line in lines_of(path) if line.startswith(b"bijstand,"))
    assert b"," + cell + b"," in row
    code, _, err = run("link", "bijstand", option, value, "--remove", workspace=demo)
    assert (code, err) == (0, "")
    assert path.read_bytes() == original


@pytest.mark.parametrize("args, message", [
    (("bijstand", "--measures", "armoede", "--remove"),
     "indicators/indicators.csv:36: bijstand does not measure armoede (it measures bijstand); nothing changed\n"),
    (("bijstand", "--tracks", "5", "--remove"),
     "indicators/indicators.csv:36: bijstand does not track goal 5 (it tracks goal 4); nothing changed\n"),
    (("inwoners", "--tests", "betaald_werk->bijstand", "--remove"),
     "indicators/indicators.csv:2: inwoners does not test betaald_werk->bijstand (it tests no assumption); "
     "nothing changed\n"),
])
def test_removing_a_link_that_is_not_there_changes_nothing_and_exits_0(demo, args, message):
    path = demo / CSV
    original, stamp = path.read_bytes(), path.stat().st_mtime_ns
    code, out, err = run("link", *args, workspace=demo)
    assert (code, out, err) == (0, message, "")
    assert path.read_bytes() == original and path.stat().st_mtime_ns == stamp


def test_goal_error_names_the_workspace_override_when_there_is_one(demo):
    (demo / "ontology" / "catalogue.yaml").write_text("goals:\n  4: {short: {nl: Bijstand omlaag}}\n",
                                                      encoding="utf-8")
    code, _, err = run("link", "bijstand", "--tracks", "13", workspace=demo)
    assert code == 1 and err.startswith("error: ontology/catalogue.yaml: unknown goal '13'")


def test_the_examples_in_link_help_run_on_the_demo_and_the_remove_undoes_the_add(demo):
    code, out, _ = run("link", "--help")
    assert code == 0 and "idempotent" in out and "nothing changed" in out
    examples = [shlex.split(line)[2:] for line in out.splitlines() if line.strip().startswith("verlicht link ")]
    assert len(examples) == 4 and any("--remove" in e for e in examples)
    before = (demo / CSV).read_bytes()
    messages = []
    for example in examples:
        code, out, err = run("link", *example, workspace=demo)
        assert (code, err) == (0, ""), example
        messages.append(out)
    assert not any("nothing changed" in m for m in messages)  # every example really changes something
    assert messages[-1] == "indicators/indicators.csv:36: bijstand no longer tracks goal 5\n"
    row = next(line for line in lines_of(demo / CSV) if line.startswith(b"bijstand,"))
    assert b",bijstand;armoede,betaald_werk->bijstand,4," in row
    assert changed_lines(before.splitlines(keepends=True), lines_of(demo / CSV)) == [36]


def test_link_that_exists_already_writes_nothing(demo):
    path = demo / CSV
    stamp = path.stat().st_mtime_ns
    code, out, _ = run("link", "bijstand", "--measures", "bijstand", workspace=demo)
    assert code == 0
    assert out == "indicators/indicators.csv:36: bijstand already measures bijstand; nothing changed\n"
    assert path.stat().st_mtime_ns == stamp


def test_linked_concept_becomes_a_measures_edge_in_the_build(demo):
    run("link", "veiligheidsmonitor", "--measures", "sociale_cohesie", workspace=demo)
    ws = verlicht.open(demo)
    ws.build()
    edges = {(e["source"], e["target"]) for e in ws.graph.edges_of("MEASURES")}
    assert ("indicator:veiligheidsmonitor", "concept:sociale_cohesie") in edges
    assert ws.assumptions(concept="sociale_cohesie")[0]["coverage"] in ("measurable", "partial")


@pytest.mark.parametrize("args, message", [
    (("link", "bijstnd", "--measures", "armoede"),
     "error: indicators/indicators.csv: unknown indicator 'bijstnd' — did you mean bijstand?"),
    (("link", "bijstand", "--measures", "armoed"),
     "error: ontology/codebook.yaml: unknown concept 'armoed' — did you mean armoede?"),
    (("link", "bijstand", "--tests", "armoede->bijstnd"),
     "error: ontology/codebook.yaml: unknown concept 'bijstnd' — did you mean bijstand?"),
    (("link", "bijstand", "--tests", "armoede"), "error: 'armoede' is not a cause->effect pair"),
    (("link", "bijstand", "--tests", "sociale_cohesie->sociale_cohesie"),
     "error: 'sociale_cohesie->sociale_cohesie' is a self-loop: an indicator tests an assumption between two "
     "concepts — name the concept 'sociale_cohesie' affects, or use --measures sociale_cohesie"),
    (("link", "bijstand", "--tracks", "13"), "error: verlicht/data/catalogue.yaml: unknown goal '13' — the goals "
                                             "are numbered 1–12; 'verlicht goals list' lists them"),
    (("link", "bijstand", "--tracks", "vier"), "error: verlicht/data/catalogue.yaml: unknown goal 'vier'"),
])
def test_link_mistakes_are_located_errors_and_change_nothing(demo, args, message):
    original = (demo / CSV).read_bytes()
    code, out, err = run(*args, workspace=demo)
    assert (code, out) == (1, "")
    assert message in err and len(err.splitlines()) == 1
    assert (demo / CSV).read_bytes() == original
    assert sorted(p.name for p in (demo / "indicators").iterdir()) == sorted(
        p.name for p in (REPO / "indicators").iterdir())  # no temporary file left behind


@pytest.mark.parametrize("args", [
    ("link", "bijstand"),
    ("link", "bijstand", "--measures", "armoede", "--tracks", "4"),
])
def test_link_needs_exactly_one_kind_of_link(demo, args):
    code, _, err = run(*args, workspace=demo)
    assert code == 1
    assert err == "error: give exactly one of --measures, --tests and --tracks — see 'verlicht link --help'\n"


def test_link_keeps_crlf_bom_quoting_and_multiline_cells_of_the_file(mini):
    path = mini / CSV
    text = ('\ufeffid,label,unit,source,measures,tests,goals,definition\r\n'
            'instroom,"Instroom ""kwetsbaar""",aantal,CBS,instroom_kwetsbaren,,1,"twee\r\nregels"\r\n'
            'cohesie,Sociale samenhang,score,"CBS, Veiligheidsmonitor",,,3\r\n'
            'kort,Kort,%,CBS,,,3')
    original = text.encode("utf-8")
    path.write_bytes(original)
    code, out, err = run("link", "cohesie", "--measures", "sociale_cohesie", workspace=mini)
    assert (code, err) == (0, "")
    assert out.startswith("indicators/indicators.csv:4: cohesie now measures")
    assert path.read_bytes() == original.replace(b"score,\"CBS, Veiligheidsmonitor\",,,3",
                                                 b"score,\"CBS, Veiligheidsmonitor\",sociale_cohesie,,3")
    run("link", "instroom", "--tracks", "4", workspace=mini)
    assert b'instroom,"Instroom ""kwetsbaar""",aantal,CBS,instroom_kwetsbaren,,1;4,"twee\r\nregels"\r\n' in \
        path.read_bytes()
    run("link", "kort", "--measures", "sociale_cohesie", workspace=mini)
    assert path.read_bytes().endswith(b"\r\nkort,Kort,%,CBS,sociale_cohesie,,3")
    for args in (("cohesie", "--measures", "sociale_cohesie"), ("instroom", "--tracks", "4"),
                 ("kort", "--measures", "sociale_cohesie")):
        assert run("link", *args, "--remove", workspace=mini)[0] == 0
    assert path.read_bytes() == original


def test_link_refuses_a_row_shorter_than_the_required_columns(mini):
    # A row of 4 of the 7 required cells was filled in silently; the build now refuses it (issue 14), and so
    # does link, which checks the catalogue it edits.
    path = mini / CSV
    text = "id,label,unit,source,goals,measures,tests\nkort,Kort,%,CBS\n"
    path.write_text(text, encoding="utf-8")
    code, _, err = run("link", "kort", "--tests", "goedkope_woningen->instroom_kwetsbaren", workspace=mini)
    assert code == 1
    assert err.startswith("error: indicators/indicators.csv:2: row has 4 fields, fewer than the 7 required "
                          "(id,label,unit,source,measures,tests,goals)")
    assert path.read_text(encoding="utf-8") == text


def test_link_refuses_a_catalogue_that_does_not_load(mini):
    path = mini / CSV
    path.write_text(path.read_text(encoding="utf-8") + "kapot,Kapot,%,CBS,onbekend,,3\n", encoding="utf-8")
    code, _, err = run("link", "cohesie", "--tracks", "4", workspace=mini)
    assert code == 1
    assert err.startswith("error: indicators/indicators.csv:4: indicator 'kapot' measures unknown concept")


# -- suggest ---------------------------------------------------------------------------------------------------


def concept(code, nl, en, *synonyms, kind="factor"):
    return Concept(code, kind, nl, en, synonyms=tuple(synonyms))


def indicator(ident, label, definition="", measures=()):
    return Indicator(ident, label, "%", "CBS", tuple(measures), (), (), "i.csv", 2, definition=definition)


class Book:
    """The part of a Codebook that suggest reads."""

    def __init__(self, *concepts):
        self.path = "ontology/codebook.yaml"
        self.concepts = {c.code: c for c in concepts}


BOOK = Book(
    concept("bijstand", "Bijstand", "Social assistance", "uitkering", "bijstandsuitkering"),
    concept("schulden", "Problematische schulden", "Problem debt", "schuldhulp", "betalingsachterstand"),
    concept("sociale_cohesie", "Sociale cohesie", "Social cohesion", "samenhang", "saamhorigheid"),
    concept("woonlasten", "Woonlasten", "Housing costs", "huur", "energierekening"),
    concept("politie", "Politie", "Police", kind="actor"),
)
INDICATORS = {i.id: i for i in (
    indicator("woonquote", "Woonquote", "Totale woonlasten als percentage van het besteedbaar inkomen",
              measures=("woonlasten",)),
    indicator("bijstandsmonitor", "Bijstandsmonitor (aandeel bijstand)",
              "Aandeel inwoners met een bijstandsuitkering"),
    indicator("schuldhulp", "Personen met problematische schulden", "Schuldsanering of betalingsachterstanden"),
    indicator("veiligheidsmonitor", "Veiligheidsmonitor", "Onveilig in de buurt; ook sociale samenhang"),
    indicator("kinderopvang", "Formele kinderopvang", "Kinderen van 0 tot 4 jaar in de opvang"),
)}


@pytest.mark.parametrize("code, best", [
    ("bijstand", "bijstandsmonitor"), ("schulden", "schuldhulp"), ("sociale_cohesie", "veiligheidsmonitor"),
])
def test_suggest_ranks_the_obvious_match_first(code, best):
    rows = suggest(BOOK, INDICATORS, concept=code)
    assert rows[0]["indicator"] == best
    assert rows[0]["command"] == f"verlicht link {best} --measures {code}"
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(0 < r["score"] <= 1 for r in rows)


def test_suggest_lists_unmeasured_concepts_with_assumption_concepts_first():
    rows = suggest(BOOK, INDICATORS, assumptions={"schulden": (1, 2), "sociale_cohesie": (3, 7)})
    order = list(dict.fromkeys(r["concept"] for r in rows))
    assert order[:2] == ["sociale_cohesie", "schulden"]
    assert "woonlasten" not in order  # measured by woonquote already
    assert rows[0]["assumptions"] == 3 and rows[0]["support"] == 7


def test_suggest_is_deterministic_and_respects_limit():
    first = suggest(BOOK, INDICATORS, limit=1)
    assert first == suggest(BOOK, INDICATORS, limit=1)
    assert all(r["rank"] == 1 for r in first)


def test_suggest_for_an_unknown_concept_names_the_close_one():
    with pytest.raises(verlicht.errors.IndicatorError) as caught:
        suggest(BOOK, INDICATORS, concept="bijstnd")
    assert str(caught.value) == "ontology/codebook.yaml: unknown concept 'bijstnd' — did you mean bijstand?"


@pytest.mark.parametrize("word, parts", [
    ("bijstandsuitkering", ["bijstand", "uitkering"]), ("energiearmoede", ["energie", "armoede"]),
    ("woonlasten", []), ("schuldhulpverlening", ["schuld", "hulpverlening"]),
])
def test_compound_split_needs_a_known_head(word, parts):
    known = {stem(w) for w in ("bijstand", "energie", "schuld", "armoede")}
    assert split_compound(word, known) == [stem(part) for part in parts]


def test_normalise_and_stem():
    assert normalise("Kinderen geboren in een gezin (0-4 jaar), coöperatie") == [
        "kinderen", "geboren", "gezin", "cooperatie"]
    assert [stem(w) for w in ("woningen", "schulden", "kinderen", "ouders", "gezondheden", "2023")] == [
        "woning", "schuld", "kind", "ouder", "gezondheid", "2023"]


def test_suggest_command_on_the_demo_and_its_command_runs(demo):
    run("build", workspace=demo)
    code, out, err = run("indicators", "suggest", "--concept", "sociale_cohesie", "--format", "json",
                         workspace=demo)
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert rows[0]["indicator"] == "veiligheidsmonitor" and rows[0]["assumptions"] >= 5
    code, out, _ = run("indicators", "suggest", "--concept", "armoede", "--format", "json", workspace=demo)
    assert json.loads(out)[0]["indicator"] == "energiearmoede"
    code, out, _ = run("indicators", "suggest", "--format", "json", "--limit", "1", workspace=demo)
    listed = json.loads(out)
    assert listed[0]["concept"] == "sociale_cohesie"  # in most assumptions of the unmeasured concepts
    assert len({r["concept"] for r in listed}) == len(listed)
    args = shlex.split(rows[0]["command"])[1:]
    code, out, _ = run(*args, workspace=demo)
    assert code == 0 and "now measures sociale_cohesie" in out


def test_suggest_says_no_good_match_instead_of_listing_incidental_words(demo):
    code, out, err = run("indicators", "suggest", "--concept", "menging_inkomensgroepen", "--format", "json",
                         workspace=demo)
    assert (code, err) == (0, "")
    [row] = json.loads(out)
    assert (row["indicator"], row["score"], row["command"], row["note"]) == (None, None, None, "no good match")
    code, out, _ = run("indicators", "suggest", "--concept", "menging_inkomensgroepen", "--min-score", "0.3",
                       "--format", "json", workspace=demo)
    below = json.loads(out)  # what the floor keeps out: "armen" (arm en rijk), a "gemengde" school, "meer geld"
    assert below and all(0.3 <= r["score"] < 0.6 for r in below)
    assert ("schooladviezen", "gemengde school") in {(r["indicator"], r["via"]) for r in below}


def test_suggest_table_shows_the_indicator_label_and_the_name_that_matched(demo):
    code, out, _ = run("indicators", "suggest", "--concept", "sociale_cohesie", workspace=demo)
    assert code == 0
    header, first = out.splitlines()[:2]
    assert header.split()[:8] == ["concept", "assumptions", "rank", "indicator", "indicator_label", "score", "via",
                                  "command"]
    assert first.split()[2:7] == ["1", "veiligheidsmonitor", "Veiligheidsmonitor", "1.0", "samenhang"]


def test_suggest_leaves_actors_out_unless_asked_for():
    assert "politie" not in {r["concept"] for r in suggest(BOOK, INDICATORS)}
    [row] = suggest(BOOK, INDICATORS, concept="politie")
    assert (row["indicator"], row["note"]) == (None, "no good match")


def test_suggest_score_is_the_share_of_a_concept_name_the_indicator_holds():
    rows = {r["indicator"]: r for r in suggest(BOOK, INDICATORS, concept="sociale_cohesie", min_score=0.0)}
    assert (rows["veiligheidsmonitor"]["score"], rows["veiligheidsmonitor"]["via"]) == (1.0, "samenhang")
    assert "kinderopvang" not in rows  # shares no word with any of its names


def test_suggest_on_the_demo_keeps_its_measured_precision_and_recall(demo):
    """tests/data/indicators/suggest/sensible.csv: the sensible pairs, marked by hand (see its README)."""
    import csv

    with (DATA / "indicators" / "suggest" / "sensible.csv").open(encoding="utf-8") as handle:
        sensible = {(row["concept"], row["indicator"]) for row in csv.DictReader(handle)}
    code, out, _ = run("indicators", "suggest", "--format", "json", workspace=demo)
    assert code == 0
    proposed = {(r["concept"], r["indicator"]) for r in json.loads(out) if r["indicator"]}
    hits = len(proposed & sensible)
    # 18 of 22 proposed, 18 of 24 sensible since stems start from spaCy's lemma table (17/21, 17/24 before)
    assert hits / len(proposed) >= 0.80 and hits / len(sensible) >= 0.74, (hits, len(proposed), len(sensible))


def test_link_edits_the_catalogue_file_that_defines_the_indicator(mini):
    extra = mini / "indicators" / "extra.csv"
    extra.write_text("id,label,unit,source,measures,tests,goals\nextra,Extra,%,CBS,,,4\n", encoding="utf-8")
    main_before = (mini / CSV).read_bytes()
    code, out, _ = run("link", "extra", "--measures", "menging", workspace=mini)
    assert (code, out) == (0, "indicators/extra.csv:2: extra now measures menging\n")
    assert extra.read_text(encoding="utf-8").endswith("extra,Extra,%,CBS,menging,,4\n")
    assert (mini / CSV).read_bytes() == main_before
