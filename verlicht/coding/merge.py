"""A consensus source from several coders' copies of one source (``verlicht merge``).

The consensus is the first copy's text, uids, case ids and YAML, with every code decided by a
rule over the coders (codes compare as in :mod:`verlicht.coding.agreement`: canonical spelling,
network edges without their weight):

* ``all``: kept when every coder applied it;
* ``majority`` (default): kept when more than half the coders did. With two coders that is both
  (the same as ``all``): every code only one of them applied is a conflict and is left out. The
  command says so each time; ``verlicht code adjudicate A B`` settles such conflicts one by one;
* ``any``: kept when at least one coder did.

*Contradictory types*: on one utterance, network codes for the same ``cause->effect`` whose edge
types have opposite polarity (``causal_pos`` and ``causal_neg``, or a codebook's own types with
polarity ``+`` and ``-``) are always conflicts, noted "contradictory types", under every rule.
The rule decides each of them as usual, but the consensus never keeps both signs: where it would
(with ``any`` whenever coders differ on the sign), it keeps neither, and the comment above the
utterance names both with their coders. One utterance states one claim: keeping both would count
the same words as evidence for a claim and for its opposite, and keeping one would be a guess the
team should make, not the tool. ``causal`` (no polarity) contradicts nothing.

A code some coders applied and others did not is a *conflict*, kept or not. Conflicts are
listed (uid, line in the merged file, code, for and against), written as ``#`` comment lines
above their utterance so coders see them where they work (rock ignores comments; the codes
in them carry no brackets), and, if asked, to a CSV file. An edge kept with different weights
is listed too; the weight of the first coder (in the order the copies were given) who applied
it is kept.

The merged file carries no ``[[coderId=…]]`` (a consensus is no one coder's work); a YAML
fragment at its top records the merge::

    VERLICHT_merge:
      tool: verlicht 0.1.0
      rule: majority
      coders:
      - anna
      - bram
      conflicts: 9

Copies must hold the same utterances (uids) with the same text in the same order; any
difference is a located error and nothing is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import zip_longest
from pathlib import Path
from typing import Any

import yaml

from verlicht import __version__
from verlicht.codebook import BUILTIN_EDGE_TYPES
from verlicht.coding.agreement import CoderCopy, read_copies
from verlicht.coding.edit import CODER_KEY, tokens
from verlicht.coding.refs import copies_ref
from verlicht.errors import CodingError, Location, VerlichtWarning
from verlicht.fsio import atomic_write_text
from verlicht.workspace import Layout

RULES = ("all", "majority", "any")
CONFLICT_COLUMNS = ["uid", "ref", "out_ref", "kind", "code", "for", "against", "kept", "note"]


def keeps(rule: str, applied: int, coders: int) -> bool:
    """Whether a code ``applied`` by that many of ``coders`` coders stays in the consensus."""
    if rule == "all":
        return applied == coders
    if rule == "majority":
        return 2 * applied > coders
    if rule == "any":
        return applied > 0
    raise ValueError(f"unknown merge rule {rule!r}")


@dataclass(frozen=True, slots=True)
class Decision:
    """What the merge does with one code on one utterance, and who applied it."""

    uid: str
    kind: str
    code: str  # the compared key: canonical spelling, edges without weight
    spelled: str  # what is written when kept
    applied_by: tuple[str, ...]
    not_applied_by: tuple[str, ...]
    kept: bool
    weights: tuple[tuple[str, str], ...] = ()  # (coder, weight) when coders gave an edge different weights
    contradicts: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (type, coders) of every sign on this edge
    both_signs_dropped: bool = False  # the rule would have kept opposite signs, so neither was

    @property
    def conflict(self) -> bool:
        return bool(self.not_applied_by) or bool(self.weights) or bool(self.contradicts)

    @property
    def contradiction(self) -> str | None:
        """``contradictory types: causal_pos (anna), causal_neg (bram)``."""
        if not self.contradicts:
            return None
        return "contradictory types: " + ", ".join(f"{t} ({', '.join(who)})" for t, who in self.contradicts)


@dataclass(slots=True)
class MergeReport:
    """What ``verlicht merge`` did: where it wrote, by which rule, what it kept and the conflicts."""

    out: str
    rule: str
    coders: list[str]
    utterances: int
    kept: int
    conflicts: list[dict[str, Any]]
    warnings: list[VerlichtWarning]
    rule_means: str = ""  # the rule in words for this many coders (see :func:`rule_meaning`)

    def to_dict(self) -> dict[str, Any]:
        return {"out": self.out, "rule": self.rule, "rule_means": self.rule_means, "coders": self.coders,
                "utterances": self.utterances, "kept": self.kept, "conflicts": self.conflicts,
                "warnings": [w.to_dict() for w in self.warnings]}


def rule_meaning(rule: str, coders: int) -> str:
    """What ``rule`` keeps with this many coders, in words; says plainly that a majority of two is both.

    >>> rule_meaning("majority", 2).split(";")[0]
    'a code is kept only when both coders applied it (with two coders a majority is both, as --rule all)'
    """
    if rule == "majority" and coders == 2:
        return ("a code is kept only when both coders applied it (with two coders a majority is both, as --rule "
                "all); every code one coder applied is a conflict, not kept")
    if rule == "majority":
        return f"a code is kept when at least {coders // 2 + 1} of the {coders} coders applied it"
    if rule == "all":
        return f"a code is kept only when all {coders} coders applied it"
    return "a code is kept when any coder applied it"


def check_same_utterances(copies: Sequence[CoderCopy]) -> None:
    """Raise a located :class:`CodingError` at the first utterance where a copy differs from the first copy.

    Copies must list the same utterances (uid and text) in the same order, and every coded line needs
    a uid: codes cannot be matched across copies otherwise.
    """
    reference = copies[0]
    expected = _utterances(reference)
    for copy in copies:
        for utterance in copy.editable.utterances:
            if utterance.uid is None and any(t.is_code for t in tokens(copy.editable.lines[utterance.line - 1])):
                raise CodingError("a coded line without uid cannot be matched with the other copies",
                                  Location(copy.path, utterance.line),
                                  "give every utterance a uid (rock's prepend_ids_to_sources), in every copy")
    for copy in copies[1:]:
        found = _utterances(copy)
        uids = {uid for uid, _, _ in found}
        known = {uid for uid, _, _ in expected}
        for ours, theirs in zip_longest(expected, found):
            if ours == theirs or (ours and theirs and ours[:2] == theirs[:2]):
                continue
            if theirs is None or (ours is not None and ours[0] not in uids):
                raise CodingError(f"uid {ours[0]} ({reference.path}:{ours[2]}) is missing from this copy",
                                  Location(copy.path, theirs[2] if theirs else None),
                                  "copies must hold the same utterances; code a full copy of the source")
            if ours is None or theirs[0] not in known:
                raise CodingError(f"uid {theirs[0]} is not in {reference.coder}'s copy ({reference.path})",
                                  Location(copy.path, theirs[2]),
                                  "copies must hold the same utterances; remove the line or code a fresh copy")
            if ours[0] != theirs[0]:
                raise CodingError(f"utterances are in another order than in {reference.coder}'s copy "
                                  f"({reference.path}:{ours[2]} has uid {ours[0]} here)",
                                  Location(copy.path, theirs[2]), "keep the lines in the order of the source")
            raise CodingError(f"the text of uid {ours[0]} differs from {reference.coder}'s copy "
                              f"({reference.path}:{ours[2]})", Location(copy.path, theirs[2]),
                              "copies may differ in their codes only; correct the text, then merge again")


def _utterances(copy: CoderCopy) -> list[tuple[str | None, str, int]]:
    return [(u.uid, u.text, u.line) for u in copy.editable.utterances if u.text or u.uid]


def decide(copies: Sequence[CoderCopy], rule: str = "majority",
           polarity: Mapping[str, str | None] | None = None) -> list[Decision]:
    """Every code any coder applied, per utterance in the first copy's order, with the rule's verdict.

    ``polarity`` gives each edge type's polarity (``+``, ``-``, ``?`` or None; the built-in types by
    default): opposite signs on one edge of one utterance are contradictory (see the module text).
    """
    polarity = default_polarity() if polarity is None else polarity
    decisions = []
    names = [c.coder for c in copies]
    for uid in copies[0].units:
        keys = list(dict.fromkeys(key for copy in copies for key in copy.units[uid].spelled))
        found = []
        for key in keys:
            having = [c for c in copies if key in c.units[uid].applied]
            spellings = {c.coder: c.units[uid].spelled[key] for c in having}
            weights: tuple[tuple[str, str], ...] = ()
            if len(set(spellings.values())) > 1:  # only an edge's weight can differ
                weights = tuple((coder, _weight(spelled)) for coder, spelled in spellings.items())
            found.append(Decision(
                uid=uid, kind=key[0], code=key[1], spelled=spellings[having[0].coder],
                applied_by=tuple(c.coder for c in having),
                not_applied_by=tuple(n for n in names if n not in spellings),
                kept=keeps(rule, len(having), len(copies)), weights=weights))
        decisions.extend(_contradictions(found, polarity))
    return decisions


def default_polarity() -> dict[str, str | None]:
    """The polarity of the built-in edge types (``causal_pos`` +, ``causal_neg`` -)."""
    return {name: kind.polarity for name, kind in BUILTIN_EDGE_TYPES.items()}


def edge_polarity(layout: Layout | None) -> dict[str, str | None]:
    """The polarity of every edge type of the workspace's codebook; the built-in types without a workspace."""
    if layout is None:
        return default_polarity()
    from verlicht.coding.usage import load_codebook_of

    return {name: kind.polarity for name, kind in load_codebook_of(layout).edge_types.items()}


def _contradictions(decisions: list[Decision], polarity: Mapping[str, str | None]) -> list[Decision]:
    """One utterance's decisions, with network codes of opposite sign on the same edge marked (and never
    both kept)."""
    signed: dict[str, list[int]] = {}  # cause->effect -> indexes of its codes with a sign
    for i, decision in enumerate(decisions):
        if decision.kind == "network":
            ends, _, type_ = decision.code.rpartition("||")
            if polarity.get(type_) in ("+", "-"):
                signed.setdefault(ends, []).append(i)
    result = list(decisions)
    for indexes in signed.values():
        group = [decisions[i] for i in indexes]
        signs = {polarity.get(d.code.rpartition("||")[2]) for d in group}
        if signs != {"+", "-"}:
            continue
        kept_signs = {polarity.get(d.code.rpartition("||")[2]) for d in group if d.kept}
        dropped = kept_signs == {"+", "-"}
        contradicts = tuple((d.code.rpartition("||")[2], d.applied_by) for d in group)
        for i in indexes:
            result[i] = replace(decisions[i], contradicts=contradicts, both_signs_dropped=dropped,
                                kept=decisions[i].kept and not dropped)
    return result


def _weight(spelled: str) -> str:
    parts = spelled.split("||")
    return parts[2] if len(parts) == 3 else "none"


def merge(paths: Sequence[str | Path], out: str | Path, rule: str = "majority",
          coders: Mapping[str, str] | None = None, conflicts_csv: str | Path | None = None,
          comments: bool = True, force: bool = False,
          polarity: Mapping[str, str | None] | None = None) -> MergeReport:
    """Merge coders' copies of one source into ``out`` by ``rule``; see the module docstring.

    ``polarity`` maps edge types to their polarity (the workspace codebook's; built-in types by default).

    Nothing is written unless every copy reads, all copies agree on utterances and text, and
    neither ``out`` nor ``conflicts_csv`` exists (``force`` overwrites them; a coder's copy never).
    Both files are written atomically.
    """
    if rule not in RULES:
        raise CodingError(f"unknown merge rule '{rule}'", None, f"use one of: {', '.join(RULES)}")
    out = Path(out)
    copies, warnings = read_copies(paths, coders)
    check_same_utterances(copies)
    targets = [out] + ([Path(conflicts_csv)] if conflicts_csv is not None else [])
    inputs = {Path(c.path).resolve() for c in copies}
    for target in targets:
        if target.resolve() in inputs:
            raise CodingError(f"{target} is one of the coders' copies", Location(str(target)),
                              "write the consensus to a new file")
        if target.exists() and not force:
            raise CodingError("the file exists; nothing was written", Location(str(target)),
                              "choose another file, or pass --force to overwrite it")
    decisions = decide(copies, rule, polarity)
    conflicts = [d for d in decisions if d.conflict]
    consensus = copies[0].editable
    line_of = {uid: unit.line for uid, unit in copies[0].units.items()}
    kept: dict[int, list[str]] = {line: [] for line in line_of.values()}
    above: dict[int, list[str]] = {}
    for decision in decisions:
        if decision.kept:
            kept[line_of[decision.uid]].append(decision.spelled)
        if comments and decision.conflict:
            above.setdefault(line_of[decision.uid], []).append(_comment(decision, rule))
    # Rewritten as text in one pass (re-reading the source after each of hundreds of codes would take
    # seconds); write_to checks the result with the reader: same utterances, uids and text.
    coder_lines = {line for line, _ in consensus.coders()}
    lines: list[str] = []
    for number, line in enumerate(consensus.lines, start=1):
        if number in kept or number in coder_lines:
            lines.extend(above.get(number, ()))
            line = _recoded(line, kept.get(number, []))
            if not line:  # a line that held only a coder id
                continue
        lines.append(line)
    coder_names = [c.coder for c in copies]
    fragment = yaml.safe_dump({"VERLICHT_merge": {"tool": f"verlicht {__version__}", "rule": rule,
                                                  "coders": coder_names, "conflicts": len(conflicts)}},
                              sort_keys=False, allow_unicode=True, default_flow_style=False).splitlines()
    at = _after_leading_fragments(lines)
    lines[at:at] = ["---", *fragment, "---"]
    consensus.restore(lines)
    merged_line = {u.uid: u.line for u in consensus.utterances if u.uid is not None}
    rows = [_conflict_row(d, copies_ref(copies, d.uid), f"{out}:{merged_line[d.uid]}") for d in conflicts]
    consensus.write_to(out, overwrite=force)
    if conflicts_csv is not None:
        atomic_write_text(Path(conflicts_csv), _csv(rows))
    return MergeReport(out=str(out), rule=rule, coders=coder_names, utterances=len(merged_line),
                       kept=sum(d.kept for d in decisions), conflicts=rows, warnings=warnings,
                       rule_means=rule_meaning(rule, len(copies)))


def _recoded(line: str, codes: Sequence[str]) -> str:
    """The line without its codes and coder ids (and the spaces before them), with ``codes`` appended."""
    out, last = "", 0
    for token in tokens(line):
        if not (token.is_code or (token.tag == "id" and token.kind.name == CODER_KEY)):
            continue
        out = (out + line[last : token.start]).rstrip(" \t")
        last = token.end
        if not out:  # the first thing on the line: take the spaces after it instead
            while last < len(line) and line[last] in " \t":
                last += 1
    out += line[last:]
    if codes:
        out = out.rstrip(" \t") + "".join(f" [[{code}]]" for code in codes)
    return out


def _comment(decision: Decision, rule: str) -> str:
    """A ``#`` line for a conflict; codes without brackets, so no tool can mistake the comment for coding."""
    verdict = "kept" if decision.kept else "not kept"
    if decision.not_applied_by:
        text = (f"# VERLICHT merge conflict: {decision.code} applied by {', '.join(decision.applied_by)}, "
                f"not by {', '.join(decision.not_applied_by)}")
    elif decision.weights:
        weights = ", ".join(f"{coder} {weight}" for coder, weight in decision.weights)
        text = f"# VERLICHT merge conflict: weights of {decision.code} differ ({weights})"
        verdict = f"kept {decision.spelled}" if decision.kept else verdict
    else:
        text = f"# VERLICHT merge conflict: {decision.code} applied by {', '.join(decision.applied_by)}"
    if decision.contradicts:
        text += f"; {decision.contradiction}"
        verdict = "neither sign kept" if decision.both_signs_dropped else verdict
    return f"{text}; {verdict} ({rule})" if decision.not_applied_by or decision.contradicts else f"{text}; {verdict}"


def _conflict_row(decision: Decision, ref: dict[str, Any], out_ref: str) -> dict[str, Any]:
    """A conflict as a row: the utterance's reference as ``agreement`` gives it (uid, the line in the first
    copy), and ``out_ref``, where it stands in the consensus (below its comment)."""
    notes = []
    if decision.contradicts:
        notes.append(decision.contradiction + ("; neither sign kept" if decision.both_signs_dropped else ""))
    if decision.weights:
        notes.append("weights differ: " + ", ".join(f"{c} {w}" for c, w in decision.weights)
                     + (f"; kept {decision.spelled}" if decision.kept else ""))
    return {**ref, "out_ref": out_ref, "kind": decision.kind, "code": decision.code,
            "for": list(decision.applied_by), "against": list(decision.not_applied_by), "kept": decision.kept,
            "note": "; ".join(notes) or None}


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CONFLICT_COLUMNS)
    for row in rows:
        writer.writerow([";".join(v) if isinstance(v, list) else "yes" if v is True else "no" if v is False
                         else "" if v is None else v for v in (row[c] for c in CONFLICT_COLUMNS)])
    return buffer.getvalue()


def _after_leading_fragments(lines: list[str]) -> int:
    """The index just after the YAML fragments a source opens with (its anonymisation marker stays first)."""
    at = 0
    while at < len(lines) and lines[at].rstrip() == "---":
        close = next((i for i in range(at + 1, len(lines)) if lines[i].rstrip() == "---"), None)
        if close is None:
            break
        at = close + 1
    return at
