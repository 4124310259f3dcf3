"""Renaming concepts in the indicator catalogue (``measures`` and ``tests`` cells), as text, then checking it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from verlicht.coding.refactor.plan import BUG_HINT, FileChange, Plan
from verlicht.coding.usage import indicator_files, indicator_rows
from verlicht.csvcells import records as csv_records
from verlicht.errors import CodingError, Location
from verlicht.workspace import Layout


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


def rewrite_indicators(layout: Layout, plan: Plan, names: dict[str, str],
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
