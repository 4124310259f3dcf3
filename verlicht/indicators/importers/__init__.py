"""Importing observations: the project CSV and CBS open data (OData v3 and v4 JSON, StatLine CSV).

``import_observations(layout, files)`` reads the files, maps CBS measures and region codes to the
workspace's indicators and areas (``indicators/cbs_mapping.toml`` plus the built-in region codes) and
merges the figures into ``indicators/observations.csv``; ``fetch_cbs(layout, table)`` downloads a table
with ``cbsodata`` first.
"""

from verlicht.indicators.importers.fetch import fetch_cbs
from verlicht.indicators.importers.merge import FORMATS, ImportReport, import_observations, read_files
from verlicht.indicators.importers.model import ImportedValue, RawValue
from verlicht.indicators.importers.periods import cbs_period, statline_period

__all__ = ["FORMATS", "ImportReport", "ImportedValue", "RawValue", "cbs_period", "fetch_cbs", "import_observations",
           "read_files", "statline_period"]
