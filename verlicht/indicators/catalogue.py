"""Read ``indicators/*.csv`` (the catalogue) and ``indicators/observations.csv``.

Catalogue columns: ``id,label,unit,source,measures,tests,goals`` where
``measures`` lists concept codes (``;``-separated), ``tests`` lists
``cause->effect`` pairs and ``goals`` lists goal numbers. Every reference is
checked against the codebook and the goal catalogue, with file:line on error.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from verlicht.errors import IndicatorError, Location

CATALOGUE_COLUMNS = ("id", "label", "unit", "source", "measures", "tests", "goals")
OBSERVATION_COLUMNS = ("indicator", "area", "period", "value")
OBSERVATIONS_FILE = "observations.csv"


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


@dataclass(frozen=True, slots=True)
class Observation:
    indicator: str
    area: str
    period: str
    value: float
    path: str
    line: int


def _rows(path: Path, shown: str, required: tuple[str, ...]) -> Iterable[tuple[int, dict[str, str]]]:
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
        reader.fieldnames = header
        try:
            for row in reader:
                if None in row:
                    raise IndicatorError("row has more fields than the header", Location(shown, reader.line_num),
                                         "quote fields that contain commas")
                cleaned = {k: (v or "").strip() for k, v in row.items()}
                if any(cleaned.values()):
                    yield reader.line_num, cleaned
        except UnicodeDecodeError:
            raise IndicatorError(f"{path.name} is not UTF-8", Location(shown), "save it as UTF-8") from None
        except csv.Error as exc:
            raise IndicatorError(f"CSV does not parse: {exc}", Location(shown, reader.line_num)) from None


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def load_indicators(
    files: Iterable[tuple[Path, str]], concepts: set[str], goals: set[int]
) -> dict[str, Indicator]:
    """Read catalogue files (``(path, shown)`` pairs) and check every reference."""
    found: dict[str, Indicator] = {}
    for path, shown in files:
        for line, row in _rows(path, shown, CATALOGUE_COLUMNS):
            where = Location(shown, line)
            ident = row["id"]
            if not ident:
                raise IndicatorError("indicator without an id", where, "fill in the 'id' column")
            if ident in found:
                first = found[ident]
                raise IndicatorError(f"indicator '{ident}' is defined twice (first at {first.path}:{first.line})",
                                     where, "give each indicator its own id")
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
            found[ident] = Indicator(ident, row["label"] or ident, row["unit"], row["source"], tuple(measures),
                                     tuple(tests), tuple(numbers), shown, line)
    return found


def load_observations(path: Path, shown: str, indicators: set[str], areas: set[str]) -> list[Observation]:
    """Read ``observations.csv``; unknown indicators or areas and non-numbers are errors."""
    seen: dict[tuple[str, str, str], int] = {}
    result = []
    for line, row in _rows(path, shown, OBSERVATION_COLUMNS):
        where = Location(shown, line)
        if row["indicator"] not in indicators:
            raise IndicatorError(f"observation of unknown indicator '{row['indicator']}'", where,
                                 "add it to the indicator catalogue first")
        if row["area"] not in areas:
            raise IndicatorError(f"observation in unknown area '{row['area']}'", where,
                                 "use an area id from the catalogue, e.g. heerlen_noord or nederland")
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
        result.append(Observation(*key, value, shown, line))
    return result
