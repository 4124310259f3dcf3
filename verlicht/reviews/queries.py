"""Questions to the built graph about the literature: the reviews, their findings, what they say about a
claim (beside the interview quotes), and which held assumptions have no finding or are contradicted."""

from __future__ import annotations

from collections import Counter
from typing import Any

from verlicht.graph.store import Graph

LITERATURE = "literatuur"  # the 'group' of a literature row beside the respondents' groups
EDGE_DIRECTION = {"SUPPORTS": "supports", "CONTRADICTS": "contradicts", "MIXED": "mixed", "NO_EFFECT": "null"}


def reviews(graph: Graph) -> list[dict[str, Any]]:
    return [
        {
            "review": d["key"],
            "question": d["question"],
            "type": d["review_type"],
            "rounds": d["rounds"],
            "records": d["records"],
            "studies": d["studies"],
            "findings": d["findings"],
            "last_search": d["last_search"],
            "next_due": d["next_due"],
            "path": d["path"],
        }
        for d in graph.of_kind("Review")
    ]


def findings(
    graph: Graph, review: str | None = None, claim: tuple[str, str] | None = None, concept: str | None = None
) -> list[dict[str, Any]]:
    """Every finding (of one review, on one cause→effect pair, or touching one concept), in file order."""
    rows = []
    for d in graph.of_kind("Finding"):
        if review and d["review"] != review:
            continue
        if claim and (d["cause"], d["effect"]) != claim:
            continue
        if concept and concept not in (d["cause"], d["effect"], d["concept"]):
            continue
        study = graph.nodes.get(d["study"], {})
        rows.append(
            {
                "review": d["review"],
                "study": d["label"],
                "study_id": d["study"],
                "doi": study.get("doi"),
                "title": study.get("title"),
                "target": d["target"],
                "direction": d["direction"],
                "design": d["design"],
                "effect_size": d["effect_size"],
                "measure": d["measure"],
                "risk_of_bias": d["risk_of_bias"],
                "page": d["page"],
                "quote": d["quote"],
                "path": d["path"],
                "line": d["line"],
            }
        )
    return sorted(rows, key=lambda r: (r["path"], r["line"]))


def literature_rows(graph: Graph, cause: str, effect: str) -> list[dict[str, Any]]:
    """The findings on ``cause->effect`` as rows shaped like the interview evidence (source, line,
    respondent, group, polarity, type, text), so the two stand side by side in one table."""
    rows = []
    for f in findings(graph, claim=(cause, effect)):
        polarity = f["target"].rsplit(":", 1)[1] if f["target"].endswith((":+", ":-")) else "+"
        rows.append(
            {
                "cause": cause,
                "effect": effect,
                "polarity": polarity,
                "type": f"finding: {f['direction']}",
                "source": f["path"],
                "line": f["line"],
                "uid": None,
                "respondent": f["study"],
                "group": LITERATURE,
                "text": f["quote"],
                "doi": f["doi"],
                "design": f["design"],
                "risk_of_bias": f["risk_of_bias"],
                "review": f["review"],
                "direction": f["direction"],
            }
        )
    return rows


def literature_gaps(graph: Graph, all: bool = False) -> list[dict[str, Any]]:
    """Per held assumption: how many findings support, contradict, are mixed or null; its ``literature``
    standing — none (no finding), contradicted (more contradicting than supporting findings), mixed
    (findings either way, or mixed ones), supported. Without ``all``: the ones with none or contradicted,
    most held first."""
    by_target: dict[str, Counter[str]] = {}
    for kind, direction in EDGE_DIRECTION.items():
        for e in graph.edges_of(kind):
            by_target.setdefault(e["target"], Counter())[direction] += 1
    rows = []
    for d in graph.of_kind("Assumption"):
        counts = by_target.get(d["id"], Counter())
        total = sum(counts.values())
        if not total:
            standing = "none"
        elif counts["contradicts"] > counts["supports"]:
            standing = "contradicted"
        elif counts["supports"] and not counts["contradicts"] and not counts["mixed"]:
            standing = "supported"
        else:
            standing = "mixed"
        if not all and standing not in ("none", "contradicted"):
            continue
        rows.append(
            {
                "kind": "assumption",
                "id": d["id"],
                "cause": d["cause"],
                "effect": d["effect"],
                "polarity": d["polarity"],
                "support": d["support"],
                "groups": len(d.get("groups") or {}),
                "literature": standing,
                "findings": total,
                "supports": counts["supports"],
                "contradicts": counts["contradicts"],
                "mixed": counts["mixed"],
                "null": counts["null"],
            }
        )
    order = {"contradicted": 0, "mixed": 1, "none": 2, "supported": 3}
    return sorted(rows, key=lambda r: (order[r["literature"]], -r["support"], r["id"]))
