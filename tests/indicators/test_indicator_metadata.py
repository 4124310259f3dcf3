"""Indicator metadata columns: defaults for old files, every column read, located errors with hints."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import verlicht
from verlicht.errors import IndicatorError
from verlicht.indicators import load_indicators
from verlicht.indicators.tables import CATALOGUE_COLUMNS, DIRECTIONS, METADATA_COLUMNS
from verlicht.programme import load_catalogue

DATA = Path(__file__).parent.parent / "data" / "indicators"
REPO = Path(__file__).parent.parent.parent
CATALOGUE = load_catalogue()
CONCEPTS = {"bijstand", "schulden", "stress"}
GOALS = set(CATALOGUE.goals)
HEADER = ",".join((*CATALOGUE_COLUMNS, *METADATA_COLUMNS)) + "\n"


def load(path: Path, shown: str = "i.csv"):
    return load_indicators([(path, shown)], CONCEPTS, GOALS, CATALOGUE)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "i.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_seven_column_file_loads_with_the_defaults():
    found = load(DATA / "good.csv")
    bijstand = found["bijstand"]
    assert (bijstand.direction, bijstand.baseline, bijstand.definition) == ("neutral", "2023-01-01", "")
    assert (bijstand.cbs_table, bijstand.cbs_measure) == ("", "")
    assert bijstand.reference == "bijstand@nederland"
    assert bijstand.themes == ("werk_en_bestaanszekerheid",)


def test_metadata_columns_are_read():
    found = load(DATA / "metadata.csv")
    inwoners = found["inwoners"]
    assert (inwoners.definition, inwoners.direction) == ("Inwoners op 1 januari", "neutral")
    assert (inwoners.cbs_table, inwoners.cbs_measure) == ("85984NED", "AantalInwoners_5")
    assert inwoners.reference == ""
    assert found["bijstand"].baseline == "2022-01-01"
    assert found["bijstand"].direction == "lower_better"


def test_themes_default_to_the_goals_themes_in_catalogue_order():
    found = load(DATA / "metadata.csv")
    # goals 5 (werk) and 10 (talent) would give two themes; the explicit cell wins
    assert found["schuld"].themes == ("werk_en_bestaanszekerheid",)
    assert found["inwoners"].themes == ("wonen_en_leefomgeving",)
    assert found["startkwalificatie"].themes == ("talentontwikkeling", "leefbaarheid_en_veiligheid")
    assert found["nationaal_schuld"].themes == ()


def test_reference_is_an_area_an_indicator_or_indicator_at_area():
    found = load(DATA / "metadata.csv")
    assert found["opvang"].reference == "opvang@heerlen"
    assert found["schuld"].reference == "nationaal_schuld@nederland"  # defined on a later line
    assert found["startkwalificatie"].reference == "opvang@heerlen_zuid"
    assert found["nationaal_schuld"].reference == ""


@pytest.mark.parametrize("cells, message, hint", [
    ({"direction": "lower_beter"}, "direction 'lower_beter'", "did you mean lower_better?"),
    ({"direction": "up"}, "direction 'up'", "use one of: higher_better, lower_better, neutral"),
    ({"cbs_table": "8598NED"}, "not a CBS table id", "85984NED"),
    ({"cbs_measure": "AantalInwoners_5"}, "but no cbs_table", "fill in the table"),
    ({"cbs_table": "85984NED", "cbs_measure": "Aantal inwoners"}, "not a measure key", "AantalInwoners_5"),
    ({"baseline": "01-01-2023"}, "baseline '01-01-2023', not a date", "YYYY-MM-DD"),
    ({"baseline": "2023-02-30"}, "baseline '2023-02-30', not a date", "YYYY-MM-DD"),
    ({"themes": "wonen_leefomgeving"}, "unknown theme 'wonen_leefomgeving'", "did you mean wonen_en_leefomgeving?"),
    ({"reference": "nederlnd"}, "neither an area nor an indicator", "did you mean nederland?"),
    ({"reference": "bijstnd@nederland"}, "refers to unknown indicator 'bijstnd'", "did you mean bijstand?"),
    ({"reference": "bijstand@maastricht"}, "refers to unknown area 'maastricht'", "nederland"),
])
def test_bad_metadata_is_a_located_error_with_a_hint(tmp_path, cells, message, hint):
    values = dict.fromkeys((*CATALOGUE_COLUMNS, *METADATA_COLUMNS), "")
    values.update(id="x", label="X", goals="4", **cells)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["bijstand", "Bijstand", "%", "CBS", "", "", "4"] + [""] * len(METADATA_COLUMNS))
    writer.writerow(values.values())
    path = write(tmp_path, HEADER + buffer.getvalue())
    with pytest.raises(IndicatorError) as caught:
        load(path)
    assert str(caught.value.location) == "i.csv:3"
    assert message in caught.value.message
    assert hint in caught.value.hint


def test_unknown_column_is_an_error_naming_the_close_one(tmp_path):
    path = write(tmp_path, "id,label,unit,source,measures,tests,goals,direktion\nx,X,%,CBS,,,4,lower_better\n")
    with pytest.raises(IndicatorError) as caught:
        load(path)
    assert str(caught.value) == "i.csv:1: unknown column 'direktion' — did you mean direction?"


def test_hint_names_only_the_nearest_match():
    from verlicht.indicators.tables import close_matches

    assert close_matches("nederlnd", ["nederland", "heerlen", "heerlen_zuid"]) == ["nederland"]
    assert close_matches("maastricht", ["nederland", "heerlen"]) == []


def test_column_given_twice_is_an_error(tmp_path):
    path = write(tmp_path, "id,label,unit,source,measures,tests,goals,unit\nx,X,%,CBS,,,4,%\n")
    with pytest.raises(IndicatorError, match="column 'unit' appears twice"):
        load(path)


def test_without_a_catalogue_references_and_themes_are_taken_as_written():
    found = load_indicators([(DATA / "metadata.csv", "m.csv")], CONCEPTS, GOALS)
    assert found["opvang"].reference == "opvang@heerlen"
    assert found["inwoners"].themes == ()


METADATA_CELLS = {
    "direction": st.sampled_from([*DIRECTIONS, "", "hoger", "Lower_better"]),
    "cbs_table": st.sampled_from(["", "85984NED", "85984", "ned", "47022ned"]),
    "cbs_measure": st.sampled_from(["", "AantalInwoners_5", "M000352", "5_x", "a b"]),
    "reference": st.sampled_from(["", "none", "-", "nederland", "heerlen", "a", "b@nederland", "a@", "@", "x@y"]),
    "baseline": st.sampled_from(["", "2023-01-01", "2023", "2023-13-01", "1-1-2023"]),
    "themes": st.sampled_from(["", "talentontwikkeling", "wonen", ";", "talentontwikkeling;wonen_en_leefomgeving"]),
}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries(METADATA_CELLS), min_size=1, max_size=3))
def test_fuzzed_metadata_gives_indicators_or_a_located_error(tmp_path_factory, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for number, cells in enumerate(rows):
        writer.writerow(["ab"[number % 2] + str(number), "X", "%", "CBS", "", "", "4", "", *cells.values()])
    path = tmp_path_factory.mktemp("meta") / "i.csv"
    path.write_text(",".join((*CATALOGUE_COLUMNS, "definition", *METADATA_CELLS)) + "\n" + buffer.getvalue(),
                    encoding="utf-8")
    try:
        found = load(path)
    except IndicatorError as exc:
        assert exc.location is not None and exc.location.line is not None
    else:
        for ind in found.values():
            assert ind.direction in DIRECTIONS
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", ind.baseline)
            assert not ind.reference or ind.reference.split("@")[1] in CATALOGUE.areas


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def test_demo_catalogue_holds_every_core_indicator_of_bijlage_1_with_metadata():
    """bijlage1.txt is Bijlage 1 of the monitoring report medio 2024 as its text layer gives it (35 entries)."""
    found = load_indicators([(REPO / "indicators" / "indicators.csv", "indicators.csv")],
                            _demo_concepts(), GOALS, CATALOGUE)
    labels = [_words(ind.label) for ind in found.values()]
    entries = (DATA / "bijlage1.txt").read_text(encoding="utf-8").splitlines()
    assert len(entries) == 35
    assert [e for e in entries if not any(label.startswith(_words(e)) for label in labels)] == []
    assert all(ind.definition and ind.unit and ind.goals and ind.themes for ind in found.values())
    assert {ind.direction for ind in found.values()} == set(DIRECTIONS)
    assert found["inwoners"].cbs_table == "85984NED" and found["inwoners"].cbs_measure == "AantalInwoners_5"
    assert found["bijstand"].reference == "bijstand@nederland"
    assert found["inwoners"].reference == ""  # counts are not compared with the national figure


def test_demo_counts_of_dwellings_do_not_measure_retrofitting():
    """A stock of dwellings says nothing about how many were insulated: no 'measures' link to a process."""
    demo = load_indicators([(REPO / "indicators" / "indicators.csv", "indicators.csv")], _demo_concepts(), GOALS,
                           CATALOGUE)
    template = load_indicators([(REPO / "verlicht" / "templates" / "workspace" / "indicators" / "indicators.csv",
                                 "t.csv")], _demo_concepts(), GOALS, CATALOGUE)
    assert demo["woningvoorraad"].measures == template["woningvoorraad"].measures == ()
    assert not [ind.id for ind in demo.values() if "verduurzaming_woningen" in ind.measures]


def test_template_catalogue_loads_with_the_template_codebook():
    template = REPO / "verlicht" / "templates" / "workspace"
    codebook = verlicht.codebook.load_codebook(template / "ontology" / "codebook.yaml")
    found = load_indicators([(template / "indicators" / "indicators.csv", "t.csv")], set(codebook.concepts),
                            GOALS, CATALOGUE)
    assert len(found) == 37
    assert found["verhuizingen"].measures == ("verloop_bewoners",)


def test_build_carries_the_metadata_onto_indicator_nodes(demo):
    ws = verlicht.open(demo)
    ws.build()
    node = ws.graph.nodes["indicator:bijstand"]
    assert (node["direction"], node["reference"], node["baseline"]) == ("lower_better", "bijstand@nederland",
                                                                        "2023-01-01")
    assert node["themes"] == ["werk_en_bestaanszekerheid"]
    assert node["definition"].startswith("Aandeel inwoners van 18 jaar")
    inwoners = ws.graph.nodes["indicator:inwoners"]
    assert (inwoners["cbs_table"], inwoners["cbs_measure"], inwoners["reference"]) == (
        "85984NED", "AantalInwoners_5", "")


def _demo_concepts() -> set[str]:
    return set(verlicht.codebook.load_codebook(REPO / "ontology" / "codebook.yaml").concepts)
