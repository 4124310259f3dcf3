"""The interactive coder on a terminal: prompt_toolkit for input with completion, one line per command.

The screen shows the current utterance with the lines around it, its codes and
suggestions; the prompt takes a code (``wonen>instroom``, ``a->b``,
``a->b||causal_pos||2``) or a short command. Every change is saved at once.
On a pipe instead of a terminal the same commands are read line by line, so the
coder can also be scripted.
"""

from __future__ import annotations

import html
import shutil
import sys
from collections.abc import Callable, Iterable

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.completion import Completer, Completion, DummyCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import HTML
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.utils import get_cwidth

from verlicht.codebook import CONCEPT_TYPES
from verlicht.coding.session import SUGGEST_LIMIT, CodingSession
from verlicht.errors import CodingError, VerlichtError

HELP = """\
<b>Type a code</b> to add it to the current utterance:
  wonen>instroom            a plain code (hierarchy with &gt;)
  a->b                      a network code; you are asked for the edge type
  a->b||causal_pos||2       a network code with type and weight
<b>Commands</b>
  Enter, n / p              next / previous utterance
  g 42, g 7ddr5tye          go to line 42 or to a uid
  /wachtlijst, /            search forward (again)
  f                         show only uncoded utterances (toggle)
  y, +2                     accept the first / second suggestion
  e2, x2                    edit suggestion 2 before adding it / reject it
  -1, rm a->b               remove code 1 / that code
  u                         undo the last change
  r                         read the file again (another program changed it)
  new code                  add a concept to the codebook
  m TEXT, m CODE: TEXT      a memo on this utterance / on a concept (ms TEXT: on the source; m: list)
  l show again;  ? help;  q or Ctrl-D quit
A code that is also a command word (n, y, q …): type it as [[n]].
Ctrl-C cancels what you are typing. Every change is saved at once."""

COMMAND_WORDS = ("n", "p", "g", "f", "y", "u", "l", "q", "rm", "new", "?", "m")


class CodeCompleter(Completer):
    """Completes concept codes and, after ``||``, edge types — from the codebook of the session."""

    def __init__(self, session: CodingSession):
        self.session = session

    def get_completions(self, document: Document, complete_event) -> Iterable[Completion]:
        text = document.text_before_cursor
        if text.startswith(("/", "g ", "new ")) or (" " in text.strip() and not text.startswith("rm ")):
            return
        text = text.removeprefix("rm ")
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
        """One answer; ``completer`` is for this question only (the session would otherwise keep it)."""
        if self.prompt_session is not None:
            return self.prompt_session.prompt(
                HTML(message), default=default, completer=completer or DummyCompleter(),
                # Not None: prompt_toolkit keeps the last non-None placeholder for every later question.
                placeholder=HTML(f"<ansigray>{placeholder}</ansigray>") if placeholder else "")
        self.show(message)
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n") or default

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
    import re

    return html.unescape(re.sub(r"</?[a-zA-Z][^>]*>", "", markup))


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def render(session: CodingSession, width: int | None = None) -> str:
    """The screen for the current utterance, as prompt_toolkit HTML, fitted to the terminal's width."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    u = session.current
    coded, total = session.progress()
    attrs = session.source.source.attributes.get(u.case_id or "", {})
    who = u.case_id or "?"
    if attrs.get("group") or attrs.get("role"):
        who += f" ({attrs.get('group') or attrs.get('role')})"
    where = f"{session.source.shown}  {session.index + 1}/{total}  line {u.line}  uid {u.uid or '-'}"
    state = f"{who}  coder {session.coder}{'' if session.mark_coder else ' (not marked)'}  [{coded}/{total} coded]"
    if session.uncoded_only:
        state += "  [uncoded only]"
    if len(where) + 2 + len(state) <= width:
        lines = ["", f"<b>{_e(where)}</b>  {_e(state)}"]
    else:
        lines = ["", f"<b>{_e(where)}</b>", _e(state)]
    for _, other, is_current in session.context():
        speaker = other.case_id or ""
        mark = "<ansigreen>●</ansigreen>" if other.codes or other.network or other.values else " "
        prefix = f"{'▶' if is_current else ' '} {other.line:>4} x [{speaker}] "
        text = other.text if is_current else _short(other.text, max(20, width - len(prefix) - 1))
        if is_current:
            lines.append(f"<b>▶ {other.line:>4} {mark} [{_e(speaker)}] {_e(text)}</b>")
        else:
            lines.append(f"<ansigray>  {other.line:>4} {mark} [{_e(speaker)}] {_e(text)}</ansigray>")
    codes = session.codes()
    if codes:
        lines.append("  codes:")
        for number, code in enumerate(codes, start=1):
            lines.append(f"    <ansicyan>{number}</ansicyan> {_e(code)}{_e(_meaning(session, code))}")
    else:
        lines.append("  codes: (none)")
    from verlicht.coding.memos import screen_lines

    lines.extend(screen_lines(session))  # the memos on this utterance
    suggestions = session.suggestions()
    if session.suggester is not None and len(u.text) > SUGGEST_LIMIT:
        lines.append(f"  suggestions: none for an utterance over {SUGGEST_LIMIT} characters")
    if suggestions:
        lines.append("  suggestions:")
        for number, s in enumerate(suggestions, start=1):
            cue = f"  cue '{_e(s.cue)}'" if getattr(s, "cue", "") else ""
            lines.append(f"    <ansimagenta>+{number}</ansimagenta> {_e(s.code)}  ({s.score:.2f}{cue})")
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


def run(session: CodingSession, interactive: bool | None = None) -> None:
    """The coder's read–act loop, until ``q`` or end of input."""
    if interactive is None:
        interactive = sys.stdin.isatty() and sys.stdout.isatty()
    term = Terminal(session, interactive)
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
        except KeyboardInterrupt:
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
    term.show(f"saved {session.source.shown}: {coded}/{total} utterances coded")


def dispatch(session: CodingSession, term: Terminal, text: str) -> str | None:
    """Do one command; the message to show, or None to quit. A leading '!' marks a notice."""
    commands: dict[str, Callable[[], str]] = {
        "": lambda: session.move(1),
        "n": lambda: session.move(1),
        "p": lambda: session.move(-1),
        "f": session.toggle_uncoded,
        "u": lambda: session.undo().message,
        "y": lambda: session.accept(1).message,
        "l": lambda: "",
        "?": lambda: "",
        "h": lambda: "",
    }
    if text in ("q", ":q", "quit", "exit"):
        return None
    if text in ("g", "rm", "new", "e", "x", ":"):
        raise CodingError(f"'{text}' needs an argument", None,
                          {"g": "g 42 or g UID", "rm": "rm CODE or -1", "new": "new CODE", "e": "e1 edits suggestion 1",
                           "x": "x1 rejects suggestion 1", ":": ":42"}[text])
    if text == "r":
        return session.reload()
    if text in ("?", "h", "help"):
        term.show(HELP)
        return ""
    if text in commands:
        message = commands[text]()
        return f"!{message}" if message and text in ("", "n", "p") else message
    if text.startswith("g ") or (text.startswith(":") and text[1:].strip()):
        return session.goto(text[2:] if text.startswith("g ") else text[1:])
    if text.startswith("/"):
        message = session.search(text[1:])
        return f"!{message}" if message else ""
    if text[0] == "+" and text[1:].isdigit():
        return session.accept(int(text[1:])).message
    if text[0] in "ex" and text[1:].isdigit():
        if text[0] == "x":
            return session.reject(int(text[1:]))
        edited = term.ask("<b>code&gt;</b> ", completer=term.codes,
                          default=session.suggestion(int(text[1:])).code).strip()
        return _add(session, term, edited) if edited else "!cancelled"
    if text[0] == "-" and text[1:].isdigit():
        return session.remove(text[1:]).message
    if text.startswith("rm "):
        return session.remove(text[3:].strip()).message
    if text.startswith("new "):
        return _new_concept(session, term, text[4:].strip())
    if text == "m" or text.startswith(("m ", "ms ")):  # memos: verlicht.coding.memos
        from verlicht.coding.memos import coder_memo

        return coder_memo(session, text)
    return _add(session, term, text)


def _add(session: CodingSession, term: Terminal, code: str) -> str:
    code = code.removeprefix("[[").removesuffix("]]").strip()
    if "->" in code and "||" not in code:
        edge = term.ask("edge type&gt; ", completer=_Words(session.codebook.edge_types),
                        placeholder="Tab lists the types; Enter = causal").strip() or "causal"
        code = f"{code}||{edge}"
    unknown_edge = session.unknown_edge_type(code)  # before any question about concepts
    if unknown_edge:
        raise CodingError(f"edge type '{unknown_edge}' is not in the codebook", None,
                          f"use one of: {', '.join(sorted(session.codebook.edge_types))}")
    missing = session.unknown_concepts(code)
    for name in missing:
        answer = term.ask(f"'{_e(name)}' is not in the codebook; create it? [y/N] ").strip().lower()
        if answer not in ("y", "j", "yes", "ja"):
            return "!not added: every concept must be in the codebook (type 'new CODE' to add one)"
        _new_concept(session, term, name)
    return session.add(code).message


def _new_concept(session: CodingSession, term: Terminal, code: str) -> str:
    from verlicht.coding.edit import parse_code

    kind = parse_code(code)
    if kind[0] != "code" or len(kind[1]) != 1:
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
    label_nl = term.ask("label (nl)&gt; ", default=code.replace("_", " ").capitalize()).strip()
    label_en = term.ask("label (en)&gt; ", placeholder="Enter = the same as the Dutch label").strip()
    return session.new_concept(code, concept_type, label_nl, label_en)
