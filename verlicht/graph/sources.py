"""Turn parsed sources into what the build needs, and cache it by content hash.

A source's *summary* (its network codes, codes, case attributes, uids and
warnings, each with line and column) depends on the source bytes alone, so it
can be cached under the bytes' SHA-256 and reused until the file changes: that
is what makes a rebuild after editing one interview fast. The *provenance*
(every utterance's anonymised text, line, uid, case and coder) is written once
per changed source to ``graphs/provenance/``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson

from verlicht import __version__
from verlicht.errors import Location, VerlichtWarning
from verlicht.fsio import atomic_write_bytes
from verlicht.graph.schema import utterance_id
from verlicht.rock import Source, parse_bytes

CACHE_VERSION = 2
CACHE_FILE = ".cache/sources.json"
PROVENANCE_DIR = "provenance"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def summarise(source: Source, path: str) -> dict[str, Any]:
    """The codebook-independent facts of one source that the graph is built from."""
    network = []
    codes = []
    uids = []
    cases: dict[str, int] = {}
    for u in source.utterances:
        case = u.case_id
        if case is not None:
            cases[case] = cases.get(case, 0) + 1
        if u.uid:
            uids.append(u.uid)
        for n in u.network:
            network.append([n.source_leaf, n.target_leaf, n.type, n.weight, u.line, n.col, u.uid, case,
                            u.coder_id])
        for c in u.codes:
            codes.append([c.id, u.line, c.col, case])
    return {
        "path": path,
        "lines": source.lines,
        "utterances": len(source.utterances),
        "network": network,
        "codes": codes,
        "uids": uids,
        "cases": dict(sorted(cases.items())),
        "attributes": source.attributes,
        "edge_types": source.edge_types,
        "warnings": [w.to_dict() for w in source.warnings],
    }


def provenance(source: Source, path: str) -> dict[str, Any]:
    """Every utterance of a source, as the evidence queries show it."""
    rows = []
    for u in source.utterances:
        row: dict[str, Any] = {
            "id": utterance_id(path, u.line, u.uid),
            "line": u.line,
            "text": u.text,
        }
        if u.uid:
            row["uid"] = u.uid
        if u.case_id:
            row["cid"] = u.case_id
        if u.coder_id:
            row["coder"] = u.coder_id
        if u.nesting:
            row["nesting"] = u.nesting
        if u.section:
            row["section"] = u.section
        if u.codes:
            row["codes"] = [c.id for c in u.codes]
        if u.values:
            row["values"] = {v.code: v.value for v in u.values}
        if u.network:
            row["network"] = [
                f"{n.source}->{n.target}||{n.type}" + (f"||{n.weight}" if n.weight is not None else "")
                for n in u.network
            ]
        rows.append(row)
    return {"source": path, "utterances": rows}


def warnings_of(summary: dict[str, Any]) -> list[VerlichtWarning]:
    return [
        VerlichtWarning(w["message"], Location(w["path"], w["line"], w["col"]) if w["path"] else None, w["hint"])
        for w in summary["warnings"]
    ]


def provenance_path(graphs: Path, source: str) -> Path:
    """``interviews/sub/r01.rock`` → ``graphs/provenance/sub__r01.rock.json`` (flat, stable)."""
    flat = source.split("/", 1)[-1].replace("/", "__")
    return graphs / PROVENANCE_DIR / f"{flat}.json"


def dump_json(data: Any) -> bytes:
    """Compact JSON with sorted keys: the same data always gives the same bytes."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS) + b"\n"


class SourceCache:
    """Summaries of sources keyed by path and content hash, kept in ``graphs/.cache``."""

    def __init__(self, graphs: Path):
        self.file = graphs / CACHE_FILE
        self.entries: dict[str, dict[str, Any]] = {}
        try:
            data = orjson.loads(self.file.read_bytes())
            if data.get("version") == CACHE_VERSION and data.get("generator") == __version__:
                self.entries = data["sources"]
        except (OSError, orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
            self.entries = {}

    def by_stat(self, path: str, stat: list[int]) -> tuple[str, dict[str, Any]] | None:
        """The cached digest and summary when size and modification time are unchanged."""
        entry = self.entries.get(path)
        if entry and entry.get("stat") == stat:
            return entry["sha256"], entry["summary"]
        return None

    def get(self, path: str, digest: str) -> dict[str, Any] | None:
        entry = self.entries.get(path)
        if entry and entry.get("sha256") == digest:
            return entry["summary"]
        return None

    def save(self, entries: dict[str, dict[str, Any]]) -> None:
        # The generator version is part of the key: a new VERLICHT re-parses everything once.
        data = orjson.dumps({"version": CACHE_VERSION, "generator": __version__, "sources": entries},
                            option=orjson.OPT_SORT_KEYS)
        atomic_write_bytes(self.file, data)


def parse_source_bytes(data: bytes, shown: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Parse one source into its summary and provenance (raises RockSyntaxError)."""
    source = parse_bytes(data, shown)
    return summarise(source, shown), provenance(source, shown)
