"""De-duplication of search records, against the same round and all earlier rounds.

The rules, in order: the normalised DOI (case, ``https://doi.org/`` and ``doi:`` prefixes ignored);
then the PubMed id; then the normalised title + year + first author's surname (accents, punctuation
and case ignored). A title match is not taken when both records carry DOIs (or both PMIDs) that
differ: two works with one title and different DOIs are two works (an erratum, a reply, a reprint).

Every key of a duplicate is remembered too, pointing at the record kept, so a third copy that
shares only the duplicate's DOI is still found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from verlicht.reviews.records import Record, title_key


@dataclass(slots=True)
class Match:
    """Which kept record a new one duplicates, by which rule, and whether it was kept in an earlier round."""

    record: str
    rule: str  # doi | pmid | title
    earlier: bool


class DedupIndex:
    """The keys of every record kept so far (and of their duplicates), by the rule they belong to."""

    def __init__(self) -> None:
        self.doi: dict[str, str] = {}
        self.pmid: dict[str, str] = {}
        self.title: dict[str, str] = {}
        self.ids: dict[str, tuple[str, str, int]] = {}  # record id -> (doi, pmid, round)

    def add(self, record: Record, kept_as: str | None = None) -> None:
        """Remember ``record``'s keys as pointing at ``kept_as`` (itself when kept)."""
        target = kept_as or record.id
        if not record.key:
            record.key = title_key(record.title, record.year, record.authors)
        if kept_as is None:
            self.ids[target] = (record.doi, record.pmid, record.round)
        if record.doi:
            self.doi.setdefault(record.doi, target)
        if record.pmid:
            self.pmid.setdefault(record.pmid, target)
        self.title.setdefault(record.key, target)

    def add_all(self, records: Iterable[Record]) -> None:
        for record in records:
            self.add(record)

    def add_kept(self, ident: str, doi: str, pmid: str, key: str, round_: int) -> None:
        """A kept record's keys as ``records.jsonl`` stores them (no Record needed: imports read many)."""
        self.ids[ident] = (doi, pmid, round_)
        if doi:
            self.doi.setdefault(doi, ident)
        if pmid:
            self.pmid.setdefault(pmid, ident)
        self.title.setdefault(key, ident)

    def find(self, record: Record, current_round: int) -> Match | None:
        """The kept record ``record`` duplicates, or None when it is new."""
        if not record.key:
            record.key = title_key(record.title, record.year, record.authors)
        hit, rule = None, ""
        if record.doi and record.doi in self.doi:
            hit, rule = self.doi[record.doi], "doi"
        elif record.pmid and record.pmid in self.pmid:
            hit, rule = self.pmid[record.pmid], "pmid"
        elif record.key in self.title:
            candidate = self.title[record.key]
            doi, pmid, _round = self.ids[candidate]
            if not (record.doi and doi and record.doi != doi) and not (record.pmid and pmid and record.pmid != pmid):
                hit, rule = candidate, "title"
        if hit is None:
            return None
        return Match(hit, rule, self.ids[hit][2] < current_round)
