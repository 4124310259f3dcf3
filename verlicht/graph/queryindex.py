"""The query index: what the questions read of the graph (:class:`~verlicht.graph.facts.Facts`), kept beside it.

``graphs/.cache/queries.idx`` holds the facts of ``graphs/verlicht.json`` as :mod:`marshal` data (plain
tuples, lists, dicts and text), about a fifth of the graph's size at the worst case and read in a tenth of
the time: ``verlicht gaps`` then never parses the 26 MB graph file. The graph stays the store and the
export; the index is a cache of it that a build writes (:func:`write_index`, once, at the end) and a query
trusts only when it belongs to the graph file as it is now (:func:`read_index`). Its first line says what it
is and its version; then a fixed header with the size and modification time (ns) of the graph file it was
made with, its marshal version and a CRC-32 of the data. Another format, another version, another graph
(rewritten, touched or replaced since), a damaged or missing index: :func:`read_index` returns None and the
question reads the graph file instead. Nothing here is ever the only copy of anything.
"""

from __future__ import annotations

import contextlib
import marshal
import struct
import zlib
from pathlib import Path

import orjson

from verlicht.fsio import atomic_write_bytes
from verlicht.gcpause import gc_paused
from verlicht.graph.facts import Facts

INDEX_FILE = ".cache/queries.idx"  # under graphs/
MAGIC = b"verlicht-query-index\n"
INDEX_VERSION = 1  # the layout of Facts.plain(); a change makes every index of an older version unread
_HEADER = struct.Struct("<IIqqI")  # index version, marshal version, graph size, graph mtime_ns, CRC-32 of the data


def _stamp(graph_file: Path) -> tuple[int, int] | None:
    try:
        info = graph_file.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def write_index(graph_file: Path, index_file: Path, facts: Facts) -> None:
    """Keep ``facts`` (those of the graph file, :meth:`Facts.of_records` of its records) in ``index_file``, for
    the graph file as it is now: call it after that file is in place. Written atomically (a temporary file,
    fsynced, renamed); a file that holds these bytes already is left alone."""
    stamp = _stamp(graph_file)
    if stamp is None:
        return
    with gc_paused():
        header_, records, edge_records, *claims = facts.plain()
        # The few hundred whole records as the graph file has them (verlicht.graph.source_cache.dump_json: keys
        # sorted, tuples as lists), so that answers from the index and from the file agree to the byte.
        light = orjson.loads(orjson.dumps((header_, records, edge_records), option=orjson.OPT_SORT_KEYS))
        data = marshal.dumps((*light, *claims))
    size, mtime_ns = stamp
    payload = MAGIC + _HEADER.pack(INDEX_VERSION, marshal.version, size, mtime_ns, zlib.crc32(data)) + data
    with contextlib.suppress(OSError):
        if index_file.stat().st_size == len(payload) and index_file.read_bytes() == payload:
            return
    atomic_write_bytes(index_file, payload)


def read_index(graph_file: Path, index_file: Path) -> Facts | None:
    """The facts kept in ``index_file`` when they are those of ``graph_file`` as it is now; None otherwise
    (no index, another version, made for another graph file or damaged): then read the graph file."""
    stamp = _stamp(graph_file)
    if stamp is None:
        return None
    try:
        with open(index_file, "rb") as handle:
            head = handle.read(len(MAGIC) + _HEADER.size)
            if not head.startswith(MAGIC) or len(head) != len(MAGIC) + _HEADER.size:
                return None
            version, marshal_version, size, mtime_ns, crc = _HEADER.unpack_from(head, len(MAGIC))
            if (version, marshal_version, (size, mtime_ns)) != (INDEX_VERSION, marshal.version, stamp):
                return None
            data = handle.read()
    except OSError:
        return None
    if zlib.crc32(data) != crc:
        return None
    with gc_paused():
        try:
            return Facts.from_plain(marshal.loads(data))
        except (ValueError, TypeError, KeyError, EOFError):
            return None

