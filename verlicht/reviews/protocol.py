"""The protocol of a living review (``reviews/SLUG/protocol.yaml``): question, type, PICO or SPIDER,
search strings per database, inclusion and exclusion criteria with short codes, linked concepts and
assumptions, and how often the search is run again.

The protocol is read with line numbers, so every mistake is reported as ``path:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verlicht.errors import Location, ReviewError
from verlicht.yamlio import line_of, load_yaml

REVIEW_TYPES = ("effect", "mechanism", "determinant", "pattern")
FRAMEWORKS = {
    "pico": ("population", "intervention", "comparison", "outcome"),
    "spider": ("sample", "phenomenon_of_interest", "design", "evaluation", "research_type"),
}
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,15}$")
INTERVAL = re.compile(r"^\s*(\d+)\s*(d|day|days|w|week|weeks|m|month|months|y|year|years)\s*$")


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Protocol:
    slug: str
    path: str
    question: str
    type: str
    framework: str
    elements: dict[str, str]
    searches: dict[str, str]
    include: tuple[Criterion, ...]
    exclude: tuple[Criterion, ...]
    concepts: tuple[str, ...]
    assumptions: tuple[str, ...]
    interval_months: int
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def exclusion_codes(self) -> dict[str, str]:
        return {c.code: c.text for c in self.exclude}


def interval_in_months(value: Any, where: Location) -> int:
    """'6 months', '1 year', '26 weeks' (rounded to months), or a number of months."""
    if isinstance(value, int) and value > 0:
        return value
    match = INTERVAL.match(str(value))
    if not match:
        raise ReviewError(
            f"update_interval {value!r} is not an interval", where, "write e.g. '6 months', '1 year' or '26 weeks'"
        )
    amount, unit = int(match.group(1)), match.group(2)[0]
    months = {"d": amount / 30.4, "w": amount * 7 / 30.4, "m": amount, "y": amount * 12}[unit]
    return max(1, round(months))


def load_protocol(path: Path, shown: str, slug: str) -> Protocol:
    data = load_yaml(path, shown, ReviewError)
    if not isinstance(data, dict):
        raise ReviewError(
            "the protocol must be a mapping of settings",
            Location(shown, 1),
            "see 'verlicht review new' for a filled-in example",
        )

    def where(key: str) -> Location:
        return Location(shown, line_of(data, key))

    question = str(data.get("question") or "").strip()
    if not question:
        raise ReviewError(
            "the protocol has no question", Location(shown, 1), "write the review question under 'question:'"
        )
    kind = str(data.get("type") or "").strip()
    if kind not in REVIEW_TYPES:
        raise ReviewError(
            f"review type {kind!r} is not known",
            where("type") if "type" in data else Location(shown, 1),
            f"use one of: {', '.join(REVIEW_TYPES)}",
        )
    framework, elements = "", {}
    for name, keys in FRAMEWORKS.items():
        if name in data:
            block = data[name]
            if not isinstance(block, dict):
                raise ReviewError(f"{name} must be a mapping", where(name), f"give {', '.join(keys)}")
            unknown = [k for k in block if k not in keys]
            if unknown:
                raise ReviewError(
                    f"{name} has no field '{unknown[0]}'",
                    Location(shown, line_of(block, unknown[0])),
                    f"{name.upper()} fields: {', '.join(keys)}",
                )
            framework, elements = name, {k: str(v) for k, v in block.items() if v is not None}
    searches = data.get("searches") or {}
    if not isinstance(searches, dict):
        raise ReviewError(
            "searches must map a database to its search string",
            where("searches"),
            "write e.g. 'Scopus: TITLE-ABS-KEY(\"social mix*\")'",
        )
    criteria: dict[str, tuple[Criterion, ...]] = {}
    for key in ("include", "exclude"):
        block = data.get(key) or {}
        if not isinstance(block, dict):
            raise ReviewError(
                f"'{key}' must map short codes to criteria",
                where(key),
                "write e.g. 'E1: no outcome on social cohesion'",
            )
        found = []
        for code, text in block.items():
            if not CODE.match(str(code)):
                raise ReviewError(
                    f"criterion code {code!r} is not a short code",
                    Location(shown, line_of(block, code)),
                    "use a letter then letters, digits, '-' or '_' (at most 16), e.g. E1 or E-design",
                )
            found.append(Criterion(str(code), str(text or ""), line_of(block, code) or 0))
        criteria[key] = tuple(found)
    if not criteria["exclude"]:
        raise ReviewError(
            "the protocol has no exclusion criteria",
            Location(shown, 1),
            "every exclusion names a criterion code; list them under 'exclude:'",
        )
    linked = data.get("linked") or {}
    if not isinstance(linked, dict):
        raise ReviewError("'linked' must have 'concepts' and/or 'assumptions'", where("linked"))
    concepts = tuple(str(c) for c in linked.get("concepts") or ())
    assumptions = tuple(str(a).replace(" ", "") for a in linked.get("assumptions") or ())
    interval = interval_in_months(
        data.get("update_interval", "6 months"),
        where("update_interval") if "update_interval" in data else Location(shown),
    )
    lines = {k: line_of(data, k) or 0 for k in data}
    if isinstance(linked, dict):
        lines.update({f"linked.{k}": line_of(linked, k) or 0 for k in linked})
    return Protocol(
        slug=slug,
        path=shown,
        question=question,
        type=kind,
        framework=framework,
        elements=elements,
        searches={str(k): str(v) for k, v in searches.items()},
        include=criteria["include"],
        exclude=criteria["exclude"],
        concepts=concepts,
        assumptions=assumptions,
        interval_months=interval,
        lines=lines,
    )


def protocol_text(slug: str, question: str, kind: str) -> str:
    """A new protocol to fill in: every field with an example, as comments where they are optional."""
    return f"""# Protocol of the living review '{slug}'. Edit freely; 'verlicht build' checks it.
question: {_quoted(question)}
type: {kind}   # effect | mechanism | determinant | pattern

# PICO (or replace with 'spider:' and sample, phenomenon_of_interest, design, evaluation, research_type)
pico:
  population: ""
  intervention: ""
  comparison: ""
  outcome: ""

# One search string per database, exactly as run
searches:
  Scopus: ""

# Criteria with short codes; every exclusion decision names one of the exclude codes
include:
  I1: ""
exclude:
  E1: "wrong population or setting"
  E2: "wrong exposure or intervention"
  E3: "no outcome of interest"
  E4: "no empirical data (opinion, editorial)"

# What in the codebook this review is about (concept codes and cause->effect claims)
linked:
  concepts: []
  assumptions: []

update_interval: 6 months
"""


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
