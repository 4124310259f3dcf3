"""The plain records an import passes along: figures as files give them, and as the workspace files them."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field

from verlicht.errors import Location

# Why a figure was not imported; the report counts skipped figures by these.
MISSING = "missing"  # no figure: null, '.', empty, or a CBS value attribute such as Confidential
NOT_A_NUMBER = "not_a_number"
DUPLICATE = "duplicate"
UNKNOWN_REGION = "unknown_region"
UNKNOWN_MEASURE = "unknown_measure"
UNKNOWN_INDICATOR = "unknown_indicator"
UNKNOWN_AREA = "unknown_area"
BAD_PERIOD = "bad_period"
SHORT_ROW = "short_row"  # a CSV row with fewer fields than its header: cut off, so none of its figures is trusted
REASONS = (MISSING, NOT_A_NUMBER, DUPLICATE, UNKNOWN_REGION, UNKNOWN_MEASURE, UNKNOWN_INDICATOR, UNKNOWN_AREA,
           BAD_PERIOD, SHORT_ROW)

# How a raw period is written: a CBS code ('2023JJ00'), a StatLine title ('2023 1e kwartaal'), or as is.
PERIOD_CODE, PERIOD_TITLE, PERIOD_PLAIN = "code", "title", "plain"


@dataclass(frozen=True, slots=True)
class RawValue:
    """One figure as a file gives it, before the mapping to indicators and areas.

    CBS readers fill ``table``, ``measure`` (DataProperties Key, v4 Measure code or CSV column), ``region``
    and ``period`` as CBS writes them; the project CSV fills ``indicator`` and ``area`` directly.
    ``value`` is None when the file holds no usable figure; ``problem`` then says why (a reason of
    :data:`REASONS` and the text found). ``numeric`` is False for label topics (Gemeentenaam, Codering),
    which are not figures.
    """

    location: Location
    table: str = ""
    measure: str = ""
    title: str = ""
    unit: str = ""
    region: str = ""
    period: str = ""
    period_kind: str = PERIOD_CODE
    value: float | None = None
    problem: tuple[str, str] | None = None
    numeric: bool = True
    dims: tuple[tuple[str, str], ...] = ()
    indicator: str = ""
    area: str = ""
    record: str = ""  # 'record 3 (ID 3)' for JSON, where a line alone would not say which


@dataclass(frozen=True, slots=True)
class ImportedValue:
    """A figure ready for ``indicators/observations.csv``, with where it came from."""

    indicator: str
    area: str
    period: str
    value: float
    unit: str
    source: str  # '85618NED/AantalInwoners_5', or the project CSV's path
    location: Location

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.indicator, self.area, self.period)


@dataclass(frozen=True, slots=True)
class MeasureInfo:
    """A measure a file holds: its title, whether it is a figure or a label, how many values, where first."""

    title: str
    numeric: bool
    count: int
    location: Location


@dataclass(slots=True)
class ParsedFile:
    """What a reader found in one file: its format, CBS table (if known) and figures (read lazily).

    ``read(keys)`` yields the figures of the measures in ``keys`` (all when None), so that an import of a
    table with 120 measures, of which two are mapped, does not build a record for each of the others;
    ``measures`` lists what the file holds (None for the project CSV, which names indicators directly);
    ``skipped`` counts, by reason, what the reader itself left out (short rows), each with a note.
    """

    shown: str
    format: str
    table: str
    read: Callable[[Collection[str] | None], Iterator[RawValue]]
    measures: dict[str, MeasureInfo] | None = None
    notes: list = field(default_factory=list)  # VerlichtWarnings about the file as a whole, or rows left out
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def values(self) -> Iterator[RawValue]:
        return self.read(None)
