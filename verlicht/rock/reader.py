"""Read ROCK sources the way the R package ``rock`` does, with located errors.

Compatible with rock's defaults (``rock::opts``): one utterance per line, codes
``[[code]]`` with hierarchy ``>``, code values ``[[code||value]]``, QNA network
codes ``[[from->to||type||weight]]``, ``[[uid=…]]``, class instance ids
``[[name=value]]`` (or ``name:value``) that persist until changed, nesting
markers ``~``, YAML fragments between ``---`` lines, section breaks
``---<<name>>---``, anchors ``--+-{…}-+--`` and ``#`` comment lines.

Where rock silently ignores something that is almost certainly a mistake in
QNA coding (an unclosed ``[[``, a network code without a type), we stop with
``path:line:col`` and a hint; where it is merely unusual we warn.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from verlicht.errors import Location, RockSyntaxError, VerlichtWarning
from verlicht.rock.model import (
    CASE_KEYS,
    Code,
    CodeKind,
    CodeValue,
    IdKind,
    Kind,
    NetworkCode,
    NetworkKind,
    Problem,
    Row,
    SectionBreak,
    Source,
    UidKind,
    Utterance,
    ValueKind,
    YamlFragment,
)

# rock's character classes: identifiers start with a letter; codes may hold ">".
_CODE = r"[a-zA-Z][a-zA-Z0-9_>]*"
BRACKETS = re.compile(r"\[\[([^\[\]]*)\]\]")
UID = re.compile(r"\s*[uU][iI][dD]\s*[=:]\s*([a-zA-Z0-9_]+)\s*")
CODE = re.compile(rf"\s*({_CODE})\s*")
CI_CODE = re.compile(r"\s*ci\s*--\s*([a-zA-Z0-9_>]+)\s*")
CLASS_INSTANCE = re.compile(r"\s*([a-zA-Z][a-zA-Z0-9_]*)\s*[=:]\s*([a-zA-Z0-9_]+)\s*")
NETWORK_ENDS = re.compile(rf"\s*({_CODE})\s*->\s*({_CODE})\s*")
EDGE_TYPE = re.compile(rf"\s*({_CODE})\s*")
CODE_VALUE = re.compile(r"([a-zA-Z0-9_>]+)")
VALUE = re.compile(r"[a-zA-Z0-9.,_: ?!-]+")
SECTION_BREAK = re.compile(r"---<<\s*([a-zA-Z][a-zA-Z0-9_]*)\s*>>---")
ANCHOR = re.compile(r"--\+-\{\s*([^}]*?)\s*\}-\+--")
DELIMITER = "---"
SPACES = re.compile(r"\s+")
NESTING = re.compile(r"[\s~]*")  # rock's nestingMarker "~", spaces allowed in between

CODE_HINT = "codes start with an ASCII letter (a–z, A–Z: no é or ë) and hold only those letters, digits, _ and >"


def read_source(path: str | Path, display: str | None = None) -> Source:
    """Read a ROCK source file; ``display`` is the path shown in messages."""
    path = Path(path)
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RockSyntaxError(
            f"cannot read source: {exc.strerror or exc}", Location(shown), "check the path and permissions"
        ) from None
    return parse_bytes(data, shown)


def parse_bytes(data: bytes, path: str = "<bytes>") -> Source:
    """Decode UTF-8 (BOM allowed) and parse; undecodable bytes are a located error."""
    return parse_text(_decode(data, path), path)


def scan_bytes(data: bytes, path: str = "<bytes>") -> Source:
    """:func:`parse_bytes` with utterances as compact rows (see :func:`scan_text`)."""
    return scan_text(_decode(data, path), path)


def _decode(data: bytes, path: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        start = exc.start + bom
        line = data.count(b"\n", 0, start) + 1
        line_start = max(data.rfind(b"\n", 0, start) + 1, bom)
        # Columns count characters, as for codes; everything before the bad byte decodes.
        col = len(data[line_start:start].decode("utf-8")) + 1
        raise RockSyntaxError(
            f"byte 0x{data[start]:02x} is not valid UTF-8",
            Location(path, line, col),
            "save the file as UTF-8 (Word and Windows tools often write cp1252)",
        ) from None
    return text


def parse_text(text: str, path: str = "<text>") -> Source:
    """Parse ROCK text. Raises :class:`RockSyntaxError` on the first real error."""
    source = scan_text(text, path)
    source.utterances = [
        Utterance(line, text, uid, nesting, list(codes), list(values), list(network), ids, section, list(anchors))
        for line, text, uid, nesting, codes, values, network, ids, section, anchors in source.utterances
    ]
    return source


def scan_text(text: str, path: str = "<text>") -> Source:
    """:func:`parse_text`, with each utterance as a compact :class:`~verlicht.rock.model.Row`.

    A row is the named tuple ``(line, text, uid, nesting, codes, values, network, ids, section,
    anchors)`` — the fields of :class:`Utterance`, in its order — holding the same :class:`Code`,
    :class:`CodeValue` and :class:`NetworkCode` named tuples. The build reads sources this way:
    objects for 300,000 utterances cost more than reading them.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    source = Source(path=path, lines=len(lines))
    yaml_start: int | None = None
    yaml_lines: list[str] = []
    state = _State()
    section = 0

    utterances = source.utterances
    for number, raw in enumerate(lines, start=1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if yaml_start is None and line.startswith("[["):
            # Most coded lines: not a delimiter, comment, blank line or section break.
            utterance = _parse_line(line, number, path, state, source, section)
            if utterance is not None:
                utterances.append(utterance)
            continue
        if line.startswith(DELIMITER) and line.rstrip() == DELIMITER:
            if yaml_start is None:
                yaml_start, yaml_lines = number, []
            else:
                source.fragments.append(_load_yaml(yaml_lines, yaml_start, path, source))
                yaml_start = None
            continue
        if yaml_start is not None:
            yaml_lines.append(line)
            continue
        if line.startswith("#"):
            source.comments += 1
            continue
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("---<<"):
            match = SECTION_BREAK.fullmatch(stripped)
            if match:
                section += 1
                source.sections.append(SectionBreak(number, match.group(1)))
                continue
        utterance = _parse_line(line, number, path, state, source, section)
        if utterance is not None:
            utterances.append(utterance)

    if yaml_start is not None:
        raise RockSyntaxError(
            "YAML fragment opened with '---' is never closed",
            Location(path, yaml_start, 1),
            "add a line holding only '---' after the fragment, or remove this one",
        )
    _check_containers(source)
    return source


class _State:
    """What carries over from line to line: class instance ids and the uids seen."""

    __slots__ = ("ids", "snapshot", "uids")

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.snapshot: dict[str, str] = {}  # shared by utterances until an id changes
        self.uids: dict[str, int] = {}

    def set_id(self, name: str, value: str) -> None:
        if self.ids.get(name) != value:
            self.ids[name] = value
            self.snapshot = dict(self.ids)


# Rows and codes are made with tuple.__new__: the same named tuples, without the Python-level __new__ that
# Row(...) runs (0.5 µs each, 90,000 times a 300-interview build; 0.2 µs this way). Keep the field order.
_new = tuple.__new__


def _parse_line(line: str, number: int, path: str, state: _State, source: Source, section: int = 0) -> Row | None:
    """One utterance line as a row; the common shapes take a short path, the rest :func:`_parse_line_in_full`."""
    if "--+-{" in line:
        return _row(_parse_line_in_full(line, number, path, state, source, section))
    match = _UID_LINE.fullmatch(line)
    if match is not None:
        # What rock's prepend_ids_to_source writes, with at most one network code after the text: the loop
        # below would find the same, in the same order.
        uid, text, content, tail = match.groups()
        kind = None
        if content is not None:
            kind = _KINDS.get(content)
            if kind is None or kind[0] != "network":
                match = None  # anything else: the general way
        if match is not None:
            if uid in state.uids:
                _take_uid(uid, number, path, 1, state)  # raises the located error
            state.uids[uid] = number
            network = []
            if kind is not None:
                network.append(_new(NetworkCode, (kind[1], kind[2], kind[3], kind[4], match.start(3) - 1)))
                text += tail
            rest = text.lstrip()
            nesting = 0
            if rest.startswith("~"):
                lead = NESTING.match(text).group()
                nesting = lead.count("~")
                rest = text[len(lead) :]
            text = " ".join(rest.split())
            if not text and not network:
                return None
            return _new(Row, (number, text, uid, nesting, [], [], network, state.snapshot, section, ()))
    if "[[" not in line:
        if "]]" in line:
            return _row(_parse_line_in_full(line, number, path, state, source, section))
        text = line
    else:
        parts = BRACKETS.split(line)
        text = "".join(parts[::2])
        if "[[" in text or "]]" in text:  # an unclosed or stray bracket: reported with its column
            return _row(_parse_line_in_full(line, number, path, state, source, section))
        codes: list[Code] = []
        values: list[CodeValue] = []
        network: list[NetworkCode] = []
        uid = None
        kinds = _KINDS
        pos = len(parts[0])
        for i in range(1, len(parts), 2):
            content = parts[i]
            col = pos + 1
            pos = col + 3 + len(content) + len(parts[i + 1])
            if content.startswith("uid=") and _UID_VALUE.fullmatch(content, 4):
                uid = content[4:]
                if uid in state.uids:
                    _take_uid(uid, number, path, col, state)  # raises the located error
                state.uids[uid] = number
                continue
            kind = kinds.get(content)  # a named tuple (see _kind), indexed here: the hot loop of every build
            if kind is None:
                kind = _kind(content)
                if kind[0] != "uid":  # uids are unique: not worth remembering
                    if len(kinds) >= _KINDS_MAX:
                        kinds.clear()
                    kinds[content] = kind
            tag = kind[0]
            if tag == "network":
                network.append(_new(NetworkCode, (kind[1], kind[2], kind[3], kind[4], col)))
            elif tag == "code":
                if kind[3] is not None:
                    source.warnings.append(VerlichtWarning(kind[3], Location(path, number, col), kind[4]))
                codes.append(_new(Code, (kind[1], col, kind[2])))
            elif tag == "uid":
                uid = _take_uid(kind[1], number, path, col, state)
            elif tag == "id":
                state.set_id(kind[1], kind[2])
            elif tag == "value":
                values.append(_new(CodeValue, (kind[1], kind[2], col)))
            elif tag == "warning":
                source.warnings.append(VerlichtWarning(kind[1], Location(path, number, col), kind[2]))
            else:  # "error"
                raise RockSyntaxError(kind[1], Location(path, number, col), kind[2])
        # Like rock, count nesting markers only once codes and uids are gone (see _parse_line_in_full).
        rest = text.lstrip()
        nesting = 0
        if rest.startswith("~"):
            lead = NESTING.match(text).group()
            nesting = lead.count("~")
            rest = text[len(lead) :]
        text = " ".join(rest.split())  # the same as SPACES.sub(" ", rest).strip()
        if not text and not (codes or values or network):
            return None
        return _new(Row, (number, text, uid, nesting, codes, values, network, state.snapshot, section, ()))
    rest = text.lstrip()
    nesting = 0
    if rest.startswith("~"):
        lead = NESTING.match(text).group()
        nesting = lead.count("~")
        rest = text[len(lead) :]
    text = " ".join(rest.split())
    if not text:
        return None
    return _new(Row, (number, text, None, nesting, (), (), (), state.snapshot, section, ()))


def _row(u: Utterance | None) -> Row | None:
    if u is None:
        return None
    return Row(u.line, u.text, u.uid, u.nesting, u.codes, u.values, u.network, u.ids, u.section, u.anchors)


_UID_VALUE = re.compile(r"[a-zA-Z0-9_]+")
_UID_LINE = re.compile(r"\[\[uid=([a-zA-Z0-9_]+)\]\]([^\[\]]*)(?:\[\[([^\[\]]*)\]\]([^\[\]]*))?")
# The meaning of a code's content depends on the content alone (its place only on where it is), and
# the same codes recur on thousands of lines; _parse_line looks them up here instead of matching again.
_KINDS: dict[str, Kind] = {}
_KINDS_MAX = 50_000


def _take_uid(uid: str, number: int, path: str, col: int, state: _State) -> str:
    if uid in state.uids:
        raise RockSyntaxError(
            f"duplicate uid '{uid}' (first used on line {state.uids[uid]})",
            Location(path, number, col),
            "every utterance needs its own uid; give this one a new uid",
        )
    state.uids[uid] = number
    return uid


def _parse_line_in_full(
    line: str, number: int, path: str, state: _State, source: Source, section: int = 0
) -> Utterance | None:
    """Any line, with anchors, stray ``]]`` and unclosed ``[[`` located by their columns."""
    body = line  # columns are counted on the physical line
    utterance = Utterance(line=number, text="", section=section)
    anchors: list[str] = []
    if "--+-{" in body:
        anchors = [m.group(1) for m in ANCHOR.finditer(body)]
        body = ANCHOR.sub(lambda m: " " * len(m.group(0)), body)
    if "[[" not in body:
        if "]]" in body:
            _warn_stray_close(body, [], number, path, source)
        text = body
    else:
        matches = list(BRACKETS.finditer(body))
        pieces: list[str] = []
        last = 0
        for match in matches:
            pieces.append(body[last : match.start()])
            last = match.end()
            _classify(match.group(1), match.start() + 1, number, path, state, utterance, source)
        pieces.append(body[last:])
        text = "".join(pieces)
        if "[[" in text:
            raise RockSyntaxError(
                "'[[' is never closed on this line",
                Location(path, number, _unclosed_col(body, matches) + 1),
                "close the code with ']]' (codes cannot span lines or contain brackets)",
            )
        if "]]" in text:
            _warn_stray_close(body, matches, number, path, source)
    # Like rock, count nesting markers only once codes and uids are gone, so the
    # ``[[uid=…]] ~text`` that rock's prepend_ids_to_source writes stays nested.
    lead = NESTING.match(text).group()  # always matches, possibly empty
    utterance.nesting = lead.count("~")
    text = SPACES.sub(" ", text[len(lead) :]).strip()
    utterance.text = text
    utterance.anchors = anchors
    utterance.ids = state.snapshot
    if not text and not (utterance.codes or utterance.values or utterance.network or anchors):
        return None
    return utterance


def _unclosed_col(body: str, matches: list[re.Match[str]]) -> int:
    """Column (0-based) of the first ``[[`` that does not open a well-formed ``[[…]]``.

    A single ``[`` just before a code counts too (``[[[a]]``): removing the code
    would glue it to another bracket, and codes cannot contain brackets.
    """
    starts = {m.start() for m in matches}
    return next(i for i in range(len(body)) if body.startswith("[[", i) and i not in starts)


def _warn_stray_close(body: str, matches: list[re.Match[str]], number: int, path: str, source: Source) -> None:
    """Warn at the first ``]]`` on the physical line that does not close a code."""
    closes = {m.end() - 2 for m in matches}
    col = next(i for i in range(len(body)) if body.startswith("]]", i) and i not in closes)
    source.warnings.append(
        VerlichtWarning("']]' without an opening '[['", Location(path, number, col + 1), "open the code with '[['")
    )


def _classify(
    content: str,
    col: int,
    number: int,
    path: str,
    state: _State,
    utterance: Utterance,
    source: Source,
) -> None:
    """Sort the inside of one ``[[…]]`` into uid, network code, id, code value or code (see :func:`_kind`)."""
    kind = _kind(content)
    tag = kind.tag
    if tag == "network":
        utterance.network.append(NetworkCode(kind.source, kind.target, kind.type, kind.weight, col))
    elif tag == "code":
        if kind.warning is not None:
            source.warnings.append(VerlichtWarning(kind.warning, Location(path, number, col), kind.hint))
        utterance.codes.append(Code(kind.path, col, kind.namespace))
    elif tag == "uid":
        utterance.uid = _take_uid(kind.uid, number, path, col, state)
    elif tag == "id":
        state.set_id(kind.name, kind.value)
    elif tag == "value":
        utterance.values.append(CodeValue(kind.code, kind.value, col))
    elif tag == "warning":
        source.warnings.append(VerlichtWarning(kind.message, Location(path, number, col), kind.hint))
    else:
        raise RockSyntaxError(kind.message, Location(path, number, col), kind.hint)


def classify(content: str) -> Kind:
    """What the inside of one ``[[…]]`` is (see :func:`_kind`); for editors that check a code before writing it."""
    return _kind(content)


def _kind(content: str) -> Kind:
    """What the inside of one ``[[…]]`` is, independent of where it stands.

    One of :class:`~verlicht.rock.model.NetworkKind` ``("network", source, target, type, weight)``,
    ``CodeKind`` ``("code", path, namespace, warning, hint)``, ``ValueKind`` ``("value", code, value)``,
    ``UidKind`` ``("uid", uid)``, ``IdKind`` ``("id", name, value)`` or a ``Problem``: ``("warning",
    message, hint)`` (ignored, as rock does) or ``("error", message, hint)``.
    """
    if "->" in content:
        return _network(content)
    if "||" in content:
        name, _, value = content.partition("||")
        code = CODE_VALUE.fullmatch(name.strip())
        if code and VALUE.fullmatch(value):
            return ValueKind("value", code.group(1), value.strip())
        return _unknown(content, "code values look like [[code||value]]")
    if "=" in content or ":" in content:
        match = UID.fullmatch(content)
        if match:
            return UidKind("uid", match.group(1))
        match = CLASS_INSTANCE.fullmatch(content)
        if match:
            return IdKind("id", match.group(1), match.group(2))
        return _unknown(content, "identifiers look like [[cid=R07]]; values hold letters, digits and _")
    match = CODE.fullmatch(content)
    if match:
        parts = tuple(p for p in match.group(1).split(">") if p)
        if len(parts) != match.group(1).count(">") + 1:
            return CodeKind("code", parts, None, f"empty level in code '{match.group(1)}'", "remove the extra '>'")
        return CodeKind("code", parts, None, None, None)
    match = CI_CODE.fullmatch(content)
    if match:
        parts = tuple(p for p in match.group(1).split(">") if p)
        if parts:  # "[[ci-->]]" names no code at all
            return CodeKind("code", parts, "ci", None, None)
    return _unknown(content, CODE_HINT)


def _network(content: str) -> NetworkKind | Problem:
    parts = content.split("||")
    ends = NETWORK_ENDS.fullmatch(parts[0])
    if not ends:
        return Problem("error", f"network code '[[{content}]]' has malformed ends",
                f"write [[cause->effect||type]]; {CODE_HINT}")
    if len(parts) < 2 or not parts[1].strip():
        return Problem("error", f"network code '[[{content}]]' has no edge type",
                f"add one, e.g. [[{ends.group(1)}->{ends.group(2)}||causal_pos]]")
    if len(parts) > 3:
        return Problem("error", f"network code '[[{content}]]' has too many '||' parts",
                "write [[cause->effect||type||weight]]")
    edge_type = EDGE_TYPE.fullmatch(parts[1])
    if not edge_type:
        return Problem("error", f"edge type '{parts[1].strip()}' is not a valid identifier", CODE_HINT)
    weight: float | None = None
    if len(parts) == 3 and parts[2].strip():
        try:
            weight = float(parts[2].strip())
        except ValueError:
            return Problem("error", f"edge weight '{parts[2].strip()}' is not a number", "write e.g. ||2 or ||0.5")
        if weight != weight or weight in (float("inf"), float("-inf")):
            return Problem("error", f"edge weight '{parts[2].strip()}' is not finite", "write e.g. ||2")
        if weight.is_integer():
            weight = int(weight)
    return NetworkKind("network", ends.group(1), ends.group(2), edge_type.group(1), weight)


def _unknown(content: str, hint: str) -> Problem:
    return Problem("warning", f"'[[{content}]]' is not a ROCK code; it is ignored", hint)


def _load_yaml(lines: list[str], start: int, path: str, source: Source) -> YamlFragment:
    data = _simple_yaml(lines)
    if data is not None:
        return YamlFragment(start, data)
    text = "\n".join(lines)
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # Count lines ourselves from the mark's character index: PyYAML also breaks
        # lines at \r, \x85, \u2028 and \u2029, which are not line ends in a source.
        index = min(mark.index, len(text)) if mark else 0
        line_start = text.rfind("\n", 0, index) + 1
        line = start + 1 + text.count("\n", 0, index)
        col = index - line_start + 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise RockSyntaxError(
            f"YAML fragment does not parse: {problem}",
            Location(path, line, col),
            "check indentation and quote values holding ':' or '#'",
        ) from None
    except Exception as exc:  # PyYAML's constructors leak plain errors for bad tagged scalars (!!int '', !!bool x)
        raise RockSyntaxError(
            f"YAML fragment does not parse: {exc.__class__.__name__}",
            Location(path, start, 1),
            "check the fragment between the '---' lines",
        ) from None
    if _refers_to_itself(data):
        raise RockSyntaxError(
            "YAML fragment contains an alias inside its own anchor (*name within &name)",
            Location(path, start, 1),
            "write the value out instead of referring to itself",
        )
    if data is not None and not isinstance(data, dict):
        source.warnings.append(
            VerlichtWarning(
                "YAML fragment is not a mapping of containers; it is ignored",
                Location(path, start, 1),
                "ROCK fragments hold containers such as ROCK_attributes or ROCK_network",
            )
        )
    return YamlFragment(start, data)


# The fragments nearly every interview opens with, read without PyYAML (which takes a millisecond):
# top-level keys holding a scalar, a mapping of ``key: scalar`` pairs or a list of records of such
# pairs, as in
#   VERLICHT_anonymised:
#     tool: verlicht 0.1.0
#     date: '2026-11-26'
#   ROCK_attributes:
#     -
#       caseId: R07
#       wijk: Meezenbroek
# Keys are identifiers. A scalar is either single-quoted printable ASCII without quotes inside, or
# plain: a letter or digit, then ASCII letters, digits and _ . ( ) + / - in words separated by single
# spaces. A quoted scalar is its text; a plain one is text unless one of PyYAML's own implicit
# resolvers (booleans, nulls, numbers, dates) claims it, as ``yaml.safe_load`` would: then, and for
# anything else, the fragment goes to PyYAML.
_Y_KEY = r"[A-Za-z][A-Za-z0-9_]*"
_Y_SCALAR = r"(?:'([ -&(-~]*)'|([A-Za-z0-9][A-Za-z0-9_.()+/-]*(?: [A-Za-z0-9_.()+/-]+)*))"
_Y_TOP = re.compile(rf"({_Y_KEY}):(?: {_Y_SCALAR})?")
_Y_ITEM = re.compile(rf"( +)-(?: ({_Y_KEY}): {_Y_SCALAR})?")
_Y_PAIR = re.compile(rf"( +)({_Y_KEY}): {_Y_SCALAR}")
_Y_RESOLVERS = yaml.SafeLoader.yaml_implicit_resolvers
_NOT_SIMPLE = object()


def _is_text(plain: str) -> bool:
    """Whether PyYAML reads a plain scalar as a string (BaseResolver.resolve, for plain scalars)."""
    resolvers = _Y_RESOLVERS.get(plain[0], []) + _Y_RESOLVERS.get(None, [])
    return not any(regexp.match(plain) for _tag, regexp in resolvers)


def _scalar(quoted: str | None, plain: str | None) -> object:
    if quoted is not None:
        return quoted
    return plain if _is_text(plain) else _NOT_SIMPLE


def _simple_yaml(lines: list[str]) -> dict[str, Any] | None:
    """The data of a fragment in the simple shapes above, exactly as ``yaml.safe_load`` gives it; else None."""
    data: dict[str, Any] = {}
    i, n = 0, len(lines)
    while i < n:
        top = _Y_TOP.fullmatch(lines[i])
        if top is None or not _is_text(top.group(1)):
            return None
        key = top.group(1)
        i += 1
        if top.group(2) is not None or top.group(3) is not None:
            value = _scalar(top.group(2), top.group(3))
            if value is _NOT_SIMPLE:
                return None
            data[key] = value
            continue
        if i == n:
            return None
        pair = _Y_PAIR.fullmatch(lines[i])
        if pair is not None:  # a mapping of pairs
            indent = len(pair.group(1))
            mapping, i = _y_pairs(lines, i, indent, {})
            if mapping is None:
                return None
            data[key] = mapping
            continue
        item = _Y_ITEM.fullmatch(lines[i])
        if item is None:
            return None
        dash = len(item.group(1))
        records = []
        while i < n:
            item = _Y_ITEM.fullmatch(lines[i])
            if item is None or len(item.group(1)) != dash:
                break
            i += 1
            record = {}
            if item.group(2) is not None:
                value = _scalar(item.group(3), item.group(4))
                if value is _NOT_SIMPLE or not _is_text(item.group(2)):
                    return None
                record[item.group(2)] = value
                indent = dash + 2
            else:
                pair = _Y_PAIR.fullmatch(lines[i]) if i < n else None
                if pair is None or len(pair.group(1)) <= dash:
                    return None
                indent = len(pair.group(1))
            record, i = _y_pairs(lines, i, indent, record)
            if record is None:
                return None
            records.append(record)
        data[key] = records
    return data or None


def _y_pairs(lines: list[str], i: int, indent: int, into: dict) -> tuple[dict | None, int]:
    """``key: value`` lines at one indent from line ``i`` into ``into``; None when one is not simple."""
    while i < len(lines):
        pair = _Y_PAIR.fullmatch(lines[i])
        if pair is None or len(pair.group(1)) != indent:
            break
        value = _scalar(pair.group(3), pair.group(4))
        if value is _NOT_SIMPLE or not _is_text(pair.group(2)):
            return None, i
        into[pair.group(2)] = value
        i += 1
    return into, i


def _refers_to_itself(data: object) -> bool:
    """Whether YAML aliases made ``data`` cyclic; anything walking it (attributes, JSON) would never end.

    Iterative, and each list or mapping is visited once, so shared aliases stay cheap.
    """
    done: set[int] = set()
    on_path: set[int] = set()
    stack: list[tuple[object, bool]] = [(data, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            on_path.discard(id(node))
            done.add(id(node))
            continue
        if not isinstance(node, (list, dict)) or id(node) in done:
            continue
        if id(node) in on_path:
            return True
        on_path.add(id(node))
        stack.append((node, True))
        children = list(node.keys()) + list(node.values()) if isinstance(node, dict) else node
        stack.extend((child, False) for child in children)
    return False


def _check_containers(source: Source) -> None:
    """Warn about attribute records rock could not attach to a case, and edge lists that are not lists."""
    for line, container in source.containers("ROCK_network", "ROCK_aesthetics"):
        edges = container.get("edges") if isinstance(container, dict) else None
        if edges is not None and not isinstance(edges, list):
            source.warnings.append(
                VerlichtWarning(
                    "'edges' under ROCK_network/ROCK_aesthetics is not a list; it is ignored",
                    Location(source.path, line, 1),
                    "write a list of entries such as '- type: causal_pos'",
                )
            )
    for line, container in source.containers("ROCK_attributes"):
        if isinstance(container, list):
            for record in container:
                if not isinstance(record, dict) or not any(k in record for k in CASE_KEYS):
                    source.warnings.append(
                        VerlichtWarning(
                            "ROCK_attributes record has no caseId; it is ignored",
                            Location(source.path, line, 1),
                            "give each record 'caseId: <the cid used in [[cid=…]]>'",
                        )
                    )
        elif not isinstance(container, dict):
            source.warnings.append(
                VerlichtWarning(
                    "ROCK_attributes is neither a list of records nor a mapping; it is ignored",
                    Location(source.path, line, 1),
                    "write a list of records, each with a caseId",
                )
            )
