"""One way to point at an utterance of coders' copies: its uid plus its line in a named file.

``verlicht agreement``, ``verlicht merge`` and ``verlicht code adjudicate`` all list utterances of
several copies of one source. Copies can differ in line numbers (one has a ``[[coderId=…]]`` line,
another none; a merged file has comments above its conflicts), so a bare line number is ambiguous.
Every row these commands give names the same reference for the same utterance: the uid, and the
line in the *first copy given that holds it* (``ref``: ``coders/anna/r07.rock:30``). Other files'
lines, where a command has them, are in columns that name their file.

>>> utterance_ref("coders/anna/r07.rock", 30, "7ddr5tyg")
{'uid': '7ddr5tyg', 'path': 'coders/anna/r07.rock', 'line': 30, 'ref': 'coders/anna/r07.rock:30'}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from verlicht.coding.agreement import CoderCopy


def utterance_ref(path: str, line: int, uid: str | None) -> dict[str, Any]:
    """The reference fields of a row: ``uid``, ``path``, ``line`` and ``ref`` (``path:line``)."""
    return {"uid": uid, "path": path, "line": line, "ref": f"{path}:{line}"}


def copies_ref(copies: Sequence[CoderCopy], uid: str) -> dict[str, Any]:
    """The reference of ``uid`` among coders' copies: its line in the first copy that holds it."""
    copy = next(c for c in copies if uid in c.units)
    return utterance_ref(copy.path, copy.units[uid].line, uid)
