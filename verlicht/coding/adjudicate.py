"""Settling two coders' differences utterance by utterance (``verlicht code adjudicate A B``).

``verlicht merge`` decides every code by a rule; adjudication lets the team decide. For every
utterance where coder A's and coder B's codes differ (any code, or an edge's weight) the
adjudicator takes one decision:

* ``a`` / ``b``: that coder's codes for the utterance;
* ``both``: every code either applied (A's weight where both gave an edge different weights);
  refused when that would hold one edge with opposite signs, as ``merge`` never keeps both;
* ``neither``: only the codes both coders applied (the disputed ones are dropped);
* ``edit``: codes typed by the adjudicator, checked as the coder checks them: valid codes, and (given
  the workspace's codebook) only concepts and edge types the codebook defines.

Two files are written, atomically, after every decision:

* the *consensus* (``--out``; by default ``coders/consensus/NAME`` when the copies are in
  ``coders/CODER/``): A's text, uids, case ids and YAML, no ``[[coderId=…]]``; every utterance
  holds the codes both coders agree on, or the decision taken; a ``VERLICHT_adjudication`` YAML
  fragment records the coders and how many decisions are still open. It must read back with the
  ROCK reader as the same utterances, uids and text, or nothing is written;
* the *decisions log* next to it (``NAME.decisions.csv``): one row per decided utterance in the
  source's order, with what A and B had and the codes decided, so it diffs well under git and
  tells a reviewer why the consensus holds what it holds.

The log is the state: opening the same pair again resumes, keeping every decision already taken
(also after Ctrl-C or a crash; the log is written before the consensus, and the consensus is
always rewritten from the copies and the log). A decision whose utterance has since changed in
either copy is dropped and asked again, and said so. The consensus is rewritten from the log each
time; change its codes through the adjudicator (``edit``), not by hand, until every decision is taken.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from verlicht import __version__
from verlicht.coding.agreement import CoderCopy, key_of, read_copies
from verlicht.coding.edit import canonical, parse_code
from verlicht.coding.merge import _after_leading_fragments, _recoded, check_same_utterances, default_polarity
from verlicht.coding.refs import copies_ref
from verlicht.errors import CodingError, Location, VerlichtWarning
from verlicht.fsio import atomic_write_text

CHOICES = ("a", "b", "both", "neither", "edit")
LOG_COLUMNS = ["uid", "ref", "decision", "codes", "a", "b", "by", "date"]
OLD_LOG_COLUMNS = LOG_COLUMNS[:6]  # a log written before who and when were recorded: still resumed
ROW_COLUMNS = ["uid", "ref", "a", "b", "decision", "codes", "text"]
SEPARATOR = " ; "  # between codes in one cell of the log (no code holds a ';')


@dataclass(frozen=True, slots=True)
class Difference:
    """One utterance on which the two coders differ: its reference, text and each coder's codes."""

    uid: str
    ref: str
    line: int
    text: str
    case: str | None
    a: tuple[str, ...]  # A's codes, canonical spelling, in A's order
    b: tuple[str, ...]
    agreed: tuple[str, ...]  # the codes both applied (A's spelling), what 'neither' keeps


@dataclass(frozen=True, slots=True)
class Verdict:
    """A decision taken on one utterance: which choice, the codes it gives, and what A and B had then."""

    uid: str
    decision: str
    codes: tuple[str, ...]
    a: tuple[str, ...]
    b: tuple[str, ...]
    by: str = ""  # who decided (the adjudicator), for the audit trail; "" in a log from before it was kept
    date: str = ""  # the day it was decided (ISO)


def default_consensus(a: Path) -> Path:
    """``coders/consensus/NAME`` for a copy in ``coders/CODER/NAME``; a :class:`CodingError` elsewhere."""
    a = Path(a)
    if a.absolute().parent.parent.name == "coders":
        return a.absolute().parent.parent / "consensus" / a.name
    raise CodingError("say where the consensus goes", Location(str(a)),
                      "pass --out FILE (the default, coders/consensus/NAME, needs the copies in coders/CODER/)")


def log_path(out: Path) -> Path:
    """The decisions log of a consensus: ``NAME.decisions.csv`` next to it."""
    return out.with_name(f"{out.stem}.decisions.csv")


class Adjudication:
    """Two coders' copies, their differences and the decisions taken, written as consensus and log."""

    def __init__(self, a: CoderCopy, b: CoderCopy, out: Path, shown_out: str,
                 polarity: Mapping[str, str | None], warnings: list[VerlichtWarning], codebook: Any = None):
        self.a, self.b = a, b
        self.out = out
        self.shown_out = shown_out
        self.log = log_path(out)
        self.polarity = polarity
        self.warnings = warnings
        self.codebook = codebook  # verlicht.codebook.Codebook: what an edit may name (None: anything)
        self._base = list(a.editable.lines)
        self.differences = _differences(a, b)
        self._by_uid = {d.uid: d for d in self.differences}
        self.verdicts: dict[str, Verdict] = {}
        self.history: list[str] = []  # uids in the order decided this session, for undo
        self.by = ""  # the adjudicator, written with each decision (set by adjudicate() and the CLI)

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, a: str | Path, b: str | Path, out: str | Path | None = None, force: bool = False,
             polarity: Mapping[str, str | None] | None = None, shown: Callable[[Path], str] | None = None,
             write: bool = True, codebook: Any = None) -> Adjudication:
        """Read A's and B's copies and resume from the decisions log next to ``out``, if there is one.

        A new adjudication refuses an existing ``out`` (``force`` starts afresh, dropping its log).
        With ``write`` the consensus is written at once, so the file is there from the first moment.
        """
        copies, warnings = read_copies([a, b], shown=shown)
        check_same_utterances(copies)
        out = Path(out) if out is not None else default_consensus(Path(a))
        name = shown(out.absolute()) if shown else str(out)
        inputs = {Path(c.editable.path).resolve() for c in copies}
        if out.resolve() in inputs or log_path(out).resolve() in inputs:
            raise CodingError(f"{name} is one of the coders' copies", Location(name),
                              "write the consensus to a new file, e.g. coders/consensus/NAME")
        adjudication = cls(copies[0], copies[1], out, name, polarity or default_polarity(), warnings, codebook)
        if adjudication.log.exists() and not force:
            adjudication._resume()
        elif out.exists() and not force:
            raise CodingError("the file exists and has no decisions log next to it; nothing was written",
                              Location(name), f"choose another --out, or pass --force to start afresh "
                              f"(a resumed adjudication keeps its log, {log_path(Path(name)).name})")
        if write:
            adjudication.save()
        return adjudication

    def _resume(self) -> None:
        shown_log = str(log_path(Path(self.shown_out)))
        try:
            text = self.log.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CodingError(f"cannot read the decisions log: {exc}", Location(shown_log),
                              "restore it from git, or pass --force to start afresh") from None
        reader = csv.DictReader(io.StringIO(text))
        if reader.fieldnames not in (LOG_COLUMNS, OLD_LOG_COLUMNS):
            raise CodingError("this is not a decisions log of 'verlicht code adjudicate'", Location(shown_log, 1),
                              f"its header must be {','.join(LOG_COLUMNS)}; pass --force to start afresh")
        for number, row in enumerate(reader, start=2):
            uid, decision = row["uid"], row["decision"]
            if decision not in CHOICES:
                raise CodingError(f"unknown decision '{decision}'", Location(shown_log, number),
                                  f"use one of: {', '.join(CHOICES)}")
            difference = self._by_uid.get(uid)
            a, b = _split(row["a"]), _split(row["b"])
            if difference is None or (difference.a, difference.b) != (a, b):
                self.warnings.append(VerlichtWarning(
                    f"the decision on uid {uid} is dropped: the coders' codes there changed since it was taken"
                    if difference is not None else
                    f"the decision on uid {uid} is dropped: the coders no longer differ there",
                    Location(shown_log, number), "it is asked again where the coders still differ"))
                continue
            self.verdicts[uid] = Verdict(uid, decision, _split(row["codes"]), a, b, row.get("by") or "",
                                         row.get("date") or "")

    # ------------------------------------------------------------------ reading
    @property
    def coders(self) -> tuple[str, str]:
        return self.a.coder, self.b.coder

    def open_differences(self) -> list[Difference]:
        return [d for d in self.differences if d.uid not in self.verdicts]

    def difference(self, uid: str) -> Difference:
        if uid not in self._by_uid:
            hint = (f"the coders do not differ on uid {uid}" if uid in self.a.units
                    else "'verlicht code adjudicate A B --list' shows the uids where they differ")
            raise CodingError(f"no difference to settle at uid '{uid}'", Location(self.a.path), hint)
        return self._by_uid[uid]

    def rows(self) -> list[dict[str, Any]]:
        """One row per difference: reference, each coder's codes, the decision (None while open) and its codes."""
        rows = []
        for d in self.differences:
            verdict = self.verdicts.get(d.uid)
            rows.append({"uid": d.uid, "ref": d.ref, "path": self.a.path, "line": d.line, "case": d.case,
                         "a": list(d.a), "b": list(d.b),
                         "agreed": list(d.agreed), "decision": verdict.decision if verdict else None,
                         "codes": list(verdict.codes) if verdict else None, "text": d.text})
        return rows

    # ------------------------------------------------------------------ deciding
    def outcome(self, uid: str, choice: str, codes: Sequence[str] | None = None) -> tuple[str, ...]:
        """The codes ``choice`` gives the utterance; a :class:`CodingError` for a choice that cannot stand."""
        d = self.difference(uid)
        where = Location(self.a.path, d.line)
        if choice == "a":
            found = d.a
        elif choice == "b":
            found = d.b
        elif choice == "neither":
            found = d.agreed
        elif choice == "both":
            found = _union(d.a, d.b)
        elif choice == "edit":
            if codes is None:
                raise CodingError("an edit needs the codes", where, "e.g. edit:a->b||causal_pos;wonen>instroom")
            found = _union(tuple(canonical(parse_code(c, where)) for c in codes if c.strip()), ())
            self._check_known(found, where)
        else:
            raise CodingError(f"unknown decision '{choice}'", where, f"use one of: {', '.join(CHOICES)}")
        opposite = _opposite_signs(found, self.polarity)
        if opposite:
            raise CodingError(f"{choice} would keep {opposite[0]} and {opposite[1]}, a claim and its opposite",
                              where, "take one coder's codes (a or b), or edit the codes to keep one sign")
        return found

    def _check_known(self, codes: Sequence[str], where: Location) -> None:
        """Refuse an edited code naming a concept or edge type the codebook lacks, as the coder does."""
        if self.codebook is None:
            return
        for code in codes:
            kind = parse_code(code)
            if kind.tag == "network":
                names = [kind.source, kind.target]
                if kind.type not in self.codebook.edge_types:
                    raise CodingError(f"edge type '{kind.type}' is not in the codebook", where,
                                      f"use one of: {', '.join(sorted(self.codebook.edge_types))}")
            else:
                names = [">".join(kind.path) if kind.tag == "code" else kind.code]
            for name in names:
                if name.rsplit(">", 1)[-1] not in self.codebook.concepts:
                    raise CodingError(f"'{name.rsplit('>', 1)[-1]}' is not in the codebook", where,
                                      "add it first ('new CODE' in the coder), or take a coder's codes")

    def decide(self, uid: str, choice: str, codes: Sequence[str] | None = None, save: bool = True) -> Verdict:
        """Take a decision on one utterance and (with ``save``) write the log and the consensus at once."""
        found = self.outcome(uid, choice, codes)
        d = self._by_uid[uid]
        verdict = Verdict(uid, choice, found, d.a, d.b, self.by, date.today().isoformat())
        before = self.verdicts.get(uid)
        self.verdicts[uid] = verdict
        if save:
            try:
                self.save()
            except BaseException:
                if before is None:
                    del self.verdicts[uid]
                else:
                    self.verdicts[uid] = before
                raise
        self.history.append(uid)
        return verdict

    def undo(self) -> str | None:
        """Take back the last decision of this session; the uid it was on, or None when there is none."""
        if not self.history:
            return None
        uid = self.history.pop()
        self.verdicts.pop(uid, None)
        self.save()
        return uid

    # ------------------------------------------------------------------ writing
    def consensus_lines(self) -> list[str]:
        """The consensus: A's lines, each utterance with its agreed or decided codes, no coder ids."""
        codes_at: dict[int, tuple[str, ...]] = {}
        for uid, unit in self.a.units.items():
            d = self._by_uid.get(uid)
            if d is None:
                codes_at[unit.line] = tuple(unit.spelled.values())
            elif uid in self.verdicts:
                codes_at[unit.line] = self.verdicts[uid].codes
            else:
                codes_at[unit.line] = d.agreed
        coder_lines = {line for line, _ in self.a.editable.coders()}
        lines: list[str] = []
        for number, line in enumerate(self._base, start=1):
            if number in codes_at or number in coder_lines:
                line = _recoded(line, codes_at.get(number, ()))
                if not line:  # a line that held only a coder id
                    continue
            lines.append(line)
        record = {"VERLICHT_adjudication": {
            "tool": f"verlicht {__version__}", "coders": list(self.coders),
            "log": log_path(Path(self.shown_out)).name, "differences": len(self.differences),
            "open": len(self.open_differences())}}
        fragment = yaml.safe_dump(record, sort_keys=False, allow_unicode=True,
                                  default_flow_style=False).splitlines()
        at = _after_leading_fragments(lines)
        lines[at:at] = ["---", *fragment, "---"]
        return lines

    def log_text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(LOG_COLUMNS)
        for d in self.differences:  # the source's order, whatever the order of deciding: diffs stay small
            verdict = self.verdicts.get(d.uid)
            if verdict is not None:
                writer.writerow([d.uid, d.ref, verdict.decision, SEPARATOR.join(verdict.codes),
                                 SEPARATOR.join(verdict.a), SEPARATOR.join(verdict.b), verdict.by, verdict.date])
        return buffer.getvalue()

    def save(self) -> None:
        """Write the log, then the consensus (checked with the ROCK reader), each atomically."""
        editable = self.a.editable
        editable.restore(self.consensus_lines())
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.log, self.log_text())
            editable.write_to(self.out, overwrite=True)
        finally:
            editable.restore(self._base)


# ---------------------------------------------------------------------- inside


def _differences(a: CoderCopy, b: CoderCopy) -> list[Difference]:
    found = []
    for uid, unit in a.units.items():
        other = b.units.get(uid)
        if other is None:
            continue
        codes_a, codes_b = tuple(unit.spelled.values()), tuple(other.spelled.values())
        if set(codes_a) == set(codes_b):
            continue
        agreed = tuple(spelled for key, spelled in unit.spelled.items() if key in other.applied)
        ref = copies_ref([a, b], uid)
        utterance = a.editable.utterance_at(unit.line)
        found.append(Difference(uid, ref["ref"], unit.line, unit.text, utterance.case_id, codes_a, codes_b, agreed))
    return found


def _union(first: Sequence[str], second: Sequence[str]) -> tuple[str, ...]:
    """Codes of both lists, once each (an edge once, with the first list's weight)."""
    seen: dict[tuple[str, str] | str, str] = {}
    for code in (*first, *second):
        key = key_of(parse_code(code)) or code
        seen.setdefault(key, code)
    return tuple(seen.values())


def _opposite_signs(codes: Sequence[str], polarity: Mapping[str, str | None]) -> tuple[str, str] | None:
    signs: dict[str, dict[str, str]] = {}
    for code in codes:
        kind = parse_code(code)
        if kind.tag == "network" and polarity.get(kind.type) in ("+", "-"):
            signs.setdefault(f"{kind.source}->{kind.target}", {}).setdefault(polarity[kind.type], code)
    for found in signs.values():
        if len(found) == 2:
            return found["+"], found["-"]
    return None


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split(";") if part.strip())


def parse_decision(text: str) -> tuple[str, str, list[str] | None]:
    """``UID=CHOICE`` (``--decide``) as (uid, choice, codes); ``UID=edit:CODE;CODE`` gives the codes.

    >>> parse_decision("7ddr5tz6=edit:a->b||causal_pos;wonen")
    ('7ddr5tz6', 'edit', ['a->b||causal_pos', 'wonen'])
    """
    uid, sep, choice = text.partition("=")
    choice = choice.strip()
    if not sep or not uid.strip() or not choice:
        raise CodingError(f"'{text}' is not UID=CHOICE", None,
                          f"e.g. --decide 7ddr5tz6=a; choices: {', '.join(CHOICES)} (edit:CODE;CODE)")
    if choice.startswith("edit:"):
        return uid.strip(), "edit", [c.strip() for c in choice[5:].split(";") if c.strip()]
    aliases = {"take-a": "a", "take-b": "b", "take_a": "a", "take_b": "b"}
    choice = aliases.get(choice, choice)
    if choice not in CHOICES or choice == "edit":
        raise CodingError(f"unknown decision '{choice}' for uid {uid.strip()}", None,
                          "use a, b, both, neither or edit:CODE;CODE")
    return uid.strip(), choice, None


def adjudicate(a: str | Path, b: str | Path, out: str | Path | None = None, take: str | None = None,
               decide: Sequence[str] = (), force: bool = False, list_only: bool = False,
               polarity: Mapping[str, str | None] | None = None,
               shown: Callable[[Path], str] | None = None, codebook: Any = None, by: str = "") -> Adjudication:
    """The non-interactive adjudication: each ``decide`` (``UID=CHOICE``), then ``take`` for every
    utterance still open; written once at the end (a refused decision writes nothing). ``list_only`` writes
    nothing but reports. ``by``: the adjudicator, logged with each decision."""
    if take is not None and take not in ("a", "b", "both", "neither"):
        raise CodingError(f"--take '{take}' is not a decision for every utterance", None,
                          "use a, b, both or neither")
    adjudication = Adjudication.open(a, b, out, force=force, polarity=polarity, shown=shown,
                                     write=False, codebook=codebook)  # written once, below, if all goes well
    adjudication.by = by
    if list_only:
        return adjudication
    for text in decide:
        uid, choice, codes = parse_decision(text)
        adjudication.decide(uid, choice, codes, save=False)
    if take is not None:
        for d in adjudication.open_differences():
            try:
                adjudication.decide(d.uid, take, save=False)
            except CodingError as exc:  # 'both' on opposite signs: that one stays open, the rest is decided
                adjudication.warnings.append(VerlichtWarning(f"uid {d.uid} left open: {exc.message}",
                                                             exc.location, exc.hint))
    adjudication.save()
    return adjudication
