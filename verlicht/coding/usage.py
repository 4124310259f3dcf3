"""Where the codebook's concepts and edge types are used: in sources, logic models and the indicator catalogue.

Codes map to concepts by the build's rule (:mod:`verlicht.graph.source_cache`, :mod:`verlicht.graph.claims`):
a plain code ``[[wonen>instroom]]`` uses the concept ``instroom`` (its leaf) and mentions ``wonen`` as a
higher level, and every level must be in the codebook; a network code ``[[a->wonen>b||causal_pos]]`` links
the leaves ``a`` and ``b`` of its ends. Code values ``[[stress||hoog]]`` are counted too (as ``value``), but,
as in the build, a code value whose code is not in the codebook is not reported as undefined.

Intervention logic models (``logic/*.yaml``, :mod:`verlicht.logic`) name concepts too: a step's
``concepts`` (role ``logic_step``) and a mechanism's ``concept`` (role ``logic_mechanism``);
:func:`logic_refs` finds each with its exact place in the file, for counting and for refactors.

>>> usage = collect_usage(open_layout("tests/data/workspaces/mini"))  # doctest: +SKIP
>>> usage.count("goedkope_woningen")  # doctest: +SKIP
4
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verlicht.codebook import Codebook
from verlicht.errors import CodebookError, IndicatorError, Location, RockSyntaxError
from verlicht.rock import Source, scan_bytes
from verlicht.workspace import Layout

SOURCE_ROLES = ("plain", "level", "cause", "effect", "value")  # how a concept can occur in a source
LOGIC_ROLES = ("logic_step", "logic_mechanism")  # how it can occur in a logic model
STR_TAG = "tag:yaml.org,2002:str"
ROLES = SOURCE_ROLES + LOGIC_ROLES
UNKNOWN_HINT = "see 'verlicht codebook list' for the concepts, 'verlicht codebook stats' for codes in use"


@dataclass(frozen=True, slots=True)
class Use:
    """One occurrence of a concept code in a source or logic model: ``role`` is one of :data:`ROLES`."""

    code: str
    role: str
    path: str
    line: int
    col: int

    @property
    def location(self) -> Location:
        return Location(self.path, self.line, self.col)


@dataclass(frozen=True, slots=True)
class EdgeUse:
    """One network code: its edge type, its ends as concepts (leaves) and where it is."""

    type: str
    cause: str
    effect: str
    path: str
    line: int
    col: int


@dataclass(slots=True)
class Usage:
    """Every use of concepts and edge types in a workspace's sources."""

    sources: list[str] = field(default_factory=list)
    logic_models: list[str] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    edges: list[EdgeUse] = field(default_factory=list)
    declared_edge_types: dict[str, set[str]] = field(default_factory=dict)  # source → types it declares

    def of(self, code: str) -> list[Use]:
        return [u for u in self.uses if u.code == code]

    def count(self, code: str) -> int:
        return sum(1 for u in self.uses if u.code == code)

    def counts(self) -> dict[str, Counter[str]]:
        """Per concept code: how often it occurs in each role."""
        result: dict[str, Counter[str]] = {}
        for use in self.uses:
            result.setdefault(use.code, Counter())[use.role] += 1
        return result


def source_files(layout: Layout) -> list[Path]:
    """The ROCK sources the build reads (the configured interviews folder and extensions)."""
    return layout.source_files()


def uses_in(source: Source, path: str) -> tuple[list[Use], list[EdgeUse]]:
    """The concept uses and network codes of one source read by :func:`verlicht.rock.scan_bytes`, in order."""
    uses: list[Use] = []
    edges: list[EdgeUse] = []
    for line, _text, _uid, _nesting, codes, values, network, _ids, _section, _anchors in source.utterances:
        for path_, col, _namespace in codes:
            for level in path_[:-1]:
                uses.append(Use(level, "level", path, line, col))
            uses.append(Use(path_[-1], "plain", path, line, col))
        for cause, effect, type_, _weight, col in network:
            cause, effect = cause.rsplit(">", 1)[-1], effect.rsplit(">", 1)[-1]  # NetworkCode.source_leaf
            uses.append(Use(cause, "cause", path, line, col))
            uses.append(Use(effect, "effect", path, line, col))
            edges.append(EdgeUse(type_, cause, effect, path, line, col))
        for code, _value, col in values:
            uses.append(Use(code.rsplit(">", 1)[-1], "value", path, line, col))
    return uses, edges


def read_rows(file: Path, shown: str) -> Source:
    """A source with its utterances as rows (:func:`verlicht.rock.scan_bytes`), with located errors."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise RockSyntaxError(f"cannot read source: {exc.strerror or exc}", Location(shown),
                              "check the path and permissions") from None
    return scan_bytes(data, shown)


def collect_usage(layout: Layout) -> Usage:
    """Read every source and logic model of the workspace (one that does not read is a located error)."""
    usage = Usage()
    for file in source_files(layout):
        shown = layout.shown(file)
        source = read_rows(file, shown)
        uses, edges = uses_in(source, shown)
        usage.sources.append(shown)
        usage.uses.extend(uses)
        usage.edges.extend(edges)
        declared = set(source.edge_types)
        if declared:
            usage.declared_edge_types[shown] = declared
    for file in logic_model_files(layout):
        shown = layout.shown(file)
        usage.logic_models.append(shown)
        usage.uses.extend(Use(ref.code, ref.role, shown, ref.line, ref.col) for ref in logic_refs(file, shown)[1])
    return usage


# -- logic models --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LogicRef:
    """A concept code named in a logic model, with its exact place: the span of its YAML scalar.

    ``start``/``end`` are offsets in the file's text (without a byte order mark), quotes included;
    ``sequence`` is the offset of the ``concepts`` list the code is an item of (None for a single
    value or a mechanism), ``previous_end`` the end of the item before it in that list, ``flow``
    whether the list is written ``[a, b]``; ``explicit_id`` whether the mechanism has its own ``id``
    (without one, its id is its concept).
    """

    code: str
    role: str  # one of LOGIC_ROLES
    line: int
    col: int
    start: int
    end: int
    quote: str  # '', "'" or '"'
    sequence: int | None = None
    previous_end: int | None = None
    flow: bool = False
    explicit_id: bool = False
    item_line: int | None = None  # a mechanism's first line (its Mechanism.line)


def logic_model_files(layout: Layout) -> list[Path]:
    """The logic model files the build reads (``logic/*.yaml``)."""
    from verlicht.logic import logic_files

    return logic_files(layout.folder("logic"))


def logic_refs(file: Path, shown: str) -> tuple[str, list[LogicRef]]:
    """A logic model's text (without a byte order mark) and every concept it names, in file order.

    The file is first read with the logic reader: one it rejects is a located error (its first problem),
    as a source that does not parse is. Where a code is named is taken from the YAML nodes, so the place
    is exact whatever the layout (flow or block lists, quotes, comments).
    """
    import yaml

    from verlicht.logic import read_logic_model

    _model, errors = read_logic_model(file, shown)
    if errors:
        raise errors[0]
    text = file.read_bytes().decode("utf-8-sig")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    refs: list[LogicRef] = []

    def ref(node: Any, role: str, sequence: Any = None, previous: Any = None, mechanism: Any = None) -> None:
        if isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG and node.value.strip():
            refs.append(LogicRef(
                node.value.strip(), role, node.start_mark.line + 1, node.start_mark.column + 1,
                node.start_mark.index, node.end_mark.index, node.style if node.style in ("'", '"') else "",
                sequence.start_mark.index if sequence is not None else None,
                previous.end_mark.index if previous is not None else None,
                bool(sequence is not None and sequence.flow_style),
                mechanism is not None and _value(mechanism, "id") is not None,
                mechanism.start_mark.line + 1 if mechanism is not None else None))

    for step in _items(_value(root, "steps")):
        concepts = _value(step, "concepts")
        if isinstance(concepts, yaml.SequenceNode):
            for i, item in enumerate(concepts.value):
                ref(item, "logic_step", concepts, concepts.value[i - 1] if i else None)
        else:
            ref(concepts, "logic_step")
    for arrow in _items(_value(root, "arrows")):
        mechanisms = _value(arrow, "mechanisms")
        for mechanism in _items(mechanisms) if isinstance(mechanisms, yaml.SequenceNode) else [mechanisms]:
            ref(_value(mechanism, "concept"), "logic_mechanism", mechanism=mechanism)
    refs.sort(key=lambda r: r.start)
    return text, refs


def _value(node: Any, key: str) -> Any:
    """The value node under ``key`` of a YAML mapping node (None when absent or not a mapping)."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value
    return None


def _items(node: Any) -> list[Any]:
    import yaml

    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def load_codebook_of(layout: Layout) -> Codebook:
    """The workspace's codebook, checked against the catalogue's themes as the build does."""
    from verlicht.graph.build import load_inputs

    return load_inputs(layout)[1]


def codebook_file(layout: Layout) -> Path:
    return layout.ontology / "codebook.yaml"


def indicator_files(layout: Layout) -> list[Path]:
    """The indicator catalogue files, as the build picks them (a CBS download in the folder is not one)."""
    from verlicht.indicators.tables import catalogue_files

    return catalogue_files(layout.indicators)


def indicator_rows(file: Path, shown: str) -> list[tuple[int, dict[str, str]]]:
    """The rows of one indicator catalogue file with the line each starts on (cells stripped)."""
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            reader.fieldnames = [h.strip() for h in reader.fieldnames or []]
            rows = []
            line = reader.line_num + 1
            for row in reader:
                rows.append((line, {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}))
                line = reader.line_num + 1
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise IndicatorError(f"cannot read the indicator catalogue: {exc}", Location(shown),
                             "check that it is a UTF-8 CSV file") from None


@dataclass(frozen=True, slots=True)
class IndicatorRefs:
    """What an indicator refers to: the concepts it ``measures`` and the ``cause->effect`` pairs it ``tests``."""

    id: str
    label: str
    measures: tuple[str, ...]
    tests: tuple[tuple[str, str], ...]
    path: str
    line: int


def indicator_refs(layout: Layout) -> list[IndicatorRefs]:
    """Every indicator's references, without checking them (a stale reference is worth showing)."""
    found = []
    for file in indicator_files(layout):
        shown = layout.shown(file)
        for line, row in indicator_rows(file, shown):
            if not row.get("id"):
                continue
            tests = tuple((c.strip(), e.strip()) for c, _, e in
                          (pair.partition("->") for pair in _split(row.get("tests", ""))))
            found.append(IndicatorRefs(row["id"], row.get("label") or row["id"],
                                       tuple(_split(row.get("measures", ""))), tests, shown, line))
    return found


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def concept_rows(layout: Layout, type_: str | None = None) -> list[dict[str, Any]]:
    """Every concept of the codebook, in codebook order, with its uses in the sources."""
    codebook = load_codebook_of(layout)
    counts = collect_usage(layout).counts()
    rows = []
    for concept in codebook.concepts.values():
        if type_ is not None and concept.type != type_:
            continue
        by_role = counts.get(concept.code, Counter())
        rows.append({
            "code": concept.code,
            "type": concept.type,
            "label_nl": concept.label_nl,
            "label_en": concept.label_en,
            "theme": concept.theme,
            "uses": sum(by_role.values()),
            **{role: by_role.get(role, 0) for role in ROLES},
        })
    return rows


def show_concept(layout: Layout, code: str) -> dict[str, Any]:
    """A concept's definition, every place it is used (sources and logic models), the assumptions it is part
    of, its indicators."""
    codebook = load_codebook_of(layout)
    usage = collect_usage(layout)
    concept = codebook.concepts.get(code)
    uses = sorted(usage.of(code), key=lambda u: (u.path, u.line, u.col))
    if concept is None and not uses:
        raise CodebookError(f"'{code}' is neither in the codebook nor used in a source or logic model",
                            Location(codebook.path or "ontology/codebook.yaml"), UNKNOWN_HINT)
    by_role = Counter(u.role for u in uses)
    assumptions: dict[tuple[str, str, str], dict[str, Any]] = {}
    for edge in usage.edges:
        if code not in (edge.cause, edge.effect):
            continue
        kind = codebook.edge_type(edge.type)
        row = assumptions.setdefault((edge.cause, edge.effect, edge.type), {
            "cause": edge.cause, "effect": edge.effect, "type": edge.type,
            "polarity": kind.polarity if kind else None, "codes": 0, "sources": []})
        row["codes"] += 1
        if edge.path not in row["sources"]:
            row["sources"].append(edge.path)
    indicators = [
        {"id": ind.id, "label": ind.label, "measures": code in ind.measures,
         "tests": [f"{c}->{e}" for c, e in ind.tests if code in (c, e)], "where": f"{ind.path}:{ind.line}"}
        for ind in indicator_refs(layout)
        if code in ind.measures or any(code in pair for pair in ind.tests)
    ]
    definition = None
    if concept is not None:
        definition = {"type": concept.type, "label_nl": concept.label_nl, "label_en": concept.label_en,
                      "description": concept.description, "theme": concept.theme,
                      "synonyms": list(concept.synonyms), "where": f"{codebook.path}:{concept.line}"}
    return {
        "code": code,
        "defined": concept is not None,
        "definition": definition,
        "uses": len(uses),
        "by_role": {role: by_role.get(role, 0) for role in ROLES},
        "locations": [{"where": f"{u.path}:{u.line}:{u.col}", "path": u.path, "line": u.line, "col": u.col,
                       "role": u.role} for u in uses],
        "assumptions": sorted(assumptions.values(), key=lambda r: (-r["codes"], r["cause"], r["effect"], r["type"])),
        "indicators": indicators,
    }


def codebook_stats(layout: Layout) -> dict[str, Any]:
    """Usage per code and per type, unused codes, codes and edge types used but not defined (every location).

    Uses in logic models count as uses (roles ``logic_step``, ``logic_mechanism``); one of an undefined
    concept is listed with the others, as the build stops on it.
    """
    codebook = load_codebook_of(layout)
    usage = collect_usage(layout)
    counts = usage.counts()
    per_code = [{"code": code, "type": codebook.concepts[code].type if code in codebook.concepts else None,
                 "uses": sum(roles.values()), **{role: roles.get(role, 0) for role in ROLES}}
                for code, roles in counts.items()]
    per_code.sort(key=lambda r: (-r["uses"], r["code"]))
    per_type = []
    for kind in sorted({c.type for c in codebook.concepts.values()}):
        codes = [c for c in codebook.concepts.values() if c.type == kind]
        per_type.append({"type": kind, "concepts": len(codes),
                         "used": sum(1 for c in codes if c.code in counts),
                         "uses": sum(sum(counts.get(c.code, Counter()).values()) for c in codes)})
    unused = [{"code": c.code, "type": c.type, "where": f"{codebook.path}:{c.line}"}
              for c in codebook.concepts.values() if c.code not in counts]
    undefined: dict[str, list[str]] = {}
    for use in usage.uses:
        if use.role != "value" and use.code not in codebook.concepts:
            undefined.setdefault(use.code, []).append(f"{use.path}:{use.line}:{use.col}")
    edge_counts = Counter(e.type for e in usage.edges)
    edge_types = []
    for name in sorted(set(edge_counts) | {n for n, t in codebook.edge_types.items() if t.line is not None}):
        kind = codebook.edge_type(name)
        declared = sorted(p for p, types in usage.declared_edge_types.items() if name in types)
        if kind is not None:
            status = "codebook" if kind.line is not None else "built in"
        else:
            status = "declared in source" if declared else "undefined"
        edge_types.append({
            "type": name, "uses": edge_counts.get(name, 0), "defined": status,
            "kind": kind.kind if kind else None, "polarity": kind.polarity if kind else None,
            "locations": [f"{e.path}:{e.line}:{e.col}" for e in usage.edges
                          if e.type == name] if status == "undefined" else [],
        })
    return {
        "sources": len(usage.sources),
        "codes": per_code,
        "types": per_type,
        "unused": unused,
        "undefined": [{"code": code, "uses": len(where), "locations": where}
                      for code, where in sorted(undefined.items())],
        "edge_types": edge_types,
    }


def stats_rows(stats: dict[str, Any]) -> list[dict[str, Any]]:
    """The stats as one flat table: a ``section`` column says which part a row belongs to."""
    rows: list[dict[str, Any]] = []
    for row in stats["types"]:
        rows.append({"section": "type", "name": row["type"], "uses": row["uses"],
                     "detail": f"{row['used']} of {row['concepts']} concepts used"})
    for row in stats["codes"]:
        rows.append({"section": "code", "name": row["code"], "uses": row["uses"], "detail": row["type"] or "undefined"})
    for row in stats["unused"]:
        rows.append({"section": "unused", "name": row["code"], "uses": 0, "detail": row["where"]})
    for row in stats["undefined"]:
        rows.append({"section": "undefined", "name": row["code"], "uses": row["uses"], "detail": row["locations"]})
    for row in stats["edge_types"]:
        detail = row["defined"] if not row["locations"] else [row["defined"], *row["locations"]]
        rows.append({"section": "edge_type", "name": row["type"], "uses": row["uses"], "detail": detail})
    return rows
