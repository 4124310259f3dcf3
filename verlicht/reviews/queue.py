"""Which records a screener has still to screen, in the order to offer them."""

from __future__ import annotations

from dataclasses import dataclass

from verlicht.reviews.folder import ReviewFolder
from verlicht.reviews.prioritise import rank
from verlicht.reviews.records import Record
from verlicht.reviews.screening import final_decisions, latest, read_decisions


@dataclass(slots=True)
class Queue:
    records: list[Record]
    scores: list[float] | None  # predicted relevance, when prioritised
    total: int  # records of the stage and round(s), screened or not


def screening_queue(
    review: ReviewFolder,
    screener: str,
    stage: str = "title-abstract",
    all_rounds: bool = False,
    prioritise: bool = True,
) -> Queue:
    """The records ``screener`` has not decided at ``stage``: of the current round unless ``all_rounds``
    (full text: every round), most likely relevant first when the review has both labels."""
    decisions = read_decisions(review)
    by = latest(decisions)
    finals = final_decisions(review, decisions)
    records = review.records
    if stage == "full-text":
        pool = [r for r in records if (f := finals.get((r.id, "title-abstract"))) and f.decision != "exclude"]
    else:
        current = review.current_round
        pool = [r for r in records if all_rounds or r.round == current]
    todo = [r for r in pool if screener not in by.get((r.id, stage), {})]
    if not prioritise or stage == "full-text":
        return Queue(todo, None, len(pool))
    ids = {r.id: r for r in records}
    labelled = [
        (ids[rec], d.decision != "exclude")
        for (rec, st), d in sorted(finals.items())
        if st == "title-abstract" and rec in ids
    ]
    ordered, scores = rank(todo, labelled)
    return Queue(ordered, scores, len(pool))
