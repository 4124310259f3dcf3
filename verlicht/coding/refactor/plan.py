"""What a codebook refactor will write: a :class:`Plan` of :class:`FileChange` s, checked before anything is written."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from verlicht.errors import Location

BUG_HINT = "nothing was written; this is a bug in VERLICHT, please report it"


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
