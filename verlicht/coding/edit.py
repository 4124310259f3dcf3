"""Changing the codes of a ROCK source, and nothing else, safely.

Every coding action (the interactive coder, ``verlicht code add|remove``, a
merge) goes through :class:`EditableSource`: it changes only what stands
between ``[[`` and ``]]``, keeps the file's BOM and line ends, checks the new
text with the ROCK reader (same utterances, same uids, same text) and writes
it atomically. A file that changed on disk since it was opened is not
overwritten, so two editors cannot silently undo each other's work.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from verlicht.errors import CodingError, Location, RockSyntaxError
from verlicht.fsio import atomic_write_bytes, folder_lock
from verlicht.rock.model import Kind, Source, Utterance
from verlicht.rock.reader import BRACKETS, classify, parse_text, scan_text
from verlicht.rock.writer import network_code

CODER = re.compile(r"[a-zA-Z0-9_]+")
CODER_KEY = "coderId"
CODE_KINDS = ("code", "network", "value")
CONFLICT_MARK = "# VERLICHT merge conflict"
BUG_HINT = "nothing was written; this is a bug in VERLICHT, please report it"


@dataclass(frozen=True, slots=True)
class Token:
    """One ``[[…]]`` on a line: its content, where it stands (0-based, end exclusive) and what it is."""

    content: str
    start: int
    end: int
    kind: Kind

    @property
    def tag(self) -> str:
        return self.kind.tag

    @property
    def is_code(self) -> bool:
        return self.tag in CODE_KINDS


def tokens(line: str) -> list[Token]:
    """The ``[[…]]`` tokens of one physical line, in order."""
    return [Token(m.group(1), m.start(), m.end(), classify(m.group(1))) for m in BRACKETS.finditer(line)]


def canonical(kind: Kind) -> str:
    """The one spelling of a code kind, so ``[[ a -> b ||causal_pos]]`` and ``[[a->b||causal_pos]]`` compare equal."""
    tag = kind.tag
    if tag == "network":
        return network_code(kind.source, kind.target, kind.type, kind.weight)
    if tag == "code":
        return ("ci--" if kind.namespace == "ci" else "") + ">".join(kind.path)
    if tag == "value":
        return f"{kind.code}||{kind.value}"
    if tag == "uid":
        return f"uid={kind.uid}"
    if tag == "id":
        return f"{kind.name}={kind.value}"
    return ""


def parse_code(text: str, where: Location | None = None) -> Kind:
    """Check a code a coder typed (with or without ``[[ ]]``); its kind, or a :class:`CodingError` saying why not."""
    content = text.strip()
    if content.startswith("[[") and content.endswith("]]"):
        content = content[2:-2]
    if not content or "[" in content or "]" in content or "\n" in content:
        raise CodingError(f"'{text}' is not a code", where,
                          "type a code such as wonen>instroom or cause->effect||causal_pos")
    kind = classify(content)
    tag = kind.tag
    if tag in ("error", "warning"):
        raise CodingError(kind.message.replace("; it is ignored", ""), where, kind.hint)
    if tag in ("uid", "id"):
        raise CodingError(f"'{content}' is an identifier, not a code", where,
                          "uids and case ids are set by 'verlicht anonymise', coder ids by --coder")
    if tag == "code" and kind.warning:
        raise CodingError(kind.warning, where, kind.hint)
    return kind


class EditableSource:
    """A ROCK source open for coding: its lines, parsed view and the bytes it was read from."""

    def __init__(self, path: Path, shown: str, text: str, bom: bool, newline: str, final_newline: bool,
                 digest: str, parsed: Source | None = None):
        self.path = path
        self.shown = shown
        self.bom = bom
        self.newline = newline
        self.final_newline = final_newline
        self.lines = text.split("\n")
        if final_newline:
            self.lines.pop()
        if newline == "\r\n":
            self.lines = [line[:-1] if line.endswith("\r") else line for line in self.lines]
        self._digest = digest
        self._source = parsed if parsed is not None else parse_text(self.text(), shown)
        self._stale = False  # True when lines changed in a way only a full parse can follow
        self._text_by_uid = _texts(self._source)

    @classmethod
    def load(cls, path: Path | str, shown: str | None = None) -> EditableSource:
        """Open a source; it must already be valid ROCK (errors carry file:line)."""
        path = Path(path)
        shown = shown or str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CodingError(f"cannot read source: {exc.strerror or exc}", Location(shown),
                              "check the path") from None
        bom = data.startswith(b"\xef\xbb\xbf")
        from verlicht.rock.reader import parse_bytes

        parsed = parse_bytes(data, shown)  # located errors for bad bytes or bad ROCK, before anything else
        text = data.decode("utf-8-sig")
        first_end = text.find("\n")
        newline = "\r\n" if first_end > 0 and text[first_end - 1] == "\r" else "\n"
        return cls(path, shown, text, bom, newline, text.endswith("\n"), _digest(data), parsed)

    # ------------------------------------------------------------------ reading
    def text(self) -> str:
        body = self.newline.join(self.lines)
        return body + self.newline if self.final_newline else body

    def data(self) -> bytes:
        return (b"\xef\xbb\xbf" if self.bom else b"") + self.text().encode("utf-8")

    @property
    def source(self) -> Source:
        """The parsed view of the current lines."""
        if self._stale:
            self._source = parse_text(self.text(), self.shown)
            self._stale = False
        return self._source

    @property
    def utterances(self) -> list[Utterance]:
        return self.source.utterances

    def utterance_at(self, line: int) -> Utterance:
        for utterance in self.source.utterances:
            if utterance.line == line:
                return utterance
        raise CodingError(f"line {line} holds no utterance", Location(self.shown, line),
                          "code a line with text; 'verlicht code list' shows them")

    def line_of_uid(self, uid: str) -> int:
        for utterance in self.source.utterances:
            if utterance.uid == uid:
                return utterance.line
        raise CodingError(f"no utterance with uid '{uid}'", Location(self.shown),
                          "uids are the [[uid=…]] at the start of each line")

    def codes_on(self, line: int) -> list[str]:
        """The codes on a line (not uids or ids), each in its canonical spelling."""
        return [canonical(t.kind) for t in tokens(self.lines[line - 1]) if t.is_code]

    def coders(self) -> list[tuple[int, str]]:
        """Every ``[[coderId=…]]`` in the file, with its line."""
        found = []
        for number, line in enumerate(self.lines, start=1):
            if CODER_KEY not in line:
                continue
            for token in tokens(line):
                if token.tag == "id" and token.kind.name == CODER_KEY:
                    found.append((number, token.kind.value))
        return found

    @property
    def coder(self) -> str | None:
        coders = self.coders()
        return coders[0][1] if coders else None

    # ------------------------------------------------------------------ changing
    def add(self, line: int, code: str) -> bool:
        """Add a code at the end of a line; False when the line already has it."""
        self.utterance_at(line)
        kind = parse_code(code, Location(self.shown, line))
        spelled = canonical(kind)
        if _unweighted(spelled) in {_unweighted(c) for c in self.codes_on(line)}:
            return False  # the same code, or the same edge with another weight
        self._replace(line, self.lines[line - 1].rstrip() + f" [[{spelled}]]")
        return True

    def remove(self, line: int, code: str) -> bool:
        """Remove a code from a line; ``cause->effect`` without a type removes the one edge between them."""
        self.utterance_at(line)
        text = self.lines[line - 1]
        found = _match(tokens(text), code, Location(self.shown, line))
        if found is None:
            return False
        start = found.start
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        if start == 0:  # the first thing on the line: take the space after it instead
            end = found.end
            while end < len(text) and text[end] in " \t":
                end += 1
            self._replace(line, text[end:])
        else:
            self._replace(line, text[:start] + text[found.end :])
        return True

    def set_coder(self, coder: str) -> bool:
        """Mark the file as coded by ``coder`` (rock's ``[[coderId=…]]``); True when the id was written.

        A file coded by someone else is refused: each coder codes their own copy, and
        ``verlicht agreement`` / ``verlicht merge`` bring the copies together.
        """
        if not CODER.fullmatch(coder):
            raise CodingError(f"coder id '{coder}' is not usable in ROCK", None,
                              "use letters, digits and _ only, e.g. --coder anna_v")
        others = sorted({name for _, name in self.coders() if name != coder})
        if others:
            line = next(n for n, name in self.coders() if name == others[0])
            raise CodingError(f"this source is coded by '{others[0]}'", Location(self.shown, line),
                              f"code your own copy: verlicht code copy {self.shown} --coder {coder}")
        if self.coder == coder:
            return False
        utterances = self.source.utterances
        if not utterances:
            self.lines.append(f"[[{CODER_KEY}={coder}]]")
        else:
            # On the first utterance's own line, after its leading ids: rock's persistent ids hold from the line
            # they stand on, and no line moves, so every line number shown or reported stays valid.
            number = utterances[0].line
            text = self.lines[number - 1]
            at = 0
            for token in tokens(text):
                if text[at:token.start].strip() or token.tag not in ("uid", "id"):
                    break
                at = token.end
            mark = f"[[{CODER_KEY}={coder}]]"
            self.lines[number - 1] = f"{text[:at]} {mark}{text[at:]}" if at else f"{mark} {text}"
        self._invalidate()
        return True

    def conflicts(self) -> dict[int, list[tuple[int, str]]]:
        """The ``# VERLICHT merge conflict`` comments ``verlicht merge`` wrote, by the utterance line below them.

        Each is (its line, its text without the marker). An emptied comment line (a resolved conflict) is gone.
        """
        found: dict[int, list[tuple[int, str]]] = {}
        pending: list[tuple[int, str]] = []
        for number, line in enumerate(self.lines, start=1):
            if line.startswith(CONFLICT_MARK):
                pending.append((number, line[len(CONFLICT_MARK):].lstrip(" :")))
            elif pending and line.strip() and not line.startswith("#"):
                found[number] = pending
                pending = []
        return found

    def clear_comment(self, line: int) -> None:
        """Empty a ``#`` comment line (not remove it: the lines below keep their numbers)."""
        if not self.lines[line - 1].startswith("#"):
            raise CodingError(f"line {line} is not a comment", Location(self.shown, line), BUG_HINT)
        self.lines[line - 1] = ""
        self._invalidate()

    def strip_codes(self) -> int:
        """Remove every code and coder id (keeping uids, case ids and text), for a copy a second coder starts from."""
        removed = 0
        for utterance in list(self.source.utterances):
            for code in self.codes_on(utterance.line):
                removed += self.remove(utterance.line, code)
        self.strip_coders()
        return removed

    def strip_coders(self) -> None:
        """Remove every ``[[coderId=…]]``, and a line that held nothing else."""
        kept = []
        for line in self.lines:
            ids = [t for t in tokens(line) if t.tag == "id" and t.kind.name == CODER_KEY]
            for token in reversed(ids):
                line = (line[: token.start].rstrip() + " " + line[token.end :].lstrip()).strip()
            if not ids or line:
                kept.append(line)
        self.lines = kept
        self._invalidate()

    def snapshot(self) -> list[str]:
        return list(self.lines)

    def restore(self, lines: list[str]) -> None:
        self.lines = list(lines)
        self._invalidate()

    def changed(self) -> bool:
        return _digest(self.data()) != self._digest

    def save(self) -> bool:
        """Write the file atomically if it changed; False when there was nothing to write.

        Refuses when the file changed on disk since it was read (another editor), or when
        the new text would not read back as the same utterances.
        """
        data = self.data()
        if _digest(data) == self._digest:
            return False
        self._check(scan_text(self.text(), self.shown))  # the safety net: the whole file read back
        with folder_lock(self.path.parent):  # the check below and the rename are one step for other editors
            try:
                on_disk = _digest(self.path.read_bytes())
            except FileNotFoundError:
                on_disk = None
            if on_disk != self._digest:
                raise CodingError("the file changed on disk since it was opened; nothing was written",
                                  Location(self.shown), "read it again (r in the coder) and redo the last change")
            atomic_write_bytes(self.path, data)
        self._digest = _digest(data)
        return True

    def write_to(self, path: Path, overwrite: bool = False) -> None:
        """Write the current text to another file (a coder's copy, a merged source), atomically."""
        if path.exists() and not overwrite:
            raise CodingError(f"{path} exists", Location(str(path)), "choose another --out, or pass --force")
        self._check(scan_text(self.text(), str(path)))
        atomic_write_bytes(path, self.data())

    # ------------------------------------------------------------------ inside
    def _replace(self, line: int, text: str) -> None:
        """Put new codes on one line; only that utterance's codes are read again (the save reads it all)."""
        old = self.lines[line - 1]
        self.lines[line - 1] = text
        if self._stale:
            return
        try:
            alone = parse_text(text, self.shown).utterances
        except RockSyntaxError:
            self.lines[line - 1] = old
            raise
        target = self.utterance_at(line)
        if len(alone) != 1 or (alone[0].uid, alone[0].text) != (target.uid, target.text):
            self._stale = True  # not a codes-only change: follow it with a full parse
            return
        target.codes, target.values, target.network = alone[0].codes, alone[0].values, alone[0].network

    def _invalidate(self) -> None:
        """Lines moved or changed beyond one line's codes: the next look at the source parses it all."""
        self._stale = True

    def _check(self, source: Source) -> None:
        if _texts(source) != self._text_by_uid:
            raise CodingError("the edit would change the text or uids of the source; nothing was written",
                              Location(self.shown), "only codes can be changed while coding")


def _unweighted(code: str) -> str:
    return code.rsplit("||", 1)[0] if "->" in code and code.count("||") == 2 else code


def contradiction(existing: list[str], code: str, edge_types: dict) -> str | None:
    """The code on a line that says the opposite of ``code`` (same cause and effect, opposite sign), if any.

    One utterance holding a claim and its opposite would count as evidence for both.
    """
    kind = parse_code(code)
    if kind.tag != "network" or kind.type not in edge_types:
        return None
    sign = edge_types[kind.type].polarity
    if sign not in ("+", "-"):
        return None
    for other in existing:
        found = classify(other)
        same_ends = found.tag == "network" and (found.source, found.target) == (kind.source, kind.target)
        if same_ends and found.type in edge_types and edge_types[found.type].polarity == {"+": "-", "-": "+"}[sign]:
            return other
    return None


def _texts(source: Source) -> list[tuple[str | None, str]]:
    """(uid, text) of every utterance with text; utterances may be objects or scan_text's rows (same names)."""
    return [(u.uid, u.text) for u in source.utterances if u.text]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _match(found: list[Token], code: str, where: Location) -> Token | None:
    """The token on a line a coder means by ``code``: the same code, or the one edge between two concepts."""
    content = code.strip().removeprefix("[[").removesuffix("]]")
    if "->" in content and "||" not in content:
        ends = tuple(part.strip() for part in content.split("->", 1))
        edges = [t for t in found if t.tag == "network" and (t.kind.source, t.kind.target) == ends]
        if len(edges) > 1:
            raise CodingError(f"the line has {len(edges)} edges {ends[0]}->{ends[1]}", where,
                              "name the one to remove with its type, e.g. a->b||causal_pos")
        return edges[0] if edges else None
    spelled = canonical(parse_code(code, where))
    exact = [t for t in found if t.is_code and canonical(t.kind) == spelled]
    if exact:
        return exact[0]
    if spelled.count("||") == 1 and "->" in spelled:  # a->b||type matches a weighted a->b||type||w too
        loose = [t for t in found if t.tag == "network" and canonical(t.kind).rsplit("||", 1)[0] == spelled]
        if len(loose) == 1:
            return loose[0]
    return None


def interviewers(source: Source) -> set[str]:
    """The case ids of a source's interviewers (``group`` or ``role`` ``interviewer`` in ``ROCK_attributes``).

    The one rule everywhere: an interviewer's line is never suggested codes and never counted as uncoded.
    """
    return {case for case, attributes in source.attributes.items()
            if "interviewer" in (str(attributes.get("group", "")).strip().lower(),
                                 str(attributes.get("role", "")).strip().lower())}


def code_rows(source: EditableSource, uid: str | None = None, uncoded: bool = False) -> list[dict]:
    """One row per code (or, with ``uncoded``, per respondent's utterance without codes): where, who said, who coded.

    Interviewers' lines are never listed as uncoded (:func:`is_interviewer`)."""
    rows = []
    asking = interviewers(source.source)
    for utterance in source.utterances:
        if uid is not None and utterance.uid != uid:
            continue
        base = {"path": source.shown, "line": utterance.line, "uid": utterance.uid, "case": utterance.case_id,
                "coder": utterance.coder_id}
        found = [t for t in tokens(source.lines[utterance.line - 1]) if t.is_code]
        if uncoded:
            if not found and utterance.case_id not in asking:
                rows.append({**base, "kind": None, "code": None, "text": utterance.text})
            continue
        for token in found:
            kind = token.kind
            row = {**base, "kind": kind.tag, "code": canonical(kind), "col": token.start + 1, "text": utterance.text}
            if kind.tag == "network":
                row.update(source_code=kind.source, target=kind.target, edge_type=kind.type, weight=kind.weight)
            rows.append(row)
    if uid is not None and not any(u.uid == uid for u in source.utterances):
        raise CodingError(f"no utterance with uid '{uid}'", Location(source.shown),
                          "uids are the [[uid=…]] at the start of each line")
    return rows
