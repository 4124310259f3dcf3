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
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

import orjson

from verlicht import __version__
from verlicht.catalogue import Catalogue, load_catalogue
from verlicht.codebook import Codebook, EdgeType, load_codebook
from verlicht.errors import BuildError, Location, RockSyntaxError, VerlichtError, VerlichtWarning
from verlicht.gcpause import gc_paused
from verlicht.graph import schema as s
from verlicht.graph.sources import (
    PROVENANCE_DIR,
    SourceCache,
    dump_json,
    parse_source_bytes,
    provenance_name,
    provenance_path,
    sha256,
    warnings_of,
)
from verlicht.graph.staging import Staging
from verlicht.graph.store import EVIDENCE_FILE, GRAPH_FORMAT, GRAPH_VERSION, relation_key
from verlicht.indicators import Indicator, Observation, load_indicators, load_observations
from verlicht.indicators.catalogue import OBSERVATIONS_FILE
from verlicht.workspace import Layout

Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class BuildReport:
    """What a build did: counts for the summary, warnings, and how many sources were re-parsed."""

    graph_file: Path
    counts: dict[str, int]
    parsed: int
    cached: int
    warnings: list[VerlichtWarning] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step, for bench/run.py --phases

    def to_dict(self) -> dict[str, Any]:
        return {
            "graph": str(self.graph_file),
            **self.counts,
            "parsed": self.parsed,
            "cached": self.cached,
            "warnings": len(self.warnings),
        }


def load_inputs(layout: Layout) -> tuple[Catalogue, Codebook]:
    """The catalogue (workspace override or built-in) and the codebook."""
    override = layout.ontology / "catalogue.yaml"
    catalogue = load_catalogue(override, layout.shown(override)) if override.exists() else load_catalogue()
    book_path = layout.ontology / "codebook.yaml"
    codebook = load_codebook(book_path, layout.shown(book_path), set(catalogue.themes))
    return catalogue, codebook


def load_indicator_files(
    layout: Layout, codebook: Codebook, catalogue: Catalogue
) -> tuple[dict[str, Indicator], list[Observation]]:
    folder = layout.indicators
    if not folder.is_dir():
        return {}, []
    files = sorted(p for p in folder.glob("*.csv") if p.name != OBSERVATIONS_FILE)
    indicators = load_indicators(((p, layout.shown(p)) for p in files), set(codebook.concepts),
                                 set(catalogue.goals))
    obs_path = folder / OBSERVATIONS_FILE
    observations = []
    if obs_path.exists():
        observations = load_observations(obs_path, layout.shown(obs_path), set(indicators),
                                         set(catalogue.areas))
    return indicators, observations


def build_graph(layout: Layout, strict: bool | None = None, progress: Progress | None = None) -> BuildReport:
    """Build ``graphs/verlicht.json`` (and provenance) from the workspace at ``layout``.

    Raises :class:`BuildError` carrying every error found; under ``strict``
    warnings about unknown codes and edge types count as errors.
    """
    with gc_paused():
        return _build(layout, strict, progress)


class _Clock:
    """Seconds spent per step of a build."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.phases[name] = self.phases.get(name, 0.0) + now - self._last
        self._last = now


def _build(layout: Layout, strict: bool | None, progress: Progress | None) -> BuildReport:
    clock = _Clock()
    strict = layout.config.strict if strict is None else strict
    catalogue, codebook = load_inputs(layout)
    indicators, observations = load_indicator_files(layout, codebook, catalogue)
    clock.lap("codebook, catalogue, indicators")

    graphs = layout.graphs
    cache = SourceCache(graphs)
    clock.lap("load cache")
    files = layout.source_files()
    # Nothing is replaced before every input has been read and checked: files are staged (written and
    # fsynced in the background while the build goes on) and moved into place only at commit.
    with Staging() as staging:
        summaries, fresh, digests, stats, errors = _read_sources(layout, files, cache, progress, staging)
        clock.lap("list, stat, read and parse sources")
        warnings = list(codebook.warnings)
        for summary in summaries.values():
            warnings.extend(warnings_of(summary))
        errors.extend(_duplicate_uids(summaries, layout, fresh))
        clock.lap("check uids")
        assembler = _Assembler(codebook, catalogue, indicators, observations, summaries, digests)
        nodes, edges = assembler.assemble()
        clock.lap("merge")
        warnings.extend(assembler.warnings)
        if strict:
            errors.extend(w.to_error() for w in assembler.strict_warnings)
        if errors:
            raise BuildError(errors)

        counts = assembler.counts(nodes)
        header = {"format": GRAPH_FORMAT, "version": GRAPH_VERSION, "workspace": layout.config.name,
                  "generator": f"verlicht {__version__}", "counts": counts}
        # Provenance first (staged as sources were parsed), graph last: the graph only ever points at
        # provenance that exists.
        staging.write(graphs / EVIDENCE_FILE, dump_json(assembler.evidence))
        staging.write(layout.graph_file, dump_json({**header, "nodes": nodes, "edges": edges}))
        entries = {k: {"sha256": digests[k], "stat": stats[k], "summary": v} for k, v in summaries.items()}
        if fresh or entries.keys() != cache.entries.keys() or any(
                cache.entries[k]["stat"] != stats[k] for k in entries):
            staging.write(cache.file, cache.dump(entries))
        manifest = {"generator": f"verlicht {__version__}", "counts": counts,
                    "sources": {k: digests[k] for k in sorted(summaries)}}
        staging.write(graphs / "manifest.json",
                      orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n")
        clock.lap("serialise")
        staging.commit(len(fresh))
        _remove_stale(graphs, summaries)
        staging.commit()
        clock.lap("finish writing")
    return BuildReport(layout.graph_file, counts, parsed=len(fresh), cached=len(summaries) - len(fresh),
                       warnings=warnings, phases=clock.phases)


def _remove_stale(graphs: Path, summaries: dict[str, Any]) -> None:
    """Provenance of sources that are gone."""
    expected = {provenance_name(shown) for shown in summaries}
    prov_dir = graphs / PROVENANCE_DIR
    if prov_dir.is_dir():
        for stale in prov_dir.glob("*.json"):
            if stale.name not in expected:
                stale.unlink()


def _read_sources(
    layout: Layout, files: list[Path], cache: SourceCache, progress: Progress | None, staging: Staging
) -> tuple[dict[str, Any], set[str], dict[str, str], dict[str, list[int]], list[VerlichtError]]:
    """Summaries of all sources, parsing only those whose bytes changed since the cached build.

    A file whose size and modification time match the cache is taken as unchanged without
    reading it (as git does); otherwise its SHA-256 decides. Changed files are read and parsed
    on all cores when there are many of them; their provenance is staged as it comes in.
    """
    summaries: dict[str, dict[str, Any]] = {}
    fresh: set[str] = set()
    digests: dict[str, str] = {}
    stats: dict[str, list[int]] = {}
    read_errors: list[tuple[int, VerlichtError]] = []
    parse_errors: list[VerlichtError] = []
    graphs = layout.graphs
    prov_dir = graphs / PROVENANCE_DIR
    have_provenance = {p.name for p in prov_dir.glob("*.json")} if prov_dir.is_dir() else set()
    todo: list[tuple[int, str, str, bytes | None]] = []
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
                summaries[shown] = hit[1]
                continue
        todo.append((index, shown, str(path), data))
    for index, shown, digest, result in _parse_all(todo):
        if digest is None:
            read_errors.append((index, result))
        elif isinstance(result, RockSyntaxError):
            digests[shown] = digest
            parse_errors.append(result)
        else:
            digests[shown] = digest
            summaries[shown], provenance_bytes = result
            fresh.add(shown)
            staging.write(provenance_path(graphs, shown), provenance_bytes)
    errors = [error for _index, error in sorted(read_errors, key=lambda item: item[0])] + parse_errors
    return dict(sorted(summaries.items())), fresh, digests, stats, errors


PARALLEL_FROM = 16  # below this many changed sources, starting worker processes costs more than it saves


def _parse_one(item: tuple[int, str, str, bytes | None]) -> tuple[int, str, str | None, Any]:
    """Read (unless given the bytes), hash and parse one source; errors are returned, not raised."""
    index, shown, path, data = item
    if data is None:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            return index, shown, None, RockSyntaxError(f"cannot read source: {exc.strerror}", Location(shown))
    digest = sha256(data)
    try:
        return index, shown, digest, parse_source_bytes(data, shown)
    except RockSyntaxError as exc:
        return index, shown, digest, exc


def _parse_all(todo: list[tuple[int, str, str, bytes | None]]) -> Iterator[tuple[int, str, str | None, Any]]:
    """Results in the order of ``todo``, each as soon as it is ready."""
    workers = min(os.cpu_count() or 1, 8)
    if len(todo) < PARALLEL_FROM or workers < 2:
        yield from map(_parse_one, todo)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_parse_one, todo, chunksize=max(1, min(16, len(todo) // (workers * 8))))


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


class _Assembler:
    """Merge per-source summaries, codebook and indicators into sorted node and edge records."""

    def __init__(self, codebook: Codebook, catalogue: Catalogue, indicators: dict[str, Indicator],
                 observations: list[Observation], summaries: dict[str, dict[str, Any]],
                 digests: dict[str, str]):
        self.codebook = codebook
        self.catalogue = catalogue
        self.indicators = indicators
        self.observations = observations
        self.summaries = summaries
        self.digests = digests
        self.warnings: list[VerlichtWarning] = []
        self.strict_warnings: list[VerlichtWarning] = []
        self.nodes: dict[str, dict[str, Any]] = {}
        self.evidence: dict[str, list[tuple[str, int, str, str]]] = {}
        self.edges: dict[tuple[str, str, str], dict[str, Any]] = {}

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
    def assemble(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        self._catalogue()
        self._concepts()
        respondents = self._respondents()
        self._claims(respondents)
        self._indicators()
        nodes = [self.nodes[k] for k in sorted(self.nodes)]
        return nodes, _by_key(self.edges)

    def _catalogue(self) -> None:
        for key, labels in self.catalogue.themes.items():
            self.node(s.theme_id(key), "Theme", key=key, label_nl=labels["nl"], label_en=labels["en"])
        for number, goal in self.catalogue.goals.items():
            self.node(s.goal_id(number), "Goal", number=number, label_nl=goal.nl, label_en=goal.en,
                      short_nl=goal.short_nl, short_en=goal.short_en, theme=goal.theme)
            self.edge(s.goal_id(number), s.theme_id(goal.theme), "IN_THEME")
        for area in self.catalogue.areas.values():
            self.node(s.area_id(area.id), "Area", key=area.id, label=area.label, area_kind=area.kind,
                      focus=area.focus)

    def _concepts(self) -> None:
        for code, concept in self.codebook.concepts.items():
            self.node(s.concept_id(code), "Concept", code=code, type=concept.type, label_nl=concept.label_nl,
                      label_en=concept.label_en, description=concept.description, theme=concept.theme,
                      in_codebook=True, uses=0)

    def _concept(self, code: str, path: str, line: int, col: int) -> str:
        """The id of a concept used in a source; codes missing from the codebook are warned about."""
        ident = "concept:" + code
        record = self.nodes.get(ident)
        if record is not None and record["in_codebook"]:
            return ident
        if record is None:
            self.node(ident, "Concept", code=code, type=None, label_nl=code, label_en=code, description="",
                      theme=None, in_codebook=False, uses=0)
        self.warn(f"code '{code}' is not in the codebook", Location(path, line, col),
                  "add it to ontology/codebook.yaml (type, label nl/en, theme)", strict=True)
        return ident

    def _respondents(self) -> dict[str, dict[str, Any]]:
        """Respondent records by case id, attributes merged across sources."""
        attributes: dict[str, dict[str, Any]] = {}
        origin: dict[tuple[str, str], str] = {}
        for path in sorted(self.summaries):
            for case, attrs in self.summaries[path]["attributes"].items():
                merged = attributes.setdefault(case, {})
                for key, value in attrs.items():
                    if key in merged and merged[key] != value:
                        self.warn(f"case '{case}' has {key}={value!r} here but {merged[key]!r} in "
                                  f"{origin[(case, key)]}", Location(path), "make the case attributes agree")
                        continue
                    merged[key] = value
                    origin[(case, key)] = path
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
                    raw_group = attrs.get("group", attrs.get("groep"))
                    group = s.normalise_group(raw_group)
                    if raw_group is not None and group is None:
                        self.warn(f"case '{case}' has unknown group {raw_group!r}", Location(path),
                                  "use bewoner, professional, bestuurder or interviewer")
                    if group is None and str(attrs.get("role", "")).casefold() == s.INTERVIEWER:
                        group = s.INTERVIEWER
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

    def _edge_type(self, name: str, declared: dict[str, Any], path: str, line: int, col: int) -> EdgeType:
        known = self.codebook.edge_types.get(name)
        if known:
            return known
        if name in declared:
            spec = declared[name]
            kind = spec.get("kind", "relation")
            polarity = spec.get("polarity") if kind == "causal" else None
            return EdgeType(name, "causal" if kind == "causal" else "relation",
                            polarity if polarity in s.POLARITIES else ("?" if kind == "causal" else None))
        self.warn(f"edge type '{name}' is not declared", Location(path, line, col),
                  "declare it under edge_types in ontology/codebook.yaml (kind causal or relation)", strict=True)
        return EdgeType(name, "relation", None)

    def _check_codes(self, path: str, summary: dict[str, Any]) -> None:
        """Warn, at every location, about codes the codebook lacks (checked once per distinct code)."""
        concepts = self.codebook.concepts
        unknown = {c for c in summary["concepts"] if c not in concepts}  # in_codebook is being in it
        if not unknown:
            return
        for code, line, col in summary["codes"]:
            for part in code.split(">"):
                if part in unknown:
                    self._concept(part, path, line, col)
        for cause, effect, _type, _w, line, col, *_ in summary["network"]:
            for code in (cause, effect):
                if code in unknown:
                    self._concept(code, path, line, col)

    def _claims(self, respondents: dict[str, dict[str, Any]]) -> None:
        """Merge network codes into assumptions (causal types) and relations (the others).

        Sources are taken in path order and their rows in line order, so every quote
        ``(source, line, utterance id, holder)`` arrives in sorted order. An utterance has one
        id and one holder, so the only repeats are the same claim coded twice on one line, and
        those arrive one after the other: dropping a quote equal to the one before gives the
        sorted, distinct evidence without sorting.
        """
        # Per assumption: {holder: [weight sum, quotes]} in order of first claim, and its quotes.
        claims: dict[str, tuple[dict[str, list[Any]], list[tuple[str, int, str, str]]]] = {}
        relations: dict[tuple[str, str, str], tuple[set[str], list[tuple[str, int, str, str]]]] = {}
        types_of: dict[str, set[str]] = {}
        polarities: dict[tuple[str, str], set[str]] = defaultdict(set)
        uses: dict[str, int] = defaultdict(int)
        # (cause, effect, type) -> what a claim of it is, for types the codebook defines (the same in
        # every source) between two different concepts (nothing to warn about): most rows.
        plans: dict[tuple[str, str, str], list[Any]] = {}
        nodes, edges = self.nodes, self.edges
        for path in sorted(self.summaries):
            summary = self.summaries[path]
            self._check_codes(path, summary)
            for code, count in summary["uses"].items():
                uses[code] += count
            declared = summary["edge_types"]
            resolved: dict[str, EdgeType] = {}
            holders: dict[str | None, tuple[str, bool, str]] = {}
            anonymous = f"src:{path}"
            by_line = f"utterance:{path}#L"  # s.utterance_id of an utterance without uid
            for cause, effect, type_, weight, line, col, uid, case in summary["network"]:
                plan = plans.get((cause, effect, type_))
                if plan is None:  # warns here, in the order the rows had
                    plan = self._plan(cause, effect, type_, declared, resolved, path, line, col, plans, relations)
                holder = holders.get(case)
                if holder is None:
                    record = respondents[case if case is not None else anonymous]
                    holder = holders[case] = (record["id"], record["group"] == s.INTERVIEWER, record["case"])
                if plan[0]:  # causal
                    if holder[1]:
                        self.warn(f"causal claim coded on a line of interviewer '{holder[2]}' is not counted",
                                  Location(path, line, col),
                                  "code the respondent's words, or fix the [[cid=…]] before this line")
                        continue
                    claim = plan[2]
                    if claim is None:  # the first claim of this type that counts
                        claim = plan[2] = self._claim(plan[1], cause, effect, plan[3], type_, claims, types_of,
                                                      polarities)
                    by_holder, quotes = claim
                    tally = by_holder.get(holder[0])
                    if tally is None:
                        tally = by_holder[holder[0]] = [0, 0]
                    # sum() of the holder's weights, in order: the same float as summing them at the end
                    tally[0] = tally[0] + (1 if weight is None else weight)
                    if not quotes or quotes[-1][1] != line or quotes[-1][0] != path:
                        quotes.append((path, line, "utterance:" + uid if uid else by_line + str(line), holder[0]))
                        tally[1] += 1
                else:
                    holder_ids, quotes = plan[1]
                    holder_ids.add(holder[0])
                    if not quotes or quotes[-1][1] != line or quotes[-1][0] != path:
                        quotes.append((path, line, "utterance:" + uid if uid else by_line + str(line), holder[0]))
        for code, count in uses.items():
            record = nodes.get("concept:" + code)
            if record is not None:
                record["uses"] = count
        for ident, (by_holder, quotes) in claims.items():
            groups: dict[str, int] = defaultdict(int)
            weight = 0.0
            for holder_id, (holder_weight, evidence) in by_holder.items():
                groups[nodes[holder_id]["group"]] += 1
                weight += holder_weight
                edges[(holder_id, ident, "HOLDS")] = {"source": holder_id, "target": ident, "kind": "HOLDS",
                                                      "evidence": evidence}
            self.evidence[ident] = quotes
            sources = 1
            for index in range(1, len(quotes)):
                if quotes[index][0] != quotes[index - 1][0]:
                    sources += 1
            record = nodes[ident]
            record.update(support=len(by_holder), groups=dict(sorted(groups.items())), sources=sources,
                          evidence=len(quotes), weight=_number(weight), types=sorted(types_of[ident]),
                          contested=len(polarities[(record["cause"], record["effect"])] & {"+", "-"}) == 2)
        by_pair: dict[tuple[str, str], dict[str, Any]] = {}
        for (cause_id, effect_id, type_), (holder_ids, quotes) in sorted(relations.items()):
            by_pair.setdefault((cause_id, effect_id), {})[type_] = {"support": len(holder_ids),
                                                                    "evidence": len(quotes)}
            self.evidence[relation_key(cause_id, effect_id, type_)] = quotes
        for (cause_id, effect_id), types in by_pair.items():
            self.edge(cause_id, effect_id, "RELATED", types=types)

    def _plan(self, cause: str, effect: str, type_: str, declared: dict[str, Any], resolved: dict[str, EdgeType],
              path: str, line: int, col: int, plans: dict[tuple[str, str, str], list[Any]],
              relations: dict[tuple[str, str, str], Any]) -> list[Any]:
        """What a claim is: ``[True, assumption id, its state once counted, polarity]`` or
        ``[False, (holders, quotes) of its relation]``; warns about an undeclared type or a
        self-link (at every such claim, so those plans are not kept)."""
        edge_type = resolved.get(type_)
        if edge_type is None or (type_ not in self.codebook.edge_types and type_ not in declared):
            edge_type = resolved[type_] = self._edge_type(type_, declared, path, line, col)
        if cause == effect:
            self.warn(f"network code links '{cause}' to itself", Location(path, line, col), "check the two ends")
        if edge_type.kind == "causal":
            polarity = edge_type.polarity or "?"
            plan = [True, f"assumption:{cause}->{effect}:{polarity}", None, polarity]
        else:
            key = ("concept:" + cause, "concept:" + effect, type_)
            relation = relations.get(key)
            if relation is None:
                relation = relations[key] = (set(), [])
            plan = [False, relation]
        if type_ in self.codebook.edge_types and cause != effect:
            plans[(cause, effect, type_)] = plan
        return plan

    def _claim(self, ident: str, cause: str, effect: str, polarity: str, type_: str, claims: dict[str, Any],
               types_of: dict[str, set[str]], polarities: dict[tuple[str, str], set[str]]) -> Any:
        """The ``(holders, quotes)`` of an assumption, created with its node and edges on its first claim."""
        claim = claims.get(ident)
        if claim is None:
            claim = claims[ident] = ({}, [])
            types_of[ident] = {type_}
            polarities[(cause, effect)].add(polarity)
            self.nodes[ident] = {"id": ident, "kind": "Assumption", "cause": cause, "effect": effect,
                                 "polarity": polarity}
            for end, kind in ((cause, "CAUSE"), (effect, "EFFECT")):
                target = "concept:" + end
                self.edges[(ident, target, kind)] = {"source": ident, "target": target, "kind": kind}
        else:
            types_of[ident].add(type_)
        return claim

    def _indicators(self) -> None:
        by_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
        for ident, record in self.nodes.items():
            if record["kind"] == "Assumption":
                by_pair[(record["cause"], record["effect"])].append(ident)
        for key, ind in sorted(self.indicators.items()):
            ident = s.indicator_id(key)
            self.node(ident, "Indicator", key=key, label=ind.label, unit=ind.unit, publisher=ind.source,
                      measures=list(ind.measures), tests=[f"{c}->{e}" for c, e in ind.tests],
                      goals=list(ind.goals))
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

    def counts(self, nodes: list[dict[str, Any]]) -> dict[str, int]:
        kinds: dict[str, int] = defaultdict(int)
        for record in nodes:
            kinds[record["kind"]] += 1
        respondents = sum(1 for r in nodes if r["kind"] == "Respondent" and r["group"] != s.INTERVIEWER)
        return {
            "sources": kinds["Source"],
            "utterances": sum(v["utterances"] for v in self.summaries.values()),
            "concepts": kinds["Concept"],
            "assumptions": kinds["Assumption"],
            "relations": sum(1 for k in self.edges if k[2] == "RELATED"),
            "respondents": respondents,
            "indicators": kinds["Indicator"],
            "observations": kinds["Observation"],
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
