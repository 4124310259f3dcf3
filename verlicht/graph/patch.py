"""Write the graph and evidence files by patching the previous build's, record by record.

A rebuild after editing one interview changes a few hundred of the graph's records (the assumptions and
relations that interview touches, its source and respondents, a few concepts' use counts) out of up to
hundreds of thousands. Rendering and serialising every record again cost most of such a rebuild (about
1.2 s of 1.5 s on the 45,000-assumption bench workspace), so the build keeps, in ``graphs/.cache/records.bin``
(``marshal``), what it needs to patch its own output instead:

* the byte length of every record of the two lists in ``graphs/verlicht.json`` (edges, nodes) and of every
  entry of ``graphs/evidence.json``, in file order; the files themselves hold the records, and a record's
  key is read back from its bytes only where a binary search looks;
* the serialised records that are not worked out from the claims (sources, respondents, concepts,
  indicators, logic models, reviews: a few thousand), which every build makes anew and compares;
* the respondents' groups (an assumption's record counts its holders by group);
* a CRC-32 and size of each file written, also kept by the source cache (its ``records`` token), so that
  the three agree: any other graph or evidence file, or a cache from another build, means a full write.

New bytes are put together as :func:`dump_json` would write the whole (compact, sorted keys): the lists are
the records' JSON joined by commas, in the order of their keys (node id; edge source, target, kind;
evidence key), and unchanged runs of records are copied from the previous file as they are.
"""

from __future__ import annotations

import marshal
import re
import zlib
from array import array
from collections.abc import Callable, Iterable
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from verlicht import __version__
from verlicht.graph.source_cache import dump_json

RECORDS_FILE = ".cache/records.bin"
RECORDS_VERSION = 1
CLAIM_KINDS = frozenset({"HOLDS", "CAUSE", "EFFECT", "RELATED"})  # edges worked out from the claims
CLAIM_NODE = "assumption:"  # prefix of the nodes worked out from the claims

Key = Any  # a node id, an edge's (source, target, kind), an evidence key
Changes = dict[Key, bytes | None]  # new record bytes by key; None: the record goes

_OPTION = orjson.OPT_SORT_KEYS
_EDGES_MARK = b'["\\u0000edges"]'  # what the placeholder lists dump to: '["' never occurs inside a string
_NODES_MARK = b'["\\u0000nodes"]'


def record_bytes(record: dict[str, Any]) -> bytes:
    """One record as the graph file holds it."""
    return orjson.dumps(record, option=_OPTION)


def evidence_entry(key: str, text: str) -> bytes:
    """One entry of ``graphs/evidence.json``: the key, and the quotes' JSON text in brackets."""
    return orjson.dumps(key) + b":[" + text.encode() + b"]"


def is_claim_node(ident: str) -> bool:
    return ident.startswith(CLAIM_NODE)


def edge_key(edge: dict[str, Any]) -> tuple[str, str, str]:
    return edge["source"], edge["target"], edge["kind"]


def _node_key(data: bytes | memoryview) -> str:
    return orjson.loads(data)["id"]


def _edge_key(data: bytes | memoryview) -> tuple[str, str, str]:
    return edge_key(orjson.loads(data))


def _evidence_key(data: bytes | memoryview) -> str:
    return next(iter(orjson.loads(b"{" + bytes(data) + b"}")))


class Token(NamedTuple):
    """What the graph and evidence files must be for the records to describe them."""

    graph: tuple[int, int]  # CRC-32, size
    evidence: tuple[int, int]

    def text(self) -> str:
        return f"{self.graph[0]}:{self.graph[1]}:{self.evidence[0]}:{self.evidence[1]}"

    @classmethod
    def of(cls, graph: bytes, evidence: bytes) -> Token:
        return cls((zlib.crc32(graph), len(graph)), (zlib.crc32(evidence), len(evidence)))


class Written(NamedTuple):
    """A build's graph and evidence bytes and the records state describing them."""

    graph: bytes
    evidence: bytes
    state: dict[str, Any]

    @property
    def token(self) -> str:
        return self.state["token"]


class Previous(NamedTuple):
    """The last build's output and records state, checked to agree with each other."""

    graph: bytes
    evidence: bytes
    state: dict[str, Any]

    @property
    def groups(self) -> dict[str, str]:
        return self.state["groups"]


def load_previous(graphs: Path, graph_file: Path, evidence_file: Path, token: str | None) -> Previous | None:
    """The previous build's files and records when they agree with each other and with ``token`` (the source
    cache's); None otherwise (no cache, another version, a killed build, a file changed by hand)."""
    if token is None:
        return None
    try:
        state = marshal.loads((graphs / RECORDS_FILE).read_bytes())
        if not isinstance(state, dict) or state.get("version") != RECORDS_VERSION \
                or state.get("generator") != __version__ or state.get("token") != token or not state.keys() >= _STATE:
            return None
        graph, evidence = graph_file.read_bytes(), evidence_file.read_bytes()
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if Token.of(graph, evidence).text() != token:
        return None
    return Previous(graph, evidence, state)


def full(header: dict[str, Any], nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
         evidence: Iterable[tuple[str, str]], groups: dict[str, str]) -> Written:
    """The graph and evidence files from every record (nodes and edges sorted, evidence sorted by key), and
    their records state."""
    nodes_json, edges_json = orjson.dumps(nodes, option=_OPTION), orjson.dumps(edges, option=_OPTION)
    node_lengths, edge_lengths = _lengths(nodes_json, nodes), _lengths(edges_json, edges)
    graph, edges_at, nodes_at = _graph_bytes(header, [memoryview(edges_json)[1:-1]], [memoryview(nodes_json)[1:-1]])
    del nodes_json, edges_json
    entries = [evidence_entry(key, text) for key, text in evidence]
    evidence_lengths = array("I", map(len, entries))
    evidence_bytes = b"".join([b"{", *_commas(entries), b"}\n"])
    del entries
    others = ({r["id"]: record_bytes(r) for r in nodes if not is_claim_node(r["id"])},
              {edge_key(r): record_bytes(r) for r in edges if r["kind"] not in CLAIM_KINDS})
    return Written(graph, evidence_bytes, _state(graph, evidence_bytes, edges_at, nodes_at, edge_lengths,
                                                 node_lengths, evidence_lengths, others, groups))


def patched(previous: Previous, header: dict[str, Any], nodes: Changes, edges: Changes, evidence: Changes,
            others: tuple[dict[str, bytes], dict[tuple[str, str, str], bytes]], groups: dict[str, str]) -> Written:
    """The previous files with ``nodes``, ``edges`` and ``evidence`` changed, and the records that are not
    worked out from the claims replaced by ``others`` (those of this build, compared with the last's)."""
    state = previous.state
    old_nodes, old_edges = state["others"]
    new_nodes, new_edges = others
    _compare(old_nodes, new_nodes, nodes)
    _compare(old_edges, new_edges, edges)
    old = memoryview(previous.graph)
    edges_json, edge_lengths = _patch(old, state["edges_at"], array("I", state["edges"]), edges, _edge_key)
    nodes_json, node_lengths = _patch(old, state["nodes_at"], array("I", state["nodes"]), nodes, _node_key)
    evidence_json, evidence_lengths = _patch(memoryview(previous.evidence), 1, array("I", state["evidence"]),
                                             evidence, _evidence_key)
    graph, edges_at, nodes_at = _graph_bytes(header, edges_json, nodes_json)
    evidence_bytes = b"".join([b"{", *evidence_json, b"}\n"])
    return Written(graph, evidence_bytes, _state(graph, evidence_bytes, edges_at, nodes_at, edge_lengths,
                                                 node_lengths, evidence_lengths, others, groups))


def save(graphs: Path, written: Written) -> tuple[Path, bytes]:
    """Where the records state goes and its bytes (staged with the build's other files)."""
    return graphs / RECORDS_FILE, marshal.dumps(written.state)


_STATE = {"edges_at", "nodes_at", "edges", "nodes", "evidence", "others", "groups"}  # besides version and token


def _state(graph: bytes, evidence: bytes, edges_at: int, nodes_at: int, edge_lengths: array, node_lengths: array,
           evidence_lengths: array, others: tuple[dict[str, bytes], dict[tuple[str, str, str], bytes]],
           groups: dict[str, str]) -> dict[str, Any]:
    return {"version": RECORDS_VERSION, "generator": __version__, "token": Token.of(graph, evidence).text(),
            "edges_at": edges_at, "nodes_at": nodes_at, "edges": edge_lengths.tobytes(),
            "nodes": node_lengths.tobytes(), "evidence": evidence_lengths.tobytes(), "others": others,
            "groups": groups}


def _compare(old: dict[Key, bytes], new: dict[Key, bytes], changes: Changes) -> None:
    """Add to ``changes`` the records of ``new`` that differ from ``old``'s, and those gone from it."""
    for key, data in new.items():
        if old.get(key) != data:
            changes[key] = data
    for key in old.keys() - new.keys():
        changes[key] = None


def _graph_bytes(header: dict[str, Any], edges_json: list[bytes | memoryview],
                 nodes_json: list[bytes | memoryview]) -> tuple[bytes, int, int]:
    """The graph file with its two lists' items put in (each given as pieces that follow one another), and
    where each list's first item starts. One join: the file is copied once."""
    skeleton = dump_json({**header, "edges": ["\0edges"], "nodes": ["\0nodes"]})
    edges_mark, nodes_mark = skeleton.index(_EDGES_MARK), skeleton.index(_NODES_MARK)
    assert edges_mark < nodes_mark  # keys sorted: "edges" before "nodes"
    before, between = skeleton[:edges_mark + 1], skeleton[edges_mark + len(_EDGES_MARK) - 1:nodes_mark + 1]
    after = skeleton[nodes_mark + len(_NODES_MARK) - 1:]
    edges_at = len(before)
    nodes_at = edges_at + sum(map(len, edges_json)) + len(between)
    return b"".join([before, *edges_json, between, *nodes_json, after]), edges_at, nodes_at


_BETWEEN = re.compile(rb'\},\{"')  # where one record of a list ends and the next begins


def _lengths(list_json: bytes, records: list[dict[str, Any]]) -> array:
    """The byte length of each record in ``list_json`` (the list's JSON, brackets included).

    The records are objects, so ``},{"`` stands between two of them, and occurs nowhere else unless a record
    holds a list of objects (inside a string a quote is always escaped): when it is found once less often than
    there are records, it is where they meet; otherwise each record is measured on its own.
    """
    count = len(records)
    if count == 0:
        return array("I")
    ends = [match.start() for match in _BETWEEN.finditer(list_json)]  # each record's closing brace but the last's
    if len(ends) != count - 1:
        return array("I", [len(record_bytes(r)) for r in records])
    starts = [1] + [end + 2 for end in ends]
    ends.append(len(list_json) - 2)
    return array("I", [end + 1 - start for start, end in zip(starts, ends, strict=True)])


def _commas(pieces: list[bytes | memoryview]) -> list[bytes | memoryview]:
    """``pieces`` with a comma between each two, to be joined in one go."""
    joined: list[bytes | memoryview] = []
    for piece in pieces:
        if joined:
            joined.append(b",")
        joined.append(piece)
    return joined


def _patch(old: memoryview, start: int, lengths: array, changes: Changes,
           key_of: Callable[[memoryview], Key]) -> tuple[list[bytes | memoryview], array]:
    """A list's items with ``changes`` applied, as pieces to be joined as they are, and their lengths: the
    list's records start at ``old[start]`` and have ``lengths``, sorted by key. Records not changed are taken
    in runs; changed ones are found by a binary search that reads the key of each record it looks at."""
    count = len(lengths)
    before = list(accumulate(lengths, initial=0))  # record i starts at start + before[i] + i (the commas)

    def key_at(index: int) -> Key:
        at = start + before[index] + index
        return key_of(old[at:at + lengths[index]])

    pieces: list[bytes | memoryview] = []
    new_lengths = array("I")
    done = 0  # records before this one are in pieces
    for key in sorted(changes):
        low, high = done, count
        while low < high:
            middle = (low + high) // 2
            if key_at(middle) < key:
                low = middle + 1
            else:
                high = middle
        if low > done:
            pieces.append(old[start + before[done] + done:start + before[low] + low - 1])
            new_lengths.extend(lengths[done:low])
        data = changes[key]
        if data is not None:
            pieces.append(data)
            new_lengths.append(len(data))
        done = low + 1 if low < count and key_at(low) == key else low
    if done < count:
        pieces.append(old[start + before[done] + done:start + before[count] + count - 1])
        new_lengths.extend(lengths[done:])
    return _commas(pieces), new_lengths
