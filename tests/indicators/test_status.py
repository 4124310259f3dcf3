"""Indicator status and the goals roll-up, on series worked out by hand (tests/data/indicators/status/EXPECTED.md)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from helpers import run

from verlicht.errors import IndicatorError
from verlicht.indicators import load_indicators, load_observations
from verlicht.indicators.status import (
    display_rows,
    gap_move,
    goal_rows,
    period_start,
    sparkline,
    standing,
    status_rows,
    status_table,
    table_title,
)
from verlicht.programme import load_catalogue

DATA = Path(__file__).parent.parent / "data" / "indicators" / "status"
CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def loaded():
    indicators = load_indicators([(DATA / "indicators.csv", "indicators.csv")], set(), set(CATALOGUE.goals),
                                 CATALOGUE)
    observations = load_observations(DATA / "observations.csv", "observations.csv", set(indicators),
                                     set(CATALOGUE.areas))
    return indicators, observations


@pytest.fixture(scope="module")
def rows(loaded):
    indicators, observations = loaded
    return {row["indicator"]: row for row in status_rows(indicators, observations, CATALOGUE)}


@pytest.fixture
def workspace(mini: Path) -> Path:
    """The mini workspace with the hand-worked indicators and observations."""
    for name in ("indicators.csv", "observations.csv"):
        shutil.copyfile(DATA / name, mini / "indicators" / name)
    return mini


def pick(row, *keys):
    return tuple(row[k] for k in keys)


def test_falling_series_reaches_the_reference_so_it_improved_against_it_to_level(rows):
    row = rows["daling"]
    assert pick(row, "baseline_period", "baseline_value", "latest_period", "latest_value") == ("2023", 5, "2024", 4)
    assert pick(row, "change", "change_pct", "trend_per_year", "trend_points") == (-1, -20, -1, 6)
    assert pick(row, "reference", "reference_value", "gap", "standing") == ("daling@nederland", 4, 0, "level")
    assert pick(row, "baseline_gap", "gap_change", "gap_since_baseline") == (1, -1, "improved")
    assert row["trend_method"] == "least-squares slope per year"


def test_series_with_missing_years_gives_the_least_squares_slope_and_falls_further_behind(rows):
    row = rows["stijging"]
    assert pick(row, "change", "change_pct", "trend_per_year", "trend_points") == (-2, -3.333333, 2, 3)
    assert pick(row, "gap", "standing", "baseline_gap", "gap_change", "gap_since_baseline") == (
        -12, "worse", -10, -2, "worsened")


def test_area_better_than_the_reference_whose_lead_shrinks_has_worsened_not_narrowed(rows):
    row = rows["voorsprong"]  # lower is better: 3 against 5 at the baseline, 4 against 5 now
    assert pick(row, "baseline_gap", "gap", "gap_change", "standing", "gap_since_baseline") == (
        -2, -1, 1, "better", "worsened")
    assert pick(row, "change", "trend_per_year") == (1, -0.5)


@pytest.mark.parametrize("before, now, same, direction, expected", [
    (-2, -1, False, "lower_better", "worsened"), (2, 1, False, "lower_better", "improved"),
    (-2, -1, False, "higher_better", "improved"), (2, 1, False, "higher_better", "worsened"),
    (3, 3, False, "lower_better", "unchanged"), (0.1 + 0.2, 0.3, False, "higher_better", "unchanged"),
    (1, 2, False, "neutral", "not judged"), (None, 2, False, "lower_better", None),
    (1, None, False, "lower_better", None), (1, 2, True, "lower_better", None),
])
def test_gap_since_baseline_is_judged_by_direction(before, now, same, direction, expected):
    assert gap_move(before, now, same, direction) == expected


def test_neutral_indicator_is_not_judged_and_a_latest_baseline_has_no_change(rows):
    row = rows["neutraal"]
    assert pick(row, "change", "trend_per_year", "gap", "standing", "gap_since_baseline") == (
        None, None, -0.02, "not judged", None)
    assert "no value after the baseline yet" in row["notes"]


def test_gap_within_one_percent_of_the_reference_is_level(rows):
    assert pick(rows["gelijk"], "gap", "standing") == (0.9, "level")


def test_values_only_after_the_baseline_date_give_no_baseline(rows):
    row = rows["laat"]
    assert pick(row, "baseline_value", "latest_value", "change", "standing") == (None, 12, None, "worse")
    assert row["notes"] == ["no value at or before the baseline 2023-01-01"]


def test_indicator_without_observations_is_shown_as_no_data(rows):
    row = rows["leeg"]
    assert pick(row, "baseline_value", "latest_value", "gap", "standing", "sparkline", "series") == (
        None, None, None, None, "", [])
    assert row["notes"] == ["no data for heerlen_noord"]


def test_reference_can_be_another_area_or_another_indicator(rows):
    assert pick(rows["heerlen_ref"], "reference", "reference_value", "gap", "gap_since_baseline") == (
        "heerlen_ref@heerlen", 5, 1, None)
    assert pick(rows["andere_reeks"], "reference", "reference_value", "gap", "standing") == (
        "landelijk@nederland", 1, 1, "worse")


def test_quarters_are_placed_at_their_start_and_the_first_quarter_is_the_baseline(rows):
    row = rows["kwartaal"]
    assert pick(row, "baseline_period", "latest_period", "change") == ("2023Q1", "2023Q2", 1)
    assert row["trend_per_year"] == pytest.approx(4.0, abs=0.05)
    assert pick(row, "reference", "gap", "standing") == (None, None, None)
    assert "no reference defined" in row["notes"]


def test_indicator_baseline_date_is_used(rows):
    assert pick(rows["eigen_nulmeting"], "baseline_date", "baseline_period", "latest_period", "change") == (
        "2021-06-30", "2021", "2022", 1)


def test_period_that_cannot_be_placed_is_noted_and_left_out(rows):
    row = rows["vreemd"]
    assert row["series"] == [["2023", 5]]
    assert "periods not placed in time: ergens in 2023" in row["notes"]


@pytest.mark.parametrize("period, start", [
    ("2023", date(2023, 1, 1)), ("2023JJ00", date(2023, 1, 1)), ("2023Q3", date(2023, 7, 1)),
    ("2023KW04", date(2023, 10, 1)), ("2023-05", date(2023, 5, 1)), ("2023MM05", date(2023, 5, 1)),
    ("2023H2", date(2023, 7, 1)), ("2023-03-15", date(2023, 3, 15)), ("20230101", date(2023, 1, 1)),
    ("2022/2023", date(2022, 8, 1)), ("2022/'23", date(2022, 8, 1)), ("1 januari 2023", date(2023, 1, 1)),
    ("2023-13", None), ("2023Q5", None), ("ergens", None), ("", None),
])
def test_period_start(period, start):
    assert period_start(period) == start


@pytest.mark.parametrize("values, line", [
    ([1, 2, 3, 2], "▁▅█▅"), ([0, 7], "▁█"), ([5, 5, 5], "▄▄▄"), ([], ""), ([-3, -1, -2], "▁█▅"),
    ([1, 2, 3, 4, 5, 6, 7, 8], "▁▂▃▄▅▆▇█"), ([None, 1, None, 3], " ▁ █"), ([None, None], "  "),
])
def test_sparkline_spans_lowest_to_highest_with_a_space_for_a_missing_year(values, line):
    assert sparkline(values) == line


@pytest.mark.parametrize("values, line", [
    ([56000, 56050, 56100], "▄▅▅"),  # 0.2 % more inhabitants: not the full height
    ([90.2, 90.5, 90.9], "▄▄▅"),  # within 10 % of the mean
    ([5.0, 5.2, 5.4], "▂▄▇"),  # a range of 0.4 on a scale of 0.52 (10 % of 5.2), centred
    ([5.0, 5.2, 5.6], "▁▃█"),  # a range of 0.6, more than 10 % of the mean: the whole height
    ([0, 0.01], "▁█"),  # a mean of nought leaves the range
])
def test_sparkline_keeps_small_moves_in_large_numbers_small(values, line):
    assert sparkline(values) == line


def test_sparklines_share_one_year_axis_from_2018_to_the_latest_year(rows):
    assert {tuple(row["sparkline_years"]) for row in rows.values()} == {(2018, 2024)}
    assert rows["stijging"]["sparkline"] == "▁ ▄  █▇"  # 2018, 2020, 2023, 2024: spaces for the years between
    assert rows["kwartaal"]["sparkline"] == "    ▁█ "  # 2022Q4, then 2023Q2 (the last of 2023)
    assert rows["laat"]["sparkline"] == "      ▄"
    assert rows["leeg"]["sparkline"] == ""


@pytest.mark.parametrize("gap, reference, direction, expected", [
    (2.0, 10.0, "higher_better", "better"), (-2.0, 10.0, "higher_better", "worse"),
    (2.0, 10.0, "lower_better", "worse"), (-2.0, 10.0, "lower_better", "better"),
    (0.1, 10.0, "lower_better", "level"), (-0.1, 10.0, "higher_better", "level"),
    (0.11, 10.0, "higher_better", "better"), (5.0, 10.0, "neutral", "not judged"),
    (0.0, 0.0, "lower_better", "level"), (None, 10.0, "lower_better", None), (1.0, None, "lower_better", None),
])
def test_standing_follows_direction(gap, reference, direction, expected):
    assert standing(gap, reference, direction) == expected


def test_goals_roll_up_counts_each_indicator_once_per_goal_and_theme(loaded):
    indicators, observations = loaded
    rows = {(r["scope"], r["id"]): r for r in goal_rows(indicators, observations, CATALOGUE)}
    counts = ("indicators", "with_data", "better", "worse", "level", "not_judged", "no_reference", "improved",
              "worsened", "no_data")
    assert pick(rows[("goal", "4")], *counts) == (2, 2, 0, 1, 1, 0, 0, 1, 1, 0)
    assert pick(rows[("goal", "9")], *counts) == (3, 2, 0, 1, 1, 0, 0, 0, 0, 1)
    assert pick(rows[("goal", "11")], *counts) == (3, 3, 0, 0, 0, 0, 3, 0, 0, 0)
    assert pick(rows[("goal", "1")], *counts) == (1, 1, 0, 0, 0, 1, 0, 0, 0, 0)
    assert pick(rows[("goal", "8")], *counts) == (1, 1, 1, 0, 0, 0, 0, 0, 1, 0)
    assert pick(rows[("theme", "werk_en_bestaanszekerheid")], *counts) == (4, 4, 0, 3, 1, 0, 0, 1, 1, 0)
    assert pick(rows[("theme", "talentontwikkeling")], *counts) == (4, 4, 0, 1, 0, 0, 3, 0, 1, 0)
    assert rows[("goal", "4")]["indicator_ids"] == ["daling", "stijging"]


def test_goals_roll_up_lists_themes_in_report_order_each_followed_by_its_goals(loaded):
    rows = goal_rows(*loaded, CATALOGUE, lang="en")
    order = [(r["scope"], r["id"]) for r in rows]
    assert order[:6] == [("theme", "talentontwikkeling"), ("goal", "6"), ("goal", "7"), ("goal", "10"),
                         ("goal", "11"), ("goal", "12")]
    assert [i for s, i in order if s == "theme"] == ["talentontwikkeling", "wonen_en_leefomgeving",
                                                     "werk_en_bestaanszekerheid", "leefbaarheid_en_veiligheid"]
    assert rows[0]["text"] == rows[0]["short"] == "Talent development and health"
    four = rows[order.index(("goal", "4"))]
    assert four["text"].startswith("The share of people on social assistance")
    assert (four["short"], four["area_label"]) == ("Less social assistance", "Heerlen-Noord")


def test_filters_by_goal_and_theme_and_checks_them(loaded):
    indicators, observations = loaded
    assert [r["indicator"] for r in status_rows(indicators, observations, CATALOGUE, goal=5)] == [
        "heerlen_ref", "andere_reeks"]
    by_label = status_rows(indicators, observations, CATALOGUE, theme="Werk en bestaanszekerheid")
    assert [r["indicator"] for r in by_label] == ["daling", "stijging", "heerlen_ref", "andere_reeks"]
    with pytest.raises(IndicatorError, match="unknown goal 13"):
        status_rows(indicators, observations, CATALOGUE, goal=13)
    with pytest.raises(IndicatorError) as caught:
        status_rows(indicators, observations, CATALOGUE, theme="wonen")
    assert "wonen_en_leefomgeving" in caught.value.hint


def test_other_area_is_compared_with_the_same_reference(loaded):
    indicators, observations = loaded
    row = next(r for r in status_rows(indicators, observations, CATALOGUE, area="heerlen")
               if r["indicator"] == "heerlen_ref")
    assert pick(row, "latest_value", "reference_value", "gap", "standing") == (5, 5, 0, "level")


def test_table_cells_show_value_and_period_signed_changes_and_the_sparkline(rows):
    shown = {r["indicator"]: r for r in display_rows(list(rows.values()))}
    assert shown["daling"] == {
        "indicator": "daling", "unit": "%", "baseline": "5 (2023)", "latest": "4 (2024)", "change": "-1",
        "trend/yr": "-1", "reference": "4", "gap": "0", "standing": "level", "gap since baseline": "improved",
        "series": "█▇▆▅▃▂▁", "note": "",
    }
    assert shown["stijging"]["gap"] == "-12" and shown["stijging"]["trend/yr"] == "+2"


def test_nothing_to_show_is_one_dash_and_the_note_says_why(rows):
    shown = {r["indicator"]: r for r in display_rows(list(rows.values()))}
    leeg = shown["leeg"]
    assert {leeg[c] for c in ("baseline", "latest", "change", "trend/yr", "reference", "gap", "standing",
                              "gap since baseline", "series")} == {"–"}
    assert leeg["note"] == "no data"
    assert (shown["kwartaal"]["reference"], shown["kwartaal"]["note"]) == ("–", "no reference defined")
    assert (shown["laat"]["baseline"], shown["laat"]["note"]) == ("–", "no value at or before the baseline 2023-01-01")
    assert shown["neutraal"]["gap since baseline"] == "–"
    assert shown["neutraal"]["note"] == "no value after the baseline yet"


def test_status_table_names_its_sparkline_column_after_the_years(rows):
    columns, cells = status_table(list(rows.values()))
    assert columns[-2:] == ["2018–2024", "note"]
    assert cells[0]["2018–2024"] == "█▇▆▅▃▂▁" and "series" not in cells[0]


def test_missing_reference_value_for_the_period_is_noted_apart_from_no_reference(tmp_path):
    obs = tmp_path / "observations.csv"
    obs.write_text("indicator,area,period,value\ndaling,heerlen_noord,2023,5\ndaling,heerlen_noord,2024,4\n"
                   "daling,nederland,2023,4\n", encoding="utf-8")
    indicators = load_indicators([(DATA / "indicators.csv", "indicators.csv")], set(), set(CATALOGUE.goals),
                                 CATALOGUE)
    observations = load_observations(obs, "observations.csv", set(indicators), set(CATALOGUE.areas))
    [row] = status_rows({"daling": indicators["daling"]}, observations, CATALOGUE)
    assert row["notes"] == ["no reference value for 2024 (daling@nederland)"]
    assert display_rows([row])[0]["reference"] == "–"


@pytest.mark.parametrize("kind, lang, title", [
    ("indicators", "nl", "Indicatoren van Vrieheide e.o. t.o.v. de referentie"),
    ("indicators", "en", "Indicators of Vrieheide e.o. against the reference"),
    ("goals", "nl", "Doelen: waar Vrieheide e.o. staat"), ("goals", "en", "Goals: where Vrieheide e.o. stands"),
])
def test_table_titles_name_the_area_by_its_label_in_the_language_asked(kind, lang, title):
    assert table_title(kind, CATALOGUE.areas["vrieheide"].label, lang) == title


def test_status_command_as_table_json_and_csv(workspace):
    code, out, err = run("indicators", "status", workspace=workspace)
    assert (code, err) == (0, "")
    daling = next(line for line in out.splitlines() if line.startswith("daling"))
    assert daling.split() == ["daling", "%", "5", "(2023)", "4", "(2024)", "-1", "-1", "4", "0", "level",
                              "improved", "█▇▆▅▃▂▁"]
    assert out.splitlines()[0].split()[-2:] == ["2018–2024", "note"]
    code, out, _ = run("indicators", "status", "--goal", "4", "--format", "json", workspace=workspace)
    assert code == 0
    data = json.loads(out)
    assert [r["indicator"] for r in data] == ["daling", "stijging"]
    assert data[1]["series"] == [["2018", 50.0], ["2020", 54.0], ["2023", 60.0], ["2024", 58.0]]
    code, out, _ = run("indicators", "status", "--theme", "talentontwikkeling", "--format", "csv",
                       workspace=workspace)
    assert out.splitlines()[0].startswith("indicator,label,unit,direction,area,baseline_date")
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["stijging", "kwartaal", "eigen_nulmeting",
                                                                    "vreemd"]


def test_goals_status_command_in_english(workspace):
    code, out, err = run("goals", "status", "--lang", "en", "--format", "csv", workspace=workspace)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == ("scope,id,short,text,indicators,better,worse,level,not_judged,no_reference,improved,"
                        "worsened,no_data")
    assert lines[1] == ("theme,talentontwikkeling,Talent development and health,Talent development and health,"
                        "4,0,1,0,0,3,0,1,0")
    assert lines[8].startswith('goal,1,Suitable housing,"The share of residents living in suitable, sustainable')


def test_goals_status_table_shows_short_labels_and_its_help_explains_the_counts(workspace):
    code, out, _ = run("goals", "status", workspace=workspace)
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split()[:3] == ["scope", "id", "short"] and "text" not in header.split()
    assert any(row.split()[:4] == ["goal", "4", "Minder", "bijstand"] for row in rows)
    assert not any("daalt naar het landelijk gemiddelde" in row for row in rows)
    code, out, _ = run("goals", "status", "--help")
    for word in ("level", "not_judged", "no_reference", "improved, worsened", "no_data", "better, worse"):
        assert word in out
    assert "concept labels" not in out


@pytest.mark.parametrize("args, message", [
    (("indicators", "status", "--area", "vrieheid"), "error: unknown area 'vrieheid' — did you mean vrieheide?"),
    (("indicators", "status", "--goal", "13"), "error: unknown goal 13 — the goals are numbered 1–12"),
    (("goals", "status", "--area", "maastricht"), "error: unknown area 'maastricht' — use an area id"),
])
def test_status_mistakes_are_one_line_errors(workspace, args, message):
    code, out, err = run(*args, workspace=workspace)
    assert code == 1 and out == ""
    assert err.startswith(message)


def test_status_without_observations_or_indicators_shows_no_data_not_a_crash(workspace):
    (workspace / "indicators" / "observations.csv").unlink()
    code, out, _ = run("indicators", "status", "--format", "json", workspace=workspace)
    assert code == 0
    assert {r["latest_value"] for r in json.loads(out)} == {None}
    code, out, _ = run("goals", "status", "--format", "json", workspace=workspace)
    assert code == 0 and json.loads(out)[0]["no_data"] == 4  # talentontwikkeling
    shutil.rmtree(workspace / "indicators")
    code, out, err = run("indicators", "status", workspace=workspace)
    assert (code, out, err) == (0, "", "(no rows)\n")


def test_demo_status_has_baseline_latest_and_reference_for_the_main_indicators(demo):
    code, out, _ = run("indicators", "status", "--format", "json", workspace=demo)
    assert code == 0
    rows = {r["indicator"]: r for r in json.loads(out)}
    main = ("bijstand", "werkende_armen", "startkwalificatie", "laag_geboortegewicht", "geregistreerde_misdrijven",
            "jeugdzorg", "onderwijsachterstanden")
    for name in main:
        row = rows[name]
        assert row["baseline_period"] == "2023" and row["latest_period"] == "2024", name
        assert row["standing"] in ("better", "worse", "level") and row["gap_since_baseline"], name
        assert row["trend_points"] >= 5 and len(row["sparkline"]) >= 6, name
