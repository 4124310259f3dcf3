"""Fetch a CBS table with ``cbsodata`` (OData v3), keep the raw JSON in the workspace, and import it.

The JSON lands in ``indicators/cbs/<TABLE>.json`` in the shape ``cbsodata.download_data`` returns
(``{"TableInfos": [...], "DataProperties": [...], "TypedDataSet": [...], ...}``), so that
``verlicht indicators import`` reads it again and the figures stay reproducible without a network.
``VERLICHT_CBS_URL`` points the fetch at another OData host (a mirror, or a test server), e.g.
``http://127.0.0.1:8080``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from verlicht.errors import IndicatorError, Location
from verlicht.fsio import atomic_write_text
from verlicht.indicators.importers import jsonfiles
from verlicht.indicators.importers.mapping import Mapping, MeasureRule
from verlicht.indicators.importers.merge import ImportReport, apply, commit, load_context, read_bundle
from verlicht.indicators.regions import looks_like_code, normalise_code
from verlicht.workspace import Layout

TIMEOUT = 60  # seconds per request; cbsodata sets none, and a black-holed network would hang for ever
CBS_FOLDER = "cbs"
_TABLE = re.compile(r"^[0-9A-Za-z]{5,10}$")
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@contextmanager
def _host(base_url: str | None) -> Iterator[tuple[str | None, str]]:
    """cbsodata's catalog host (None: its default) and scheme, set for the duration of a fetch."""
    import cbsodata

    if not base_url:
        yield None, cbsodata.options.catalog_url
        return
    parts = urlsplit(base_url if "://" in base_url else f"https://{base_url}")
    old = cbsodata.options.use_https
    cbsodata.options.use_https = parts.scheme != "http"
    try:
        yield parts.netloc + parts.path.rstrip("/"), parts.netloc
    finally:
        cbsodata.options.use_https = old


def _call(host: str, table: str, call: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a cbsodata call, turning network and HTTP failures into one-line errors."""
    import requests

    try:
        return call(*args, timeout=TIMEOUT, **kwargs)
    except requests.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status is None:
            found = re.search(r"\b(\d{3}) (?:Client|Server) Error", str(exc))
            status = int(found.group(1)) if found else None
        if status == 404:
            raise IndicatorError(f"CBS has no table '{table}' at {host}", None,
                                 "check the table id on StatLine, e.g. 85618NED") from None
        raise IndicatorError(f"CBS open data at {host} answered HTTP {status or '?'} for {table}", None,
                             "try again later") from None
    except (requests.ConnectionError, requests.Timeout):
        raise IndicatorError(f"cannot reach CBS open data at {host} (no network?)", None,
                             "fetch where there is a network, or import a downloaded file with "
                             "'verlicht indicators import'") from None
    except (requests.RequestException, ValueError, KeyError) as exc:
        raise IndicatorError(f"CBS open data at {host} sent an unusable answer for {table}: "
                             f"{exc.__class__.__name__}", None, "try again later") from None


def _odata_filter(geo: str, codes: Iterable[str]) -> str:
    # Region keys are padded with spaces ('GM0917    '), so match them as substrings, not with 'eq'.
    return " or ".join(f"substringof('{code}',{geo})" for code in codes)


def _trim(data: dict[str, Any], dims: list[str], rows: list[dict]) -> None:
    """Keep only the codes of a dimension list that the figures use (the wijk list of NL is 17,000 long)."""
    for dim in dims:
        codes = data.get(dim)
        if isinstance(codes, list):
            used = {str(r.get(dim, "")).strip() for r in rows}
            data[dim] = [c for c in codes if isinstance(c, dict) and str(c.get("Key", "")).strip() in used]


def _rules_for(mapping: Mapping, table: str, measures: list[str]) -> list[MeasureRule]:
    """The rules that may take figures from ``table``; refuses a table or ``--measure`` nothing maps.

    A rule for another table takes nothing from this one; a rule without a table may. A measure named
    by key is refused here, before any request; one that only a title rule could take is checked once
    the table's titles are in.
    """
    rules = [r for r in mapping.rules if not r.table or r.table == table.upper()]
    if not rules:
        raise IndicatorError(f"nothing in the catalogue or {mapping.path} takes figures from {table}", None,
                             f"map it first: cbs_table = {table.upper()} and cbs_measure in the catalogue, or a "
                             f"[[measures]] entry with table = \"{table.upper()}\" (see docs/CBS_IMPORT.md)")
    if not any(r.title for r in rules):
        for key in measures:
            if not any(r.key == key for r in rules):
                raise _unmapped_measure(mapping, table, key)
    return rules


def _unmapped_measure(mapping: Mapping, table: str, key: str) -> IndicatorError:
    return IndicatorError(f"no indicator takes measure '{key}' of {table}", None,
                          f"map it first: a [[measures]] entry with indicator = \"<id>\", table = \"{table.upper()}\", "
                          f"key = \"{key}\" in {mapping.path}, or cbs_measure in the catalogue")


def fetch_cbs(layout: Layout, table: str, measures: Iterable[str] = (), regions: Iterable[str] = (),
              mapping: Path | None = None, dry_run: bool = False, replace: bool = False,
              base_url: str | None = None) -> tuple[ImportReport, str]:
    """Download ``table`` (its mapped measures, or ``measures``; the known regions, or ``regions``), save the
    JSON beside the observations and import it. Returns the report and the JSON file as shown."""
    import cbsodata

    table = table.strip()
    if not _TABLE.match(table):
        raise IndicatorError(f"'{table}' is not a CBS table id", None, "write e.g. 85618NED or 83765NED")
    measures = [m.strip() for m in measures if m.strip()]
    for key in measures:
        if not _KEY.match(key):
            raise IndicatorError(f"'{key}' is not a measure key", None, "write e.g. AantalInwoners_5")
    codes = [normalise_code(c) for c in regions if c.strip()]
    for code in codes:
        if not looks_like_code(code):
            raise IndicatorError(f"'{code}' is not a CBS region code", None, "write e.g. GM0917 or WK091710")
    context = load_context(layout, mapping)
    rules = _rules_for(context.mapping, table, measures)  # before any request: nothing fetched for nothing
    base_url = base_url if base_url is not None else os.environ.get("VERLICHT_CBS_URL") or None
    with _host(base_url) as (catalog_url, host):
        properties = _call(host, table, cbsodata.get_meta, table, "DataProperties", catalog_url=catalog_url)
        topics = {p.get("Key") for p in properties if isinstance(p, dict) and p.get("Type") == "Topic"}
        titles = {p.get("Key"): str(p.get("Title") or "") for p in properties if isinstance(p, dict)}
        dims = [p["Key"] for p in properties if isinstance(p, dict)
                and p.get("Type") in ("GeoDimension", "TimeDimension", "Dimension") and p.get("Key")]
        geo = next((p["Key"] for p in properties if isinstance(p, dict) and p.get("Type") == "GeoDimension"), None)
        unknown = [m for m in measures if m not in topics]
        if unknown:
            known = ", ".join(sorted(k for k in topics if k)[:5])
            raise IndicatorError(f"table {table} has no measure '{unknown[0]}'", None, f"its measures include {known}")
        for key in measures:  # a title rule can only be matched now that the titles are known
            if not context.mapping.knows(table, key, titles.get(key, "")):
                raise _unmapped_measure(context.mapping, table, key)
        if not measures:  # the mapped ones; v4 measure codes of the same table are not v3 topics
            measures = sorted({r.key for r in rules if r.key} & topics)
            if not measures and not any(r.title for r in rules):
                keys = ", ".join(sorted({r.key for r in rules}))
                raise IndicatorError(f"table {table} has none of the measures mapped to it ({keys})", None,
                                     f"check the keys in {context.mapping.path} and the catalogue's cbs_measure "
                                     "against the table's DataProperties")
        if not codes:
            codes = sorted(context.regions.codes)
        select = ["ID", *dims, *measures] if measures else None
        filters = _odata_filter(geo, codes) if geo and codes else None
        data = _call(host, table, cbsodata.download_data, table, select=select, filters=filters,
                     catalog_url=catalog_url)
    rows = data.get("TypedDataSet") or data.get("UntypedDataSet") or []
    _trim(data, dims, rows)
    target = layout.indicators / CBS_FOLDER / f"{table.upper()}.json"
    shown = layout.shown(target)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    bundle = jsonfiles.bundle_from_text(text, shown, table)
    bundle.table = bundle.table or table.upper()
    if "DataProperties" not in bundle.resources or not bundle.has_data:
        raise IndicatorError(f"CBS sent no figures or no DataProperties for {table}", Location(shown),
                             "check the table id and the measures")
    report = apply(context, [read_bundle(bundle)], dry_run=True, replace=replace)
    if not dry_run:  # the raw JSON first: observations never cite a file that is not there
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            atomic_write_text(target, text)
        commit(context, report)
        report.dry_run = False
    return report, shown
