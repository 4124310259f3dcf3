"""Codebook refactors: rename, merge and retype concepts (and rename or merge edge types) everywhere at once.

A refactor is planned first and applied second. :func:`plan_rename`, :func:`plan_merge` and
:func:`plan_retype` read the workspace and return a :class:`Plan`: the new bytes of every file that
changes (sources, ``ontology/codebook.yaml``, the indicator catalogue, the intervention logic models
in ``logic/*.yaml``), each checked before anything is written — every rewritten source is read again
with the ROCK reader and must hold exactly the old codes with the names changed, the codebook must
load, the indicator catalogue must still refer to known concepts, every rewritten logic model is read
again with the logic reader and must be the old model with the names changed. :func:`apply_plan` adds
an entry to ``ontology/CHANGELOG.md`` and writes all of these files together with
:func:`verlicht.fsio.replace_all`: all or nothing.

In a logic model only the concept codes are rewritten, as text (comments and layout stay): the items
of a step's ``concepts`` and a mechanism's ``concept``. A merge that makes a step name a concept twice
drops the repeat. A mechanism without an ``id`` is known by its concept, so its id follows the rename;
when a merge would give two mechanisms of one arrow the same id, the merge refuses at that mechanism.
Retyping needs nothing there: the logic reader does not check concept types.

What is rewritten in a source is only a whole code inside ``[[…]]``: a plain code or one level of a
code path (``wonen>instroom``, also ``ci--…``), an end of a network code (or one level of it), the code
of a code value, and, for edge types, the type of a network code. Utterance text, comments, YAML
fragments, uids and class instance ids (``[[cid=…]]``) are never touched.

A merge offers the folded concept's Dutch label (without qualifiers such as "(thema)") and synonyms
as synonyms of the concept it is folded into, never one it already has (case aside); its English label
only when the codebook already keeps English labels as synonyms (see :func:`merged_synonyms`; "Dutch"
is the workspace's ``language``). What was left out is said in the preview and the changelog.

Merging two concepts can turn a network code into a self-loop (``[[a->b||…]]`` with ``a`` merged into
``b``). Such a code says nothing any more, but it was a coder's decision, so the merge refuses and
lists every place, unless ``drop_self_loops`` is given: then those network codes (and indicator
``tests`` pairs that become ``b->b``) are removed, and the preview and the changelog count them.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import difflib
import getpass
import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verlicht.codebook import BUILTIN_EDGE_TYPES, CONCEPT_TYPES, IDENTIFIER_HINT, Codebook, load_codebook
from verlicht.coding.usage import (
    LOGIC_ROLES,
    UNKNOWN_HINT,
    LogicRef,
    codebook_file,
    collect_usage,
    indicator_files,
    indicator_rows,
    load_codebook_of,
    logic_model_files,
    logic_refs,
)
from verlicht.csvcells import records as csv_records
from verlicht.errors import CodebookError, CodingError, Location, RockSyntaxError
from verlicht.fsio import folder_lock, replace_all
from verlicht.rock import parse_bytes, scan_text
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
from verlicht.workspace import Layout
from verlicht.yamlio import LineDict, load_yaml

CHANGELOG = "CHANGELOG.md"
CHANGELOG_HEADING = (
    "# Codebook changelog\n\n"
    "Every codebook refactor (`verlicht codebook rename|merge|retype`) adds an entry here: when, what, who,\n"
    "how much changed and why. Written by VERLICHT; keep it under version control with the codebook.\n"
)
BUG_HINT = "nothing was written; this is a bug in VERLICHT, please report it"
IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


# -- the code-token rewriter -----------------------------------------------------------------------------------------

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


# -- plans -------------------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class FileChange:
    """One file a refactor writes: its bytes before and after, and how many names changed in it."""

    path: Path
    shown: str
    old: bytes | None
    new: bytes
    occurrences: int
    role: str  # "source", "codebook", "indicators", "logic", "review" or "changelog"


@dataclass(slots=True)
class Plan:
    """A refactor worked out and checked, not yet written."""

    command: str
    changes: list[FileChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dropped_self_loops: int = 0
    removed_repeats: int = 0
    conflicts: list[Location] = field(default_factory=list)  # claims a merge sets against their opposite

    @property
    def files(self) -> int:
        return len(self.changes)

    @property
    def occurrences(self) -> int:
        return sum(c.occurrences for c in self.changes)

    def summary(self) -> str:
        sources = sum(1 for c in self.changes if c.role == "source")
        models = sum(1 for c in self.changes if c.role == "logic")
        text = (f"{self.command}: {self.files} file(s), {self.occurrences} occurrence(s) "
                f"({sources} source(s)"
                + "".join(f", {role}" for role in ("codebook", "indicators")
                          if any(c.role == role for c in self.changes))
                + (f", {models} logic model(s)" if models else "")
                + (f", {reviews} review file(s)" if (reviews := sum(c.role == "review" for c in self.changes)) else "")
                + ")")
        if self.dropped_self_loops:
            text += f"; {self.dropped_self_loops} self-loop network code(s) dropped"
        if self.removed_repeats:
            text += f"; {self.removed_repeats} code(s) that became repeats on their line removed"
        if self.conflicts:
            text += f"; {len(self.conflicts)} code(s) kept next to their opposite claim"
        return text

    def diff(self) -> list[str]:
        """The unified diff of every change, as lines (without line ends)."""
        lines: list[str] = []
        for change in self.changes:
            old = (change.old or b"").decode("utf-8").splitlines()
            new = change.new.decode("utf-8").splitlines()
            lines.extend(difflib.unified_diff(old, new, f"a/{change.shown}", f"b/{change.shown}", lineterm=""))
        return lines


def plan_rename(layout: Layout, old: str, new: str, edge_type: bool = False) -> Plan:
    """Rename concept ``old`` (or, with ``edge_type``, an edge type) to ``new`` everywhere."""
    if edge_type:
        return _plan_edge_type(layout, old, new, merge=False)
    codebook, usage = load_codebook_of(layout), collect_usage(layout)
    book = codebook_file(layout)
    shown_book = layout.shown(book)
    _check_new_name(new, shown_book)
    if old == new:
        raise CodebookError(f"'{old}' is already called '{new}'", Location(shown_book), "nothing to rename")
    uses = usage.of(old)
    if old not in codebook.concepts and not uses:
        raise CodebookError(f"unknown concept '{old}': not in the codebook and not used in any source",
                            Location(shown_book), UNKNOWN_HINT)
    if new in codebook.concepts:
        raise CodebookError(f"concept '{new}' already exists", Location(shown_book, codebook.concepts[new].line),
                            f"to fold '{old}' into it, use 'verlicht codebook merge {old} {new}'")
    taken = usage.of(new)
    if taken:
        where = "a logic model" if taken[0].role in LOGIC_ROLES else "the sources"
        raise CodebookError(f"'{new}' is already used in {where} (not in the codebook)", taken[0].location,
                            f"fold '{old}' into it with 'verlicht codebook merge', or choose another name")
    plan = Plan(f"rename {old} {new}")
    rename = Rename(concepts={old: new})
    _rewrite_sources(layout, plan, rename)
    if old in codebook.concepts:
        text = _BookText(book, shown_book)
        text.rename_key("concepts", old, new)
        _add_codebook(plan, text, lambda b: new in b.concepts and old not in b.concepts)
    else:
        plan.notes.append(f"'{old}' was not in the codebook; only its uses changed")
    _rewrite_indicators(layout, plan, {old: new}, drop_self_loops=False)
    _rewrite_logic(layout, plan, {old: new}, f"renaming '{old}' to '{new}'")
    _rewrite_reviews(layout, plan, {old: new})
    return plan


def plan_merge(layout: Layout, a: str, b: str, edge_type: bool = False, drop_self_loops: bool = False,
               keep_conflicts: bool = False) -> Plan:
    """Fold concept ``a`` into ``b``: ``a``'s uses become ``b``, ``a`` leaves the codebook and its labels
    and synonyms become synonyms of ``b``. With ``edge_type``, fold edge type ``a`` into ``b``.

    A merge that would leave an utterance holding a causal claim and its opposite (``x->b||causal_pos``
    and ``x->b||causal_neg``) is refused with every place, unless ``keep_conflicts``: then both codes stay
    and the plan's notes list them.
    """
    if edge_type:
        return _plan_edge_type(layout, a, b, merge=True)
    codebook, usage = load_codebook_of(layout), collect_usage(layout)
    book = codebook_file(layout)
    shown_book = layout.shown(book)
    if a == b:
        raise CodebookError(f"cannot merge '{a}' into itself", Location(shown_book), "name two different concepts")
    if a not in codebook.concepts and not usage.of(a):
        raise CodebookError(f"unknown concept '{a}': not in the codebook and not used in any source",
                            Location(shown_book), UNKNOWN_HINT)
    if b not in codebook.concepts:
        raise CodebookError(f"unknown concept '{b}': a merge needs it in the codebook", Location(shown_book),
                            f"to give '{a}' a new name, use 'verlicht codebook rename {a} {b}'")
    plan = Plan(f"merge {a} {b}" + (" --drop-self-loops" if drop_self_loops else "")
                + (" --keep-conflicts" if keep_conflicts else ""))
    polarity = {name: t.polarity for name, t in codebook.edge_types.items() if t.causal and t.polarity}
    rename = Rename(concepts={a: b}, drop_self_loops=drop_self_loops, polarity=polarity)
    loops = _rewrite_sources(layout, plan, rename)
    indicator_loops = _rewrite_indicators(layout, plan, {a: b}, drop_self_loops=drop_self_loops)
    _rewrite_logic(layout, plan, {a: b}, f"merging '{a}' into '{b}'")
    _rewrite_reviews(layout, plan, {a: b})
    if (loops or indicator_loops) and not drop_self_loops:
        places = loops + indicator_loops
        raise CodebookError(
            f"merging '{a}' into '{b}' would turn {len(places)} network code(s) or indicator test(s) into "
            f"'{b}->{b}': " + ", ".join(str(p) for p in places[:10]) + (" …" if len(places) > 10 else ""),
            places[0],
            "recode these lines first, or pass --drop-self-loops to remove those codes with the merge")
    if plan.conflicts:
        places = ", ".join(str(p) for p in plan.conflicts)
        count = len(plan.conflicts)
        if not keep_conflicts:
            raise CodebookError(
                f"merging '{a}' into '{b}' would leave {count} utterance code(s) next to the opposite claim "
                f"on the same line (a positive and a negative causal code on the same concepts): {places}",
                plan.conflicts[0],
                "recode these lines first, or pass --keep-conflicts to keep both claims as the coder wrote them")
        plan.notes.append(f"conflict: {count} code(s) now stand next to the opposite claim on their line, kept "
                          f"(--keep-conflicts): {places}")
    if a in codebook.concepts:
        gone, kept = codebook.concepts[a], codebook.concepts[b]
        words, left_out = merged_synonyms(codebook, gone, kept, layout.config.language)
        extra = _new_synonyms(words, [kept.label_nl, kept.label_en, *kept.synonyms,
                                      *map(bare_label, (kept.label_nl, kept.label_en))])
        text = _BookText(book, shown_book)
        text.add_synonyms("concepts", b, extra)
        text.remove_entry("concepts", a)
        expected = [*kept.synonyms, *extra]
        _add_codebook(plan, text,
                      lambda nb: a not in nb.concepts and list(nb.concepts[b].synonyms) == expected)
        if extra:
            plan.notes.append(f"synonyms added to '{b}': {', '.join(extra)}")
        if left_out:
            plan.notes.append(f"not added as synonyms of '{b}': {', '.join(left_out)} (a label in another language "
                              f"than the workspace's '{layout.config.language}', and the codebook keeps none as "
                              "synonyms)")
    else:
        plan.notes.append(f"'{a}' was not in the codebook; only its uses changed")
    return plan


def plan_retype(layout: Layout, code: str, type_: str) -> Plan:
    """Give concept ``code`` the concept type ``type_`` (one of :data:`verlicht.codebook.CONCEPT_TYPES`)."""
    codebook = load_codebook_of(layout)
    book = codebook_file(layout)
    shown_book = layout.shown(book)
    if type_ not in CONCEPT_TYPES:
        raise CodebookError(f"'{type_}' is not a concept type", None, f"use one of: {', '.join(CONCEPT_TYPES)}")
    concept = codebook.concepts.get(code)
    if concept is None:
        raise CodebookError(f"unknown concept '{code}'", Location(shown_book), UNKNOWN_HINT)
    if concept.type == type_:
        raise CodebookError(f"concept '{code}' has type '{type_}' already", Location(shown_book, concept.line),
                            "nothing to change")
    plan = Plan(f"retype {code} {type_}")
    text = _BookText(book, shown_book)
    text.retype("concepts", code, concept.type, type_)
    _add_codebook(plan, text, lambda b: b.concepts[code].type == type_)
    return plan


def _plan_edge_type(layout: Layout, old: str, new: str, merge: bool) -> Plan:
    codebook, usage = load_codebook_of(layout), collect_usage(layout)
    book = codebook_file(layout)
    shown_book = layout.shown(book)
    verb = "merge" if merge else "rename"
    if old == new:
        raise CodebookError(f"edge types '{old}' and '{new}' are the same", Location(shown_book), "nothing to do")
    if not merge:
        _check_new_name(new, shown_book)
    defined = {name for name, t in codebook.edge_types.items() if t.line is not None}  # written in the codebook
    used = [e for e in usage.edges if e.type == old]
    if old not in codebook.edge_types and not used:
        raise CodebookError(f"unknown edge type '{old}': not in the codebook and not used in any source",
                            Location(shown_book), "see 'verlicht codebook stats' for the edge types in use")
    for path, types in sorted(usage.declared_edge_types.items()):
        clash = sorted(types & {old, new})
        if clash:
            raise CodebookError(f"the source declares edge type '{clash[0]}' in its own YAML (ROCK_network)",
                                Location(path), "change or remove that declaration by hand first, then run this again")
    if merge:
        if new not in codebook.edge_types:
            raise CodebookError(f"unknown edge type '{new}': a merge needs it in the codebook",
                                Location(shown_book), f"to rename '{old}', use 'verlicht codebook rename --edge-type'")
        if old in codebook.edge_types and codebook.edge_types[old].kind != codebook.edge_types[new].kind:
            raise CodebookError(f"edge type '{old}' is {codebook.edge_types[old].kind}, '{new}' is "
                                f"{codebook.edge_types[new].kind}", Location(shown_book, codebook.edge_types[old].line),
                                "merge only edge types of the same kind")
    elif new in codebook.edge_types:
        raise CodebookError(f"edge type '{new}' already exists",
                            Location(shown_book, codebook.edge_types[new].line),
                            f"to fold '{old}' into it, use 'verlicht codebook merge --edge-type {old} {new}'")
    elif [e for e in usage.edges if e.type == new]:
        first = next(e for e in usage.edges if e.type == new)
        raise CodebookError(f"edge type '{new}' is already used in the sources", Location(first.path, first.line,
                            first.col), "merge into it with 'verlicht codebook merge --edge-type', or choose another")
    plan = Plan(f"{verb} --edge-type {old} {new}")
    _rewrite_sources(layout, plan, Rename(edge_types={old: new}))
    text = _BookText(book, shown_book)
    if merge:
        if old in defined:
            text.remove_entry("edge_types", old)
            _add_codebook(plan, text, lambda b: b.edge_types.get(old) == BUILTIN_EDGE_TYPES.get(old))
    elif old in defined:
        text.rename_key("edge_types", old, new)
        _add_codebook(plan, text, lambda b: new in b.edge_types)
    elif old in codebook.edge_types:  # a built-in type: write its definition under the new name
        text.add_edge_type(new, codebook.edge_types[old])
        _add_codebook(plan, text, lambda b: new in b.edge_types)
        plan.notes.append(f"'{old}' is built in; its definition was added to the codebook as '{new}'")
    return plan


def _check_new_name(new: str, shown_book: str) -> None:
    if not IDENTIFIER.fullmatch(new) or not new.isascii():
        raise CodebookError(f"'{new}' cannot be used as a ROCK code", Location(shown_book), IDENTIFIER_HINT)


def _rewrite_sources(layout: Layout, plan: Plan, rename: Rename) -> list[Location]:
    """Plan the rewrite of every source; the places where a self-loop would appear."""
    loops: list[Location] = []
    for file in layout.source_files():
        shown = layout.shown(file)
        data = file.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            parse_bytes(data, shown)  # raises the reader's located error
            raise
        result = rewrite_codes(text, rename)
        if result.stuck:
            line, col = result.stuck[0]
            raise CodebookError("removing a code from this line would leave a comment, '---' or a section break",
                                Location(shown, line, col), "move the code to the end of the line, then run again")
        loops.extend(Location(shown, line, col) for line, col in result.self_loops)
        plan.conflicts.extend(Location(shown, line, col) for line, col in result.conflicts)
        if result.text == text:
            continue
        check_rewrite(text, result.text, shown, rename)
        plan.dropped_self_loops += result.dropped
        plan.removed_repeats += result.repeats
        plan.changes.append(FileChange(file, shown, data, result.text.encode("utf-8"), result.occurrences, "source"))
    return loops


def _add_codebook(plan: Plan, text: _BookText, check: Callable[[Codebook], bool]) -> None:
    """Load the edited codebook as the build would, check the edit did what it should, add it to the plan."""
    new = text.render()
    with tempfile.TemporaryDirectory(prefix="verlicht-codebook-") as folder:
        probe = Path(folder) / "codebook.yaml"
        probe.write_bytes(new.encode("utf-8"))
        try:
            book = load_codebook(probe, text.shown)
        except CodebookError as exc:
            raise CodebookError(f"the edited codebook would not load: {exc.message}", exc.location,
                                "nothing was written; edit the codebook by hand") from None
    if not check(book):
        raise CodebookError("the codebook could not be edited as text without changing more than asked",
                            Location(text.shown), "nothing was written; edit the codebook by hand")
    plan.changes.append(FileChange(text.path, text.shown, text.original.encode("utf-8"), new.encode("utf-8"),
                                   1, "codebook"))


# -- the codebook as text ----------------------------------------------------------------------------------------------

class _BookText:
    """The codebook's lines, edited in place so that comments, order and layout stay as they are."""

    def __init__(self, path: Path, shown: str):
        self.path, self.shown = path, shown
        self.data = load_yaml(path, shown) if path.exists() else None
        # The bytes as they are (read_text would turn CRLF into LF): apply compares them with the disk, and the
        # rewritten codebook keeps the file's line ends.
        self.original = path.read_bytes().decode("utf-8") if path.exists() else ""
        self.lines = self.original.splitlines(keepends=True)
        if self.data is not None and not isinstance(self.data, dict):
            raise CodebookError("the codebook must be a mapping", Location(shown, 1))

    def render(self) -> str:
        return "".join(self.lines)

    def _newline(self) -> str:
        return "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"

    def _section(self, section: str) -> Any:
        return (self.data or {}).get(section) or {}

    def _entries(self, section: str) -> list[tuple[str, int, Any]]:
        """``(name, first line, spec)`` of each entry, in file order (1-based lines)."""
        data = self._section(section)
        if isinstance(data, LineDict):
            return sorted(((str(k), data.lines[k], v) for k, v in data.items()), key=lambda e: e[1])
        entries = []
        keys = ("code", "id", "name") if section == "concepts" else ("type", "id", "name")
        for spec in data if isinstance(data, list) else []:
            name = next((str(spec[k]) for k in keys if isinstance(spec, dict) and spec.get(k) is not None), None)
            if name is not None and isinstance(spec, LineDict):
                first = spec.line
                if not self.lines[first - 1].lstrip().startswith("-"):
                    first -= 1  # "-" alone on the line above the entry's first key
                entries.append((name, first, spec))
        return entries

    def _entry(self, section: str, name: str) -> tuple[int, int, Any]:
        """The first and last line (1-based, comments and blank lines after it left out) of an entry."""
        entries = self._entries(section)
        for i, (entry, first, spec) in enumerate(entries):
            if entry == name:
                last = entries[i + 1][1] - 1 if i + 1 < len(entries) else self._section_end(section)
                while last > first and (not self.lines[last - 1].strip()
                                        or self.lines[last - 1].lstrip().startswith("#")):
                    last -= 1
                return first, last, spec
        raise CodebookError(f"'{name}' not found under {section}", Location(self.shown))

    def _section_end(self, section: str) -> int:
        start = self.data.lines[section]
        later = [line for line in self.data.lines.values() if line > start]
        return min(later) - 1 if later else len(self.lines)

    def _replace_on(self, line: int, pattern: str, new: str, what: str) -> None:
        text = self.lines[line - 1]
        match = re.search(pattern, text)
        if not match:
            raise CodebookError(f"cannot find {what} on this line", Location(self.shown, line),
                                "edit the codebook by hand")
        self.lines[line - 1] = text[: match.start(1)] + new + text[match.end(1) :]

    def rename_key(self, section: str, old: str, new: str) -> None:
        first, _last, spec = self._entry(section, old)
        name = rf"({re.escape(old)})(?![A-Za-z0-9_])"
        if isinstance(self._section(section), LineDict):
            self._replace_on(first, rf"^\s*['\"]?{name}", new, f"the key '{old}'")
        else:
            key = next(k for k in ("code", "type", "id", "name") if str(spec.get(k)) == old)
            self._replace_on(spec.lines[key], rf"\b{key}\s*:\s*['\"]?{name}", new, f"'{key}: {old}'")

    def retype(self, section: str, name: str, old: str, new: str) -> None:
        first, _last, spec = self._entry(section, name)
        line = spec.lines.get("type", first) if isinstance(spec, LineDict) else first
        self._replace_on(line, rf"\btype\s*:\s*['\"]?({re.escape(old)})(?![A-Za-z0-9_])", new, f"'type: {old}'")

    def remove_entry(self, section: str, name: str) -> None:
        first, last, _spec = self._entry(section, name)
        if first > 1 and not self.lines[first - 2].strip() and last < len(self.lines) and (
                not self.lines[last].strip()):
            last += 1  # one blank line between the neighbours, not two
        del self.lines[first - 1 : last]
        self.data = None if not self.lines else _reload(self.render(), self.shown)

    def add_synonyms(self, section: str, name: str, words: list[str]) -> None:
        if not words:
            return
        first, last, spec = self._entry(section, name)
        items = ", ".join(_flow_scalar(w) for w in words)
        synonyms = spec.get("synonyms") if isinstance(spec, dict) else None
        if first == last and "{" in self.lines[first - 1]:
            raise CodebookError(f"cannot add synonyms to '{name}', written on one line", Location(self.shown, first),
                                "write the concept as a block (one key per line) and run this again")
        if "synonyms" in spec.lines:
            line = spec.lines["synonyms"]
            text = self.lines[line - 1]
            flow = re.match(r"^(\s*synonyms\s*:\s*\[)(.*)\](\s*(?:#.*)?\r?\n?)$", text)
            if flow:
                inside = flow.group(2).rstrip()
                joined = f"{inside}, {items}" if inside.strip() else items
                self.lines[line - 1] = f"{flow.group(1)}{joined}]{flow.group(3)}"
            elif isinstance(synonyms, list) and synonyms:
                end = line
                while end < last and self.lines[end].lstrip().startswith("-"):
                    end += 1
                item = self.lines[end - 1]
                indent = item[: len(item) - len(item.lstrip())]
                self.lines[end:end] = [f"{indent}- {_flow_scalar(w)}{self._newline()}" for w in words]
            else:
                indent = text[: len(text) - len(text.lstrip())]
                old = [] if synonyms in (None, []) else [str(synonyms)]
                self.lines[line - 1] = (f"{indent}synonyms: [{', '.join([*map(_flow_scalar, old), items])}]"
                                        f"{self._newline()}")
        else:
            below = self.lines[first] if first < len(self.lines) else "    "
            indent = below[: len(below) - len(below.lstrip())] or "    "
            self.lines[last:last] = [f"{indent}synonyms: [{items}]{self._newline()}"]
        self.data = _reload(self.render(), self.shown)

    def add_edge_type(self, name: str, kind: Any) -> None:
        """Write a definition of edge type ``name`` like ``kind`` at the end of ``edge_types``."""
        parts = [f"kind: {kind.kind}"]
        if kind.kind == "causal":
            parts.append(f'polarity: "{kind.polarity or "?"}"')
        parts.append(f"label: {{nl: {_flow_scalar(kind.label_nl)}, en: {_flow_scalar(kind.label_en)}}}")
        if kind.color:
            parts.append(f'color: "{kind.color}"')
        nl = self._newline()
        if self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += nl
        section = self._section("edge_types")
        if self.data and "edge_types" in self.data and isinstance(section, LineDict) and section:
            entries = self._entries("edge_types")
            _first, last, _spec = self._entry("edge_types", entries[-1][0])
            sample = self.lines[entries[-1][1] - 1]
            indent = sample[: len(sample) - len(sample.lstrip())]
            self.lines[last:last] = [f"{indent}{name}: {{{', '.join(parts)}}}{nl}"]
        elif self.data and isinstance(section, list) and self._entries("edge_types"):
            entries = self._entries("edge_types")
            _first, last, _spec = self._entry("edge_types", entries[-1][0])
            sample = self.lines[entries[-1][1] - 1]
            indent = sample[: len(sample) - len(sample.lstrip())]
            self.lines[last:last] = [f"{indent}- type: {name}{nl}"] + [
                f"{indent}  {part}{nl}" for part in parts]
        elif self.data and "edge_types" in self.data:
            raise CodebookError("cannot add an edge type to this 'edge_types' section by text",
                                Location(self.shown, self.data.lines["edge_types"]), "add it by hand and run again")
        else:
            self.lines.append(f"edge_types:{nl}  {name}: {{{', '.join(parts)}}}{nl}")
        self.data = _reload(self.render(), self.shown)


def _reload(text: str, shown: str) -> Any:
    with tempfile.TemporaryDirectory(prefix="verlicht-codebook-") as folder:
        probe = Path(folder) / "codebook.yaml"
        probe.write_bytes(text.encode("utf-8"))
        return load_yaml(probe, shown)


_PLAIN = re.compile(r"[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9 _.'()/-]*")


def _flow_scalar(word: str) -> str:
    """A word as a YAML flow-sequence item: plain when that reads back as the same text, else quoted."""
    import yaml

    if _PLAIN.fullmatch(word) and not word.endswith(" "):
        try:
            if yaml.safe_load(f"[{word}]") == [word]:
                return word
        except yaml.YAMLError:
            pass
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


QUALIFIER = re.compile(r"\s*\([^()]*\)\s*")


def bare_label(label: str) -> str:
    """A label without its parenthesised qualifiers: "Instroom (thema)" -> "Instroom"."""
    return " ".join(QUALIFIER.sub(" ", label or "").split())


def merged_synonyms(codebook: Codebook, gone: Any, kept: Any, language: str = "nl") -> tuple[list[str], list[str]]:
    """The words a merge of concept ``gone`` into ``kept`` offers as ``kept``'s synonyms, and the labels left out.

    Synonyms are what interviewees say, matched in the interviews (the suggester reads them with the
    Dutch labels), so a synonym is a word in the workspace's language. Offered: ``gone``'s label in that
    language without its parenthesised qualifiers ("Instroom (thema)" -> "Instroom": the qualifier
    tells coders apart in a list, nobody says it), then its synonyms as they are. Its label in the other
    language only when the codebook already keeps such labels as synonyms (some concept's synonyms hold
    a concept's label in that language that differs from its label in the workspace's language): a team
    that codes English interviews does, a Dutch codebook does not get "Inflow" from a merge.
    """
    other = "en" if language != "en" else "nl"
    words = [bare_label(gone.label(language)), *gone.synonyms]
    foreign = bare_label(gone.label(other))
    left_out: list[str] = []
    if foreign and foreign.casefold() != bare_label(gone.label(language)).casefold():
        if keeps_labels_as_synonyms(codebook, other, language):
            words.insert(1, foreign)
        else:
            left_out.append(gone.label(other))
    return words, left_out


def keeps_labels_as_synonyms(codebook: Codebook, lang: str, language: str = "nl") -> bool:
    """Whether a synonym anywhere in the codebook is a concept's label in ``lang`` (qualifiers aside) that
    differs from its label in ``language`` — the codebook's own sign that such words are wanted."""
    synonyms = {" ".join(str(w).split()).casefold() for c in codebook.concepts.values() for w in c.synonyms}
    for concept in codebook.concepts.values():
        label = bare_label(concept.label(lang)).casefold()
        if label and label in synonyms and label != bare_label(concept.label(language)).casefold():
            return True
    return False


def _new_synonyms(words: list[str], existing: list[str]) -> list[str]:
    """``words`` that are not among ``existing`` or earlier in ``words`` (case and spacing aside)."""
    seen = {" ".join(w.split()).casefold() for w in existing}
    result = []
    for word in words:
        word = " ".join(word.split())
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            result.append(word)
    return result


# -- the indicator catalogue -------------------------------------------------------------------------------------------

def _field_value(raw: str) -> tuple[str, bool]:
    raw = raw.rstrip("\r\n")
    if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
        return raw[1:-1].replace('""', '"'), True
    return raw, False


def _field_raw(value: str, quoted: bool) -> str:
    if quoted or any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _rewrite_list(value: str, names: dict[str, str], pairs: bool,
                  drop_self_loops: bool) -> tuple[str, int, int]:
    """A ``;``-list of codes (or ``cause->effect`` pairs) with names changed: new value, changes, self-loops.

    Each item keeps its spacing. An item that a merge turns into a repeat of an earlier one is left out.
    """
    count = loops = 0
    kept: list[str] = []
    seen: dict[str, bool] = {}  # item without spaces → whether it was renamed
    for item in value.split(";"):
        core = item.strip()
        renamed = False
        if pairs and "->" in core:
            cause, _arrow, effect = core.partition("->")
            ends = [cause.strip(), effect.strip()]
            if any(e in names for e in ends):
                renamed = True
                count += sum(e in names for e in ends)
                ends = [names.get(e, e) for e in ends]
                if ends[0] == ends[1]:
                    loops += 1
                    if drop_self_loops:
                        continue
                cause = cause.replace(cause.strip(), ends[0])
                effect = effect.replace(effect.strip(), ends[1])
                item = item.replace(core, f"{cause}->{effect}")
        elif not pairs and core in names:
            renamed = True
            count += 1
            item = item.replace(core, names[core])
        key = "".join(item.split())
        if key and key in seen and (renamed or seen[key]):
            continue
        seen[key] = renamed or seen.get(key, False)
        kept.append(item)
    if not count:
        return value, 0, 0
    return ";".join(kept), count, loops


def _rewrite_indicators(layout: Layout, plan: Plan, names: dict[str, str],
                        drop_self_loops: bool) -> list[Location]:
    """Plan the rewrite of ``measures`` and ``tests`` in the indicator catalogue; where self-loops would appear."""
    loops: list[Location] = []
    for file in indicator_files(layout):
        shown = layout.shown(file)
        data = file.read_bytes()
        text = data.decode("utf-8-sig")
        bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
        records = csv_records(text)
        if not records:
            continue
        header = [_field_value(text[a:b])[0].strip() for a, b in records[0].fields]
        columns = {name: header.index(name) for name in ("measures", "tests") if name in header}
        if not columns:
            continue
        pieces, last, total = [], 0, 0
        for found in records[1:]:
            number, start, end = found.line, found.start, found.end
            record = text[start:end]
            spans = [(a - start, b - start) for a, b in found.fields]
            changed = False
            new_record = record
            for name in ("tests", "measures"):  # right to left, so spans stay valid
                index = columns.get(name)
                if index is None or index >= len(spans):
                    continue
                a, b = spans[index]
                value, quoted = _field_value(record[a:b])
                new, count, made = _rewrite_list(value, names, name == "tests", drop_self_loops)
                if made:
                    loops.extend([Location(shown, number)] * made)
                if count:
                    changed = True
                    total += count
                    new_record = new_record[:a] + _field_raw(new, quoted) + new_record[b:]
            if changed:
                pieces.append(text[last:start])
                pieces.append(new_record)
                last = end
        if pieces:
            pieces.append(text[last:])
            new_text = bom + "".join(pieces)
            plan.changes.append(FileChange(file, shown, data, new_text.encode("utf-8"), total, "indicators"))
    if plan.changes and any(c.role == "indicators" for c in plan.changes):
        _check_indicators(layout, plan)
    return loops


def _check_indicators(layout: Layout, plan: Plan) -> None:
    """Read every rewritten catalogue file again: only ``measures`` and ``tests`` may differ."""
    for change in plan.changes:
        if change.role != "indicators":
            continue
        with tempfile.TemporaryDirectory(prefix="verlicht-indicators-") as folder:
            probe = Path(folder) / change.path.name
            probe.write_bytes(change.new)
            after = indicator_rows(probe, change.shown)
        before = indicator_rows(change.path, change.shown)

        def rest(rows: list[tuple[int, dict[str, str]]]) -> list[tuple[int, dict[str, str]]]:
            return [(n, {k: v for k, v in r.items() if k not in ("measures", "tests")}) for n, r in rows]

        if rest(before) != rest(after):
            raise CodingError("the rewritten indicator catalogue would change more than its references",
                              Location(change.shown), BUG_HINT)


# -- the logic models ------------------------------------------------------------------------------------------------

def rewrite_logic_text(text: str, refs: list[LogicRef], names: dict[str, str]) -> tuple[str, int, int]:
    """A logic model's text with the concept codes in ``names`` changed: new text, names changed, repeats dropped.

    Only the scalars of the references change (their quotes kept). An item of a step's ``concepts`` that
    the change makes a repeat of an earlier one is removed with its separator (``[b, a]`` -> ``[b]`` when
    ``a`` becomes ``b``), or with its line in a block list; a repeat the author wrote stays.
    """
    edits: list[tuple[int, int, str]] = []
    count = repeats = 0
    seen: dict[int, dict[str, bool]] = {}  # list -> codes in it so far -> whether the change made them
    for ref in refs:
        renamed = ref.code in names
        new = names.get(ref.code, ref.code)
        if ref.sequence is not None:
            earlier = seen.setdefault(ref.sequence, {})
            if new in earlier and (renamed or earlier[new]):
                span = _list_item_span(text, ref)
                if span is not None:
                    count += renamed
                    repeats += 1
                    edits.append((*span, ""))
                    continue
            earlier[new] = earlier.get(new, False) or renamed
        if renamed:
            count += 1
            edits.append(_aligned(text, ref.start, ref.end, f"{ref.quote}{new}{ref.quote}"))
    for start, end, new_text in sorted(edits, reverse=True):
        text = text[:start] + new_text + text[end:]
    return text, count, repeats


def _aligned(text: str, start: int, end: int, new: str) -> tuple[int, int, str]:
    """Replace ``text[start:end]`` by ``new`` keeping a ``# comment`` after it in its column where the spaces
    before the comment allow (one space at least)."""
    gap = end
    while gap < len(text) and text[gap] == " ":
        gap += 1
    spaces = gap - end
    if spaces < 2 or gap >= len(text) or text[gap] != "#":
        return start, end, new
    wanted = max(1, spaces - (len(new) - (end - start)))
    return start, gap, new + " " * wanted


def _list_item_span(text: str, ref: LogicRef) -> tuple[int, int] | None:
    """What to cut to remove ``ref`` from its list: ``, item`` in a flow list, the whole ``- item`` line in
    a block list (None when the line holds more than the item and a comment)."""
    if ref.flow:
        return (ref.previous_end, ref.end) if ref.previous_end is not None else None
    line_start = text.rfind("\n", 0, ref.start) + 1
    line_end = text.find("\n", ref.end)
    line_end = len(text) if line_end < 0 else line_end + 1
    before, after = text[line_start : ref.start], text[ref.end : line_end].strip()
    if before.strip() == "-" and (not after or after.startswith("#")):
        return line_start, line_end
    return None


def _rewrite_logic(layout: Layout, plan: Plan, names: dict[str, str], doing: str) -> None:
    """Plan the rewrite of every logic model that names a concept in ``names``; each is read back and checked."""
    for file in logic_model_files(layout):
        shown = layout.shown(file)
        text, refs = logic_refs(file, shown)
        if not any(ref.code in names for ref in refs):
            continue
        data = file.read_bytes()
        new_text, count, _repeats = rewrite_logic_text(text, refs, names)
        bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
        new = (bom + new_text).encode("utf-8")
        _check_logic(file, shown, new, names, refs, doing)
        plan.changes.append(FileChange(file, shown, data, new, count, "logic"))


def _rewrite_reviews(layout: Layout, plan: Plan, names: dict[str, str]) -> None:
    """Living reviews' findings targets and protocol links (verlicht.reviews.refactor)."""
    from verlicht.reviews.refactor import review_rewrites

    for path, shown, old, new, count in review_rewrites(layout, names):
        plan.changes.append(FileChange(path, shown, old, new, count, "review"))


def _check_logic(file: Path, shown: str, new: bytes, names: dict[str, str], refs: list[LogicRef],
                 doing: str) -> None:
    """Read the rewritten logic model with the logic reader: it must read, and be the old model renamed."""
    from verlicht.logic import read_logic_model

    before, _ = read_logic_model(file, shown)
    with tempfile.TemporaryDirectory(prefix="verlicht-logic-") as folder:
        probe = Path(folder) / file.name  # the same name: a model's id defaults to it
        probe.write_bytes(new)
        after, errors = read_logic_model(probe, shown)
    if errors:
        first = errors[0]
        raise CodebookError(f"{doing} would make this logic model invalid: {first.message}", first.location,
                            f"{first.hint + '; ' if first.hint else ''}then run the refactor again")
    named_by_concept = {(ref.item_line, ref.code) for ref in refs
                        if ref.role == "logic_mechanism" and not ref.explicit_id}
    if before is None or after is None or _logic_shape(after) != _logic_shape(before, names, named_by_concept):
        raise CodingError("the rewritten logic model would change more than its concept codes", Location(shown),
                          BUG_HINT)


def _logic_shape(model: Any, names: dict[str, str] | None = None,
                 named_by_concept: set[tuple[int | None, str]] | frozenset = frozenset()) -> tuple:
    """What a logic model says, lines aside, with the concept codes in ``names`` changed (and the ids of
    mechanisms known by their concept with them)."""
    names = names or {}

    def mechanism(m: Any) -> tuple:
        key = names.get(m.key, m.key) if (m.line, m.concept) in named_by_concept else m.key
        return key, m.text_nl, m.text_en, names.get(m.concept, m.concept) if m.concept else None

    return (model.key, model.label_nl, model.label_en, model.description, model.source,
            tuple((s.key, s.stage, s.text_nl, s.text_en, s.measure, s.indicators,
                   tuple(dict.fromkeys(names.get(c, c) for c in s.concepts)), s.goals) for s in model.steps),
            tuple((a.source, a.target, tuple(mechanism(m) for m in a.mechanisms)) for a in model.arrows),
            len(model.warnings))


# -- applying, and the changelog ---------------------------------------------------------------------------------------

def coder_name(root: Path | None = None) -> str:
    """Who makes the change: ``VERLICHT_CODER``, else git's ``user.name``, else the login name."""
    name = os.environ.get("VERLICHT_CODER", "").strip()
    if name:
        return name
    try:
        found = subprocess.run(["git", "config", "user.name"], cwd=root, capture_output=True, text=True,
                               timeout=5, check=False)
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def changelog_file(layout: Layout) -> Path:
    return layout.ontology / CHANGELOG


def changelog_entry(plan: Plan, who: str, when: _dt.datetime, reason: str | None = None) -> str:
    lines = [f"## {when.strftime('%Y-%m-%dT%H:%M:%SZ')} · {plan.command}", "",
             f"- who: {who}",
             f"- changed: {plan.files} file(s), {plan.occurrences} occurrence(s)"]
    files = ", ".join(c.shown for c in plan.changes)
    if files:
        lines.append(f"- files: {files}")
    if plan.dropped_self_loops:
        lines.append(f"- dropped: {plan.dropped_self_loops} self-loop network code(s)")
    if plan.removed_repeats:
        lines.append(f"- repeats: {plan.removed_repeats} code(s) removed that became repeats on their line")
    for note in plan.notes:
        lines.append(f"- note: {note}")
    if reason:
        lines.append(f"- reason: {' '.join(reason.split())}")
    return "\n".join(lines) + "\n"


def apply_plan(layout: Layout, plan: Plan, reason: str | None = None, who: str | None = None,
               now: _dt.datetime | None = None) -> Plan:
    """Write every file of ``plan`` and its changelog entry, all or nothing.

    Refuses when a file changed since the plan was made (someone saved a source in the meantime). The
    folders are locked as the coder locks them (:func:`verlicht.fsio.folder_lock`), so no coder's save can
    slip in between that check and the renames.
    """
    log = changelog_file(layout)
    folders = sorted({str(c.path.parent) for c in plan.changes} | {str(log.parent)})
    with contextlib.ExitStack() as locks:
        for folder in folders:  # always in the same order: two refactors cannot wait for each other
            if Path(folder).is_dir():
                locks.enter_context(folder_lock(Path(folder)))
        for change in plan.changes:
            current = change.path.read_bytes() if change.path.exists() else None
            if current != change.old:
                raise CodingError("the file changed since the preview was made", Location(change.shown),
                                  "nothing was written; run the command again")
        old = log.read_bytes() if log.exists() else None
        text = old.decode("utf-8") if old is not None else CHANGELOG_HEADING
        if text and not text.endswith("\n"):
            text += "\n"
        when = (now or _dt.datetime.now(_dt.UTC)).astimezone(_dt.UTC)
        text += "\n" + changelog_entry(plan, who or coder_name(layout.root), when, reason)
        files = {c.path: c.new for c in plan.changes}
        files[log] = text.encode("utf-8")
        replace_all(files)
    return plan


ENTRY = re.compile(r"^## (\S+) · (.+)$")


def read_changelog(layout: Layout) -> list[dict[str, Any]]:
    """The entries of ``ontology/CHANGELOG.md``, oldest first."""
    log = changelog_file(layout)
    if not log.exists():
        return []
    entries: list[dict[str, Any]] = []
    for number, line in enumerate(log.read_text(encoding="utf-8").splitlines(), start=1):
        match = ENTRY.match(line)
        if match:
            entries.append({"date": match.group(1), "command": match.group(2), "who": None, "changed": None,
                            "reason": None, "notes": [], "line": number})
        elif entries and line.startswith("- ") and ": " in line:
            key, _, value = line[2:].partition(": ")
            if key == "note":
                entries[-1]["notes"].append(value)
            elif key in ("who", "changed", "reason", "files", "dropped", "repeats"):
                entries[-1][key] = value
    return entries
