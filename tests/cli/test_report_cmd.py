"""`verlicht report`: a thin shell over Workspace.report, rows as table/json/csv, errors as one line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from helpers import run


def test_report_lists_the_pages_written(mini: Path):
    run("build", workspace=mini)
    code, out, err = run("report", "--format", "json", workspace=mini)
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert [r["page"] for r in rows] == ["index", "bestuurders", "professionals", "bewoners", "lacunes"]
    assert rows[0]["path"] == "graphs/report/index.html"
    assert rows[0]["bytes"] == (mini / "graphs" / "report" / "index.html").stat().st_size


def test_report_to_another_folder_in_english_as_csv(mini: Path, tmp_path: Path):
    run("build", workspace=mini)
    code, out, _ = run("report", "--out", str(tmp_path / "site"), "--lang", "en", "--format", "csv", workspace=mini)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[3] == {"page": "bewoners", "path": str(tmp_path / "site" / "bewoners.html"),
                       "bytes": rows[3]["bytes"], "title": "What people say about the neighbourhood"}
    assert '<html lang="en">' in (tmp_path / "site" / "bewoners.html").read_text(encoding="utf-8")


def test_report_table_when_piped(mini: Path):
    run("build", workspace=mini)
    code, out, _ = run("report", workspace=mini)
    assert code == 0
    assert out.splitlines()[0].split() == ["page", "path", "bytes", "title"]
    assert "graphs/report/bewoners.html" in out


def test_report_before_any_build_builds_first_and_says_so(mini: Path):
    code, _, err = run("report", workspace=mini)
    assert code == 0, err
    assert "building the graph first" in err
    assert (mini / "graphs" / "verlicht.json").exists() and (mini / "graphs" / "report" / "bewoners.html").exists()


def test_report_out_that_is_a_file_is_refused(mini: Path, tmp_path: Path):
    run("build", workspace=mini)
    target = tmp_path / "taken"
    target.write_text("mine", encoding="utf-8")
    code, _, err = run("report", "--out", str(target), workspace=mini)
    assert code == 1
    assert "is a file, not a folder — give --out a folder" in err
    assert target.read_text(encoding="utf-8") == "mine"


def test_report_unknown_language_is_a_usage_error(mini: Path):
    code, _, err = run("report", "--lang", "de", workspace=mini)
    assert code == 1
    assert "'de' is not one of 'nl', 'en'" in err and "see 'verlicht report --help'" in err


def test_report_open_launches_the_index_page(mini: Path, monkeypatch):
    launched = []
    monkeypatch.setattr("click.launch", lambda url, **kw: launched.append(url) or 0)
    run("build", workspace=mini)
    code, _, _ = run("report", "--open", workspace=mini)
    assert code == 0
    assert launched == [str(mini / "graphs" / "report" / "index.html")]


def test_report_for_an_unknown_area_is_one_line_error(mini: Path):
    run("build", workspace=mini)
    code, _, err = run("report", "--area", "nergens", workspace=mini)
    assert code == 1
    assert err == "error: unknown area 'nergens' — use an area id, e.g. heerlen_noord\n"
    assert not (mini / "graphs" / "report").exists()
