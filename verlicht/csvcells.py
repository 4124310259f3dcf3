"""Where each cell of a CSV text stands, so a tool can change one cell and leave every other byte alone.

Python's csv module gives values, not places; the catalogue edits (``verlicht link``, codebook refactors)
need the raw span of a cell, quotes included, to rewrite it in place (RFC 4180, as Python's csv reads it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Record:
    line: int  # first physical line, 1-based
    start: int
    end: int  # before the line end
    fields: list[tuple[int, int]]  # raw spans of the cells, quotes included


def records(text: str) -> list[Record]:
    """The CSV records of ``text`` with the raw span of every cell (RFC 4180, as Python's csv reads it)."""
    found: list[Record] = []
    pos, line, size = 0, 1, len(text)
    while pos < size:
        record = Record(line, pos, pos, [])
        while True:
            start = pos
            if pos < size and text[pos] == '"':
                pos += 1
                while pos < size:
                    if text[pos] == '"':
                        if pos + 1 < size and text[pos + 1] == '"':
                            pos += 2
                            continue
                        pos += 1
                        break
                    line += text[pos] == "\n"
                    pos += 1
            while pos < size and text[pos] not in ",\r\n":
                pos += 1
            record.fields.append((start, pos))
            if pos < size and text[pos] == ",":
                pos += 1
                continue
            break
        record.end = pos
        if text.startswith("\r\n", pos):
            pos += 2
        elif pos < size:
            pos += 1
        line += 1
        found.append(record)
    return found


def cell(text: str, span: tuple[int, int]) -> str:
    """The value of the cell at ``span``: quotes taken off, doubled quotes made single."""
    raw = text[span[0]:span[1]]
    if raw.startswith('"'):
        closing = raw.rfind('"')
        return raw[1:closing].replace('""', '"') + raw[closing + 1:] if closing > 0 else raw[1:]
    return raw
