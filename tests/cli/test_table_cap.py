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


def test_rows_left_out_by_the_caller_are_counted_and_the_shown_ones_drawn(capsys):
    render(ROWS[:TABLE_ROWS], "table", hidden=len(ROWS) - TABLE_ROWS)
    out, err = capsys.readouterr()
    assert "c0000" in out and "c0199" in out and "c0200" not in out
    assert "… and 57 more rows" in err


def test_gaps_and_query_tables_of_a_large_graph_show_200_rows_and_count_the_rest(tmp_path):
    """A workspace with more than 200 assumptions (the generator of bench/, 20 interviews): the table prints
    exactly the first 200 rows of the JSON answer, and says how many more there are."""
    import sys

    from helpers import REPO, run

    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate

    root = tmp_path / "ws"
    generate(root, 20, 60, uniform=True)
    for args in (["gaps"], ["query", "assumptions"]):
        code, out, _err = run(*args, "--format", "json", workspace=root)
        rows = [r for r in orjson.loads(out) if r.get("kind", "assumption") == "assumption"]
        assert code == 0 and len(rows) > TABLE_ROWS
        code, table, err = run(*args, workspace=root)
        lines = [line for line in table.splitlines() if line.strip()]
        assert code == 0 and len(lines) == 1 + TABLE_ROWS  # the header and 200 rows
        assert lines[1].split()[:2] == [rows[0]["cause"], rows[0]["effect"]]
        assert lines[-1].split()[:2] == [rows[TABLE_ROWS - 1]["cause"], rows[TABLE_ROWS - 1]["effect"]]
        assert f"… and {len(rows) - TABLE_ROWS:,} more rows" in err
