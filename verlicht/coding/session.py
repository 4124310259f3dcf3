"""One coder working through one source: position, filters, changes, undo.

This is the interactive coder without a terminal: :mod:`verlicht.coding.tui`
draws it and reads keys, tests drive it directly. Every change is written to
disk at once (atomically, see :mod:`verlicht.coding.edit`), so quitting,
Ctrl-C or a crash never loses more than the edit being typed.

Three promises to the audit trail: a file holding codes without a coder id is
not marked as the coder's unless they claim it (:meth:`CodingSession.claim`);
no line moves (the coder id goes on the first utterance's line, a resolved
merge conflict's comment line is emptied), so line numbers stay valid; and a
concept created for a code is written, with its ``ontology/CHANGELOG.md``
entry, only together with that code, and undo takes both back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from verlicht.codebook import Codebook
from verlicht.coding.concepts import CodebookWriter, NewConcept, Written
from verlicht.coding.edit import EditableSource, contradiction, interviewers, parse_code
from verlicht.coding.rejections import Rejections
from verlicht.errors import CodingError, Location
from verlicht.rock.model import Utterance

SUGGEST_LIMIT = 1500  # characters; longer utterances are shown without suggestions
LOW_SCORE = 0.4  # below this a suggestion is right less than about 6 times in 10 (README: calibration)
CONFLICT_CODE = re.compile(r"(?:weights of )?(\S+)")


def _core(code: str) -> str:
    """A code without its weight: a suggested ``a->b||causal_pos`` is coded when ``a->b||causal_pos||2`` is."""
    return code.rsplit("||", 1)[0] if code.count("||") == 2 else code


class Suggestion(Protocol):
    code: str
    score: float
    cue: str
    kind: str


@dataclass(slots=True)
class Change:
    """What one action did, for the status line and the undo stack."""

    message: str
    lines: list[str] | None = None  # the file's lines before the change (None: nothing changed)
    uid: str | None = None  # the utterance it changed (undo goes back there)
    index: int | None = None
    written: Written | None = None  # concepts written to the codebook with it
    unreject: tuple[str, str] | None = None  # (uid, code) a rejection to take back


@dataclass(slots=True)
class Plan:
    """What coding several utterances at once would do, for the one confirmation."""

    code: str
    todo: list[int]  # positions of the utterances to code
    already: list[int]
    interviewer: list[int]


@dataclass(slots=True)
class CodingSession:
    source: EditableSource
    codebook: Codebook
    coder: str
    suggester: Any = None  # verlicht.coding.suggest.Suggester, when available
    concepts: CodebookWriter | None = None  # where new concepts go (None: the session cannot add any)
    rejections: Rejections | None = None
    index: int = 0
    uncoded_only: bool = False
    text_filter: str = ""
    last_search: str = ""
    undo_stack: list[Change] = field(default_factory=list)
    mark_coder: bool = True  # write [[coderId=…]] with the first change
    unclaimed: int = 0  # codes in the file without a coder id when it was opened
    browsed: list[int] = field(default_factory=list)  # positions of the last quote list, for 'j N'
    browsed_codes: list[str] = field(default_factory=list)  # the last frequency table, for 'b N'
    layout: Any = None  # the workspace (verlicht.workspace.Layout), where memos are kept

    @classmethod
    def open(cls, path: Path, codebook: Codebook, coder: str, shown: str | None = None,
             suggester: Any = None) -> CodingSession:
        """Open a source for ``coder``; another coder's file is refused, and one holding codes without a coder
        id is not marked as ``coder``'s until :meth:`claim` (so nobody silently becomes the coder of others' codes).
        """
        source = EditableSource.load(path, shown)
        if not source.utterances:
            raise CodingError("the source has no utterances to code", Location(source.shown),
                              "import a transcript with 'verlicht anonymise' first")
        owner = source.coder
        if owner and owner != coder:
            line = source.coders()[0][0]
            raise CodingError(f"this source is coded by '{owner}'", Location(source.shown, line),
                              f"code your own copy: verlicht code copy {source.shown} --coder {coder}")
        session = cls(source, codebook, coder, suggester)
        if owner is None:
            session.unclaimed = sum(len(u.codes) + len(u.network) + len(u.values) for u in source.utterances)
            session.mark_coder = session.unclaimed == 0
        session.rejections = Rejections(None, source.shown)
        session.index = session.first_to_code()
        return session

    def claim(self) -> str:
        """Mark the file as this coder's after all (with the next change), earlier codes included."""
        self.mark_coder = True
        return f"the file will be marked as coded by {self.coder}, its {self.unclaimed} earlier code(s) included"

    # ------------------------------------------------------------------ where we are
    @property
    def utterances(self) -> list[Utterance]:
        return self.source.utterances

    @property
    def current(self) -> Utterance:
        self.index = max(0, min(self.index, len(self.utterances) - 1))
        return self.utterances[self.index]

    def codes(self) -> list[str]:
        return self.source.codes_on(self.current.line)

    def is_interviewer(self, utterance: Utterance | None = None) -> bool:
        utterance = utterance or self.current
        return utterance.case_id is not None and utterance.case_id in interviewers(self.source.source)

    def first_to_code(self) -> int:
        """Where the coder opens: the first respondent's utterance without codes (never an interviewer's line,
        which is not there to be coded), else the top of a fully coded file."""
        return next((i for i, u in enumerate(self.utterances) if self._is_uncoded(u)), 0)

    def suggestions(self) -> list[Suggestion]:
        """Suggestions for the current utterance, the highest score first (so ``y`` takes the best).

        None on an interviewer's line, none already coded, none the coder rejected for this uid.
        """
        if self.suggester is None or self.is_interviewer():
            return []
        if len(self.current.text) > SUGGEST_LIMIT:  # keep the screen quick on a monologue of a line
            return []
        coded = {_core(code) for code in self.codes()}
        hidden = self._rejected()
        found = self.suggester.suggest(self.current.text, before=self._said_before())
        fresh = [s for s in found if _core(s.code) not in coded and s.code not in hidden]
        # Network codes are what QNA coding is about; a concept merely named is shown only when named clearly.
        network = [s for s in fresh if s.kind == "network"][:3]
        named = [s for s in fresh if s.kind != "network" and s.score >= 0.5][:2]
        return sorted(network + named, key=lambda s: -s.score)

    def _rejected(self) -> set[str]:
        uid = self.current.uid
        return self.rejections.get(uid) if self.rejections is not None and uid else set()

    def _said_before(self) -> str:
        """The same speaker's previous utterance, where "Dat …" or "Daardoor …" finds its cause."""
        if self.index == 0:
            return ""
        previous = self.utterances[self.index - 1]
        return previous.text if previous.case_id == self.current.case_id else ""

    def reject(self, number: int) -> Change:
        """Hide a suggestion for this utterance, now and in later sessions (kept by uid beside the sources)."""
        code = self.suggestion(number).code
        uid = self.current.uid
        if not uid:
            raise CodingError("this utterance has no uid, so a rejection cannot be remembered", None,
                              "give every line a uid: verlicht anonymise SOURCE --out DIR keeps the codes")
        if self.rejections is None:
            self.rejections = Rejections(None, self.source.shown)
        self.rejections.add(uid, code)
        return self._remember(Change(f"rejected {code} (hidden here from now on; u takes it back)", uid=uid,
                                     index=self.index, unreject=(uid, code)))

    def suggestion(self, number: int) -> Suggestion:
        suggestions = self.suggestions()
        if not 1 <= number <= len(suggestions):
            raise CodingError(f"there is no suggestion {number}", None,
                              f"there are {len(suggestions)} suggestion(s) for this line")
        return suggestions[number - 1]

    def context(self, before: int = 2, after: int = 2) -> list[tuple[int, Utterance, bool]]:
        """The current utterance with its neighbours: (position, utterance, is_current)."""
        lo, hi = max(0, self.index - before), min(len(self.utterances), self.index + after + 1)
        return [(i, self.utterances[i], i == self.index) for i in range(lo, hi)]

    def progress(self) -> tuple[int, int]:
        """Respondents' utterances with at least one code, and all respondents' utterances (interviewers' lines
        are not there to be coded)."""
        asking = interviewers(self.source.source)
        respondents = [u for u in self.utterances if u.case_id not in asking]
        return sum(1 for u in respondents if _has_codes(u)), len(respondents)

    # ------------------------------------------------------------------ moving and filtering
    def _is_uncoded(self, utterance: Utterance) -> bool:
        """Without codes, and said by a respondent: interviewers' questions are not there to be coded."""
        return not _has_codes(utterance) and not self.is_interviewer(utterance)

    def _visible(self, utterance: Utterance) -> bool:
        if self.uncoded_only and not self._is_uncoded(utterance):
            return False
        return not self.text_filter or self.text_filter.casefold() in utterance.text.casefold()

    @property
    def filtering(self) -> bool:
        return self.uncoded_only or bool(self.text_filter)

    def filter_label(self) -> str:
        parts = (["uncoded"] if self.uncoded_only else []) + ([f"'{self.text_filter}'"] if self.text_filter else [])
        return " + ".join(parts)

    def filtered(self) -> list[int]:
        """Positions of the utterances the filters show."""
        return [i for i, u in enumerate(self.utterances) if self._visible(u)]

    def move(self, step: int) -> str:
        i = self.index
        while True:
            i += 1 if step > 0 else -1
            if not 0 <= i < len(self.utterances):
                return "end of the source" if step > 0 else "start of the source"
            if self._visible(self.utterances[i]):
                step -= 1 if step > 0 else -1
                if step == 0:
                    self.index = i
                    return ""

    def goto(self, target: str) -> str:
        """Jump to a line number or a uid."""
        target = target.strip()
        if target.isdigit():
            number = int(target)
            candidates = [i for i, u in enumerate(self.utterances) if u.line >= number]
            if not candidates:
                raise CodingError(f"no utterance at or after line {number}", None,
                                  f"the last utterance is on line {self.utterances[-1].line}")
            self.index = candidates[0]
            return ""
        for i, utterance in enumerate(self.utterances):
            if utterance.uid == target:
                self.index = i
                return ""
        raise CodingError(f"no utterance with uid or line '{target}'", None, "type a line number or a uid")

    def search(self, text: str = "") -> str:
        """Move to the next utterance (wrapping round) whose text holds ``text``, case-insensitive."""
        text = (text or self.last_search).strip()
        if not text:
            raise CodingError("nothing to search for", None, "type /word")
        self.last_search = text
        needle = text.casefold()
        count = len(self.utterances)
        for step in range(1, count + 1):
            i = (self.index + step) % count
            if needle in self.utterances[i].text.casefold():
                wrapped = i <= self.index
                self.index = i
                return "search wrapped round to the start" if wrapped else ""
        return f"'{text}' not found"

    def _to_visible(self) -> bool:
        """Stay, or move to the next utterance the filters show (wrapping round); False when there is none."""
        if self._visible(self.current):
            return True
        count = len(self.utterances)
        following = ((self.index + step) % count for step in range(1, count))
        found = next((i for i in following if self._visible(self.utterances[i])), None)
        if found is None:
            return False
        self.index = found
        return True

    def toggle_uncoded(self) -> str:
        """Show only uncoded utterances (or all again); moves to the next uncoded one, wrapping round."""
        self.uncoded_only = not self.uncoded_only
        if not self.uncoded_only:
            return "showing all utterances" if not self.text_filter else f"showing utterances with '{self.text_filter}'"
        if not self._to_visible():
            return "showing only uncoded utterances: every utterance is coded"
        return "showing only uncoded utterances"

    def set_text_filter(self, text: str) -> str:
        """Show only utterances whose text holds ``text`` (``-`` or nothing: every filter off)."""
        text = text.strip()
        if text in ("", "-"):
            self.text_filter, self.uncoded_only = "", False
            return "showing all utterances"
        self.text_filter = text
        shown = len(self.filtered())
        if not self._to_visible():
            self.text_filter = ""
            return f"!no utterance {'without codes ' if self.uncoded_only else ''}holds '{text}'; filter not set"
        return f"showing the {shown} utterance(s) with '{text}' (* CODE codes them all; f - shows all again)"

    # ------------------------------------------------------------------ conflicts after a merge
    def conflicts(self, index: int | None = None) -> list[tuple[int, str]]:
        """The merge-conflict comments above an utterance: (comment line, text)."""
        utterance = self.utterances[self.index if index is None else index]
        return self.source.conflicts().get(utterance.line, [])

    def conflict_count(self) -> int:
        return sum(len(found) for found in self.source.conflicts().values())

    def next_conflict(self, step: int = 1) -> str:
        """Jump to the next (or previous) utterance with a merge conflict, wrapping round."""
        lines = sorted(self.source.conflicts())
        if not lines:
            return "!no merge conflicts in this file"
        positions = [i for i, u in enumerate(self.utterances) if u.line in set(lines)]
        ahead = [i for i in positions if (i > self.index if step > 0 else i < self.index)]
        if ahead:
            self.index = ahead[0] if step > 0 else ahead[-1]
            return ""
        self.index = positions[0] if step > 0 else positions[-1]
        return "!conflicts wrapped round"

    def keep(self) -> Change:
        """Resolve every conflict on this utterance as its codes now stand: their comments are emptied."""
        found = self.conflicts()
        if not found:
            return Change("no merge conflict on this line")
        before = self.source.snapshot()
        for line, _ in found:
            self.source.clear_comment(line)
        self._commit(before)
        return self._remember(Change(f"resolved {len(found)} conflict(s) keeping the codes as they are", before,
                                     self.current.uid, self.index))

    def _resolve(self, code: str) -> int:
        """Empty the conflict comments on this utterance about ``code`` (the same edge: either sign); how many."""
        kind = parse_code(code)
        resolved = 0
        for line, text in self.conflicts():
            match = CONFLICT_CODE.match(text)
            if not match:
                continue
            try:
                named = parse_code(match.group(1))
            except CodingError:
                continue
            if named.tag == kind.tag == "network":
                same = (named.source, named.target) == (kind.source, kind.target)
            else:
                same = named.tag != "network" and _core(match.group(1)) == _core(code.strip())
            if same:
                self.source.clear_comment(line)
                resolved += 1
        return resolved

    # ------------------------------------------------------------------ changing
    def unknown_concepts(self, code: str) -> list[str]:
        """Concepts a code names that the codebook does not define (the leaf of a hierarchical code)."""
        kind = parse_code(code)
        if kind.tag == "network":
            names = [kind.source.rsplit(">", 1)[-1], kind.target.rsplit(">", 1)[-1]]
        elif kind.tag == "code":
            names = [kind.path[-1]]
        else:
            names = [kind.code.rsplit(">", 1)[-1]]
        return [n for n in dict.fromkeys(names) if n not in self.codebook.concepts]

    def synonym_of(self, name: str) -> str | None:
        """The concept that lists ``name`` (or its words, ``buurt_preventie`` for *buurt preventie*) as a synonym.

        Asked before a new concept is created, so that a coder used to free codes does not make a
        second concept for what the codebook already has under another code.
        """
        wanted = name.replace("_", " ").casefold()
        for code, concept in sorted(self.codebook.concepts.items()):
            if any(str(s).casefold() == wanted for s in concept.synonyms):
                return code
        return None

    def unknown_edge_type(self, code: str) -> str | None:
        kind = parse_code(code)
        if kind.tag == "network" and kind.type not in self.codebook.edge_types:
            return kind.type
        return None

    def add(self, code: str, concepts: Sequence[NewConcept] = ()) -> Change:
        """Add a code to the current utterance; ``concepts`` (new ones it names) are written with it, or not at all."""
        opposite = contradiction(self.codes(), code, self.codebook.edge_types)
        if opposite:
            raise CodingError(f"this line already holds [[{opposite}]], the opposite of [[{code.strip()}]]", None,
                              "remove it first (-N), then add the new one")
        before = self.source.snapshot()
        line = self.current.line
        if not self.source.add(line, code):
            self.source.restore(before)
            return Change(f"already coded: {code}")
        resolved = self._resolve(code)
        if self.mark_coder:
            self.source.set_coder(self.coder)
        written = self._write_concepts(concepts, before, f"{self.source.shown} line {line}")
        try:
            self._commit(before)
        except BaseException:
            self._unwrite(written)
            raise
        message = f"added [[{self.source.codes_on(self.current.line)[-1]}]]"
        if written:
            message += f" and concept(s) {', '.join(written.codes)} to the codebook"
        if resolved:
            message += f"; {resolved} merge conflict(s) on this line resolved"
        if "->" in code and self.is_interviewer():
            message += " (an interviewer's line: the build does not count causal claims here)"
        return self._remember(Change(message, before, self.current.uid, self.index, written))

    def plan_many(self, positions: Sequence[int], code: str) -> Plan:
        """Which of ``positions`` coding several at once would code, which hold the code already, which are
        interviewers' lines (left out: they are not there to be coded)."""
        parse_code(code)
        plan = Plan(code, [], [], [])
        for i in positions:
            utterance = self.utterances[i]
            if self.is_interviewer(utterance):
                plan.interviewer.append(i)
                continue
            codes = self.source.codes_on(utterance.line)
            if _core(parse_and_spell(code)) in {_core(c) for c in codes}:
                plan.already.append(i)
                continue
            opposite = contradiction(codes, code, self.codebook.edge_types)
            if opposite:
                raise CodingError(f"line {utterance.line} already holds [[{opposite}]], the opposite of "
                                  f"[[{code.strip()}]]; nothing was coded", None,
                                  "leave that line out of the range, or remove its code first")
            plan.todo.append(i)
        return plan

    def add_many(self, plan: Plan, concepts: Sequence[NewConcept] = ()) -> Change:
        """Code every utterance of ``plan`` at once: one save, one undo step."""
        if not plan.todo:
            return Change("nothing to code: every utterance in the range holds the code already")
        before = self.source.snapshot()
        resolved = 0
        here = self.index
        for i in plan.todo:
            self.source.add(self.utterances[i].line, plan.code)
            self.index = i
            resolved += self._resolve(plan.code)
        self.index = here
        if self.mark_coder:
            self.source.set_coder(self.coder)
        first, last = self.utterances[plan.todo[0]].line, self.utterances[plan.todo[-1]].line
        written = self._write_concepts(concepts, before, f"{self.source.shown} lines {first}-{last}")
        try:
            self._commit(before)
        except BaseException:
            self._unwrite(written)
            raise
        message = f"added [[{parse_and_spell(plan.code)}]] to {len(plan.todo)} utterance(s), lines {first}-{last}"
        if written:
            message += f", and concept(s) {', '.join(written.codes)} to the codebook"
        if resolved:
            message += f"; {resolved} merge conflict(s) resolved"
        first_uid = self.utterances[plan.todo[0]].uid  # undo shows the first line it changed
        return self._remember(Change(message + " (u undoes all of them)", before, first_uid, plan.todo[0], written))

    def range_positions(self, first: int, last: int) -> list[int]:
        """Positions of the utterances on lines ``first`` to ``last`` (inclusive)."""
        if first > last:
            first, last = last, first
        found = [i for i, u in enumerate(self.utterances) if first <= u.line <= last]
        if not found:
            raise CodingError(f"no utterance on lines {first}-{last}", None,
                              f"utterances are on lines {self.utterances[0].line}-{self.utterances[-1].line}")
        return found

    def remove(self, which: str) -> Change:
        """Remove a code by its number in the list (1-based) or by its text."""
        codes = self.codes()
        if which.strip().isdigit():
            number = int(which)
            if not 1 <= number <= len(codes):
                raise CodingError(f"there is no code {number} on this line", None,
                                  f"the line has {len(codes)} code(s)" if codes else "the line has no codes")
            which = codes[number - 1]
        before = self.source.snapshot()
        if not self.source.remove(self.current.line, which):
            return Change(f"not on this line: {which}")
        resolved = self._resolve(which if "||" in which or "->" not in which else which + "||causal")
        self._commit(before)
        message = f"removed [[{which}]]" + (f"; {resolved} merge conflict(s) on this line resolved" if resolved else "")
        return self._remember(Change(message, before, self.current.uid, self.index))

    def accept(self, number: int) -> Change:
        return self.add(self.suggestion(number).code)

    def undo(self) -> Change:
        """Take the last change back, and go to the utterance it changed (so the screen shows what was undone)."""
        if not self.undo_stack:
            return Change("nothing to undo")
        change = self.undo_stack.pop()
        notice = ""
        if change.unreject is not None and self.rejections is not None:
            self.rejections.discard(*change.unreject)
        if change.lines is not None:
            self.source.restore(change.lines)
            self.source.save()
        if change.written is not None and self.concepts is not None:
            book = self.concepts.undo(change.written)
            if book is None:
                notice = (f"; the codebook changed since, so {', '.join(change.written.codes)} stayed in it "
                          "(remove by hand if unused)")
            else:
                self.codebook = book
                notice = f"; removed concept(s) {', '.join(change.written.codes)} from the codebook again"
        if change.uid:
            self.goto(change.uid)
        elif change.index is not None:
            self.index = change.index
        where = f" (line {self.current.line}{f', uid {self.current.uid}' if self.current.uid else ''})"
        done = change.message.removesuffix(" (u undoes all of them)")
        return Change(f"undone: {done}{where}{notice}")

    def reload(self) -> str:
        """Read the file again from disk (after another program changed it); the undo history is dropped."""
        uid = self.current.uid
        self.source = EditableSource.load(self.source.path, self.source.shown)
        self.undo_stack.clear()
        if uid and any(u.uid == uid for u in self.utterances):
            self.goto(uid)
        return "read the file again; undo starts afresh"

    def new_concept(self, code: str, kind: str, label_nl: str, label_en: str = "") -> str:
        """Add a concept on its own (the ``new CODE`` command); undo takes it out again."""
        written = self._write_concepts([NewConcept(code, kind, label_nl, label_en)], None,
                                       f"{self.source.shown} line {self.current.line}")
        self._remember(Change(f"added concept '{code}'", None, self.current.uid, self.index, written))
        return f"added concept '{code}' ({kind}) to the codebook, with an entry in its changelog"

    # ------------------------------------------------------------------ inside
    def _write_concepts(self, concepts: Sequence[NewConcept], before: list[str] | None,
                        where: str) -> Written | None:
        if not concepts:
            return None
        if self.concepts is None:
            if before is not None:
                self.source.restore(before)
            raise CodingError("this session cannot add concepts", None, "edit ontology/codebook.yaml")
        uid = self.current.uid
        try:
            self.codebook, written = self.concepts.add(concepts, where + (f" (uid {uid})" if uid else ""))
        except BaseException:
            if before is not None:
                self.source.restore(before)
            raise
        return written

    def _unwrite(self, written: Written | None) -> None:
        if written is not None and self.concepts is not None:
            book = self.concepts.undo(written)
            if book is not None:
                self.codebook = book

    def _commit(self, before: list[str]) -> None:
        uid, index = self.current.uid, self.index
        try:
            self.source.save()
        except BaseException:
            self.source.restore(before)
            raise
        if uid:
            self.goto(uid)
        else:
            self.index = index

    def _remember(self, change: Change) -> Change:
        self.undo_stack.append(change)
        return change


def _has_codes(utterance: Utterance) -> bool:
    return bool(utterance.codes or utterance.network or utterance.values)


def parse_and_spell(code: str) -> str:
    """A code in its one spelling (``[[ a -> b ||causal]]`` → ``a->b||causal``)."""
    from verlicht.coding.edit import canonical

    return canonical(parse_code(code))
