"""Answers that match the files: whether the built graph is older than the workspace's inputs.

Every build records the size and modification time of every input file as it found them when it started
(``graphs/.cache/inputs-stat.json``): ``verlicht.toml`` and every file under the sources, ontology, indicators,
logic and reviews folders (hidden files, such as an editor's temporary ones, left out). Before a query answers,
:func:`stale_inputs` stats the same files and compares: one ``stat`` per file, no reading or hashing, a few
milliseconds for a 1,000-interview workspace. Anything added, removed or changed (or no graph, or a graph of
another VERLICHT version) means the graph may be out of date, and :func:`ensure_fresh` runs the incremental
build first, so that ``verlicht link`` or ``verlicht code add`` followed by ``verlicht gaps`` answers from the
files as they are. Trusting size and time is what the build's own cache does (and git): an edit that keeps
both is not seen, which editors and the coding commands never do.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

import orjson

from verlicht import __version__
from verlicht.fsio import atomic_write_bytes, folder_lock
from verlicht.workspace import CONFIG_FILE, Layout

STAMP_FILE = ".cache/inputs-stat.json"
INPUT_FOLDERS = ("interviews", "ontology", "indicators", "logic", "reviews")

T = TypeVar("T")


def input_stamps(layout: Layout) -> dict[str, list[int]]:
    """``[modification time in ns, size]`` of every input file, by its path relative to the workspace."""
    stamps: dict[str, list[int]] = {}
    config = layout.root / CONFIG_FILE
    try:
        info = config.stat()
        stamps[CONFIG_FILE] = [info.st_mtime_ns, info.st_size]
    except FileNotFoundError:
        pass
    graphs = os.path.realpath(layout.graphs)
    seen: set[str] = set()
    for key in INPUT_FOLDERS:
        folder = layout.folder(key)
        if str(folder) in seen:
            continue
        seen.add(str(folder))
        try:
            prefix = folder.relative_to(layout.root).as_posix() + "/"
        except ValueError:  # a folder outside the workspace (paths in verlicht.toml): by its full path
            prefix = folder.as_posix() + "/"
        _walk(str(folder), prefix, graphs, stamps)
    return stamps


def _walk(folder: str, prefix: str, graphs: str, stamps: dict[str, list[int]]) -> None:
    try:
        entries = os.scandir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    with entries:
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                continue
            try:
                if entry.is_dir():
                    if os.path.realpath(entry.path) != graphs:
                        _walk(entry.path, prefix + name + "/", graphs, stamps)
                    continue
                info = entry.stat()
            except OSError:
                continue
            stamps[prefix + name] = [info.st_mtime_ns, info.st_size]


def record_stamps(layout: Layout, stamps: dict[str, list[int]], outcome: dict | None = None) -> None:
    """Keep what a successful build started from (written after its outputs: a crash in between only makes
    the next query build once more), and ``outcome``, what it was asked and left (see
    :mod:`verlicht.graph.uptodate`), so that the next build with nothing changed can stop at the stamps."""
    data: dict = {"generator": __version__, "files": stamps}
    if outcome is not None:
        data["build"] = outcome
    atomic_write_bytes(layout.graphs / STAMP_FILE, orjson.dumps(data, option=orjson.OPT_SORT_KEYS))


def stale_inputs(layout: Layout) -> list[str]:
    """What changed since the last successful build: input paths added, removed or changed, in path order;
    ``["graphs/verlicht.json"]`` (the graph's own path) when there is no graph or no record of its inputs.
    Empty when the graph answers from the files as they are."""
    shown_graph = layout.shown(layout.graph_file)
    if not layout.graph_file.is_file():
        return [shown_graph]
    try:
        data = orjson.loads((layout.graphs / STAMP_FILE).read_bytes())
        recorded = data["files"] if data.get("generator") == __version__ else None
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
        recorded = None
    if not isinstance(recorded, dict):
        return [shown_graph]
    now = input_stamps(layout)
    if now == recorded:
        return []
    return sorted(path for path in now.keys() | recorded.keys() if now.get(path) != recorded.get(path))


def describe(changed: list[str]) -> str:
    """One line saying why the graph is built before answering.

    >>> describe(["indicators/indicators.csv"])
    'indicators/indicators.csv changed since the last build; building the graph first'
    >>> describe(["a.rock", "b.rock", "c.rock", "d.rock"])
    '4 files changed since the last build (a.rock, b.rock, c.rock, …); building the graph first'
    """
    if len(changed) == 1:
        what = f"{changed[0]} changed since the last build"
    else:
        shown = ", ".join(changed[:3]) + (", …" if len(changed) > 3 else "")
        what = f"{len(changed)} files changed since the last build ({shown})"
    return f"{what}; building the graph first"


def ensure_fresh(layout: Layout, build: Callable[[], T], notify: Callable[[str], None] | None = None) -> T | None:
    """Run ``build`` when an input changed since the last build (saying why through ``notify``, one line);
    its result, or None when the graph was up to date. Build errors propagate as they are.

    Two queries at once do not both build: the check is repeated under a lock on the graphs folder.
    """
    if not stale_inputs(layout):
        return None
    layout.graphs.mkdir(parents=True, exist_ok=True)
    with folder_lock(layout.graphs):
        changed = stale_inputs(layout)
        if not changed:
            return None
        if notify is not None:
            if changed != [layout.shown(layout.graph_file)]:
                notify(describe(changed))
            elif layout.graph_file.is_file():
                notify("no record of the files the graph was built from; building the graph first")
            else:
                notify("no graph built yet; building the graph first")
        return build()
