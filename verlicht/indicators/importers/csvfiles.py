"""Figures from CSV: the project's own ``indicator,area,period,value`` and CBS StatLine downloads.

A StatLine "CSV met puntkomma" download separates fields with ``;``, quotes every field, writes decimals
with a comma and a missing figure as ``.``; its header holds titles, a topic's group path joined with
``/`` and its unit in brackets (``"Bevolking/Aantal inwoners (aantal)"``); regions and periods are
titles (``Heerlen``, ``2023 1e kwartaal``), and tables of wijken carry the region code in a
``Codering (code)`` column. Files may start with a byte-order mark. CBS symbols are read as CBS defines
them: ``.`` missing, ``x`` confidential (both skipped and counted), ``-`` nihil (zero), a trailing ``*``
provisional (the figure is kept). Thousands separators (``86.762``) do not occur in downloads but do when
a table is copied from the StatLine page; a number of the form ``1.234`` or ``1.234,5`` is read with
``.`` as the thousands separator, as the decimal comma implies.

A row with fewer fields than the header (a line cut off) is skipped with a warning and counted as
``short_row``, in both kinds of CSV; a row with more fields is an error, since a field too many (an
unquoted decimal comma) would shift the figures without a word.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Collection, Iterator
from pathlib import Path

from verlicht.errors import IndicatorError, Location, VerlichtWarning
from verlicht.indicators.importers.model import (
    MISSING,
    NOT_A_NUMBER,
    PERIOD_PLAIN,
    PERIOD_TITLE,
    SHORT_ROW,
    MeasureInfo,
    ParsedFile,
    RawValue,
)
from verlicht.indicators.regions import looks_like_code, normalise_code
from verlicht.indicators.tables import OBSERVATION_COLUMNS

REGION_HEADERS = {"regio's", "regios", "regio", "regions", "region", "wijken en buurten", "wijkenenbuurten",
                  "gemeenten", "gemeente", "municipalities"}
PERIOD_HEADERS = {"perioden", "periods", "periode", "period", "jaar", "year"}
CODE_HEADERS = {"codering", "regiocode", "gebiedscode", "code", "regioaanduiding/codering"}
LABEL_UNITS = {"naam", "omschrijving", "code", "name", "description"}
_UNIT = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_COMMA = re.compile(r"^[+-]?\d+(,\d+)?$")
_POINT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


PROJECT_HEADER = ",".join(OBSERVATION_COLUMNS)


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def is_project_header(fields: list[str]) -> bool:
    """Whether a CSV header is (nearly) the project's ``indicator,area,period,value``.

    Nearly: it names ``indicator``, or two of the four columns, so that ``indicator,area,jaar,value`` is
    read as a project CSV with one wrong column, not as a StatLine download without a region column.
    """
    names = {f.strip().strip('"').casefold() for f in fields}
    return "indicator" in names or len(names & set(OBSERVATION_COLUMNS)) >= 2


def statline_header(rows: list[list[str]]) -> int | None:
    """The index of the row naming a region or period column (StatLine puts title lines above it)."""
    for index, row in enumerate(rows):
        if len(row) >= 2 and any(_norm(c) in REGION_HEADERS | PERIOD_HEADERS for c in row):
            return index
    return None


def csv_kind(head: str) -> str | None:
    """``'csv'`` (project), ``'cbs-csv'`` (StatLine) or None, from the first few kB of a text file."""
    lines = head.splitlines()
    if len(lines) > 1 and not head.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line may be cut off
    lines = [line for line in lines if line.strip()]
    if not lines:
        return None
    delimiter = _delimiter(lines[0])
    try:
        rows = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error:
        return None
    if rows and is_project_header(rows[0]):
        return "csv"
    stat_delimiter = ";" if lines[0].count(";") >= lines[0].count(",") or lines[0].count(";") else ","
    if stat_delimiter != delimiter:
        try:
            rows = list(csv.reader(lines, delimiter=stat_delimiter))
        except csv.Error:
            return None
    return "cbs-csv" if statline_header(rows) is not None else None


def read_project_csv(path: Path, shown: str) -> ParsedFile:
    """The project's observations CSV (``indicator,area,period,value``), header checked, rows located.

    Fields are separated by ``,`` (or ``;``, as Dutch spreadsheets save); other columns are ignored.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IndicatorError(f"cannot read {path.name}: {exc.strerror or exc}", Location(shown)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IndicatorError(f"{path.name} is not UTF-8", Location(shown, line), "save it as UTF-8") from None
    delimiter = _delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise IndicatorError(f"CSV does not parse: {exc}", Location(shown, reader.line_num + 1)) from None
    rows = [(n, row) for n, row in rows if any(c.strip() for c in row)]
    if not rows:
        raise IndicatorError("CSV file is empty", Location(shown, 1), f"the header must be: {PROJECT_HEADER}")
    header_line, header = rows[0]
    names = [h.strip() for h in header]
    source = text.split("\n", header_line)[header_line - 1] if header_line else ""
    _check_project_header(names, shown, header_line, source, delimiter)
    index = {name: names.index(name) for name in OBSERVATION_COLUMNS}
    needed = max(index.values()) + 1
    body, notes = [], []
    for line, row in rows[1:]:
        if len(row) > len(names):
            raise IndicatorError("row has more fields than the header", Location(shown, line),
                                 "quote fields that contain commas")
        if len(row) < needed:
            notes.append(VerlichtWarning(f"row has {len(row)} field(s), the header {len(names)}: skipped",
                                         Location(shown, line), "fill in the row or remove it"))
            continue
        body.append((line, {name: row[i].strip() for name, i in index.items()}))

    def values(_keys: Collection[str] | None) -> Iterator[RawValue]:
        for line, row in body:
            text = row["value"]
            value, problem = cbs_number(text) if text else (None, (MISSING, "empty value"))
            yield RawValue(Location(shown, line), measure=row["indicator"], period=row["period"],
                           period_kind=PERIOD_PLAIN, value=value, problem=problem, indicator=row["indicator"],
                           area=row["area"], region=row["area"])

    return ParsedFile(shown, "csv", "", values, notes=notes, skipped={SHORT_ROW: len(notes)} if notes else {})


def _check_project_header(names: list[str], shown: str, line: int, source: str, delimiter: str) -> None:
    """A project CSV header must hold the four columns; a wrong one is named, with the header expected."""
    hint = f"the header must be: {PROJECT_HEADER}"
    doubled = sorted({n for n in names if n and names.count(n) > 1})
    if doubled:
        raise IndicatorError(f"column '{doubled[0]}' appears twice", Location(shown, line), "keep one of them")
    missing = [c for c in OBSERVATION_COLUMNS if c not in names]
    if not missing:
        return
    unknown = [i for i, n in enumerate(names) if n not in OBSERVATION_COLUMNS]
    where = Location(shown, line, _column(source, unknown[0], delimiter) if unknown else None)
    if len(missing) == 1 and len(unknown) == 1:
        raise IndicatorError(f"project CSV has column '{names[unknown[0]]}' where '{missing[0]}' belongs", where,
                             hint)
    message = f"project CSV lacks column(s) {', '.join(missing)}"
    if unknown:
        message += f"; it has {', '.join(repr(names[i]) for i in unknown)} instead"
    raise IndicatorError(message, where, hint)


def cbs_number(text: str) -> tuple[float | None, tuple[str, str] | None]:
    """A figure as CBS CSV writes it: decimal comma, CBS symbols; (value, None) or (None, (reason, text))."""
    raw = text
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if text in ("", "."):
        return None, (MISSING, repr(raw))
    if text.casefold() == "x":
        return None, (MISSING, f"{raw!r} (confidential)")
    if text in ("-", "–", "—"):
        return 0.0, None  # CBS 'nihil'
    text = text.rstrip("*")  # provisional figure
    if _THOUSANDS.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif _COMMA.match(text):
        text = text.replace(",", ".")
    elif not _POINT.match(text):
        return None, (NOT_A_NUMBER, repr(raw))
    try:
        value = float(text)
    except ValueError:
        return None, (NOT_A_NUMBER, repr(raw))
    return (value, None) if math.isfinite(value) else (None, (NOT_A_NUMBER, repr(raw)))


def split_header(header: str) -> tuple[str, str]:
    """``'Bevolking/Aantal inwoners (aantal)'`` -> (``'Aantal inwoners'``, ``'aantal'``)."""
    text = " ".join(header.replace("\u00a0", " ").split())
    found = _UNIT.match(text)
    title, unit = (found.group(1), found.group(2).strip()) if found else (text, "")
    return title.rpartition("/")[2].strip() or title, unit


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


def _decode(data: bytes, shown: str) -> tuple[str, list[VerlichtWarning]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        note = VerlichtWarning("file is not UTF-8; read as Windows-1252", Location(shown),
                               "check that letters such as ë came through")
        return data.decode("cp1252", errors="replace"), [note]


def read_cbs_csv(path: Path, shown: str) -> ParsedFile:
    """Figures of a CBS StatLine CSV download; every row and column located."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IndicatorError(f"cannot read {path.name}: {exc.strerror or exc}", Location(shown)) from None
    text, notes = _decode(data, shown)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") or first.count(";") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise IndicatorError(f"CSV does not parse: {exc}", Location(shown, reader.line_num + 1)) from None
    rows = [(n, [c.strip() for c in row]) for n, row in rows if any(c.strip() for c in row)]
    if not rows:
        raise IndicatorError("CSV file is empty", Location(shown, 1))
    # The header is the first row naming a region or period column (title lines may stand above it).
    start = statline_header([row for _, row in rows]) or 0
    header_line, header = rows[start]
    body = rows[start + 1:]
    if len(header) < 2:
        raise IndicatorError("CSV header has one column", Location(shown, header_line),
                             "expected a StatLine download separated by ';'")
    lowered = [_norm(h) for h in header]
    region_col = next((i for i, h in enumerate(lowered) if h in REGION_HEADERS), None)
    period_col = next((i for i, h in enumerate(lowered) if h in PERIOD_HEADERS), None)
    code_col = next((i for i, h in enumerate(lowered)
                     if _norm(split_header(header[i])[0]) in CODE_HEADERS or h.startswith("codering_")), None)
    if region_col is None and code_col is None:
        raise IndicatorError("CSV has no region column", Location(shown, header_line),
                             "expected a column such as \"Regio's\" or \"Wijken en buurten\"")
    table_rows = []
    short = 0
    for line, row in body:
        if len(row) == 1:
            continue  # a note under the table ('Bron: CBS'), no figures
        if len(row) > len(header):
            raise IndicatorError(f"row has {len(row)} fields, the header {len(header)}", Location(shown, line),
                                 "every row of the download must have the header's columns")
        if len(row) < len(header):
            notes.append(VerlichtWarning(f"row has {len(row)} field(s), the header {len(header)}: skipped",
                                         Location(shown, line), "download the table again, or fill in the row"))
            short += 1
            continue
        table_rows.append((line, row))
    fixed = {region_col, period_col, code_col, *(i for i, h in enumerate(lowered) if h == "id")}
    measures = [i for i in range(len(header)) if i not in fixed]
    dims = []
    for i in measures:
        unit = split_header(header[i])[1]
        if not unit and table_rows and all((cbs_number(row[i])[1] or ("",))[0] == NOT_A_NUMBER
                                           for _, row in table_rows):
            dims.append(i)  # a further dimension (Geslacht, Leeftijd): text labels, no unit
    measures = [i for i in measures if i not in dims]

    source_lines = text.split("\n")
    measure_info = {}
    for i in measures:
        title, unit = split_header(header[i])
        where = Location(shown, header_line, _column(source_lines[header_line - 1], i, delimiter))
        measure_info[header[i]] = MeasureInfo(title, unit.casefold() not in LABEL_UNITS, len(table_rows), where)

    def values(keys: Collection[str] | None) -> Iterator[RawValue]:
        wanted = [i for i in measures if keys is None or header[i] in keys]
        for line, row in table_rows:
            source = source_lines[line - 1] if line - 1 < len(source_lines) else ""
            region = ""
            if code_col is not None and looks_like_code(row[code_col]):
                region = normalise_code(row[code_col])
            elif region_col is not None:
                region = normalise_code(row[region_col]) if looks_like_code(row[region_col]) else row[region_col]
            period = row[period_col] if period_col is not None else ""
            extra = tuple((split_header(header[d])[0], row[d]) for d in dims)
            for i in wanted:
                title, unit = split_header(header[i])
                numeric = unit.casefold() not in LABEL_UNITS
                value, problem = cbs_number(row[i]) if numeric else (None, None)
                yield RawValue(Location(shown, line, _column(source, i, delimiter)), "", header[i], title,
                               unit, region, period, PERIOD_TITLE, value, problem, numeric, extra,
                               record=f"column {header[i]!r}")

    return ParsedFile(shown, "cbs-csv", "", values, measure_info, notes, {SHORT_ROW: short} if short else {})


def _column(source: str, field: int, delimiter: str) -> int | None:
    """The 1-based column where field number ``field`` starts on the line ``source`` (None if not found)."""
    source = source.lstrip("\ufeff")
    index, quoted = 0, False
    if field == 0:
        return 1
    for position, char in enumerate(source):
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            index += 1
            if index == field:
                return position + 2
    return None
