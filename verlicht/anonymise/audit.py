"""The audit report of a run: every replacement with its context, as CSV and as an HTML page to read.

It holds the original text, so it is written next to the key (outside the
workspace), never into the workspace or git, readable by its owner only; ``verlicht key audit`` lists the
reports and ``--prune`` removes them once a run has been checked.
"""

from __future__ import annotations

import csv
import html
import io
import re
import time
from datetime import datetime
from pathlib import Path

from verlicht.anonymise.private import mode_of, tighten, write_private
from verlicht.anonymise.to_rock import Result

COLUMNS = ("input", "output", "line", "category", "pseudonym", "original", "detector", "before", "after")


def audit_rows(results: list[Result]) -> list[dict]:
    return [
        {"input": r.source, "output": r.output_name, "line": rep.line, "category": rep.category,
         "pseudonym": rep.pseudonym, "original": rep.original, "detector": rep.by,
         "before": rep.before, "after": rep.after}
        for r in results for rep in r.replacements
    ]


AUDIT_NAME = re.compile(r"audit-\d{8}-\d{6}(?:-\d+)?\.(?:csv|html)")  # the reports' names, and only theirs


def write_audit(folder: Path, stem: str, results: list[Result], folder_is_ours: bool = True) -> tuple[Path, Path]:
    """The run's report as CSV and HTML in ``folder``, owner-only (0600 in a 0700 folder, see
    :mod:`verlicht.anonymise.private`); earlier reports there that are readable by others are tightened."""
    rows = audit_rows(results)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    csv_path, html_path, n = folder / f"{stem}.csv", folder / f"{stem}.html", 1
    while csv_path.exists() or html_path.exists():  # two runs in one second keep both reports
        n += 1
        csv_path, html_path = folder / f"{stem}-{n}.csv", folder / f"{stem}-{n}.html"
    write_private(csv_path, buffer.getvalue().encode("utf-8"), folder_is_ours)
    write_private(html_path, _html(rows, results).encode("utf-8"), folder_is_ours)
    for earlier in audit_files(folder):
        tighten(earlier)
    return csv_path, html_path


def audit_files(folder: Path) -> list[Path]:
    """The audit reports in ``folder`` (files named as :func:`write_audit` names them; nothing else)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if AUDIT_NAME.fullmatch(p.name) and p.is_file())


def audit_reports(folder: Path, prune: bool = False, older_than: float | None = None,
                  now: float | None = None) -> list[dict]:
    """The audit reports in ``folder``: file, time written, size, permissions and status.

    With ``prune`` they are removed (only those older than ``older_than`` days, when given): the reports hold
    the original text and are needed only to check a run. Status is ``private`` (0600), ``open`` (others may
    read it: remove it, or run ``verlicht anonymise`` again, which tightens it), ``removed`` or ``kept``.
    Files in the folder that are not reports are never touched.
    """
    now = time.time() if now is None else now
    rows = []
    for path in audit_files(folder):
        info = path.stat()
        row = {"file": str(path), "written": datetime.fromtimestamp(info.st_mtime).isoformat(timespec="seconds"),
               "bytes": info.st_size, "mode": mode_of(path)}
        if prune:
            if older_than is None or now - info.st_mtime > older_than * 86400:
                path.unlink()
                row["status"] = "removed"
            else:
                row["status"] = "kept"
        else:
            row["status"] = "open" if int(row["mode"], 8) & 0o077 else "private"
        rows.append(row)
    return rows


def _html(rows: list[dict], results: list[Result]) -> str:
    e = html.escape
    summary = "".join(
        f"<tr><td>{e(r.source)}</td><td>{e(r.output_name)}</td><td>{r.utterances}</td>"
        f"<td>{len(r.replacements)}</td><td>{e(', '.join(f'{k} {v}' for k, v in r.counts().items()))}</td></tr>"
        for r in results
    )
    body = "".join(
        f"<tr><td>{e(row['output'])}:{row['line']}</td><td>{e(row['category'])}</td><td>{e(row['pseudonym'])}</td>"
        f"<td class=ctx>{e(row['before'])}<mark>{e(row['original'])}</mark>{e(row['after'])}</td>"
        f"<td>{e(row['detector'])}</td></tr>"
        for row in rows
    )
    return f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>VERLICHT — audit anonimisering</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 2rem; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }}
th {{ background: #f4f4f4; }}
td.ctx {{ font-family: ui-monospace, monospace; font-size: .9em; }}
mark {{ background: #ffe08a; }}
.warn {{ background: #fff4f4; border: 1px solid #e99; padding: .5rem 1rem; }}
</style></head><body>
<h1>Audit van de anonimisering</h1>
<p class="warn">Dit rapport bevat de oorspronkelijke, herleidbare tekst. Bewaar het bij de sleutel, buiten de
werkruimte en buiten git; verwijder het na controle.</p>
<h2>Bestanden</h2>
<table><tr><th>invoer</th><th>uitvoer</th><th>uitingen</th><th>vervangingen</th><th>per categorie</th></tr>
{summary}</table>
<h2>Vervangingen ({len(rows)})</h2>
<table><tr><th>regel</th><th>categorie</th><th>pseudoniem</th><th>context</th><th>gevonden door</th></tr>
{body}</table>
</body></html>
"""
