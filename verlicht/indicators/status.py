"""Where an area stands per indicator: baseline, latest value, trend, and the gap to the national reference.

The programme's goals mostly read "grows/falls to the national average", so every indicator is judged
against a reference series (by default the same indicator in ``nederland``; see the catalogue's
``reference`` column) and by its ``direction``.

How the numbers are made (and what a test can check by hand):

* **Periods are placed at their start**: ``2023`` at 2023-01-01, ``2023Q2`` at 2023-04-01, ``2023-05`` at
  2023-05-01, ``2023H2`` at 2023-07-01, a school year ``2022/2023`` at 2022-08-01. CBS codes
  (``2023JJ00``, ``2023KW02``, ``2023MM05``, ``20230101``) are read too. Periods that cannot be placed are
  listed in ``unplaced`` and left out.
* **Baseline**: the value of the latest period that starts on or before the indicator's baseline date
  (default 2023-01-01, the programme's nulmeting), so the yearly figure for 2023 is the baseline. None
  when all periods start later.
* **Latest**: the value of the last period. **Change** is latest minus baseline (``change_pct`` relative to
  the baseline); none while the latest period is the baseline period.
* **Trend**: the least-squares slope per year over the periods starting in 2018–2023 (at least two).
* **Gap**: the area's value minus the reference series' value *for the same period*; no reference value
  for that period means no gap. **Standing** by direction: ``better`` or ``worse``, ``level`` when the gap
  is at most 1 % of the reference value, ``not judged`` for ``neutral`` indicators.
* **Gap since baseline**: how the area moved against the reference since the baseline, judged by
  direction: ``gap_change`` is the latest gap minus the baseline gap, and ``gap_since_baseline`` is
  ``improved`` when that moved the good way (up for ``higher_better``, down for ``lower_better``),
  ``worsened`` the other way, ``unchanged`` when equal, ``not judged`` for ``neutral`` indicators; none
  when either gap is missing or the latest period is the baseline period. (A gap that "narrows" is no
  news by itself: when the area is better than the reference, a narrowing gap means it lost ground.)
* **Sparkline**: one character per year on a fixed axis from 2018 to the latest year of the rows shown,
  the last value of each year, a space for a year without one. It is scaled to the larger of the row's
  own range and 10 % of the row's mean, so a tiny move in a large number stays a tiny move.

>>> sparkline([1, 2, 3, 2])
'▁▅█▅'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from verlicht.errors import IndicatorError
from verlicht.indicators.tables import Indicator, Observation, close_match_hint

if TYPE_CHECKING:
    from verlicht.programme import Catalogue
    from verlicht.workspace import Layout

DEFAULT_AREA = "heerlen_noord"
TREND_FROM, TREND_TO = 2018, 2023
TREND_METHOD = "least-squares slope per year"
LEVEL_TOLERANCE = 0.01  # a gap of at most 1 % of the reference value counts as level
SPARKS = "▁▂▃▄▅▆▇█"
SPARK_FROM = TREND_FROM  # the sparkline's first year; its last is the latest year in the data
SPARK_MIN_SPAN = 0.10  # a sparkline spans at least 10 % of the row's mean value
STANDINGS = ("better", "worse", "level", "not judged")
GAP_MOVES = ("improved", "worsened", "unchanged", "not judged")
NO_DATA = "no data"
NOTHING = "–"  # the one table cell for "nothing to show"; the row's note says why

_MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
}
_PATTERNS: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"(\d{4})(?:JJ00)?"), lambda y: (int(y), 1, 1)),
    (re.compile(r"(\d{4})-?Q([1-4])"), lambda y, q: (int(y), 3 * int(q) - 2, 1)),
    (re.compile(r"(\d{4})KW0([1-4])"), lambda y, q: (int(y), 3 * int(q) - 2, 1)),
    (re.compile(r"(\d{4})-?H([12])"), lambda y, h: (int(y), 6 * int(h) - 5, 1)),
    (re.compile(r"(\d{4})HJ0([12])"), lambda y, h: (int(y), 6 * int(h) - 5, 1)),
    (re.compile(r"(\d{4})-(\d{2})"), lambda y, m: (int(y), int(m), 1)),
    (re.compile(r"(\d{4})MM(\d{2})"), lambda y, m: (int(y), int(m), 1)),
    (re.compile(r"(\d{4})-?(\d{2})-?(\d{2})"), lambda y, m, d: (int(y), int(m), int(d))),
    (re.compile(r"(\d{4})\s*/\s*'?(\d{2}|\d{4})"), lambda y, _next: (int(y), 8, 1)),  # school year
    (re.compile(r"(\d{4})SJ00"), lambda y: (int(y), 8, 1)),
    (re.compile(r"(\d{1,2}) ([a-z]+) (\d{4})"), lambda d, m, y: (int(y), _MONTHS.get(m, 0), int(d))),
]


def period_start(period: str) -> date | None:
    """The date a period starts on, or None when it cannot be placed.

    >>> period_start("2023"), period_start("2023Q2"), period_start("2022/2023")
    (datetime.date(2023, 1, 1), datetime.date(2023, 4, 1), datetime.date(2022, 8, 1))
    """
    text = period.strip().casefold() if " " in period.strip() else period.strip().upper()
    for pattern, parts in _PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            try:
                return date(*parts(*found.groups()))
            except ValueError:
                return None
    return None


@dataclass(frozen=True, slots=True)
class Point:
    period: str
    start: date
    value: float


def series(observations: Iterable[Observation], indicator: str, area: str) -> tuple[list[Point], list[str]]:
    """The placed observations of one indicator in one area, by start date; and the periods not placed."""
    points, unplaced = [], []
    for obs in observations:
        if obs.indicator == indicator and obs.area == area:
            start = period_start(obs.period)
            if start is None:
                unplaced.append(obs.period)
            else:
                points.append(Point(obs.period, start, obs.value))
    points.sort(key=lambda p: (p.start, p.period))
    return points, sorted(unplaced)


def sparkline(values: Sequence[float | None]) -> str:
    """One block character per value, ▁ to █, a space for a missing value (None); ▄ for a flat series.

    The scale spans the larger of the values' range and 10 % of their mean (centred on the range), so
    56,000 → 56,100 inhabitants is a small step, not the full height.

    >>> sparkline([1, 2, 3, 2]), sparkline([56000, None, 56100]), sparkline([5, 5])
    ('▁▅█▅', '▄ ▅', '▄▄')
    """
    present = [v for v in values if v is not None]
    if not present:
        return " " * len(values)
    low, high = min(present), max(present)
    if high == low:
        return "".join(" " if v is None else SPARKS[3] for v in values)
    span = max(high - low, SPARK_MIN_SPAN * abs(sum(present) / len(present)))
    base = (low + high - span) / 2
    top = len(SPARKS) - 1
    return "".join(" " if v is None else SPARKS[min(top, max(0, int((v - base) / span * top + 0.5)))]
                   for v in values)


def yearly(points: Sequence[Point], first: int, last: int) -> list[float | None]:
    """The last value of each year ``first``–``last`` (None for a year without one)."""
    by_year: dict[int, float] = {}
    for point in points:  # in time order: a later period of the same year wins
        if first <= point.start.year <= last:
            by_year[point.start.year] = point.value
    return [by_year.get(year) for year in range(first, last + 1)]


def trend(points: Sequence[Point], first: int = TREND_FROM, last: int = TREND_TO) -> tuple[float | None, int]:
    """The least-squares slope per year of the points starting in years ``first``–``last``, and their number."""
    inside = [p for p in points if first <= p.start.year <= last]
    if len(inside) < 2:
        return None, len(inside)
    xs = [_year_fraction(p.start) for p in inside]
    ys = [p.value for p in inside]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None, len(inside)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread, len(inside)


def standing(gap: float | None, reference: float | None, direction: str) -> str | None:
    """``better``, ``worse``, ``level`` or ``not judged`` (neutral direction); None without a gap."""
    if gap is None or reference is None:
        return None
    if direction == "neutral":
        return "not judged"
    if abs(gap) <= LEVEL_TOLERANCE * abs(reference):
        return "level"
    above = gap > 0
    return "better" if above == (direction == "higher_better") else "worse"


def gap_move(baseline_gap: float | None, latest_gap: float | None, same_period: bool,
             direction: str) -> str | None:
    """``improved``, ``worsened`` or ``unchanged`` against the reference, by direction; ``not judged`` for
    neutral indicators; None when it cannot be said (a gap missing, or no period after the baseline).

    >>> gap_move(-2, -1, False, "lower_better")   # better than the reference, but less so than before
    'worsened'
    """
    if baseline_gap is None or latest_gap is None or same_period:
        return None
    if direction == "neutral":
        return "not judged"
    moved = round(latest_gap - baseline_gap, 9)
    if moved == 0:
        return "unchanged"
    return "improved" if (moved > 0) == (direction == "higher_better") else "worsened"


def indicator_status(indicator: Indicator, observations: Sequence[Observation], area: str,
                     index: dict[tuple[str, str], list[Observation]] | None = None) -> dict[str, Any]:
    """One row: where ``area`` stands on ``indicator`` (see the module docstring for every field)."""
    index = index if index is not None else _index(observations)
    points, unplaced = series(index.get((indicator.id, area), ()), indicator.id, area)
    baseline_date = date.fromisoformat(indicator.baseline)
    base = next((p for p in reversed(points) if p.start <= baseline_date), None)
    latest = points[-1] if points else None
    reference: dict[date, Point] = {}
    if indicator.reference_indicator:
        ref_points, _ = series(index.get((indicator.reference_indicator, indicator.reference_area), ()),
                               indicator.reference_indicator, indicator.reference_area)
        reference = {p.start: p for p in ref_points}
    ref_latest = reference.get(latest.start) if latest else None
    ref_base = reference.get(base.start) if base else None
    gap = _minus(latest, ref_latest)
    base_gap = _minus(base, ref_base)
    slope, count = trend(points)
    notes = []
    if not points:
        notes.append(f"{NO_DATA} for {area}")
    elif base is None:
        notes.append(f"no value at or before the baseline {indicator.baseline}")
    if not indicator.reference_indicator:
        notes.append("no reference defined")
    elif latest and ref_latest is None:
        notes.append(f"no reference value for {latest.period} ({indicator.reference})")
    if unplaced:
        notes.append(f"periods not placed in time: {', '.join(unplaced)}")
    same = bool(base and latest and base.start == latest.start)
    if same:
        notes.append("no value after the baseline yet")
    change = None if same else _minus(latest, base)
    last_year = latest.start.year if latest else TREND_TO
    return {
        "indicator": indicator.id,
        "label": indicator.label,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "goals": list(indicator.goals),
        "themes": list(indicator.themes),
        "area": area,
        "baseline_date": indicator.baseline,
        "baseline_period": base.period if base else None,
        "baseline_value": base.value if base else None,
        "latest_period": latest.period if latest else None,
        "latest_value": latest.value if latest else None,
        "change": change,
        "change_pct": _round(100 * change / base.value) if change is not None and base and base.value else None,
        "trend_method": TREND_METHOD,
        "trend_from": TREND_FROM,
        "trend_to": TREND_TO,
        "trend_points": count,
        "trend_per_year": _round(slope),
        "reference": indicator.reference or None,
        "reference_value": ref_latest.value if ref_latest else None,
        "gap": gap,
        "standing": standing(gap, ref_latest.value if ref_latest else None, indicator.direction),
        "baseline_reference_value": ref_base.value if ref_base else None,
        "baseline_gap": base_gap,
        "gap_change": None if same or gap is None or base_gap is None else _round(gap - base_gap),
        "gap_since_baseline": gap_move(base_gap, gap, same, indicator.direction),
        "series": [[p.period, p.value] for p in points],
        "sparkline": sparkline(yearly(points, SPARK_FROM, max(last_year, SPARK_FROM))) if points else "",
        "sparkline_years": [SPARK_FROM, max(last_year, SPARK_FROM)],
        "notes": notes,
    }


def status_rows(indicators: dict[str, Indicator], observations: Sequence[Observation], catalogue: Catalogue,
                area: str = DEFAULT_AREA, goal: int | None = None, theme: str | None = None) -> list[dict[str, Any]]:
    """Rows of :func:`indicator_status` for every indicator (of ``goal`` or ``theme``), in catalogue order."""
    check_area(catalogue, area)
    if goal is not None and goal not in catalogue.goals:
        raise IndicatorError(f"unknown goal {goal}", None, f"the goals are numbered {_goal_range(catalogue)}")
    if theme is not None:
        theme = check_theme(catalogue, theme)
    index = _index(observations)
    rows = [indicator_status(ind, observations, area, index) for ind in indicators.values()
            if (goal is None or goal in ind.goals) and (theme is None or theme in ind.themes)]
    # One year axis for every row, so the sparklines line up under one header.
    last = max((row["sparkline_years"][1] for row in rows if row["series"]), default=TREND_TO)
    label = catalogue.areas[area].label
    for row in rows:
        row["area_label"] = label
        if row["series"]:
            points, _ = series(index.get((row["indicator"], area), ()), row["indicator"], area)
            row["sparkline"] = sparkline(yearly(points, SPARK_FROM, last))
        row["sparkline_years"] = [SPARK_FROM, last]
    return rows


ROLLUP_COUNTS = ("indicators", "with_data", "better", "worse", "level", "not_judged", "no_reference", "improved",
                 "worsened", "no_data")


def goal_rows(indicators: dict[str, Indicator], observations: Sequence[Observation], catalogue: Catalogue,
              area: str = DEFAULT_AREA, lang: str = "nl") -> list[dict[str, Any]]:
    """Per theme, then per goal of that theme: how many of its indicators stand better, worse, level …

    An indicator counts once for every goal it tracks and every theme it belongs to. ``with_data``
    counts indicators with any value in ``area`` (each of them is ``better``, ``worse``, ``level``,
    ``not_judged`` or ``no_reference``: no reference value for its latest period); ``no_data`` the others.
    ``improved`` and ``worsened`` count the indicators whose gap to the reference moved the good or the
    bad way since the baseline. ``text`` is the full goal (or theme) text, ``short`` its short label.
    """
    from verlicht.programme import goal_short, goal_text

    rows = status_rows(indicators, observations, catalogue, area)
    by_goal: dict[int, list[dict[str, Any]]] = defaultdict(list)
    by_theme: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        for number in row["goals"]:
            by_goal[number].append(row)
        for key in row["themes"]:
            by_theme[key].append(row)
    result = []
    label = catalogue.areas[area].label
    for key, labels in catalogue.themes.items():
        text = labels.get(lang) or key
        result.append({"scope": "theme", "id": key, "theme": key, "short": text, "text": text, "area": area,
                       "area_label": label, **_counts(by_theme[key])})
        for number, goal in sorted(catalogue.goals.items()):
            if goal.theme == key:
                result.append({"scope": "goal", "id": str(number), "theme": key, "short": goal_short(goal, lang),
                               "text": goal_text(goal, lang), "area": area, "area_label": label,
                               **_counts(by_goal[number])})
    return result


def _counts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    counts = dict.fromkeys(ROLLUP_COUNTS, 0)
    for row in rows:
        counts["indicators"] += 1
        if row["latest_value"] is None:
            counts["no_data"] += 1
            continue
        counts["with_data"] += 1
        counts[(row["standing"] or "no reference").replace(" ", "_")] += 1
        if row["gap_since_baseline"] in ("improved", "worsened"):
            counts[row["gap_since_baseline"]] += 1
    counts["indicator_ids"] = [row["indicator"] for row in rows]
    return counts


STATUS_COLUMNS = ("indicator", "unit", "baseline", "latest", "change", "trend/yr", "reference", "gap", "standing",
                  "gap since baseline", "series", "note")
GOAL_COLUMNS = ("scope", "id", "short", "indicators", "better", "worse", "level", "not_judged", "no_reference",
                "improved", "worsened", "no_data")
GOAL_CSV_COLUMNS = ("scope", "id", "short", "text", *GOAL_COLUMNS[3:])


def series_header(rows: Sequence[dict[str, Any]]) -> str:
    """The sparkline column's name: its years, e.g. ``2018–2024``."""
    first, last = rows[0]["sparkline_years"] if rows else (SPARK_FROM, TREND_TO)
    return f"{first}–{last}"


def status_table(rows: Sequence[dict[str, Any]]) -> tuple[list[str], list[dict[str, str]]]:
    """The columns and cells of the status table; the sparkline column is named after its years."""
    header = series_header(rows)
    cells = display_rows(rows)
    for cell in cells:
        cell[header] = cell.pop("series")
    return [header if c == "series" else c for c in STATUS_COLUMNS], cells


def display_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """Status rows as short text cells for a table: ``9.4 (2023)``, signed changes, the sparkline.

    Every cell with nothing to show is ``–``; ``note`` says why (no data, no baseline value, no
    reference defined, no reference value for the period …).
    """
    shown = []
    for row in rows:
        def at(value: float | None, period: str | None) -> str:
            return f"{number(value)} ({period})" if value is not None else NOTHING
        shown.append({
            "indicator": row["indicator"],
            "unit": row["unit"] or NOTHING,
            "baseline": at(row["baseline_value"], row["baseline_period"]),
            "latest": at(row["latest_value"], row["latest_period"]),
            "change": number(row["change"], signed=True) or NOTHING,
            "trend/yr": number(row["trend_per_year"], signed=True) or NOTHING,
            "reference": number(row["reference_value"]) or NOTHING,
            "gap": number(row["gap"], signed=True) or NOTHING,
            "standing": row["standing"] or NOTHING,
            "gap since baseline": row["gap_since_baseline"] or NOTHING,
            "series": row["sparkline"] or NOTHING,
            "note": "; ".join(_short_note(note, row["area"]) for note in row["notes"]),
        })
    return shown


def _short_note(note: str, area: str) -> str:
    """A note as the table shows it: the area is the table's, so "no data for heerlen_noord" is "no data"."""
    return NO_DATA if note == f"{NO_DATA} for {area}" else note


def table_title(kind: str, area_label: str, lang: str = "nl") -> str:
    """The title over a status table (``indicators`` or ``goals``) for ``area_label``, in ``lang``.

    >>> table_title("indicators", "Heerlen-Noord", "en")
    'Indicators of Heerlen-Noord against the reference'
    """
    titles = {
        ("indicators", "nl"): "Indicatoren van {area} t.o.v. de referentie",
        ("indicators", "en"): "Indicators of {area} against the reference",
        ("goals", "nl"): "Doelen: waar {area} staat",
        ("goals", "en"): "Goals: where {area} stands",
    }
    return titles[(kind, "en" if lang == "en" else "nl")].format(area=area_label)


def number(value: float | None, signed: bool = False) -> str:
    """A figure as people read it: whole numbers without decimals, others to at most three decimals."""
    if value is None:
        return ""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    return f"+{text}" if signed and not text.startswith("-") and text != "0" else text


def check_area(catalogue: Catalogue, area: str) -> None:
    if area not in catalogue.areas:
        raise IndicatorError(f"unknown area '{area}'", None,
                             close_match_hint(area, catalogue.areas, f"use an area id, e.g. {DEFAULT_AREA}"))


def check_theme(catalogue: Catalogue, theme: str) -> str:
    """The theme key for a key or a label ("Wonen en leefomgeving")."""
    if theme in catalogue.themes:
        return theme
    for key, labels in catalogue.themes.items():
        if theme.casefold() in (labels.get("nl", "").casefold(), labels.get("en", "").casefold()):
            return key
    raise IndicatorError(f"unknown theme '{theme}'", None,
                         close_match_hint(theme, catalogue.themes, f"use one of: {', '.join(catalogue.themes)}"))


def load_status_inputs(layout: Layout) -> tuple[Catalogue, dict[str, Indicator], list[Observation]]:
    """The catalogue, indicators and observations of a workspace, read from its files (no build needed)."""
    from verlicht.graph.build import load_indicator_files, load_inputs

    catalogue, codebook = load_inputs(layout)
    indicators, observations = load_indicator_files(layout, codebook, catalogue)
    return catalogue, indicators, observations


def workspace_status(layout: Layout, area: str = DEFAULT_AREA, goal: int | None = None,
                     theme: str | None = None) -> list[dict[str, Any]]:
    """:func:`status_rows` for a workspace on disk."""
    catalogue, indicators, observations = load_status_inputs(layout)
    return status_rows(indicators, observations, catalogue, area, goal, theme)


def workspace_goal_status(layout: Layout, area: str = DEFAULT_AREA, lang: str = "nl") -> list[dict[str, Any]]:
    """:func:`goal_rows` for a workspace on disk."""
    catalogue, indicators, observations = load_status_inputs(layout)
    return goal_rows(indicators, observations, catalogue, area, lang)


def _index(observations: Iterable[Observation]) -> dict[tuple[str, str], list[Observation]]:
    index: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    for obs in observations:
        index[(obs.indicator, obs.area)].append(obs)
    return index


def _minus(a: Point | None, b: Point | None) -> float | None:
    return _round(a.value - b.value) if a is not None and b is not None else None


def _round(value: float | None) -> float | None:
    """Six decimals: enough for any indicator, and no 0.30000000000000004 in the output."""
    return None if value is None else round(value, 6) + 0.0


def _year_fraction(day: date) -> float:
    start, end = date(day.year, 1, 1), date(day.year + 1, 1, 1)
    return day.year + (day - start).days / (end - start).days


def _goal_range(catalogue: Catalogue) -> str:
    return f"{min(catalogue.goals, default=1)}–{max(catalogue.goals, default=12)}"
