"""PRISMA 2020 flow counts per search round and in total, as rows and as an SVG flow diagram.

The boxes are those of the PRISMA 2020 flow diagram for new systematic reviews which included
searches of databases (Page et al., BMJ 2021;372:n71), counted from the review's files:

identified per database (rounds.csv) → duplicates removed (within the round and against earlier rounds)
→ records screened (kept records of the round) → records excluded (title/abstract) → reports sought
for retrieval (included or maybe) → reports not (yet) assessed → reports assessed for eligibility
(full-text decision) → reports excluded, per criterion code → studies included.
A record belongs to the round that first found it, so the rounds add up to the total.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from html import escape
from typing import Any

from verlicht.errors import ReviewError
from verlicht.reviews.folder import ReviewFolder
from verlicht.reviews.screening import final_decisions


def prisma_counts(review: ReviewFolder) -> dict[str, dict[str, Any]]:
    """Per round ('1', '2' …) and 'total': the counts of every PRISMA box."""
    rounds = review.rounds()
    finals = final_decisions(review)
    round_of = {r.id: r.round for r in review.records}
    numbers = sorted({r.round for r in rounds})
    counts: dict[str, dict[str, Any]] = {}
    for key in [*map(str, numbers), "total"]:
        chosen = set(numbers) if key == "total" else {int(key)}
        files = [f for f in rounds if f.round in chosen]
        databases: Counter[str] = Counter()
        for f in files:
            databases[f.database] += f.found
        ids = [rid for rid, rnd in round_of.items() if rnd in chosen]
        ta = [finals.get((rid, "title-abstract")) for rid in ids]
        sought = [rid for rid, d in zip(ids, ta, strict=True) if d is not None and d.decision != "exclude"]
        ft = [finals.get((rid, "full-text")) for rid in sought]
        excluded_ft = Counter(d.reason for d in ft if d is not None and d.decision == "exclude")
        counts[key] = {
            "identified": sum(databases.values()),
            "databases": dict(sorted(databases.items())),
            "duplicates": sum(f.duplicates_within + f.duplicates_earlier for f in files),
            "duplicates_within": sum(f.duplicates_within for f in files),
            "duplicates_earlier": sum(f.duplicates_earlier for f in files),
            "screened": len(ids),
            "excluded": sum(1 for d in ta if d is not None and d.decision == "exclude"),
            "awaiting_screening": sum(1 for d in ta if d is None),
            "sought": len(sought),
            "not_assessed": sum(1 for d in ft if d is None or d.decision == "maybe"),
            "assessed": sum(1 for d in ft if d is not None and d.decision != "maybe"),
            "excluded_reports": dict(sorted(excluded_ft.items())),
            "included": sum(1 for d in ft if d is not None and d.decision == "include"),
        }
    return counts


BOXES = [  # (key, label)
    ("identified", "Records identified from databases"),
    ("duplicates", "Duplicate records removed before screening"),
    ("duplicates_within", "  of which within the round"),
    ("duplicates_earlier", "  of which found in an earlier round"),
    ("screened", "Records screened"),
    ("excluded", "Records excluded (title/abstract)"),
    ("awaiting_screening", "Records awaiting screening"),
    ("sought", "Reports sought for retrieval"),
    ("not_assessed", "Reports not retrieved or not yet assessed"),
    ("assessed", "Reports assessed for eligibility"),
    ("excluded_reports", "Reports excluded"),
    ("included", "Studies included in review"),
]


def prisma_rows(review: ReviewFolder) -> list[dict[str, Any]]:
    """One row per box (databases and exclusion reasons on rows of their own), a column per round and the total."""
    counts = prisma_counts(review)
    keys = [k for k in counts if k != "total"]
    total = counts["total"]
    rows: list[dict[str, Any]] = []

    def row(box: str, get: Any) -> None:
        rows.append({"box": box, **{f"round_{k}": get(counts[k]) for k in keys}, "total": get(total)})

    for key, label in BOXES:
        if key == "excluded_reports":
            row(label, lambda c: sum(c["excluded_reports"].values()))
            for code in sorted(total["excluded_reports"]):
                text = review.protocol.exclusion_codes.get(code, "")
                row(f"  {code}: {text}", lambda c, code=code: c["excluded_reports"].get(code, 0))
            continue
        row(label, lambda c, key=key: c[key])
        if key == "identified":
            for name in sorted(total["databases"]):
                row(f"  {name}", lambda c, name=name: c["databases"].get(name, 0))
    return rows


# The length of each rotated phase label plus a margin: a phase of one short row must not be shorter than its label
PHASE_LABEL_HEIGHT = {"Identification": 112, "Included": 76}


def _wrapped(lines: list[str], width: int = 50) -> list[str]:
    """Lines wrapped to fit a box, keeping each line's indent on its continuation lines."""
    out = []
    for line in lines:
        indent = " " * (len(line) - len(line.lstrip(" ")))
        out.extend(textwrap.wrap(line, width, initial_indent="", subsequent_indent=indent + "  ") or [""])
    return out


def prisma_svg(review: ReviewFolder, round_: int | None = None) -> str:
    """The PRISMA 2020 flow diagram of one round (or, without ``round_``, of all rounds together)."""
    counts = prisma_counts(review)
    key = "total" if round_ is None else str(round_)
    if key not in counts:
        raise ReviewError(
            f"review '{review.slug}' has no round {round_}",
            None,
            f"its rounds are: {', '.join(k for k in counts if k != 'total') or 'none yet'}",
        )
    c = counts[key]
    codes = review.protocol.exclusion_codes
    title = (
        f"Round {round_} of the living review '{review.slug}'"
        if round_ is not None
        else f"All rounds of the living review '{review.slug}'"
    )
    dbs = [f"  {name} (n = {n})" for name, n in c["databases"].items()]
    reasons = [f"  {code} (n = {n}): {codes.get(code, '')}" for code, n in c["excluded_reports"].items()]
    within = "within this round" if round_ else "within a round"
    rows = [  # (phase, left lines, right lines): the rows of the PRISMA 2020 template, top to bottom
        ("Identification", [f"Records identified from databases (n = {c['identified']}):", *dbs],
         ["Records removed before screening:", f"  Duplicate records removed (n = {c['duplicates']})",
          f"    {within} (n = {c['duplicates_within']})",
          f"    found in an earlier round (n = {c['duplicates_earlier']})"]),
        ("Screening", [f"Records screened (n = {c['screened']})"],
         [f"Records excluded (n = {c['excluded']})", f"Records awaiting screening (n = {c['awaiting_screening']})"]),
        ("Screening", [f"Reports sought for retrieval (n = {c['sought']})"],
         [f"Reports not retrieved or not yet assessed (n = {c['not_assessed']})"]),
        ("Screening", [f"Reports assessed for eligibility (n = {c['assessed']})"],
         [f"Reports excluded (n = {sum(c['excluded_reports'].values())}):", *(reasons or ["  none"])]),
        ("Included", [f"Studies included in review (n = {c['included']})"], []),
    ]
    line_height, left_x, right_x, width = 16, 130, 530, 340
    placed = []  # (phase, y, height, left lines, right lines)
    y = 70
    for phase, left, right in rows:
        left, right = _wrapped(left), _wrapped(right)
        # tall enough for the box's lines and for the rotated phase label beside it (bold 13 px)
        height = max(60, PHASE_LABEL_HEIGHT.get(phase, 0), 20 + line_height * max(len(left), len(right)))
        placed.append((phase, y, height, left, right))
        y += height + 30
    height_total = y + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="900" height="{height_total}" '
        f'viewBox="0 0 900 {height_total}" font-family="Arial, Helvetica, sans-serif" font-size="13">',
        f"<title>PRISMA 2020 flow diagram: {escape(title)}</title>",
        f'<rect x="0" y="0" width="900" height="{height_total}" fill="#ffffff"/>',
        '<rect x="130" y="14" width="740" height="36" rx="6" fill="#ffc000" stroke="#000000"/>',
        f'<text x="500" y="37" text-anchor="middle" font-weight="bold">Identification of studies via databases '
        f"— {escape(title)}</text>",
        '<defs><marker id="arrow" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto">'
        '<path d="M0,0 L10,4 L0,8 z" fill="#000000"/></marker></defs>',
    ]
    for phase in ("Identification", "Screening", "Included"):
        mine = [p for p in placed if p[0] == phase]
        top, bottom = mine[0][1], mine[-1][1] + mine[-1][2]
        middle = (top + bottom) / 2
        out.append(f'<rect x="20" y="{top}" width="40" height="{bottom - top}" rx="6" fill="#9dc3e6" '
                   'stroke="#000000"/>')
        out.append(f'<text x="45" y="{middle:.0f}" text-anchor="middle" font-weight="bold" '
                   f'transform="rotate(-90 45 {middle:.0f})">{phase}</text>')
    for index, (_phase, top, height, left, right) in enumerate(placed):
        for x, lines in ((left_x, left), (right_x, right)):
            if not lines:
                continue
            out.append(f'<rect x="{x}" y="{top}" width="{width}" height="{height}" fill="#ffffff" stroke="#000000"/>')
            for i, text in enumerate(lines):
                indent = len(text) - len(text.lstrip(" "))
                out.append(f'<text x="{x + 10 + 4 * indent}" y="{top + 22 + line_height * i}">'
                           f"{escape(text.strip())}</text>")
        if right:
            out.append(f'<line x1="{left_x + width}" y1="{top + 30}" x2="{right_x}" y2="{top + 30}" '
                       'stroke="#000000" marker-end="url(#arrow)"/>')
        if index + 1 < len(placed):
            out.append(f'<line x1="300" y1="{top + height}" x2="300" y2="{placed[index + 1][1]}" '
                       'stroke="#000000" marker-end="url(#arrow)"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
