"""The mapping file: which CBS figures feed which workspace indicator, and which region codes are which areas.

``indicators/cbs_mapping.toml`` in the workspace (or ``--mapping PATH``)::

    [tables.85618NED]                  # optional, per CBS table
    title = "Kerncijfers wijken en buurten 2023"
    period = "2023"                    # for tables without a Perioden dimension

    [[measures]]
    indicator = "inwoners"             # an indicator id of the workspace catalogue
    table = "85618NED"                 # optional: only figures of this table
    key = "AantalInwoners_5"           # DataProperties Key (v3), Measure code (v4) or CSV column header
    # title = "Aantal inwoners"        # or: match a CSV column by its title (group path and unit ignored)
    # scale = 0.1                      # optional: multiply (CBS per 1 000 inwoners -> catalogue unit %)
    # period = "2023"                  # optional: for figures without a period (a CSV of one year)
    # where = { Geslacht = "T001038" } # optional: further dimensions of the table, by code (CSV: by label)

    [regions]                          # CBS region codes -> area ids, over the built-in ones
    WK091710 = "kasteelbuurt_hoofdstraat_west"
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from verlicht.errors import IndicatorError, Location
from verlicht.indicators.regions import Region, RegionTable, looks_like_code, normalise_code

MAPPING_FILE = "cbs_mapping.toml"
HINT = "see the mapping in docs/CBS_IMPORT.md"  # users read the docs, not our source


@dataclass(frozen=True, slots=True)
class MeasureRule:
    """One ``[[measures]]`` entry."""

    indicator: str
    key: str = ""
    title: str = ""
    table: str = ""
    scale: float = 1.0
    where: tuple[tuple[str, str], ...] = ()
    period: str = ""
    line: int | None = None

    @property
    def specificity(self) -> int:
        return 2 * bool(self.key) + bool(self.table) + bool(self.where)

    def matches(self, table: str, key: str, title: str, dims: tuple[tuple[str, str], ...] | None) -> bool:
        if self.table and table and self.table != table.upper():
            return False
        if self.key:
            found = key == self.key
        else:
            wanted = _norm(self.title)
            found = wanted in (_norm(title), _norm(key), _norm(re.sub(r"\s*\([^()]*\)\s*$", "", key)))
        if not found:
            return False
        if dims is None:  # the measure itself, whatever its further dimensions
            return True
        given = dict(dims)
        return all(given.get(name, "").strip() == value for name, value in self.where)


@dataclass(slots=True)
class Mapping:
    path: str = ""
    rules: list[MeasureRule] = field(default_factory=list)
    periods: dict[str, str] = field(default_factory=dict)  # table -> period for tables without Perioden
    regions: list[Region] = field(default_factory=list)

    def rules_for(self, table: str, key: str, title: str, dims: tuple[tuple[str, str], ...]) -> list[MeasureRule]:
        """The rules a figure feeds: per indicator the most specific match (key over title, a table's own
        over any table's), so a general title rule does not feed an indicator twice."""
        best: dict[str, MeasureRule] = {}
        for rule in self.rules:
            if rule.matches(table, key, title, dims):
                held = best.get(rule.indicator)
                if held is None or rule.specificity > held.specificity:
                    best[rule.indicator] = rule
        return list(best.values())

    def knows(self, table: str, key: str, title: str) -> bool:
        """Whether any rule takes this measure (for some values of its further dimensions)."""
        return any(rule.matches(table, key, title, None) for rule in self.rules)

    def period_of(self, table: str) -> str:
        return self.periods.get(table.upper(), "")

    def region_table(self, builtin: RegionTable) -> RegionTable:
        table = RegionTable(list(builtin.codes.values()))
        for region in self.regions:
            table.add(region)
        return table


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


def _line_of(text: str, *needles: str) -> int | None:
    """The first line holding all of ``needles`` (tomllib gives no positions)."""
    for number, line in enumerate(text.splitlines(), 1):
        if all(n in line for n in needles):
            return number
    return None


def load_mapping(path: Path | None, shown: str, indicators: set[str], areas: set[str]) -> Mapping:
    """Read and check a mapping file; a missing file is an empty mapping (regions come built in)."""
    mapping = Mapping(shown)
    if path is None or not path.exists():
        return mapping
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise IndicatorError(f"cannot read {path.name}: {getattr(exc, 'strerror', None) or exc}",
                             Location(shown)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        raise IndicatorError(f"mapping does not parse: {str(exc).split(' (at ')[0]}", Location(shown, line, col),
                             HINT) from None
    unknown = sorted(set(data) - {"tables", "measures", "regions"})
    if unknown:
        raise IndicatorError(f"unknown section '{unknown[0]}'", Location(shown, _line_of(text, unknown[0])),
                             "the mapping takes [tables.<id>], [[measures]] and [regions]")
    tables = data.get("tables", {})
    if not isinstance(tables, dict):
        raise IndicatorError("'tables' must be a table", Location(shown, _line_of(text, "tables")), HINT)
    for table_id, spec in tables.items():
        where = Location(shown, _line_of(text, "tables", table_id))
        if not isinstance(spec, dict) or not isinstance(spec.get("period", ""), str):
            raise IndicatorError(f"[tables.{table_id}] needs period = \"…\" as text", where, HINT)
        if spec.get("period"):
            mapping.periods[table_id.upper()] = spec["period"].strip()
    measures = data.get("measures", [])
    if not isinstance(measures, list):
        raise IndicatorError("measures must be written [[measures]]", Location(shown, _line_of(text, "measures")),
                             HINT)
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith("[[measures]]")]
    for index, spec in enumerate(measures):
        line = lines[index] if index < len(lines) else None
        mapping.rules.append(_rule(spec, Location(shown, line), indicators))
    regions = data.get("regions", {})
    if not isinstance(regions, dict):
        raise IndicatorError("'regions' must be a table of CODE = \"area\"", Location(shown, _line_of(
            text, "regions")), HINT)
    for code, area in regions.items():
        where = Location(shown, _line_of(text, code))
        if not looks_like_code(code):
            raise IndicatorError(f"'{code}' is not a CBS region code", where, "write e.g. WK091710 = \"gms\"")
        if not isinstance(area, str) or area not in areas:
            raise IndicatorError(f"region {code} names unknown area {area!r}", where,
                                 "use an area id of the catalogue, e.g. heerlen_noord or vrieheide")
        mapping.regions.append(Region(normalise_code(code), area, "", True, str(where)))
    return mapping


def _rule(spec: object, where: Location, indicators: set[str]) -> MeasureRule:
    if not isinstance(spec, dict):
        raise IndicatorError("a [[measures]] entry must be a table", where, HINT)
    unknown = sorted(set(spec) - {"indicator", "key", "title", "table", "scale", "where", "period"})
    if unknown:
        raise IndicatorError(f"[[measures]] takes no '{unknown[0]}'", where,
                             "it takes indicator, key or title, and optionally table, scale, where and period")
    indicator = spec.get("indicator")
    if not isinstance(indicator, str) or not indicator:
        raise IndicatorError("[[measures]] entry without an indicator", where, "add indicator = \"<id>\"")
    if indicator not in indicators:
        raise IndicatorError(f"mapping names unknown indicator '{indicator}'", where,
                             "add it to the indicator catalogue (indicators/*.csv) first")
    key, title = spec.get("key", ""), spec.get("title", "")
    if not isinstance(key, str) or not isinstance(title, str) or not (key or title):
        raise IndicatorError(f"[[measures]] for '{indicator}' needs key = \"…\" or title = \"…\"", where, HINT)
    table, period = spec.get("table", ""), spec.get("period", "")
    scale = spec.get("scale", 1)
    if not isinstance(table, str):
        raise IndicatorError("table must be text, e.g. \"85618NED\"", where)
    if not isinstance(period, str):
        raise IndicatorError("period must be text, e.g. \"2023\"", where)
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not math.isfinite(scale) or scale == 0:
        raise IndicatorError(f"scale {scale!r} is not a number", where, "write e.g. scale = 1000")
    conditions = spec.get("where", {})
    if not isinstance(conditions, dict) or not all(isinstance(v, str) for v in conditions.values()):
        raise IndicatorError("where must be a table of DIMENSION = \"code\"", where,
                             "write e.g. where = { Geslacht = \"T001038\" }")
    return MeasureRule(indicator, key.strip(), title.strip(), table.strip().upper(), float(scale),
                       tuple(sorted((k, v.strip()) for k, v in conditions.items())), period.strip(), where.line)
