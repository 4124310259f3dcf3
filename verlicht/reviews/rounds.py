"""Creating a review and adding a dated search round to it.

An import reads every file first (a malformed one stops it with its file, record number and line),
de-duplicates against the round itself and every earlier round, then writes the copied exports,
``records.jsonl``, ``rounds.csv`` and ``duplicates.csv`` together, all or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from verlicht.errors import Location, ReviewError
from verlicht.fsio import atomic_write_text, folder_lock, replace_all
from verlicht.reviews.dedup import DedupIndex
from verlicht.reviews.folder import (
    DUPLICATE_COLUMNS,
    DUPLICATES,
    PROTOCOL,
    RECORDS,
    ROUND_COLUMNS,
    ROUNDS,
    SEARCHES,
    ReviewFolder,
    RoundFile,
    csv_bytes,
)
from verlicht.reviews.importers import read_export
from verlicht.reviews.protocol import REVIEW_TYPES, protocol_text
from verlicht.reviews.records import Record, title_key
from verlicht.workspace import Layout


def new_review(layout: Layout, slug: str, question: str = "", kind: str = "effect") -> dict[str, Any]:
    """Create ``reviews/SLUG/`` with a protocol to fill in; an existing review is never overwritten."""
    review = ReviewFolder(layout, slug)
    if review.exists():
        raise ReviewError(
            f"review '{slug}' exists already",
            Location(review.shown(PROTOCOL)),
            "choose another name, or edit its protocol",
        )
    if kind not in REVIEW_TYPES:
        raise ReviewError(f"review type '{kind}' is not known", None, f"use one of: {', '.join(REVIEW_TYPES)}")
    atomic_write_text(review.file(PROTOCOL), protocol_text(slug, question or "", kind))
    return {"review": slug, "protocol": review.shown(PROTOCOL), "question": question, "type": kind}


@dataclass(slots=True)
class ImportReport:
    """What one import did, per file and in total (the rows of ``review import --format json``)."""

    review: str
    round: int
    date: str
    files: list[RoundFile] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        rows = [
            {
                "review": self.review,
                "round": f.round,
                "date": f.date,
                "database": f.database,
                "file": f.file,
                "format": f.format,
                "found": f.found,
                "duplicates_within": f.duplicates_within,
                "duplicates_earlier": f.duplicates_earlier,
                "new": f.new,
            }
            for f in self.files
        ]
        if len(self.files) > 1:
            rows.append(
                {
                    "review": self.review,
                    "round": self.round,
                    "date": self.date,
                    "database": "(all)",
                    "file": "(total)",
                    "format": "",
                    **{k: sum(r[k] for r in rows) for k in ("found", "duplicates_within", "duplicates_earlier", "new")},
                }
            )
        return rows


def import_round(
    layout: Layout,
    slug: str,
    files: list[Path],
    database: str | None = None,
    date: str | None = None,
    fmt: str = "auto",
    dry_run: bool = False,
) -> ImportReport:
    """Add one dated search round made of ``files`` to review ``slug``."""
    review = ReviewFolder(layout, slug).require()
    review.protocol  # noqa: B018 - a broken protocol is reported before anything is read
    when = _date(date)
    if not files:
        raise ReviewError("no files to import", None, "name one or more export files")
    with folder_lock(review.path) if review.path.is_dir() else _nothing():
        previous = review.rounds()
        if previous and when < max(r.date for r in previous):
            raise ReviewError(
                f"round date {when} is before the last round ({max(r.date for r in previous)})",
                None,
                "rounds are added in time order; give --date",
            )
        number = max((r.round for r in previous), default=0) + 1
        index = DedupIndex()
        next_id = 1
        for row in _kept_keys(review.file(RECORDS)):
            index.add_kept(row["id"], row.get("doi", ""), row.get("pmid", ""), row.get("key", ""), row["round"])
            next_id = max(next_id, int(row["id"][1:]) + 1)
        report = ImportReport(slug, number, when)
        kept: list[Record] = []
        duplicates: list[list[str]] = []
        copies: dict[Path, bytes] = {}
        names: set[str] = set()
        stored_before = {} if dry_run else _stored_exports(review.path / SEARCHES)  # a dry run may count it again
        for path in files:
            shown = layout.shown(path.resolve()) if path.resolve().is_relative_to(layout.root) else str(path)
            found_format, found = read_export(path, shown, fmt, database)
            if not dry_run:
                _refuse_a_second_import(path.read_bytes(), shown, stored_before, copies, layout)
            name = path.name
            if name in names:
                raise ReviewError("the same file name twice in one round", Location(shown), "rename one of the files")
            names.add(name)
            stored = review.path / SEARCHES / f"round-{number}" / name
            copies[stored] = path.read_bytes()
            counts = {"within": 0, "earlier": 0, "new": 0}
            stored_shown = layout.shown(stored)
            for record in found:
                record.round = number
                record.key = title_key(record.title, record.year, record.authors)
                record.file = stored_shown
                match = index.find(record, number)
                if match is None:
                    record.id = f"r{next_id}"
                    next_id += 1
                    index.add(record)
                    kept.append(record)
                    counts["new"] += 1
                    continue
                index.add(record, kept_as=match.record)
                counts["earlier" if match.earlier else "within"] += 1
                duplicates.append(
                    [
                        str(number),
                        record.file,
                        str(record.number),
                        str(record.line),
                        record.title[:200],
                        match.record,
                        match.rule,
                        "yes" if match.earlier else "no",
                    ]
                )
            report.files.append(
                RoundFile(
                    number,
                    when,
                    found[0].database,
                    layout.shown(stored),
                    found_format,
                    len(found),
                    counts["within"],
                    counts["earlier"],
                    counts["new"],
                )
            )
        if dry_run:
            return report
        all_rounds = previous + report.files
        old_dups = review.file(DUPLICATES).read_bytes() if review.file(DUPLICATES).exists() else b""
        dup_rows = csv_bytes(DUPLICATE_COLUMNS, duplicates)
        if old_dups:
            dup_rows = old_dups + dup_rows.split(b"\n", 1)[1]
        records_path = review.file(RECORDS)
        tail = b"".join(r.to_json() + b"\n" for r in kept)
        old_records = records_path.read_bytes() if records_path.exists() else b""
        if old_records and not old_records.endswith(b"\n"):
            old_records += b"\n"
        for stored in copies:
            if stored.exists():
                raise ReviewError(
                    f"{layout.shown(stored)} exists already",
                    Location(layout.shown(stored)),
                    "a round's folder is never overwritten; check rounds.csv",
                )
        replace_all(
            {
                **copies,
                records_path: old_records + tail,
                review.file(ROUNDS): csv_bytes(ROUND_COLUMNS, [r.to_row() for r in all_rounds]),
                review.file(DUPLICATES): dup_rows,
            }
        )
    return report


def _stored_exports(searches: Path) -> dict[int, list[Path]]:
    """The export files kept in earlier rounds, by size (only files of equal size need to be compared)."""
    by_size: dict[int, list[Path]] = {}
    if searches.is_dir():
        for stored in sorted(searches.glob("round-*/*")):
            if stored.is_file():
                by_size.setdefault(stored.stat().st_size, []).append(stored)
    return by_size


def _refuse_a_second_import(
    data: bytes, shown: str, stored: dict[int, list[Path]], copies: dict[Path, bytes], layout: Layout
) -> None:
    """An export byte for byte equal to one already imported (the same command run twice, a copied file) would
    add a round of nothing but duplicates and count its records again in PRISMA's 'identified'."""
    same = [p for p in stored.get(len(data), []) if p.read_bytes() == data]
    same += [p for p, kept in copies.items() if kept == data]
    if same:
        raise ReviewError(
            f"this export was imported already, as {layout.shown(same[0])}",
            Location(shown, 1),
            "a new round needs a new export of the search; nothing of this import was kept",
        )


def _kept_keys(path: Path) -> Iterator[dict[str, Any]]:
    """The id, DOI, PMID, title key and round of every kept record, straight from records.jsonl."""
    if not path.exists():
        return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    row = orjson.loads(line)
                    row["id"], row["round"]
                except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
                    raise ReviewError(f"record line cannot be read: {exc}", Location(path.name, number),
                                      "records.jsonl is written by 'verlicht review import'; restore it from git"
                                      ) from None
                if not row.get("key"):
                    row["key"] = title_key(row.get("title", ""), row.get("year"), row.get("authors") or [])
                yield row


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _date(value: str | None) -> str:
    if value is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ReviewError(f"'{value}' is not a date", None, "write it as YYYY-MM-DD") from None
