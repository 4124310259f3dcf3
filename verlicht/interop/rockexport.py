"""``export --format rock``: the graph's codes written back as ROCK sources that rebuild to the same graph.

From the build outputs alone (no source file is read): per Source node, its respondents' attributes as a
``ROCK_attributes`` fragment, then every utterance of its provenance with its uid, case and coder ids
(written where they change, as ROCK's class instances persist), nesting markers, codes, code values and
network codes, each on the line it had, so that evidence keeps pointing at the same line numbers. The
result goes to a folder holding ``interviews/…`` as the workspace had it; copy the rest of the workspace
(codebook, indicators, logic models) beside it and ``verlicht build`` gives the same graph.

The written sources carry a ``VERLICHT_anonymised`` marker saying they came from an export: they hold
only what the build held, and a build accepts only anonymised sources.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from verlicht import __version__
from verlicht.fsio import atomic_write_text
from verlicht.graph.store import Provenance
from verlicht.interop.registry import exporter


def _attributes(ws: Any) -> dict[str, list[dict[str, Any]]]:
    """Per source id, the ``ROCK_attributes`` entries of the respondents interviewed in it."""
    graph = ws.graph
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for edge in sorted(graph.edges_of("INTERVIEWED_IN"), key=lambda e: (e["target"], e["source"])):
        respondent = graph.nodes[edge["source"]]
        if respondent.get("anonymous_source"):
            continue
        entry: dict[str, Any] = {"caseId": respondent["case"]}
        for key in ("role", "group", "wijk"):
            if respondent.get(key) is not None and not (key == "group" and respondent[key] == "onbekend"):
                entry[key] = respondent[key]
        entry.update(respondent.get("attributes") or {})
        out[edge["target"]].append(entry)
    return out


def _front_matter(attributes: list[dict[str, Any]]) -> list[str]:
    marker = {"VERLICHT_anonymised": {"tool": f"verlicht {__version__}", "input": "verlicht export --format rock",
                                      "pipeline": "none: written from an anonymised build"}}
    lines = ["---", *yaml.safe_dump(marker, sort_keys=False, allow_unicode=True).splitlines(), "---"]
    if attributes:
        lines += ["---", *yaml.safe_dump({"ROCK_attributes": attributes}, sort_keys=False,
                                         allow_unicode=True).splitlines(), "---"]
    return lines


def _utterance(row: dict[str, Any], ids: dict[str, str | None]) -> str:
    parts = []
    if row.get("uid"):
        parts.append(f"[[uid={row['uid']}]]")
    for key, field in (("cid", "cid"), ("coderId", "coder")):
        if row.get(field) and row[field] != ids.get(key):
            parts.append(f"[[{key}={row[field]}]]")
            ids[key] = row[field]
    text = row["text"]
    if row.get("nesting"):
        text = "~" * row["nesting"] + " " + text
    parts.append(text)
    parts += [f"[[{code}]]" for code in row.get("codes", ())]
    parts += [f"[[{code}||{value}]]" for code, value in (row.get("values") or {}).items()]
    parts += [f"[[{network}]]" for network in row.get("network", ())]
    return " ".join(p for p in parts if p)


def rock_text(ws: Any, source: dict[str, Any], prov: Provenance, attributes: list[dict[str, Any]]) -> str:
    """One source as ROCK text: front matter, then its utterances on their own line numbers where they fit."""
    lines = _front_matter(attributes)
    ids: dict[str, str | None] = {}
    section = 0
    for row in sorted(prov.source(source["path"]).values(), key=lambda r: r["line"]):
        while row.get("section", 0) > section:  # section names are not kept in the build; their places are
            section += 1
            lines.append(f"---<<section_{section}>>---")
        while len(lines) < row["line"] - 1:
            lines.append("")
        lines.append(_utterance(row, ids))
    while len(lines) < source.get("lines", 0):
        lines.append("")
    return "\n".join(lines) + "\n"


@exporter("rock", "", help="ROCK sources rebuilt from the graph (a folder with interviews/…): the round trip.")
def export_rock(ws: Any, out_path: Path) -> Path:
    """Write every source of ``ws``'s last build under ``out_path`` (a folder) at its workspace path."""
    out_path = Path(out_path)
    prov = Provenance(ws.layout.graphs)
    attributes = _attributes(ws)
    for source in sorted(ws.graph.of_kind("Source"), key=lambda s: s["path"]):
        atomic_write_text(out_path / source["path"], rock_text(ws, source, prov, attributes[source["id"]]))
    return out_path
