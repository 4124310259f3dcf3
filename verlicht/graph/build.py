"""Build the knowledge graph from a workspace's sources, deterministically.

Sources are the truth; the graph is built. The same workspace gives the same
``graphs/verlicht.json`` byte for byte (sorted ids and keys, no timestamps).
Nothing is written until every input has been read and checked, and every
file is replaced atomically, so a failed build leaves the previous graph
intact.
"""

from __future__ import annotations

import os
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from verlicht import __version__
from verlicht.anonymise.guard import check_privacy
from verlicht.codebook import Codebook, load_codebook, missing_codebook
from verlicht.errors import BuildError, Location, RockSyntaxError, VerlichtError, VerlichtWarning
from verlicht.fsio import folder_lock
from verlicht.gcpause import gc_paused
from verlicht.graph import patch
from verlicht.graph import schema as s
from verlicht.graph.claims import ClaimIndex, codebook_key, context, contribute, group_of
from verlicht.graph.facts import Facts
from verlicht.graph.freshness import input_stamps, record_stamps
from verlicht.graph.inputs import CACHE_FILE as INPUTS_CACHE
from verlicht.graph.inputs import input_files, inputs_key, read_cached, to_cache
from verlicht.graph.queryindex import INDEX_FILE as QUERY_INDEX
from verlicht.graph.queryindex import read_index, write_index
from verlicht.graph.respondents import IDENTITY_ATTRIBUTES, Conflict, identity_conflicts, same_attribute
from verlicht.graph.source_cache import (
    OLD_CACHE_FILE,
    PROVENANCE_DIR,
    ClaimsContext,
    Parsed,
    SourceCache,
    parse_source_bytes,
    provenance_name,
    provenance_path,
    sha256,
    warnings_of,
)
from verlicht.graph.staging import Staging, sweep_temporary
from verlicht.graph.store import EVIDENCE_FILE, GRAPH_FORMAT, GRAPH_VERSION
from verlicht.graph.uptodate import BuildReport, Progress, outcome, signature, unchanged_report
from verlicht.indicators import Indicator, Observation, load_indicators, load_observations
from verlicht.indicators.areas import area_resolver
from verlicht.indicators.tables import OBSERVATIONS_FILE, catalogue_files, not_a_catalogue
from verlicht.logic import LogicModel, check_references, logic_files, read_logic_models
from verlicht.logic.nodes import add_logic_models
from verlicht.programme import Catalogue, workspace_catalogue
from verlicht.reviews.nodes import CACHE_FILE as REVIEWS_CACHE
from verlicht.reviews.nodes import ReviewSet, add_reviews, load_reviews
from verlicht.workspace import Layout


def load_inputs(layout: Layout) -> tuple[Catalogue, Codebook]:
    """The catalogue (the built-in one, with the workspace's override merged over it) and the codebook."""
    override = layout.ontology / "catalogue.yaml"
    catalogue = workspace_catalogue(override, layout.shown(override))
    book_path = layout.ontology / "codebook.yaml"
    codebook = load_codebook(book_path, layout.shown(book_path), set(catalogue.themes))
    return catalogue, codebook


def load_logic(layout: Layout) -> tuple[LogicModel, ...]:
    """The intervention logic models in ``logic/``, each checked on its own (every problem at once)."""
    models, errors = read_logic_models((p, layout.shown(p)) for p in logic_files(layout.folder("logic")))
    if errors:
        raise BuildError(errors)
    return tuple(models)


def load_indicator_files(
    layout: Layout, codebook: Codebook, catalogue: Catalogue, warnings: list[VerlichtWarning] | None = None
) -> tuple[dict[str, Indicator], list[Observation]]:
    """The indicator catalogue and observations; a CSV that is no catalogue (a CBS download) is skipped
    with a warning added to ``warnings``."""
    folder = layout.indicators
    if not folder.is_dir():
        return {}, []
    others: list[Path] = []
    files = catalogue_files(folder, others)
    if warnings is not None:
        warnings.extend(not_a_catalogue(layout.shown(p)) for p in others)
    indicators = load_indicators(((p, layout.shown(p)) for p in files), set(codebook.concepts),
                                 set(catalogue.goals), catalogue)
    obs_path = folder / OBSERVATIONS_FILE
    observations = []
    if obs_path.exists():
        observations = load_observations(obs_path, layout.shown(obs_path), set(indicators),
                                         set(catalogue.areas), area_resolver(catalogue))
    return indicators, observations


def build_graph(layout: Layout, strict: bool | None = None, progress: Progress | None = None,
                allow_unanonymised: bool | None = None, key_names: Iterable[str] = (),
                reuse: bool = True) -> BuildReport:
    """Build ``graphs/verlicht.json`` (and provenance) from the workspace at ``layout``.

    Raises :class:`BuildError` carrying every error found; under ``strict``
    warnings about unknown codes and edge types count as errors. First the
    privacy guard: sources without the anonymisation marker (unless allowed)
    or with residual personal data stop the build before anything is written.
    When no input or output changed since the last build, asked the same, its report is returned without
    reading anything (:mod:`verlicht.graph.uptodate`; ``reuse=False`` when the caller checked that already).
    """
    asked = signature(layout, strict, allow_unanonymised, key_names)
    if reuse and (unchanged := unchanged_report(layout, asked)) is not None:
        return unchanged
    clock = _Clock()
    stamps = input_stamps(layout)  # what the files were when we started: queries compare against it
    layout.graphs.mkdir(parents=True, exist_ok=True)
    # One build at a time per workspace; under the lock, temporary files of a killed build are stale.
    with folder_lock(layout.graphs):
        graphs = layout.graphs
        sweep_temporary([graphs, graphs / PROVENANCE_DIR, graphs / ".cache"])
        check_privacy(layout, allow_unanonymised, key_names)
        clock.lap("privacy guard")
        with gc_paused():
            try:
                report = _build(layout, strict, progress, clock=clock)
            except _StaleCache:  # a source changed while we read it: build again, from the files alone
                report = _build(layout, strict, progress, use_cache=False, clock=clock)
        record_stamps(layout, stamps, outcome(layout, report, asked))
    return report


class _Clock:
    """Seconds spent per step of a build."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.phases[name] = self.phases.get(name, 0.0) + now - self._last
        self._last = now


def _build(layout: Layout, strict: bool | None, progress: Progress | None, use_cache: bool = True,
           clock: _Clock | None = None) -> BuildReport:
    clock = clock or _Clock()
    strict = layout.config.strict if strict is None else strict
    graphs = layout.graphs
    input_paths = input_files(layout)
    key = inputs_key(input_paths)
    cached = read_cached(graphs, key) if use_cache else None
    inputs_cache = None
    # Every mistake of a build is reported at once (the CLI shows the first 50): what an input file's errors
    # leave out is checked anyway, except what depends on the codebook and catalogue, which stop the build.
    input_errors: list[VerlichtError] = []
    if cached is not None:
        catalogue, codebook, logic = cached
    else:
        catalogue, codebook = load_inputs(layout)
        try:
            logic = load_logic(layout)
        except BuildError as exc:
            input_errors.extend(exc.errors)
            logic = ()
        if inputs_key(input_paths) == key and not input_errors:  # not changed while we read them
            inputs_cache = to_cache(key, catalogue, codebook, logic)
    book = layout.ontology / "codebook.yaml"
    # Said once here: the warnings about codes missing from the codebook would not tell that the file is.
    missing = [] if book.exists() else [missing_codebook(layout.shown(book))]
    indicator_warnings: list[VerlichtWarning] = []
    try:
        indicators, observations = load_indicator_files(layout, codebook, catalogue, indicator_warnings)
        indicators_read = True
    except VerlichtError as exc:  # reported with the rest; a missing codebook (their cause) comes first
        input_errors.extend(BuildError([exc]).errors)
        indicators, observations, indicators_read = {}, [], False
    # What a logic model names may have changed with the indicators or codebook: checked on every build
    # (not against a catalogue that did not read: every reference would look unknown).
    logic_errors = check_references(logic, set(indicators), set(codebook.concepts), set(catalogue.goals)) \
        if indicators_read else []
    reviews = load_reviews(layout, set(codebook.concepts), graphs)  # living reviews, cached by their files' bytes
    logic_errors.extend(reviews.errors)
    clock.lap("codebook, catalogue, indicators")

    cache = SourceCache(graphs, load=use_cache)
    clock.lap("load cache")
    files = layout.source_files()
    claims_context = ClaimsContext(codebook.edge_types, set(codebook.concepts), codebook_key(codebook))
    # Nothing is replaced before every input has been read and checked: files are staged (written and
    # fsynced in the background while the build goes on) and moved into place only at commit.
    with Staging() as staging:
        summaries, contributions, fresh, digests, stats, errors = _read_sources(
            layout, files, cache, progress, staging, claims_context)  # a SourcesRead
        clock.lap("list, stat, read and parse sources")
        errors[:0] = input_errors
        errors.extend(logic_errors)
        warnings = missing + list(codebook.warnings) + indicator_warnings
        for model in logic:
            warnings.extend(model.warnings)
        for summary in summaries.values():
            warnings.extend(warnings_of(summary))
        errors.extend(_duplicate_uids(summaries, layout, fresh))
        clock.lap("check uids")
        # The last build's output, when it can be patched (see verlicht.graph.patch).
        previous = patch.load_previous(graphs, layout.graph_file, graphs / EVIDENCE_FILE, cache.records) \
            if use_cache else None
        clock.lap("load the last build's output")
        assembler = _Assembler(codebook, catalogue, indicators, observations, summaries, digests, logic, reviews)
        assembler.root = layout.root
        assembler.assemble(cache, contributions, lambda todo: _reparse(layout, todo, digests, claims_context,
                                                                       staging), previous)
        clock.lap("merge" if assembler.previous is None else "merge (patching the last build)")
        warnings.extend(assembler.warnings)
        errors.extend(assembler.errors)
        if strict:
            errors.extend(w.to_error() for w in assembler.strict_warnings)
        if errors or (strict and missing):
            # Without a codebook every code is undefined: that cause comes before what follows from it.
            raise BuildError([*(w.to_error() for w in missing), *errors])

        counts = assembler.counts()
        header = {"format": GRAPH_FORMAT, "version": GRAPH_VERSION, "workspace": layout.config.name,
                  "generator": f"verlicht {__version__}", "counts": counts}
        written = assembler.write(header)
        # Provenance first (staged as sources were parsed), graph last: the graph only ever points at
        # provenance that exists.
        staging.write(graphs / EVIDENCE_FILE, written.evidence)
        staging.write(layout.graph_file, written.graph)
        if assembler.changed or cache.records != written.token \
                or any(cache.entries[k]["stat"] != stats[k] for k in summaries):
            entries = {k: {"sha256": digests[k], "stat": stats[k], "summary": v,
                           "contribution": assembler.contributions[k]} for k, v in summaries.items()}
            staging.write(cache.file, cache.dump(entries, claims_context.codebook_key, assembler.index.to_dict(),
                                                 written.token))
        staging.write(*patch.save(graphs, written))
        if inputs_cache is not None:
            staging.write(graphs / INPUTS_CACHE, inputs_cache)
        if reviews.cache is not None:
            staging.write(graphs / REVIEWS_CACHE, reviews.cache)
        manifest = {"generator": f"verlicht {__version__}", "counts": counts,
                    "sources": {k: digests[k] for k in sorted(summaries)}}
        staging.write(graphs / "manifest.json",
                      orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n")
        clock.lap("serialise")
        # The last build's query index, read while its graph file is still in place (its stamp names that file).
        last_facts = read_index(layout.graph_file, graphs / QUERY_INDEX) if assembler.previous is not None else None
        staging.commit(len(fresh))
        _remove_stale(graphs, summaries)
        staging.commit()
        clock.lap("finish writing")
    # What the queries read, kept for the graph file now in place (it records that file's size and time).
    write_index(layout.graph_file, graphs / QUERY_INDEX, assembler.facts(header, written, last_facts))
    clock.lap("query index")
    return BuildReport(layout.graph_file, counts, parsed=len(fresh), cached=len(summaries) - len(fresh),
                       warnings=warnings, phases=clock.phases)


def _remove_stale(graphs: Path, summaries: dict[str, Any]) -> None:
    """Provenance of sources that are gone, and the source cache as versions before 7 wrote it."""
    (graphs / OLD_CACHE_FILE).unlink(missing_ok=True)
    expected = {provenance_name(shown) for shown in summaries}
    prov_dir = graphs / PROVENANCE_DIR
    if prov_dir.is_dir():
        for stale in prov_dir.glob("*.json"):
            if stale.name not in expected:
                stale.unlink()


class SourcesRead(NamedTuple):
    """Every source as the build found it (see :func:`_read_sources`)."""

    summaries: dict[str, dict[str, Any]]  # by shown path, in path order: parsed now or from the cache
    contributions: dict[str, tuple[bytes, dict[str, Any]]]  # of the sources parsed now: (rows, claims)
    fresh: set[str]  # the sources parsed now
    digests: dict[str, str]  # SHA-256 of every source read (or known unchanged by its stat)
    stats: dict[str, list[int]]  # [modification time in ns, size] of every source
    errors: list[VerlichtError]  # what could not be read or parsed, in file order, every mistake of a file


class ParseJob(NamedTuple):
    """A source to read (unless ``data`` holds its bytes), hash and parse, in a worker or here."""

    index: int  # its place in the file list, to report read errors in file order
    shown: str
    path: str
    data: bytes | None
    interviewers: list[str] | None  # its interviewer cases when the build knows them (a re-parse)


class ParseResult(NamedTuple):
    """What :func:`_parse_one` made of a :class:`ParseJob`: ``digest`` is None when the file could not be read;
    ``result`` is the :class:`Parsed` source, or the error."""

    index: int
    shown: str
    digest: str | None
    result: Parsed | RockSyntaxError


def _read_sources(
    layout: Layout, files: list[Path], cache: SourceCache, progress: Progress | None, staging: Staging,
    claims_context: ClaimsContext,
) -> SourcesRead:
    """Summaries of all sources, parsing only those whose bytes changed since the cached build.

    A file whose size and modification time match the cache is taken as unchanged without
    reading it (as git does); otherwise its SHA-256 decides. Changed files are read and parsed
    on all cores when there are many of them, their claims worked out there too; their provenance
    is staged as it comes in. Returns the rows (JSON) and claims of the sources parsed now.
    """
    summaries: dict[str, dict[str, Any]] = {}
    contributions: dict[str, dict[str, Any]] = {}
    fresh: set[str] = set()
    digests: dict[str, str] = {}
    stats: dict[str, list[int]] = {}
    read_errors: list[tuple[int, VerlichtError]] = []
    parse_errors: list[VerlichtError] = []
    graphs = layout.graphs
    prov_dir = graphs / PROVENANCE_DIR
    have_provenance = {p.name for p in prov_dir.glob("*.json")} if prov_dir.is_dir() else set()
    todo: list[ParseJob] = []
    for index, path in enumerate(files, start=1):
        shown = layout.shown(path)
        if progress:
            progress(shown, index, len(files))
        data = None
        try:
            info = path.stat()
            stats[shown] = [info.st_mtime_ns, info.st_size]
            hit = cache.by_stat(shown, stats[shown])
            if hit is None and shown in cache.entries:  # changed, or only touched: its bytes decide
                data = path.read_bytes()
                digest = sha256(data)
                hit = (digest, cache.get(shown, digest))
        except OSError as exc:
            read_errors.append((index, RockSyntaxError(f"cannot read source: {exc.strerror}", Location(shown))))
            continue
        if hit is not None:
            digests[shown] = hit[0]
            if hit[1] is not None and provenance_name(shown) in have_provenance:
                summaries[shown] = hit[1]["summary"]
                continue
        todo.append(ParseJob(index, shown, str(path), data, None))
    for index, shown, digest, result in _parse_all(todo, claims_context):
        if digest is None:
            read_errors.append((index, result))
        elif isinstance(result, RockSyntaxError):
            digests[shown] = digest
            parse_errors.extend([result, *getattr(result, "further", ())])  # every mistake in the file
        else:
            digests[shown] = digest
            summaries[shown] = result.summary
            contributions[shown] = (result.rows, result.contribution)
            fresh.add(shown)
            staging.write(provenance_path(graphs, shown), result.provenance)
    errors = [error for _index, error in sorted(read_errors, key=lambda item: item[0])] + parse_errors
    return SourcesRead(dict(sorted(summaries.items())), contributions, fresh, digests, stats, errors)


PARALLEL_FROM = 16  # below this many changed sources, starting worker processes costs more than it saves
_claims_context: ClaimsContext | None = None  # set in each worker process


def _set_claims_context(claims_context: ClaimsContext) -> None:
    global _claims_context
    _claims_context = claims_context


def _parse_one(item: ParseJob) -> ParseResult:
    """Read (unless given the bytes), hash and parse one source; errors are returned, not raised."""
    index, shown, path, data, interviewers = item
    if data is None:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            return ParseResult(index, shown, None,
                               RockSyntaxError(f"cannot read source: {exc.strerror}", Location(shown)))
    digest = sha256(data)
    try:
        return ParseResult(index, shown, digest, parse_source_bytes(data, shown, _claims_context, interviewers))
    except RockSyntaxError as exc:
        return ParseResult(index, shown, digest, exc)


def _parse_all(todo: list[ParseJob], claims_context: ClaimsContext) -> Iterator[ParseResult]:
    """Results in the order of ``todo``, each as soon as it is ready."""
    workers = min(os.cpu_count() or 1, 8)
    if len(todo) < PARALLEL_FROM or workers < 2:
        _set_claims_context(claims_context)
        yield from map(_parse_one, todo)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_set_claims_context,
                             initargs=(claims_context,)) as pool:
        yield from pool.map(_parse_one, todo, chunksize=max(1, min(16, len(todo) // (workers * 8))))


class _StaleCache(Exception):
    """A cached source is no longer what the cache says (it changed during the build)."""


def _reparse(layout: Layout, todo: dict[str, list[str]], digests: dict[str, str],
             claims_context: ClaimsContext, staging: Staging) -> dict[str, dict[str, Any]]:
    """The claims of unchanged sources whose cached claims no longer hold (the codebook or who is an
    interviewer changed), given each one's interviewers: the sources are parsed again (rows are not
    cached). Their provenance is as it was."""
    items = [ParseJob(0, shown, str(layout.root / shown), None, interviewers) for shown, interviewers in todo.items()]
    if len(items) >= PARALLEL_FROM:
        staging.quiesce()  # no writer threads while worker processes are forked
    contributions = {}
    for _index, shown, digest, result in _parse_all(items, claims_context):
        if digest != digests[shown] or isinstance(result, RockSyntaxError):
            raise _StaleCache(shown)
        contributions[shown] = result.contribution
    return contributions


def _duplicate_uids(summaries: dict[str, dict[str, Any]], layout: Layout,
                    fresh: set[str] | None = None) -> list[VerlichtError]:
    """uids used in more than one source (duplicates within a source are caught by the reader).

    The cache is only written by a build that passed this check, so the sources taken from it
    share no uid; when ``fresh`` names the others, only those need checking against the rest.
    """
    if fresh is None or len(fresh) == len(summaries):
        everything = " ".join([summary["uids"] for summary in summaries.values()]).split()
        clean = len(set(everything)) == len(everything)
    else:
        new = " ".join([summaries[path]["uids"] for path in fresh]).split()
        new_set = set(new)
        clean = len(new_set) == len(new) and new_set.isdisjoint(
            " ".join([summary["uids"] for path, summary in summaries.items() if path not in fresh]).split())
    if clean:
        return []
    seen: dict[str, str] = {}
    errors: list[VerlichtError] = []
    for path in sorted(summaries):
        for uid in summaries[path]["uids"].split():
            if uid in seen:
                errors.append(RockSyntaxError(
                    f"uid '{uid}' is also used at {seen[uid]}:{_uid_line(layout, seen[uid], uid)}",
                    Location(path, _uid_line(layout, path, uid)),
                    "uids identify utterances across the workspace; give this one a new uid",
                ))
            else:
                seen[uid] = path
    return errors


def _uid_line(layout: Layout, path: str, uid: str) -> int | None:
    """The line of a uid in a source, read again only to report a duplicate."""
    pattern = re.compile(rf"\[\[\s*uid\s*[=:]\s*{re.escape(uid)}\s*\]\]", re.IGNORECASE)
    text = (layout.root / path).read_text(encoding="utf-8-sig", errors="replace")
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


class _Pairs:
    """The assumption ids of a (cause, effect), looked up by id in the claim index (an id is the pair and a
    polarity) rather than gathered in a pass over every claim: what patching a few records needs."""

    def __init__(self, index: ClaimIndex) -> None:
        self.index = index

    def get(self, pair: tuple[str, str], default: Any = None) -> list[str] | Any:
        cause, effect = pair
        found = []
        for polarity in s.POLARITIES:
            ident = s.assumption_id(cause, effect, polarity)
            claim = self.index.claim(ident)
            if claim is not None and claim[0] == cause and claim[1] == effect:
                found.append(ident)
        return found or default

    def __getitem__(self, pair: tuple[str, str]) -> list[str]:
        return self.get(pair, [])

    def __contains__(self, pair: object) -> bool:
        return isinstance(pair, tuple) and bool(self.get(pair))


def _regrouped(before: dict[str, str], now: dict[str, str]) -> bool:
    """Whether a respondent of both builds is in another group now. A respondent who came or went did so with
    the sources that name them, whose claims are touched anyway."""
    return any(before.get(ident, group) != group for ident, group in now.items())


PATCH_AT_MOST = 2000  # assumptions and relations touched: above this (or a quarter of all), the files are written anew


class _Assembler:
    """Merge per-source summaries, codebook and indicators into sorted node and edge records."""

    def __init__(self, codebook: Codebook, catalogue: Catalogue, indicators: dict[str, Indicator],
                 observations: list[Observation], summaries: dict[str, dict[str, Any]],
                 digests: dict[str, str], logic: tuple[LogicModel, ...] = (), reviews: ReviewSet | None = None):
        self.codebook = codebook
        self.catalogue = catalogue
        self.indicators = indicators
        self.observations = observations
        self.summaries = summaries
        self.digests = digests
        self.logic = logic
        self.reviews = reviews or ReviewSet()
        self.warnings: list[VerlichtWarning] = []
        self.errors: list[VerlichtError] = []  # two people under one case id (see graph/respondents.py)
        self.root: Path | None = None  # the workspace, to locate those errors
        self.strict_warnings: list[VerlichtWarning] = []
        self.nodes: dict[str, dict[str, Any]] = {}
        self.evidence: dict[str, str] = {}  # assumption id or relation key -> its quotes as JSON text
        self.edges: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.index = ClaimIndex()
        self.contributions: dict[str, dict[str, Any]] = {}  # per source, what the cache keeps of its claims
        self.changed = True  # whether the claims or the sources differ from the cache's
        # Assumption ids by (cause, effect): every pair's when writing anew, looked up when patching.
        self.by_pair: dict[tuple[str, str], list[str]] | _Pairs = defaultdict(list)
        self.relations = 0
        self.from_cache = False  # whether the claim index was the cache's, updated by the sources that changed
        self.previous: patch.Previous | None = None  # the last build's output, when this build patches it
        self.groups: dict[str, str] = {}  # respondent id -> group
        # When patching: the records worked out from the claims that changed (None: gone), by key.
        self.node_changes: patch.Changes = {}
        self.edge_changes: patch.Changes = {}
        self.evidence_changes: patch.Changes = {}
        # What write() made that the query index is made from: every record (full write) or the others (patching).
        self._records: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], [])
        self._others: tuple[dict[str, bytes], dict[tuple[str, str, str], bytes]] = ({}, {})

    # -- helpers -------------------------------------------------------------------------------
    def node(self, ident: str, kind: str, **attrs: Any) -> dict[str, Any]:
        record = self.nodes.get(ident)
        if record is None:
            record = self.nodes[ident] = {"id": ident, "kind": kind}
        record.update(attrs)
        return record

    def edge(self, source: str, target: str, kind: str, **attrs: Any) -> dict[str, Any]:
        key = (source, target, kind)
        record = self.edges.get(key)
        if record is None:
            record = self.edges[key] = {"source": source, "target": target, "kind": kind}
        record.update(attrs)
        return record

    def warn(self, message: str, location: Location | None, hint: str | None, strict: bool = False) -> None:
        warning = VerlichtWarning(message, location, hint)
        self.warnings.append(warning)
        if strict:
            self.strict_warnings.append(warning)

    # -- assembly ------------------------------------------------------------------------------
    def assemble(self, cache: SourceCache, fresh: dict[str, tuple[bytes, dict[str, Any]]],
                 reparse: Callable[[dict[str, list[str]]], dict[str, dict[str, Any]]],
                 previous: patch.Previous | None = None) -> None:
        """Work out the nodes, edges and evidence (:meth:`write` gives the files). ``cache`` holds the last
        build's claims, ``fresh`` the rows and claims of the sources parsed now, and ``reparse`` works out
        the claims of other sources anew.

        With ``previous`` (the last build's output, see :mod:`verlicht.graph.patch`), when the claim index is
        the cache's updated and no respondent changed group, only the assumptions and relations that the
        changed sources touched are rendered; every other record is made as always (they are few).
        """
        self._catalogue()
        self._concepts()
        respondents = self._respondents()
        touched = self._claims(respondents, cache, fresh, reparse)
        self.groups = {ident: record["group"] for ident, record in self.nodes.items()
                       if record["kind"] == "Respondent"}
        size = len(self.index.claims) + len(self.index.relations)
        if previous is not None and self.from_cache and not _regrouped(previous.groups, self.groups) \
                and len(touched[0]) + len(touched[1]) <= max(PATCH_AT_MOST, size // 4):
            self.previous = previous
            self.by_pair = _Pairs(self.index)
            self._changed_claims(*touched)
        else:
            self._assumptions()
            self._relations()
        self._indicators()
        labels = {code: (c.label_nl, c.label_en) for code, c in self.codebook.concepts.items()}
        add_logic_models(self.logic, labels, self.node, self.edge)
        add_reviews(self.reviews.reviews, self.node, self.edge, self.by_pair)

    def write(self, header: dict[str, Any]) -> patch.Written:
        """The graph file (``header`` and the records) and the evidence file, and what the next build needs
        to patch them."""
        if self.previous is None:
            nodes = [self.nodes[k] for k in sorted(self.nodes)]
            edges = _by_key(self.edges)
            self._records = (nodes, edges)
            evidence = self.evidence
            return patch.full(header, nodes, edges, ((k, evidence[k]) for k in sorted(evidence)), self.groups)
        record = patch.record_bytes
        others = ({ident: record(r) for ident, r in self.nodes.items() if not patch.is_claim_node(ident)},
                  {key: record(r) for key, r in self.edges.items() if key[2] not in patch.CLAIM_KINDS})
        self._others = others
        return patch.patched(self.previous, header, self.node_changes, self.edge_changes, self.evidence_changes,
                             others, self.groups)

    def facts(self, header: dict[str, Any], written: patch.Written, previous: Facts | None) -> Facts:
        """What the queries read of the graph just written (:mod:`verlicht.graph.facts`): made from every record
        after a full write; after patching, the last build's facts with the changed assumptions and HOLDS edges
        put in (or, without a valid last index, read back from the written graph)."""
        if self.previous is None:
            return Facts.of_records(header, *self._records)
        if previous is None:
            graph = orjson.loads(written.graph)
            return Facts.of_records(header, graph["nodes"], graph["edges"])
        claim_nodes = {k: v for k, v in self.node_changes.items() if patch.is_claim_node(k)}
        claim_edges = {k: v for k, v in self.edge_changes.items() if k[2] in patch.CLAIM_KINDS}
        return Facts.patched(previous, header, *self._others, claim_nodes, claim_edges)

    def _catalogue(self) -> None:
        mission = self.catalogue.mission
        if any(mission.values()):  # a workspace may take the mission out of its catalogue
            self.node(s.mission_id(), "Mission", label_nl=mission.get("nl", ""), label_en=mission.get("en", ""))
        for key, labels in self.catalogue.themes.items():
            self.node(s.theme_id(key), "Theme", key=key, label_nl=labels["nl"], label_en=labels["en"])
            if any(mission.values()):
                self.edge(s.theme_id(key), s.mission_id(), "IN_MISSION")
        for number, goal in self.catalogue.goals.items():
            self.node(s.goal_id(number), "Goal", number=number, label_nl=goal.nl, label_en=goal.en,
                      short_nl=goal.short_nl, short_en=goal.short_en, theme=goal.theme)
            self.edge(s.goal_id(number), s.theme_id(goal.theme), "IN_THEME")
            if any(mission.values()):
                self.edge(s.goal_id(number), s.mission_id(), "SERVES")
        for area in self.catalogue.areas.values():
            self.node(s.area_id(area.id), "Area", key=area.id, label=area.label, area_kind=area.kind,
                      focus=area.focus)

    def _concepts(self) -> None:
        for code, concept in self.codebook.concepts.items():
            self.node(s.concept_id(code), "Concept", code=code, type=concept.type, label_nl=concept.label_nl,
                      label_en=concept.label_en, description=concept.description, theme=concept.theme,
                      in_codebook=True, uses=0)

    def _respondents(self) -> dict[str, dict[str, Any]]:
        """Respondent records by case id, attributes merged across sources."""
        attributes: dict[str, dict[str, Any]] = {}
        origin: dict[tuple[str, str], str] = {}
        conflicts: list[Conflict] = []
        for path in sorted(self.summaries):
            for case, attrs in self.summaries[path]["attributes"].items():
                merged = attributes.setdefault(case, {})
                for key, value in attrs.items():
                    if key in merged and merged[key] != value:
                        if key in IDENTITY_ATTRIBUTES:  # 'resident' is 'bewoner': agreeing, or two people
                            if not same_attribute(key, value, merged[key]):
                                conflicts.append(Conflict(case, key, value, path, merged[key], origin[(case, key)]))
                            continue
                        self.warn(f"case '{case}' has {key}={value!r} here but {merged[key]!r} in "
                                  f"{origin[(case, key)]}", Location(path), "make the case attributes agree")
                        continue
                    merged[key] = value
                    origin[(case, key)] = path
        self.errors.extend(identity_conflicts(self.root, conflicts))
        respondents: dict[str, dict[str, Any]] = {}
        areas: dict[str, str | None] = {}  # Catalogue.area_id by wijk: the same few wijken again and again
        for path in sorted(self.summaries):
            summary = self.summaries[path]
            self.node(s.source_id(path), "Source", path=path, sha256=self.digests[path],
                      utterances=summary["utterances"], lines=summary["lines"])
            cases = summary["cases"] or {}
            needs_source_respondent = summary["caseless"] or (not cases and summary["utterances"] > 0)
            keys = list(cases) + ([f"src:{path}"] if needs_source_respondent else [])
            for case in keys:
                if case not in respondents:
                    attrs = attributes.get(case, {}) if not case.startswith("src:") else {}
                    group, unknown = group_of(attrs)
                    if unknown is not None:
                        self.warn(f"case '{case}' has unknown group {unknown!r}", Location(path),
                                  "use bewoner, professional, bestuurder or interviewer")
                    extra = {k: v for k, v in attrs.items() if k not in ("group", "groep", "role", "wijk")}
                    respondents[case] = self.node(
                        s.respondent_id(case), "Respondent", case=case, group=group or s.UNKNOWN_GROUP,
                        role=attrs.get("role"), wijk=attrs.get("wijk"), attributes=extra,
                        anonymous_source=case.startswith("src:"),
                    )
                    wijk = attrs.get("wijk")
                    area = None
                    if wijk:
                        name = str(wijk)
                        if name not in areas:
                            areas[name] = self.catalogue.area_id(name)
                        area = areas[name]
                    if area:
                        self.edge(s.respondent_id(case), s.area_id(area), "IN_AREA")
                self.edge(s.respondent_id(case), s.source_id(path), "INTERVIEWED_IN")
        return respondents

    def _claims(self, respondents: dict[str, dict[str, Any]], cache: SourceCache,
                fresh: dict[str, tuple[bytes, dict[str, Any]]],
                reparse: Callable[[dict[str, list[str]]], dict[str, dict[str, Any]]]
                ) -> tuple[dict[str, list[Any] | None], dict[str, list[Any] | None]]:
        """The claim index of assumptions (causal network codes) and relations (the others), from each
        source's claims; returns what :meth:`ClaimIndex.update` touched.

        A source's claims are taken from the cache when the source, the codebook and the source's
        interviewers are as they were, and from the parse when it was worked out with the right
        interviewers; else they are worked out again. The claim index then takes out the old claims
        of the sources that changed and adds their new ones (see :mod:`verlicht.graph.claims`).
        """
        key = codebook_key(self.codebook)
        old = cache.entries if cache.codebook == key else {}
        self.index = ClaimIndex(cache.index if old else None)
        self.from_cache = bool(old)
        contexts: dict[str, tuple[list[str], str]] = {}
        redo: dict[str, list[str]] = {}
        for path, summary in self.summaries.items():
            interviewers = [case for case in summary["cases"] if respondents[case]["group"] == s.INTERVIEWER]
            ctx = contexts[path] = (interviewers, context(key, interviewers))
            if path in fresh:
                continue
            entry = old.get(path)
            if entry is None or entry["contribution"]["context"] != ctx[1]:
                redo[path] = interviewers
        new: dict[str, dict[str, Any]] = reparse(redo) if redo else {}
        for path, (rows, contribution) in fresh.items():
            interviewers, ctx = contexts[path]
            if contribution["context"] != ctx:  # a case's group is set in another source
                contribution = contribute(orjson.loads(rows), path, self.codebook.edge_types,
                                          self.codebook.concepts, interviewers, ctx)
            new[path] = contribution
        removed: dict[str, tuple[list[str], list[str]]] = {}
        for path, entry in old.items():
            if path in new or path not in self.summaries:  # changed, or gone
                removed[path] = orjson.loads(entry["contribution"]["touched"])
        touched = self.index.update(removed, new)
        self.changed = bool(removed or new) or cache.codebook != key

        uses: dict[str, int] = defaultdict(int)
        nodes = self.nodes
        for path in sorted(self.summaries):
            contribution = new.get(path)
            if contribution is None:
                light = old[path]["contribution"]  # as it was: already in the index
            else:
                light = {"context": contribution["context"], "warnings": contribution["warnings"],
                         "unknown": contribution["unknown"],
                         "touched": orjson.dumps([list(contribution["claims"]),
                                                  list(contribution["relations"])]).decode()}
            self.contributions[path] = light
            for message, line, col, hint, strict in light["warnings"]:
                self.warn(message, Location(path, line, col), hint, strict)
            for code in light["unknown"]:
                if "concept:" + code not in nodes:
                    self.node("concept:" + code, "Concept", code=code, type=None, label_nl=code, label_en=code,
                              description="", theme=None, in_codebook=False, uses=0)
            for code, count in self.summaries[path]["uses"].items():
                uses[code] += count
        for code, count in uses.items():
            record = nodes.get("concept:" + code)
            if record is not None:
                record["uses"] = count
        return touched

    def _pairs(self) -> None:
        """The assumption ids of each (cause, effect), in the claim index's order."""
        by_pair = self.by_pair
        for ident, (cause, effect, *_rest) in self.index.every_claim().items():
            by_pair[(cause, effect)].append(ident)

    def _contested(self, pair: tuple[str, str]) -> bool:
        """Whether respondents hold the pair both ways (+ and -)."""
        claim = self.index.claim
        return len({claim(ident)[2] for ident in self.by_pair[pair]} & {"+", "-"}) == 2

    def _assumption(self, ident: str, claim: list[Any], contested: bool,
                    edges: dict[tuple[str, str, str], dict[str, Any]]) -> dict[str, Any]:
        """An assumption's record; its HOLDS, CAUSE and EFFECT edges go into ``edges``."""
        cause, effect, polarity, holders, quotes, sources, types, weight, _text = claim
        group_of = self.groups
        groups: dict[str, int] = {}  # its keys are sorted when written, as every dict's
        for holder_id, _weight, count in holders:
            group = group_of[holder_id]
            groups[group] = groups.get(group, 0) + 1
            edges[(holder_id, ident, "HOLDS")] = {"source": holder_id, "target": ident, "kind": "HOLDS",
                                                  "evidence": count}
        cause_id, effect_id = "concept:" + cause, "concept:" + effect
        edges[(ident, cause_id, "CAUSE")] = {"source": ident, "target": cause_id, "kind": "CAUSE"}
        edges[(ident, effect_id, "EFFECT")] = {"source": ident, "target": effect_id, "kind": "EFFECT"}
        return {"id": ident, "kind": "Assumption", "cause": cause, "effect": effect, "polarity": polarity,
                "support": len(holders), "groups": groups, "sources": sources, "evidence": quotes,
                "weight": _number(weight), "types": types, "contested": contested}

    def _assumptions(self) -> None:
        self._pairs()
        nodes, edges, evidence = self.nodes, self.edges, self.evidence
        contested = {pair: self._contested(pair) for pair in self.by_pair}
        for ident, claim in self.index.every_claim().items():
            nodes[ident] = self._assumption(ident, claim, contested[(claim[0], claim[1])], edges)
            evidence[ident] = claim[8]

    def _related(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Each RELATED edge's types by (cause id, effect id)."""
        by_pair: dict[tuple[str, str], dict[str, Any]] = {}
        for cause_id, effect_id, type_, holders, quotes, _text in self.index.relations.values():
            by_pair.setdefault((cause_id, effect_id), {})[type_] = {"support": holders, "evidence": quotes}
        self.relations = len(by_pair)
        return by_pair

    def _relations(self) -> None:
        for key, relation in self.index.relations.items():
            self.evidence[key] = relation[5]
        for (cause_id, effect_id), types in self._related().items():
            self.edge(cause_id, effect_id, "RELATED", types=types)

    def _changed_claims(self, claims_before: dict[str, list[Any] | None],
                        relations_before: dict[str, list[Any] | None]) -> None:
        """The records of the assumptions and relations the changed sources touched, as changes to the last
        build's (see :meth:`ClaimIndex.update`): nodes, edges and evidence of those whose total changed, and
        the other assumptions of a (cause, effect) that gained or lost one (``contested`` may change). A total
        that came out as it was (a source's other claims, taken out and put back) keeps its records."""
        claim_of, record, entry = self.index.claim, patch.record_bytes, patch.evidence_entry
        nodes, edges, evidence = self.node_changes, self.edge_changes, self.evidence_changes
        changed: list[str] = []
        pairs: set[tuple[str, str]] = set()  # those that gained or lost an assumption
        for ident, old in claims_before.items():
            claim = claim_of(ident)
            if claim == old:
                continue
            if old is not None:  # its edges as they were go, unless made again below
                for holder_id, *_rest in old[3]:
                    edges[(holder_id, ident, "HOLDS")] = None
                edges[(ident, "concept:" + old[0], "CAUSE")] = None
                edges[(ident, "concept:" + old[1], "EFFECT")] = None
            if claim is None:
                nodes[ident] = evidence[ident] = None
                pairs.add((old[0], old[1]))  # type: ignore[index]  # not both None: they differ
            else:
                changed.append(ident)
                evidence[ident] = entry(ident, claim[8])
                if old is None:
                    pairs.add((claim[0], claim[1]))
        made: dict[tuple[str, str, str], dict[str, Any]] = {}
        for ident in changed:
            claim = claim_of(ident)
            nodes[ident] = record(self._assumption(ident, claim, self._contested((claim[0], claim[1])), made))
        for key, edge in made.items():
            edges[key] = record(edge)
        for pair in sorted(pairs):
            contested = self._contested(pair)
            for ident in self.by_pair.get(pair, ()):
                if ident not in nodes:
                    nodes[ident] = record(self._assumption(ident, claim_of(ident), contested, {}))
        related = self._related()
        relations = self.index.relations
        ends: set[tuple[str, str]] = set()
        for key, old in relations_before.items():
            relation = relations.get(key)
            if relation == old:
                continue
            for total in (old, relation):
                if total is not None:
                    ends.add((total[0], total[1]))
            evidence[key] = None if relation is None else entry(key, relation[5])
        for cause_id, effect_id in ends:
            types = related.get((cause_id, effect_id))
            edges[(cause_id, effect_id, "RELATED")] = None if types is None else record(
                {"source": cause_id, "target": effect_id, "kind": "RELATED", "types": types})

    def _indicators(self) -> None:
        by_pair = self.by_pair  # assumption ids by (cause, effect)
        for key, ind in sorted(self.indicators.items()):
            ident = s.indicator_id(key)
            self.node(ident, "Indicator", key=key, label=ind.label, unit=ind.unit, publisher=ind.source,
                      measures=list(ind.measures), tests=[f"{c}->{e}" for c, e in ind.tests],
                      goals=list(ind.goals), definition=ind.definition, direction=ind.direction,
                      cbs_table=ind.cbs_table, cbs_measure=ind.cbs_measure, reference=ind.reference,
                      baseline=ind.baseline, themes=list(ind.themes))
            for code in ind.measures:
                self.edge(ident, s.concept_id(code), "MEASURES")
            for cause, effect in ind.tests:
                targets = by_pair.get((cause, effect))
                if not targets:
                    self.warn(f"indicator '{key}' tests {cause}->{effect}, which no respondent holds",
                              Location(ind.path, ind.line), "check the pair, or code the claim where it is made")
                for target in targets or []:
                    self.edge(ident, target, "TESTS")
            for goal in ind.goals:
                self.edge(ident, s.goal_id(goal), "TRACKS")
        for obs in self.observations:
            ident = s.observation_id(obs.indicator, obs.area, obs.period)
            self.node(ident, "Observation", indicator=obs.indicator, area=obs.area, period=obs.period,
                      value=_number(obs.value))
            self.edge(s.indicator_id(obs.indicator), ident, "OBSERVED")
            self.edge(ident, s.area_id(obs.area), "IN_AREA")

    def counts(self) -> dict[str, int]:
        kinds: dict[str, int] = defaultdict(int)
        nodes = self.nodes.values()
        for record in nodes:
            kinds[record["kind"]] += 1
        if self.previous is not None:  # the assumptions are not rendered
            kinds["Assumption"] = len(self.index.claims)
        respondents = sum(1 for r in nodes if r["kind"] == "Respondent" and r["group"] != s.INTERVIEWER)
        return {
            "sources": kinds["Source"],
            "utterances": sum(v["utterances"] for v in self.summaries.values()),
            "concepts": kinds["Concept"],
            "assumptions": kinds["Assumption"],
            "relations": self.relations,  # RELATED edges
            "respondents": respondents,
            "indicators": kinds["Indicator"],
            "observations": kinds["Observation"],
            "interventions": kinds["Intervention"],
            "steps": kinds["Step"],
            "mechanisms": kinds["Mechanism"],
            "reviews": kinds["Review"],
            "studies": kinds["Study"],
            "findings": kinds["Finding"],
        }


def _by_key(records: dict[tuple[str, str, str], dict[str, Any]]) -> list[dict[str, Any]]:
    """The records in the order of their keys, sorted as strings joined by NUL when that gives the same
    order (no part holds a NUL, which sorts before every other character): strings sort several
    times faster than tuples."""
    joined = list(map("\0".join, records))
    if sum(map(str.count, joined, repeat("\0"))) != 2 * len(joined):
        return [records[k] for k in sorted(records)]
    by_joined = dict(zip(joined, records.values(), strict=True))
    return [by_joined[k] for k in sorted(joined)]


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
