"""Screening decisions: record, stage, decision, criterion code, screener — appended, never rewritten.

``decisions.csv`` is a log: every decision is one line, saved at once (the file is replaced whole,
so an interrupted session loses at most the decision being typed). The latest line per record,
stage and screener counts. Two screeners give two lines per record; where they differ the record
is a conflict until ``review reconcile`` adds a decision by the screener ``consensus``.

Stages: ``title-abstract`` (every record) and ``full-text`` (records included or marked maybe at
title/abstract). A record whose full text is included is a *study* of the review.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from verlicht.errors import Location, ReviewError
from verlicht.fsio import atomic_write_bytes, folder_lock
from verlicht.reviews.folder import DECISIONS, ReviewFolder

STAGES = ("title-abstract", "full-text")
DECISION_VALUES = ("include", "exclude", "maybe")
COLUMNS = ["record", "stage", "decision", "reason", "screener", "at"]
CONSENSUS = "consensus"


@dataclass(frozen=True, slots=True)
class Decision:
    record: str
    stage: str
    decision: str
    reason: str
    screener: str
    at: str
    line: int = 0


def read_decisions(review: ReviewFolder) -> list[Decision]:
    path = review.file(DECISIONS)
    if not path.exists():
        return []
    shown = review.shown(DECISIONS)
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header != COLUMNS:
        raise ReviewError(
            "decisions.csv has unexpected columns", Location(shown, 1), f"the columns are: {','.join(COLUMNS)}"
        )
    decisions = []
    for row in reader:
        line = reader.line_num
        if not row:
            continue
        if len(row) != len(COLUMNS):
            raise ReviewError(
                f"a decision needs {len(COLUMNS)} fields, this line has {len(row)}",
                Location(shown, line),
                f"the columns are: {','.join(COLUMNS)}",
            )
        record, stage, decision, reason, screener, at = (c.strip() for c in row)
        if stage not in STAGES:
            raise ReviewError(f"unknown stage '{stage}'", Location(shown, line), f"use {' or '.join(STAGES)}")
        if decision not in DECISION_VALUES:
            raise ReviewError(
                f"unknown decision '{decision}'", Location(shown, line), f"use one of: {', '.join(DECISION_VALUES)}"
            )
        decisions.append(Decision(record, stage, decision, reason, screener, at, line))
    return decisions


def latest(decisions: list[Decision]) -> dict[tuple[str, str], dict[str, Decision]]:
    """Per (record, stage), each screener's latest decision."""
    found: dict[tuple[str, str], dict[str, Decision]] = defaultdict(dict)
    for d in decisions:
        found[(d.record, d.stage)][d.screener] = d
    return found


def final(by_screener: dict[str, Decision]) -> Decision | None:
    """The decision that counts: the consensus one, else the one all screeners agree on; None if they differ."""
    if CONSENSUS in by_screener:
        return by_screener[CONSENSUS]
    if len({d.decision for d in by_screener.values()}) == 1:  # agreed (an exclusion's code may differ)
        return sorted(by_screener.values(), key=lambda d: d.screener)[0]
    return None


def final_decisions(review: ReviewFolder, decisions: list[Decision] | None = None) -> dict[tuple[str, str], Decision]:
    """(record, stage) → the decision that counts (conflicts left out)."""
    out = {}
    for key, by in latest(read_decisions(review) if decisions is None else decisions).items():
        decision = final(by)
        if decision is not None:
            out[key] = decision
    return out


def check_decision(
    review: ReviewFolder, record: str, stage: str, decision: str, reason: str | None, screener: str
) -> str:
    """The reason to store; raises when the decision cannot be taken as asked."""
    if stage not in STAGES:
        raise ReviewError(f"unknown stage '{stage}'", None, f"use {' or '.join(STAGES)}")
    if decision not in DECISION_VALUES:
        raise ReviewError(f"unknown decision '{decision}'", None, f"use one of: {', '.join(DECISION_VALUES)}")
    if not screener.strip() or "," in screener or "\n" in screener:
        raise ReviewError(
            f"'{screener}' is not a screener id", None, "use initials or a short name, e.g. --screener gp"
        )
    records = review.by_id()
    if record not in records:
        raise ReviewError(
            f"no record '{record}' in review '{review.slug}'",
            Location(review.shown("records.jsonl")),
            "record ids are r1, r2 …; 'verlicht review records SLUG' lists them",
        )
    codes = review.protocol.exclusion_codes
    if decision == "exclude":
        if not reason:
            raise ReviewError(
                "an exclusion needs a criterion code", None, f"the protocol's codes are: {', '.join(codes)}"
            )
        if reason not in codes:
            raise ReviewError(
                f"'{reason}' is not an exclusion criterion of this review",
                Location(review.protocol.path, review.protocol.lines.get("exclude") or None),
                f"use one of: {', '.join(codes)}",
            )
        return reason
    if stage == "full-text":
        ta = final_decisions(review).get((record, "title-abstract"))
        if ta is None or ta.decision == "exclude":
            raise ReviewError(
                f"record {record} was not included at title/abstract",
                None,
                "screen its title and abstract first; only included or 'maybe' records get a full-text decision",
            )
    return ""


def decide(
    review: ReviewFolder,
    record: str,
    decision: str,
    reason: str | None = None,
    screener: str = "",
    stage: str = "title-abstract",
    at: str | None = None,
) -> dict[str, Any]:
    """Record one decision (saved atomically at once) and return it as a row."""
    review.require()
    with folder_lock(review.path):
        stored_reason = check_decision(review, record, stage, decision, reason, screener)
        path = review.file(DECISIONS)
        old = path.read_bytes() if path.exists() else (",".join(COLUMNS) + "\n").encode()
        if old and not old.endswith(b"\n"):
            old += b"\n"
        when = at or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([record, stage, decision, stored_reason, screener, when])
        atomic_write_bytes(path, old + buffer.getvalue().encode())
    return {
        "review": review.slug,
        "record": record,
        "stage": stage,
        "decision": decision,
        "reason": stored_reason,
        "screener": screener,
        "at": when,
    }


def undo_last(
    review: ReviewFolder, screener: str, stage: str | None = None, records: set[str] | None = None
) -> Decision | None:
    """Take back the screener's last decision (the line is removed, as if never typed); with ``stage`` and
    ``records``, only one of that stage on those records, so that undo in a screening session of round 2
    never reaches back to a round-1 decision already reconciled."""
    with folder_lock(review.path):
        decisions = read_decisions(review)
        mine = [
            d
            for d in decisions
            if d.screener == screener
            and (stage is None or d.stage == stage)
            and (records is None or d.record in records)
        ]
        if not mine:
            return None
        last = mine[-1]
        path = review.file(DECISIONS)
        lines = path.read_bytes().split(b"\n")
        del lines[last.line - 1]
        atomic_write_bytes(path, b"\n".join(lines))
        return last


def conflicts(review: ReviewFolder, stage: str = "title-abstract") -> list[dict[str, Any]]:
    """Records on which the screeners differ (and no consensus decision was made)."""
    records = review.by_id()
    rows = []
    for (record, st), by in sorted(latest(read_decisions(review)).items(), key=lambda i: _order(i[0][0])):
        if st != stage or CONSENSUS in by or len({d.decision for d in by.values()}) < 2:
            continue
        rows.append(
            {
                "record": record,
                "stage": st,
                "title": records[record].title if record in records else "",
                "decisions": {s: (d.decision + (f" {d.reason}" if d.reason else "")) for s, d in sorted(by.items())},
            }
        )
    return rows


def agreement(review: ReviewFolder, stage: str = "title-abstract") -> dict[str, Any]:
    """Cohen's kappa between the two screeners with the most decisions (include vs not included)."""
    by_record = latest(read_decisions(review))
    screeners = Counter(s for (_r, st), by in by_record.items() if st == stage for s in by if s != CONSENSUS)
    if len(screeners) < 2:
        return {"screeners": sorted(screeners), "both": 0, "agree": 0, "kappa": None}
    first, second = sorted(s for s, _ in screeners.most_common(2))
    a, b = [], []
    for (_record, st), by in sorted(by_record.items()):
        if st == stage and first in by and second in by:
            a.append(by[first].decision)
            b.append(by[second].decision)
    agree = sum(x == y for x, y in zip(a, b, strict=True))
    from verlicht.coding.agreement import cohen_kappa  # it brings the ROCK reader: only when agreement is asked

    kappa = cohen_kappa(a, b) if a else None
    return {
        "screeners": [first, second],
        "both": len(a),
        "agree": agree,
        "kappa": None if kappa is None else round(kappa, 4),
    }


def consecutive_irrelevant(
    review: ReviewFolder, screener: str, round_: int | None = None, stage: str = "title-abstract"
) -> int:
    """How many records in a row the screener excluded since their last include or maybe: the stopping aid."""
    rounds = {r.id: r.round for r in review.records}
    run = 0
    for d in read_decisions(review):
        if d.screener != screener or d.stage != stage or (round_ is not None and rounds.get(d.record) != round_):
            continue
        run = run + 1 if d.decision == "exclude" else 0
    return run


def _order(record: str) -> int:
    return int(record[1:]) if record[1:].isdigit() else 0
