"""Figures from CBS OData JSON: v3 (TypedDataSet + DataProperties) and v4 (Observations + MeasureCodes).

OData v3 (opendata.cbs.nl/ODataApi, ODataFeed) gives one record per region and period with one field per
measure (``{"ID": 0, "WijkenEnBuurten": "GM0917    ", "AantalInwoners_5": 86762, ...}``); its
DataProperties say which fields are dimensions (GeoDimension, TimeDimension, Dimension) and which are
topics, with their title, unit and data type. The TypedDataSet has numbers and ``null`` for a missing
figure; the UntypedDataSet has text, ``"."`` for a missing figure. Keys are padded with spaces.

OData v4 (datasets.cbs.nl, odata4.cbs.nl) gives one record per figure (``{"Id": 0, "Measure": "M000352",
"ValueAttribute": "None", "Value": 86762.0, "WijkenEnBuurten": "GM0917", "Perioden": "2023JJ00"}``);
MeasureCodes give each measure's title and unit, Dimensions the kind of each dimension column.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator
from typing import Any

from verlicht.errors import IndicatorError, Location, VerlichtWarning
from verlicht.indicators.importers.jsonfiles import Bundle
from verlicht.indicators.importers.model import (
    MISSING,
    NOT_A_NUMBER,
    PERIOD_CODE,
    MeasureInfo,
    ParsedFile,
    RawValue,
)
from verlicht.indicators.regions import normalise_code

_GEO_NAMES = ("WijkenEnBuurten", "RegioS", "Regio", "Gemeenten", "Regions")
_TIME_NAMES = ("Perioden", "Periods")
_V4_FIELDS = {"Id", "Measure", "ValueAttribute", "Value", "StringValue"}


def _records(bundle: Bundle, name: str) -> list:
    records = bundle.resources.get(name)
    if not isinstance(records, list):
        raise IndicatorError(f"{name} is not a list of records", bundle.at(name),
                             "expected the 'value' array of a CBS OData response")
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise IndicatorError(f"{name} record {index} is not an object", bundle.location(name, index),
                                 "every record of a CBS OData response is a JSON object")
    return records


def number(raw: Any) -> tuple[float | None, tuple[str, str] | None]:
    """A JSON figure as CBS sends it: a number, ``null``, or text (``"  86762"``, ``"."``) in untyped data."""
    if raw is None:
        return None, (MISSING, "null")
    if isinstance(raw, bool):
        return None, (NOT_A_NUMBER, repr(raw).lower())
    if isinstance(raw, (int, float)):
        value = float(raw)
        return (value, None) if math.isfinite(value) else (None, (NOT_A_NUMBER, repr(raw)))
    if isinstance(raw, str):
        text = raw.strip()
        if text in ("", "."):
            return None, (MISSING, repr(raw))
        if text.casefold() == "x":
            return None, (MISSING, f"{raw!r} (confidential)")
        try:
            value = float(text)
        except ValueError:
            return None, (NOT_A_NUMBER, repr(raw))
        return (value, None) if math.isfinite(value) else (None, (NOT_A_NUMBER, repr(raw)))
    return None, (NOT_A_NUMBER, type(raw).__name__)


def read_v3(bundle: Bundle) -> ParsedFile:
    """Figures of an OData v3 bundle; needs its DataProperties."""
    data_name = next((n for n in ("TypedDataSet", "UntypedDataSet") if n in bundle.resources), None)
    if data_name is None:
        raise IndicatorError("no TypedDataSet or UntypedDataSet", Location(bundle.shown))
    table = bundle.table
    if "DataProperties" not in bundle.resources:
        url = f"https://opendata.cbs.nl/ODataApi/odata/{table or '<table>'}/DataProperties?$format=json"
        raise IndicatorError(f"{data_name} {table or ''} comes without DataProperties".replace("  ", " "),
                             Location(bundle.shown),
                             f"download {url} and import it together with the data, "
                             "or use 'verlicht indicators fetch-cbs'")
    properties = _records(bundle, "DataProperties")
    records = _records(bundle, data_name)
    geo = time = None
    dims: list[str] = []
    topics: dict[str, dict] = {}
    for index, prop in enumerate(properties):
        kind, key = prop.get("Type"), prop.get("Key")
        if not isinstance(kind, str) or not isinstance(key, (str, type(None))):
            raise IndicatorError(f"DataProperties record {index} has no Type and Key",
                                 bundle.location("DataProperties", index),
                                 "expected the DataProperties of a CBS OData v3 table")
        if kind == "GeoDimension":
            geo = key
        elif kind == "TimeDimension":
            time = key
        elif kind == "Dimension":
            dims.append(str(key))
        elif kind == "Topic" and key:
            topics[key] = prop
    if not topics:
        raise IndicatorError("DataProperties list no Topic", bundle.location("DataProperties", 0),
                             "expected the DataProperties of a CBS OData v3 table")

    info = {key: (str(prop.get("Title") or key).strip(), str(prop.get("Unit") or "").strip(),
                  str(prop.get("Datatype") or "") != "String") for key, prop in topics.items()}
    measures = {}
    for key, (title, _unit, numeric) in info.items():
        holding = [i for i, r in enumerate(records) if key in r]
        if holding:
            measures[key] = MeasureInfo(title, numeric, len(holding), bundle.location(data_name, holding[0]))

    def values(keys: Collection[str] | None) -> Iterator[RawValue]:
        wanted = [(k, *info[k]) for k in topics if keys is None or k in keys]
        if not wanted:
            return
        for index, record in enumerate(records):
            where = bundle.location(data_name, index)
            label = f"record {index}" + (f" (ID {record['ID']})" if "ID" in record else "")
            # A table without a region dimension holds national figures.
            region = normalise_code(record.get(geo, "")) if geo else "NL01"
            period = str(record.get(time) or "").strip() if time else ""
            extra = tuple((d, str(record.get(d) or "").strip()) for d in dims)
            for key, title, unit, numeric in wanted:
                if key not in record:
                    continue
                value, problem = number(record[key]) if numeric else (None, None)
                yield RawValue(where, table, key, title, unit, region, period, PERIOD_CODE, value, problem,
                               numeric, extra, record=label)

    return ParsedFile(bundle.shown, "odata3", table, values, measures)


def read_v4(bundle: Bundle) -> ParsedFile:
    """Figures of an OData v4 bundle; MeasureCodes and Dimensions are used when present."""
    records = _records(bundle, "Observations")
    table = bundle.table
    codes = {}
    if "MeasureCodes" in bundle.resources:
        for index, code in enumerate(_records(bundle, "MeasureCodes")):
            if "Identifier" not in code:
                raise IndicatorError(f"MeasureCodes record {index} has no Identifier",
                                     bundle.location("MeasureCodes", index))
            codes[str(code["Identifier"])] = code
    kinds: dict[str, str] = {}
    if "Dimensions" in bundle.resources:
        for dim in _records(bundle, "Dimensions"):
            if "Identifier" in dim:
                kinds[str(dim["Identifier"])] = str(dim.get("Kind") or "")
    names = {k for r in records[:50] for k in r} - _V4_FIELDS
    geo = next((d for d, k in kinds.items() if k == "GeoDimension"), None) or next(
        (d for d in _GEO_NAMES if d in names), None)
    time = next((d for d, k in kinds.items() if k == "TimeDimension"), None) or next(
        (d for d in _TIME_NAMES if d in names), None)
    dims = sorted(names - {geo, time})

    first: dict[str, list] = {}
    for index, record in enumerate(records):
        measure = record.get("Measure")
        if not isinstance(measure, str):
            raise IndicatorError(f"Observations record {index} has no Measure", bundle.location("Observations", index),
                                 "expected the Observations of a CBS OData v4 table")
        numeric = record.get("Value") is not None or not isinstance(record.get("StringValue"), str)
        entry = first.setdefault(measure, [0, index, False])
        entry[0] += 1
        entry[2] = entry[2] or numeric
    measures = {m: MeasureInfo(str(codes.get(m, {}).get("Title") or m).strip(),
                               numeric and str(codes.get(m, {}).get("DataType") or "") != "String", count,
                               bundle.location("Observations", index))
                for m, (count, index, numeric) in first.items()}
    notes = []
    if "MeasureCodes" in bundle.resources:  # MeasureCodes of another table, or cut off: say so, once per measure
        for measure, (count, index, _) in first.items():
            if measure not in codes:
                notes.append(VerlichtWarning(
                    f"record {index}: measure '{measure}' is not in the MeasureCodes ({bundle.at('MeasureCodes').path})"
                    f": its {count} figure(s) have no title or unit", bundle.location("Observations", index),
                    "import the MeasureCodes of the same table"))

    def values(keys: Collection[str] | None) -> Iterator[RawValue]:
        for index, record in enumerate(records):
            measure = record["Measure"]
            if keys is not None and measure not in keys:
                continue
            where = bundle.location("Observations", index)
            label = f"record {index}" + (f" (Id {record['Id']})" if "Id" in record else "")
            meta = codes.get(measure, {})
            attribute = str(record.get("ValueAttribute") or "None")
            numeric = not (record.get("Value") is None and isinstance(record.get("StringValue"), str)) and str(
                meta.get("DataType") or "") != "String"
            value, problem = number(record.get("Value")) if numeric else (None, None)
            if problem and attribute != "None":
                problem = (problem[0], f"{problem[1]}, ValueAttribute {attribute}")
            region = normalise_code(record.get(geo, "")) if geo else "NL01"
            period = str(record.get(time) or "").strip() if time else ""
            extra = tuple((d, str(record.get(d) or "").strip()) for d in dims)
            yield RawValue(where, table, measure, str(meta.get("Title") or measure).strip(),
                           str(meta.get("Unit") or "").strip(), region, period, PERIOD_CODE, value, problem,
                           numeric, extra, record=label)

    return ParsedFile(bundle.shown, "odata4", table, values, measures, notes)
