"""A build with nothing changed: answered from the freshness stamps alone, without reading any source.

Every successful build records, next to the input stamps of :mod:`verlicht.graph.freshness`, what it was
asked (strictness, whether unmarked sources were allowed, a digest of the key's names for the privacy guard)
and what it left: its counts and warnings, and the size and modification time of each output it wrote
(``graphs/verlicht.json``, the evidence, the manifest, the source cache, the query index) plus the names of
the provenance files. When the inputs, the question and the outputs are all as recorded, running the build again would
write the same bytes, so :func:`unchanged_report` returns the recorded report instead: one ``stat`` per input
file and a folder listing, a few milliseconds on a 1,000-interview workspace, where the full incremental
build takes seconds only to find that nothing moved. Anything else (an edited, added or removed input, a
deleted or touched output, another VERLICHT version, another question) returns None and the build runs.

This module imports little on purpose: ``verlicht build`` with nothing to do must not pay for the build's
imports.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from verlicht import __version__
from verlicht.errors import Location, VerlichtWarning
from verlicht.fsio import folder_lock
from verlicht.graph.freshness import STAMP_FILE, input_stamps
from verlicht.graph.queryindex import INDEX_FILE as QUERY_INDEX
from verlicht.workspace import Layout

Progress = Callable[[str, int, int], None]

PROVENANCE_DIR = "provenance"  # graphs/provenance/<source>.json (as verlicht.graph.source_cache names it)
OUTPUTS = ("evidence.json", "manifest.json", ".cache/sources.bin", QUERY_INDEX)  # besides the graph file itself


@dataclass(slots=True)
class BuildReport:
    """What a build did: counts for the summary, warnings, and how many sources were re-parsed."""

    graph_file: Path
    counts: dict[str, int]
    parsed: int
    cached: int
    warnings: list[VerlichtWarning] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step, for bench/run.py --phases
    notes: list[str] = field(default_factory=list)  # one-line remarks, e.g. the key-name scan was skipped

    def to_dict(self) -> dict[str, Any]:
        return {
            "graph": str(self.graph_file),
            **self.counts,
            "parsed": self.parsed,
            "cached": self.cached,
            "warnings": len(self.warnings),
        }


def signature(layout: Layout, strict: bool | None, allow_unanonymised: bool | None,
              key_names: Iterable[str]) -> dict[str, Any]:
    """What a build was asked, beyond the input files: two builds with the same files and signature agree."""
    names = "\n".join(sorted(set(key_names)))
    return {"strict": bool(layout.config.strict if strict is None else strict),
            "allow_unanonymised": bool(allow_unanonymised),
            "key_names": hashlib.sha256(names.encode()).hexdigest()}


def _output_stamps(layout: Layout) -> dict[str, Any] | None:
    """Size and time of each output, and the provenance files' names; None when one is missing."""
    found: dict[str, Any] = {}
    for path in (layout.graph_file, *(layout.graphs / name for name in OUTPUTS)):
        try:
            info = path.stat()
        except OSError:
            return None
        found[path.as_posix()] = [info.st_mtime_ns, info.st_size]
    try:
        with os.scandir(layout.graphs / PROVENANCE_DIR) as entries:
            found["provenance"] = sorted(e.name for e in entries if e.name.endswith(".json") and e.name[0] != ".")
    except OSError:
        found["provenance"] = []
    return found


def outcome(layout: Layout, report: BuildReport, asked: dict[str, Any]) -> dict[str, Any] | None:
    """What :func:`verlicht.graph.freshness.record_stamps` keeps of a finished build, for the next one."""
    outputs = _output_stamps(layout)
    if outputs is None:
        return None
    return {"signature": asked, "counts": report.counts, "sources": report.parsed + report.cached,
            "warnings": [w.to_dict() for w in report.warnings], "outputs": outputs}


def unchanged_report(layout: Layout, asked: dict[str, Any]) -> BuildReport | None:
    """The last build's report when nothing it read or wrote changed since and it was asked the same;
    None when the build has to run. Holds the build lock while checking, so a build under way is waited for."""
    start = time.perf_counter()
    if not layout.graph_file.is_file():
        return None
    with folder_lock(layout.graphs):
        try:
            data = orjson.loads((layout.graphs / STAMP_FILE).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None
        if not isinstance(data, dict) or data.get("generator") != __version__:
            return None
        done = data.get("build")
        if not isinstance(done, dict) or done.get("signature") != asked:
            return None
        if done.get("outputs") != _output_stamps(layout) or data.get("files") != input_stamps(layout):
            return None
        from verlicht.graph.staging import sweep_temporary  # a killed build's leftovers go, as in a build

        sweep_temporary([layout.graphs, layout.graphs / PROVENANCE_DIR, layout.graphs / ".cache"])
    warnings = [VerlichtWarning(w["message"], Location(w["path"], w["line"], w["col"]) if w["path"] else None,
                                w["hint"], w["kind"]) for w in done["warnings"]]
    return BuildReport(layout.graph_file, done["counts"], parsed=0, cached=done["sources"], warnings=warnings,
                       phases={"nothing changed: stamps compared": time.perf_counter() - start})
