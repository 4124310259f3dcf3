"""``verlicht link``: add or remove what an indicator measures, tests or tracks, in the catalogue CSV itself.

The edit touches one cell of one row. Every other byte of the file stays as it was (other rows, the
row's other cells with their quoting, line ends, a byte-order mark), so the change reads as a one-line
diff in git. Adding a link and removing it again gives the file back byte for byte. The command is
idempotent: adding a link that is there, or removing one that is not, changes nothing and is no error.

>>> result = link_indicator(layout, "bijstand", measures="armoede")       # doctest: +SKIP
>>> result.message()                                                     # doctest: +SKIP
'indicators/indicators.csv:36: bijstand now measures armoede'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from verlicht.csvcells import cell
from verlicht.csvcells import records as csv_records
from verlicht.errors import IndicatorError, Location
from verlicht.fsio import write_temp
from verlicht.indicators.tables import Indicator, catalogue_files, close_match_hint, load_indicators

if TYPE_CHECKING:
    from verlicht.codebook import Codebook
    from verlicht.programme import Catalogue
    from verlicht.workspace import Layout

#: per kind of link (the command's option): the column it edits, and how messages say it
LINKS = {
    "measures": ("measures", "measures", "measure", "measures no concept"),
    "tests": ("tests", "tests", "test", "tests no assumption"),
    "tracks": ("goals", "tracks goal", "track goal", "tracks no goal"),
}


@dataclass(frozen=True, slots=True)
class LinkResult:
    indicator: str
    link: str  # measures, tests or tracks
    value: str
    action: str  # added, removed or unchanged
    path: str
    line: int
    remove: bool = False  # what was asked: with 'unchanged', the link was absent already
    links: tuple[str, ...] = ()  # the cell's links after the command

    def message(self) -> str:
        verb = LINKS[self.link][1]
        if self.action == "unchanged" and self.remove:
            has = f"it {verb} {', '.join(self.links)}" if self.links else f"it {LINKS[self.link][3]}"
            return f"{self.path}:{self.line}: {self.indicator} does not {LINKS[self.link][2]} {self.value} ({has}); " \
                   "nothing changed"
        if self.action == "unchanged":
            return f"{self.path}:{self.line}: {self.indicator} already {verb} {self.value}; nothing changed"
        if self.action == "removed":
            return f"{self.path}:{self.line}: {self.indicator} no longer {verb} {self.value}"
        return f"{self.path}:{self.line}: {self.indicator} now {verb} {self.value}"

    def to_dict(self) -> dict[str, object]:
        return {"indicator": self.indicator, "link": self.link, "value": self.value, "action": self.action,
                "path": self.path, "line": self.line, "remove": self.remove, "links": list(self.links)}


def link_indicator(layout: Layout, indicator: str, link: str, value: str, remove: bool = False) -> LinkResult:
    """Add (or with ``remove`` take away) one link of ``indicator`` and write its catalogue file atomically.

    ``link`` is ``measures`` (a concept code), ``tests`` (``cause->effect``) or ``tracks`` (a goal number).
    Unknown indicators, concepts and goals are errors with a close match as hint; nothing is written then.
    A link that is there already (or, with ``remove``, absent already) gives ``action`` ``unchanged``.
    """
    from verlicht.graph.build import load_inputs

    if link not in LINKS:
        raise IndicatorError(f"unknown link '{link}'", None, f"use one of: {', '.join(LINKS)}")
    catalogue, codebook = load_inputs(layout)
    files = [(path, layout.shown(path)) for path in catalogue_files(layout.indicators)]
    found = load_indicators(files, set(codebook.concepts), set(catalogue.goals), catalogue)
    if indicator not in found:
        where = Location(files[0][1]) if files else Location(layout.shown(layout.indicators))
        raise IndicatorError(f"unknown indicator '{indicator}'", where,
                             close_match_hint(indicator, found, "'verlicht indicators status' lists the indicators"))
    target = found[indicator]
    item = _checked(link, value.strip(), layout, codebook, catalogue)
    cause, _, effect = item.partition("->")
    if link == "tests" and cause == effect and not remove:  # removing one written by hand stays possible
        raise IndicatorError(f"'{item}' is a self-loop: an indicator tests an assumption between two concepts",
                             None, f"name the concept '{cause}' affects, or use --measures {cause}")
    path = next(p for p, shown in files if shown == target.path)
    data = path.read_bytes()
    edited, action, line, links = _edit(data, target, link, item, remove)
    result = LinkResult(indicator, link, item, action, target.path, line, remove, links)
    if action == "unchanged":
        return result
    _replace_checked(path, data, edited, files, codebook, catalogue)
    return result


def _checked(link: str, value: str, layout: Layout, codebook: Codebook, catalogue: Catalogue) -> str:
    """The value in the form the catalogue writes it, or an error pointing at the codebook or catalogue."""
    book = Location(codebook.path or layout.shown(layout.ontology / "codebook.yaml"))
    concepts = set(codebook.concepts)

    def concept(code: str) -> str:
        if code not in concepts:
            raise IndicatorError(f"unknown concept '{code}'", book, close_match_hint(
                code, concepts, "'verlicht query concepts' lists the concepts; add new ones to the codebook"))
        return code

    if link == "measures":
        return concept(value)
    if link == "tests":
        cause, arrow, effect = (part.strip() for part in value.partition("->"))
        if not arrow or not cause or not effect:
            raise IndicatorError(f"'{value}' is not a cause->effect pair", None,
                                 "write e.g. --tests goedkope_woningen->instroom_kwetsbaren")
        return f"{concept(cause)}->{concept(effect)}"
    try:
        number = int(value)
    except ValueError:
        number = None
    if number not in catalogue.goals:
        raise IndicatorError(f"unknown goal '{value}'", Location(catalogue.path),
                             f"the goals are numbered {min(catalogue.goals, default=1)}–"
                             f"{max(catalogue.goals, default=12)}; 'verlicht goals list' lists them")
    return str(number)


def _same(column: str, a: str, b: str) -> bool:
    if column == "tests":
        return a.replace(" ", "") == b.replace(" ", "")
    if column == "goals":
        return a.strip().lstrip("0") == b.strip().lstrip("0")
    return a.strip() == b.strip()


def _edit(data: bytes, target: Indicator, link: str, item: str,
          remove: bool) -> tuple[bytes, str, int, tuple[str, ...]]:
    """The file with ``item`` added to or removed from one cell of the target row; the action, the row's line
    and the cell's links after the edit."""
    column = LINKS[link][0]
    text = data.decode("utf-8")
    records = csv_records(text)
    header = [cell(text, span).lstrip("\ufeff").strip() for span in records[0].fields]
    index = header.index(column)
    record = next(r for r in records[1:] if r.fields and cell(text, r.fields[0]).strip() == target.id)
    old = cell(text, record.fields[index]) if index < len(record.fields) else ""
    parts = [part for part in old.split(";") if part.strip()]
    present = [part for part in parts if _same(column, part, item)]
    if remove:
        if not present:
            return data, "unchanged", record.line, tuple(part.strip() for part in parts)
        new = (";" if "; " not in old else "; ").join(part.strip() for part in parts if part not in present)
        action = "removed"
    else:
        if present:
            return data, "unchanged", record.line, tuple(part.strip() for part in parts)
        new = old.rstrip() + ("; " if "; " in old else ";") + item if old.strip() else item
        action = "added"
    start = record.fields[index][0] if index < len(record.fields) else record.end
    end = record.fields[index][1] if index < len(record.fields) else record.end
    padding = "," * (index - len(record.fields) + 1) if index >= len(record.fields) else ""
    edited = text[:start] + padding + _quote(new) + text[end:]
    return edited.encode("utf-8"), action, record.line, tuple(part.strip() for part in new.split(";") if part.strip())


def _replace_checked(path: Path, before: bytes, after: bytes, files: list[tuple[Path, str]], codebook: Codebook,
                     catalogue: Catalogue) -> None:
    """Write ``after`` beside ``path``, check it reads as a catalogue, then rename it over ``path``."""
    temp = write_temp(path, after)
    try:
        shown = dict(files)[path]
        load_indicators([(Path(temp), shown) if p == path else (p, s) for p, s in files], set(codebook.concepts),
                        set(catalogue.goals), catalogue)
        if path.read_bytes() != before:
            raise IndicatorError(f"{path.name} changed on disk while linking", Location(shown),
                                 "run the command again")
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _quote(value: str) -> str:
    """A cell as csv.writer writes it (quotes only when needed)."""
    if any(ch in value for ch in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value
