"""One living review on disk: ``reviews/SLUG/`` and the plain files in it.

| file | holds |
| --- | --- |
| ``protocol.yaml`` | question, type, PICO/SPIDER, searches, criteria with codes, links, update interval |
| ``searches/round-N/`` | the export files of round N, byte for byte as imported |
| ``rounds.csv`` | per round and file: date, database, found, duplicates (within, earlier), new |
| ``records.jsonl`` | one kept record a line (id, round, title, authors, DOI …), in import order |
| ``duplicates.csv`` | every record dropped as a duplicate: which file and record, of which kept one, by which rule |
| ``decisions.csv`` | screening decisions, one a line, appended: record, stage, decision, reason, screener, time |
| ``findings.csv`` | what included studies found about which assumption or concept |

Everything is written through :mod:`verlicht.fsio`: a file is replaced whole or not at all, and an
import's files are replaced together or not at all.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import orjson

from verlicht.errors import Location, ReviewError
from verlicht.reviews.protocol import SLUG, Protocol, load_protocol
from verlicht.reviews.records import Record
from verlicht.workspace import Layout

PROTOCOL = "protocol.yaml"
RECORDS = "records.jsonl"
ROUNDS = "rounds.csv"
DUPLICATES = "duplicates.csv"
DECISIONS = "decisions.csv"
FINDINGS = "findings.csv"
SEARCHES = "searches"
ROUND_COLUMNS = [
    "round",
    "date",
    "database",
    "file",
    "format",
    "found",
    "duplicates_within",
    "duplicates_earlier",
    "new",
]
DUPLICATE_COLUMNS = ["round", "file", "number", "line", "title", "duplicate_of", "rule", "earlier"]


@dataclass(slots=True)
class RoundFile:
    """One export file of one round, with its counts."""

    round: int
    date: str
    database: str
    file: str
    format: str
    found: int
    duplicates_within: int
    duplicates_earlier: int
    new: int

    def to_row(self) -> list[str]:
        return [str(getattr(self, c)) for c in ROUND_COLUMNS]


def reviews_folder(layout: Layout) -> Path:
    return layout.folder("reviews")


def review_slugs(layout: Layout) -> list[str]:
    """The reviews of the workspace: folders under reviews/ holding a protocol."""
    folder = reviews_folder(layout)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / PROTOCOL).is_file())


class ReviewFolder:
    """The files of one review, read on demand."""

    def __init__(self, layout: Layout, slug: str):
        if not SLUG.match(slug):
            raise ReviewError(
                f"'{slug}' is not a review name", None, "use lower-case letters, digits and '-', e.g. menging-cohesie"
            )
        self.layout = layout
        self.slug = slug
        self.path = reviews_folder(layout) / slug
        self._protocol: Protocol | None = None
        self._records: list[Record] | None = None

    def file(self, name: str) -> Path:
        return self.path / name

    def shown(self, name: str) -> str:
        return self.layout.shown(self.path / name)

    def exists(self) -> bool:
        return (self.path / PROTOCOL).is_file()

    def require(self) -> ReviewFolder:
        if not self.exists():
            known = review_slugs(self.layout)
            raise ReviewError(
                f"no review '{self.slug}'",
                Location(self.shown(PROTOCOL)),
                ("the reviews are: " + ", ".join(known))
                if known
                else f"create it with 'verlicht review new {self.slug}'",
            )
        return self

    @property
    def protocol(self) -> Protocol:
        if self._protocol is None:
            self._protocol = load_protocol(self.file(PROTOCOL), self.shown(PROTOCOL), self.slug)
        return self._protocol

    # -- records ---------------------------------------------------------------------------------
    @property
    def records(self) -> list[Record]:
        if self._records is None:
            self._records = read_records(self.file(RECORDS), self.shown(RECORDS))
        return self._records

    def by_id(self) -> dict[str, Record]:
        return {r.id: r for r in self.records}

    def rounds(self) -> list[RoundFile]:
        return read_rounds(self.file(ROUNDS), self.shown(ROUNDS))

    @property
    def current_round(self) -> int:
        rounds = self.rounds()
        return max((r.round for r in rounds), default=0)


def read_records(path: Path, shown: str) -> list[Record]:
    if not path.exists():
        return []
    records = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                records.append(Record.from_json(orjson.loads(line)))
            except (orjson.JSONDecodeError, TypeError) as exc:
                raise ReviewError(
                    f"record line cannot be read: {exc}",
                    Location(shown, number),
                    "this file is written by 'verlicht review import'; restore it from git",
                ) from None
    return records


def records_bytes(records: list[Record]) -> bytes:
    return b"".join(r.to_json() + b"\n" for r in records)


def read_rounds(path: Path, shown: str) -> list[RoundFile]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    rounds = []
    for row in reader:
        try:
            rounds.append(
                RoundFile(
                    round=int(row["round"]),
                    date=row["date"],
                    database=row["database"],
                    file=row["file"],
                    format=row["format"],
                    found=int(row["found"]),
                    duplicates_within=int(row["duplicates_within"]),
                    duplicates_earlier=int(row["duplicates_earlier"]),
                    new=int(row["new"]),
                )
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise ReviewError(
                f"round row cannot be read ({exc})",
                Location(shown, reader.line_num),
                f"columns: {', '.join(ROUND_COLUMNS)}",
            ) from None
    return rounds


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
