"""CBS region codes and the workspace areas they stand for.

CBS names regions by code: ``NL01`` (Nederland), ``GM0917`` (gemeente Heerlen), ``WK091710`` (a wijk),
``BU09171001`` (a buurt); its OData keys pad them with spaces (``'GM0917    '``). VERLICHT ships a small
table of the codes it knows (``verlicht/data/regions.yaml``); a workspace adds its own in
``indicators/cbs_mapping.toml``. Regions not in either are reported by the import, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from verlicht.errors import IndicatorError, Location
from verlicht.yamlio import line_of, load_yaml

BUILTIN = "verlicht/data/regions.yaml"
_CODE = re.compile(r"^[A-Z]{2}\d{2}[0-9A-Z]{0,6}$")  # NL01, PV31, GM0917, WK091710, BU09171001


@dataclass(frozen=True, slots=True)
class Region:
    """One CBS region code and the workspace area it is filed under."""

    code: str
    area: str
    title: str = ""
    checked: bool = True
    source: str = ""  # where this pairing was read: a file and line


def normalise_code(raw: object) -> str:
    """A region key as CBS writes it, without its padding: ``'GM0917    '`` -> ``'GM0917'``."""
    return str(raw).strip().upper()


def looks_like_code(text: str) -> bool:
    """True for CBS region codes (``NL01``, ``GM0917``, ``WK091710``, ``BU09171001``), not for titles."""
    return bool(_CODE.match(normalise_code(text)))


class RegionTable:
    """Region codes (and CBS titles) to areas; later additions override earlier ones."""

    def __init__(self, regions: list[Region] | None = None):
        self.codes: dict[str, Region] = {}
        for region in regions or []:
            self.add(region)

    def add(self, region: Region) -> None:
        self.codes[region.code] = region

    def get(self, code: str) -> Region | None:
        return self.codes.get(normalise_code(code))

    def by_title(self, title: str) -> Region | None:
        """The region whose CBS title is ``title`` (case and spacing ignored), when that names one area."""
        wanted = " ".join(title.split()).casefold()
        found = {r.area: r for r in self.codes.values() if r.title and " ".join(r.title.split()).casefold() == wanted}
        return next(iter(found.values())) if len(found) == 1 else None

    def __len__(self) -> int:
        return len(self.codes)


def load_builtin_regions(path: Path | None = None, shown: str | None = None) -> RegionTable:
    """The region codes shipped with VERLICHT (or those of ``path``), checked for shape."""
    if path is None:
        path = Path(str(resources.files("verlicht") / "data" / "regions.yaml"))
        shown = BUILTIN
    shown = shown or str(path)
    data = load_yaml(path, shown, IndicatorError)
    codes = data.get("codes") if isinstance(data, dict) else None
    if not isinstance(codes, dict):
        raise IndicatorError("region table without 'codes:'", Location(shown, 1),
                             "write 'codes:' with one entry per CBS region code")
    table = RegionTable()
    for raw_code, spec in codes.items():
        line = line_of(codes, raw_code)
        where = Location(shown, line)
        code = normalise_code(raw_code)
        if not looks_like_code(code):
            raise IndicatorError(f"'{raw_code}' is not a CBS region code", where, "write e.g. GM0917 or WK091710")
        if not isinstance(spec, dict) or not isinstance(spec.get("area"), str):
            raise IndicatorError(f"region {code} has no area", where, "give it 'area: <area id>'")
        table.add(Region(code, spec["area"], str(spec.get("title") or ""), spec.get("checked") is not False,
                         f"{shown}:{line}" if line else shown))
    return table
