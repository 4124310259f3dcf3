"""Concept renames and merges reach the living reviews too: findings targets and the protocol's links.

``verlicht codebook rename|merge`` calls :func:`review_rewrites` and writes what it returns together with
its other files (all or nothing), so a refactor never leaves a review naming a concept that is gone.
In ``findings.csv`` only the ``target`` cells change (the file is written again as CSV); in
``protocol.yaml`` only whole concept codes inside the ``linked:`` block change, as text (comments stay).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from verlicht.reviews.folder import FINDINGS, PROTOCOL, ReviewFolder, review_slugs
from verlicht.workspace import Layout

_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")


def _rename_target(target: str, names: dict[str, str]) -> str:
    body, polarity = (target[:-2], target[-2:]) if target.endswith((":+", ":-")) else (target, "")
    parts = [names.get(p.strip(), p.strip()) for p in body.split("->")]
    return "->".join(parts) + polarity


def _findings(path: Path, names: dict[str, str]) -> tuple[bytes, int] | None:
    data = path.read_bytes()
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or "target" not in [h.strip().lower() for h in rows[0]]:
        return None
    column = [h.strip().lower() for h in rows[0]].index("target")
    count = 0
    for row in rows[1:]:
        if column < len(row):
            new = _rename_target(row[column], names)
            if new != row[column].strip():
                count += 1
                row[column] = new
    if not count:
        return None
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    return (bom + buffer.getvalue()).encode("utf-8"), count


def _protocol(path: Path, names: dict[str, str]) -> tuple[bytes, int] | None:
    data = path.read_bytes()
    lines = data.decode("utf-8").split("\n")
    pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                         + r")(?![\w])")
    inside, count = False, 0
    for index, line in enumerate(lines):
        if _TOP_KEY.match(line):
            inside = line.startswith("linked")
            continue
        if inside:
            code, hash_, comment = line.partition("#")
            new, n = pattern.subn(lambda m: names[m.group(1)], code)
            if n:
                lines[index] = new + hash_ + comment
                count += n
    return ("\n".join(lines).encode("utf-8"), count) if count else None


def review_rewrites(layout: Layout, names: dict[str, str]) -> list[tuple[Path, str, bytes, bytes, int]]:
    """(path, shown, old bytes, new bytes, occurrences) of every review file naming a concept in ``names``."""
    changes = []
    for slug in review_slugs(layout):
        review = ReviewFolder(layout, slug)
        for name, rewrite in ((FINDINGS, _findings), (PROTOCOL, _protocol)):
            path = review.file(name)
            if path.exists():
                found = rewrite(path, names)
                if found is not None:
                    changes.append((path, review.shown(name), path.read_bytes(), found[0], found[1]))
    return changes
