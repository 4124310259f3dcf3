"""Tabular exports: Web of Science tab-delimited (two-letter field tags as headers) and CSV.

CSV headers are matched without regard to case or spacing; Scopus ('Title', 'Authors', 'Year',
'Source title', 'DOI', 'PubMed ID', 'Abstract'), ASReview and plain ('title', 'authors', 'doi' …)
exports all read. Rows are numbered from the line their record starts on (quoted fields may span lines).
"""

from __future__ import annotations

import csv
import io
import re

from verlicht.errors import Location, ReviewError
from verlicht.reviews.records import Record, clean, normalise_doi, normalise_pmid, parse_year

COLUMNS = {
    "title": ("title", "ti", "article title", "document title", "primary title"),
    "authors": ("authors", "author", "au", "author full names", "af", "author names"),
    "year": ("year", "py", "publication year", "pubyear", "date"),
    "journal": ("source title", "journal", "so", "source", "publication title", "secondary title"),
    "volume": ("volume", "vl"),
    "issue": ("issue", "is", "number"),
    "pages": ("pages", "page range"),
    "start": ("page start", "bp", "start page"),
    "end": ("page end", "ep", "end page"),
    "doi": ("doi", "di"),
    "pmid": ("pubmed id", "pmid", "pm", "pubmed_id"),
    "abstract": ("abstract", "ab"),
    "keywords": ("author keywords", "keywords", "de", "kw"),
    "database": ("database", "source database"),
    "type": ("document type", "dt", "type"),
}


def _norm(header: str) -> str:
    return " ".join(re.sub(r"[_\-]+", " ", header.strip().lstrip("\ufeff")).casefold().split())


def read_wos_tab(text: str, shown: str) -> list[Record]:
    return _read(text, shown, "\t", "Web of Science tab-delimited")


def read_csv(text: str, shown: str) -> list[Record]:
    first = text.split("\n", 1)[0]
    delimiter = (
        "\t"
        if first.count("\t") > first.count(",") and first.count("\t") > first.count(";")
        else (";" if first.count(";") > first.count(",") else ",")
    )
    return _read(text, shown, delimiter, "CSV")


def _read(text: str, shown: str, delimiter: str, kind: str) -> list[Record]:
    quoting = csv.QUOTE_NONE if delimiter == "\t" and '"' not in text[:200_000].split("\n", 1)[0] else csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quoting=quoting, strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return []
    names = [_norm(h) for h in header]
    where: dict[str, int] = {}
    for field, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in names:
                where[field] = names.index(alias)
                break
    if "title" not in where:
        raise ReviewError(
            f"no title column in this {kind} file",
            Location(shown, 1),
            "name a column 'title' (or TI, 'Article Title', 'Document Title')",
        )
    records = []
    line = reader.line_num + 1
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ReviewError(
                f"record {number + 1} cannot be read: {exc}",
                Location(shown, line),
                "check its quotes: a quote inside a field is written twice",
            ) from None
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        number += 1
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            raise ReviewError(
                f"record {number} has {len(row)} fields but the header names {len(header)}",
                Location(shown, start),
                f"check the {'tabs' if delimiter == chr(9) else 'separators'} in this row",
            )

        def get(field: str, row: list[str] = row) -> str:
            index = where.get(field)
            return clean(row[index]) if index is not None and index < len(row) else ""

        title = get("title")
        if not title:
            raise ReviewError(
                f"record {number} has no title",
                Location(shown, start),
                "screening needs a title; add it or remove the row",
            )
        raw_authors = get("authors")
        sep = ";" if ";" in raw_authors else ("," if raw_authors.count(",") > 1 and "." in raw_authors else ";")
        authors = [a.strip() for a in raw_authors.split(sep) if a.strip()]
        pages = get("pages") or "-".join(p for p in (get("start"), get("end")) if p)
        records.append(
            Record(
                title=title,
                authors=authors,
                year=parse_year(get("year")),
                journal=get("journal"),
                volume=get("volume"),
                issue=get("issue"),
                pages=pages,
                doi=normalise_doi(get("doi")),
                pmid=normalise_pmid(get("pmid")),
                abstract=get("abstract"),
                keywords=[k.strip() for k in get("keywords").split(";") if k.strip()],
                type=get("type"),
                database=get("database"),
                number=number,
                line=start,
            )
        )
    return records
