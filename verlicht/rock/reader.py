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

import yaml

from verlicht.errors import Location, RockSyntaxError, VerlichtWarning
from verlicht.rock.model import (
    CASE_KEYS,
    Code,
    CodeValue,
    NetworkCode,
    SectionBreak,
    Source,
    Utterance,
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

CODE_HINT = "codes start with a letter and hold only letters, digits, _ and >"


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
    return parse_text(text, path)


def parse_text(text: str, path: str = "<text>") -> Source:
    """Parse ROCK text. Raises :class:`RockSyntaxError` on the first real error."""
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

    for number, raw in enumerate(lines, start=1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if line.rstrip() == DELIMITER:
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
        utterance = _parse_line(line, number, path, state, source)
        if utterance is not None:
            utterance.section = section
            source.utterances.append(utterance)

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


def _parse_line(line: str, number: int, path: str, state: _State, source: Source) -> Utterance | None:
    body = line  # columns are counted on the physical line
    utterance = Utterance(line=number, text="")
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
    """Sort the inside of one ``[[…]]`` into uid, network code, id, code value or code."""
    where = Location(path, number, col)
    if "->" in content:
        _network(content, where, utterance)
        return
    if "||" in content:
        name, _, value = content.partition("||")
        code = CODE_VALUE.fullmatch(name.strip())
        if code and VALUE.fullmatch(value):
            utterance.values.append(CodeValue(code.group(1), value.strip(), col))
            return
        _unknown(content, where, source, "code values look like [[code||value]]")
        return
    if "=" in content or ":" in content:
        match = UID.fullmatch(content)
        if match:
            uid = match.group(1)
            if uid in state.uids:
                raise RockSyntaxError(
                    f"duplicate uid '{uid}' (first used on line {state.uids[uid]})",
                    where,
                    "every utterance needs its own uid; give this one a new uid",
                )
            state.uids[uid] = number
            utterance.uid = uid
            return
        match = CLASS_INSTANCE.fullmatch(content)
        if match:
            state.set_id(match.group(1), match.group(2))
            return
        _unknown(content, where, source, "identifiers look like [[cid=R07]]; values hold letters, digits and _")
        return
    match = CODE.fullmatch(content)
    if match:
        parts = tuple(p for p in match.group(1).split(">") if p)
        if len(parts) != match.group(1).count(">") + 1:
            source.warnings.append(
                VerlichtWarning(f"empty level in code '{match.group(1)}'", where, "remove the extra '>'")
            )
        utterance.codes.append(Code(parts, col))
        return
    match = CI_CODE.fullmatch(content)
    if match:
        parts = tuple(p for p in match.group(1).split(">") if p)
        if parts:  # "[[ci-->]]" names no code at all
            utterance.codes.append(Code(parts, col, "ci"))
            return
    _unknown(content, where, source, CODE_HINT)


def _network(content: str, where: Location, utterance: Utterance) -> None:
    parts = content.split("||")
    ends = NETWORK_ENDS.fullmatch(parts[0])
    if not ends:
        raise RockSyntaxError(
            f"network code '[[{content}]]' has malformed ends",
            where,
            f"write [[cause->effect||type]]; {CODE_HINT}",
        )
    if len(parts) < 2 or not parts[1].strip():
        raise RockSyntaxError(
            f"network code '[[{content}]]' has no edge type",
            where,
            f"add one, e.g. [[{ends.group(1)}->{ends.group(2)}||causal_pos]]",
        )
    if len(parts) > 3:
        raise RockSyntaxError(
            f"network code '[[{content}]]' has too many '||' parts",
            where,
            "write [[cause->effect||type||weight]]",
        )
    edge_type = EDGE_TYPE.fullmatch(parts[1])
    if not edge_type:
        raise RockSyntaxError(
            f"edge type '{parts[1].strip()}' is not a valid identifier", where, CODE_HINT
        )
    weight: float | None = None
    if len(parts) == 3 and parts[2].strip():
        try:
            weight = float(parts[2].strip())
        except ValueError:
            raise RockSyntaxError(
                f"edge weight '{parts[2].strip()}' is not a number", where, "write e.g. ||2 or ||0.5"
            ) from None
        if weight != weight or weight in (float("inf"), float("-inf")):
            raise RockSyntaxError(f"edge weight '{parts[2].strip()}' is not finite", where, "write e.g. ||2")
        if weight.is_integer():
            weight = int(weight)
    utterance.network.append(
        NetworkCode(ends.group(1), ends.group(2), edge_type.group(1), weight, where.col or 0)
    )


def _unknown(content: str, where: Location, source: Source, hint: str) -> None:
    source.warnings.append(VerlichtWarning(f"'[[{content}]]' is not a ROCK code; it is ignored", where, hint))


def _load_yaml(lines: list[str], start: int, path: str, source: Source) -> YamlFragment:
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
