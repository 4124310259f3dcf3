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
import marshal
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from verlicht import __version__
from verlicht.errors import Location, RockSyntaxError, VerlichtWarning
from verlicht.fsio import atomic_write_bytes
from verlicht.rock import Source, network_code, scan_bytes

CACHE_VERSION = 7  # 6: warnings for empty sources and very long utterances; 7: marshal, claim totals as text
CACHE_FILE = ".cache/sources.bin"  # marshal: a third faster to load than the same data as JSON
OLD_CACHE_FILE = ".cache/sources.json"  # what versions before 7 wrote; a build removes it
PROVENANCE_DIR = "provenance"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def summarise(source: Source, path: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The codebook-independent facts of one source that the graph is built from.

    ``source`` comes from :func:`verlicht.rock.scan_bytes` (utterances as rows), as for :func:`provenance`.

    Two parts. The summary, which every build reads (from the cache when the source is unchanged):
    counts, cases and attributes, ``uses`` (code leaves and network ends counted), ``uids`` (one
    space-separated string: uids hold no spaces, and one string caches faster than a list) and the
    reader's warnings. And the rows — ``network`` ``[cause, effect, type, weight, line, col, uid,
    case]`` (ends as leaves), ``codes`` ``[code id, line, col]``, every ``concepts`` level used and
    the ``edge_types`` declared — from which the source's claims are worked out
    (:func:`verlicht.graph.claims.contribute`); they are not cached, as the claims are.
    """
    network: list[list[Any]] = []
    codes: list[list[Any]] = []
    uids: list[str] = []
    cases: dict[str, int] = {}
    uses: dict[str, int] = {}
    concepts: set[str] = set()
    last_ids: dict[str, str] | None = None
    case: str | None = None
    for line, _text, uid, _nesting, u_codes, _values, u_network, ids, _section, _anchors in source.utterances:
        if ids is not last_ids:  # utterances share one ids mapping until an id changes
            last_ids = ids
            case = ids.get("cid") or ids.get("caseId")  # Utterance.case_id
        if case is not None:
            cases[case] = cases.get(case, 0) + 1
        if uid:
            uids.append(uid)
        for cause, effect, type_, weight, col in u_network:
            cause = cause.rsplit(">", 1)[-1]  # NetworkCode.source_leaf
            effect = effect.rsplit(">", 1)[-1]
            network.append([cause, effect, type_, weight, line, col, uid, case])
            uses[cause] = uses.get(cause, 0) + 1
            uses[effect] = uses.get(effect, 0) + 1
            concepts.add(cause)
            concepts.add(effect)
        for path_, col, _namespace in u_codes:
            codes.append([">".join(path_), line, col])  # Code.id
            leaf = path_[-1]
            uses[leaf] = uses.get(leaf, 0) + 1
            concepts.update(path_)
    rows = {"network": network, "codes": codes, "concepts": sorted(concepts), "edge_types": source.edge_types}
    summary = {
        "path": path,
        "lines": source.lines,
        "utterances": len(source.utterances),
        "caseless": any(row[7] is None for row in network),  # a claim before any [[cid=…]]
        "uses": uses,
        "uids": " ".join(uids),
        "cases": dict(sorted(cases.items())),
        "attributes": source.attributes,
        "warnings": [w.to_dict() for w in source.warnings],
    }
    return summary, rows


def provenance(source: Source, path: str) -> dict[str, Any]:
    """Every utterance of a source, as the evidence queries show it (rows keep their keys sorted)."""
    rows = []
    by_line = f"utterance:{path}#L"  # schema.utterance_id of an utterance without uid
    last_ids: dict[str, str] | None = None
    case = coder = None
    for line, text, uid, nesting, codes, values, network, ids, section, _anchors in source.utterances:
        if ids is not last_ids:
            last_ids = ids
            case = ids.get("cid") or ids.get("caseId")
            coder = ids.get("coderId")
        row: dict[str, Any] = {}
        if case:
            row["cid"] = case
        if codes:
            row["codes"] = [">".join(code[0]) for code in codes]
        if coder:
            row["coder"] = coder
        row["id"] = "utterance:" + uid if uid else by_line + str(line)
        row["line"] = line
        if nesting:
            row["nesting"] = nesting
        if network:
            row["network"] = [network_code(source_, target, type_, weight)
                              for source_, target, type_, weight, _col in network]
        if section:
            row["section"] = section
        row["text"] = text
        if uid:
            row["uid"] = uid
        if values:
            row["values"] = {code: value for code, value, _col in values}
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
    """Per source (by path and content hash) its summary and claims, and the claim index; kept in
    ``graphs/.cache``. Only a successful build writes it."""

    def __init__(self, graphs: Path, load: bool = True):
        self.file = graphs / CACHE_FILE
        self.entries: dict[str, dict[str, Any]] = {}
        self.codebook: str | None = None
        self.index: dict[str, Any] = {}
        self.records: str | None = None  # the token of the graph and evidence written with it (graph/patch.py)
        if not load:
            return
        try:
            data = marshal.loads(self.file.read_bytes())
            if data.get("version") == CACHE_VERSION and data.get("generator") == __version__:
                self.entries = data["sources"]
                self.codebook = data["codebook"]
                self.index = data["index"]
                self.records = data.get("records")
        except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError):
            self.entries, self.codebook, self.index, self.records = {}, None, {}, None

    def by_stat(self, path: str, stat: list[int]) -> tuple[str, dict[str, Any]] | None:
        """The cached digest and entry when size and modification time are unchanged."""
        entry = self.entries.get(path)
        if entry and entry.get("stat") == stat:
            return entry["sha256"], entry
        return None

    def get(self, path: str, digest: str) -> dict[str, Any] | None:
        entry = self.entries.get(path)
        if entry and entry.get("sha256") == digest:
            return entry
        return None

    def dump(self, entries: dict[str, dict[str, Any]], codebook: str, index: dict[str, Any],
             records: str | None = None) -> bytes:
        """``records``: the token of the graph and evidence files built with this index (graph/patch.py)."""
        # The generator version is part of the key: a new VERLICHT re-parses everything once.
        return marshal.dumps({"version": CACHE_VERSION, "generator": __version__, "codebook": codebook,
                              "sources": entries, "index": index, "records": records})

    def save(self, entries: dict[str, dict[str, Any]], codebook: str, index: dict[str, Any],
             records: str | None = None) -> None:
        atomic_write_bytes(self.file, self.dump(entries, codebook, index, records))


MAX_ERRORS_PER_SOURCE = 50


def further_errors(data: bytes, shown: str, first: RockSyntaxError,
                   limit: int = MAX_ERRORS_PER_SOURCE) -> list[RockSyntaxError]:
    """The errors after ``first`` in one source: the reader stops at the first, so the line it names (or the
    whole YAML fragment it is in) is blanked and the text read again, up to ``limit`` times. Line numbers stay
    (blanked lines are kept, empty). Only a failing source pays for this.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []
    lines = text.split("\n")
    fragments = _fragments(lines)
    found: list[RockSyntaxError] = []
    error = first
    seen = {str(first)}
    while len(found) < limit and error.location is not None and error.location.line is not None:
        number = error.location.line
        start, end = next(((a, b) for a, b in fragments if a <= number <= b), (number, number))
        if start < 1 or end > len(lines) or all(not lines[i - 1] for i in range(start, end + 1)):
            break  # nothing left to blank: no further progress possible
        for i in range(start, end + 1):
            lines[i - 1] = ""
        try:
            scan_bytes("\n".join(lines).encode("utf-8"), shown)
            break
        except RockSyntaxError as exc:
            if str(exc) in seen:
                break
            seen.add(str(exc))
            found.append(exc)
            error = exc
    return found


def _fragments(lines: list[str]) -> list[tuple[int, int]]:
    """1-based (first, last) lines of each YAML fragment, delimiters included; an unclosed one runs to the end."""
    ranges = []
    opened = None
    for number, line in enumerate(lines, start=1):
        if opened is None and line.startswith("[["):
            continue
        if line.rstrip("\r").rstrip() == "---":
            if opened is None:
                opened = number
            else:
                ranges.append((opened, number))
                opened = None
    if opened is not None:
        ranges.append((opened, len(lines)))
    return ranges


LONG_UTTERANCE = 10_000  # characters; a whole transcript pasted on one line, or a file that is no transcript


def size_warnings(source: Source, data: bytes, shown: str) -> list[VerlichtWarning]:
    """Warnings for a source without any utterance and for utterances over :data:`LONG_UTTERANCE` characters.

    Only a file holding a line of that many bytes is looked at utterance by utterance (otherwise one split
    of the bytes, about 20 µs for a 300-line interview; a regex for such a line was quadratic: 3 ms), so
    ordinary sources cost next to nothing here.
    """
    warnings = []
    if not source.utterances:
        warnings.append(VerlichtWarning("source has no utterances", Location(shown),
                                        "an empty file, or only front matter: add the transcript, or remove the "
                                        "file"))
    # Bytes are never fewer than characters: only a file with a line that long is read utterance by utterance.
    if len(data) > LONG_UTTERANCE and max(map(len, data.split(b"\n"))) > LONG_UTTERANCE:
        for line, text, *_rest in source.utterances:
            if len(text) > LONG_UTTERANCE:
                warnings.append(VerlichtWarning(
                    f"utterance of {len(text):,} characters", Location(shown, line),
                    "one line is one utterance: split the text into sentences or turns, one per line"))
    return warnings


class ClaimsContext(NamedTuple):
    """What of the codebook a source's claims are worked out with (sent once to each parse worker)."""

    edge_types: dict[str, Any]  # name -> EdgeType
    concepts: set[str]  # the codebook's concept codes
    codebook_key: str  # verlicht.graph.claims.codebook_key: the cache's claims hold while it is the same


class Parsed(NamedTuple):
    """One source parsed by :func:`parse_source_bytes`."""

    summary: dict[str, Any]  # what the cache keeps of it (see summarise)
    rows: bytes  # its network and code rows, as JSON
    contribution: dict[str, Any] | None  # its claims (verlicht.graph.claims.contribute), given a ClaimsContext
    provenance: bytes  # the bytes of graphs/provenance/<source>.json


def parse_source_bytes(data: bytes, shown: str, claims_context: ClaimsContext | None = None,
                       interviewers: list[str] | None = None) -> Parsed:
    """Parse one source into its summary, its rows (as JSON), its claims and its provenance file's bytes.

    The claims (see :mod:`verlicht.graph.claims`) are worked out when ``claims_context`` is given,
    with ``interviewers`` as the source's interviewer cases; by default the source's own attributes
    say who they are, and the build checks that against every source's. Raises RockSyntaxError.
    """
    try:
        source = scan_bytes(data, shown)
    except RockSyntaxError as exc:
        exc.further = further_errors(data, shown, exc)  # the build reports every mistake of the file
        raise
    source.warnings.extend(size_warnings(source, data, shown))
    summary, rows = summarise(source, shown)
    contribution = None
    if claims_context is not None:
        from verlicht.graph.claims import context, contribute, guess_interviewers  # store.py needs none of it

        if interviewers is None:
            interviewers = guess_interviewers(summary)
        contribution = contribute(rows, shown, claims_context.edge_types, claims_context.concepts, interviewers,
                                  context(claims_context.codebook_key, interviewers))
    return Parsed(summary, orjson.dumps(rows), contribution, dump_json(provenance(source, shown)))
