"""The interactive coder on a terminal: prompt_toolkit for input with completion, one line per command.

The screen shows the current utterance with the lines around it, its codes, merge
conflicts and suggestions; the prompt takes a code (``wonen>instroom``, ``a->b``,
``a->b||causal_pos||2``) or a short command. Every change is saved at once.
On a pipe instead of a terminal the same commands are read line by line, so the
coder can also be scripted.

Commands live in one table, :data:`COMMANDS`, filled by the :func:`command` decorator;
the key help is drawn from it, grouped by task (:data:`GROUPS`). Another module adds
its commands the same way (for example memos: ``@command(r"m\\s+(.+)", "m TEXT", "…",
"Memos")``) and is imported before :func:`run`; a new group is shown after the others.
"""

from __future__ import annotations

import html
import re
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.completion import Completer, Completion, DummyCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import HTML
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.utils import get_cwidth

from verlicht.codebook import CONCEPT_TYPES
from verlicht.coding.concepts import NewConcept
from verlicht.coding.session import LOW_SCORE, SUGGEST_LIMIT, CodingSession
from verlicht.errors import CodingError, VerlichtError

YES = ("y", "j", "yes", "ja")


class CodeCompleter(Completer):
    """Completes concept codes and, after ``||``, edge types — from the codebook of the session."""

    def __init__(self, session: CodingSession):
        self.session = session

    def get_completions(self, document: Document, complete_event) -> Iterable[Completion]:
        text = document.text_before_cursor
        if text.startswith(("/", "g ", "new ", "f ")) or (" " in text.strip() and not text.startswith(("rm ", "b "))):
            return
        text = text.removeprefix("rm ").removeprefix("b ")
        book = self.session.codebook
        if "||" in text:
            head, _, segment = text.rpartition("||")
            if "||" in head:  # the weight
                return
            for name, edge in sorted(book.edge_types.items()):
                if name.startswith(segment):
                    meta = f"{edge.polarity or ''} {edge.label_nl}".strip()
                    yield Completion(name, -len(segment), display_meta=meta)
            return
        segment = text.rsplit("->", 1)[-1].rsplit(">", 1)[-1]
        needle = segment.casefold()
        for code, concept in sorted(book.concepts.items()):
            if code.startswith(segment) or (len(needle) >= 3 and needle in concept.label_nl.casefold()):
                yield Completion(code, -len(segment), display_meta=f"{concept.type}: {concept.label_nl}")


class Terminal:
    """Reading and writing for the coder: prompt_toolkit on a terminal, plain lines on a pipe."""

    def __init__(self, session: CodingSession, interactive: bool):
        self.interactive = interactive
        self.codes = CodeCompleter(session)
        self.prompt_session: PromptSession | None = None
        if interactive:
            self.prompt_session = PromptSession(history=InMemoryHistory(), complete_while_typing=True,
                                                reserve_space_for_menu=6)

    def ask(self, message: str, completer: Completer | None = None, default: str = "",
            placeholder: str = "") -> str:
        """One answer; ``completer`` is for this question only (the session would otherwise keep it).

        ``default`` is put in the line to edit; a value that Enter keeps but typing replaces is a
        ``placeholder`` plus ``or value`` at the caller.
        """
        if self.prompt_session is not None:
            return self.prompt_session.prompt(
                HTML(message), default=default, completer=completer or DummyCompleter(),
                # Not None: prompt_toolkit keeps the last non-None placeholder for every later question.
                placeholder=HTML(f"<ansigray>{_e(placeholder)}</ansigray>") if placeholder else "")
        self.show(message)
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n") or default

    def ask_once(self, message: str) -> str:
        """A question asked before the coder's own prompts, as a plain line read from the terminal.

        Asked with prompt_toolkit, the first prompt's width stayed behind: the next prompt's cursor
        stood that far to the right.
        """
        if self.prompt_session is None:
            return self.ask(message)
        print_formatted_text(HTML(message.rstrip()), end="", flush=True)
        sys.stdout.write(" ")  # prompt_toolkit drops a trailing space of the text it prints
        sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    def confirm(self, message: str) -> bool:
        return self.ask(f"{message} [y/N] ").strip().lower() in YES

    def show(self, markup: str) -> None:
        if self.interactive:
            print_formatted_text(HTML(markup))
        else:
            print(_plain(markup), flush=True)


class _Words(Completer):
    def __init__(self, words: Iterable[str]):
        self.words = sorted(words)

    def get_completions(self, document: Document, complete_event) -> Iterable[Completion]:
        typed = document.text_before_cursor.strip()
        for word in self.words:
            if word.startswith(typed):
                yield Completion(word, -len(typed))


def _plain(markup: str) -> str:
    return html.unescape(re.sub(r"</?[a-zA-Z][^>]*>", "", markup))


def _e(text: str) -> str:
    return html.escape(text, quote=False)


# ---------------------------------------------------------------------------------------------------- the screen

def render(session: CodingSession, width: int | None = None) -> str:
    """The screen for the current utterance, as prompt_toolkit HTML, fitted to the terminal's width."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    u = session.current
    coded, total = session.progress()
    attrs = session.source.source.attributes.get(u.case_id or "", {})
    who = u.case_id or "?"
    if attrs.get("group") or attrs.get("role"):
        who += f" ({attrs.get('group') or attrs.get('role')})"
    where = f"{session.source.shown}  {session.index + 1}/{len(session.utterances)}  line {u.line}  uid {u.uid or '-'}"
    mark = ""
    if not session.mark_coder:
        mark = (f" (not marked: {session.unclaimed} earlier code(s) have no coder id; 'claim' if they are yours)"
                if session.unclaimed else " (not marked)")
    state = f"{who}  coder {session.coder}{mark}"
    counts = f"[{coded}/{total} coded]"
    if session.filtering:
        counts += f"  [filter: {session.filter_label()}, {len(session.filtered())} shown]"
    conflicts = session.conflict_count()
    if conflicts:
        counts += f"  [{conflicts} merge conflict(s): c jumps]"
    if len(where) + len(state) + len(counts) + 4 <= width:
        lines = ["", f"<b>{_e(where)}</b>  {_e(state)}  {_e(counts)}"]
    elif len(state) + len(counts) + 2 <= width:
        lines = ["", f"<b>{_e(where)}</b>", f"{_e(state)}  {_e(counts)}"]
    else:
        lines = ["", f"<b>{_e(where)}</b>", _e(state), _e(counts)]
    with_conflicts = set(session.source.conflicts())
    for _, other, is_current in session.context():
        speaker = other.case_id or ""
        dot = "<ansigreen>●</ansigreen>" if other.codes or other.network or other.values else " "
        flag = "<ansiyellow>!</ansiyellow>" if other.line in with_conflicts else " "
        prefix = f"{'▶' if is_current else ' '} {other.line:>4} x x [{speaker}] "
        text = other.text if is_current else _short(other.text, max(20, width - len(prefix) - 1))
        if is_current:
            lines.append(f"<b>▶ {other.line:>4} {dot}{flag}[{_e(speaker)}] {_e(text)}</b>")
        else:
            lines.append(f"<ansigray>  {other.line:>4} </ansigray>{dot}{flag}"
                         f"<ansigray>[{_e(speaker)}] {_e(text)}</ansigray>")
    codes = session.codes()
    if codes:
        lines.append("  codes:")
        for number, code in enumerate(codes, start=1):
            lines.append(f"    <ansicyan>{number}</ansicyan> {_e(code)}{_e(_meaning(session, code))}")
    else:
        lines.append("  codes: (none)")
    found = session.conflicts()
    if found:
        lines.append("  <ansiyellow>merge conflicts</ansiyellow> (add or remove the code to decide; "
                     "k keeps the codes as they are):")
        for line, text in found:
            lines.append(f"    <ansiyellow>! {_e(text)}</ansiyellow>  <ansigray>(line {line})</ansigray>")
    from verlicht.coding.memos import screen_lines

    lines.extend(screen_lines(session))  # the memos on this utterance
    if session.suggester is not None and not session.is_interviewer() and len(u.text) > SUGGEST_LIMIT:
        lines.append(f"  suggestions: none for an utterance over {SUGGEST_LIMIT} characters")
    suggestions = session.suggestions()
    if suggestions:
        lines.append("  suggestions (y takes +1, the best):")
        for number, s in enumerate(suggestions, start=1):
            cue = f"  cue '{_e(s.cue)}'" if getattr(s, "cue", "") else ""
            low = "  <ansiyellow>low</ansiyellow>" if s.score < LOW_SCORE else ""
            lines.append(f"    <ansimagenta>+{number}</ansimagenta> {_e(s.code)}  ({s.score:.2f}{cue}){low}")
    return "\n".join(lines)


def _short(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns (wide characters such as CJK or emoji count twice)."""
    if get_cwidth(text) <= width:
        return text
    used = 0
    for index, char in enumerate(text):
        used += get_cwidth(char)
        if used > width - 1:
            return text[:index] + "…"
    return text


def _meaning(session: CodingSession, code: str) -> str:
    book = session.codebook
    if "->" in code:
        _, _, rest = code.partition("||")
        edge = book.edge_types.get(rest.split("||")[0])
        return f"   ({edge.label_nl})" if edge else "   (edge type not in codebook)"
    concept = book.concepts.get(code.split("||")[0].rsplit(">", 1)[-1])
    return f"   ({concept.label_nl})" if concept else "   (not in codebook)"


# ---------------------------------------------------------------------------------------------------- the loop

def run(session: CodingSession, interactive: bool | None = None, ask_claim: bool = False) -> None:
    """The coder's read–act loop, until ``q`` or end of input.

    ``ask_claim``: the coder named themselves, and the file holds codes without a coder id: on a terminal
    they are asked whether the file (and so those codes) is theirs; on a pipe it is not marked.
    """
    if interactive is None:
        interactive = sys.stdin.isatty() and sys.stdout.isatty()
    term = Terminal(session, interactive)
    if session.unclaimed and not session.mark_coder and not _claim(session, term, ask_claim and interactive):
        return
    term.show(render(session))
    while True:
        try:
            text = term.ask("<b>code&gt;</b> ", completer=term.codes)
        except KeyboardInterrupt:
            term.show("<ansiyellow>(cancelled; nothing changed)</ansiyellow>")
            continue
        except EOFError:
            break
        try:
            result = dispatch(session, term, text.strip())
        except (KeyboardInterrupt, EOFError):
            term.show("<ansiyellow>(cancelled; nothing changed)</ansiyellow>")
            continue
        except VerlichtError as exc:
            term.show(f"<ansired>{_e(str(exc))}</ansired>")
            continue
        if result is None:
            break
        if result:
            term.show(f"<ansigreen>{_e(result)}</ansigreen>" if not result.startswith("!") else
                      f"<ansiyellow>{_e(result[1:])}</ansiyellow>")
        term.show(render(session))
    coded, total = session.progress()
    term.show(f"saved {session.source.shown}: {coded}/{total} respondents' utterances coded")


def _claim(session: CodingSession, term: Terminal, ask: bool) -> bool:
    """Say that the file holds codes without a coder id, and (on a terminal) ask whether they are the coder's.

    False when the coder chose to quit (to make their own copy instead).
    """
    shown, coder, count = session.source.shown, session.coder, session.unclaimed
    term.show(f"<ansiyellow>{_e(shown)} holds {count} code(s) without a coder id.</ansiyellow> Marking the file as "
              f"coded by {_e(coder)} would make rock and 'verlicht code list' count them as {_e(coder)}'s too.")
    if not ask:
        term.show(f"<ansiyellow>Your codes are not marked either</ansiyellow> (type 'claim' if the earlier codes are "
                  f"yours; to code your own copy: verlicht code copy {_e(shown)} --coder {_e(coder)}).")
        return True
    try:
        answer = term.ask_once(f"Are the earlier codes {_e(coder)}'s? <b>y</b> = yes, mark the file as mine / "
                          "<b>n</b> = code without marking (Enter) / <b>q</b> = quit&gt; ").strip().lower()
    except (KeyboardInterrupt, EOFError):
        answer = "q"
    if answer in YES:
        term.show(f"<ansigreen>{_e(session.claim())}</ansigreen>")
    elif answer in ("q", "quit"):
        term.show(f"nothing changed. To code your own copy: verlicht code copy {_e(shown)} --coder {_e(coder)}")
        return False
    else:
        term.show("<ansiyellow>not marked: your codes will have no coder id either</ansiyellow> "
                  "('claim' changes this later)")
    return True


# ---------------------------------------------------------------------------------------------------- commands

GROUPS = ("Moving", "Coding", "Suggestions", "Several utterances at once", "Merge conflicts", "Browsing codes",
          "Codebook", "Memos", "Session")


@dataclass(frozen=True, slots=True)
class Command:
    """One command of the coder: what the whole typed line must match, what it does, where help lists it."""

    pattern: re.Pattern[str] | None  # None: a line in the help only (typing a code is no command)
    run: Callable[[CodingSession, Terminal, re.Match[str]], str | None] | None
    keys: str
    does: str
    group: str


COMMANDS: list[Command] = []


def command(pattern: str | None, keys: str, does: str, group: str):
    """Register a command: ``pattern`` (a regular expression the whole line must match) runs the function.

    The function takes the session, the terminal and the match, and returns the message to show
    ("" for none, a leading "!" for a notice), or None to quit.
    """
    def register(func):
        COMMANDS.append(Command(re.compile(pattern) if pattern else None, func, keys, does, group))
        return func
    return register


def help_lines(columns: int | None = None) -> list[str]:
    """The key help, grouped by task, from :data:`COMMANDS`; what a key does is wrapped under itself to the
    terminal's width (a wrapped line starting at the left edge would break the two columns)."""
    import textwrap

    columns = columns or shutil.get_terminal_size((100, 24)).columns
    groups = list(GROUPS) + sorted({c.group for c in COMMANDS} - set(GROUPS))
    width = max(len(c.keys) for c in COMMANDS)
    room = max(30, columns - width - 5)
    lines = []
    for group in groups:
        rows = [c for c in COMMANDS if c.group == group and c.keys]
        if rows:
            lines.append(f"<b>{_e(group)}</b>")
            for c in rows:
                parts = textwrap.wrap(c.does, room) or [""]
                lines.append(f"  {_e(c.keys.ljust(width))}  {_e(parts[0])}")
                lines.extend(f"  {' ' * width}  {_e(part)}" for part in parts[1:])
    lines.append("A code that is also a command word (n, y, b, c, k, q …): type it as [[n]].")
    lines.append("Ctrl-C cancels what you are typing. Every change is saved at once.")
    return lines


def dispatch(session: CodingSession, term: Terminal, text: str) -> str | None:
    """Do one command; the message to show, or None to quit. A leading '!' marks a notice."""
    for cmd in COMMANDS:
        if cmd.pattern is not None and cmd.run is not None:
            match = cmd.pattern.fullmatch(text)
            if match:
                return cmd.run(session, term, match)
    word = text.split(" ", 1)[0]
    if word in NEEDS_ARGUMENT:
        raise CodingError(f"'{word}' needs an argument", None, NEEDS_ARGUMENT[word])
    return _add(session, term, text)


NEEDS_ARGUMENT = {"g": "g 42 or g UID", "rm": "rm CODE or -1", "new": "new CODE", "e": "e1 edits suggestion 1",
                  "x": "x1 rejects suggestion 1", ":": ":42", "j": "j 2 jumps to quote 2 of the last list (b CODE)",
                  "*": "* CODE codes every utterance the filter shows",
                  "ms": "ms TEXT puts a memo on the source (m TEXT on this utterance, m lists them)"}


def _notice(message: str) -> str:
    return f"!{message}" if message and not message.startswith("!") else message


@command(r"q|:q|quit|exit", "", "", "")  # first: ':q' is no jump to a line 'q'
def _quit(session, term, match):
    return None


# -- moving
@command(r"n?", "Enter, n / p", "next / previous utterance (within the filter)", "Moving")
def _next(session, term, match):
    return _notice(session.move(1))


@command(r"p", "", "", "")
def _previous(session, term, match):
    return _notice(session.move(-1))


@command(r"(?:g\s+|:)(\S+)", "g 42, g 7ddr5tye", "go to line 42 or to a uid (line numbers never change)",
         "Moving")
def _goto(session, term, match):
    return session.goto(match.group(1))


@command(r"/(.*)", "/wachtlijst, /", "search forward (again), wrapping round", "Moving")
def _search(session, term, match):
    return _notice(session.search(match.group(1)))


@command(r"f", "f", "show only respondents' utterances without codes (toggle)", "Moving")
def _uncoded(session, term, match):
    return session.toggle_uncoded()


@command(r"f\s+(.+)", "f wachtlijst, f -", "show only utterances holding a word / every utterance again", "Moving")
def _filter(session, term, match):
    return session.set_text_filter(match.group(1))


# -- coding
# Stacked decorators register bottom-up: the first line of the help is the last one here.
@command(None, "a->b||causal_pos||2", "a network code with type and weight", "Coding")
@command(None, "a->b", "a network code; you are asked for the edge type (Enter = causal)", "Coding")
@command(None, "wonen>instroom", "a code: type it (Tab completes from the codebook)", "Coding")
def _typed(session, term, match):  # pragma: no cover - help lines only
    return ""


@command(r"-(\d+)", "-1, rm a->b", "remove code 1 / that code", "Coding")
def _remove_number(session, term, match):
    return session.remove(match.group(1)).message


@command(r"rm\s+(.+)", "", "", "")
def _remove_code(session, term, match):
    return session.remove(match.group(1).strip()).message


@command(r"u", "u", "undo the last change (the screen goes to the line it changed)", "Coding")
def _undo(session, term, match):
    return session.undo().message


# -- suggestions
@command(r"y", "y", "accept the best suggestion (+1); a low score is asked about first", "Suggestions")
def _best(session, term, match):
    found = session.suggestions()
    if not found:
        raise CodingError("no suggestions for this utterance", None, "type a code")
    best = found[0]
    if best.score < LOW_SCORE and not term.confirm(
            f"the best suggestion, {_e(best.code)}, scores only {best.score:.2f} (right less than 6 times in 10 "
            "at that score): add it?"):
        return "!not added"
    return session.accept(1).message


@command(r"\+(\d+)", "+2 · e2 · x2", "accept suggestion 2 · edit it first · reject it (remembered)", "Suggestions")
def _accept(session, term, match):
    return session.accept(int(match.group(1))).message


@command(r"e(\d+)", "", "", "")
def _edit(session, term, match):
    edited = term.ask("<b>code&gt;</b> ", completer=term.codes,
                      default=session.suggestion(int(match.group(1))).code).strip()
    return _add(session, term, edited) if edited else "!cancelled"


@command(r"x(\d+)", "", "", "")
def _reject(session, term, match):
    return session.reject(int(match.group(1))).message


# -- several at once
@command(r"(\d+)\s*-\s*(\d+)(?:\s*:?\s+(.+))?", "12-18 CODE", "code the utterances on lines 12 to 18 (asked once; "
         "one undo)", "Several utterances at once")
def _range(session, term, match):
    first, last = int(match.group(1)), int(match.group(2))
    return _code_many(session, term, session.range_positions(first, last), match.group(3),
                      f"lines {min(first, last)}-{max(first, last)}")


@command(r"\*(?:\s*:?\s*(.+))?", "* CODE", "code every utterance the filter shows (f, f WORD)",
         "Several utterances at once")
def _all_filtered(session, term, match):
    if not session.filtering:
        raise CodingError("no filter is on, so '*' would mean every utterance", None,
                          "filter first (f, or f WORD), or give lines: 12-18 CODE")
    return _code_many(session, term, session.filtered(), match.group(1), f"the filter ({session.filter_label()})")


# -- merge conflicts
@command(r"c", "c / C", "next / previous merge conflict", "Merge conflicts")
def _conflict_next(session, term, match):
    return session.next_conflict(1)


@command(r"C", "", "", "")
def _conflict_previous(session, term, match):
    return session.next_conflict(-1)


@command(r"k", "k", "keep this line's codes as they are: its conflicts are resolved", "Merge conflicts")
def _keep(session, term, match):
    return session.keep().message


@command(None, "a code, -1", "adding or removing the code a conflict names resolves it too", "Merge conflicts")
def _resolves(session, term, match):  # pragma: no cover - a help line only
    return ""


# -- browsing
@command(r"b", "b", "every code in this source and how many utterances hold it", "Browsing codes")
def _frequencies(session, term, match):
    from verlicht.coding.browse import frequencies

    rows = frequencies(session.source)
    session.browsed_codes = [code for code, _ in rows]
    if not rows:
        return "!no codes in this source yet"
    lines = [f"<b>codes in {_e(session.source.shown)}</b> (b 3 or b CODE lists the quotes)"]
    lines += [f"  <ansicyan>{n:>3}</ansicyan> {count:>4}×  {_e(code)}<ansigray>{_e(_meaning(session, code))}"
              "</ansigray>" for n, (code, count) in enumerate(rows, start=1)]
    term.show("\n".join(lines))
    return ""


@command(r"b\s+(.+)", "b 3, b wonen, b a->b", "all quotes for code 3 of that list, a code, an edge or a concept",
         "Browsing codes")
def _quotes(session, term, match):
    from verlicht.coding.browse import quotes

    query = match.group(1).strip()
    if query.isdigit():
        number = int(query)
        if not 1 <= number <= len(session.browsed_codes):
            raise CodingError(f"there is no code {number} in the list", None, "type b to list the codes first")
        query = session.browsed_codes[number - 1]
    found = quotes(session.source, query)
    session.browsed = [q.index for q in found]
    if not found:
        return f"!no utterance is coded with {query}"
    lines = [f"<b>{len(found)} quote(s) for {_e(query)}</b> (j 2 jumps to quote 2)"]
    for n, q in enumerate(found, start=1):
        lines.append(f"  <ansicyan>{n:>3}</ansicyan> line {q.line:>4} [{_e(q.case or '')}] {_e(_short(q.text, 70))}"
                     f"  <ansigray>[[{_e(q.code)}]]</ansigray>")
    term.show("\n".join(lines))
    return ""


@command(r"j\s*(\d+)", "j 2", "jump to quote 2 of the last list", "Browsing codes")
def _jump(session, term, match):
    number = int(match.group(1))
    if not 1 <= number <= len(session.browsed):
        raise CodingError(f"there is no quote {number}", None,
                          f"the last list has {len(session.browsed)} quote(s); b CODE lists them")
    session.index = session.browsed[number - 1]
    return f"quote {number} of {len(session.browsed)}"


# -- codebook
@command(r"new\s+(\S+)", "new CODE", "add a concept to the codebook (type, Dutch and English label); "
         "a code naming an unknown concept asks the same", "Codebook")
def _new(session, term, match):
    known = session.synonym_of(match.group(1).strip())
    if known and not term.confirm(f"'{_e(match.group(1).strip())}' is a synonym of <b>{_e(known)}</b> in the "
                                  "codebook; create a concept of its own anyway?"):
        return f"!nothing added; type {known} to code it"
    concept = _ask_concept(session, term, match.group(1).strip())
    return session.new_concept(concept.code, concept.type, concept.label_nl, concept.label_en)


# -- session
@command(r"m|ms?\s+.+", "m TEXT · m CODE: TEXT · ms TEXT · m", "a memo on this utterance · on a concept · on the "
         "source · list the memos", "Memos")
def _memo(session: CodingSession, term: Terminal, match: re.Match[str]) -> str:
    from verlicht.coding.memos import coder_memo  # memos: verlicht.coding.memos

    return coder_memo(session, match.group())


@command(r"claim", "claim", "mark the file as yours after all, earlier codes without a coder id included",
         "Session")
def _claim_command(session, term, match):
    if session.mark_coder:
        return f"!the file is marked as coded by {session.coder} already (or will be, with your first change)"
    return session.claim()


@command(r"r", "r", "read the file again (another program changed it)", "Session")
def _reload(session, term, match):
    return session.reload()


@command(r"l", "l · ? · q, Ctrl-D", "show the screen again · this help · quit", "Session")
def _again(session, term, match):
    return ""


@command(r"\?|h|help", "", "", "")
def _help(session, term, match):
    term.show("\n".join(help_lines()))
    return ""


COMMAND_WORDS = ("n", "p", "g", "f", "y", "u", "l", "q", "r", "c", "C", "k", "b", "j", "rm", "new", "claim", "m",
                 "ms", "?")


# ---------------------------------------------------------------------------------------------------- adding

def _add(session: CodingSession, term: Terminal, code: str) -> str:
    code = _typed_code(session, term, code)
    concepts = _ask_concepts(session, term, code)
    if concepts is None:
        return "!not added, and nothing written: every concept must be in the codebook (type 'new CODE' to add one)"
    return session.add(code, concepts).message


def _typed_code(session: CodingSession, term: Terminal, code: str) -> str:
    """A typed code with its edge type asked for when missing, checked against the codebook's edge types."""
    code = code.removeprefix("[[").removesuffix("]]").strip()
    if "->" in code and "||" not in code:
        edge = term.ask("edge type&gt; ", completer=_Words(session.codebook.edge_types),
                        placeholder="Tab lists the types; Enter = causal").strip() or "causal"
        code = f"{code}||{edge}"
    unknown_edge = session.unknown_edge_type(code)  # before any question about concepts
    if unknown_edge:
        raise CodingError(f"edge type '{unknown_edge}' is not in the codebook", None,
                          f"use one of: {', '.join(sorted(session.codebook.edge_types))}")
    return code


def _ask_concepts(session: CodingSession, term: Terminal, code: str) -> list[NewConcept] | None:
    """The new concepts a code needs, asked for one by one; None when the coder declines any (nothing is written)."""
    wanted = []
    for name in session.unknown_concepts(code):
        known = session.synonym_of(name)
        also = f" (it is a synonym of <b>{_e(known)}</b>: type that code to use it)" if known else ""
        if not term.confirm(f"'{_e(name)}' is not in the codebook{also}; create it?"):
            return None
        wanted.append(_ask_concept(session, term, name))
    return wanted


def _ask_concept(session: CodingSession, term: Terminal, code: str) -> NewConcept:
    """Type and labels of a new concept (nothing is written here)."""
    from verlicht.coding.edit import parse_code

    kind = parse_code(code)
    if kind.tag != "code" or len(kind.path) != 1:
        raise CodingError(f"'{code}' cannot be a concept code", None, "a concept code is one word: letters, digits, _")
    if code in session.codebook.concepts:
        concept = session.codebook.concepts[code]
        raise CodingError(f"concept '{code}' is already in the codebook ({concept.type}: {concept.label_nl})", None,
                          f"type [[{code}]] to code it" if code in COMMAND_WORDS or len(code) == 1
                          else "type it as a code to use it")
    concept_type = term.ask(f"type of '{_e(code)}' ({'/'.join(CONCEPT_TYPES)})&gt; ",
                            completer=_Words(CONCEPT_TYPES)).strip()
    if concept_type not in CONCEPT_TYPES:
        raise CodingError(f"'{concept_type}' is not a concept type", None, f"use one of: {', '.join(CONCEPT_TYPES)}")
    suggested = code.replace("_", " ").capitalize()
    # The suggested label is a placeholder, not text in the line: typing replaces it, Enter keeps it.
    label_nl = term.ask("label (nl)&gt; ", placeholder=f"Enter = {suggested}").strip() or suggested
    label_en = term.ask("label (en)&gt; ", placeholder="Enter = the same as the Dutch label").strip()
    return NewConcept(code, concept_type, label_nl, label_en)


def _code_many(session: CodingSession, term: Terminal, positions: list[int], code: str | None, what: str) -> str:
    """Code several utterances with one code after one confirmation; one save and one undo step."""
    code = (code or "").strip() or term.ask(f"code for {_e(what)}&gt; ", completer=term.codes).strip()
    if not code:
        return "!cancelled"
    code = _typed_code(session, term, code)
    plan = session.plan_many(positions, code)
    notes = []
    if plan.already:
        notes.append(f"{len(plan.already)} hold it already")
    if plan.interviewer:
        notes.append(f"{len(plan.interviewer)} interviewer line(s) left out")
    if not plan.todo:
        return "!nothing to code in " + what + (f": {', '.join(notes)}" if notes else "")
    lines = [session.utterances[i].line for i in plan.todo]
    shown = ", ".join(map(str, lines[:12])) + (f" … ({len(lines)} in all)" if len(lines) > 12 else "")
    concepts = _ask_concepts(session, term, code)
    if concepts is None:
        return "!nothing coded, and nothing written: every concept must be in the codebook"
    question = (f"code {len(plan.todo)} utterance(s) in {_e(what)} with [[{_e(code)}]]? lines {shown}"
                + (f" ({_e('; '.join(notes))})" if notes else ""))
    if not term.confirm(question):
        return "!nothing coded"
    return session.add_many(plan, concepts).message
