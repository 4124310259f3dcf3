"""How well coders agree who each coded their own copy of one source.

ROCK's convention (rock's ``merge_sources``): every coder codes a copy of the source, marked
``[[coderId=NAME]]``; utterances are matched across copies by their ``[[uid=…]]``.

*Units* are utterances, matched by uid. A unit that some copy lacks is *missing* for that coder
(warned about); it still counts wherever two or more coders have it, as Krippendorff's alpha
allows. Every code and every network edge is a binary variable: applied to the unit or not.
Codes compare in their canonical spelling (``wonen>instroom``, whitespace aside); an edge is
``cause->effect||type``, its weight aside, so a reversed edge or another type is another edge.

Per variable: Krippendorff's alpha (nominal), Cohen's kappa (exactly two coders) and percent
agreement. *Pooled* per kind (codes, network edges): the same statistics over every (unit,
variable) pair as one unit, which is how one alpha summarises many binary variables.

>>> report = agreement_between(["coders/anna/r07.rock", "coders/bram/r07.rock"])  # doctest: +SKIP
>>> [(row["kind"], round(row["alpha"], 3)) for row in report.statistics if row["code"] is None]  # doctest: +SKIP
[('code', 0.592), ('network', 0.796)]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from verlicht.coding.edit import CODER_KEY, EditableSource, canonical, tokens
from verlicht.coding.refs import copies_ref
from verlicht.errors import CodingError, Location, VerlichtWarning
from verlicht.rock.model import Kind
from verlicht.rock.writer import network_code

KINDS = ("code", "network")
LEVELS = ("edge", "pair")  # what a network code counts as: cause->effect||type, or cause->effect alone
KIND_OF_TAG = {"code": "code", "value": "code", "network": "network"}


# ---------------------------------------------------------------------- the statistics


def alpha_nominal(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data; each unit lists one value per coder, None where missing.

    Units with fewer than two values cannot be paired and are left out, as Krippendorff
    prescribes. None when alpha is undefined: no pairable values, or all of them the same.
    Computed exactly (fractions) from the coincidences, then rounded once to a float.

    >>> alpha_nominal([(1, 1), (1, 2), (2, 2), (2, 2)])
    0.5333333333333333
    """
    totals: Counter = Counter()  # n_c: how often each value was paired
    disagreeing: dict[int, int] = defaultdict(int)  # m_u -> sum over units of sum_{c != k} n_uc n_uk
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        totals.update(counts)
        disagreeing[m] += m * m - sum(c * c for c in counts.values())
    n = sum(totals.values())
    expected = n * n - sum(c * c for c in totals.values())  # sum_{c != k} n_c n_k
    if expected == 0:
        return None
    observed = sum((Fraction(s, m - 1) for m, s in disagreeing.items()), Fraction(0))  # sum_{c != k} o_ck
    return float(1 - (n - 1) * observed / expected)


def cohen_kappa(first: Sequence[Hashable | None], second: Sequence[Hashable | None]) -> float | None:
    """Cohen's kappa of two coders over the units both coded; None when undefined (no units, or
    both coders gave one and the same value throughout, so chance agreement is 1).

    >>> cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0])
    0.5
    """
    pairs = [(a, b) for a, b in zip(first, second, strict=True) if a is not None and b is not None]
    n = len(pairs)
    if n == 0:
        return None
    agree = sum(a == b for a, b in pairs)
    counts_a = Counter(a for a, _ in pairs)
    counts_b = Counter(b for _, b in pairs)
    chance = sum(counts_a[c] * counts_b[c] for c in counts_a)  # n^2 * p_e
    if chance == n * n:
        return None
    return float(Fraction(agree * n - chance, n * n - chance))


def percent_agreement(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """The share of units (with two or more values) on which every coder gave the same value."""
    pairable = agreed = 0
    for unit in units:
        values = [v for v in unit if v is not None]
        if len(values) >= 2:
            pairable += 1
            agreed += len(set(values)) == 1
    return agreed / pairable if pairable else None


# ---------------------------------------------------------------------- the copies


@dataclass(frozen=True, slots=True)
class Unit:
    """One utterance of one coder's copy: where it is, its text and the codes applied to it."""

    line: int
    text: str
    applied: frozenset[tuple[str, str]]  # (kind, key)
    spelled: Mapping[tuple[str, str], str]  # (kind, key) -> the canonical spelling, weight and all


@dataclass(slots=True)
class CoderCopy:
    """One coder's copy of a source, read: the coder, the file and its units by uid (in file order)."""

    coder: str
    path: str
    editable: EditableSource
    units: dict[str, Unit] = field(default_factory=dict)


def key_of(kind: Kind) -> tuple[str, str] | None:
    """What a code token counts as: ``("code", "wonen>instroom")`` or ``("network", "a->b||causal_pos")``."""
    tag = kind.tag
    if tag == "network":
        return "network", network_code(kind.source, kind.target, kind.type)
    if tag in KIND_OF_TAG:
        return KIND_OF_TAG[tag], canonical(kind)
    return None


def coder_name(editable: EditableSource, given: str | None) -> str:
    """The coder of a copy: its ``[[coderId=…]]``, else the name given (``--coder``), else its folder's name."""
    marked = editable.coders()
    names = list(dict.fromkeys(name for _, name in marked))
    if len(names) > 1:
        line = next(n for n, name in marked if name == names[1])
        raise CodingError(f"the copy is marked by more than one coder ({', '.join(names)})",
                          Location(editable.shown, line),
                          "each copy holds one coder's codes; keep one [[coderId=…]] per file")
    if names:
        if given is not None and given != names[0]:
            raise CodingError(f"--coder says '{given}' but the copy is marked [[{CODER_KEY}={names[0]}]]",
                              Location(editable.shown, marked[0][0]), "drop the --coder pair or fix the coderId")
        return names[0]
    if given is not None:
        return given
    return Path(editable.path).absolute().parent.name


def read_copy(path: str | Path, coder: str | None = None,
              shown: str | None = None) -> tuple[CoderCopy, list[VerlichtWarning]]:
    """Read one coder's copy (named ``shown`` in messages, else as given); warnings for its ignored
    brackets and for coded lines without a uid."""
    editable = EditableSource.load(path, shown or str(path))
    copy = CoderCopy(coder_name(editable, coder), editable.shown, editable)
    warnings = list(editable.source.warnings)
    unmatched: list[int] = []
    for utterance in editable.utterances:
        applied: dict[tuple[str, str], str] = {}
        for token in tokens(editable.lines[utterance.line - 1]):
            key = key_of(token.kind)
            if key is not None:
                applied.setdefault(key, canonical(token.kind))
        if utterance.uid is None:
            if applied:
                unmatched.append(utterance.line)
            continue
        copy.units[utterance.uid] = Unit(utterance.line, utterance.text, frozenset(applied), applied)
    if unmatched:
        warnings.append(VerlichtWarning(
            f"{len(unmatched)} coded line(s) have no uid and cannot be matched with other copies; left out",
            Location(copy.path, unmatched[0]), "give every utterance a uid (rock's prepend_ids_to_sources)"))
    return copy, warnings


def read_copies(paths: Sequence[str | Path], coders: Mapping[str, str] | None = None,
                shown: Callable[[Path], str] | None = None) -> tuple[list[CoderCopy], list[VerlichtWarning]]:
    """Read every coder's copy of one source; ``coders`` maps a path (as given) to a coder name,
    ``shown`` names a file in messages and references (default: as given).

    Raises :class:`CodingError` for fewer than two copies, a ``coders`` path that is not among
    them, two copies by the same coder, or copies that share no uid.
    """
    if len(paths) < 2:
        raise CodingError("agreement and merge need at least two coders' copies", None,
                          "give one file per coder, e.g. coders/anna/r07.rock coders/bram/r07.rock")
    given = _names_by_file(paths, coders or {})
    copies: list[CoderCopy] = []
    warnings: list[VerlichtWarning] = []
    for path in paths:
        copy, found = read_copy(path, given.get(_same_file(path)), shown(Path(path)) if shown else None)
        copies.append(copy)
        warnings.extend(found)
    seen: dict[str, str] = {}
    for copy in copies:
        if copy.coder in seen:
            raise CodingError(f"two copies are by coder '{copy.coder}' ({seen[copy.coder]} and {copy.path})",
                              Location(copy.path),
                              "mark each copy with its own [[coderId=…]], pass --coder FILE=NAME, "
                              "or keep the copies in a folder per coder")
        seen[copy.coder] = copy.path
    shared = Counter(uid for copy in copies for uid in copy.units)
    if not any(count >= 2 for count in shared.values()):
        raise CodingError("the copies share no utterance uid", Location(copies[1].path),
                          "compare copies of the same source; uids are the [[uid=…]] at the start of lines")
    return copies, warnings


def _same_file(path: str | Path) -> Path:
    return Path(path).absolute().resolve()


def _names_by_file(paths: Sequence[str | Path], coders: Mapping[str, str]) -> dict[Path, str]:
    files = {_same_file(p) for p in paths}
    named: dict[Path, str] = {}
    for path, name in coders.items():
        if _same_file(path) not in files:
            raise CodingError(f"--coder names {path}, which is not among the copies", None,
                              "write --coder FILE=NAME with FILE one of the sources given")
        named[_same_file(path)] = name
    return named


def unit_order(copies: Sequence[CoderCopy]) -> list[str]:
    """Every uid in any copy: the first copy's order, then what only later copies have."""
    return list(dict.fromkeys(uid for copy in copies for uid in copy.units))


def missing_warnings(copies: Sequence[CoderCopy], order: Sequence[str]) -> list[VerlichtWarning]:
    """One warning per copy that lacks utterances other copies have."""
    warnings = []
    for copy in copies:
        lacking = [uid for uid in order if uid not in copy.units]
        if lacking:
            shown = ", ".join(lacking[:5]) + (", …" if len(lacking) > 5 else "")
            warnings.append(VerlichtWarning(
                f"{len(lacking)} utterance(s) of other copies are missing from {copy.coder}'s copy ({shown}); "
                "they count only where two or more coders have them", Location(copy.path),
                "every coder should code a full copy of the source"))
    return warnings


def text_differences(copies: Sequence[CoderCopy], order: Sequence[str]) -> list[tuple[CoderCopy, str, CoderCopy]]:
    """(copy, uid, reference copy) for every utterance whose text differs from the first copy that has it."""
    found = []
    for uid in order:
        having = [c for c in copies if uid in c.units]
        for copy in having[1:]:
            if copy.units[uid].text != having[0].units[uid].text:
                found.append((copy, uid, having[0]))
    return found


# ---------------------------------------------------------------------- the report


@dataclass(slots=True)
class AgreementReport:
    """What ``verlicht agreement`` shows: per-kind (and per-code) statistics and every disagreement."""

    coders: list[dict[str, str]]
    units: int
    statistics: list[dict[str, Any]]
    disagreements: list[dict[str, Any]]
    warnings: list[VerlichtWarning]

    def to_dict(self) -> dict[str, Any]:
        return {"coders": self.coders, "units": self.units, "statistics": self.statistics,
                "disagreements": self.disagreements, "warnings": [w.to_dict() for w in self.warnings]}


def agreement(copies: Sequence[CoderCopy], kinds: Sequence[str] = KINDS, by_code: bool = True,
              warnings: Sequence[VerlichtWarning] = (), level: str = "edge") -> AgreementReport:
    """Agreement of the coders' copies on the codes of the given kinds ("code", "network").

    ``level`` says what a network code counts as: ``edge`` (default) ``cause->effect||type``, so
    ``causal_pos`` against ``causal_neg`` on one utterance is two disagreements (each coder lacks the
    other's edge); ``pair`` the ordered pair ``cause->effect`` whatever its type and sign, so a sign
    flip or a retyped edge agrees and only a missing, extra or reversed edge disagrees.

    Statistics rows: one pooled row per kind, then (``by_code``) one per variable, each with
    ``kind, code, variables, units, agreement, alpha, kappa, applied`` (units per coder) and a
    ``note`` saying why a statistic is undefined. Disagreement rows: ``uid, lines`` (per coder),
    ``text`` (the utterance's whole text: only a table shortens it), ``kind, code, applied_by,
    not_applied_by`` and a ``note`` naming a near miss (the same edge reversed or with another type).
    """
    if level not in LEVELS:
        raise CodingError(f"unknown agreement level '{level}'", None, f"use one of: {', '.join(LEVELS)}")
    if level == "pair":
        copies = [at_pair_level(c) for c in copies]
    order = unit_order(copies)
    warnings = [*warnings, *missing_warnings(copies, order)]
    for copy, uid, reference in text_differences(copies, order):
        warnings.append(VerlichtWarning(
            f"the text of uid {uid} differs from {reference.coder}'s copy "
            f"({reference.path}:{reference.units[uid].line}); its codes are compared all the same",
            Location(copy.path, copy.units[uid].line), "copies should differ in their codes only"))
    units = [uid for uid in order if sum(uid in c.units for c in copies) >= 2]
    statistics: list[dict[str, Any]] = []
    disagreements: list[dict[str, Any]] = []
    for kind in kinds:
        variables = sorted({key for c in copies for u in c.units.values() for k, key in u.applied if k == kind})
        matrices = {key: _matrix(copies, units, (kind, key)) for key in variables}
        pooled = [row for key in variables for row in matrices[key]]
        statistics.append(_statistic(kind, None, pooled, copies, len(variables), len(units)))
        if by_code:
            statistics.extend(_statistic(kind, key, matrices[key], copies, 1, len(units)) for key in variables)
        for key in variables:
            disagreements.extend(_disagreements(copies, units, kind, key, matrices[key]))
    position = {uid: i for i, uid in enumerate(units)}
    disagreements.sort(key=lambda row: (position[row["uid"]], KINDS.index(row["kind"]), row["code"]))
    return AgreementReport(
        coders=[{"coder": c.coder, "path": c.path} for c in copies], units=len(units),
        statistics=statistics, disagreements=disagreements, warnings=warnings)


def agreement_between(paths: Sequence[str | Path], coders: Mapping[str, str] | None = None,
                      kinds: Sequence[str] = KINDS, by_code: bool = True, level: str = "edge",
                      shown: Callable[[Path], str] | None = None) -> AgreementReport:
    """Read the coders' copies (see :func:`read_copies`) and report their :func:`agreement`."""
    copies, warnings = read_copies(paths, coders, shown)
    return agreement(copies, kinds=kinds, by_code=by_code, warnings=warnings, level=level)


def at_pair_level(copy: CoderCopy) -> CoderCopy:
    """The copy with every network code counted as its ``cause->effect`` pair, type and sign aside."""
    units = {}
    for uid, unit in copy.units.items():
        spelled: dict[tuple[str, str], str] = {}
        for (kind, key) in sorted(unit.applied):
            pair = (kind, key.partition("||")[0]) if kind == "network" else (kind, key)
            spelled.setdefault(pair, unit.spelled[(kind, key)])
        units[uid] = Unit(unit.line, unit.text, frozenset(spelled), spelled)
    return CoderCopy(copy.coder, copy.path, copy.editable, units)


def _matrix(copies: Sequence[CoderCopy], units: Sequence[str], variable: tuple[str, str]) -> list[list[bool | None]]:
    """Per unit, per coder: whether the variable was applied (None where the copy lacks the unit)."""
    return [[(variable in c.units[uid].applied) if uid in c.units else None for c in copies] for uid in units]


def _statistic(kind: str, key: str | None, rows: list[list[bool | None]], copies: Sequence[CoderCopy],
               variables: int, units: int) -> dict[str, Any]:
    alpha = alpha_nominal(rows)
    kappa = cohen_kappa([r[0] for r in rows], [r[1] for r in rows]) if len(copies) == 2 else None
    applied = {c.coder: sum(bool(r[i]) for r in rows) for i, c in enumerate(copies)}
    return {
        "kind": kind, "code": key, "variables": variables, "units": units,
        "agreement": percent_agreement(rows), "alpha": alpha, "kappa": kappa, "applied": applied,
        "note": _undefined(rows, key, kind) if alpha is None else None,
    }


def _undefined(rows: list[list[bool | None]], key: str | None, kind: str) -> str:
    """Why alpha (and kappa) cannot be computed, in words a coder understands."""
    if key is None and not rows:
        return f"undefined: no {'codes' if kind == 'code' else 'network edges'} applied"
    values = {v for r in rows if sum(x is not None for x in r) >= 2 for v in r if v is not None}
    if not values:
        return "undefined: no utterance is in two or more copies"
    if values == {True}:
        return "undefined: every coder applied it to every utterance"
    return "undefined: applied only on utterances that one coder alone has"


def _disagreements(copies: Sequence[CoderCopy], units: Sequence[str], kind: str, key: str,
                   rows: list[list[bool | None]]) -> list[dict[str, Any]]:
    found = []
    for uid, row in zip(units, rows, strict=True):
        present = [v for v in row if v is not None]
        if len(set(present)) < 2:
            continue
        having = [c for c in copies if uid in c.units]
        text = having[0].units[uid].text
        against = [c for c, v in zip(copies, row, strict=True) if v is False]
        found.append({
            **copies_ref(copies, uid),
            "lines": {c.coder: c.units[uid].line for c in having},
            "text": text,
            "kind": kind,
            "code": key,
            "applied_by": [c.coder for c, v in zip(copies, row, strict=True) if v],
            "not_applied_by": [c.coder for c in against],
            "note": _near_miss(key, uid, against) if kind == "network" else None,
        })
    return found


def _near_miss(key: str, uid: str, against: Sequence[CoderCopy]) -> str | None:
    """What coders who lack an edge put there instead: the same edge reversed, or with another type."""
    ends, _, edge_type = key.partition("||")
    cause, _, effect = ends.partition("->")
    notes = []
    for copy in against:
        for kind, other in sorted(copy.units[uid].applied):
            if kind != "network":
                continue
            other_ends, _, other_type = other.partition("||")
            if other_ends == f"{effect}->{cause}":
                notes.append(f"{copy.coder} has it reversed ({other})")
            elif other_ends == ends and other_type != edge_type:
                notes.append(f"{copy.coder} has type {other_type}")
    return "; ".join(notes) or None
