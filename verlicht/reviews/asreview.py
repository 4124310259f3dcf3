"""Interoperability with ASReview LAB: export records to screen there, import its labelled export back.

The export is a CSV ASReview LAB reads as a dataset (columns ``title``, ``abstract``, ``authors``,
``year``, ``doi``, ``journal``) with our record id in ``verlicht_id``; with ``prior`` the records already
decided are added with ASReview's label column ``included`` (1/0) as prior knowledge. ASReview keeps
unknown columns on export, so its labelled CSV comes back with ``verlicht_id``; records are matched by
that, else by DOI, else by title + year + first author. Its label column may be called ``included``,
``label_included``, ``final_included``, ``label`` or ``asreview_label``; 1 becomes include, 0 exclude
with the criterion code given, anything else (unlabelled) is left alone.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from verlicht.errors import Location, ReviewError
from verlicht.fsio import atomic_write_text
from verlicht.reviews.folder import ReviewFolder
from verlicht.reviews.importers import decode
from verlicht.reviews.importers.table import read_csv
from verlicht.reviews.records import title_key
from verlicht.reviews.screening import decide, final_decisions, latest, read_decisions

LABEL_COLUMNS = ("included", "label_included", "final_included", "label", "asreview_label", "included_label")
EXPORT_COLUMNS = ["verlicht_id", "title", "abstract", "authors", "year", "journal", "doi", "included"]


def export_asreview(review: ReviewFolder, out: Path, all_rounds: bool = False, prior: bool = False) -> dict[str, Any]:
    review.require()
    finals = final_decisions(review)
    current = review.current_round
    rows = []
    for r in review.records:
        decided = finals.get((r.id, "title-abstract"))
        if decided is None and (all_rounds or r.round == current):
            rows.append([r.id, r.title, r.abstract, "; ".join(r.authors), str(r.year or ""), r.journal, r.doi, ""])
        elif decided is not None and prior:
            rows.append(
                [
                    r.id,
                    r.title,
                    r.abstract,
                    "; ".join(r.authors),
                    str(r.year or ""),
                    r.journal,
                    r.doi,
                    "0" if decided.decision == "exclude" else "1",
                ]
            )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS if prior else EXPORT_COLUMNS[:-1])
    writer.writerows(rows if prior else [row[:-1] for row in rows])
    atomic_write_text(out, buffer.getvalue())
    return {
        "review": review.slug,
        "file": str(out),
        "records": len(rows),
        "unscreened": sum(1 for row in rows if row[-1] == ""),
        "prior": sum(1 for row in rows if row[-1] != ""),
    }


def import_asreview(
    review: ReviewFolder, path: Path, screener: str, exclude_reason: str, dry_run: bool = False
) -> list[dict[str, Any]]:
    """Decisions from an ASReview export; records the screener already decided as ASReview did are skipped."""
    review.require()
    shown = str(path)
    text = decode(path.read_bytes(), shown)
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip().lower(): f for f in reader.fieldnames or []}
    label = next((fields[c] for c in LABEL_COLUMNS if c in fields), None)
    if label is None:
        raise ReviewError(
            "no label column in this ASReview export",
            Location(shown, 1),
            f"ASReview writes one of: {', '.join(LABEL_COLUMNS)}; export the dataset with labels",
        )
    if exclude_reason not in review.protocol.exclusion_codes:
        raise ReviewError(
            f"'{exclude_reason}' is not an exclusion criterion of this review",
            Location(review.protocol.path, review.protocol.lines.get("exclude") or None),
            f"use one of: {', '.join(review.protocol.exclusion_codes)}",
        )
    parsed = read_csv(text, shown)  # the same rows, as records (for DOI and title matching)
    rows = list(csv.DictReader(io.StringIO(text)))
    records = review.by_id()
    by_doi = {r.doi: r.id for r in records.values() if r.doi}
    by_key = {r.key or title_key(r.title, r.year, r.authors): r.id for r in records.values()}
    mine = latest(read_decisions(review))
    out = []
    id_column = fields.get("verlicht_id")
    for number, (row, record) in enumerate(zip(rows, parsed, strict=False), start=1):
        value = (row.get(label) or "").strip()
        if value not in ("0", "1", "0.0", "1.0"):
            continue
        rid = (row.get(id_column) or "").strip() if id_column else ""
        if rid not in records:
            rid = by_doi.get(record.doi) or by_key.get(title_key(record.title, record.year, record.authors)) or ""
        if not rid:
            raise ReviewError(
                f"row {number} matches no record of review '{review.slug}'",
                Location(shown, record.line),
                "import ASReview's export of a file made by 'verlicht review export-asreview'",
            )
        decision = "include" if value.startswith("1") else "exclude"
        have = mine.get((rid, "title-abstract"), {}).get(screener)
        if have is not None and have.decision == decision:
            continue
        out.append({"record": rid, "decision": decision, "reason": exclude_reason if decision == "exclude" else ""})
    if not dry_run:
        for row in out:
            decide(review, row["record"], row["decision"], row["reason"] or None, screener)
    return [{"review": review.slug, "screener": screener, **row} for row in out]
