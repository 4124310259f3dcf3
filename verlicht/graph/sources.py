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
from verlicht.rock import Source, parse_bytes

CACHE_VERSION = 4
CACHE_FILE = ".cache/sources.json"
PROVENANCE_DIR = "provenance"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def summarise(source: Source, path: str) -> dict[str, Any]:
    """The codebook-independent facts of one source that the graph is built from.

    ``network`` rows are ``[cause, effect, type, weight, line, col, uid, case]`` (ends as leaves),
    ``codes`` rows ``[code id, line, col]``; ``concepts`` is every code level and network end used
    and ``uses`` counts code leaves and network ends, so the merge need not walk the rows for them.
    ``uids`` is one space-separated string (uids never hold spaces): quicker to cache than a list.
    """
    network: list[list[Any]] = []
    codes: list[list[Any]] = []
    uids: list[str] = []
    cases: dict[str, int] = {}
    uses: dict[str, int] = {}
    concepts: set[str] = set()
    last_ids: dict[str, str] | None = None
    case: str | None = None
    for u in source.utterances:
        ids = u.ids
        if ids is not last_ids:  # utterances share one ids mapping until an id changes
            last_ids = ids
            case = ids.get("cid") or ids.get("caseId")
        if case is not None:
            cases[case] = cases.get(case, 0) + 1
        uid = u.uid
        if uid:
            uids.append(uid)
        if u.network:
            line = u.line
            for n in u.network:
                cause = n.source.rsplit(">", 1)[-1]
                effect = n.target.rsplit(">", 1)[-1]
                network.append([cause, effect, n.type, n.weight, line, n.col, uid, case])
                uses[cause] = uses.get(cause, 0) + 1
                uses[effect] = uses.get(effect, 0) + 1
                concepts.add(cause)
                concepts.add(effect)
        if u.codes:
            line = u.line
            for c in u.codes:
                codes.append([c.id, line, c.col])
                leaf = c.path[-1]
                uses[leaf] = uses.get(leaf, 0) + 1
                concepts.update(c.path)
    return {
        "path": path,
        "lines": source.lines,
        "utterances": len(source.utterances),
        "network": network,
        "caseless": any(row[7] is None for row in network),  # a claim before any [[cid=…]]
        "codes": codes,
        "concepts": sorted(concepts),
        "uses": uses,
        "uids": " ".join(uids),
        "cases": dict(sorted(cases.items())),
        "attributes": source.attributes,
        "edge_types": source.edge_types,
        "warnings": [w.to_dict() for w in source.warnings],
    }


def provenance(source: Source, path: str) -> dict[str, Any]:
    """Every utterance of a source, as the evidence queries show it (rows keep their keys sorted)."""
    rows = []
    by_line = f"utterance:{path}#L"  # schema.utterance_id of an utterance without uid
    last_ids: dict[str, str] | None = None
    case = coder = None
    for u in source.utterances:
        ids = u.ids
        if ids is not last_ids:
            last_ids = ids
            case = ids.get("cid") or ids.get("caseId")
            coder = ids.get("coderId")
        uid = u.uid
        row: dict[str, Any] = {}
        if case:
            row["cid"] = case
        if u.codes:
            row["codes"] = [c.id for c in u.codes]
        if coder:
            row["coder"] = coder
        row["id"] = "utterance:" + uid if uid else by_line + str(u.line)
        row["line"] = u.line
        if u.nesting:
            row["nesting"] = u.nesting
        if u.network:
            row["network"] = [
                f"{n.source}->{n.target}||{n.type}" + (f"||{n.weight}" if n.weight is not None else "")
                for n in u.network
            ]
        if u.section:
            row["section"] = u.section
        row["text"] = u.text
        if uid:
            row["uid"] = uid
        if u.values:
            row["values"] = {v.code: v.value for v in u.values}
        rows.append(row)
    return {"source": path, "utterances": rows}


def warnings_of(summary: dict[str, Any]) -> list[VerlichtWarning]:
    return [
        VerlichtWarning(w["message"], Location(w["path"], w["line"], w["col"]) if w["path"] else None, w["hint"])
        for w in summary["warnings"]
    ]


def provenance_path(graphs: Path, source: str) -> Path:
    """``interviews/sub/r01.rock`` → ``graphs/provenance/sub__r01.rock.json`` (flat, stable)."""
    return graphs / PROVENANCE_DIR / provenance_name(source)


def provenance_name(source: str) -> str:
    """The file name of a source's provenance (see :func:`provenance_path`)."""
    return source.split("/", 1)[-1].replace("/", "__") + ".json"


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

    def dump(self, entries: dict[str, dict[str, Any]]) -> bytes:
        # The generator version is part of the key: a new VERLICHT re-parses everything once.
        return orjson.dumps({"version": CACHE_VERSION, "generator": __version__, "sources": entries})

    def save(self, entries: dict[str, dict[str, Any]]) -> None:
        atomic_write_bytes(self.file, self.dump(entries))


def parse_source_bytes(data: bytes, shown: str) -> tuple[dict[str, Any], bytes]:
    """Parse one source into its summary and its provenance file's bytes (raises RockSyntaxError)."""
    source = parse_bytes(data, shown)
    return summarise(source, shown), dump_json(provenance(source, shown))
