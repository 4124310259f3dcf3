"""Reading CBS OData JSON: located syntax errors, the line of every record, and which resource a file holds.

CBS JSON reaches a workspace in three shapes, all read here:

* one OData response per file, as the API gives it: ``{"odata.metadata": ".../85618NED/$metadata#
  Cbs.OData.WebAPI.TypedDataSet", "value": [...]}`` (v3) or ``{"@odata.context": ".../85618NED/$metadata#
  Observations", "value": [...]}`` (v4); the data and its metadata (DataProperties, MeasureCodes) then come
  as separate files, imported together;
* one object holding several resources by name (``{"TableInfos": [...], "DataProperties": [...],
  "TypedDataSet": [...]}``), as ``cbsodata.download_data`` returns them and ``fetch-cbs`` writes them;
* a folder of ``<resource>.json`` files holding bare lists, as ``cbsodata.get_data(dir=...)`` saves them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verlicht.errors import IndicatorError, Location

V3_DATA = ("TypedDataSet", "UntypedDataSet")
V3_META = ("DataProperties", "TableInfos")
V4_DATA = ("Observations",)
V4_META = ("MeasureCodes", "Dimensions", "Properties")
_TABLE_IN_URL = re.compile(r"/([0-9A-Za-z]{5,10})/?\$metadata")
_TABLE_ID = re.compile(r"^\d{5}[A-Za-z]{0,5}$")
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


@dataclass(slots=True)
class Bundle:
    """The CBS resources read from one file or folder: name -> records, and where each record starts.

    ``origin`` says where each resource itself starts (its file, line and column): the resources of
    several files are joined into one bundle (:func:`combine`, a cbsodata folder), and a fault in one
    of them must name the file that holds it, not the file holding the data.
    """

    shown: str
    table: str = ""
    resources: dict[str, Any] = field(default_factory=dict)
    where: dict[str, list[Location]] = field(default_factory=dict)
    origin: dict[str, Location] = field(default_factory=dict)

    @property
    def version(self) -> int | None:
        if any(name in self.resources for name in V3_DATA + V3_META):
            return 3
        if any(name in self.resources for name in V4_DATA + V4_META) or any(
                name.endswith("Codes") for name in self.resources):
            return 4
        return None

    @property
    def has_data(self) -> bool:
        return any(name in self.resources for name in V3_DATA + V4_DATA)

    def at(self, resource: str) -> Location:
        """Where ``resource`` starts: its own file (which may not be this bundle's), line and column."""
        return self.origin.get(resource) or Location(self.shown)

    def location(self, resource: str, index: int) -> Location:
        places = self.where.get(resource) or []
        return places[index] if index < len(places) else self.at(resource)

    def add(self, name: str, records: Any, where: list[Location], origin: Location) -> None:
        self.resources[name] = records
        self.where[name] = where
        self.origin[name] = origin


def read_json_text(path: Path, shown: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IndicatorError(f"cannot read {path.name}: {exc.strerror or exc}", Location(shown)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IndicatorError(f"{path.name} is not UTF-8", Location(shown, line), "CBS sends UTF-8; "
                             "save the file as it was downloaded") from None


def parse_json(text: str, shown: str) -> Any:
    """The JSON value of ``text``; a syntax error names its line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise IndicatorError(f"JSON does not parse: {exc.msg}", Location(shown, exc.lineno, exc.colno),
                             "the download may have been cut off; fetch it again") from None
    except RecursionError:
        raise IndicatorError("JSON nests too deeply", Location(shown)) from None


def _skip(text: str, index: int) -> int:
    return _WS.match(text, index).end()  # type: ignore[union-attr]


def _array_offsets(text: str, index: int) -> tuple[list[int], int]:
    offsets: list[int] = []
    index = _skip(text, index + 1)
    if text[index] == "]":
        return offsets, index + 1
    while True:
        offsets.append(index)
        _, index = _DECODER.raw_decode(text, index)
        index = _skip(text, index)
        if text[index] == ",":
            index = _skip(text, index + 1)
            continue
        return offsets, index + 1


def element_offsets(text: str) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Where each top-level value starts, and each element of each top-level array (key '' for a
    top-level list).

    ``text`` must already have parsed; anything unexpected gives what was found so far (records are
    then located by their index, resources by their file).
    """
    starts: dict[str, int] = {}
    result: dict[str, list[int]] = {}
    try:
        index = _skip(text, 0)
        if text[index] == "[":
            starts[""] = index
            result[""] = _array_offsets(text, index)[0]
            return starts, result
        if text[index] != "{":
            return starts, result
        index = _skip(text, index + 1)
        while text[index] == '"':
            key, index = _DECODER.raw_decode(text, index)
            index = _skip(text, _skip(text, index) + 1)  # past ':'
            starts[key] = index
            if text[index] == "[":
                result[key], index = _array_offsets(text, index)
            else:
                _, index = _DECODER.raw_decode(text, index)
            index = _skip(text, index)
            if text[index] != ",":
                break
            index = _skip(text, index + 1)
    except (ValueError, IndexError):
        return starts, {}
    return starts, result


def _locations(text: str, shown: str, offsets: list[int]) -> list[Location]:
    """Line and column of each offset (ascending), counting newlines between one and the next."""
    places = []
    line, previous, line_start = 1, 0, 0
    for offset in offsets:
        between = text.count("\n", previous, offset)
        if between:
            line += between
            line_start = text.rfind("\n", previous, offset) + 1
        places.append(Location(shown, line, offset - line_start + 1))
        previous = offset
    return places


def _resource_of(url: str) -> str:
    """'…/$metadata#Cbs.OData.WebAPI.TypedDataSet' -> 'TypedDataSet'; '…#Observations' -> 'Observations'."""
    fragment = url.rpartition("#")[2]
    return fragment.split("/")[0].rpartition(".")[2]


def _guess_resource(records: list, name_hint: str) -> str:
    """Which resource a bare list holds, from the file name or the shape of its records."""
    for name in V3_DATA + V3_META + V4_DATA + V4_META:
        if name_hint.casefold() == name.casefold():
            return name
    if name_hint.endswith("Codes"):
        return name_hint
    first = next((r for r in records if isinstance(r, dict)), {})
    if "Measure" in first and ("ValueAttribute" in first or "Value" in first):
        return "Observations"
    if "Type" in first and "Key" in first:
        return "DataProperties"
    if "Identifier" in first and "Unit" in first:
        return "MeasureCodes"
    if "ID" in first:
        return "TypedDataSet"
    return name_hint or "value"


def read_bundle(path: Path, shown: str) -> Bundle:
    """The CBS resources in a JSON file or a cbsodata folder, with the place of every record."""
    bundle = Bundle(shown)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix == ".json" and not p.name.startswith("."))
        if not files:
            raise IndicatorError("folder holds no .json files", Location(shown),
                                 "pass a file or a folder saved by cbsodata (TypedDataSet.json, DataProperties.json)")
        for file in files:
            part = read_bundle(file, f"{shown.rstrip('/')}/{file.name}")
            for name, records in part.resources.items():
                bundle.add(name, records, part.where.get(name, []), part.at(name))
            bundle.table = bundle.table or part.table
        _table_from_infos(bundle)
        if not bundle.table and _TABLE_ID.match(path.name):
            bundle.table = path.name.upper()  # cbsodata users name the folder after the table
        return bundle
    return bundle_from_text(read_json_text(path, shown), shown, path.stem)


def bundle_from_text(text: str, shown: str, stem: str = "") -> Bundle:
    """The CBS resources in JSON ``text`` (see :func:`read_bundle`); ``stem`` hints at a bare list's resource."""
    bundle = Bundle(shown)
    data = parse_json(text, shown)
    starts, offsets = element_offsets(text)

    def add(name: str, key: str, records: Any) -> None:
        origin = _locations(text, shown, [starts[key]])[0] if key in starts else Location(shown, 1)
        bundle.add(name, records, _locations(text, shown, offsets.get(key, [])), origin)

    if isinstance(data, list):
        add(_guess_resource(data, stem), "", data)
        return bundle
    if not isinstance(data, dict):
        raise IndicatorError("JSON holds neither an object nor a list", Location(shown, 1),
                             "expected a CBS OData response or a cbsodata download")
    meta = data.get("odata.metadata") or data.get("@odata.context")
    if isinstance(meta, str):
        found = _TABLE_IN_URL.search(meta)
        bundle.table = found.group(1).upper() if found else ""
    if isinstance(meta, str) and "value" not in data and all(k.startswith(("odata.", "@odata")) for k in data):
        raise IndicatorError(f"OData response for {_resource_of(meta) or 'a resource'} without a 'value' array",
                             Location(shown, 1), "the download may have been cut off; fetch it again")
    if "value" in data and isinstance(meta, str):
        name = _resource_of(meta)
        if name in ("", "value"):
            name = _guess_resource(data["value"] if isinstance(data["value"], list) else [], stem)
        add(name, "value", data["value"])
    elif "value" in data and len([k for k in data if not k.startswith(("odata.", "@odata"))]) == 1:
        add(_guess_resource(data["value"] if isinstance(data["value"], list) else [], stem), "value", data["value"])
    else:
        for name, records in data.items():
            if not name.startswith(("odata.", "@odata")):
                add(name, name, records)
    _table_from_infos(bundle)
    return bundle


def _table_from_infos(bundle: Bundle) -> None:
    """Take the table id from TableInfos (v3) or Properties (v4) when the URL did not give it."""
    if bundle.table:
        return
    infos = bundle.resources.get("TableInfos")
    if isinstance(infos, list) and infos and isinstance(infos[0], dict):
        bundle.table = str(infos[0].get("Identifier") or "").strip().upper()
    props = bundle.resources.get("Properties")
    if isinstance(props, dict):
        bundle.table = str(props.get("Identifier") or "").strip().upper()


def combine(bundles: list[Bundle]) -> list[Bundle]:
    """Give every bundle holding data the metadata resources that came in other files of the same table.

    A metadata file without a table id joins data of any table when it is the only one of its version.
    Returns the bundles holding data; metadata-only bundles are used up.
    """
    data = [b for b in bundles if b.has_data]
    meta = [b for b in bundles if not b.has_data]
    for target in data:
        for source in meta:
            same_table = bool(target.table and source.table and target.table == source.table)
            sole = (not target.table or not source.table) and sum(
                1 for m in meta if m.version == source.version) == 1
            if source.version == target.version and (same_table or sole):
                for name, records in source.resources.items():
                    if name not in target.resources:
                        target.add(name, records, source.where.get(name, []), source.at(name))
                target.table = target.table or source.table
    unused = [m for m in meta if m.version is None]
    if unused:
        raise IndicatorError("JSON file holds no CBS OData resource", Location(unused[0].shown),
                             "expected TypedDataSet/DataProperties (OData v3) or Observations/MeasureCodes (v4)")
    if not data and meta:
        raise IndicatorError("JSON file holds CBS metadata but no figures", Location(meta[0].shown),
                             "import it together with the TypedDataSet or Observations file of the same table")
    return data
