"""What ``verlicht export --list`` and ``verlicht sparql`` (without a query) show, as API calls.

The exporters themselves are reached through :meth:`verlicht.api.Workspace.export`; this module gives the
commands (and notebooks) the registry's listing and look-ups without importing :mod:`verlicht.interop`
themselves, and lists the canned SPARQL queries (:class:`InteropMethods`, mixed into ``Workspace``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def export_formats() -> list[dict[str, Any]]:
    """A row per registered export format: name, suffix, whether it writes files or a stream, and what it is."""
    from verlicht.interop.registry import exporters

    return [{"format": e.name, "suffix": e.suffix, "writes": "files" if e.to_path else "a file or stdout",
             "description": e.help} for e in exporters().values()]


def export_format_names() -> tuple[str, ...]:
    """The registered export formats' names (looked up when asked: the registry loads its plugins)."""
    from verlicht.interop.registry import exporters

    return tuple(exporters())


def exporter(name: str) -> Any:
    """The registered exporter ``name`` (its ``suffix``, ``binary``, ``to_path``), or a located ExportError."""
    from verlicht.interop.registry import get_exporter

    return get_exporter(name)


def guess_export_format(path: str | Path) -> str | None:
    """The export format a file name's suffix stands for (``.ttl`` → ttl), or None."""
    from verlicht.interop.registry import guess_format

    return guess_format(path)


def first_sentence(query: str) -> str:
    """The first sentence of a query file's opening comment: what the query answers.

    >>> first_sentence("# Gaps: assumptions\\n# without indicators.\\nSELECT ?a WHERE {}")
    'Gaps: assumptions without indicators.'
    """
    words = []
    for line in query.splitlines():
        if not line.startswith("#"):
            break
        words.append(line.lstrip("#").strip())
        if words[-1].endswith((".", ":")):
            break
    return " ".join(words).rstrip(":")


class InteropMethods:
    """Linked-data listings (mixed into ``Workspace``)."""

    def sparql_queries(self) -> list[dict[str, Any]]:
        """The canned SPARQL queries (the workspace's ontology/queries over VERLICHT's): name, file, what it
        answers; as `verlicht sparql --format json` without a query."""
        from verlicht.interop.sparql import canned_queries

        rows = []
        for name, file in canned_queries(self).items():
            first = first_sentence(file.read_text(encoding="utf-8"))
            shown = self.layout.shown(file) if file.is_relative_to(self.root) else f"(VERLICHT) {file.name}"
            rows.append({"query": name, "file": shown, "description": first})
        return rows
