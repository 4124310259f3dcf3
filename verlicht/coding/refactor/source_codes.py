"""Rewriting the codes of a ROCK source, and checking that nothing else changed.

What is rewritten in a source is only a whole code inside ``[[…]]``: a plain code or one level of a
code path (``wonen>instroom``, also ``ci--…``), an end of a network code (or one level of it), the code
of a code value, and, for edge types, the type of a network code. Utterance text, comments, YAML
fragments, uids and class instance ids (``[[cid=…]]``) are never touched. Every rewritten source is
read again with the ROCK reader (:func:`check_rewrite`) and must hold exactly the old codes with the
names changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from verlicht.coding.refactor.plan import BUG_HINT
from verlicht.errors import CodingError, Location, RockSyntaxError
from verlicht.rock import scan_text
from verlicht.rock.reader import (
    ANCHOR,
    BRACKETS,
    CI_CODE,
    CODE,
    CODE_VALUE,
    DELIMITER,
    EDGE_TYPE,
    NETWORK_ENDS,
    SECTION_BREAK,
    VALUE,
    classify,
)


@dataclass(frozen=True, slots=True)
class Rename:
    """What to rewrite in codes: concept codes and edge types, old name → new name."""

    concepts: dict[str, str] = field(default_factory=dict)
    edge_types: dict[str, str] = field(default_factory=dict)
    drop_self_loops: bool = False
    polarity: dict[str, str] = field(default_factory=dict)  # edge type → "+", "-", "?": to find conflicts


@dataclass(slots=True)
class Rewritten:
    """A source's text after :func:`rewrite_codes`: how many codes changed, the self-loops it made."""

    text: str
    occurrences: int = 0
    self_loops: list[tuple[int, int]] = field(default_factory=list)  # (line, col) of each
    dropped: int = 0  # self-loops removed
    repeats: int = 0  # codes removed because the change made them repeat another on their line
    stuck: list[tuple[int, int]] = field(default_factory=list)  # lines a removal would turn into something else
    conflicts: list[tuple[int, int]] = field(default_factory=list)  # codes the change set against their opposite


def code_lines(text: str) -> list[tuple[int, int, int]]:
    """The utterance lines of ROCK text, as the reader sees them: ``(number, start, end)`` offsets.

    Lines inside YAML fragments, comments, blank lines and section breaks are left out, exactly as
    :func:`verlicht.rock.scan_text` leaves them out.
    """
    found = []
    in_yaml = False
    start = 1 if text.startswith("\ufeff") else 0
    number = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        number += 1
        line = text[start:end]
        if line.endswith("\r"):
            line = line[:-1]
        stop = start + len(line)
        if not in_yaml and line.startswith("[["):
            found.append((number, start, stop))
        elif line.startswith(DELIMITER) and line.rstrip() == DELIMITER:
            in_yaml = not in_yaml
        elif not in_yaml and not line.startswith("#") and line.strip():
            stripped = line.strip()
            if not (stripped.startswith("---<<") and SECTION_BREAK.fullmatch(stripped)):
                found.append((number, start, stop))
        start = end + 1
    return found


def _utterance_line(line: str) -> bool:
    """Whether the reader takes this line (outside YAML) for an utterance, as :func:`code_lines` does."""
    if line.startswith("[["):
        return True
    stripped = line.strip()
    return not (line.startswith("#") or (line.startswith(DELIMITER) and line.rstrip() == DELIMITER)
                or (stripped.startswith("---<<") and SECTION_BREAK.fullmatch(stripped)))


def _path(path: str, names: dict[str, str]) -> tuple[str, int]:
    """A code path with every level found in ``names`` renamed; how many were."""
    count = 0
    levels = path.split(">")
    for i, level in enumerate(levels):
        if level in names:
            levels[i] = names[level]
            count += 1
    return (">".join(levels), count) if count else (path, 0)


def _span(content: str, match: re.Match[str], group: int, new: str) -> str:
    return content[: match.start(group)] + new + content[match.end(group) :]


def rewrite_content(content: str, rename: Rename) -> tuple[str, int, bool]:
    """The inside of one ``[[…]]`` rewritten: new content, names changed, whether it became a self-loop.

    The content is sorted as the reader sorts it (:func:`verlicht.rock.reader.classify`); anything the
    reader does not read as a code (uids, ids, malformed content) comes back unchanged.
    """
    concepts, edge_types = rename.concepts, rename.edge_types
    if "->" in content:
        parts = content.split("||")
        ends = NETWORK_ENDS.fullmatch(parts[0])
        if not ends:
            return content, 0, False
        cause, n1 = _path(ends.group(1), concepts)
        effect, n2 = _path(ends.group(2), concepts)
        count = n1 + n2
        head = parts[0]
        if n2:
            head = _span(head, ends, 2, effect)
        if n1:
            head = _span(head, ends, 1, cause)
        parts[0] = head
        if len(parts) > 1 and edge_types:
            kind = EDGE_TYPE.fullmatch(parts[1])
            if kind and kind.group(1) in edge_types:
                parts[1] = _span(parts[1], kind, 1, edge_types[kind.group(1)])
                count += 1
        loop = bool(n1 + n2) and cause.rsplit(">", 1)[-1] == effect.rsplit(">", 1)[-1] and (
            ends.group(1).rsplit(">", 1)[-1] != ends.group(2).rsplit(">", 1)[-1])
        return ("||".join(parts), count, loop) if count else (content, 0, False)
    if not concepts:
        return content, 0, False
    if "||" in content:
        name, bar, value = content.partition("||")
        code = CODE_VALUE.fullmatch(name.strip())
        if not (code and VALUE.fullmatch(value)):
            return content, 0, False
        lead = len(name) - len(name.lstrip())
        new, count = _path(code.group(1), concepts)
        if not count:
            return content, 0, False
        return name[:lead] + new + name[lead + len(code.group(1)) :] + bar + value, count, False
    if "=" in content or ":" in content:
        return content, 0, False
    match = CODE.fullmatch(content) or CI_CODE.fullmatch(content)
    if not match:
        return content, 0, False
    new, count = _path(match.group(1), concepts)
    return (_span(content, match, 1, new), count, False) if count else (content, 0, False)


def _code_key(content: str) -> tuple | None:
    """What the reader takes ``[[content]]`` for, as a comparable key (None for uids, ids and the rest)."""
    kind = classify(content)
    if kind[0] == "code":
        return kind[:3]
    if kind[0] in ("network", "value"):
        return kind
    return None


def rewrite_codes(text: str, rename: Rename) -> Rewritten:
    """ROCK text with the names in ``rename`` changed in its codes only (see the module text).

    A code that the change makes a repeat of another code on the same line (``[[a->c||x]] [[b->c||x]]``
    when ``a`` is merged into ``b``) is removed: the coder coded one claim, not two. A causal code that the
    change sets against its opposite on the same line (``[[a->c||causal_pos]] [[b->c||causal_neg]]``, with
    the polarities in ``rename.polarity``) is kept and listed in ``conflicts``.
    """
    pieces: list[str] = []
    result = Rewritten(text)
    names = [*rename.concepts, *rename.edge_types]
    if not any(name in text for name in names):
        return result
    last = 0
    for number, start, stop in code_lines(text):
        line = text[start:stop]
        if "[[" not in line or not any(name in line for name in names):
            continue
        body = ANCHOR.sub(lambda m: " " * len(m.group(0)), line) if "--+-{" in line else line
        new_line: list[str] = []
        pos = 0
        changed = False
        seen: dict[tuple, set] = {}  # the codes on this line so far → what they were before the change
        claims: dict[tuple[str, str], list[tuple[str, tuple]]] = {}  # (cause, effect) → (polarity, old ends)
        for match in BRACKETS.finditer(body):
            content = line[match.start(1) : match.end(1)]
            new, count, loop = rewrite_content(content, rename)
            begin, end = match.start(), match.end()
            drop = False
            if loop:
                result.self_loops.append((number, begin + 1))
                drop = rename.drop_self_loops
                result.dropped += drop
            key = _code_key(new) if not drop else None
            if key is not None:
                old = _code_key(content) if count else key
                if key in seen and old not in seen[key]:
                    drop = True  # a repeat the change made, not one the coder wrote
                    result.repeats += 1
                else:
                    seen.setdefault(key, set()).add(old)
            if (key is not None and key[0] == "network" and not drop and rename.polarity
                    and _opposes(claims, key, _code_key(content) if count else key, rename.polarity)):
                result.conflicts.append((number, begin + 1))
            if not count and not drop:
                continue
            changed = True
            result.occurrences += count
            if drop:
                # Take one space with the code only where the reader's text stays the same (it joins
                # the pieces around a code as they are, then collapses runs of spaces).
                after = end == len(line) or line[end] == " "
                if begin > pos and line[begin - 1] == " " and after:
                    begin -= 1
                elif begin == 0 and end < len(line) and line[end] == " ":
                    end += 1
                new_line.append(line[pos:begin])
                pos = end
                continue
            new_line.append(line[pos : match.start(1)] + new)
            pos = match.end(1)
        if changed:
            new_line.append(line[pos:])
            rewritten = "".join(new_line)
            if rewritten.strip() and (not _utterance_line(rewritten) or (start == 0 and rewritten[0] == "\ufeff")):
                # Removing a code at the start left '#', '---', a section break or a BOM: the line would change.
                result.stuck.append((number, 1))
                continue
            pieces.append(text[last:start])
            pieces.append(rewritten)
            last = stop
    if pieces:
        pieces.append(text[last:])
        result.text = "".join(pieces)
    return result


_OPPOSITE = {"+": "-", "-": "+"}


def _leaf(path: str) -> str:
    return path.rsplit(">", 1)[-1]


def _opposes(claims: dict[tuple[str, str], list[tuple[str, tuple]]], key: tuple, old: tuple | None,
             polarity: dict[str, str]) -> bool:
    """Note the network code ``key`` (``old`` before the change) in ``claims``; whether the change made it
    the opposite of a code before it on the line (concepts are their leaves, as in the graph)."""
    sign = polarity.get(key[3] or "")
    if sign not in _OPPOSITE:
        return False
    ends = (_leaf(key[1]), _leaf(key[2]))
    was = (_leaf(old[1]), _leaf(old[2])) if old else ends
    earlier = claims.setdefault(ends, [])
    # Opposite codes the coder wrote on the same ends are the coder's, not the change's.
    clash = any(other == _OPPOSITE[sign] and before != was for other, before in earlier)
    earlier.append((sign, was))
    return clash


def _expected(text: str, path: str, rename: Rename) -> list[tuple]:
    """What the reader must find in the rewritten text: the old codes with the names changed."""
    def name(path_: str) -> str:
        return ">".join(rename.concepts.get(p, p) for p in path_.split(">"))

    def unique(items: list[tuple[tuple, tuple]]) -> list[tuple]:
        seen: dict[tuple, set] = {}
        kept = []
        for item, old in items:
            if item in seen and old not in seen[item]:
                continue
            seen.setdefault(item, set()).add(old)
            kept.append(item)
        return kept

    rows = []
    for line, text_, uid, nesting, u_codes, u_values, u_network, ids, _section, anchors in scan_text(
            text, path).utterances:
        network = []
        for source, target, type_, weight, _col in u_network:
            cause, effect = name(source), name(target)
            if rename.drop_self_loops and cause.rsplit(">", 1)[-1] == effect.rsplit(">", 1)[-1] and (
                    source.rsplit(">", 1)[-1] != target.rsplit(">", 1)[-1]):
                continue
            item = (cause, effect, rename.edge_types.get(type_, type_), weight)
            network.append((item, (source, target, type_, weight)))
        codes = [((tuple(rename.concepts.get(p, p) for p in code), ns), (tuple(code), ns))
                 for code, _col, ns in u_codes]
        values = [((name(code), value), (code, value)) for code, value, _col in u_values]
        if not (text_ or codes or values or network or anchors):
            continue  # a line that held only a dropped self-loop: the reader skips it now
        rows.append((line, text_, uid, nesting, tuple(ids.items()), unique(codes), unique(values),
                     unique(network), tuple(anchors)))
    return rows


def _found(text: str, path: str) -> list[tuple]:
    return [(line, text_, uid, nesting, tuple(ids.items()), [(tuple(code), ns) for code, _col, ns in codes],
             [(code, value) for code, value, _col in values],
             [(source, target, type_, weight) for source, target, type_, weight, _col in network], tuple(anchors))
            for line, text_, uid, nesting, codes, values, network, ids, _section, anchors in scan_text(
                text, path).utterances]


def check_rewrite(old: str, new: str, path: str, rename: Rename) -> None:
    """Read the rewritten source with the ROCK reader: it must parse and hold exactly the expected codes."""
    try:
        found = _found(new, path)
    except RockSyntaxError as exc:
        raise CodingError(f"the rewritten source would not parse: {exc.message}", exc.location,
                          BUG_HINT) from None
    expected = _expected(old, path, rename)
    if found != expected:
        line = next((a[0] for a, b in zip(found, expected, strict=False) if a != b), None)
        raise CodingError("the rewritten source would change more than the codes", Location(path, line),
                          BUG_HINT)
