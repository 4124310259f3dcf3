"""Node positions for a graph page, worked out in Python with networkx so the browser need not.

A force simulation of a few thousand nodes in the browser takes seconds and ends in an unreadable disc. Here
the concepts are first grouped into clusters — their theme, or for concepts without one (or a theme too big to
read) a Louvain community of the claims between them — each cluster is laid out on its own with a seeded
spring layout, and the clusters are packed in rows, so a theme is a region of the page. Layered views (a
causal chain to a goal, a logic model) use networkx's multipartite layout, one column per layer. The same
scene always gives the same positions.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from typing import Any

import networkx as nx

from verlicht.viz.views import Scene

SEED = 7
GOALS = "#goals"  # the cluster of the programme goals
MAX_CLUSTER = 300  # larger clusters are split into communities; a spring layout of more is slow and unreadable
SPACING = 90.0  # pixels per node, roughly: a cluster of n nodes gets a radius of SPACING * sqrt(n) / 2


def _round(value: float) -> float:
    return round(value, 1)


def layered(scene: Scene, column: float = 190.0, row: float = 110.0) -> dict[str, tuple[float, float]]:
    """One column per ``layer`` (left to right), nodes spread down each column ``row`` pixels apart.

    networkx's multipartite layout puts layers and the nodes within a layer one unit apart before it rescales
    the whole drawing, so dividing by that unit gives columns ``column`` and rows ``row`` pixels apart.
    """
    graph = nx.DiGraph()
    for ident in sorted(scene.nodes):
        graph.add_node(ident, layer=scene.nodes[ident].get("layer", 0))
    graph.add_edges_from((e["from"], e["to"]) for e in scene.edges)
    pos = nx.multipartite_layout(graph, subset_key="layer", align="vertical", scale=1.0)
    layers = sorted({n.get("layer", 0) for n in scene.nodes.values()})
    xs = sorted({round(float(x), 9) for x, _ in pos.values()})
    ys = sorted({round(float(y), 9) for _, y in pos.values()})
    steps = [b - a for a, b in itertools.pairwise(xs)] + [b - a for a, b in itertools.pairwise(ys)]
    unit = min((d for d in steps if d > 1e-9), default=1.0) if len(layers) > 1 or len(ys) > 1 else 1.0
    return {ident: (_round(float(x) / unit * column), _round(float(y) / unit * row))
            for ident, (x, y) in sorted(pos.items())}


def clusters(scene: Scene) -> dict[str, list[str]]:
    """Cluster name -> node ids: the theme, else a community of the claims (split when too big)."""
    by_theme: dict[str, list[str]] = defaultdict(list)
    goals = [ident for ident, node in sorted(scene.nodes.items()) if node["kind"] == "goal"]
    for ident, node in sorted(scene.nodes.items()):
        if node["kind"] != "goal":
            by_theme[node.get("theme") or ""].append(ident)
    undirected = nx.Graph()
    undirected.add_nodes_from(scene.nodes)
    undirected.add_edges_from((e["from"], e["to"]) for e in scene.edges if e["from"] != e["to"])
    out: dict[str, list[str]] = {GOALS: goals} if goals else {}  # the goals together: where the chains end
    for theme, members in sorted(by_theme.items()):
        if theme and len(members) <= MAX_CLUSTER:
            out[theme] = members
            continue
        if len(members) <= 60 and not theme:
            out[""] = members
            continue
        parts = _communities(undirected.subgraph(members), target=max(1, len(members) // 40))
        for part in sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0])):
            for start in range(0, len(part), MAX_CLUSTER):
                out[f"{theme}#{len(out)}"] = part[start:start + MAX_CLUSTER]
    return out


def _communities(graph: nx.Graph, target: int) -> list[set[str]]:
    """Louvain communities, from the first level that has at most ``target`` of them (or the last level).

    Later levels merge the communities of earlier ones; stopping once they are a readable size (some tens of
    concepts) saves the rest of the run.
    """
    parts: list[set[str]] = [set(graph)]
    for parts in nx.community.louvain_partitions(graph, seed=SEED):
        if len(parts) <= target:
            break
    return parts


def _grid(members: list[str], width: float = 170.0, height: float = 70.0) -> dict[str, tuple[float, float]]:
    """The goals in two columns, in number order: boxes with text overlap in a spring layout."""
    ordered = sorted(members, key=lambda m: (len(m), m))  # goal:2 before goal:10
    rows = (len(ordered) + 1) // 2
    return {m: ((i % 2 - 0.5) * width, (i // 2 - (rows - 1) / 2) * height) for i, m in enumerate(ordered)}


def _inside(graph: nx.Graph, members: list[str]) -> dict[str, tuple[float, float]]:
    """Positions of one cluster in a box of about SPACING * sqrt(n) pixels, centred on 0."""
    n = len(members)
    if n == 1:
        return {members[0]: (0.0, 0.0)}
    sub = graph.subgraph(members)
    start = {ident: (math.cos(2.399963 * i) * math.sqrt(i + 1), math.sin(2.399963 * i) * math.sqrt(i + 1))
             for i, ident in enumerate(members)}  # a sunflower spiral: a fixed, even start
    pos = nx.spring_layout(sub, pos=start, seed=SEED, iterations=50 if n < 60 else 25)
    radius = SPACING * math.sqrt(n) / 2
    return {ident: (float(x) * radius, float(y) * radius) for ident, (x, y) in pos.items()}


def clustered(scene: Scene) -> tuple[dict[str, tuple[float, float]], dict[str, dict[str, Any]]]:
    """Positions of every node, and per cluster its centre, radius and members (for the page's clusters)."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(scene.nodes))
    graph.add_edges_from(sorted((e["from"], e["to"]) for e in scene.edges if e["from"] != e["to"]))
    groups = clusters(scene)
    boxes = {name: _grid(members) if name == GOALS else _inside(graph, members) for name, members in groups.items()}
    size = {name: SPACING * math.sqrt(len(groups[name])) + 2 * SPACING for name in groups}
    width = math.sqrt(sum(v * v for v in size.values())) * 1.3
    pos: dict[str, tuple[float, float]] = {}
    info: dict[str, dict[str, Any]] = {}
    x = y = row = 0.0
    for name in sorted(groups, key=lambda k: (-len(groups[k]), k)):  # shelves: biggest clusters first
        side = size[name]
        if x > 0 and x + side > width:
            x, y, row = 0.0, y + row, 0.0
        cx, cy = x + side / 2, y + side / 2
        for ident, (px, py) in boxes[name].items():
            pos[ident] = (_round(cx + px), _round(cy + py))
        top = min(cy + py for _px, py in boxes[name].values())
        info[name] = {"x": _round(cx), "y": _round(cy), "top": _round(top - 50), "size": len(groups[name]),
                      "members": groups[name]}
        x += side
        row = max(row, side)
    return dict(sorted(pos.items())), info
