"""``export --format rock``: the graph's codes written back as ROCK sources that rebuild to the same graph.

From the build outputs alone (no source file is read): per Source node, its respondents' attributes as a
``ROCK_attributes`` fragment, then every utterance of its provenance with its uid, case and coder ids
(written where they change, as ROCK's class instances persist), nesting markers, codes, code values and
network codes, each on the line it had, so that evidence keeps pointing at the same line numbers. The
result goes to a folder holding ``interviews/…`` as the workspace had it; copy the rest of the workspace
(codebook, indicators, logic models) beside it and ``verlicht build`` gives the same graph.

Where the workspace requires the ``VERLICHT_anonymised`` marker, the written sources carry one saying
they came from an export: they hold only what the build held, and that build accepted only anonymised
sources.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from verlicht import __version__
from verlicht.errors import ExportError
from verlicht.fsio import atomic_write_text
from verlicht.gcpause import gc_paused
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


def _front_matter(attributes: list[dict[str, Any]], marker: bool) -> list[str]:
    """One YAML fragment in flow style (few lines, so it fits where the original had comments or blanks):
    the anonymisation marker when the workspace requires it, and the respondents' attributes."""
    data: dict[str, Any] = {}
    if marker:
        data["VERLICHT_anonymised"] = {"tool": f"verlicht {__version__}", "input": "verlicht export --format rock",
                                       "pipeline": "none: written from an anonymised build"}
    if attributes:
        data["ROCK_attributes"] = attributes
    if not data:
        return []
    body = [yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, default_flow_style=True,
                           width=1 << 20).strip().removeprefix("{").removesuffix("}")
            for key, value in data.items()]
    return ["---", *body, "---"]


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


def rock_text(source: dict[str, Any], prov: Provenance, front: list[str]) -> str:
    """One source as ROCK text, every utterance on the line it had.

    The front matter goes into the first run of free lines long enough for it (before the first utterance,
    between two, or after the last within the source's length), else after the last utterance.
    """
    placed: dict[int, str] = {}
    ids: dict[str, str | None] = {}
    section = 0
    for row in sorted(prov.source(source["path"]).values(), key=lambda r: r["line"]):
        while row.get("section", 0) > section:  # section names are not kept in the build; their places are
            section += 1
            at = row["line"] - 1
            while at in placed or at < 1:
                at += 1
            placed[at] = f"---<<section_{section}>>---"
        placed[row["line"]] = _utterance(row, ids)
    length = max([source.get("lines", 0), *placed])
    if front:
        free = 0
        for line in range(1, length + 2):
            free = free + 1 if line not in placed and line <= length else 0
            if free == len(front):
                placed.update(zip(range(line - free + 1, line + 1), front, strict=True))
                break
        else:
            last = max(placed, default=0)
            placed.update(zip(range(last + 1, last + 1 + len(front)), front, strict=True))
    length = max([length, *placed])
    return "\n".join(placed.get(line, "") for line in range(1, length + 1)) + "\n"


@exporter("rock", to_path=True, suffix="",
          help="ROCK sources rebuilt from the graph (a folder with interviews/…): the round trip.")
def export_rock(ws: Any, out_path: Path) -> Path:
    """Write every source of ``ws``'s last build under ``out_path`` (a folder) at its workspace path."""
    out_path = Path(out_path)
    interviews = ws.layout.interviews.resolve()
    if out_path.resolve().is_relative_to(interviews):
        # the next build would read the copies as more interviews: every claim counted twice
        raise ExportError(f"a ROCK export inside {ws.layout.shown(ws.layout.interviews)}/ would be read by the "
                          "build as more interviews", None, "export it elsewhere, e.g. -o graphs/rock")
    prov = Provenance(ws.layout.graphs)
    attributes = _attributes(ws)
    marker = ws.layout.config.anonymise.require_marker
    with gc_paused():
        for source in sorted(ws.graph.of_kind("Source"), key=lambda s: s["path"]):
            front = _front_matter(attributes[source["id"]], marker)
            atomic_write_text(out_path / source["path"], rock_text(source, prov, front))
    return out_path
