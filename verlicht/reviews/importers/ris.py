"""RIS exports (rispy), in the flavours databases write.

Seen in the wild and handled: a byte-order mark, CRLF line ends, numbered records (``1.`` before
``TY``), tags with one space before the dash (``TY - JOUR``), fields spanning several lines, ``T1`` or
``TI`` for the title, ``DO`` or a DOI in ``UR``/``M3``/``N1`` (EndNote, Zotero), ``AN``/``C2`` PubMed ids,
``DB``/``DP`` naming the database (Scopus, PubMed). The file is checked line by line first, so a
malformed one is reported with its record number and line rather than read wrongly.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import rispy

from verlicht.errors import Location, ReviewError
from verlicht.reviews.records import Record, clean, normalise_doi, normalise_pmid, parse_year

_TAG = re.compile(r"^([A-Z][A-Z0-9])\s{1,2}-(?: (.*)|\s*)$")
_NUMBER = re.compile(r"^\s*\d+\.?\s*$")
_DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>&]+)", re.IGNORECASE)  # & ends a URL parameter


def read_ris(text: str, shown: str) -> list[Record]:
    """Every record of a RIS file, with its number and start line."""
    lines = text.split("\n")
    normal: list[str] = []
    starts: list[int] = []
    inside = False
    for number, line in enumerate(lines, start=1):
        match = _TAG.match(line.rstrip())
        if match:
            tag, value = match.group(1), (match.group(2) or "").strip()
            if tag == "TY":
                if inside:
                    raise ReviewError(
                        f"record {len(starts)} has no end (ER) before the next record starts",
                        Location(shown, number),
                        "end every record with a line 'ER  - '",
                    )
                inside = True
                starts.append(number)
            elif not inside:
                raise ReviewError(
                    f"tag {tag} outside a record",
                    Location(shown, number),
                    "every record starts with 'TY  - ' and ends with 'ER  - '",
                )
            elif tag == "ER":
                inside = False
            normal.append(f"{tag}  - {value}")
            continue
        if inside:
            normal.append("      " + line.strip())  # a field going on over several lines
        elif line.strip() and not _NUMBER.match(line):
            raise ReviewError(
                f"text outside a record: {line.strip()[:40]!r}",
                Location(shown, number),
                "is this a RIS file? every record starts with 'TY  - ' and ends with 'ER  - '",
            )
        else:
            normal.append("")
    if inside:
        raise ReviewError(
            f"record {len(starts)} has no end (ER): the file stops inside it",
            Location(shown, starts[-1]),
            "the export may be cut short; export it again",
        )
    entries = rispy.loads("\n".join(normal), enforce_list_tags=False)
    if len(entries) != len(starts):  # cannot happen after the check above; said plainly if it does
        raise ReviewError(
            f"read {len(entries)} records but found {len(starts)} starts",
            Location(shown),
            "check the file's TY and ER lines",
        )
    records = []
    for index, (entry, line) in enumerate(zip(entries, starts, strict=True), start=1):
        records.append(_record(entry, shown, index, line))
    return records


def _first(entry: dict, *names: str) -> str:
    for name in names:
        value = entry.get(name)
        if value:
            return clean(value[0] if isinstance(value, list) and name not in ("notes", "abstract") else value)
    return ""


def _record(entry: dict, shown: str, number: int, line: int) -> Record:
    title = _first(entry, "title", "primary_title", "translated_title")
    if not title:
        raise ReviewError(
            f"record {number} has no title (TI or T1)",
            Location(shown, line),
            "screening needs a title; add it or remove the record",
        )
    authors = []
    for name in ("authors", "first_authors", "secondary_authors"):
        value = entry.get(name)
        if value:
            authors = [clean(a) for a in (value if isinstance(value, list) else [value]) if clean(a)]
            break
    doi = normalise_doi(_first(entry, "doi"))
    if not doi:
        for name in ("urls", "url", "type_of_work", "notes", "custom2", "accession_number"):
            value = entry.get(name)
            for item in value if isinstance(value, list) else [value]:
                found = _DOI_IN_TEXT.search(unquote(str(item or "")))  # Scopus URLs hold 'doi=10.1111%2fj…'

                if found:
                    doi = normalise_doi(found.group(1))
                    break
            if doi:
                break
    pmid = ""
    for name in ("accession_number", "custom2", "pubmed_id"):
        value = _first(entry, name)
        if value and re.fullmatch(r"(?:PMID:?\s*)?\d{4,9}", value.strip(), re.IGNORECASE):
            pmid = normalise_pmid(value)
            break
    year = parse_year(_first(entry, "year", "publication_year", "date"))
    start, end = _first(entry, "start_page"), _first(entry, "end_page")
    keywords = entry.get("keywords") or []
    return Record(
        title=title,
        authors=authors,
        year=year,
        journal=_first(entry, "secondary_title", "journal_name", "alternate_title3", "alternate_title1"),
        volume=_first(entry, "volume"),
        issue=_first(entry, "number"),
        pages=f"{start}-{end}" if start and end else start,
        doi=doi,
        pmid=pmid,
        abstract=_first(entry, "abstract", "notes_abstract"),
        keywords=[clean(k) for k in (keywords if isinstance(keywords, list) else [keywords]) if clean(k)],
        type=_first(entry, "type_of_reference"),
        database=_first(entry, "name_of_database", "database_provider"),
        number=number,
        line=line,
    )


_WOK_TAG = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")


def read_wos_plain(text: str, shown: str) -> list[Record]:
    """Web of Science 'plain text' exports (``FN``/``VR`` header, ``PT`` … ``ER`` records, ``EF``), with
    rispy's WoK parser; checked line by line first, as RIS files are."""
    from rispy.parser import WokParser

    starts: list[int] = []
    inside = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip() or line.startswith("   "):
            continue
        match = _WOK_TAG.match(line.rstrip())
        if not match:
            raise ReviewError(f"line is neither a field tag nor a continuation: {line.strip()[:40]!r}",
                              Location(shown, number), "Web of Science plain text: two-letter tags, 'ER' ends a record")
        tag = match.group(1)
        if tag == "PT":
            if inside:
                raise ReviewError(f"record {len(starts)} has no end (ER) before the next record starts",
                                  Location(shown, number), "end every record with a line 'ER'")
            inside = True
            starts.append(number)
        elif tag == "ER":
            inside = False
        elif not inside and tag not in ("FN", "VR", "EF"):
            raise ReviewError(f"tag {tag} outside a record", Location(shown, number), "records start with 'PT'")
    if inside:
        raise ReviewError(f"record {len(starts)} has no end (ER): the file stops inside it",
                          Location(shown, starts[-1]), "the export may be cut short; export it again")
    entries = rispy.loads(text, implementation=WokParser)
    records = []
    for number, (entry, line) in enumerate(zip(entries, starts, strict=True), start=1):
        title = clean(entry.get("document_title"))
        if not title:
            raise ReviewError(f"record {number} has no title (TI)", Location(shown, line),
                              "screening needs a title; add it or remove the record")
        authors = entry.get("author_full_name") or entry.get("authors") or []
        start, end = clean(entry.get("beginning_page")), clean(entry.get("ending_page"))
        keywords = clean(entry.get("author_keywords"))
        records.append(Record(
            title=title, authors=[clean(a) for a in authors], year=parse_year(entry.get("publication_year")),
            journal=clean(entry.get("publication_name")), volume=clean(entry.get("volume")),
            issue=clean(entry.get("issue")), pages=f"{start}-{end}" if start and end else start,
            doi=normalise_doi(clean(entry.get("doi"))), pmid=normalise_pmid(clean(entry.get("pubmed_id"))),
            abstract=clean(entry.get("abstract")), keywords=[k.strip() for k in keywords.split(";") if k.strip()],
            type=clean(entry.get("document_type")), database="Web of Science", number=number, line=line))
    return records
