"""The adjudicator on a terminal: two coders' codes side by side, one decision per utterance.

Like the coder (:mod:`verlicht.coding.tui`), prompt_toolkit reads the answers on a terminal and
plain lines are read on a pipe, so the same keys can be scripted. Every decision is written at
once (see :mod:`verlicht.coding.adjudicate`); quitting, Ctrl-C or a crash keeps every decision taken.
"""

from __future__ import annotations

import html
import re
import shutil
import sys

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.completion import Completer, Completion, DummyCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import HTML
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.utils import get_cwidth

from verlicht.coding.adjudicate import SEPARATOR, Adjudication, Difference, _union
from verlicht.coding.agreement import key_of
from verlicht.coding.edit import parse_code
from verlicht.errors import CodingError, VerlichtError

HELP = """\
<b>Decide the utterance shown</b> (written at once; the next open one follows):
  a / b              take coder A's / coder B's codes
  both               take every code either applied
  n                  neither: keep only the codes both applied
  e                  edit: type the codes yourself (separated by ;)
<b>Move</b>
  Enter, s           skip to the next open difference;  p  the previous difference
  g UID              go to the difference on that utterance
  u                  undo the last decision
  l                  list the differences and their decisions
  ? help;  q or Ctrl-D quit (every decision taken is kept; run the same command to go on)"""


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _plain(markup: str) -> str:
    return html.unescape(re.sub(r"</?[a-zA-Z][^>]*>", "", markup))


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns, padded to it."""
    if get_cwidth(text) > width:
        used, cut = 0, ""
        for char in text:
            used += get_cwidth(char)
            if used > width - 1:
                break
            cut += char
        text = cut + "…"
    return text + " " * max(0, width - get_cwidth(text))


def side_by_side(d: Difference, coders: tuple[str, str], width: int) -> list[str]:
    """The two coders' codes in two columns, a code both applied on one row (``=``; ``~`` for another weight)."""
    left = max([get_cwidth(code) for code in d.a] + [len(coders[0]) + 3]) + 1
    right = max([get_cwidth(code) for code in d.b] + [len(coders[1]) + 3])
    column = max(24, min(left, width - 6 - min(right, 40)))  # A's codes whole where the screen allows
    keyed_b = {key_of(parse_code(code)): code for code in d.b}
    rows: list[tuple[str, str, str]] = []
    for code in d.a:
        other = keyed_b.pop(key_of(parse_code(code)), None)
        rows.append(("=" if other == code else "~" if other else "≠", code, other or ""))
    rows.extend(("≠", "", code) for code in keyed_b.values())
    lines = [f"    {_e(_fit(f'a  {coders[0]}', column))}  {_e(f'b  {coders[1]}')}"]
    for mark, left, right in rows:
        colour = "ansigreen" if mark == "=" else "ansiyellow"
        lines.append(f"  <{colour}>{mark}</{colour}> {_e(_fit(left or '-', column))}  {_e(right or '-')}")
    if not rows:
        lines.append("    (no codes)")
    return lines


def render(adj: Adjudication, index: int, width: int | None = None) -> str:
    """The screen for one difference, as prompt_toolkit HTML."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    d = adj.differences[index]
    open_count = len(adj.open_differences())
    head = (f"{d.ref}  uid {d.uid}  [{d.case or '?'}]  difference {index + 1}/{len(adj.differences)}"
            f"  open {open_count}  → {adj.shown_out}")
    lines = ["", f"<b>{_e(head)}</b>"]
    before = _before(adj, d.uid)
    if before is not None:  # the question it answers: an utterance is hard to judge alone
        lines.append(f"<ansigray>  {before.line:>4} {_e(_short(before.text, max(20, width - 8)))}</ansigray>")
    lines += [f"<b>▶ {d.line:>4} {_e(d.text)}</b>", *side_by_side(d, adj.coders, width)]
    verdict = adj.verdicts.get(d.uid)
    if verdict is not None:
        kept = SEPARATOR.join(verdict.codes) or "(no codes)"
        lines.append(f"  <ansicyan>decided: {_e(_choice_words(verdict.decision, adj.coders))} → {_e(kept)}</ansicyan>")
    a, b = adj.coders
    lines.append(f"<ansigray>a take {_e(a)} · b take {_e(b)} · both · n neither · e edit · Enter skip · "
                 "p back · u undo · ? help · q quit</ansigray>")
    return "\n".join(lines)


def _before(adj: Adjudication, uid: str):
    """The utterance before ``uid`` in coder A's copy (a :class:`~verlicht.coding.agreement.Unit`), or None."""
    previous = None
    for key, unit in adj.a.units.items():
        if key == uid:
            return previous
        previous = unit
    return None


def _short(text: str, width: int) -> str:
    return text if get_cwidth(text) <= width else text[:max(1, width - 1)] + "…"


def _choice_words(choice: str, coders: tuple[str, str]) -> str:
    return {"a": f"take {coders[0]}", "b": f"take {coders[1]}", "both": "both", "neither": "neither",
            "edit": "edited"}[choice]


class EditCompleter(Completer):
    """Completes the code being typed in an edit (after the last ``;``): concepts, and edge types after ``||``."""

    def __init__(self, codebook):
        self.codebook = codebook

    def get_completions(self, document: Document, complete_event):
        segment = document.text_before_cursor.rpartition(";")[2].lstrip()
        if self.codebook is None or " " in segment:
            return
        if "||" in segment:
            head, _, typed = segment.rpartition("||")
            if "||" not in head:  # not the weight
                for name, edge in sorted(self.codebook.edge_types.items()):
                    if name.startswith(typed):
                        yield Completion(name, -len(typed), display_meta=f"{edge.polarity or ''} {edge.label_nl}")
            return
        typed = segment.rsplit("->", 1)[-1].rsplit(">", 1)[-1]
        for code, concept in sorted(self.codebook.concepts.items()):
            if typed and code.startswith(typed):
                yield Completion(code, -len(typed), display_meta=f"{concept.type}: {concept.label_nl}")


class _Terminal:
    def __init__(self, interactive: bool):
        self.prompt_session = PromptSession(history=InMemoryHistory()) if interactive else None

    def ask(self, message: str, default: str = "", completer: Completer | None = None) -> str:
        if self.prompt_session is not None:
            return self.prompt_session.prompt(HTML(message), default=default,
                                              completer=completer or DummyCompleter(), complete_while_typing=True)
        self.show(message)
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n") or default

    def show(self, markup: str) -> None:
        if self.prompt_session is not None:
            print_formatted_text(HTML(markup))
        else:
            print(_plain(markup), flush=True)


def run(adj: Adjudication, interactive: bool | None = None) -> None:
    """The adjudicator's loop over the differences, until ``q`` or end of input."""
    if interactive is None:
        interactive = sys.stdin.isatty() and sys.stdout.isatty()
    term = _Terminal(interactive)
    for warning in adj.warnings:
        term.show(f"<ansiyellow>{_e(str(warning))}</ansiyellow>")
    if not adj.differences:
        term.show(f"{adj.coders[0]} and {adj.coders[1]} agree on every utterance; wrote {adj.shown_out}")
        return
    index = _next_open(adj, -1)
    index = 0 if index is None else index
    if not adj.open_differences():
        term.show("<ansigreen>every difference is decided already; u undoes, g UID goes to one</ansigreen>")
    term.show(render(adj, index))
    while True:
        try:
            text = term.ask("<b>adjudicate&gt;</b> ").strip()
        except KeyboardInterrupt:
            term.show("<ansiyellow>(cancelled; nothing changed)</ansiyellow>")
            continue
        except EOFError:
            break
        if text in ("q", "quit", "exit"):
            break
        try:
            index, message = _dispatch(adj, term, index, text)
        except KeyboardInterrupt:
            term.show("<ansiyellow>(cancelled; nothing changed)</ansiyellow>")
            continue
        except VerlichtError as exc:
            term.show(f"<ansired>{_e(str(exc))}</ansired>")
            continue
        if message:
            term.show(message)
        term.show(render(adj, index))
    decided = len(adj.verdicts)
    term.show(f"decided {decided} of {len(adj.differences)} differences ({len(adj.open_differences())} open); "
              f"consensus {adj.shown_out}, decisions {adj.log.name}")


def _next_open(adj: Adjudication, index: int) -> int | None:
    """The next difference after ``index`` without a decision, wrapping round; None when all are decided."""
    count = len(adj.differences)
    for step in range(1, count + 1):
        i = (index + step) % count
        if adj.differences[i].uid not in adj.verdicts:
            return i
    return None


def _dispatch(adj: Adjudication, term: _Terminal, index: int, text: str) -> tuple[int, str]:
    """Do one command; the difference to show next and a message (prompt_toolkit HTML)."""
    d = adj.differences[index]
    choice = {"a": "a", "b": "b", "both": "both", "ab": "both", "n": "neither", "neither": "neither",
              "e": "edit", "edit": "edit"}.get(text)
    if choice is not None:
        codes = None
        if choice == "edit":
            start = adj.verdicts[d.uid].codes if d.uid in adj.verdicts else _union(d.a, d.b)
            typed = term.ask("codes (separated by ;)&gt; ", default=SEPARATOR.join(start),
                             completer=EditCompleter(adj.codebook)).strip()
            codes = [c.strip() for c in typed.split(";") if c.strip()]
        verdict = adj.decide(d.uid, choice, codes)
        kept = SEPARATOR.join(verdict.codes) or "(no codes)"
        message = f"<ansigreen>uid {d.uid}: {_e(_choice_words(choice, adj.coders))} → {_e(kept)}</ansigreen>"
        following = _next_open(adj, index)
        if following is None:
            return index, message + (f"\n<ansigreen><b>every difference is decided</b>: {_e(adj.shown_out)} is the "
                                     "consensus (q quits)</ansigreen>")
        return following, message
    if text in ("", "s", "next"):
        following = _next_open(adj, index)
        if following is None:
            return index, "<ansigreen>every difference is decided (u undoes the last decision)</ansigreen>"
        return following, ""
    if text == "p":
        return max(0, index - 1), "" if index else "<ansiyellow>this is the first difference</ansiyellow>"
    if text == "u":
        uid = adj.undo()
        if uid is None:
            return index, "<ansiyellow>nothing to undo</ansiyellow>"
        return _index_of(adj, uid), f"<ansigreen>undone: the decision on uid {uid}</ansigreen>"
    if text.startswith("g "):
        return _index_of(adj, text[2:].strip()), ""
    if text == "l":
        lines = []
        for i, other in enumerate(adj.differences):
            verdict = adj.verdicts.get(other.uid)
            state = _choice_words(verdict.decision, adj.coders) if verdict else "open"
            lines.append(f"{'▶' if i == index else ' '} {other.ref:<30} {other.uid}  {state}")
        return index, _e("\n".join(lines))
    if text in ("?", "h", "help"):
        return index, HELP
    raise CodingError(f"'{text}' is no adjudication command", None,
                      "a, b, both, n (neither), e (edit), Enter (skip), p, g UID, u, l, ? or q")


def _index_of(adj: Adjudication, uid: str) -> int:
    adj.difference(uid)  # a located error for a uid without a difference
    return next(i for i, d in enumerate(adj.differences) if d.uid == uid)
