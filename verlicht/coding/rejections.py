"""Suggestions a coder turned down, remembered per utterance uid across sessions.

They are kept outside the sources, in ``.verlicht/rejected.json`` at the workspace root: a
sidecar that neither ``verlicht build`` nor rock reads (rock parses ``*.rock`` files only).
The file is small, sorted and diffable, so a team may keep it in git or ignore it::

    {"version": 1, "sources": {"interviews/r07.rock": {"7ddr5tye": ["a->b||causal_pos"]}}}

Only utterances with a uid are remembered: a line number can change, a uid cannot.
"""

from __future__ import annotations

import json
from pathlib import Path

from verlicht.errors import CodingError, Location
from verlicht.fsio import atomic_write_text, folder_lock

FOLDER = ".verlicht"
FILE = "rejected.json"


def rejections_file(root: Path) -> Path:
    return root / FOLDER / FILE


class Rejections:
    """The rejected suggestions of one source (``shown`` is its workspace-relative path)."""

    def __init__(self, path: Path | None, shown: str):
        self.path = path
        self.shown = shown
        self.by_uid: dict[str, set[str]] = {}
        if path is not None and path.exists():
            self.by_uid = {uid: set(codes) for uid, codes in _read(path).get(shown, {}).items()}

    def get(self, uid: str | None) -> set[str]:
        return self.by_uid.get(uid, set()) if uid else set()

    def add(self, uid: str, code: str) -> None:
        self._change(uid, code, True)

    def discard(self, uid: str, code: str) -> None:
        self._change(uid, code, False)

    def _change(self, uid: str, code: str, rejected: bool) -> None:
        codes = self.by_uid.setdefault(uid, set())
        (codes.add if rejected else codes.discard)(code)
        if not codes:
            del self.by_uid[uid]
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with folder_lock(self.path.parent):  # another coder's session may write another source's rejections
            data = _read(self.path) if self.path.exists() else {}
            mine = data.setdefault(self.shown, {})
            stored = set(mine.get(uid, ()))
            (stored.add if rejected else stored.discard)(code)
            if stored:
                mine[uid] = sorted(stored)
            else:
                mine.pop(uid, None)
            if not mine:
                del data[self.shown]
            atomic_write_text(self.path, json.dumps({"version": 1, "sources": data}, indent=1, sort_keys=True,
                                                    ensure_ascii=False) + "\n")


def _read(path: Path) -> dict[str, dict[str, list[str]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        sources = data["sources"]
        if not isinstance(sources, dict):
            raise TypeError
        return {str(s): {str(u): [str(c) for c in codes] for u, codes in uids.items()} for s, uids in sources.items()}
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise CodingError("the list of rejected suggestions cannot be read", Location(str(path)),
                          "fix or delete the file (it only hides suggestions you turned down)") from None
