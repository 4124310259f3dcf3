"""An import: read files, map CBS figures to indicators and areas, merge into ``indicators/observations.csv``.

Nothing is dropped silently: a figure that is missing, not a number, given twice, in a region or of a
measure the mapping does not know, or without a valid period is skipped with a warning that says where
it is (file:line, and the record for JSON), and counted by reason in the report. Malformed files and
mappings are errors, and then nothing is written. The observations file is rewritten sorted, with the
same bytes for the same content, and replaced atomically.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verlicht.errors import IndicatorError, Location, VerlichtWarning
from verlicht.fsio import atomic_write_bytes
from verlicht.indicators.areas import area_resolver
from verlicht.indicators.importers import jsonfiles
from verlicht.indicators.importers.csvfiles import csv_kind, read_cbs_csv, read_project_csv
from verlicht.indicators.importers.mapping import MAPPING_FILE, Mapping, MeasureRule, load_mapping
from verlicht.indicators.importers.model import (
    BAD_PERIOD,
    DUPLICATE,
    NOT_A_NUMBER,
    PERIOD_CODE,
    PERIOD_TITLE,
    REASONS,
    UNKNOWN_AREA,
    UNKNOWN_INDICATOR,
    UNKNOWN_MEASURE,
    UNKNOWN_REGION,
    ImportedValue,
    ParsedFile,
    RawValue,
)
from verlicht.indicators.importers.odata import read_v3, read_v4
from verlicht.indicators.importers.periods import cbs_period, statline_period
from verlicht.indicators.regions import Region, RegionTable, load_builtin_regions, looks_like_code
from verlicht.indicators.tables import OBSERVATION_COLUMNS, OBSERVATIONS_FILE, Observation
from verlicht.workspace import Layout

FORMATS = ("auto", "csv", "cbs-csv", "odata3", "odata4")
TOTAL = "(all)"
_SCALED_UNIT = re.compile(r"^x\s*([\d\s.]+)\s+(.*)$")


@dataclass(slots=True)
class Context:
    """What an import checks against: the workspace's indicators, areas, mapping and region codes."""

    indicators: set[str]
    areas: set[str]
    mapping: Mapping
    regions: RegionTable
    observations: list[Observation] = field(default_factory=list)
    target: Path | None = None
    shown: str = ""
    notes: list[VerlichtWarning] = field(default_factory=list)  # about the workspace: CSVs that are no catalogue
    # An area as written (label, CBS code, any case) to its id, as the build reads observations.csv.
    resolve_area: Callable[[str], str | None] | None = None


@dataclass(slots=True)
class ImportReport:
    """What an import did, per indicator, and every warning it gave."""

    target: str
    counts: dict[str, Counter] = field(default_factory=dict)  # indicator -> added/changed/unchanged/removed
    skipped: dict[str, Counter] = field(default_factory=dict)  # indicator ('' when unknown) -> reason -> n
    warnings: list[VerlichtWarning] = field(default_factory=list)
    values: list[ImportedValue] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    data: bytes = b""  # the merged observations file

    def skipped_total(self) -> Counter:
        total: Counter = Counter()
        for counter in self.skipped.values():
            total.update(counter)
        return total

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per indicator touched, and a last row '(all)' that also counts unmapped figures."""
        rows = []
        names = sorted(set(self.counts) | {k for k in self.skipped if k})
        total: Counter = Counter()
        for name in names:
            counts = self.counts.get(name, Counter())
            total.update(counts)
            rows.append(self._row(name, counts, self.skipped.get(name, Counter())))
        rows.append(self._row(TOTAL, total, self.skipped_total()))
        return rows

    @staticmethod
    def _row(name: str, counts: Counter, skipped: Counter) -> dict[str, Any]:
        return {"indicator": name, "added": counts["added"], "changed": counts["changed"],
                "unchanged": counts["unchanged"], "removed": counts["removed"], "skipped": sum(skipped.values()),
                "reasons": {r: skipped[r] for r in REASONS if skipped[r]}}


def load_context(layout: Layout, mapping_path: Path | None = None) -> Context:
    """The workspace's indicators, areas, observations, mapping and region codes, all checked."""
    from verlicht.graph.build import load_indicator_files, load_inputs  # the build's own loading and checks

    catalogue, codebook = load_inputs(layout)
    notes: list[VerlichtWarning] = []
    indicators, observations = load_indicator_files(layout, codebook, catalogue, notes)
    areas = set(catalogue.areas)
    path = mapping_path if mapping_path is not None else layout.indicators / MAPPING_FILE
    if mapping_path is not None and not mapping_path.exists():
        raise IndicatorError(f"mapping {mapping_path} does not exist", None,
                             "write one (see docs/CBS_IMPORT.md) or leave out --mapping to use "
                             f"indicators/{MAPPING_FILE}")
    mapping = load_mapping(path, layout.shown(path.resolve()) if path.exists() else layout.shown(path),
                           set(indicators), areas)
    catalogue_rules(mapping, indicators.values())
    target = layout.indicators / OBSERVATIONS_FILE
    return Context(set(indicators), areas, mapping, mapping.region_table(load_builtin_regions()), observations,
                   target, layout.shown(target), notes=notes, resolve_area=area_resolver(catalogue))


def catalogue_rules(mapping: Mapping, indicators: Iterable[Any]) -> None:
    """Add a rule for every indicator whose catalogue row names its CBS table and measure key.

    The catalogue already says where an indicator comes from (``cbs_table``, ``cbs_measure``), so a
    data desk need not repeat it in the mapping file; a rule in the mapping file for the same table
    and key comes first and so wins (e.g. to give a ``scale``).
    """
    given = {(rule.indicator, rule.table.upper(), rule.key) for rule in mapping.rules}
    for indicator in sorted(indicators, key=lambda i: i.id):
        table, key = getattr(indicator, "cbs_table", ""), getattr(indicator, "cbs_measure", "")
        if table and key and (indicator.id, table.upper(), key) not in given:
            mapping.rules.append(MeasureRule(indicator=indicator.id, key=key, table=table.upper(),
                                             line=getattr(indicator, "line", None)))


# -- reading ------------------------------------------------------------------------------------------------

def sniff(path: Path, shown: str) -> str:
    """The format of a file by its name and first bytes: csv, cbs-csv or json; an error when it is none."""
    if path.is_dir() or path.suffix.casefold() == ".json":
        return "json"
    try:
        with path.open("rb") as handle:
            head = handle.read(8192).decode("utf-8-sig", errors="replace")
    except OSError as exc:
        raise IndicatorError(f"cannot read {path.name}: {exc.strerror or exc}", Location(shown)) from None
    if head.lstrip()[:1] in ("{", "["):
        return "json"
    kind = csv_kind(head)
    if kind is None:
        raise IndicatorError(f"cannot tell the format of {shown}", None,
                             "expected a project CSV (indicator,area,period,value), a StatLine CSV download or CBS "
                             "OData JSON; pass --format-in")
    return kind


def read_files(files: Iterable[tuple[Path, str]], fmt: str = "auto") -> list[ParsedFile]:
    """Read every file in its format (``auto`` decides per file); JSON metadata joins its data."""
    if fmt not in FORMATS:
        raise IndicatorError(f"unknown format '{fmt}'", None, f"use one of {', '.join(FORMATS)}")
    parsed: list[ParsedFile | jsonfiles.Bundle] = []
    bundles = []
    for path, shown in files:
        if not path.exists():
            raise IndicatorError(f"{shown} does not exist", None, "check the file name")
        kind = sniff(path, shown) if fmt == "auto" else ("json" if fmt in ("odata3", "odata4") else fmt)
        if kind == "csv":
            parsed.append(read_project_csv(path, shown))
        elif kind == "cbs-csv":
            parsed.append(read_cbs_csv(path, shown))
        else:
            bundles.append(jsonfiles.read_bundle(path, shown))
            parsed.append(bundles[-1])
    with_data = {id(b) for b in jsonfiles.combine(bundles)}
    # Files are read in the order given, so 'first kept' among duplicates means first on the command line.
    return [p if isinstance(p, ParsedFile) else read_bundle(p, fmt) for p in parsed
            if isinstance(p, ParsedFile) or id(p) in with_data]


def read_bundle(bundle: jsonfiles.Bundle, fmt: str = "auto") -> ParsedFile:
    version = bundle.version
    wanted = {"odata3": 3, "odata4": 4}.get(fmt)
    if wanted and version != wanted:
        raise IndicatorError(f"{bundle.shown} is not CBS OData v{wanted} JSON", Location(bundle.shown),
                             "leave out --format-in to detect the format")
    return read_v3(bundle) if version == 3 else read_v4(bundle)


# -- mapping figures to indicators and areas ----------------------------------------------------------------

def clean(value: float) -> float:
    """A figure without float noise from scaling (``0.1 * 3``), twelve significant digits."""
    return float(f"{value:.12g}")


def scaled_unit(unit: str, scale: float) -> str:
    if scale == 1:
        return unit
    found = _SCALED_UNIT.match(unit)
    if found and clean(float(found.group(1).replace(" ", "").replace(".", ""))) == scale:
        return found.group(2)
    return f"{unit} ×{scale:g}".strip()


class Resolver:
    """Turns raw figures into observations, counting and reporting everything it skips."""

    def __init__(self, context: Context, report: ImportReport):
        self.context = context
        self.report = report
        self.accepted: dict[tuple[str, str, str], ImportedValue] = {}
        self._rules: dict[tuple, list[MeasureRule]] = {}

    def warn(self, message: str, location: Location | None, hint: str | None = None) -> None:
        self.report.warnings.append(VerlichtWarning(message, location, hint))

    def skip(self, indicator: str, reason: str, count: int = 1) -> None:
        counter = self.report.skipped.get(indicator)
        if counter is None:
            counter = self.report.skipped[indicator] = Counter()
        counter[reason] += count

    def file(self, parsed: ParsedFile) -> None:
        self.report.warnings.extend(parsed.notes)
        for reason, count in parsed.skipped.items():
            self.skip("", reason, count)
        unknown_measures: dict[str, list] = {}
        unknown_regions: dict[str, list] = {}
        unchecked: dict[str, Region] = {}
        no_period: list = []
        keys = None
        if parsed.measures is not None:  # read only the mapped measures; count the others at once
            keys = set()
            for key, info in parsed.measures.items():
                if self.context.mapping.knows(parsed.table, key, info.title):
                    keys.add(key)
                elif info.numeric:
                    unknown_measures[key] = [info.count, info.location]
                    self.skip("", UNKNOWN_MEASURE, info.count)
        for raw in parsed.read(keys):
            if raw.indicator:
                self._project(raw)
                continue
            table = parsed.table or raw.table
            cache_key = (table, raw.measure, raw.title, raw.dims)
            rules = self._rules.get(cache_key)
            if rules is None:
                rules = self._rules[cache_key] = self.context.mapping.rules_for(table, raw.measure, raw.title,
                                                                                 raw.dims)
            if not rules:
                if raw.numeric:
                    entry = unknown_measures.setdefault(raw.measure, [0, raw.location])
                    entry[0] += 1
                    self.skip("", UNKNOWN_MEASURE)
                continue
            for rule in rules:
                self._cbs(raw, rule, table, unknown_regions, unchecked, no_period)
        self._summaries(parsed, unknown_measures, unknown_regions, unchecked, no_period)

    def _summaries(self, parsed: ParsedFile, measures: dict, regions: dict, unchecked: dict,
                   no_period: list) -> None:
        if measures:
            names = sorted(measures)
            count = sum(n for n, _ in measures.values())
            listed = ", ".join(names[:8]) + (f" … ({len(names) - 8} more)" if len(names) > 8 else "")
            self.warn(f"{len(names)} measure(s) not in the mapping, {count} figure(s) skipped: {listed}",
                      measures[names[0]][1], f"map them to indicators in indicators/{MAPPING_FILE} ([[measures]])")
        by_why: dict[str, list[str]] = {}
        for code in sorted(regions):
            by_why.setdefault(regions[code][2], []).append(code)
        for why, codes in by_why.items():
            if len(codes) <= 3:  # a few: one warning each, with where it first occurs
                for code in codes:
                    count, location, _ = regions[code]
                    self.warn(f"region {code!r} {why}: {count} figure(s) skipped", location,
                              f"add it to [regions] in indicators/{MAPPING_FILE}: {code} = \"<area id>\"")
                continue
            count = sum(regions[c][0] for c in codes)
            listed = ", ".join(codes[:8]) + (f" … ({len(codes) - 8} more)" if len(codes) > 8 else "")
            self.warn(f"{len(codes)} regions {why.replace('is ', 'are ', 1)}: {count} figure(s) skipped: {listed}",
                      regions[codes[0]][1], f"add the ones you need to [regions] in indicators/{MAPPING_FILE}, "
                      "or fetch only those (fetch-cbs --region)")
        for code, region in sorted(unchecked.items()):
            self.warn(f"region {code} filed under '{region.area}' is not confirmed for this table ({region.source})",
                      Location(parsed.shown), f"confirm it by adding {code} = \"{region.area}\" to [regions] in "
                      f"indicators/{MAPPING_FILE}")
        if no_period:
            table = parsed.table or "this table"
            self.warn(f"{table} has no period dimension: {no_period[0]} figure(s) skipped", no_period[1],
                      f"set the period in the mapping: [tables.{parsed.table or '<table id>'}] period = \"2023\"")

    def _project(self, raw: RawValue) -> None:
        indicator, area = raw.indicator, raw.area
        if indicator not in self.context.indicators:
            self.skip(indicator, UNKNOWN_INDICATOR)
            self.warn(f"unknown indicator '{indicator}': skipped", raw.location,
                      "add it to the indicator catalogue (indicators/*.csv) first")
            return
        if area not in self.context.areas and self.context.resolve_area is not None:
            area = self.context.resolve_area(area) or area
        if area not in self.context.areas:
            self.skip(indicator, UNKNOWN_AREA)
            self.warn(f"unknown area '{area}': skipped", raw.location,
                      "use an area of the catalogue: its id, label or CBS code ('verlicht goals areas' lists them)")
            return
        if raw.problem:
            self.skip(indicator, raw.problem[0])
            self.warn(f"no figure for {indicator} in {area}, {raw.period or '?'} ({raw.problem[1]}): skipped",
                      raw.location)
            return
        if not raw.period:
            self.skip(indicator, BAD_PERIOD)
            self.warn(f"no period for {indicator} in {area}: skipped", raw.location, "fill in e.g. 2023")
            return
        self._accept(ImportedValue(indicator, area, raw.period, clean(raw.value), "", raw.location.path,
                                   raw.location), raw)

    def _cbs(self, raw: RawValue, rule: MeasureRule, table: str, unknown_regions: dict, unchecked: dict,
             no_period: list) -> None:
        indicator = rule.indicator
        region = self.context.regions.get(raw.region) if looks_like_code(raw.region) else \
            self.context.regions.by_title(raw.region)
        if region is None or region.area not in self.context.areas:
            why = "is not in the region mapping" if region is None else \
                f"is filed under '{region.area}', which is not an area of the catalogue"
            entry = unknown_regions.setdefault(raw.region or "(none)", [0, raw.location, why])
            entry[0] += 1
            self.skip(indicator, UNKNOWN_REGION if region is None else UNKNOWN_AREA)
            return
        if not region.checked:
            unchecked[region.code] = region
        prefix = f"{raw.record}: " if raw.record else ""
        if raw.problem or not raw.numeric:
            reason, detail = raw.problem or (NOT_A_NUMBER, f"'{raw.measure}' is a label ({raw.unit}), not a figure")
            self.skip(indicator, reason)
            when = raw.period or rule.period or self.context.mapping.period_of(table) or "no period"
            self.warn(f"{prefix}no figure for {indicator} ({raw.measure}) in {region.code}, {when}: {detail}; "
                      "skipped", raw.location)
            return
        if raw.period:
            period = cbs_period(raw.period) if raw.period_kind == PERIOD_CODE else \
                statline_period(raw.period) if raw.period_kind == PERIOD_TITLE else raw.period
            if period is None:
                self.skip(indicator, BAD_PERIOD)
                self.warn(f"{prefix}period {raw.period!r} is not a CBS period; {indicator} in {region.code} skipped",
                          raw.location, "CBS codes periods as 2023JJ00, 2023KW01, 2023MM03")
                return
        else:
            period = rule.period or self.context.mapping.period_of(table)
            if not period:
                if not no_period:
                    no_period.extend([0, raw.location])
                no_period[0] += 1
                self.skip(indicator, BAD_PERIOD)
                return
        value = clean(raw.value * rule.scale)  # type: ignore[operator]
        self._accept(ImportedValue(indicator, region.area, period, value, scaled_unit(raw.unit, rule.scale),
                                   f"{table}/{raw.measure}" if table else raw.measure, raw.location), raw)

    def _accept(self, value: ImportedValue, raw: RawValue) -> None:
        first = self.accepted.get(value.key)
        if first is None:
            self.accepted[value.key] = value
            return
        self.skip(value.indicator, DUPLICATE)
        prefix = f"{raw.record}: " if raw.record else ""
        what = f"{value.indicator} in {value.area}, {value.period}"
        if first.value == value.value:
            self.warn(f"{prefix}{what} given again (first at {first.location}): skipped", value.location)
            return
        # In a project CSV the row itself names indicator and area; only a CBS figure went through the mapping.
        hint = "keep one row per indicator, area and period" if raw.indicator else \
            "check the mapping: two measures or regions may feed the same indicator and area"
        self.warn(f"{prefix}second figure for {what}: {format_value(value.value)} here, "
                  f"{format_value(first.value)} at {first.location}; the first is kept", value.location, hint)


# -- merging and writing ------------------------------------------------------------------------------------

def format_value(value: float) -> str:
    """A figure as the observations file writes it: whole numbers without '.0', others shortest exact."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def render_observations(values: dict[tuple[str, str, str], float]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OBSERVATION_COLUMNS)
    for key in sorted(values):
        writer.writerow([*key, format_value(values[key])])
    return buffer.getvalue().encode("utf-8")


def merge(existing: list[Observation], imported: dict[tuple[str, str, str], ImportedValue], replace: bool,
          report: ImportReport) -> dict[tuple[str, str, str], float]:
    """Existing observations with the imported ones added or changed (and, with ``replace``, removed)."""
    old = {(o.indicator, o.area, o.period): clean(o.value) for o in existing}
    result = dict(old)
    for key, value in imported.items():
        counts = report.counts.setdefault(key[0], Counter())
        if key not in old:
            counts["added"] += 1
        elif old[key] == value.value:
            counts["unchanged"] += 1
        else:
            counts["changed"] += 1
        result[key] = value.value
    if replace:
        touched = {key[0] for key in imported}
        for key in old:
            if key[0] in touched and key not in imported:
                report.counts[key[0]]["removed"] += 1
                del result[key]
    return result


def apply(context: Context, parsed: list[ParsedFile], dry_run: bool = False, replace: bool = False) -> ImportReport:
    """Resolve the figures of ``parsed``, merge them into the observations file and write it (unless dry run)."""
    report = ImportReport(context.shown, dry_run=dry_run)
    imported = {file.shown for file in parsed}  # a CBS download in indicators/ being imported now: no advice
    report.warnings.extend(n for n in context.notes if n.location is None or n.location.path not in imported)
    resolver = Resolver(context, report)
    for file in parsed:
        resolver.file(file)
    report.values = sorted(resolver.accepted.values(), key=lambda v: v.key)
    report.data = render_observations(merge(context.observations, resolver.accepted, replace, report))
    if not dry_run:
        commit(context, report)
    return report


def commit(context: Context, report: ImportReport) -> None:
    """Write the merged observations, atomically, and only when their bytes changed."""
    target = context.target
    if target is None:
        return
    current = target.read_bytes() if target.exists() else None
    if current != report.data:
        atomic_write_bytes(target, report.data)
        report.written = True


def import_observations(layout: Layout, files: Iterable[Path], fmt: str = "auto", mapping: Path | None = None,
                        dry_run: bool = False, replace: bool = False) -> ImportReport:
    """Import observation files into the workspace's ``indicators/observations.csv``.

    >>> report = import_observations(layout, [Path("85618NED.json")], dry_run=True)  # doctest: +SKIP
    >>> report.to_rows()[-1]["added"]  # doctest: +SKIP
    12
    """
    context = load_context(layout, mapping)
    paths = [(Path(p), layout.shown(Path(p).resolve()) if Path(p).exists() else str(p)) for p in files]
    parsed = read_files(paths, fmt)
    return apply(context, parsed, dry_run, replace)


def skipped_summary(report: ImportReport) -> str:
    total = report.skipped_total()
    if not total:
        return ""
    parts = [f"{total[r]} {r.replace('_', ' ')}" for r in REASONS if total[r]]
    return f"skipped {sum(total.values())} figure(s): " + ", ".join(parts)

