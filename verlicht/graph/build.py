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
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from verlicht import __version__
from verlicht.catalogue import Catalogue, load_catalogue
from verlicht.codebook import Codebook, EdgeType, load_codebook
from verlicht.errors import BuildError, Location, RockSyntaxError, VerlichtError, VerlichtWarning
from verlicht.fsio import atomic_write_bytes
from verlicht.gcpause import gc_paused
from verlicht.graph import schema as s
from verlicht.graph.sources import (
    PROVENANCE_DIR,
    SourceCache,
    dump_json,
    parse_source_bytes,
    provenance_path,
    sha256,
    warnings_of,
)
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


def _build(layout: Layout, strict: bool | None, progress: Progress | None) -> BuildReport:
    strict = layout.config.strict if strict is None else strict
    catalogue, codebook = load_inputs(layout)
    indicators, observations = load_indicator_files(layout, codebook, catalogue)

    graphs = layout.graphs
    cache = SourceCache(graphs)
    files = layout.source_files()
    summaries, fresh, digests, stats, errors = _read_sources(layout, files, cache, progress)
    warnings = list(codebook.warnings)
    for summary in summaries.values():
        warnings.extend(warnings_of(summary))
    errors.extend(_duplicate_uids(summaries, layout))
    assembler = _Assembler(codebook, catalogue, indicators, observations, summaries, digests)
    nodes, edges = assembler.assemble()
    warnings.extend(assembler.warnings)
    if strict:
        errors.extend(w.to_error() for w in assembler.strict_warnings)
    if errors:
        raise BuildError(errors)

    counts = assembler.counts(nodes)
    header = {"format": GRAPH_FORMAT, "version": GRAPH_VERSION, "workspace": layout.config.name,
              "generator": f"verlicht {__version__}", "counts": counts}
    graph_bytes = dump_json({**header, "nodes": nodes, "edges": edges})
    evidence_bytes = dump_json(assembler.evidence)
    # Provenance first, graph last: the graph only ever points at provenance that exists.
    for shown, prov in fresh.items():
        atomic_write_bytes(provenance_path(graphs, shown), dump_json(prov))
    expected = {provenance_path(graphs, shown).name for shown in summaries}
    prov_dir = graphs / PROVENANCE_DIR
    if prov_dir.is_dir():
        for stale in prov_dir.glob("*.json"):
            if stale.name not in expected:
                stale.unlink()
    atomic_write_bytes(graphs / EVIDENCE_FILE, evidence_bytes)
    atomic_write_bytes(layout.graph_file, graph_bytes)
    cache.save({k: {"sha256": digests[k], "stat": stats[k], "summary": v} for k, v in summaries.items()})
    manifest = {"generator": f"verlicht {__version__}", "counts": counts,
                "sources": {k: digests[k] for k in sorted(summaries)}}
    atomic_write_bytes(graphs / "manifest.json",
                       orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n")
    return BuildReport(layout.graph_file, counts, parsed=len(fresh), cached=len(summaries) - len(fresh),
                       warnings=warnings)


def _read_sources(
    layout: Layout, files: list[Path], cache: SourceCache, progress: Progress | None
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str], dict[str, list[int]], list[VerlichtError]]:
    """Summaries of all sources, parsing only those whose bytes changed since the cached build.

    A file whose size and modification time match the cache is taken as unchanged without
    reading it (as git does); otherwise its SHA-256 decides. Changed files are parsed on all
    cores when there are many of them.
    """
    summaries: dict[str, dict[str, Any]] = {}
    fresh: dict[str, dict[str, Any]] = {}
    digests: dict[str, str] = {}
    stats: dict[str, list[int]] = {}
    errors: list[VerlichtError] = []
    prov_dir = layout.graphs / PROVENANCE_DIR
    have_provenance = {p.name for p in prov_dir.glob("*.json")} if prov_dir.is_dir() else set()
    todo: list[tuple[str, bytes]] = []
    for index, path in enumerate(files, start=1):
        shown = layout.shown(path)
        if progress:
            progress(shown, index, len(files))
        try:
            info = path.stat()
            stats[shown] = [info.st_mtime_ns, info.st_size]
            hit = cache.by_stat(shown, stats[shown])
            if hit is None:
                data = path.read_bytes()
                digest = sha256(data)
                hit = (digest, cache.get(shown, digest))
            else:
                data = b""
        except OSError as exc:
            errors.append(RockSyntaxError(f"cannot read source: {exc.strerror}", Location(shown)))
            continue
        digests[shown] = hit[0]
        if hit[1] is not None and provenance_path(layout.graphs, shown).name in have_provenance:
            summaries[shown] = hit[1]
        else:
            todo.append((shown, data or path.read_bytes()))
    for shown, result in _parse_all(todo):
        if isinstance(result, RockSyntaxError):
            errors.append(result)
        else:
            summaries[shown], fresh[shown] = result
    return dict(sorted(summaries.items())), fresh, digests, stats, errors


PARALLEL_FROM = 16  # below this many changed sources, starting worker processes costs more than it saves


def _parse_one(item: tuple[str, bytes]) -> tuple[str, Any]:
    shown, data = item
    try:
        return shown, parse_source_bytes(data, shown)
    except RockSyntaxError as exc:
        return shown, exc


def _parse_all(todo: list[tuple[str, bytes]]) -> list[tuple[str, Any]]:
    workers = min(os.cpu_count() or 1, 8)
    if len(todo) < PARALLEL_FROM or workers < 2:
        return [_parse_one(item) for item in todo]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_parse_one, todo, chunksize=max(1, len(todo) // (workers * 4))))


def _duplicate_uids(summaries: dict[str, dict[str, Any]], layout: Layout) -> list[VerlichtError]:
    """uids used in more than one source (duplicates within a source are caught by the reader)."""
    everything = [uid for summary in summaries.values() for uid in summary["uids"]]
    if len(set(everything)) == len(everything):
        return []
    seen: dict[str, str] = {}
    errors: list[VerlichtError] = []
    for path in sorted(summaries):
        for uid in summaries[path]["uids"]:
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
        edges = [self.edges[k] for k in sorted(self.edges)]
        return nodes, edges

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
        for path in sorted(self.summaries):
            summary = self.summaries[path]
            self.node(s.source_id(path), "Source", path=path, sha256=self.digests[path],
                      utterances=summary["utterances"], lines=summary["lines"])
            cases = summary["cases"] or {}
            needs_source_respondent = any(row[7] is None for row in summary["network"]) or (
                not cases and summary["utterances"] > 0)
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
                    area = self.catalogue.area_id(str(wijk)) if wijk else None
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
        used = {part for code, *_ in summary["codes"] for part in code.split(">")}
        used.update(c for row in summary["network"] for c in (row[0], row[1]))
        unknown = {c for c in used if not self.nodes.get("concept:" + c, {}).get("in_codebook")}
        if not unknown:
            return
        for code, line, col, _case in summary["codes"]:
            for part in code.split(">"):
                if part in unknown:
                    self._concept(part, path, line, col)
        for cause, effect, _type, _w, line, col, *_ in summary["network"]:
            for code in (cause, effect):
                if code in unknown:
                    self._concept(code, path, line, col)

    def _claims(self, respondents: dict[str, dict[str, Any]]) -> None:
        """Merge network codes into assumptions (causal types) and relations (the others)."""
        # Per assumption and holder: (source path, line, utterance id, weight) — enough to quote it.
        holders: dict[str, dict[str, list[tuple[str, int, str, float | None]]]] = {}
        relations: dict[tuple[str, str, str], dict[str, list[tuple[str, int, str]]]] = {}
        types_of: dict[str, set[str]] = defaultdict(set)
        polarities: dict[tuple[str, str], set[str]] = defaultdict(set)
        uses: dict[str, int] = defaultdict(int)
        for path in sorted(self.summaries):
            summary = self.summaries[path]
            self._check_codes(path, summary)
            for code, *_ in summary["codes"]:
                uses[code.rsplit(">", 1)[-1]] += 1
            declared = summary["edge_types"]
            resolved: dict[str, EdgeType] = {}
            anonymous = f"src:{path}"
            for cause, effect, type_, weight, line, col, uid, case, _coder in summary["network"]:
                uses[cause] += 1
                uses[effect] += 1
                edge_type = resolved.get(type_)
                if edge_type is None or (type_ not in self.codebook.edge_types and type_ not in declared):
                    edge_type = resolved[type_] = self._edge_type(type_, declared, path, line, col)
                if cause == effect:
                    self.warn(f"network code links '{cause}' to itself", Location(path, line, col),
                              "check the two ends")
                holder = respondents[case if case is not None else anonymous]
                evidence = "utterance:" + uid if uid else s.utterance_id(path, line, uid)
                if edge_type.kind == "causal":
                    if holder["group"] == s.INTERVIEWER:
                        self.warn(f"causal claim coded on a line of interviewer '{holder['case']}' is not counted",
                                  Location(path, line, col),
                                  "code the respondent's words, or fix the [[cid=…]] before this line")
                        continue
                    polarity = edge_type.polarity or "?"
                    ident = f"assumption:{cause}->{effect}:{polarity}"
                    by_holder = holders.get(ident)
                    if by_holder is None:
                        by_holder = holders[ident] = {}
                        polarities[(cause, effect)].add(polarity)
                        self.nodes[ident] = {"id": ident, "kind": "Assumption", "cause": cause, "effect": effect,
                                             "polarity": polarity}
                        for end, kind in ((cause, "CAUSE"), (effect, "EFFECT")):
                            target = "concept:" + end
                            self.edges[(ident, target, kind)] = {"source": ident, "target": target, "kind": kind}
                    by_holder.setdefault(holder["id"], []).append((path, line, evidence, weight))
                    types_of[ident].add(type_)
                else:
                    key = ("concept:" + cause, "concept:" + effect, type_)
                    relations.setdefault(key, {}).setdefault(holder["id"], []).append((path, line, evidence))
        for code, count in uses.items():
            record = self.nodes.get("concept:" + code)
            if record is not None:
                record["uses"] = count
        for ident, by_holder in holders.items():
            groups: dict[str, int] = defaultdict(int)
            sources: set[str] = set()
            quotes = []
            weight = 0.0
            for holder_id, items in by_holder.items():
                groups[self.nodes[holder_id]["group"]] += 1
                if len(items) == 1:  # the common case, kept cheap
                    p, line, e, w = items[0]
                    evidence = [(p, line, e)]
                    weight += 1 if w is None else w
                else:
                    evidence = sorted({(p, line, e) for p, line, e, _w in items})
                    weight += sum(1 if w is None else w for *_rest, w in items)
                for p, line, e in evidence:
                    sources.add(p)
                    quotes.append((p, line, e, holder_id))
                self.edges[(holder_id, ident, "HOLDS")] = {"source": holder_id, "target": ident, "kind": "HOLDS",
                                                           "evidence": len(evidence)}
            quotes.sort()
            self.evidence[ident] = quotes
            record = self.nodes[ident]
            record.update(support=len(by_holder), groups=dict(sorted(groups.items())), sources=len(sources),
                          evidence=len(quotes), weight=_number(weight), types=sorted(types_of[ident]),
                          contested=len(polarities[(record["cause"], record["effect"])] & {"+", "-"}) == 2)
        by_pair: dict[tuple[str, str], dict[str, Any]] = {}
        for (cause_id, effect_id, type_), by_holder in sorted(relations.items()):
            evidence = sorted({(*item, holder) for holder, items in by_holder.items() for item in items})
            by_pair.setdefault((cause_id, effect_id), {})[type_] = {"support": len(by_holder),
                                                                    "evidence": len(evidence)}
            self.evidence[relation_key(cause_id, effect_id, type_)] = evidence
        for (cause_id, effect_id), types in by_pair.items():
            self.edge(cause_id, effect_id, "RELATED", types=types)

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


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
