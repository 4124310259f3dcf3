"""Applying a plan, all or nothing, and the codebook changelog (``ontology/CHANGELOG.md``) it adds to."""

from __future__ import annotations

import contextlib
import datetime as _dt
import getpass
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from verlicht.coding.refactor.plan import Plan
from verlicht.errors import CodingError, Location
from verlicht.fsio import folder_lock, replace_all
from verlicht.workspace import Layout

CHANGELOG = "CHANGELOG.md"
CHANGELOG_HEADING = (
    "# Codebook changelog\n\n"
    "Every codebook refactor (`verlicht codebook rename|merge|retype`) adds an entry here: when, what, who,\n"
    "how much changed and why. Written by VERLICHT; keep it under version control with the codebook.\n"
)


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
