"""Questions asked of the built graph; each takes a graph and returns plain rows.

The headline question is :func:`gaps`: which assumptions held by interviewees
lack indicators? Coverage of an assumption (see :func:`coverage_of`):

* ``tested``     — an indicator TESTS the assumption directly;
* ``measurable`` — both cause and effect are MEASURED by some indicator;
* ``partial``    — one of the two ends is measured;
* ``unmeasured`` — neither end is.

>>> rows = gaps(graph)                     # partial and unmeasured, by goal relevance and support
>>> rows[0]["cause"], rows[0]["coverage"], rows[0]["goals"], rows[0]["goal_distance"]
('verloop_bewoners', 'partial', [3, 9], 2)

An assumption is *relevant to a goal* when a causal path from it — its cause, its effect, then the
effects of held claims onwards — reaches a concept measured by an indicator that tracks the goal; its
``goal_distance`` is the number of claims on the shortest such path (1 when its own effect is measured).
:func:`gaps` also lists the steps and mechanisms of intervention logic models (``logic/*.yaml``) that no
indicator measures: a step is *measurable* when an indicator monitors it or measures one of its
concepts, a mechanism when an indicator measures its concept; otherwise *unmeasured*. A step reaches a
goal when it aims at it, when an indicator tracking it monitors the step, through its concepts as above,
or through the steps it leads to (one more per arrow); a mechanism reaches what its concept and the step
its arrow leads to reach.
"""

from __future__ import annotations

import difflib
import heapq
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from verlicht.errors import QueryError
from verlicht.graph import schema as s
from verlicht.graph.facts import Facts, facts_of
from verlicht.graph.store import Graph, Provenance, relation_key

COVERAGES = ("tested", "measurable", "partial", "unmeasured")
GAP_COVERAGES = ("partial", "unmeasured")
GAP_KINDS = ("assumptions", "steps", "mechanisms")
STEP_COVERAGES = ("measurable", "unmeasured")  # of steps and mechanisms
GROUP_ORDER = (*s.GROUPS, s.UNKNOWN_GROUP)
# The questions below take a loaded graph or the facts the query index keeps of one (verlicht.graph.facts): the
# same answers either way, from the same code over the facts.
Asked = Graph | Facts


def _key(ident: str) -> str:
    return ident.split(":", 1)[1]


def _measured(graph: Facts) -> dict[str, list[str]]:
    """Indicator keys per measured concept code."""
    measured: dict[str, list[str]] = defaultdict(list)
    for edge in graph.edges_of("MEASURES"):
        measured[_key(edge["target"])].append(_key(edge["source"]))
    return {k: sorted(v) for k, v in measured.items()}


def _tested(graph: Facts) -> dict[str, list[str]]:
    """Indicator keys per directly tested assumption id."""
    tested: dict[str, list[str]] = defaultdict(list)
    for edge in graph.edges_of("TESTS"):
        tested[edge["target"]].append(_key(edge["source"]))
    return {k: sorted(v) for k, v in tested.items()}


def _coverage(ident: str, cause: str, effect: str, tested: dict[str, list[str]],
              measured: dict[str, list[str]]) -> str:
    if ident in tested:
        return "tested"
    return ("unmeasured", "partial", "measurable")[(cause in measured) + (effect in measured)]


def coverage_of(graph: Asked, assumption: str) -> str:
    """``tested``, ``measurable``, ``partial`` or ``unmeasured`` (see the module docstring)."""
    facts = facts_of(graph)
    record = facts.claims.record(assumption)
    if record is None:
        raise QueryError(f"unknown assumption '{assumption}'", None, "ids look like assumption:cause->effect:+")
    return _coverage(record["id"], record["cause"], record["effect"], _tested(facts), _measured(facts))


def _centrality(graph: Facts) -> Counter[str]:
    """Per concept, how many assumptions it takes part in (its degree in the causal network; 0 when none)."""
    degree = Counter(graph.claims.causes)
    degree.update(graph.claims.effects)
    return degree


def _holders(graph: Facts) -> list[dict[str, list[str]] | None]:
    """Per assumption (in graph order) its holders' case ids by group, each group's in HOLDS edge order, the
    groups of s.GROUPS first (empty ones too) and others after them as met; None when nobody holds it."""
    claims = graph.claims
    nodes = graph.nodes
    # (group, case) of each holder: a thousand respondents, looked up 100,000 times
    who = [(nodes[ident]["group"], nodes[ident]["case"]) for ident in claims.holder_ids]
    first, second, third = s.GROUPS
    grouped: list[dict[str, list[str]] | None] = [None] * len(claims)
    for holder, claim in zip(claims.held_by, claims.held, strict=True):
        group, case = who[holder]
        found = grouped[claim]
        if found is None:
            found = grouped[claim] = {first: [], second: [], third: []}
        cases = found.get(group)
        if cases is None:
            found[group] = [case]
        else:
            cases.append(case)
    return grouped


def _assumption_rows(graph: Facts, lang: str = "nl",
                     keep: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """One row per assumption (only those whose coverage is in ``keep``, when given), in graph order.

    Tens of thousands of rows at the worst case: each is made in one go, its coverage first (so that rows
    ``keep`` drops cost nothing more), without a function call or a comprehension per row.
    """
    measured = _measured(graph)
    tested = _tested(graph)
    degree = _centrality(graph)
    claims = graph.claims
    label = f"label_{lang}"
    labels = {d["code"]: d.get(label) or d["code"] for d in graph.of_kind("Concept")}
    rows: list[dict[str, Any]] = []
    append = rows.append
    known_groups = set(s.GROUPS)
    first, second, third = s.GROUPS  # one dict literal per row
    levels = ("unmeasured", "partial", "measurable")
    for ident, cause, effect, polarity, support, contested, evidence, sources, holders in zip(
            *claims.columns(), _holders(graph), strict=True):
        coverage = "tested" if ident in tested else levels[(cause in measured) + (effect in measured)]
        if keep is not None and coverage not in keep:
            continue
        count = 0  # groups of s.GROUPS with a holder
        if holders is None:
            holders = {first: [], second: [], third: []}
        else:
            for cases in holders.values():
                if len(cases) > 1:
                    cases.sort()
            count = (len(holders[first]) > 0) + (len(holders[second]) > 0) + (len(holders[third]) > 0)
            if len(holders) > 3:  # holders of a group outside s.GROUPS (unknown): after those, by name
                holders = {group: holders[group]
                           for group in (*s.GROUPS, *sorted(g for g in holders if g not in known_groups))}
        append({
            "kind": "assumption",
            "id": ident,
            "cause": cause,
            "effect": effect,
            "polarity": polarity,
            "coverage": coverage,
            "support": support,
            "groups": count,
            "holders": holders,
            "contested": contested,
            "centrality": degree[cause] + degree[effect],
            "tested_by": tested.get(ident, []),
            "cause_measured_by": measured.get(cause, []),
            "effect_measured_by": measured.get(effect, []),
            "cause_label": labels.get(cause, cause),
            "effect_label": labels.get(effect, effect),
            "evidence": evidence,
            "sources": sources,
        })
    return rows


def _rank(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (-r["support"], -r["groups"], -r["centrality"], r["id"]))


def gaps(graph: Asked, all: bool = False, lang: str = "nl", kind: str = "all",
         goal: int | None = None) -> list[dict[str, Any]]:
    """What lacks indicators: assumptions, then intervention steps, then mechanisms, each row with its ``kind``.

    By default the partial and unmeasured assumptions, ranked by whether they reach a goal, support and
    the length of the path to the nearest goal; then the unmeasured steps and mechanisms in the order of
    their schemes. ``all`` lists everything, ``kind`` one of :data:`GAP_KINDS`, and ``goal`` keeps the
    rows that reach that goal (their distance and path are then to it).

    >>> [r["kind"] for r in gaps(graph, kind="steps")][:1]
    ['step']
    """
    if kind != "all" and kind not in GAP_KINDS:
        raise QueryError(f"unknown kind of gap '{kind}'", None, f"use all or one of: {', '.join(GAP_KINDS)}")
    graph = facts_of(graph)
    if goal is not None and s.goal_id(goal) not in graph:
        numbers = sorted(d["number"] for d in graph.of_kind("Goal"))
        raise QueryError(f"unknown goal {goal}", None,
                         f"the goals are numbered {numbers[0]}–{numbers[-1]}" if numbers else "the graph has no goals")
    reach = GoalReach(graph)
    rows: list[dict[str, Any]] = []
    if kind in ("all", "assumptions"):
        found = _assumption_rows(graph, lang, None if all else GAP_COVERAGES)
        # What a claim reaches depends on its effect alone (a hundred or so concepts for tens of thousands of
        # claims): worked out once per effect, by _with_goals, and copied into each row with the cause in front.
        by_effect: dict[str, tuple[list[int], int | None, int | None, list[str] | None, list[str]]] = {}
        kept: list[dict[str, Any]] = []
        # Ranked goal-relevant first, then support, then the shorter path, then groups, centrality and id: the
        # keys made here, where each row is at hand, and the rows put in their order once.
        ranks: list[tuple[bool, int, float, int, int, str]] = []
        far = float("inf")
        for row in found:
            effect = row["effect"]
            known = by_effect.get(effect)
            if known is None:
                distances = {number: distance + 1 for number, distance in reach.distances(effect).items()}
                made = _with_goals(
                    {}, distances, lambda number, e=effect: ([], reach.ends[number][reach.path(number, e)[-1]]),
                    goal)
                tail = reach.path(made["goal"], effect) if made["goal"] is not None else None
                known = by_effect[effect] = (made["goals"], made["goal"], made["goal_distance"], tail,
                                             made["goal_indicators"])
            goals, distance = known[0], known[2]
            if goal is not None and goal not in goals:
                continue
            row["goals"] = goals[:]
            row["goal"] = known[1]
            row["goal_distance"] = distance
            row["goal_path"] = [] if known[3] is None else [row["cause"], *known[3]]
            row["goal_indicators"] = known[4]
            kept.append(row)
            ranks.append((not goals, -row["support"], far if distance is None else distance, -row["groups"],
                          -row["centrality"], row["id"]))
        rows += [kept[index] for index in sorted(range(len(kept)), key=ranks.__getitem__)]
    if kind in ("all", "steps", "mechanisms"):
        for row in _logic_rows(graph, reach, lang, kind, goal):
            if (all or row["coverage"] == "unmeasured") and (goal is None or goal in row["goals"]):
                rows.append(row)
    return rows


class GoalReach:
    """Which goals each concept and step reaches, how far, and along which path.

    Per goal, a breadth-first search backwards over the held causal claims from the concepts that the
    goal's indicators measure gives every concept its distance (in claims) and its next concept on a
    shortest path; ties go to the concept first in code order, so the result does not depend on the
    order of the graph file.
    """

    def __init__(self, graph: Asked):
        graph = self.graph = facts_of(graph)
        goals_of: dict[str, list[int]] = defaultdict(list)  # indicator id -> goal numbers
        for edge in graph.edges_of("TRACKS"):
            goals_of[edge["source"]].append(graph.nodes[edge["target"]]["number"])
        self.goals_of = goals_of
        ends: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for edge in graph.edges_of("MEASURES"):
            for number in goals_of.get(edge["source"], ()):
                ends[number][_key(edge["target"])].append(_key(edge["source"]))
        self.ends = {g: {c: sorted(inds) for c, inds in by.items()} for g, by in ends.items()}
        causes: dict[str, set[str]] = defaultdict(set)
        for effect, cause in zip(graph.claims.effects, graph.claims.causes, strict=True):
            causes[effect].add(cause)
        into = {effect: sorted(found) for effect, found in causes.items()}
        self.next: dict[int, dict[str, str | None]] = {}
        self.depth: dict[int, dict[str, int]] = {}
        self._of: dict[str, dict[int, int]] = defaultdict(dict)  # concept -> goal -> distance
        for number in sorted(self.ends):
            frontier = sorted(self.ends[number])
            following: dict[str, str | None] = dict.fromkeys(frontier)
            depth = dict.fromkeys(frontier, 0)
            while frontier:
                later = []
                for concept in frontier:
                    for cause in into.get(concept, ()):
                        if cause not in following:
                            following[cause] = concept
                            depth[cause] = depth[concept] + 1
                            later.append(cause)
                frontier = later
            self.next[number], self.depth[number] = following, depth
            for concept, distance in depth.items():
                self._of[concept][number] = distance

    def path(self, goal: int, concept: str) -> list[str]:
        """Concepts from ``concept`` to the nearest one measured for ``goal`` (both included)."""
        path = [concept]
        following = self.next[goal]
        while following[path[-1]] is not None:
            path.append(following[path[-1]])  # type: ignore[arg-type]
        return path

    def distances(self, concept: str) -> dict[int, int]:
        """Per goal reached from ``concept``, the number of claims to a concept measured for it (do not change)."""
        return self._of.get(concept, {})

    def claim_path(self, goal: int, cause: str, effect: str) -> tuple[list[str], list[str]]:
        """The path of codes from the claim ``cause -> effect`` to ``goal``, and the indicators at its end."""
        path = [cause, *self.path(goal, effect)]
        return path, self.ends[goal][path[-1]]

    def of_concept(self, concept: str) -> dict[int, tuple[int, list[str], list[str]]]:
        """Per goal reached from ``concept``: (distance, path of codes, the indicators at its end)."""
        found = {}
        for number, distance in self._of.get(concept, {}).items():
            path = self.path(number, concept)
            found[number] = (distance, path, self.ends[number][path[-1]])
        return found


def _with_goals(row: dict[str, Any], distances: dict[int, int],
                path_of: Callable[[int], tuple[list[str], list[str]]], goal: int | None) -> dict[str, Any]:
    """Add ``goals`` (all reached), and ``goal``, ``goal_distance``, ``goal_path``, ``goal_indicators`` for the
    nearest one (or for ``goal``); ``path_of`` gives the path and its indicators for one goal, made only for
    the goal shown."""
    row["goals"] = sorted(distances)
    chosen = goal if goal in distances else None
    if chosen is None and goal is None and distances:
        chosen = min(distances, key=lambda number: (distances[number], number))
    path, indicators = path_of(chosen) if chosen is not None else ([], [])
    row.update(goal=chosen, goal_distance=distances.get(chosen), goal_path=path, goal_indicators=indicators)
    return row


def _with_found_goals(row: dict[str, Any], reached: dict[int, tuple[int, list[str], list[str]]],
                      goal: int | None) -> dict[str, Any]:
    """:func:`_with_goals` for paths already made: (distance, path, indicators) per goal."""
    return _with_goals(row, {number: found[0] for number, found in reached.items()},
                       lambda number: reached[number][1:], goal)


def _logic_rows(graph: Facts, reach: GoalReach, lang: str, kind: str, goal: int | None) -> list[dict[str, Any]]:
    """Rows for the steps and/or mechanisms of every intervention, in the order of their schemes."""
    measured = _measured(graph)
    interventions = {d["key"]: d for d in graph.of_kind("Intervention")}
    if not interventions:
        return []
    text = "text_en" if lang == "en" else "text_nl"
    label = "label_en" if lang == "en" else "label_nl"
    steps = {d["id"]: d for d in graph.of_kind("Step")}
    step_reach = _step_reach(graph, reach, steps)
    rows: list[dict[str, Any]] = []
    if kind in ("all", "steps"):
        monitored: dict[str, list[str]] = defaultdict(list)
        for edge in graph.edges_of("MONITORS"):
            monitored[edge["target"]].append(_key(edge["source"]))
        for d in sorted(steps.values(), key=lambda d: (d["intervention"], d["order"], d["line"], d["id"])):
            direct = sorted(monitored.get(d["id"], ()))
            via = sorted({ind for code in d["concepts"] for ind in measured.get(code, ())})
            row = {"kind": "step", "id": d["id"], "intervention": d["intervention"],
                   "intervention_label": interventions[d["intervention"]][label], "step": d["key"],
                   "stage": d["stage"], "text": d[text], "measure": d["measure"],
                   "coverage": "measurable" if direct or via else "unmeasured", "indicators": direct,
                   "concept_indicators": via, "concepts": d["concepts"], "aims_at": d["goals"],
                   "file": d["path"], "line": d["line"]}
            rows.append(_with_found_goals(row, step_reach[d["id"]], goal))
    if kind in ("all", "mechanisms"):
        mechanisms = sorted(graph.of_kind("Mechanism"), key=lambda d: (
            d["intervention"], steps[s.step_id(d["intervention"], d["from_step"])]["order"],
            steps[s.step_id(d["intervention"], d["to_step"])]["order"], d["line"], d["id"]))
        for d in mechanisms:
            via = measured.get(d["concept"], []) if d["concept"] else []
            reached = dict(reach.of_concept(d["concept"])) if d["concept"] else {}
            reached = {g: (dist, ["concept:" + c for c in path], inds) for g, (dist, path, inds) in reached.items()}
            for number, candidate in step_reach[s.step_id(d["intervention"], d["to_step"])].items():
                if number not in reached or candidate[0] < reached[number][0]:
                    reached[number] = candidate
            reached = {g: (dist, [d["id"], *path], inds) for g, (dist, path, inds) in reached.items()}
            row = {"kind": "mechanism", "id": d["id"], "intervention": d["intervention"],
                   "intervention_label": interventions[d["intervention"]][label], "mechanism": d["key"],
                   "arrow": f"{d['from_step']} -> {d['to_step']}", "from_step": d["from_step"],
                   "to_step": d["to_step"], "text": d[text], "concept": d["concept"],
                   "coverage": "measurable" if via else "unmeasured", "concept_indicators": via,
                   "file": d["path"], "line": d["line"]}
            rows.append(_with_found_goals(row, reached, goal))
    return rows


def _step_reach(graph: Facts, reach: GoalReach, steps: dict[str, dict[str, Any]]
                ) -> dict[str, dict[int, tuple[int, list[str], list[str]]]]:
    """Per step id and goal: (distance, path of node ids, indicators at its end), the shortest found.

    Arrows only go to later stages, so taking the steps from the last stage back gives every step's
    successors before the step itself.
    """
    following: dict[str, list[str]] = defaultdict(list)
    for edge in graph.edges_of("LEADS_TO"):
        following[edge["source"]].append(edge["target"])
    monitors: dict[str, list[str]] = defaultdict(list)
    for edge in graph.edges_of("MONITORS"):
        monitors[edge["target"]].append(edge["source"])
    found: dict[str, dict[int, tuple[int, list[str], list[str]]]] = {}
    for d in sorted(steps.values(), key=lambda d: (-d["order"], d["id"])):
        ident = d["id"]
        best: dict[int, tuple[int, list[str], list[str]]] = {}

        def offer(number: int, distance: int, path: list[str], indicators: list[str],
                  best: dict[int, tuple[int, list[str], list[str]]] = best) -> None:
            if number not in best or distance < best[number][0]:
                best[number] = (distance, path, indicators)

        for indicator in sorted(monitors.get(ident, ())):
            for number in reach.goals_of.get(indicator, ()):
                offer(number, 0, [ident], [_key(indicator)])
        for number in d["goals"]:
            offer(number, 0, [ident], [])
        for code in d["concepts"]:
            for number, (distance, path, indicators) in sorted(reach.of_concept(code).items()):
                offer(number, distance, [ident, *("concept:" + c for c in path)], indicators)
        for target in sorted(following.get(ident, ())):
            for number, (distance, path, indicators) in sorted(found[target].items()):
                offer(number, distance + 1, [ident, *path], indicators)
        found[ident] = best
    return found


def _check_concept(graph: Asked, code: str) -> None:
    if s.concept_id(code) in graph:
        return
    codes = [d["code"] for d in graph.of_kind("Concept")]
    close = difflib.get_close_matches(code, codes, n=3)
    hint = f"did you mean {', '.join(close)}?" if close else "'verlicht query concepts' lists the concepts"
    raise QueryError(f"unknown concept '{code}'", None, hint)


def assumptions(
    graph: Asked,
    group: str | None = None,
    concept: str | None = None,
    min_support: int = 1,
    polarity: str | None = None,
    coverage: str | None = None,
    lang: str = "nl",
) -> list[dict[str, Any]]:
    """Assumptions filtered by holder group, concept (either end), minimum support, polarity, coverage."""
    graph = facts_of(graph)
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


def paths(graph: Asked, source: str, target: str, max_length: int = 4,
          limit: int | None = None) -> list[dict[str, Any]]:
    """Causal chains from one concept to another through held assumptions, with the chain's polarity.

    A chain's polarity is the product of its steps' (``+``·``-`` = ``-``); one unsigned step makes it ``?``.
    Rows come shortest first, then strongest (``min_support``), then by their steps. With ``limit``, at most
    ``limit + 1`` rows come back — the first ones of that order, the extra one saying that more exist — and
    longer chains are not even enumerated once enough shorter ones are found: in a dense graph the chains of
    four steps run into the millions.
    """
    graph = facts_of(graph)
    _check_concept(graph, source)
    _check_concept(graph, target)
    if max_length < 1:
        raise QueryError("--max-length must be at least 1", None, "try 4")
    import networkx as nx

    steps: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    causal = nx.DiGraph()
    claims = graph.claims
    for ident, cause, effect, polarity, support in zip(claims.ids, claims.causes, claims.effects,
                                                       claims.polarities, claims.supports, strict=True):
        steps[(cause, effect)].append({"polarity": polarity, "support": support, "id": ident})
        causal.add_edge(cause, effect)
    if source not in causal or target not in causal:
        return []
    for choices in steps.values():
        choices.sort(key=lambda x: x["polarity"])

    def rows_of_length(length: int) -> Iterator[dict[str, Any]]:
        for concepts in nx.all_simple_paths(causal, source, target, cutoff=length):
            if len(concepts) != length + 1:
                continue
            pairs = list(itertools.pairwise(concepts))
            for choice in itertools.product(*(steps[p] for p in pairs)):
                yield {
                    "path": concepts,
                    "length": length,
                    "polarity": chain_polarity(c["polarity"] for c in choice),
                    "steps": [f"{a}-[{c['polarity']}]->{b}" for (a, b), c in zip(pairs, choice, strict=True)],
                    "min_support": min(c["support"] for c in choice),
                    "assumptions": [c["id"] for c in choice],
                }

    def order(row: dict[str, Any]) -> tuple[int, list[str]]:
        return -row["min_support"], row["steps"]

    rows: list[dict[str, Any]] = []
    for length in range(1, max_length + 1):
        if limit is None:
            rows.extend(sorted(rows_of_length(length), key=order))
            continue
        rows.extend(heapq.nsmallest(limit + 1 - len(rows), rows_of_length(length), key=order))
        if len(rows) > limit:
            break
    return rows


def chain_polarity(polarities: Iterable[str]) -> str:
    sign = 1
    for p in polarities:
        if p == "?":
            return "?"
        if p == "-":
            sign = -sign
    return "+" if sign > 0 else "-"


def concepts(graph: Asked, lang: str = "nl") -> list[dict[str, Any]]:
    """Every concept with its type, label, uses and how many assumptions involve it."""
    graph = facts_of(graph)
    degree = _centrality(graph)
    measured = _measured(graph)
    return [
        {"code": d["code"], "type": d["type"], "label": d.get(f"label_{lang}"), "theme": d.get("theme"),
         "in_codebook": d["in_codebook"], "uses": d.get("uses", 0), "assumptions": degree[d["code"]],
         "measured_by": measured.get(d["code"], [])}
        for d in graph.of_kind("Concept")
    ]


def stats(graph: Asked) -> list[dict[str, Any]]:
    """Counts of what the graph holds, coverage of assumptions, and respondents per group."""
    graph = facts_of(graph)
    rows = [{"metric": k, "value": v} for k, v in graph.header.get("counts", {}).items()]
    measured, tested = _measured(graph), _tested(graph)
    coverage: dict[str, int] = dict.fromkeys(COVERAGES, 0)
    claims = graph.claims
    for ident, cause, effect in zip(claims.ids, claims.causes, claims.effects, strict=True):
        coverage[_coverage(ident, cause, effect, tested, measured)] += 1
    rows += [{"metric": f"assumptions_{k}", "value": v} for k, v in coverage.items()]
    groups: dict[str, int] = defaultdict(int)
    for d in graph.of_kind("Respondent"):
        groups[d["group"]] += 1
    rows += [{"metric": f"respondents_{g}", "value": groups[g]} for g in sorted(groups)]
    unknown = sum(1 for d in graph.of_kind("Concept") if not d["in_codebook"])
    rows.append({"metric": "concepts_not_in_codebook", "value": unknown})
    return rows
