"""The audit report of a run: every replacement with its context, as CSV and as an HTML page to read.

It holds the original text, so it is written next to the key (outside the
workspace), never into the workspace or git.
"""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

from verlicht.anonymise.rockout import Result
from verlicht.fsio import atomic_write_text

COLUMNS = ("input", "output", "line", "category", "pseudonym", "original", "detector", "before", "after")


def audit_rows(results: list[Result]) -> list[dict]:
    return [
        {"input": r.source, "output": r.output_name, "line": rep.line, "category": rep.category,
         "pseudonym": rep.pseudonym, "original": rep.original, "detector": rep.by,
         "before": rep.before, "after": rep.after}
        for r in results for rep in r.replacements
    ]


def write_audit(folder: Path, stem: str, results: list[Result]) -> tuple[Path, Path]:
    rows = audit_rows(results)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    csv_path, html_path, n = folder / f"{stem}.csv", folder / f"{stem}.html", 1
    while csv_path.exists() or html_path.exists():  # two runs in one second keep both reports
        n += 1
        csv_path, html_path = folder / f"{stem}-{n}.csv", folder / f"{stem}-{n}.html"
    atomic_write_text(csv_path, buffer.getvalue())
    atomic_write_text(html_path, _html(rows, results))
    return csv_path, html_path


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
