"""Read database exports into :class:`~verlicht.reviews.records.Record` lists, whichever the format.

One reader per format, each returning records with the file's record number and start line:
RIS (rispy; PubMed, Scopus, EndNote, Web of Science and Zotero flavours), BibTeX (bibtexparser),
PubMed MEDLINE/.nbib, Web of Science tab-delimited and plain text, and CSV (Scopus and generic headers). A file that
cannot be read raises :class:`~verlicht.errors.ReviewError` naming the file, record number and line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from verlicht.errors import Location, ReviewError
from verlicht.reviews.importers.bibtex import read_bibtex
from verlicht.reviews.importers.medline import read_medline
from verlicht.reviews.importers.ris import read_ris, read_wos_plain
from verlicht.reviews.importers.table import read_csv, read_wos_tab
from verlicht.reviews.records import Record

Reader = Callable[[str, str], list[Record]]
FORMATS: dict[str, Reader] = {
    "ris": read_ris,
    "bibtex": read_bibtex,
    "medline": read_medline,
    "wos": read_wos_tab,
    "wos-plain": read_wos_plain,
    "csv": read_csv,
}
DEFAULT_DATABASE = {"medline": "PubMed", "wos": "Web of Science", "wos-plain": "Web of Science"}


def decode(data: bytes, shown: str) -> str:
    """UTF-8 text (a byte-order mark dropped) with every line ending made '\\n'."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReviewError(
            "the file is not UTF-8",
            Location(shown, line),
            "export it again as UTF-8 (most databases offer it), or re-save it as UTF-8",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def detect(path: Path, text: str) -> str:
    """The format of an export, from its extension and first lines."""
    suffix = path.suffix.lower()
    head = text.lstrip()[:2000]
    if suffix == ".bib" or head.startswith("@"):
        return "bibtex"
    if suffix == ".nbib" or head.startswith("PMID-") or "\nPMID- " in head[:200]:
        return "medline"
    first = head.split("\n", 1)[0]
    if first.startswith(("FN ", "PT ")) and "\nER" in text:
        return "wos-plain"
    if "\t" in first and first.split("\t")[0].strip() in ("PT", "AU", "FN") and "TI" in first.split("\t"):
        return "wos"
    if (suffix in (".ris", ".txt") or "TY  -" in head or "TY -" in head) and ("TY  -" in text or "TY -" in text):
        return "ris"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    raise ReviewError(
        "cannot tell the format of this file",
        Location(path.name),
        "give it the extension .ris, .bib, .nbib, .txt (Web of Science tab-delimited) or .csv, "
        "or name it with --from",
    )


def read_export(path: Path, shown: str, fmt: str = "auto", database: str | None = None) -> tuple[str, list[Record]]:
    """The format and records of one export file; ``database`` names where it came from."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReviewError(f"cannot read the file: {exc.strerror or exc}", Location(shown)) from None
    text = decode(data, shown)
    if not text.strip():
        raise ReviewError(
            "the file is empty", Location(shown, 1), "the export may have failed; run the search and export it again"
        )
    if fmt == "auto":
        try:
            fmt = detect(path, text)
        except ReviewError as exc:
            raise ReviewError(exc.message, Location(shown, 1), exc.hint) from None
    if fmt not in FORMATS:
        raise ReviewError(f"unknown format '{fmt}'", Location(shown), f"use one of: {', '.join(FORMATS)}")
    records = FORMATS[fmt](text, shown)
    if not records:
        raise ReviewError(
            "no records in the file",
            Location(shown),
            f"is it a {fmt} export? check the file, or name the format with --from",
        )
    fallback = database or DEFAULT_DATABASE.get(fmt) or path.stem  # for records that do not name their database
    for record in records:
        record.file = shown
        if not record.database:
            record.database = fallback
    return fmt, records
