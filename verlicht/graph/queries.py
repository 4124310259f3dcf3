"""Questions asked of the built graph; each takes a graph and returns plain rows.

The headline question is :func:`gaps`: which assumptions held by interviewees
lack indicators? Coverage of an assumption (see :func:`coverage_of`):

* ``tested``     — an indicator TESTS the assumption directly;
* ``measurable`` — both cause and effect are MEASURED by some indicator;
* ``partial``    — one of the two ends is measured;
* ``unmeasured`` — neither end is.

>>> rows = gaps(graph)                     # partial and unmeasured, by support
>>> rows[0]["cause"], rows[0]["coverage"]
('verloop_bewoners', 'partial')
"""

from __future__ import annotations

import difflib
import itertools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx

from verlicht.errors import QueryError
from verlicht.graph import schema as s
from verlicht.graph.store import Provenance

COVERAGES = ("tested", "measurable", "partial", "unmeasured")
GAP_COVERAGES = ("partial", "unmeasured")
GROUP_ORDER = (*s.GROUPS, s.UNKNOWN_GROUP)


def _kind(graph: nx.DiGraph, kind: str) -> Iterable[tuple[str, dict[str, Any]]]:
    return ((n, d) for n, d in graph.nodes(data=True) if d["kind"] == kind)


def _in(graph: nx.DiGraph, node: str, kind: str) -> list[str]:
    return sorted(u for u, _v, d in graph.in_edges(node, data=True) if d["kind"] == kind)


def _key(ident: str) -> str:
    return ident.split(":", 1)[1]


def _measured(graph: nx.DiGraph) -> dict[str, list[str]]:
    """Indicator keys per measured concept code."""
    measured: dict[str, list[str]] = defaultdict(list)
    for u, v, d in graph.edges(data=True):
        if d["kind"] == "MEASURES":
            measured[_key(v)].append(_key(u))
    return {k: sorted(v) for k, v in measured.items()}


def coverage_of(graph: nx.DiGraph, assumption: str, measured: dict[str, list[str]] | None = None) -> str:
    """``tested``, ``measurable``, ``partial`` or ``unmeasured`` (see the module docstring)."""
    measured = _measured(graph) if measured is None else measured
    data = graph.nodes[assumption]
    if _in(graph, assumption, "TESTS"):
        return "tested"
    ends = (data["cause"] in measured) + (data["effect"] in measured)
    return ("unmeasured", "partial", "measurable")[ends]


def _label(graph: nx.DiGraph, code: str, lang: str) -> str:
    data = graph.nodes.get(s.concept_id(code), {})
    return data.get(f"label_{lang}") or code


def _holders(graph: nx.DiGraph, assumption: str) -> dict[str, list[str]]:
    holders: dict[str, list[str]] = {g: [] for g in GROUP_ORDER}
    for respondent in _in(graph, assumption, "HOLDS"):
        data = graph.nodes[respondent]
        holders.setdefault(data["group"], []).append(data["case"])
    return {g: sorted(v) for g, v in holders.items() if v or g in s.GROUPS}


def _centrality(graph: nx.DiGraph) -> dict[str, int]:
    """Per concept, how many assumptions it takes part in (its degree in the causal network)."""
    degree: dict[str, int] = defaultdict(int)
    for _n, d in _kind(graph, "Assumption"):
        degree[d["cause"]] += 1
        degree[d["effect"]] += 1
    return degree


def _assumption_rows(graph: nx.DiGraph, lang: str = "nl") -> list[dict[str, Any]]:
    measured = _measured(graph)
    degree = _centrality(graph)
    rows = []
    for ident, d in _kind(graph, "Assumption"):
        cause, effect = d["cause"], d["effect"]
        holders = _holders(graph, ident)
        rows.append({
            "id": ident,
            "cause": cause,
            "effect": effect,
            "polarity": d["polarity"],
            "coverage": coverage_of(graph, ident, measured),
            "support": d["support"],
            "groups": len([g for g in s.GROUPS if holders.get(g)]),
            "holders": holders,
            "contested": d.get("contested", False),
            "centrality": degree[cause] + degree[effect],
            "tested_by": [_key(i) for i in _in(graph, ident, "TESTS")],
            "cause_measured_by": measured.get(cause, []),
            "effect_measured_by": measured.get(effect, []),
            "cause_label": _label(graph, cause, lang),
            "effect_label": _label(graph, effect, lang),
            "evidence": d.get("evidence", 0),
            "sources": d.get("sources", 0),
        })
    return rows


def _rank(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (-r["support"], -r["groups"], -r["centrality"], r["id"]))


def gaps(graph: nx.DiGraph, all: bool = False, lang: str = "nl") -> list[dict[str, Any]]:
    """Assumptions by coverage: by default the partial and unmeasured ones, ranked by support."""
    rows = _assumption_rows(graph, lang)
    if not all:
        rows = [r for r in rows if r["coverage"] in GAP_COVERAGES]
    return _rank(rows)


def _check_concept(graph: nx.DiGraph, code: str) -> None:
    if s.concept_id(code) in graph:
        return
    codes = [d["code"] for _n, d in _kind(graph, "Concept")]
    close = difflib.get_close_matches(code, codes, n=3)
    hint = f"did you mean {', '.join(close)}?" if close else "'verlicht query concepts' lists the concepts"
    raise QueryError(f"unknown concept '{code}'", None, hint)


def assumptions(
    graph: nx.DiGraph,
    group: str | None = None,
    concept: str | None = None,
    min_support: int = 1,
    polarity: str | None = None,
    coverage: str | None = None,
    lang: str = "nl",
) -> list[dict[str, Any]]:
    """Assumptions filtered by holder group, concept (either end), minimum support, polarity, coverage."""
    if group is not None:
        normal = s.normalise_group(group)
        if normal is None or normal == s.INTERVIEWER:
            raise QueryError(f"unknown group '{group}'", None, f"use one of: {', '.join(s.GROUPS)}")
        group = normal
    if concept is not None:
        _check_concept(graph, concept)
    if polarity is not None and polarity not in s.POLARITIES:
        raise QueryError(f"unknown polarity '{polarity}'", None, "use +, - or ?")
    if coverage is not None and coverage not in COVERAGES:
        raise QueryError(f"unknown coverage '{coverage}'", None, f"use one of: {', '.join(COVERAGES)}")
    rows = []
    for row in _assumption_rows(graph, lang):
        if group and not row["holders"].get(group):
            continue
        if concept and concept not in (row["cause"], row["effect"]):
            continue
        if row["support"] < min_support:
            continue
        if polarity and row["polarity"] != polarity:
            continue
        if coverage and row["coverage"] != coverage:
            continue
        rows.append(row)
    return _rank(rows)


def parse_claim(text: str) -> tuple[str, str]:
    """``cause->effect`` into its two codes."""
    cause, arrow, effect = text.partition("->")
    cause, effect = cause.strip(), effect.strip()
    if not arrow or not cause or not effect:
        raise QueryError(f"'{text}' is not a claim", None, "write CAUSE->EFFECT, e.g. verloop_bewoners->sociale_cohesie")
    return cause, effect


def evidence(graph: nx.DiGraph, provenance: Provenance, claim: str,
             polarity: str | None = None) -> list[dict[str, Any]]:
    """Every coded utterance behind a claim: the quote with source:line and respondent."""
    cause, effect = parse_claim(claim)
    _check_concept(graph, cause)
    _check_concept(graph, effect)
    rows = []
    for pol in s.POLARITIES:
        if polarity and pol != polarity:
            continue
        ident = s.assumption_id(cause, effect, pol)
        if ident not in graph:
            continue
        for respondent in _in(graph, ident, "HOLDS"):
            who = graph.nodes[respondent]
            for path, _line, uid in graph.edges[respondent, ident]["evidence"]:
                rows.append(_quote(provenance, path, uid, who, cause, effect, pol, "causal"))
    related = graph.get_edge_data(s.concept_id(cause), s.concept_id(effect))
    if related and related["kind"] == "RELATED" and not polarity:
        for type_, info in related["types"].items():
            for path, _line, uid, holder in info["evidence"]:
                rows.append(_quote(provenance, path, uid, graph.nodes[holder], cause, effect, "", type_))
    if not rows:
        raise QueryError(f"no respondent makes the claim {cause}->{effect}"
                         + (f" with polarity {polarity}" if polarity else ""), None,
                         "'verlicht query assumptions --concept CODE' lists the claims about a concept")
    return sorted(rows, key=lambda r: (r["source"], r["line"], r["polarity"], r["type"]))


def _quote(provenance: Provenance, path: str, uid: str, who: dict[str, Any], cause: str, effect: str,
           polarity: str, type_: str) -> dict[str, Any]:
    row = provenance.utterance(path, uid)
    return {
        "cause": cause,
        "effect": effect,
        "polarity": polarity,
        "type": type_,
        "source": path,
        "line": row["line"],
        "uid": row.get("uid"),
        "respondent": who["case"],
        "group": who["group"],
        "text": row["text"],
    }


def paths(graph: nx.DiGraph, source: str, target: str, max_length: int = 4) -> list[dict[str, Any]]:
    """Causal chains from one concept to another through held assumptions, with the chain's polarity.

    A chain's polarity is the product of its steps' (``+``·``-`` = ``-``); one unsigned step makes it ``?``.
    """
    _check_concept(graph, source)
    _check_concept(graph, target)
    if max_length < 1:
        raise QueryError("--max-length must be at least 1", None, "try 4")
    steps: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    causal = nx.DiGraph()
    for ident, d in _kind(graph, "Assumption"):
        steps[(d["cause"], d["effect"])].append({"polarity": d["polarity"], "support": d["support"], "id": ident})
        causal.add_edge(d["cause"], d["effect"])
    if source not in causal or target not in causal:
        return []
    rows = []
    for concepts in nx.all_simple_paths(causal, source, target, cutoff=max_length):
        pairs = list(itertools.pairwise(concepts))
        for choice in itertools.product(*(sorted(steps[p], key=lambda x: x["polarity"]) for p in pairs)):
            rows.append({
                "path": concepts,
                "length": len(pairs),
                "polarity": chain_polarity(c["polarity"] for c in choice),
                "steps": [f"{a}-[{c['polarity']}]->{b}" for (a, b), c in zip(pairs, choice, strict=True)],
                "min_support": min(c["support"] for c in choice),
                "assumptions": [c["id"] for c in choice],
            })
    return sorted(rows, key=lambda r: (r["length"], -r["min_support"], r["steps"]))


def chain_polarity(polarities: Iterable[str]) -> str:
    sign = 1
    for p in polarities:
        if p == "?":
            return "?"
        if p == "-":
            sign = -sign
    return "+" if sign > 0 else "-"


def concepts(graph: nx.DiGraph, lang: str = "nl") -> list[dict[str, Any]]:
    """Every concept with its type, label, uses and how many assumptions involve it."""
    degree = _centrality(graph)
    measured = _measured(graph)
    return [
        {"code": d["code"], "type": d["type"], "label": d.get(f"label_{lang}"), "theme": d.get("theme"),
         "in_codebook": d["in_codebook"], "uses": d.get("uses", 0), "assumptions": degree[d["code"]],
         "measured_by": measured.get(d["code"], [])}
        for _n, d in sorted(_kind(graph, "Concept"))
    ]


def stats(graph: nx.DiGraph) -> list[dict[str, Any]]:
    """Counts of what the graph holds, coverage of assumptions, and respondents per group."""
    rows = [{"metric": k, "value": v} for k, v in graph.graph.get("counts", {}).items()]
    measured = _measured(graph)
    coverage: dict[str, int] = dict.fromkeys(COVERAGES, 0)
    for ident, _d in _kind(graph, "Assumption"):
        coverage[coverage_of(graph, ident, measured)] += 1
    rows += [{"metric": f"assumptions_{k}", "value": v} for k, v in coverage.items()]
    groups: dict[str, int] = defaultdict(int)
    for _n, d in _kind(graph, "Respondent"):
        groups[d["group"]] += 1
    rows += [{"metric": f"respondents_{g}", "value": groups[g]} for g in sorted(groups)]
    unknown = sum(1 for _n, d in _kind(graph, "Concept") if not d["in_codebook"])
    rows.append({"metric": "concepts_not_in_codebook", "value": unknown})
    return rows
