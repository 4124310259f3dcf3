"""What a graph page shows: the built graph cut down to one view, as plain node and edge records.

The page works at concept level first: concepts are nodes and the assumptions (causal claims) between them
are edges, so a thousand interviews still make a graph of a few hundred nodes; respondents, quotes and
literature are details of an edge, shown on demand in the side panel. Views:

* the theory of change (default): every concept in a claim or relation, plus the goals its indicators track;
* ``focus`` + ``depth``: the concepts within ``depth`` claims of one concept;
* ``theme``, ``group``, ``gaps``: claims touching a theme, held by a group, or lacking indicators;
* ``goal``: the concepts from which a causal chain reaches a goal, laid out by distance to it;
* ``actors``: the actor network (actors, their relations and the claims that involve them);
* ``intervention``: a logic model, Middelen → Activiteiten → Prestaties → Effecten with its mechanisms.

Every record is a plain dict; :mod:`verlicht.viz.graphpage` turns them into a pyvis network.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from verlicht.errors import QueryError
from verlicht.graph import queries
from verlicht.graph import schema as s
from verlicht.graph.store import Graph, Provenance

STAGES = ("middelen", "activiteiten", "prestaties", "effecten")
FINDING_EDGES = ("SUPPORTS", "CONTRADICTS", "MIXED")
NO_THEME = ""


@dataclass(frozen=True)
class ViewSpec:
    """The options of ``verlicht viz`` that choose what is drawn."""

    focus: str | None = None
    depth: int = 2
    theme: str | None = None
    group: str | None = None
    goal: int | None = None
    gaps: bool = False
    actors: bool = False
    intervention: str | None = None

    def slug(self) -> str:
        """A file-name part naming the view: '' for the whole theory of change, else e.g. 'focus-armoede-2'."""
        parts = []
        if self.intervention:
            parts.append(f"intervention-{self.intervention}")
        if self.actors:
            parts.append("actors")
        if self.goal is not None:
            parts.append(f"goal-{self.goal}")
        if self.focus:
            parts.append(f"focus-{self.focus}-{self.depth}")
        if self.theme:
            parts.append(f"theme-{self.theme}")
        if self.group:
            parts.append(f"group-{self.group}")
        if self.gaps:
            parts.append("gaps")
        return "-".join(parts)


@dataclass
class Scene:
    """The nodes and edges of one view, with what the page needs to filter and explain them."""

    title: str
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[dict[str, Any]] = field(default_factory=list)
    layered: bool = False  # nodes carry a ``layer`` (distance to a goal, stage of a logic model)
    themes: dict[str, str] = field(default_factory=dict)  # key -> label of the themes present
    total_concepts: int = 0


def _label(d: dict[str, Any], lang: str, default: str) -> str:
    return d.get(f"label_{lang}") or d.get("label_nl") or d.get("label") or default


def _close(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=3)
    return f"did you mean {', '.join(close)}?" if close else ""


class SceneBuilder:
    """Reads the graph once and assembles the records of a view."""

    def __init__(self, graph: Graph, provenance: Provenance, lang: str = "nl", max_quotes: int = 10):
        self.graph, self.provenance, self.lang, self.max_quotes = graph, provenance, lang, max_quotes
        self.concepts = {d["code"]: d for d in graph.of_kind("Concept")}
        self.goals = {d["number"]: d for d in graph.of_kind("Goal")}
        self.theme_labels = {d["key"]: _label(d, lang, d["key"]) for d in graph.of_kind("Theme")}
        self.rows = {r["id"]: r for r in queries.assumptions(graph, lang=lang)}
        self.reach = queries.GoalReach(graph)
        self.indicator_labels = {d["key"]: d.get("label") or d["key"] for d in graph.of_kind("Indicator")}
        self.measured: dict[str, list[str]] = defaultdict(list)
        for edge in graph.edges_of("MEASURES"):
            self.measured[edge["target"].split(":", 1)[1]].append(edge["source"].split(":", 1)[1])
        self.tracks: dict[str, list[int]] = defaultdict(list)  # indicator key -> goals
        for edge in graph.edges_of("TRACKS"):
            self.tracks[edge["source"].split(":", 1)[1]].append(graph.nodes[edge["target"]]["number"])
        self.relations = [e for e in graph.edges_of("RELATED")]
        self.groups_of = {d["id"]: d["group"] for d in graph.of_kind("Respondent")}
        self.cases_of = {d["id"]: d["case"] for d in graph.of_kind("Respondent")}
        self.findings = self._findings()

    # -- checks ------------------------------------------------------------------------------------
    def check(self, spec: ViewSpec) -> None:
        """Raise a QueryError naming the option when the view asks for something the graph lacks."""
        if spec.focus is not None and spec.focus not in self.concepts:
            raise QueryError(f"unknown concept '{spec.focus}'", None,
                             _close(spec.focus, sorted(self.concepts)) or "'verlicht query concepts' lists them")
        if spec.depth < 0:
            raise QueryError("--depth must be 0 or more", None, "try --depth 2")
        if spec.theme is not None and spec.theme not in self.theme_labels:
            by_label = {v.casefold(): k for k, v in self.theme_labels.items()}
            if spec.theme.casefold() not in by_label:
                raise QueryError(f"unknown theme '{spec.theme}'", None,
                                 f"use one of: {', '.join(sorted(self.theme_labels)) or '(no themes in the graph)'}")
        if spec.group is not None:
            normal = s.normalise_group(spec.group)
            if normal is None or normal == s.INTERVIEWER:
                raise QueryError(f"unknown group '{spec.group}'", None, f"use one of: {', '.join(s.GROUPS)}")
        if spec.goal is not None and spec.goal not in self.goals:
            numbers = sorted(self.goals)
            hint = f"the goals are numbered {numbers[0]}–{numbers[-1]}" if numbers else "the graph has no goals"
            raise QueryError(f"unknown goal {spec.goal}", None, hint)
        if spec.intervention is not None:
            keys = sorted(d["key"] for d in self.graph.of_kind("Intervention"))
            if spec.intervention not in keys:
                hint = _close(spec.intervention, keys) or f"the interventions are: {', '.join(keys) or '(none)'}"
                raise QueryError(f"unknown intervention '{spec.intervention}'", None, hint)
            if spec.focus or spec.theme or spec.group or spec.goal is not None or spec.gaps or spec.actors:
                raise QueryError("--intervention draws one logic model and takes no other view option", None,
                                 "drop the other view options, or draw them on a page of their own")

    def normalise(self, spec: ViewSpec) -> ViewSpec:
        """The spec with the theme as its key and the group in its canonical spelling (after :meth:`check`)."""
        return replace(spec, theme=self.theme_key(spec.theme) if spec.theme else None,
                       group=s.normalise_group(spec.group) if spec.group else None)

    def theme_key(self, theme: str) -> str:
        if theme in self.theme_labels:
            return theme
        return {v.casefold(): k for k, v in self.theme_labels.items()}[theme.casefold()]

    # -- details -------------------------------------------------------------------------------------
    def _findings(self) -> dict[str, list[dict[str, Any]]]:
        """Literature findings per assumption or concept id, when a review part put them in the graph.

        Reads ``Finding -SUPPORTS|CONTRADICTS|MIXED-> Assumption|Concept``, ``Study -REPORTS-> Finding`` and
        ``Review -INCLUDES-> Study``, taking the first text field a record has; a graph without reviews simply
        has none.
        """
        nodes = self.graph.nodes
        study_of = {e["target"]: e["source"] for e in self.graph.edges_of("REPORTS")}
        review_of = {e["target"]: e["source"] for e in self.graph.edges_of("INCLUDES")}

        def text(record: dict[str, Any], *keys: str) -> str:
            for key in keys:
                if record.get(key):
                    return str(record[key])
            return ""

        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for kind in FINDING_EDGES:
            for edge in self.graph.edges_of(kind):
                finding = nodes.get(edge["source"], {})
                study_id = study_of.get(edge["source"], "")
                study = nodes.get(study_id, {})
                review = nodes.get(review_of.get(study_id, ""), {})
                found[edge["target"]].append({
                    "relation": kind.lower(),
                    "text": text(finding, f"text_{self.lang}", "text", "statement", "summary", "description",
                                 f"label_{self.lang}", "label") or edge["source"],
                    "study": text(study, "citation", "title", "label", "doi"),
                    "review": text(finding, "review") or text(review, f"label_{self.lang}", "title", "label", "key"),
                })
        return {k: sorted(v, key=lambda f: (f["relation"], f["study"], f["text"])) for k, v in found.items()}

    def concept_label(self, code: str) -> str:
        d = self.concepts.get(code)
        return _label(d, self.lang, code) if d else code

    def goal_label(self, number: int) -> str:
        d = self.goals[number]
        return f"{number}. {d.get(f'short_{self.lang}') or d.get('short_nl') or _label(d, self.lang, str(number))}"

    def quotes(self, key: str) -> tuple[list[dict[str, Any]], int]:
        """The first ``max_quotes`` quotes behind an assumption or relation, and how many there are in all."""
        rows = self.provenance.evidence(key)
        quotes = []
        for path, _line, uid, respondent in rows[: self.max_quotes]:
            utterance = self.provenance.utterance(path, uid)
            quotes.append({"source": path, "line": utterance["line"], "respondent": self.cases_of.get(respondent, ""),
                           "group": self.groups_of.get(respondent, ""), "text": utterance["text"]})
        return quotes, len(rows)

    def goal_reach(self, code: str) -> dict[str, Any]:
        """The goals a concept reaches as ``[number, distance]`` (nearest first), and the path to the nearest.

        Only the nearest path is kept: on a big workspace every concept reaches most goals, and twelve paths
        per concept made the page ten times bigger than everything else in it.
        """
        reached = sorted(((number, distance) for number, distance in self.reach.distances(code).items()),
                         key=lambda nd: (nd[1], nd[0]))
        if not reached:
            return {"goals": [], "goal": None, "path": [], "indicators": []}
        nearest = reached[0][0]
        path = self.reach.path(nearest, code)
        return {"goals": [list(nd) for nd in reached], "goal": nearest,
                "path": [self.concept_label(c) for c in path], "indicators": self.reach.ends[nearest][path[-1]]}

    def concept_node(self, code: str, support: int = 0) -> dict[str, Any]:
        d = self.concepts.get(code, {"code": code, "type": "factor"})
        theme = d.get("theme") or NO_THEME
        return {
            "id": s.concept_id(code), "kind": "concept", "type": d.get("type") or "factor",
            "label": self.concept_label(code), "code": code, "theme": theme, "support": support,
            "details": {
                "kind": "concept", "code": code, "label": self.concept_label(code), "type": d.get("type") or "factor",
                "theme": self.theme_labels.get(theme, theme), "description": d.get("description") or "",
                "support": support,
                "indicators": [f"{k} ({self.indicator_labels.get(k, k)})" for k in sorted(self.measured.get(code, []))],
                "goals": self.goal_reach(code),
                "findings": self.findings.get(s.concept_id(code), []),
            },
        }

    def assumption_edge(self, row: dict[str, Any]) -> dict[str, Any]:
        quotes, total = self.quotes(row["id"])
        groups = [g for g, cases in row["holders"].items() if cases]
        return {
            "id": row["id"], "from": s.concept_id(row["cause"]), "to": s.concept_id(row["effect"]),
            "kind": "assumption", "polarity": row["polarity"], "coverage": row["coverage"],
            "support": row["support"], "groups": groups, "contested": row["contested"],
            "details": {
                "kind": "assumption", "cause": row["cause_label"], "effect": row["effect_label"],
                "claim": f"{row['cause']}->{row['effect']}", "polarity": row["polarity"],
                "coverage": row["coverage"], "support": row["support"], "contested": row["contested"],
                "holders": {g: cases for g, cases in row["holders"].items() if cases},
                "cause_indicators": row["cause_measured_by"], "effect_indicators": row["effect_measured_by"],
                "tested_by": row["tested_by"],
                "effect_code": row["effect"],  # goals in reach: the effect's, one claim further (the page adds it)
                "quotes": quotes, "quotes_total": total,
                "findings": self.findings.get(row["id"], []),
            },
        }

    def relation_edges(self, edge: dict[str, Any]) -> list[dict[str, Any]]:
        out = []
        for type_, info in sorted(edge["types"].items()):
            key = s.relation_key(edge["source"], edge["target"], type_)
            quotes, total = self.quotes(key)
            rows = self.provenance.evidence(key)
            groups = sorted({self.groups_of.get(r[3], "") for r in rows} - {""})
            holders: dict[str, list[str]] = defaultdict(list)
            for r in rows:
                case = self.cases_of.get(r[3], "")
                if case not in holders[self.groups_of.get(r[3], "")]:
                    holders[self.groups_of.get(r[3], "")].append(case)
            cause, effect = edge["source"].split(":", 1)[1], edge["target"].split(":", 1)[1]
            out.append({
                "id": key, "from": edge["source"], "to": edge["target"], "kind": "relation", "polarity": "relation",
                "coverage": "", "support": info.get("support", 0), "groups": groups, "contested": False,
                "label": type_,
                "details": {
                    "kind": "relation", "cause": self.concept_label(cause), "effect": self.concept_label(effect),
                    "claim": f"{cause}->{effect}", "type": type_, "support": info.get("support", 0),
                    "holders": {g: sorted(c) for g, c in sorted(holders.items())},
                    "quotes": quotes, "quotes_total": total, "findings": [],
                },
            })
        return out

    # -- views ---------------------------------------------------------------------------------------
    def build(self, spec: ViewSpec) -> Scene:
        self.check(spec)
        if spec.intervention:
            return self.intervention(spec.intervention)
        rows = list(self.rows.values())
        relations = [(e["source"].split(":", 1)[1], e["target"].split(":", 1)[1], e) for e in self.relations]
        title = {"nl": "Veranderingstheorie", "en": "Theory of change"}[self.lang]
        if spec.actors:
            actors = {c for c, d in self.concepts.items() if d.get("type") == "actor"}
            rows = [r for r in rows if r["cause"] in actors or r["effect"] in actors]
            relations = [e for e in relations if e[0] in actors or e[1] in actors]
            title = {"nl": "Actorennetwerk", "en": "Actor network"}[self.lang]
        if spec.group:
            group = s.normalise_group(spec.group)
            rows = [r for r in rows if r["holders"].get(group)]
            relations = [e for e in relations if group in self._relation_groups(e)]
        if spec.gaps:
            rows = [r for r in rows if r["coverage"] in queries.GAP_COVERAGES]
            relations = []
        if spec.theme:
            key = self.theme_key(spec.theme)
            inside = {c for c, d in self.concepts.items() if d.get("theme") == key}
            rows = [r for r in rows if r["cause"] in inside or r["effect"] in inside]
            relations = [e for e in relations if e[0] in inside or e[1] in inside]
        if spec.focus:
            keep = self._around(spec.focus, spec.depth, rows, relations)
            rows = [r for r in rows if r["cause"] in keep and r["effect"] in keep]
            relations = [e for e in relations if e[0] in keep and e[1] in keep]
        distances: dict[str, int] = {}
        if spec.goal is not None:
            distances = {c: d for c in self.concepts if (d := self.reach.distances(c).get(spec.goal)) is not None}
            rows = [r for r in rows if r["cause"] in distances and r["effect"] in distances
                    and distances[r["cause"]] > distances[r["effect"]]]
            relations = []
        scene = Scene(title=self._title(title, spec), layered=spec.goal is not None)
        support: dict[str, set[str]] = defaultdict(set)
        for r in rows:
            for cases in r["holders"].values():
                support[r["cause"]].update(cases)
                support[r["effect"]].update(cases)
        codes = {c for r in rows for c in (r["cause"], r["effect"])} | {c for e in relations for c in e[:2]}
        if spec.focus:
            codes.add(spec.focus)
        if spec.goal is not None:
            codes |= {c for c, d in distances.items() if d == 0}
        for code in sorted(codes):
            node = self.concept_node(code, len(support.get(code, ())))
            node["anchor"] = code == spec.focus or (spec.goal is not None and distances.get(code) == 0)
            if spec.goal is not None:
                node["layer"] = -distances.get(code, 0)
            scene.nodes[node["id"]] = node
        scene.edges += [self.assumption_edge(r) for r in sorted(rows, key=lambda r: r["id"])]
        for _cause, _effect, edge in sorted(relations, key=lambda e: (e[0], e[1])):
            scene.edges += self.relation_edges(edge)
        self._add_goals(scene, {spec.goal} if spec.goal is not None else None)
        scene.themes = {k: self.theme_labels.get(k, k) for k in sorted({n["theme"] for n in scene.nodes.values()
                                                                         if n["kind"] == "concept" and n["theme"]})}
        scene.total_concepts = sum(1 for n in scene.nodes.values() if n["kind"] == "concept")
        return scene

    def _relation_groups(self, rel: tuple[str, str, dict[str, Any]]) -> set[str]:
        edge = rel[2]
        groups = set()
        for type_ in edge["types"]:
            for r in self.provenance.evidence(s.relation_key(edge["source"], edge["target"], type_)):
                groups.add(self.groups_of.get(r[3], ""))
        return groups

    def _around(self, focus: str, depth: int, rows: list[dict[str, Any]],
                relations: list[tuple[str, str, dict[str, Any]]]) -> set[str]:
        """Concepts within ``depth`` claims or relations of ``focus``, in either direction."""
        near: dict[str, set[str]] = defaultdict(set)
        for a, b in [(r["cause"], r["effect"]) for r in rows] + [(e[0], e[1]) for e in relations]:
            near[a].add(b)
            near[b].add(a)
        seen, frontier = {focus}, [focus]
        for _ in range(depth):
            frontier = sorted({n for f in frontier for n in near[f]} - seen)
            seen.update(frontier)
        return seen

    def _add_goals(self, scene: Scene, only: set[int] | None) -> None:
        """Goal nodes, each linked from the concepts in the scene whose indicators track it."""
        links: dict[tuple[str, int], list[str]] = defaultdict(list)
        for node in list(scene.nodes.values()):
            if node["kind"] != "concept":
                continue
            for indicator in self.measured.get(node["code"], []):
                for number in self.tracks.get(indicator, []):
                    if only is None or number in only:
                        links[(node["id"], number)].append(indicator)
        for (concept, number), indicators in sorted(links.items()):
            gid = s.goal_id(number)
            if gid not in scene.nodes:
                d = self.goals[number]
                scene.nodes[gid] = {
                    "id": gid, "kind": "goal", "type": "goal", "label": self.goal_label(number),
                    "theme": d.get("theme") or NO_THEME, "support": 0, "layer": 1,
                    "details": {"kind": "goal", "label": self.goal_label(number),
                                "text": _label(d, self.lang, str(number)),
                                "theme": self.theme_labels.get(d.get("theme") or "", "")},
                }
            scene.edges.append({
                "id": f"tracks:{concept}->{gid}", "from": concept, "to": gid, "kind": "link", "polarity": "link",
                "coverage": "", "support": 0, "groups": [], "contested": False,
                "details": {"kind": "tracks", "concept": scene.nodes[concept]["label"],
                            "goal": self.goal_label(number),
                            "indicators": [f"{k} ({self.indicator_labels.get(k, k)})" for k in sorted(indicators)]},
            })

    def _title(self, base: str, spec: ViewSpec) -> str:
        parts = [base]
        words = {"nl": ("rond", "thema", "groep", "doel", "zonder indicator"),
                 "en": ("around", "theme", "group", "goal", "lacking indicators")}[self.lang]
        if spec.focus:
            parts.append(f"{words[0]} {self.concept_label(spec.focus)} ({spec.depth})")
        if spec.theme:
            parts.append(f"{words[1]} {self.theme_labels[self.theme_key(spec.theme)]}")
        if spec.group:
            parts.append(f"{words[2]} {s.normalise_group(spec.group)}")
        if spec.goal is not None:
            parts.append(f"{words[3]} {self.goal_label(spec.goal)}")
        if spec.gaps:
            parts.append(words[4])
        return " · ".join(parts)

    def intervention(self, key: str) -> Scene:
        """A logic model: its steps in stage columns, arrows between them, a node per mechanism on its arrow."""
        lang = self.lang
        d = self.graph.nodes[s.intervention_id(key)]
        scene = Scene(title=_label(d, lang, key), layered=True)
        text = "text_en" if lang == "en" else "text_nl"
        steps = sorted((st for st in self.graph.of_kind("Step") if st["intervention"] == key),
                       key=lambda st: (st["order"], st["line"], st["id"]))
        monitors: dict[str, list[str]] = defaultdict(list)
        for edge in self.graph.edges_of("MONITORS"):
            monitors[edge["target"]].append(edge["source"].split(":", 1)[1])
        for st in steps:
            stage = STAGES.index(st["stage"]) if st["stage"] in STAGES else st["order"]
            via = sorted({i for c in st["concepts"] for i in self.measured.get(c, [])})
            direct = sorted(monitors.get(st["id"], []))
            scene.nodes[st["id"]] = {
                "id": st["id"], "kind": "step", "type": f"step_{st['stage']}", "label": st.get(text) or st["key"],
                "theme": NO_THEME, "support": 0, "layer": stage * 2, "anchor": True,
                "details": {"kind": "step", "label": st.get(text) or st["key"], "stage": st["stage"],
                            "measure": st.get("measure") or "", "indicators": direct, "concept_indicators": via,
                            "concepts": [self.concept_label(c) for c in st["concepts"]],
                            "coverage": "measurable" if direct or via else "unmeasured",
                            "goals": [self.goal_label(g) for g in st["goals"] if g in self.goals],
                            "source": f"{st['path']}:{st['line']}"},
            }
        for edge in self.graph.edges_of("LEADS_TO"):
            if edge["source"] not in scene.nodes:
                continue
            mechanisms = edge.get("mechanisms") or []
            if not mechanisms:
                scene.edges.append(self._link(edge["source"], edge["target"], "leads_to"))
            for mid in mechanisms:
                m = self.graph.nodes[mid]
                covered = bool(m["concept"] and self.measured.get(m["concept"]))
                layer = scene.nodes[edge["source"]]["layer"] + 1
                scene.nodes[mid] = {
                    "id": mid, "kind": "mechanism", "type": "mechanism_step", "label": m.get(text) or m["key"],
                    "theme": NO_THEME, "support": 0, "layer": layer, "anchor": True,
                    "details": {"kind": "mechanism", "label": m.get(text) or m["key"],
                                "concept": self.concept_label(m["concept"]) if m["concept"] else "",
                                "concept_indicators": self.measured.get(m["concept"], []) if m["concept"] else [],
                                "coverage": "measurable" if covered else "unmeasured",
                                "goals": self.goal_reach(m["concept"]) if m["concept"] else None,
                                "source": f"{m['path']}:{m['line']}"},
                }
                scene.edges.append(self._link(edge["source"], mid, "mechanism", dashed=not covered))
                scene.edges.append(self._link(mid, edge["target"], "mechanism", dashed=not covered))
        for st in steps:
            for number in st["goals"]:
                if number in self.goals:
                    gid = s.goal_id(number)
                    scene.nodes.setdefault(gid, {
                        "id": gid, "kind": "goal", "type": "goal", "label": self.goal_label(number), "theme": NO_THEME,
                        "support": 0, "layer": len(STAGES) * 2, "anchor": True,
                        "details": {"kind": "goal", "label": self.goal_label(number),
                                    "text": _label(self.goals[number], lang, str(number)), "theme": ""}})
                    scene.edges.append(self._link(st["id"], gid, "aims_at"))
        scene.edges.sort(key=lambda e: e["id"])
        return scene

    @staticmethod
    def _link(source: str, target: str, kind: str, dashed: bool = False) -> dict[str, Any]:
        return {"id": f"{kind}:{source}->{target}", "from": source, "to": target, "kind": "link",
                "polarity": "link", "coverage": "unmeasured" if dashed else "", "support": 0, "groups": [],
                "contested": False, "details": {"kind": kind}}
