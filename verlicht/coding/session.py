"""One coder working through one source: position, filters, changes, undo.

This is the interactive coder without a terminal: :mod:`verlicht.coding.tui`
draws it and reads keys, tests drive it directly. Every change is written to
disk at once (atomically, see :mod:`verlicht.coding.edit`), so quitting,
Ctrl-C or a crash never loses more than the edit being typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from verlicht.codebook import Codebook
from verlicht.coding.edit import EditableSource, contradiction, parse_code
from verlicht.errors import CodingError, Location
from verlicht.rock.model import Utterance

SUGGEST_LIMIT = 1500  # characters; longer utterances are shown without suggestions


def _core(code: str) -> str:
    """A code without its weight: a suggested ``a->b||causal_pos`` is coded when ``a->b||causal_pos||2`` is."""
    return code.rsplit("||", 1)[0] if code.count("||") == 2 else code


class Suggestion(Protocol):
    code: str
    score: float
    cue: str


@dataclass(slots=True)
class Change:
    """What one action did, for the status line and the undo stack."""

    message: str
    lines: list[str] | None = None  # the file's lines before the change (None: nothing changed)


@dataclass(slots=True)
class CodingSession:
    source: EditableSource
    codebook: Codebook
    coder: str
    suggester: Any = None  # verlicht.coding.suggest.Suggester, when available
    on_new_concept: Callable[[str, str, str, str], Codebook] | None = None
    index: int = 0
    uncoded_only: bool = False
    last_search: str = ""
    undo_stack: list[Change] = field(default_factory=list)
    rejected: dict[str, set[str]] = field(default_factory=dict)  # suggestions turned down, by utterance
    mark_coder: bool = True  # write [[coderId=…]] with the first change
    layout: Any = None  # the workspace (verlicht.workspace.Layout), where memos are kept

    @classmethod
    def open(cls, path: Path, codebook: Codebook, coder: str, shown: str | None = None,
             suggester: Any = None) -> CodingSession:
        source = EditableSource.load(path, shown)
        if not source.utterances:
            raise CodingError("the source has no utterances to code", Location(source.shown),
                              "import a transcript with 'verlicht anonymise' first")
        owner = source.coder
        if owner and owner != coder:
            line = source.coders()[0][0]
            raise CodingError(f"this source is coded by '{owner}'", Location(source.shown, line),
                              f"code your own copy: verlicht code copy {source.shown} --coder {coder}")
        return cls(source, codebook, coder, suggester)

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

    def suggestions(self) -> list[Suggestion]:
        if self.suggester is None:
            return []
        coded = {_core(code) for code in self.codes()}
        hidden = self.rejected.get(self._key(), set())
        if len(self.current.text) > SUGGEST_LIMIT:  # keep the screen quick on a monologue of a line
            return []
        found = self.suggester.suggest(self.current.text, before=self._said_before())
        if self._interviewer():  # the build does not count causal claims on an interviewer's line
            found = [s for s in found if s.kind != "network"]
        fresh = [s for s in found if _core(s.code) not in coded and s.code not in hidden]
        # Network codes are what QNA coding is about; a concept merely named is shown only when named clearly.
        network = [s for s in fresh if s.kind == "network"][:3]
        named = [s for s in fresh if s.kind != "network" and s.score >= 0.5][:2]
        return network + named

    def _interviewer(self) -> bool:
        attributes = self.source.source.attributes.get(self.current.case_id or "", {})
        return str(attributes.get("group", attributes.get("role", ""))).lower() == "interviewer"

    def _said_before(self) -> str:
        """The same speaker's previous utterance, where "Dat …" or "Daardoor …" finds its cause."""
        if self.index == 0:
            return ""
        previous = self.utterances[self.index - 1]
        return previous.text if previous.case_id == self.current.case_id else ""

    def reject(self, number: int) -> str:
        """Hide a suggestion for this utterance (for this session; nothing is written)."""
        code = self.suggestion(number).code
        self.rejected.setdefault(self._key(), set()).add(code)
        return f"rejected {code}"

    def suggestion(self, number: int) -> Suggestion:
        suggestions = self.suggestions()
        if not 1 <= number <= len(suggestions):
            raise CodingError(f"there is no suggestion {number}", None,
                              f"there are {len(suggestions)} suggestion(s) for this line")
        return suggestions[number - 1]

    def _key(self) -> str:
        return self.current.uid or f"line {self.current.line}"

    def context(self, before: int = 2, after: int = 2) -> list[tuple[int, Utterance, bool]]:
        """The current utterance with its neighbours: (position, utterance, is_current)."""
        lo, hi = max(0, self.index - before), min(len(self.utterances), self.index + after + 1)
        return [(i, self.utterances[i], i == self.index) for i in range(lo, hi)]

    def progress(self) -> tuple[int, int]:
        """Utterances with at least one code, and all utterances with text."""
        coded = sum(1 for u in self.utterances if u.codes or u.network or u.values)
        return coded, len(self.utterances)

    # ------------------------------------------------------------------ moving
    def _is_uncoded(self, utterance: Utterance) -> bool:
        """Without codes, and said by a respondent: interviewers' questions are not there to be coded."""
        if utterance.codes or utterance.network or utterance.values:
            return False
        attributes = self.source.source.attributes.get(utterance.case_id or "", {})
        return str(attributes.get("group", attributes.get("role", ""))).lower() != "interviewer"

    def move(self, step: int) -> str:
        i = self.index
        while True:
            i += 1 if step > 0 else -1
            if not 0 <= i < len(self.utterances):
                return "end of the source" if step > 0 else "start of the source"
            if not self.uncoded_only or self._is_uncoded(self.utterances[i]):
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

    def toggle_uncoded(self) -> str:
        """Show only uncoded utterances (or all again); moves to the next uncoded one, wrapping round."""
        self.uncoded_only = not self.uncoded_only
        if not self.uncoded_only:
            return "showing all utterances"
        if not self._is_uncoded(self.current):
            count = len(self.utterances)
            following = ((self.index + step) % count for step in range(1, count))
            found = next((i for i in following if self._is_uncoded(self.utterances[i])), None)
            if found is None:
                return "showing only uncoded utterances: every utterance is coded"
            self.index = found
        return "showing only uncoded utterances"

    # ------------------------------------------------------------------ changing
    def unknown_concepts(self, code: str) -> list[str]:
        """Concepts a code names that the codebook does not define (the leaf of a hierarchical code)."""
        kind = parse_code(code)
        if kind[0] == "network":
            names = [kind[1].rsplit(">", 1)[-1], kind[2].rsplit(">", 1)[-1]]
        elif kind[0] == "code":
            names = [kind[1][-1]]
        else:
            names = [kind[1].rsplit(">", 1)[-1]]
        return [n for n in dict.fromkeys(names) if n not in self.codebook.concepts]

    def unknown_edge_type(self, code: str) -> str | None:
        kind = parse_code(code)
        if kind[0] == "network" and kind[3] not in self.codebook.edge_types:
            return kind[3]
        return None

    def add(self, code: str) -> Change:
        opposite = contradiction(self.codes(), code, self.codebook.edge_types)
        if opposite:
            raise CodingError(f"this line already holds [[{opposite}]], the opposite of [[{code.strip()}]]", None,
                              "remove it first (-N), then add the new one")
        before = self.source.snapshot()
        line = self.current.line
        if self.mark_coder:
            self.source.set_coder(self.coder)
        line = self._line_after(before, line)
        if not self.source.add(line, code):
            self.source.restore(before)
            return Change(f"already coded: {code}")
        self._commit(before)
        message = f"added [[{self.source.codes_on(self.current.line)[-1]}]]"
        if "->" in code and self._interviewer():
            message += " (an interviewer's line: the build does not count causal claims here)"
        return self._remember(Change(message, before))

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
        self._commit(before)
        return self._remember(Change(f"removed [[{which}]]", before))

    def accept(self, number: int) -> Change:
        return self.add(self.suggestion(number).code)

    def undo(self) -> Change:
        if not self.undo_stack:
            return Change("nothing to undo")
        change = self.undo_stack.pop()
        uid = self.current.uid
        self.source.restore(change.lines or [])
        self.source.save()
        if uid:
            self.goto(uid)
        return Change(f"undone: {change.message}")

    def reload(self) -> str:
        """Read the file again from disk (after another program changed it); the undo history is dropped."""
        uid = self.current.uid
        self.source = EditableSource.load(self.source.path, self.source.shown)
        self.undo_stack.clear()
        if uid and any(u.uid == uid for u in self.utterances):
            self.goto(uid)
        return "read the file again; undo starts afresh"

    def new_concept(self, code: str, kind: str, label_nl: str, label_en: str = "") -> str:
        if self.on_new_concept is None:
            raise CodingError("this session cannot add concepts", None, "edit ontology/codebook.yaml")
        self.codebook = self.on_new_concept(code, kind, label_nl, label_en)
        return f"added concept '{code}' ({kind}) to the codebook"

    # ------------------------------------------------------------------ inside
    def _line_after(self, before: Sequence[str], line: int) -> int:
        """A line number after the coder id line may have been inserted above it."""
        return line + (len(self.source.lines) - len(before))

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
