"""Bibliographic records of a living review and the keys that identify the same work across databases.

A record is what one database export said about one work: title, authors, year, journal, DOI, PMID,
abstract. Records are kept one per line in ``records.jsonl`` (diff-friendly: one work per line, keys
sorted), in the order they were first imported; each gets a short id (``r1``, ``r2`` …) that never
changes, so decisions and findings can point at it.

The de-duplication keys (see :mod:`verlicht.reviews.dedup`) are computed here:

>>> normalise_doi("https://doi.org/10.1111/J.1467-9477.2007.00176.X")
'10.1111/j.1467-9477.2007.00176.x'
>>> title_key("E Pluribus Unum: Diversity and Community", 2007, ["Putnam, Robert D."])
'e pluribus unum diversity and community|2007|putnam'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any

import orjson

_DOI_PREFIX = re.compile(r"^\s*(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI_SHAPE = re.compile(r"^10\.\d{3,}[^\s]*/\S+$")
_NOT_WORD = re.compile(r"[^\w]+")
_INITIALS = re.compile(r"^[A-Z]{1,3}$")


@dataclass(slots=True)
class Record:
    """One work as one export described it, plus where it came from (file, record number, line)."""

    title: str
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    type: str = ""
    database: str = ""
    file: str = ""
    number: int = 0  # the record's number in its file (1-based)
    line: int = 0  # the line its record starts on
    id: str = ""  # r1, r2 … once kept
    round: int = 0
    key: str = ""  # title|year|first author surname, normalised

    def to_json(self) -> bytes:
        """One line of records.jsonl: the fields that have a value, keys sorted."""
        data = {k: v for k in _FIELDS if (v := getattr(self, k)) not in ("", [], None, 0) or k in ("id", "title")}
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        return cls(**data)

    @property
    def first_author(self) -> str:
        return self.authors[0] if self.authors else ""

    def label(self) -> str:
        """'Putnam 2007', 'Kearns & Mason 2007', 'Bond et al. 2011': a reference as a table shows it."""
        names = [_shown_surname(a) for a in self.authors]
        who = f"{names[0]} et al." if len(names) > 2 else " & ".join(names) or "?"
        return f"{who} {self.year or 'n.d.'}"


_FIELDS = tuple(sorted(f.name for f in fields(Record)))


def _shown_surname(author: str) -> str:
    """A surname as written (not folded), for labels."""
    author = author.strip()
    if "," in author:
        return author.split(",")[0].strip()
    words = author.split()
    if len(words) > 1 and _INITIALS.match(words[-1]):
        return " ".join(words[:-1])
    return words[-1] if words else ""


# Letters that Unicode does not decompose into a base letter and an accent, but that databases write in ASCII
# ('Øster' in one export is 'Oster' in another), applied after casefold (which makes ß 'ss')
_UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


def fold(text: str) -> str:
    """Lower case, accents and punctuation gone, spaces collapsed: 'Zörgő, É.' → 'zorgo e', 'Øster' → 'oster'."""
    if text.isascii():  # most titles: nothing to decompose
        plain = text
    else:
        decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", plain.casefold()).replace("_", " ").split())


def normalise_doi(value: str | None) -> str:
    """A DOI without its ``https://doi.org/`` or ``doi:`` prefix, in lower case (DOIs ignore case);
    '' when the value is no DOI."""
    if not value:
        return ""
    doi = _DOI_PREFIX.sub("", value.strip()).strip().rstrip(".;,").lower()
    doi = doi.split()[0] if doi.split() else ""
    return doi if _DOI_SHAPE.match(doi) else ""


def normalise_pmid(value: str | None) -> str:
    digits = re.sub(r"\D", "", value or "")
    return digits.lstrip("0")


def surname(author: str) -> str:
    """The surname of an author as exports write it: 'Putnam, Robert D.', 'Putnam RD' (MEDLINE),
    'Robert D. Putnam' — folded."""
    author = author.strip()
    if not author:
        return ""
    if "," in author:
        return fold(author.split(",")[0])
    words = author.split()
    if len(words) > 1 and _INITIALS.match(words[-1]):  # MEDLINE 'Putnam RD', 'van der Meer T'
        return fold(" ".join(words[:-1]))
    return fold(words[-1])


def title_key(title: str, year: int | None, authors: list[str]) -> str:
    """The third de-duplication key: folded title, year and first author's surname."""
    return f"{fold(title)}|{year or ''}|{surname(authors[0]) if authors else ''}"


def parse_year(value: Any) -> int | None:
    """The first four-digit year in a date field ('2007/06//', '2007 Jun', 2007)."""
    if value is None:
        return None
    found = re.search(r"(1[5-9]\d\d|20\d\d|21\d\d)", str(value))
    return int(found.group(1)) if found else None


def clean(text: Any) -> str:
    """One line of text from a field that may be a list or span lines."""
    if type(text) is str:
        return " ".join(text.split())
    if text is None:
        return ""
    if isinstance(text, list):
        text = " ".join(str(t) for t in text)
    return " ".join(str(text).split())
