"""Findings of included studies (``findings.csv``), checked against the codebook and the screening.

Columns: ``study`` (a record id of an included study, or its DOI), ``target`` (an assumption
``cause->effect`` — optionally ``cause->effect:-`` when the study speaks of a negative link — or one
concept code), ``direction`` (supports, contradicts, mixed, null: what the study found about the
target as written), ``design``, ``effect_size`` and ``measure`` (optional; a number needs a measure),
``risk_of_bias`` (low, some-concerns, high, unclear), ``page`` and ``quote`` (where in the study, and
a short paraphrase or quote). Every mistake is reported as ``findings.csv:line``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from verlicht.errors import Location, ReviewError
from verlicht.reviews.folder import FINDINGS, ReviewFolder
from verlicht.reviews.records import Record, normalise_doi

COLUMNS = ["study", "target", "direction", "design", "effect_size", "measure", "risk_of_bias", "page", "quote"]
REQUIRED = ("study", "target", "direction")
DIRECTIONS = ("supports", "contradicts", "mixed", "null")
RISKS = ("low", "some-concerns", "high", "unclear")


@dataclass(frozen=True, slots=True)
class Finding:
    review: str
    study: str  # record id
    number: int  # the study's n-th finding in the file
    target: str
    cause: str | None
    effect: str | None
    concept: str | None
    polarity: str
    direction: str
    design: str
    effect_size: float | None
    measure: str
    risk_of_bias: str
    page: str
    quote: str
    path: str
    line: int


def parse_target(
    text: str, where: Location, concepts: set[str] | None
) -> tuple[str | None, str | None, str | None, str]:
    """(cause, effect, concept, polarity) of a target; unknown concepts are errors when ``concepts`` is given."""
    text = text.replace(" ", "")
    polarity = "+"
    if "->" in text:
        body = text
        if body.endswith((":+", ":-")):
            body, polarity = body[:-2], body[-1]
        cause, _arrow, effect = body.partition("->")
        if not cause or not effect:
            raise ReviewError(
                f"target '{text}' is not cause->effect", where, "write e.g. menging_inkomensgroepen->sociale_cohesie"
            )
        codes = [cause, effect]
        single = None
    else:
        cause = effect = None
        single = text
        codes = [text]
    if not all(codes):
        raise ReviewError("the finding has no target", where, "name an assumption cause->effect or a concept code")
    if concepts is not None:
        for code in codes:
            if code not in concepts:
                raise ReviewError(
                    f"unknown concept '{code}' in target '{text}'",
                    where,
                    "use a concept code of ontology/codebook.yaml (verlicht query concepts lists them)",
                )
    return cause, effect, single, polarity


def read_findings(review: ReviewFolder, concepts: set[str] | None, included: set[str] | None) -> list[Finding]:
    """Every finding, checked; ``included`` (record ids) are the studies findings may come from."""
    path = review.file(FINDINGS)
    if not path.exists():
        return []
    shown = review.shown(FINDINGS)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ReviewError("findings.csv is not UTF-8", Location(shown), "save it as UTF-8") from None
    # strict: a quote opened and never closed is an error, not a field that swallows every row after it
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n")), strict=True)
    rows = _rows(reader, shown)
    header = [h.strip().lower() for h in next(rows, (1, []))[1]]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        raise ReviewError(
            f"findings.csv {'lacks column ' + missing[0] if missing else 'has unknown column ' + unknown[0]}",
            Location(shown, 1),
            f"the columns are: {','.join(COLUMNS)}",
        )
    records = review.by_id()
    by_doi = {r.doi: r for r in records.values() if r.doi}
    counts: dict[str, int] = {}
    findings = []
    for start, row in rows:
        if not any(c.strip() for c in row):
            continue
        where = Location(shown, start)
        if len(row) > len(header):
            raise ReviewError(
                f"{len(row)} fields but the header names {len(header)}", where, "quote a field that holds a comma"
            )
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        for name in REQUIRED:
            if not cells[name]:
                raise ReviewError(f"the finding has no {name}", where, f"fill in the '{name}' column")
        record = _study(cells["study"], records, by_doi)
        if record is None:
            raise ReviewError(
                f"no record '{cells['study']}' in this review", where, "name the study by its record id (r12) or DOI"
            )
        if included is not None and record.id not in included:
            raise ReviewError(
                f"record {record.id} ({record.label()}) is not an included study",
                where,
                f"include its full text first: verlicht review decide SLUG {record.id} --include --stage full-text",
            )
        cause, effect, concept, polarity = parse_target(cells["target"], where, concepts)
        direction = cells["direction"].lower()
        if direction not in DIRECTIONS:
            raise ReviewError(
                f"direction '{cells['direction']}' is not known", where, f"use one of: {', '.join(DIRECTIONS)}"
            )
        risk = cells.get("risk_of_bias", "").lower().replace(" ", "-").replace("_", "-")
        if risk and risk not in RISKS:
            raise ReviewError(
                f"risk of bias '{cells['risk_of_bias']}' is not known", where, f"use one of: {', '.join(RISKS)}"
            )
        size = None
        if cells.get("effect_size"):
            try:
                size = float(cells["effect_size"].replace(",", "."))
            except ValueError:
                raise ReviewError(
                    f"effect size '{cells['effect_size']}' is not a number",
                    where,
                    "write e.g. 0.12 or -0.3, and its measure (OR, d, beta) under 'measure'",
                ) from None
            if not cells.get("measure"):
                raise ReviewError(
                    "an effect size needs its measure", where, "name it under 'measure' (OR, d, r, beta …)"
                )
        counts[record.id] = counts.get(record.id, 0) + 1
        findings.append(
            Finding(
                review.slug,
                record.id,
                counts[record.id],
                cells["target"].replace(" ", ""),
                cause,
                effect,
                concept,
                polarity,
                direction,
                cells.get("design", ""),
                size,
                cells.get("measure", ""),
                risk or "",
                cells.get("page", ""),
                cells.get("quote", ""),
                shown,
                start,
            )
        )
    return findings


def _rows(reader: Any, shown: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of every CSV row; a quoting error is a ReviewError at the line its row starts."""
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ReviewError(
                f"the row cannot be read: {exc}",
                Location(shown, line),
                'close every quote you open; write a quote inside a quoted field as ""',
            ) from None
        yield line, row
        line = reader.line_num + 1


def _study(value: str, records: dict[str, Record], by_doi: dict[str, Record]) -> Record | None:
    if value in records:
        return records[value]
    return by_doi.get(normalise_doi(value))
