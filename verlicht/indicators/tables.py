"""Read ``indicators/*.csv`` (the catalogue) and ``indicators/observations.csv``.

Catalogue columns: ``id,label,unit,source,measures,tests,goals`` where
``measures`` lists concept codes (``;``-separated), ``tests`` lists
``cause->effect`` pairs and ``goals`` lists goal numbers. Every reference is
checked against the codebook and the goal catalogue, with file:line on error.

Optional metadata columns (files without them still load; empty cells take the default):

============  ==========================================================  ==================
column        what it holds                                               default
============  ==========================================================  ==================
definition    what exactly is counted, in words                           (empty)
direction     ``higher_better``, ``lower_better`` or ``neutral``          ``neutral``
cbs_table     CBS StatLine table id, e.g. ``85984NED``                    (empty)
cbs_measure   the measure key in that table, e.g. ``AantalInwoners_5``    (empty)
reference     the national reference series: an area id (same indicator   ``nederland``
              there), another indicator id (in ``nederland``),
              ``indicator@area``, or ``none``
baseline      the baseline date (nulmeting), ``YYYY-MM-DD``               ``2023-01-01``
themes        theme keys (``;``-separated)                                the goals' themes
note          free text, not read                                         (empty)
============  ==========================================================  ==================
"""

from __future__ import annotations

import csv
import difflib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from verlicht.errors import (
    IndicatorError,
    IndicatorErrors,
    Location,
    VerlichtError,
    VerlichtWarning,
    raise_all,
)

if TYPE_CHECKING:
    from verlicht.programme import Catalogue

CATALOGUE_COLUMNS = ("id", "label", "unit", "source", "measures", "tests", "goals")
METADATA_COLUMNS = ("definition", "direction", "cbs_table", "cbs_measure", "reference", "baseline", "themes")
OPTIONAL_COLUMNS = (*METADATA_COLUMNS, "note")
OBSERVATION_COLUMNS = ("indicator", "area", "period", "value")
OBSERVATIONS_FILE = "observations.csv"
DIRECTIONS = ("higher_better", "lower_better", "neutral")
DEFAULT_DIRECTION = "neutral"
DEFAULT_BASELINE = "2023-01-01"
DEFAULT_REFERENCE_AREA = "nederland"
NO_REFERENCE = ("none", "-")
_CBS_TABLE = re.compile(r"\d{5}[A-Za-z]{3}")
_CBS_MEASURE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    label: str
    unit: str
    source: str
    measures: tuple[str, ...]
    tests: tuple[tuple[str, str], ...]
    goals: tuple[int, ...]
    path: str
    line: int
    definition: str = ""
    direction: str = DEFAULT_DIRECTION
    cbs_table: str = ""
    cbs_measure: str = ""
    reference_indicator: str = ""  # empty: no reference series
    reference_area: str = ""
    baseline: str = DEFAULT_BASELINE
    themes: tuple[str, ...] = ()

    @property
    def reference(self) -> str:
        """The reference series as ``indicator@area`` (empty when there is none)."""
        return f"{self.reference_indicator}@{self.reference_area}" if self.reference_indicator else ""


@dataclass(frozen=True, slots=True)
class Observation:
    indicator: str
    area: str
    period: str
    value: float
    path: str
    line: int


def close_matches(word: str, choices: Iterable[str], cutoff: float = 0.6) -> list[str]:
    """The choices nearest to ``word`` (difflib ratio at least ``cutoff``): the best and any as good, at most 3."""
    scored = []
    for choice in sorted(set(choices)):
        matcher = difflib.SequenceMatcher(None, word, choice)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff and matcher.ratio() >= cutoff:
            scored.append((-matcher.ratio(), choice))
    scored.sort()
    return [choice for score, choice in scored[:3] if score <= scored[0][0] + 0.02]


def close_match_hint(word: str, choices: Iterable[str], fallback: str) -> str:
    """``did you mean …?`` for the nearest choices, else ``fallback``."""
    close = close_matches(word, choices)
    return f"did you mean {' or '.join(close)}?" if close else fallback


def _rows(path: Path, shown: str, required: tuple[str, ...],
          optional: tuple[str, ...] | None = None,
          errors: list[VerlichtError] | None = None) -> Iterable[tuple[int, dict[str, str]]]:
    """The non-empty rows of a CSV file with their line numbers; ``optional=None`` allows any other column.

    A row with too many or too few fields is added to ``errors`` and skipped (raised when ``errors`` is None);
    a file that cannot be read as a table at all is raised.
    """
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise IndicatorError(f"cannot read {path.name}: {exc.strerror or exc}", Location(shown)) from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = [h.strip() for h in (reader.fieldnames or [])]
        except UnicodeDecodeError:
            raise IndicatorError(f"{path.name} is not UTF-8", Location(shown, 1), "save it as UTF-8") from None
        except csv.Error as exc:
            raise IndicatorError(f"CSV does not parse: {exc}", Location(shown, 1)) from None
        missing = [c for c in required if c not in header]
        if missing:
            raise IndicatorError(
                f"missing column(s) {', '.join(missing)}",
                Location(shown, 1),
                f"the header must be: {','.join(required)}",
            )
        if optional is not None:
            known = (*required, *optional)
            for name in header:
                if name not in known:
                    raise IndicatorError(f"unknown column '{name}'", Location(shown, 1), close_match_hint(
                        name, known, f"the columns are {','.join(required)}, optionally {','.join(optional)}"))
        doubled = sorted({h for h in header if header.count(h) > 1})
        if doubled:
            raise IndicatorError(f"column '{doubled[0]}' appears twice", Location(shown, 1), "keep one of them")
        reader.fieldnames = header
        try:
            for row in reader:
                problem = None
                if None in row:
                    problem = IndicatorError("row has more fields than the header", Location(shown, reader.line_num),
                                             "quote fields that contain commas")
                elif any(row[c] is None for c in required) and any(row.values()):
                    # DictReader fills a short row with None; optional columns at the end may be left off
                    given = sum(value is not None for value in row.values())
                    problem = IndicatorError(f"row has {given} fields, fewer than the {len(required)} required "
                                             f"({','.join(required)})", Location(shown, reader.line_num),
                                             "give every column a cell, empty ones too (a,b,,,), as a spreadsheet "
                                             "saves it; a comma inside a cell needs quotes")
                if problem is not None:
                    if errors is None:
                        raise problem
                    errors.append(problem)
                    continue
                cleaned = {k: (v or "").strip() for k, v in row.items()}
                if any(cleaned.values()):
                    yield reader.line_num, cleaned
        except UnicodeDecodeError:
            raise IndicatorError(f"{path.name} is not UTF-8", Location(shown), "save it as UTF-8") from None
        except csv.Error as exc:
            raise IndicatorError(f"CSV does not parse: {exc}", Location(shown, reader.line_num)) from None


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


@dataclass(slots=True)
class _Pending:
    """A row read but not yet finished: its reference needs every indicator id."""

    fields: dict
    reference: str
    where: Location


def load_indicators(
    files: Iterable[tuple[Path, str]], concepts: set[str], goals: set[int], catalogue: Catalogue | None = None
) -> dict[str, Indicator]:
    """Read catalogue files (``(path, shown)`` pairs) and check every reference.

    With the programme ``catalogue`` the themes and reference areas are checked too, and an indicator
    without a ``themes`` cell takes the themes of its goals.
    """
    pending: dict[str, _Pending] = {}
    errors: list[VerlichtError] = []  # every mistake of every file, reported together
    for path, shown in files:
        try:
            for line, row in _rows(path, shown, CATALOGUE_COLUMNS, OPTIONAL_COLUMNS, errors):
                try:
                    where = Location(shown, line)
                    ident = row["id"]
                    if not ident:
                        raise IndicatorError("indicator without an id", where, "fill in the 'id' column")
                    if ident in pending:
                        first = pending[ident].where
                        raise IndicatorError(
                            f"indicator '{ident}' is defined twice (first at {first.path}:{first.line})",
                            where, "give each indicator its own id")
                    fields = _links(ident, row, concepts, goals, where)
                    fields.update(_metadata(ident, row, fields["goals"], catalogue, where))
                    fields.update(id=ident, label=row["label"] or ident, unit=row["unit"], source=row["source"],
                                  path=shown, line=line)
                    pending[ident] = _Pending(fields, row.get("reference", ""), where)
                except IndicatorError as exc:
                    errors.append(exc)
        except IndicatorError as exc:  # the file as a whole (header, encoding)
            errors.append(exc)
    areas = set(catalogue.areas) if catalogue is not None else None
    found: dict[str, Indicator] = {}
    for ident, item in pending.items():
        try:
            indicator, area = _reference(ident, item.reference, set(pending), areas, item.where)
        except IndicatorError as exc:
            errors.append(exc)
            continue
        found[ident] = Indicator(**item.fields, reference_indicator=indicator, reference_area=area)
    raise_all(errors, "the indicator catalogue", IndicatorErrors)
    return found


def _links(ident: str, row: dict[str, str], concepts: set[str], goals: set[int], where: Location) -> dict:
    measures = _split(row["measures"])
    for code in measures:
        if code not in concepts:
            raise IndicatorError(f"indicator '{ident}' measures unknown concept '{code}'", where,
                                 "add the concept to ontology/codebook.yaml or fix the code")
    tests = []
    for pair in _split(row["tests"]):
        cause, arrow, effect = pair.partition("->")
        cause, effect = cause.strip(), effect.strip()
        if not arrow or not cause or not effect:
            raise IndicatorError(f"indicator '{ident}' tests '{pair}', not a cause->effect pair", where,
                                 "write e.g. goedkope_woningen->instroom_kwetsbaren")
        for code in (cause, effect):
            if code not in concepts:
                raise IndicatorError(f"indicator '{ident}' tests unknown concept '{code}'", where,
                                     "add the concept to ontology/codebook.yaml or fix the code")
        tests.append((cause, effect))
    numbers = []
    for goal in _split(row["goals"]):
        try:
            number = int(goal)
        except ValueError:
            number = -1
        if number not in goals:
            raise IndicatorError(f"indicator '{ident}' tracks unknown goal '{goal}'", where,
                                 f"use goal numbers {min(goals, default=1)}–{max(goals, default=12)}")
        numbers.append(number)
    return {"measures": tuple(measures), "tests": tuple(tests), "goals": tuple(numbers)}


def _metadata(ident: str, row: dict[str, str], goals: tuple[int, ...], catalogue: Catalogue | None,
              where: Location) -> dict:
    """The optional metadata cells, checked, with their defaults."""
    direction = row.get("direction", "") or DEFAULT_DIRECTION
    if direction not in DIRECTIONS:
        raise IndicatorError(f"indicator '{ident}' has direction '{direction}'", where,
                             close_match_hint(direction, DIRECTIONS, f"use one of: {', '.join(DIRECTIONS)}"))
    table, measure = row.get("cbs_table", ""), row.get("cbs_measure", "")
    if table and not _CBS_TABLE.fullmatch(table):
        raise IndicatorError(f"indicator '{ident}' has cbs_table '{table}', not a CBS table id", where,
                             "CBS table ids are five digits and three letters, e.g. 85984NED; "
                             "leave the cell empty for other sources")
    if measure and not table:
        raise IndicatorError(f"indicator '{ident}' has cbs_measure '{measure}' but no cbs_table", where,
                             "fill in the table the measure belongs to, e.g. 85984NED")
    if measure and not _CBS_MEASURE.fullmatch(measure):
        raise IndicatorError(f"indicator '{ident}' has cbs_measure '{measure}', not a measure key", where,
                             "measure keys look like AantalInwoners_5 (OData v3) or M000352 (OData v4)")
    baseline = row.get("baseline", "") or DEFAULT_BASELINE
    try:
        if not _ISO_DATE.fullmatch(baseline):
            raise ValueError(baseline)
        date.fromisoformat(baseline)
    except ValueError:
        raise IndicatorError(f"indicator '{ident}' has baseline '{baseline}', not a date", where,
                             f"write the date as YYYY-MM-DD, e.g. {DEFAULT_BASELINE}") from None
    themes = _split(row.get("themes", ""))
    if catalogue is not None:
        for theme in themes:
            if theme not in catalogue.themes:
                raise IndicatorError(f"indicator '{ident}' has unknown theme '{theme}'", where, close_match_hint(
                    theme, catalogue.themes, f"use one of: {', '.join(catalogue.themes)}"))
        if not themes:  # the goals' themes, in catalogue order
            wanted = {catalogue.goals[g].theme for g in goals if g in catalogue.goals}
            themes = [t for t in catalogue.themes if t in wanted]
    return {"definition": row.get("definition", ""), "direction": direction, "cbs_table": table,
            "cbs_measure": measure, "baseline": baseline, "themes": tuple(themes)}


def _reference(ident: str, raw: str, indicators: set[str], areas: set[str] | None,
               where: Location) -> tuple[str, str]:
    """``(indicator, area)`` of the reference series; ``("", "")`` for none."""
    if not raw:
        if areas is not None and DEFAULT_REFERENCE_AREA not in areas:
            return "", ""
        return ident, DEFAULT_REFERENCE_AREA
    if raw.casefold() in NO_REFERENCE:
        return "", ""
    name, at, area = (part.strip() for part in raw.partition("@"))
    if at:
        if name not in indicators:
            raise IndicatorError(f"indicator '{ident}' refers to unknown indicator '{name}'", where,
                                 close_match_hint(name, indicators, "use an indicator id from the catalogue"))
        if areas is not None and area not in areas:
            raise IndicatorError(f"indicator '{ident}' refers to unknown area '{area}'", where,
                                 close_match_hint(area, areas, "use an area id, e.g. nederland"))
        return name, area
    if areas is not None and raw in areas:
        return ident, raw
    if raw in indicators:
        return raw, DEFAULT_REFERENCE_AREA
    if areas is None:
        return ident, raw
    raise IndicatorError(f"indicator '{ident}' has reference '{raw}', neither an area nor an indicator", where,
                         close_match_hint(raw, areas | indicators,
                                          "write an area (nederland), an indicator id, indicator@area or none"))


def catalogue_files(folder: Path, others: list[Path] | None = None) -> list[Path]:
    """The catalogue files of an indicators folder: every ``*.csv`` but ``observations.csv`` whose header is a
    catalogue's, by name.

    A CSV whose header has four or more of the catalogue's required columns is taken, so that a catalogue
    with a mistyped column still gets its located error; any other (a CBS download, observations to import)
    is left out and added to ``others``, for the caller to warn about (see :func:`not_a_catalogue`).
    """
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(p for p in folder.glob("*.csv") if p.name != OBSERVATIONS_FILE):
        if _has_catalogue_header(path):
            found.append(path)
        elif others is not None:
            others.append(path)
    return found


def _has_catalogue_header(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            first = handle.readline(65536).decode("utf-8-sig", errors="replace")
    except OSError:
        return True  # the reader says what is wrong with it
    header = {cell.strip() for cell in next(csv.reader([first]), [])}
    return len(header & set(CATALOGUE_COLUMNS)) >= 4


def not_a_catalogue(shown: str) -> VerlichtWarning:
    """The warning for a CSV in ``indicators/`` that :func:`catalogue_files` left out."""
    return VerlichtWarning(f"not an indicator catalogue (the header is not {','.join(CATALOGUE_COLUMNS)}); "
                           "skipped", Location(shown, 1),
                           f"if it is a CBS download, import it: verlicht indicators import {shown}, then move it "
                           "out of indicators/ (e.g. to indicators/cbs/)")


def load_observations(path: Path, shown: str, indicators: set[str], areas: set[str],
                      resolve: Callable[[str], str | None] | None = None) -> list[Observation]:
    """Read ``observations.csv``; unknown indicators or areas and non-numbers are errors.

    ``resolve`` turns an area as written (a label, a CBS code; see :mod:`verlicht.indicators.areas`) into its
    id; without it only ids are accepted. Observations always carry the id.
    """
    seen: dict[tuple[str, str, str], int] = {}
    result = []
    errors: list[VerlichtError] = []
    for line, row in _rows(path, shown, OBSERVATION_COLUMNS, errors=errors):
        try:
            result.append(_observation(row, Location(shown, line), indicators, areas, resolve, seen))
        except IndicatorError as exc:
            errors.append(exc)
    raise_all(errors, shown, IndicatorErrors)
    return result


def _observation(row: dict[str, str], where: Location, indicators: set[str], areas: set[str],
                 resolve: Callable[[str], str | None] | None, seen: dict[tuple[str, str, str], int]) -> Observation:
    """One row of ``observations.csv``, checked; ``seen`` holds the lines of the (indicator, area, period) read."""
    shown, line = where.path, where.line
    if row["indicator"] not in indicators:
        raise IndicatorError(f"observation of unknown indicator '{row['indicator']}'", where,
                             "add it to the indicator catalogue first")
    if row["area"] not in areas:
        area = resolve(row["area"]) if resolve is not None else None
        if area is None:
            raise IndicatorError(f"observation in unknown area '{row['area']}'", where,
                                 "use an area of the catalogue: its id, label or CBS code, e.g. heerlen_noord, "
                                 "Heerlen-Noord, nederland or NL01 ('verlicht goals areas' lists them)")
        row["area"] = area
    if not row["period"]:
        raise IndicatorError("observation without a period", where, "fill in e.g. 2023")
    try:
        value = float(row["value"].replace(",", "."))
    except ValueError:
        raise IndicatorError(f"value '{row['value']}' is not a number", where,
                             "leave the row out when there is no figure") from None
    if not math.isfinite(value):
        raise IndicatorError(f"value '{row['value']}' is not a finite number", where)
    key = (row["indicator"], row["area"], row["period"])
    if key in seen:
        raise IndicatorError(f"second value for {key[0]} in {key[1]}, {key[2]} (first on line {seen[key]})",
                             where, "keep one value per indicator, area and period")
    seen[key] = line
    return Observation(*key, value, shown, line)
