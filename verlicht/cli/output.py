"""Render rows as a table (rich on a terminal, plain when piped), JSON or CSV."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Sequence
from operator import itemgetter
from typing import Any

import click
import orjson

from verlicht.gcpause import gc_paused, keep

FORMATS = ("table", "json", "csv")
format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help="Output as a table, JSON (all fields) or CSV.",
)


_TEXT_OR_INT = frozenset((str, int))  # what str() gives as flat() would (not bool: that is yes/no)


def flat(value: Any) -> str:
    """One cell of text for nested values: lists joined by ';', mappings as 'key: a;b'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        kinds = set(map(type, value))
        if kinds <= _TEXT_OR_INT:  # text (holders, indicators) or goal numbers: no call per item
            return ";".join(value if int not in kinds else map(str, value))
        return ";".join([flat(v) for v in value])
    if isinstance(value, dict):
        return " | ".join(f"{k}: {flat(v)}" for k, v in value.items() if v not in (None, [], {}))
    return str(value)


# What the csv module writes as flat() does: text as it is, a whole number in digits, None as nothing (a bool,
# which flat() writes yes/no, is not one of them: its type is bool).
_CSV_NATIVE = frozenset((str, int, type(None)))


def csv_cells(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> list[Sequence[Any]]:
    """Each row's cells of ``columns``, for the csv module to write as flat() would write them.

    A million cells at the worst case: a row whose cells are all text, whole numbers or None (commands make
    their lists and flags text first, see ``verlicht gaps``) goes as it is, picked in one call; any other row
    gets flat() for each cell, its common cases inline.

    >>> csv_cells([{"a": "x", "b": 2}, {"a": [1, 2], "b": True}, {"a": None}], ["a", "b"])
    [('x', 2), ['1;2', 'yes'], ['', '']]
    """
    pick = itemgetter(*columns) if len(columns) > 1 else None  # one column: itemgetter gives no tuple
    native = _CSV_NATIVE
    text = str
    cells: list[Sequence[Any]] = []
    for row in rows:
        if pick is not None:
            try:
                values = pick(row)
            except KeyError:  # a column the row lacks: an empty cell, below
                pass
            else:
                if native.issuperset(map(type, values)):
                    cells.append(values)
                    continue
        cells.append([v if v.__class__ is text else "" if v is None else str(v) if v.__class__ is int
                      else flat(v) for v in map(row.get, columns)])
    return cells


# A table shows this many rows at most: drawing tens of thousands of rows as a table takes a minute and reads
# as nothing; JSON and CSV always carry every row.
TABLE_ROWS = 200


JSON_CHUNK = 1000  # rows per piece of JSON output


def json_chunks(rows: Sequence[dict[str, Any]], size: int = JSON_CHUNK) -> Iterator[bytes]:
    """The bytes of ``orjson.dumps(list(rows), option=OPT_INDENT_2) + b"\\n"``, a piece at a time: 40,000 rows
    are 34 MB of JSON, and the process need not hold it all at once (nor copy it to add the newline).

    >>> rows = [{"a": [1, 2]}, {}, {"b": None}]
    >>> b"".join(json_chunks(rows, size=2)) == orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\\n"
    True
    """
    if not rows:
        yield b"[]\n"
        return
    yield b"[\n"
    for start in range(0, len(rows), size):
        piece = orjson.dumps(list(rows[start:start + size]), option=orjson.OPT_INDENT_2)
        # the elements of a list of length n, each indented by two: "[\n" + elements + "\n]"
        yield (b",\n" if start else b"") + piece[2:-2]
    yield b"\n]\n"


def render(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None,
           title: str | None = None, table_rows: int | None = TABLE_ROWS, hidden: int = 0) -> None:
    """Write rows to stdout; ``columns`` picks and orders the table/CSV columns (JSON keeps all).

    A table stops after ``table_rows`` rows (None: no cap) and says on stderr how many more there are, counting
    ``hidden`` rows the caller left out already (so that it need not prepare cells for rows nobody sees).
    """
    with gc_paused():  # rows of a whole graph: the collector would walk it again and again for nothing
        _render(keep(rows), fmt, columns, title, table_rows, hidden)


def _render(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None, title: str | None,
            table_rows: int | None, hidden: int = 0) -> None:
    if fmt == "json":
        binary = getattr(sys.stdout, "buffer", None)
        if binary is None:
            sys.stdout.write(b"".join(json_chunks(rows)).decode())
        else:  # orjson's UTF-8 as it is: decoding and encoding again costs as much as writing tens of MB
            sys.stdout.flush()
            if len(rows) <= JSON_CHUNK:  # one write, as ever
                binary.write(b"".join(json_chunks(rows)))
            else:
                for chunk in json_chunks(rows):
                    binary.write(chunk)
            binary.flush()
        return
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(csv_cells(rows, columns))
        sys.stdout.write(buffer.getvalue())
        return
    from rich import box  # only tables need rich: JSON and CSV start faster without it
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False)
    terminal = console.is_terminal
    table = Table(title=title if terminal else None, box=box.SIMPLE_HEAD if terminal else None,
                  show_edge=False, pad_edge=False, highlight=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    cut = len(rows) - table_rows if table_rows is not None and len(rows) > table_rows else 0
    more = cut + hidden
    for row in rows[: len(rows) - cut]:
        table.add_row(*(flat(row.get(c)) for c in columns))
    if not rows:
        click.echo("(no rows)", err=True)
        return
    if terminal:
        console.print(table)
        _say_more(more)
        return
    # Piped: plain text, without the padding rich gives the last column (it only gets in the way of grep and diff).
    plain = Console(width=max(80, 40 * len(columns)), soft_wrap=True, no_color=True, file=io.StringIO())
    plain.print(table)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in plain.file.getvalue().splitlines()))
    _say_more(more)


def _say_more(more: int) -> None:
    if more:
        click.echo(f"… and {more:,} more rows — use --limit N to choose how many, or --format csv|json for all",
                   err=True)
