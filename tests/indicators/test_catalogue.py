"""Indicator catalogue and observations: references checked, located errors, fuzzing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verlicht.errors import IndicatorError
from verlicht.indicators import load_indicators, load_observations

DATA = Path(__file__).parent.parent / "data" / "indicators"
CONCEPTS = {"bijstand", "schulden", "stress"}
GOALS = set(range(1, 13))
HEADER = "id,label,unit,source,measures,tests,goals\n"


def load(path: Path, shown: str = "i.csv"):
    return load_indicators([(path, shown)], CONCEPTS, GOALS)


def write(tmp_path: Path, text: str, name: str = "i.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_catalogue_reads_measures_tests_and_goals():
    found = load(DATA / "good.csv")
    assert found["schuld"].measures == ("schulden",)
    assert found["schuld"].tests == (("schulden", "stress"),)
    assert found["schuld"].goals == (4, 5)
    assert (found["bijstand"].path, found["bijstand"].line) == ("i.csv", 2)


def test_observations_read_decimal_comma_and_point():
    rows = load_observations(DATA / "observations.csv", "o.csv", {"bijstand"}, {"heerlen_noord", "nederland"})
    assert [(r.area, r.value) for r in rows] == [("heerlen_noord", 9.1), ("nederland", 4.2)]


@pytest.mark.parametrize("row, message, hint", [
    ("x,X,%,CBS,onbekend,,4", "measures unknown concept 'onbekend'", "codebook"),
    ("x,X,%,CBS,,bijstand,4", "not a cause->effect pair", "->"),
    ("x,X,%,CBS,,bijstand->onbekend,4", "tests unknown concept 'onbekend'", "codebook"),
    ("x,X,%,CBS,,,13", "unknown goal '13'", "1–12"),
    ("x,X,%,CBS,,,vier", "unknown goal 'vier'", "1–12"),
    (",X,%,CBS,,,4", "indicator without an id", "id"),
    ("x,X,%,CBS,,,4,extra", "more fields than the header", "quote"),
])
def test_bad_catalogue_rows_are_located_errors(tmp_path, row, message, hint):
    path = write(tmp_path, HEADER + "ok,OK,%,CBS,bijstand,,4\n" + row + "\n")
    with pytest.raises(IndicatorError) as caught:
        load(path)
    assert str(caught.value.location) == "i.csv:3"
    assert message in caught.value.message
    assert hint in caught.value.hint


def test_missing_column_names_the_header(tmp_path):
    path = write(tmp_path, "id,label,unit,source,measures\nx,X,%,CBS,bijstand\n")
    with pytest.raises(IndicatorError) as caught:
        load(path)
    assert "tests, goals" in caught.value.message
    assert caught.value.hint == "the header must be: id,label,unit,source,measures,tests,goals"


def test_duplicate_indicator_across_files_names_the_first(tmp_path):
    first = write(tmp_path, HEADER + "x,X,%,CBS,,,4\n", "a.csv")
    second = write(tmp_path, HEADER + "x,X,%,CBS,,,4\n", "b.csv")
    with pytest.raises(IndicatorError, match=r"defined twice \(first at a.csv:2\)"):
        load_indicators([(first, "a.csv"), (second, "b.csv")], CONCEPTS, GOALS)


@pytest.mark.parametrize("row, message", [
    ("onbekend,heerlen_noord,2023,1", "unknown indicator 'onbekend'"),
    ("bijstand,maastricht,2023,1", "unknown area 'maastricht'"),
    ("bijstand,heerlen_noord,2023,.", "value '.' is not a number"),
    ("bijstand,heerlen_noord,2023,nan", "not a finite number"),
    ("bijstand,heerlen_noord,,1", "without a period"),
    ("bijstand,nederland,2023,5", "second value for bijstand in nederland, 2023 (first on line 3)"),
])
def test_bad_observations_are_located_errors(tmp_path, row, message):
    path = write(tmp_path, "indicator,area,period,value\nbijstand,heerlen_noord,2022,1\nbijstand,nederland,2023,4\n"
                 + row + "\n", "o.csv")
    with pytest.raises(IndicatorError) as caught:
        load_observations(path, "o.csv", {"bijstand"}, {"heerlen_noord", "nederland"})
    assert str(caught.value.location) == "o.csv:4"
    assert message in caught.value.message


def test_cp1252_file_is_reported_not_crashed(tmp_path):
    path = tmp_path / "i.csv"
    path.write_bytes((HEADER + "x,Werkende armen \u2013 aandeel,%,CBS,,,5\n").encode("cp1252"))
    with pytest.raises(IndicatorError, match="not UTF-8"):
        load(path)


CELLS = st.one_of(st.sampled_from(["bijstand", "schulden->stress", "4", "4;5", "", "x", "->", ";", "13", "a->",
                                   "bijstand;onbekend", '"', "\r"]), st.text(max_size=6))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=0, max_size=9), max_size=5), st.booleans())
def test_fuzzed_catalogue_gives_indicators_or_an_indicator_error(tmp_path_factory, rows, header):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if header:
        writer.writerow(["id", "label", "unit", "source", "measures", "tests", "goals"])
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("ind") / "i.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        found = load(path)
    except IndicatorError as exc:
        assert exc.location is not None
    else:
        for indicator in found.values():
            assert set(indicator.measures) <= CONCEPTS
            assert set(indicator.goals) <= GOALS


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_fuzzed_bytes_as_observations_never_crash(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("obs") / "o.csv"
    path.write_bytes(b"indicator,area,period,value\n" + data)
    try:
        load_observations(path, "o.csv", {"bijstand"}, {"nederland"})
    except IndicatorError as exc:
        assert exc.location is not None
