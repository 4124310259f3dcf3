"""Rows for the review listings: records with their screening state, the screening queue, the findings."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from verlicht.reviews.findings import read_findings
from verlicht.reviews.folder import ReviewFolder
from verlicht.reviews.queue import screening_queue
from verlicht.reviews.screening import CONSENSUS, final, latest, read_decisions
from verlicht.reviews.status import included_ids
from verlicht.workspace import Layout

STATUSES = ("unscreened", "include", "exclude", "maybe", "conflict", "included")


def record_rows(review: ReviewFolder, round_: int | None = None, status: str | None = None) -> list[dict[str, Any]]:
    by = latest(read_decisions(review))
    rows = []
    for r in review.records:
        if round_ is not None and r.round != round_:
            continue
        ta = by.get((r.id, "title-abstract"), {})
        ft = by.get((r.id, "full-text"), {})
        decided = final(ta) if ta else None
        state = "unscreened" if not ta else ("conflict" if decided is None else decided.decision)
        full = final(ft) if ft else None
        if full is not None and full.decision == "include":
            state = "included"
        elif full is not None and full.decision == "exclude":
            state = "exclude"
        if status and state != status:
            continue
        rows.append(
            {
                "record": r.id,
                "round": r.round,
                "label": r.label(),
                "title": r.title,
                "doi": r.doi,
                "pmid": r.pmid,
                "database": r.database,
                "status": state,
                "reason": (full or decided).reason if (full or decided) else "",
                "screeners": sorted(s for s in {**ta, **ft} if s != CONSENSUS),
            }
        )
    return rows


def queue_rows(review: ReviewFolder, screener: str, stage: str, all_rounds: bool) -> list[dict[str, Any]]:
    queue = screening_queue(review, screener, stage, all_rounds)
    return [
        {
            "rank": i,
            "record": r.id,
            "relevance": None if queue.scores is None else round(queue.scores[i - 1], 4),
            "label": r.label(),
            "title": r.title,
        }
        for i, r in enumerate(queue.records, start=1)
    ]


def finding_rows(layout: Layout, review: ReviewFolder) -> list[dict[str, Any]]:
    from verlicht.graph.build import load_inputs

    _catalogue, codebook = load_inputs(layout)
    records = review.by_id()
    rows = []
    for f in read_findings(review, set(codebook.concepts), included_ids(review)):
        row = asdict(f)
        row["label"] = records[f.study].label()
        rows.append(row)
    return rows
