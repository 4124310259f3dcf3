"""Areas as people write them in ``indicators/observations.csv``: the catalogue's id, its label or a CBS code.

A data desk copies figures from CBS tables and reports, where Heerlen-Noord is "Heerlen-Noord", the municipality
``GM0917`` and the country "Nederland" or ``NL01``. The build accepts each of them — letter case, accents,
spaces and dashes ignored — and files the observation under the catalogue's area id, so the graph and every
query keep one canonical id per area. CBS codes come from the table shipped with VERLICHT
(``verlicht/data/regions.yaml``; `verlicht indicators import` also reads ``cbs_mapping.toml``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from verlicht.programme import Catalogue


def fold(text: str) -> str:
    """Letters and digits only, lower case, accents dropped: ``"Hoensbroek-De Dém"`` -> ``"hoensbroek_de_dem"``.

    >>> fold(" Heerlen-Noord "), fold("GM0917"), fold("Maria Gewanden É")
    ('heerlen_noord', 'gm0917', 'maria_gewanden_e')
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", plain.casefold()).strip("_")


def area_resolver(catalogue: Catalogue) -> Callable[[str], str | None]:
    """A function from an area as written (id, label, short label or CBS code) to its catalogue id, or None.

    The index is made on the first name that is not an id as written, so a file of ids costs nothing extra.
    """
    index: dict[str, str] = {}

    def resolve(name: str) -> str | None:
        if name in catalogue.areas:
            return name
        if not index:
            index.update(_index(catalogue))
        return index.get(fold(name))

    return resolve


def _index(catalogue: Catalogue) -> dict[str, str]:
    from verlicht.indicators.regions import load_builtin_regions  # a YAML file: read only when needed

    index: dict[str, str] = {}
    for code, region in load_builtin_regions().codes.items():
        if region.area in catalogue.areas:
            index.setdefault(fold(code), region.area)
    for area in catalogue.areas.values():  # labels before codes, ids before labels: later writes win
        short = re.split(r" \(| e\.o\.", area.label)[0]
        for name in (short, area.label, area.id):
            index[fold(name)] = area.id
    return index
