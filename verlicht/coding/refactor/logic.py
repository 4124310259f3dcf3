"""Renaming concepts in the intervention logic models (``logic/*.yaml``) and the reviews' findings.

In a logic model only the concept codes are rewritten, as text (comments and layout stay): the items
of a step's ``concepts`` and a mechanism's ``concept``. A merge that makes a step name a concept twice
drops the repeat. A mechanism without an ``id`` is known by its concept, so its id follows the rename;
when a merge would give two mechanisms of one arrow the same id, the merge refuses at that mechanism.
Retyping needs nothing here: the logic reader does not check concept types. Every rewritten model is
read again with the logic reader and must be the old model with the names changed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from verlicht.coding.refactor.plan import BUG_HINT, FileChange, Plan
from verlicht.coding.usage import LogicRef, logic_model_files, logic_refs
from verlicht.errors import CodebookError, CodingError, Location
from verlicht.workspace import Layout


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


def rewrite_logic(layout: Layout, plan: Plan, names: dict[str, str], doing: str) -> None:
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


def rewrite_reviews(layout: Layout, plan: Plan, names: dict[str, str]) -> None:
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
