"""The graph page: a view of the theory of change as one self-contained, offline HTML file.

The nodes and edges are made with pyvis (its ``Network`` gives vis-network's data and options), the page
with our own Jinja2 template: pyvis's template loads Bootstrap from a CDN whatever ``cdn_resources`` says.
vis-network's script and style come from pyvis's package data and are put inline, so the page needs no
network and can be mailed or opened from a USB stick. Colours are the Okabe–Ito palette (safe for the
common kinds of colour blindness), and every colour has a second cue: node types have their own shape,
coverage its own dash pattern. The same build gives the same bytes.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import orjson
import pyvis
from pyvis.edge import Edge
from pyvis.network import Network

from verlicht.fsio import atomic_write_text
from verlicht.graph.store import Graph, Provenance
from verlicht.viz import layout
from verlicht.viz.views import Scene, SceneBuilder, ViewSpec

VIS_VERSION = "9.1.2"  # the vis-network release pyvis 0.3.2 ships
PHYSICS_MAX = 120  # nodes: up to this many, a short force simulation tidies the precomputed layout
DEFAULT_CAP = 250  # concepts drawn at first on a bigger page: the best supported (search and filters reach all)
EDGE_CAP = 400  # likewise links: 150 concepts with 2,000 claims between them are a hairball, not a picture
EDGE_LABELS_MAX = 150  # relation types are written on the edges only on pages with fewer edges than this
MIN_LABELLED = 4  # clusters smaller than this get no label of their own (the labels of tiny ones overlap)
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "viz"

# Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {"orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
             "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000", "grey": "#7A7A7A"}
NODE_STYLE = {  # type -> (colour, shape); a shape per type, so colour is never the only cue
    "actor": (OKABE_ITO["orange"], "diamond"),
    "factor": (OKABE_ITO["sky"], "dot"),
    "mechanism": (OKABE_ITO["green"], "triangle"),
    "intervention": (OKABE_ITO["purple"], "square"),
    "outcome": (OKABE_ITO["blue"], "star"),
    "context": (OKABE_ITO["yellow"], "dot"),
    "goal": (OKABE_ITO["black"], "box"),
    "step_middelen": (OKABE_ITO["orange"], "box"),
    "step_activiteiten": (OKABE_ITO["sky"], "box"),
    "step_prestaties": (OKABE_ITO["green"], "box"),
    "step_effecten": (OKABE_ITO["blue"], "box"),
    "mechanism_step": (OKABE_ITO["purple"], "ellipse"),
}
EDGE_COLOUR = {"+": OKABE_ITO["blue"], "-": OKABE_ITO["vermillion"], "?": OKABE_ITO["grey"],
               "relation": OKABE_ITO["purple"], "link": "#B0B0B0"}
DASHES = {"unmeasured": [10, 7], "partial": [3, 5]}
LIGHT_TEXT = {"goal", "step_effecten", "mechanism_step", "intervention", "outcome"}

STRINGS = {
    "nl": {
        "lang": "nl", "search": "Zoeken", "search_hint": "begrip, code of woord", "theme": "Thema",
        "group": "Groep", "coverage": "Dekking", "polarity": "Richting", "min_support": "Min. steun",
        "all": "alle", "show_all": "Alles tonen", "reset": "Wis filters", "legend": "Legenda",
        "node_types": "Soorten knopen", "edges": "Verbanden", "shown": "getoond", "of": "van",
        "concepts": "begrippen", "links": "verbanden", "click_hint": "Klik op een begrip of een verband.",
        "capped": ("Eerst de begrippen en verbanden met de meeste steun; zoek, filter of kies 'Alles tonen' "
                   "voor de rest."),
        "support": "Steun", "respondents": "respondenten", "holders": "Wie zegt dit", "quotes": "Citaten",
        "more_quotes": "nog {n}: verlicht query evidence '{claim}'", "indicators": "Indicatoren",
        "cause_measured": "Oorzaak gemeten door", "effect_measured": "Gevolg gemeten door",
        "tested_by": "Getoetst door",
        "none": "geen", "goals": "Doelen in bereik", "distance": "stappen", "findings": "Literatuur",
        "contested": "Omstreden: ook met tegengestelde richting genoemd", "type": "Soort",
        "description": "Omschrijving",
        "measure": "Meetbaar aan", "concept": "Begrip", "concepts_h": "Begrippen", "goals_cluster": "Programmadoelen",
        "stage": "Fase", "source": "Bron", "goal": "Doel",
        "via": "via", "relation": "relatie", "tracks": "volgt doel",
        "types": {"actor": "actor", "factor": "factor", "mechanism": "mechanisme", "intervention": "interventie",
                  "outcome": "uitkomst", "context": "context", "goal": "doel", "step_middelen": "middelen",
                  "step_activiteiten": "activiteiten", "step_prestaties": "prestaties", "step_effecten": "effecten",
                  "mechanism_step": "mechanisme (logisch model)"},
        "polarities": {"+": "versterkt (+)", "-": "verzwakt (−)", "?": "onbepaald (?)", "relation": "relatie",
                       "link": "indicator volgt doel"},
        "coverages": {"tested": "getoetst", "measurable": "meetbaar", "partial": "deels gemeten",
                      "unmeasured": "niet gemeten"},
        "groups": {"bewoner": "bewoners", "professional": "professionals", "bestuurder": "bestuurders",
                   "onbekend": "onbekend"},
        "relations": {"supports": "ondersteunt", "contradicts": "spreekt tegen", "mixed": "gemengd"},
    },
    "en": {
        "lang": "en", "search": "Search", "search_hint": "concept, code or word", "theme": "Theme",
        "group": "Group", "coverage": "Coverage", "polarity": "Polarity", "min_support": "Min. support",
        "all": "all", "show_all": "Show all", "reset": "Clear filters", "legend": "Legend",
        "node_types": "Node types", "edges": "Links", "shown": "shown", "of": "of",
        "concepts": "concepts", "links": "links", "click_hint": "Click a concept or a link.",
        "capped": "The best supported concepts and links first; search, filter or tick 'Show all' for the rest.",
        "support": "Support", "respondents": "respondents", "holders": "Who says this", "quotes": "Quotes",
        "more_quotes": "{n} more: verlicht query evidence '{claim}'", "indicators": "Indicators",
        "cause_measured": "Cause measured by", "effect_measured": "Effect measured by", "tested_by": "Tested by",
        "none": "none", "goals": "Goals in reach", "distance": "steps", "findings": "Literature",
        "contested": "Contested: also voiced with the opposite polarity", "type": "Type", "description": "Description",
        "measure": "Measured by", "concept": "Concept", "concepts_h": "Concepts", "goals_cluster": "Programme goals",
        "stage": "Stage", "source": "Source", "goal": "Goal",
        "via": "via", "relation": "relation", "tracks": "tracks goal",
        "types": {"actor": "actor", "factor": "factor", "mechanism": "mechanism", "intervention": "intervention",
                  "outcome": "outcome", "context": "context", "goal": "goal", "step_middelen": "inputs",
                  "step_activiteiten": "activities", "step_prestaties": "outputs", "step_effecten": "outcomes",
                  "mechanism_step": "mechanism (logic model)"},
        "polarities": {"+": "strengthens (+)", "-": "weakens (−)", "?": "unsigned (?)", "relation": "relation",
                       "link": "indicator tracks goal"},
        "coverages": {"tested": "tested", "measurable": "measurable", "partial": "partly measured",
                      "unmeasured": "unmeasured"},
        "groups": {"bewoner": "residents", "professional": "professionals", "bestuurder": "administrators",
                   "onbekend": "unknown"},
        "relations": {"supports": "supports", "contradicts": "contradicts", "mixed": "mixed"},
    },
}


@dataclass
class GraphPage:
    """A rendered graph page. In Jupyter it shows inline (``_repr_html_``); ``summary`` is the command's row."""

    html: str
    summary: dict[str, Any]
    path: Path | None = None

    def write(self, path: Path) -> GraphPage:
        """Write the page atomically; the summary then names the file."""
        atomic_write_text(path, self.html)
        self.path = path
        self.summary["file"] = str(path)
        self.summary["bytes"] = len(self.html.encode("utf-8"))
        return self

    def _repr_html_(self) -> str:
        # An iframe keeps the page's script and style apart from the notebook's own.
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" style="width:100%;height:720px;'
                'border:1px solid #ccc" sandbox="allow-scripts"></iframe>')


def _node_size(support: int, most: int) -> float:
    """10 to 40 pixels by the square root of support, relative to the best supported node of the page."""
    return round(10 + 30 * math.sqrt(support / most), 1) if most else 10.0


def _edge_width(support: int, most: int) -> float:
    """1 to 9 pixels by the square root of support, relative to the best supported link of the page."""
    return round(1 + 8 * math.sqrt(support / most), 1) if most else 1.0


def _tooltip(item: dict[str, Any], strings: dict[str, Any]) -> str:
    """Plain-text hover line (vis shows a string title as text, never as HTML)."""
    d = item["details"]
    if item.get("kind") in ("assumption", "relation"):
        what = strings["polarities"].get(item["polarity"], item["polarity"])
        text = f"{d['cause']} → {d['effect']} · {what} · {strings['support']} {d['support']}"
        if item["coverage"]:
            text += f" · {strings['coverages'][item['coverage']]}"
        return text
    if d["kind"] == "concept":
        return f"{d['label']} ({strings['types'].get(d['type'], d['type'])}) · {strings['support']} {d['support']}"
    return d.get("label") or d.get("kind", "")


def network_of(scene: Scene, strings: dict[str, Any]) -> tuple[Network, dict[str, Any]]:
    """The scene as a pyvis Network with positions, and the page's extra data (details, clusters, settings)."""
    count = len(scene.nodes)
    if scene.layered:
        positions, cluster_info = layout.layered(scene), {}
    else:
        positions, cluster_info = layout.clustered(scene)
    physics = count <= PHYSICS_MAX and not scene.layered
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading=scene.title)
    details: dict[str, Any] = {}
    most_node = max((n["support"] for n in scene.nodes.values()), default=0)
    most_edge = max((e["support"] for e in scene.edges), default=0)
    for ident in sorted(scene.nodes):
        node = scene.nodes[ident]
        colour, shape = NODE_STYLE.get(node["type"], (OKABE_ITO["sky"], "dot"))
        x, y = positions[ident]
        # Only what differs from the defaults in net.options is set per item: every key costs vis-network a
        # merge per node when it draws (seconds, at 5,000 nodes and 10,000 edges).
        extra: dict[str, Any] = {}
        if shape in ("box", "ellipse"):
            extra["widthConstraint"] = {"maximum": 150}
            if node["type"] in LIGHT_TEXT:
                extra["font"] = {"color": "#ffffff"}
        if node.get("anchor"):
            extra["anchor"] = True
        if node.get("code"):
            extra["code"] = node["code"]
        net.add_node(ident, label=node["label"], shape=shape,
                     color={"background": colour, "highlight": {"background": colour, "border": "#000000"},
                            "hover": {"background": colour, "border": "#000000"}},
                     size=_node_size(node["support"], most_node), x=x, y=y, title=_tooltip(node, strings),
                     vtype=node["type"], vkind=node["kind"], theme=node["theme"], support=node["support"], **extra)
        details[ident] = node["details"]
    pairs: dict[frozenset[str], int] = {}
    for edge in scene.edges:
        pairs[frozenset((edge["from"], edge["to"]))] = pairs.get(frozenset((edge["from"], edge["to"])), 0) + 1
    seen: dict[frozenset[str], int] = {}
    for edge in scene.edges:
        pair = frozenset((edge["from"], edge["to"]))
        k = seen[pair] = seen.get(pair, 0) + 1
        options: dict[str, Any] = {
            # Selected and hovered edges keep their colour (polarity) and only grow wider.
            "color": {"color": EDGE_COLOUR[edge["polarity"]], "highlight": EDGE_COLOUR[edge["polarity"]],
                      "hover": EDGE_COLOUR[edge["polarity"]]},
            "vkind": edge["kind"], "polarity": edge["polarity"], "coverage": edge["coverage"],
            "support": edge["support"], "groups": edge["groups"],
        }
        if edge["kind"] != "link":
            options["width"] = _edge_width(edge["support"], most_edge)
        if edge["coverage"] in DASHES:
            options["dashes"] = DASHES[edge["coverage"]]
        if pairs[pair] > 1:  # parallel edges (a contested claim: + and −) curve apart
            options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.12 * k, 2)}
        if edge["contested"]:
            options["contested"] = True
        if edge["kind"] != "link":
            options["title"] = _tooltip(edge, strings)
        if edge.get("label") and len(scene.edges) < EDGE_LABELS_MAX:
            options["label"] = edge["label"]
            options["font"] = {"size": 11, "color": "#555555", "strokeWidth": 3, "align": "middle"}
        # pyvis's add_edge checks both ends with a scan of its node list (O(nodes) per edge: seconds for 10k
        # edges); the ends are known to exist here, so the edge is made with pyvis's Edge class directly.
        # The arrow heads are set once for all edges in net.options, hence directed=False here.
        net.edges.append(Edge(edge["from"], edge["to"], directed=False, id=edge["id"], **options).options)
        details[edge["id"]] = edge["details"]
    net.options = {
        "autoResize": True,
        "nodes": {"borderWidth": 1, "borderWidthSelected": 4, "color": {"border": "#1a1a1a"}, "shape": "dot",
                  "font": {"color": "#1a1a1a", "size": 16 if scene.layered else 18},
                  "scaling": {"label": {"enabled": False}}, "shapeProperties": {"interpolation": False}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}, "selectionWidth": 3, "width": 1,
                  "color": {"opacity": 0.85},
                  "hoverWidth": 1.5, "smooth": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": count > PHYSICS_MAX,
                        "navigationButtons": False, "keyboard": {"enabled": True, "bindToWindow": False}},
        "physics": ({"enabled": True, "solver": "barnesHut",
                     "barnesHut": {"gravitationalConstant": -9000, "springLength": 190, "avoidOverlap": 0.6},
                     "stabilization": {"enabled": True, "iterations": 200, "fit": True}}
                    if physics else {"enabled": False}),
        "layout": {"improvedLayout": False, "randomSeed": layout.SEED},
    }
    clusters = [{"name": name, "label": strings["goals_cluster"] if name == layout.GOALS
                 else _cluster_label(name, info, scene), "x": info["x"], "y": info["top"], "size": info["size"]}
                for name, info in cluster_info.items() if info["size"] >= MIN_LABELLED]
    extra = {"details": details, "physics": physics,
             "clusters": clusters if not physics and len(clusters) > 1 else []}
    return net, extra


def _cluster_label(name: str, info: dict[str, Any], scene: Scene) -> str:
    theme = name.split("#", 1)[0]
    if theme and "#" not in name:
        return scene.themes.get(theme, theme)
    members = [scene.nodes[m] for m in info["members"]]
    top = max(members, key=lambda n: (n["support"], -len(n["label"]), n["id"]))
    prefix = scene.themes.get(theme, theme)
    return f"{prefix + ': ' if prefix else ''}{top['label']} +{len(members) - 1}" if len(members) > 1 else top["label"]


def _json_for_script(value: Any) -> str:
    """JSON that is safe inside a <script> element (no '</' can end it early)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode().replace("</", "<\\/")


def _vis_assets() -> tuple[str, str]:
    lib = Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    script = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    return script, (lib / "vis-network.css").read_text(encoding="utf-8")


def render_page(graph: Graph, provenance: Provenance, spec: ViewSpec, lang: str = "nl", max_quotes: int = 10,
                cap: int = DEFAULT_CAP, workspace: str = "") -> GraphPage:
    """The graph page of one view (see :mod:`verlicht.viz.views`), rendered but not written."""
    builder = SceneBuilder(graph, provenance, lang=lang, max_quotes=max_quotes)
    builder.check(spec)
    spec = builder.normalise(spec)
    scene = builder.build(spec)
    strings = STRINGS[lang]
    net, extra = network_of(scene, strings)
    nodes, edges, heading, _height, _width, options = net.get_network_data()
    script, style = _vis_assets()
    groups = sorted({g for e in scene.edges for g in e["groups"]})
    data = {
        "nodes": nodes, "edges": edges, "options": orjson.loads(options), **extra,
        "cap": cap if scene.total_concepts > cap else 0, "strings": strings,
        "edgeCap": EDGE_CAP if sum(1 for e in scene.edges if e["kind"] != "link") > EDGE_CAP else 0,
        "goalLabels": {str(n): builder.goal_label(n) for n in sorted(builder.goals)},
        "themes": scene.themes, "groups": groups,
        "polarities": sorted({e["polarity"] for e in scene.edges if e["kind"] != "link"}),
        "coverages": [c for c in ("tested", "measurable", "partial", "unmeasured")
                      if any(e["coverage"] == c for e in scene.edges if e["kind"] == "assumption")],
        "maxSupport": max((e["support"] for e in scene.edges), default=0),
    }
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             keep_trailing_newline=True)
    legend_types = sorted({n["type"] for n in scene.nodes.values()}, key=lambda t: list(NODE_STYLE).index(t)
                          if t in NODE_STYLE else 99)
    page = env.get_template("graph.html").render(
        title=heading, workspace=workspace, lang=lang, s=strings, data=jinja2.utils.markupsafe.Markup(
            _json_for_script(data)),
        vis_script=jinja2.utils.markupsafe.Markup(script), vis_style=jinja2.utils.markupsafe.Markup(style),
        page_script=jinja2.utils.markupsafe.Markup((TEMPLATES / "graph.js").read_text(encoding="utf-8")),
        page_style=jinja2.utils.markupsafe.Markup((TEMPLATES / "graph.css").read_text(encoding="utf-8")),
        legend_types=[(t, NODE_STYLE.get(t, (OKABE_ITO["sky"], "dot"))) for t in legend_types],
        legend_edges=[(p, EDGE_COLOUR[p]) for p in data["polarities"]],
        legend_coverages=data["coverages"], node_count=len(nodes), edge_count=len(edges),
    )
    summary = {"view": spec.slug() or "all", "title": heading, "nodes": len(nodes), "edges": len(edges),
               "concepts": scene.total_concepts, "physics": extra["physics"], "lang": lang,
               "file": None, "bytes": len(page.encode("utf-8"))}
    return GraphPage(html=page, summary=summary)
