"""The inline SVG charts: what they draw, their axis and their number format."""

from __future__ import annotations

import doctest
import re

from hypothesis import given
from hypothesis import strategies as st

from verlicht.viz import charts

SERIES = [["2018", 10.4], ["2019", 10.1], ["2020", 10.3], ["2021", 10.0], ["2022", 9.6], ["2023", 9.4], ["2024", 9.1]]
REFERENCE = [["2018", 4.5], ["2023", 4.1], ["2024", 4.1]]


def _chart(series=SERIES, reference=REFERENCE) -> str:
    return charts.line_chart(series, reference, "2023-01-01", title="Bijstand (%)", desc="Heerlen-Noord 9,1",
                             area_label="Heerlen-Noord", reference_label="Nederland", baseline_label="nulmeting",
                             ident="c-bijstand")


def test_docstring_examples_hold():
    assert doctest.testmod(charts).failed == 0


def test_line_chart_draws_a_marker_per_value_and_the_reference_dashed():
    svg = _chart()
    assert svg.count("<circle") == len(SERIES) + 1  # one per value, one in the legend
    assert svg.count('<rect x=') - 1 == len(REFERENCE) + 1  # background, squares, legend square
    assert svg.count('stroke-dasharray="6 4"') == 2  # the reference line and its legend sample
    assert '<title id="c-bijstand-t">Bijstand (%)</title><desc id="c-bijstand-d">Heerlen-Noord 9,1</desc>' in svg
    assert 'role="img" aria-labelledby="c-bijstand-t c-bijstand-d"' in svg


def test_line_chart_axis_has_round_values_covering_both_series():
    labels = re.findall(r'text-anchor="end" font-size="11" fill="#1a1a1a">([\d,.-]+)</text>', _chart())
    assert labels[:-1] == ["4", "6", "8", "10", "12"]  # then the last year, also anchored at its end


def test_line_chart_marks_the_baseline_and_the_first_and_last_year():
    svg = _chart()
    assert ">nulmeting</text>" in svg and ">2018</text>" in svg and ">2024</text>" in svg


def test_line_chart_without_data_says_so():
    svg = _chart(series=[], reference=[])
    assert "<polyline" not in svg and ">Heerlen-Noord 9,1</text>" in svg


def test_status_bar_leaves_out_empty_segments_and_writes_counts():
    svg = charts.status_bar([("better", 1, "beter"), ("level", 0, "gelijk"), ("worse", 3, "slechter")], "t", "d")
    assert svg.count("<rect") == 2
    assert re.findall(r'font-weight="bold" fill="(#[0-9a-f]+)">(\d+)</text>', svg) == [("#ffffff", "1"),
                                                                                          ("#ffffff", "3")]


def test_numbers_read_as_people_write_them():
    assert charts.number(1234.5) == "1.234,5"
    assert charts.number(1234.5, "en") == "1,234.5"
    assert charts.number(-0.004, signed=True) == "-0,004"
    assert charts.number(0.0, signed=True) == "0"


finite = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False, allow_infinity=False)


@given(finite, finite)
def test_axis_values_are_round_increasing_and_cover_the_range(a: float, b: float):
    low, high = min(a, b), max(a, b)
    ticks = charts.nice_ticks(low, high)
    assert 2 <= len(ticks) <= 6
    assert ticks == sorted(set(ticks))
    slack = 1e-6 * max(high - low, abs(low), abs(high))  # float noise, invisible on a 190-pixel axis
    assert ticks[0] <= low + slack and ticks[-1] >= high - slack


@given(st.lists(st.tuples(st.integers(2000, 2030), finite), min_size=1, max_size=12))
def test_every_point_of_a_line_chart_lies_inside_its_frame(points):
    series = [[str(year), value] for year, value in points]
    svg = charts.line_chart(series, [], "2023-01-01", title="t", desc="d", area_label="a", reference_label="r",
                            baseline_label="b")
    for x, y in re.findall(r'<circle cx="([-\d.]+)" cy="([-\d.]+)"', svg):
        assert 0 <= float(x) <= 360 and 0 <= float(y) <= 190
