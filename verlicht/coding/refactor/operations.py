"""Planning a refactor: rename, merge and retype concepts, rename or merge edge types, in every file at once.

Merging two concepts can turn a network code into a self-loop (``[[a->b||…]]`` with ``a`` merged into
``b``). Such a code says nothing any more, but it was a coder's decision, so the merge refuses and
lists every place, unless ``drop_self_loops`` is given: then those network codes (and indicator
``tests`` pairs that become ``b->b``) are removed, and the preview and the changelog count them.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from verlicht.codebook import BUILTIN_EDGE_TYPES, CONCEPT_TYPES, IDENTIFIER_HINT, Codebook, load_codebook
from verlicht.coding.refactor.codebook_text import BookText, bare_label, merged_synonyms, new_synonyms
from verlicht.coding.refactor.indicators import rewrite_indicators
from verlicht.coding.refactor.logic import rewrite_logic, rewrite_reviews
from verlicht.coding.refactor.plan import FileChange, Plan
from verlicht.coding.refactor.source_codes import Rename, check_rewrite, rewrite_codes
from verlicht.coding.usage import LOGIC_ROLES, UNKNOWN_HINT, codebook_file, collect_usage, load_codebook_of
from verlicht.errors import CodebookError, Location
from verlicht.rock import parse_bytes
from verlicht.workspace import Layout

IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


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
        text = BookText(book, shown_book)
        text.rename_key("concepts", old, new)
        _add_codebook(plan, text, lambda b: new in b.concepts and old not in b.concepts)
    else:
        plan.notes.append(f"'{old}' was not in the codebook; only its uses changed")
    rewrite_indicators(layout, plan, {old: new}, drop_self_loops=False)
    rewrite_logic(layout, plan, {old: new}, f"renaming '{old}' to '{new}'")
    rewrite_reviews(layout, plan, {old: new})
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
    indicator_loops = rewrite_indicators(layout, plan, {a: b}, drop_self_loops=drop_self_loops)
    rewrite_logic(layout, plan, {a: b}, f"merging '{a}' into '{b}'")
    rewrite_reviews(layout, plan, {a: b})
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
        extra = new_synonyms(words, [kept.label_nl, kept.label_en, *kept.synonyms,
                                      *map(bare_label, (kept.label_nl, kept.label_en))])
        text = BookText(book, shown_book)
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
    text = BookText(book, shown_book)
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
    text = BookText(book, shown_book)
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


def _add_codebook(plan: Plan, text: BookText, check: Callable[[Codebook], bool]) -> None:
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
