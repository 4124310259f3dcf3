"""A table stops at 200 rows and says how many more there are; JSON and CSV carry every row."""

from __future__ import annotations

import orjson

from verlicht.cli.output import TABLE_ROWS, render

ROWS = [{"code": f"c{i:04d}", "uses": i} for i in range(TABLE_ROWS + 57)]


def test_a_long_table_shows_the_first_rows_and_names_the_rest(capsys):
    render(ROWS, "table")
    out, err = capsys.readouterr()
    assert "c0199" in out and "c0200" not in out
    assert "… and 57 more rows" in err and "--limit" in err


def test_json_and_csv_are_never_cut(capsys):
    render(ROWS, "json")
    assert len(orjson.loads(capsys.readouterr().out)) == len(ROWS)
    render(ROWS, "csv")
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == len(ROWS) + 1 and err == ""


def test_no_cap_when_asked(capsys):
    render(ROWS, "table", table_rows=None)
    out, err = capsys.readouterr()
    assert "c0256" in out and err == ""
