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

from verlicht.errors import QueryError
from verlicht.graph import schema as s
from verlicht.graph.store import Graph, Provenance, relation_key

COVERAGES = ("tested", "measurable", "partial", "unmeasured")
GAP_COVERAGES = ("partial", "unmeasured")
GROUP_ORDER = (*s.GROUPS, s.UNKNOWN_GROUP)


def _key(ident: str) -> str:
    return ident.split(":", 1)[1]


def _measured(graph: Graph) -> dict[str, list[str]]:
    """Indicator keys per measured concept code."""
    measured: dict[str, list[str]] = defaultdict(list)
    for edge in graph.edges_of("MEASURES"):
        measured[_key(edge["target"])].append(_key(edge["source"]))
    return {k: sorted(v) for k, v in measured.items()}


def _tested(graph: Graph) -> dict[str, list[str]]:
    """Indicator keys per directly tested assumption id."""
    tested: dict[str, list[str]] = defaultdict(list)
    for edge in graph.edges_of("TESTS"):
        tested[edge["target"]].append(_key(edge["source"]))
    return {k: sorted(v) for k, v in tested.items()}


def _coverage(assumption: dict[str, Any], tested: dict[str, list[str]], measured: dict[str, list[str]]) -> str:
    if assumption["id"] in tested:
        return "tested"
    ends = (assumption["cause"] in measured) + (assumption["effect"] in measured)
    return ("unmeasured", "partial", "measurable")[ends]


def coverage_of(graph: Graph, assumption: str) -> str:
    """``tested``, ``measurable``, ``partial`` or ``unmeasured`` (see the module docstring)."""
    if assumption not in graph:
        raise QueryError(f"unknown assumption '{assumption}'", None, "ids look like assumption:cause->effect:+")
    return _coverage(graph.nodes[assumption], _tested(graph), _measured(graph))


def _holders(graph: Graph) -> dict[str, dict[str, list[str]]]:
    """Per assumption id, the case ids of its holders by group."""
    holders: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for edge in graph.edges_of("HOLDS"):
        who = graph.nodes[edge["source"]]
        holders[edge["target"]][who["group"]].append(who["case"])
    return holders


def _centrality(graph: Graph) -> dict[str, int]:
    """Per concept, how many assumptions it takes part in (its degree in the causal network)."""
    degree: dict[str, int] = defaultdict(int)
    for d in graph.of_kind("Assumption"):
        degree[d["cause"]] += 1
        degree[d["effect"]] += 1
    return degree


def _assumption_rows(graph: Graph, lang: str = "nl") -> list[dict[str, Any]]:
    measured = _measured(graph)
    tested = _tested(graph)
    degree = _centrality(graph)
    holders_of = _holders(graph)
    label = f"label_{lang}"
    labels = {d["code"]: d.get(label) or d["code"] for d in graph.of_kind("Concept")}
    rows = []
    for d in graph.of_kind("Assumption"):
        ident, cause, effect = d["id"], d["cause"], d["effect"]
        by_group = holders_of.get(ident, {})
        holders = {g: sorted(by_group.get(g, ())) for g in s.GROUPS}
        for group in sorted(set(by_group) - set(s.GROUPS)):
            holders[group] = sorted(by_group[group])
        rows.append({
            "id": ident,
            "cause": cause,
            "effect": effect,
            "polarity": d["polarity"],
            "coverage": _coverage(d, tested, measured),
            "support": d["support"],
            "groups": sum(1 for g in s.GROUPS if holders[g]),
            "holders": holders,
            "contested": d.get("contested", False),
            "centrality": degree[cause] + degree[effect],
            "tested_by": tested.get(ident, []),
            "cause_measured_by": measured.get(cause, []),
            "effect_measured_by": measured.get(effect, []),
            "cause_label": labels.get(cause, cause),
            "effect_label": labels.get(effect, effect),
            "evidence": d.get("evidence", 0),
            "sources": d.get("sources", 0),
        })
    return rows


def _rank(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (-r["support"], -r["groups"], -r["centrality"], r["id"]))


def gaps(graph: Graph, all: bool = False, lang: str = "nl") -> list[dict[str, Any]]:
    """Assumptions by coverage: by default the partial and unmeasured ones, ranked by support."""
    rows = _assumption_rows(graph, lang)
    if not all:
        rows = [r for r in rows if r["coverage"] in GAP_COVERAGES]
    return _rank(rows)


def _check_concept(graph: Graph, code: str) -> None:
    if s.concept_id(code) in graph:
        return
    codes = [d["code"] for d in graph.of_kind("Concept")]
    close = difflib.get_close_matches(code, codes, n=3)
    hint = f"did you mean {', '.join(close)}?" if close else "'verlicht query concepts' lists the concepts"
    raise QueryError(f"unknown concept '{code}'", None, hint)


def assumptions(
    graph: Graph,
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
        raise QueryError(f"'{text}' is not a claim", None,
                         "write CAUSE->EFFECT, e.g. verloop_bewoners->sociale_cohesie")
    return cause, effect


def evidence(graph: Graph, provenance: Provenance, claim: str,
             polarity: str | None = None) -> list[dict[str, Any]]:
    """Every coded utterance behind a claim: the quote with source:line and respondent.

    Causal claims come with their polarity; non-causal relations (``structural``,
    ``collaborates`` …) between the same two concepts are listed too, with their type.
    """
    cause, effect = parse_claim(claim)
    _check_concept(graph, cause)
    _check_concept(graph, effect)
    found: list[tuple[list[Any], str, str]] = []
    for pol in s.POLARITIES:
        if polarity and pol != polarity:
            continue
        ident = s.assumption_id(cause, effect, pol)
        if ident in graph:
            found.extend((row, pol, "causal") for row in provenance.evidence(ident))
    if not polarity:
        for edge in graph.incoming(s.concept_id(effect), "RELATED"):
            if edge["source"] == s.concept_id(cause):
                for type_ in edge["types"]:
                    key = relation_key(edge["source"], edge["target"], type_)
                    found.extend((row, "", type_) for row in provenance.evidence(key))
    if not found:
        raise QueryError(f"no respondent makes the claim {cause}->{effect}"
                         + (f" with polarity {polarity}" if polarity else ""), None,
                         "'verlicht query assumptions --concept CODE' lists the claims about a concept")
    rows = []
    for (path, _line, uid, respondent), pol, type_ in found:
        who = graph.nodes[respondent]
        utterance = provenance.utterance(path, uid)
        rows.append({
            "cause": cause,
            "effect": effect,
            "polarity": pol,
            "type": type_,
            "source": path,
            "line": utterance["line"],
            "uid": utterance.get("uid"),
            "respondent": who["case"],
            "group": who["group"],
            "text": utterance["text"],
        })
    return sorted(rows, key=lambda r: (r["source"], r["line"], r["polarity"], r["type"]))


def paths(graph: Graph, source: str, target: str, max_length: int = 4) -> list[dict[str, Any]]:
    """Causal chains from one concept to another through held assumptions, with the chain's polarity.

    A chain's polarity is the product of its steps' (``+``·``-`` = ``-``); one unsigned step makes it ``?``.
    """
    _check_concept(graph, source)
    _check_concept(graph, target)
    if max_length < 1:
        raise QueryError("--max-length must be at least 1", None, "try 4")
    import networkx as nx

    steps: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    causal = nx.DiGraph()
    for d in graph.of_kind("Assumption"):
        steps[(d["cause"], d["effect"])].append({"polarity": d["polarity"], "support": d["support"], "id": d["id"]})
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


def concepts(graph: Graph, lang: str = "nl") -> list[dict[str, Any]]:
    """Every concept with its type, label, uses and how many assumptions involve it."""
    degree = _centrality(graph)
    measured = _measured(graph)
    return [
        {"code": d["code"], "type": d["type"], "label": d.get(f"label_{lang}"), "theme": d.get("theme"),
         "in_codebook": d["in_codebook"], "uses": d.get("uses", 0), "assumptions": degree[d["code"]],
         "measured_by": measured.get(d["code"], [])}
        for d in graph.of_kind("Concept")
    ]


def stats(graph: Graph) -> list[dict[str, Any]]:
    """Counts of what the graph holds, coverage of assumptions, and respondents per group."""
    rows = [{"metric": k, "value": v} for k, v in graph.header.get("counts", {}).items()]
    measured, tested = _measured(graph), _tested(graph)
    coverage: dict[str, int] = dict.fromkeys(COVERAGES, 0)
    for d in graph.of_kind("Assumption"):
        coverage[_coverage(d, tested, measured)] += 1
    rows += [{"metric": f"assumptions_{k}", "value": v} for k, v in coverage.items()]
    groups: dict[str, int] = defaultdict(int)
    for d in graph.of_kind("Respondent"):
        groups[d["group"]] += 1
    rows += [{"metric": f"respondents_{g}", "value": groups[g]} for g in sorted(groups)]
    unknown = sum(1 for d in graph.of_kind("Concept") if not d["in_codebook"])
    rows.append({"metric": "concepts_not_in_codebook", "value": unknown})
    return rows
