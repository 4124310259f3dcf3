"""Two people must never become one respondent: case attributes that say who someone is must agree.

A respondent is identified by its case id (``[[cid=R07]]``) across the whole workspace, so that a person
interviewed twice is counted once. When two sources give one case id a different group, role or wijk, they
describe two people (``verlicht init``'s example source and a first real transcript both called ``R01``, say),
and merging them would give wrong supports and groups without a word: the build reports it as an error at
both places. Other attributes (an interview date, say) may differ between two interviews of one person and
stay warnings.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from verlicht.errors import Location, VerlichtError
from verlicht.graph import schema as s

IDENTITY_ATTRIBUTES = frozenset({"group", "groep", "role", "wijk"})


class Conflict(NamedTuple):
    """One identity attribute of one case that two sources give differently (found by the build's merge)."""

    case: str
    key: str  # the attribute: group, groep, role or wijk
    value: Any  # as ``path`` gives it
    path: str
    other: Any  # as ``other_path`` gave it first
    other_path: str


def same_attribute(key: str, value: Any, other: Any) -> bool:
    """Whether two values of an identity attribute name the same thing (``resident`` is ``bewoner``;
    case and surrounding spaces do not count)."""
    if key in ("group", "groep"):
        mine, theirs = s.normalise_group(value), s.normalise_group(other)
        if mine is not None and theirs is not None:
            return mine == theirs
    return str(value).strip().casefold() == str(other).strip().casefold()


def identity_conflicts(root: Path | None, conflicts: list[Conflict]) -> list[VerlichtError]:
    """One located error per case and pair of sources whose identity attributes disagree; each place is
    shown at the line of the case's attributes."""
    by_pair: dict[tuple[str, str, str], list[tuple[str, Any, Any]]] = {}
    for case, key, value, path, other, other_path in conflicts:
        by_pair.setdefault((case, path, other_path), []).append((key, value, other))
    errors: list[VerlichtError] = []
    for (case, path, other_path), keys in by_pair.items():
        here = Location(path, case_line(root, path, case))
        there = Location(other_path, case_line(root, other_path, case))
        mine = ", ".join(f"{key} {value!r}" for key, value, _other in keys)
        theirs = ", ".join(f"{key} {other!r}" for key, _value, other in keys)
        errors.append(VerlichtError(
            f"case '{case}' has {mine} here but {theirs} at {there}: two people would become one respondent",
            here,
            "give one of them another case id (in [[cid=…]] and ROCK_attributes); if it is one person "
            "interviewed twice, make the attributes agree",
        ))
    return errors


def case_line(root: Path | None, path: str, case: str) -> int | None:
    """The line of ``caseId: <case>`` in a source's ROCK_attributes (else of its first ``[[cid=<case>]]``);
    the file is read again only to report a conflict."""
    if root is None:
        return None
    try:
        text = (root / path).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return None
    name = re.escape(case)
    for pattern in (rf"^[\s-]*caseId\s*:\s*['\"]?{name}['\"]?\s*$", rf"\[\[\s*(?:cid|caseId)\s*[=:]\s*{name}\s*\]\]"):
        match = re.search(pattern, text, re.MULTILINE)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return None
