"""What ``verlicht indicators …``, ``goals …`` and ``link`` do, as API calls.

:class:`IndicatorMethods` is mixed into :class:`verlicht.api.Workspace` beside the indicator queries already
there (``indicator_status``, ``goal_status``, ``goals``, ``indicator_suggestions``, ``import_observations``):
each method does one command's whole job and returns its rows or result. The presentation helpers the
commands need for their tables (:func:`status_table`, :func:`table_title`, :func:`skipped_summary`) and the
column lists are re-exported here so that a command imports only :mod:`verlicht.api`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from verlicht.indicators.similar import DEFAULT_LIMIT, MIN_SCORE
from verlicht.indicators.status import GOAL_COLUMNS, GOAL_CSV_COLUMNS, status_table, table_title
from verlicht.programme import AREA_COLUMNS, GOAL_LIST_COLUMNS
from verlicht.workspace import Layout

if TYPE_CHECKING:
    from verlicht.indicators.importers.merge import ImportReport
    from verlicht.indicators.link import LinkResult

IMPORT_COLUMNS = ("indicator", "added", "changed", "unchanged", "removed", "skipped", "reasons")
IMPORT_FORMATS = ("auto", "csv", "cbs-csv", "odata3", "odata4")
LINKS = ("measures", "tests", "tracks")


def skipped_summary(report: ImportReport) -> str:
    """One line on what an import skipped and why (empty when nothing was), as the import commands print it.

    (Imported when called: the importers are not loaded for every command.)"""
    from verlicht.indicators.importers.merge import skipped_summary as summary

    return summary(report)


class IndicatorMethods:
    """Indicator data, areas and links in the workspace's files (mixed into ``Workspace``)."""

    layout: Layout

    def fetch_cbs(self, table: str, measures: tuple[str, ...] | list[str] = (),
                  regions: tuple[str, ...] | list[str] = (), mapping: str | Path | None = None,
                  dry_run: bool = False, replace: bool = False) -> tuple[ImportReport, str]:
        """Fetch CBS table ``table`` (OData v3, via cbsodata), keep it in indicators/cbs/ and import it:
        the import report (``.to_rows()``) and where the table was kept."""
        from verlicht.indicators.importers import fetch_cbs

        return fetch_cbs(self.layout, table, measures, regions, None if mapping is None else Path(mapping),
                         dry_run, replace)

    def areas(self) -> list[dict[str, Any]]:
        """The areas: comparison areas, the wijken of Heerlen-Noord (focus marked), some buurten, CBS codes."""
        from verlicht.programme import workspace_areas

        return workspace_areas(self.layout)

    def link(self, indicator: str, measures: str | None = None, tests: str | None = None,
             tracks: str | int | None = None, remove: bool = False) -> LinkResult:
        """Link ``indicator`` to a concept (``measures``), an assumption ``cause->effect`` (``tests``) or a goal
        (``tracks``) in its catalogue row, or ``remove`` that link; exactly one of the three. Idempotent:
        ``.action`` is added, removed or unchanged; ``.message()`` is what the command prints."""
        from verlicht.errors import IndicatorError

        given = [(name, value) for name, value in zip(LINKS, (measures, tests, tracks), strict=True)
                 if value is not None]
        if len(given) != 1:
            raise IndicatorError("give exactly one of measures, tests and tracks", None,
                                 "e.g. link('bijstand', measures='armoede')")
        from verlicht.indicators.link import link_indicator

        name, value = given[0]
        return link_indicator(self.layout, indicator, name, str(value), remove=remove)


__all__ = [
    "AREA_COLUMNS",
    "DEFAULT_LIMIT",
    "GOAL_COLUMNS",
    "GOAL_CSV_COLUMNS",
    "GOAL_LIST_COLUMNS",
    "IMPORT_COLUMNS",
    "IMPORT_FORMATS",
    "MIN_SCORE",
    "IndicatorMethods",
    "skipped_summary",
    "status_table",
    "table_title",
]
