"""Living status of the reviews: when searched last, when due next (overdue flagged), what is left to screen,
included studies and findings per assumption."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from typing import Any

from verlicht.reviews.folder import ReviewFolder, review_slugs
from verlicht.reviews.screening import final_decisions
from verlicht.workspace import Layout


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def included_ids(review: ReviewFolder) -> set[str]:
    return {
        rec for (rec, stage), d in final_decisions(review).items() if stage == "full-text" and d.decision == "include"
    }


def review_status(layout: Layout, slug: str | None = None, today: dt.date | None = None) -> list[dict[str, Any]]:
    from verlicht.reviews.findings import read_findings

    today = today or dt.date.today()
    rows = []
    for name in [slug] if slug else review_slugs(layout):
        review = ReviewFolder(layout, name).require()
        protocol = review.protocol
        rounds = review.rounds()
        last = max((r.date for r in rounds), default=None)
        due = (
            add_months(dt.date.fromisoformat(last), protocol.interval_months).isoformat() if last else today.isoformat()
        )
        finals = final_decisions(review)
        current = max((r.round for r in rounds), default=0)
        unscreened = sum(1 for r in review.records if r.round == current and (r.id, "title-abstract") not in finals)
        unscreened_all = sum(1 for r in review.records if (r.id, "title-abstract") not in finals)
        awaiting_ft = sum(
            1
            for (rec, stage), d in finals.items()
            if stage == "title-abstract" and d.decision != "exclude" and (rec, "full-text") not in finals
        )
        included = included_ids(review)
        findings = read_findings(review, None, None)
        per: Counter[str] = Counter(f.target for f in findings)
        rows.append(
            {
                "review": name,
                "question": protocol.question,
                "type": protocol.type,
                "rounds": len({r.round for r in rounds}),
                "last_search": last,
                "next_due": due,
                "overdue": due < today.isoformat(),
                "records": len(review.records),
                "unscreened": unscreened,
                "unscreened_all_rounds": unscreened_all,
                "awaiting_full_text": awaiting_ft,
                "included": len(included),
                "findings": len(findings),
                "findings_per_target": dict(sorted(per.items())),
            }
        )
    return rows
