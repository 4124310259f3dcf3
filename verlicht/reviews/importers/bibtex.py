"""BibTeX exports (bibtexparser 2): LaTeX accents decoded, co-authors split on 'and'."""

from __future__ import annotations

import logging
import re

from verlicht.errors import Location, ReviewError
from verlicht.reviews.records import Record, clean, normalise_doi, normalise_pmid, parse_year


def read_bibtex(text: str, shown: str) -> list[Record]:
    """Every entry of a BibTeX file (strings, comments and preambles are not records)."""
    import bibtexparser  # here, not at the top: every `verlicht` command imports the review commands' choices
    from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors

    # bibtexparser logs every failed block to stderr; the failure is reported once, as a ReviewError, below
    splitter_log = logging.getLogger("bibtexparser.splitter")
    before, splitter_log.disabled = splitter_log.disabled, True
    try:
        library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors()])
    finally:
        splitter_log.disabled = before
    entries = sorted(library.entries, key=lambda e: e.start_line)
    for failed in sorted(library.failed_blocks, key=lambda b: b.start_line):
        line = failed.start_line + 1
        number = 1 + sum(1 for e in entries if e.start_line < failed.start_line)
        error = getattr(failed, "error", None)
        reason = getattr(error, "abort_reason", None) or getattr(error, "message", None) or str(error or "")
        reason = " ".join(reason.replace("`", "'").split()) or "it is not valid BibTeX"
        raise ReviewError(
            f"record {number} cannot be read: {reason[:160]}",
            Location(shown, line),
            "check its braces, commas and quotes",
        )
    records = []
    for number, entry in enumerate(entries, start=1):
        fields = {k.lower(): f.value for k, f in entry.fields_dict.items()}
        title = _plain(fields.get("title", ""))
        if not title:
            raise ReviewError(
                f"record {number} ({entry.key}) has no title",
                Location(shown, entry.start_line + 1),
                "screening needs a title; add it or remove the entry",
            )
        authors = fields.get("author") or []
        if isinstance(authors, str):
            authors = [authors]
        records.append(
            Record(
                title=title,
                authors=[_plain(a) for a in authors if _plain(a)],
                year=parse_year(fields.get("year") or fields.get("date")),
                journal=_plain(fields.get("journal") or fields.get("booktitle") or ""),
                volume=clean(fields.get("volume")),
                issue=clean(fields.get("number")),
                pages=clean(fields.get("pages")).replace("--", "-"),
                doi=normalise_doi(clean(fields.get("doi"))),
                pmid=normalise_pmid(clean(fields.get("pmid"))),
                abstract=_plain(fields.get("abstract", "")),
                keywords=[k.strip() for k in re.split(r"[;,]", clean(fields.get("keywords"))) if k.strip()],
                type=entry.entry_type,
                number=number,
                line=entry.start_line + 1,
            )
        )
    return records


def _plain(value: object) -> str:
    """Field text without the braces BibTeX uses to protect capitals."""
    return clean(str(value).replace("{", "").replace("}", ""))
