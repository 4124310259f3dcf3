"""PubMed MEDLINE exports (``.nbib``, 'PubMed format'): four-character tags, records split by blank lines.

The format is simple and fixed (NLM's MEDLINE/PubMed element descriptions): a tag padded to four
characters, '- ', the value; continuation lines start with six spaces. Records begin with ``PMID-``.
"""

from __future__ import annotations

import re

from verlicht.errors import Location, ReviewError
from verlicht.reviews.records import Record, clean, normalise_doi, normalise_pmid, parse_year

_LINE = re.compile(r"^([A-Z][A-Z0-9 ]{1,3})-\s?(.*)$")


def read_medline(text: str, shown: str) -> list[Record]:
    records: list[Record] = []
    fields: list[tuple[str, str]] = []
    start = 0
    for number, line in enumerate([*text.split("\n"), ""], start=1):
        if not line.strip():
            if fields:
                records.append(_record(fields, shown, len(records) + 1, start))
                fields = []
            continue
        match = _LINE.match(line)
        if match and line[:4].rstrip() == match.group(1).rstrip() and line[4:6] in ("- ", "-"):
            tag = match.group(1).strip()
            if not fields:
                start = number
                if tag != "PMID":
                    raise ReviewError(
                        f"record {len(records) + 1} does not start with PMID-",
                        Location(shown, number),
                        "MEDLINE records start with a 'PMID- ' line and are separated by blank lines",
                    )
            fields.append((tag, match.group(2).strip()))
        elif line.startswith("      ") and fields:
            tag, value = fields[-1]
            fields[-1] = (tag, f"{value} {line.strip()}")
        else:
            raise ReviewError(
                f"record {len(records) + 1}: line is neither a tag nor a continuation",
                Location(shown, number),
                "tags are four characters, a dash and a space: 'TI  - '",
            )
    return records


def _record(fields: list[tuple[str, str]], shown: str, number: int, line: int) -> Record:
    by: dict[str, list[str]] = {}
    for tag, value in fields:
        by.setdefault(tag, []).append(value)
    title = clean(by.get("TI", [""])[0])
    if not title:
        raise ReviewError(
            f"record {number} has no title (TI)",
            Location(shown, line),
            "screening needs a title; add it or remove the record",
        )
    doi = ""
    for value in by.get("LID", []) + by.get("AID", []):
        if "[doi]" in value:
            doi = normalise_doi(value.replace("[doi]", ""))
            break
    journal = clean((by.get("JT") or by.get("TA") or [""])[0])
    return Record(
        title=title,
        authors=[clean(a) for a in (by.get("FAU") or by.get("AU") or [])],
        year=parse_year((by.get("DP") or [""])[0]),
        journal=journal,
        volume=clean((by.get("VI") or [""])[0]),
        issue=clean((by.get("IP") or [""])[0]),
        pages=clean((by.get("PG") or [""])[0]),
        doi=doi,
        pmid=normalise_pmid(by["PMID"][0]),
        abstract=clean(" ".join(by.get("AB", []))),
        keywords=[clean(k) for k in by.get("OT", []) + by.get("MH", [])],
        type=clean((by.get("PT") or [""])[0]),
        database="PubMed",
        number=number,
        line=line,
    )
