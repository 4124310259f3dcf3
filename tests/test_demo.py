"""The demo workspace this repository is: it must build cleanly and show real gaps."""

from __future__ import annotations

import csv
import io
import json
import re

from helpers import run

import verlicht
from verlicht.graph.schema import GROUPS


def test_demo_builds_without_warnings_and_shows_real_gaps(demo):
    ws = verlicht.open(demo)
    report = ws.build(strict=True)
    assert report.warnings == []
    assert report.counts["sources"] >= 8
    assert report.counts["indicators"] >= 15
    gaps = ws.gaps()
    assert {r["coverage"] for r in gaps} == {"partial", "unmeasured"}
    assert gaps[0]["support"] >= 3
    coverage = {r["coverage"] for r in ws.gaps(all=True)}
    assert coverage == {"tested", "measurable", "partial", "unmeasured"}


def test_demo_has_every_group_from_at_least_three_wijken(demo):
    ws = verlicht.open(demo)
    ws.build()
    respondents = [n for n in ws.graph.of_kind("Respondent") if n["group"] in GROUPS]
    assert {r["group"] for r in respondents} == set(GROUPS)
    wijken = {e["target"] for e in ws.graph.edges_of("IN_AREA") if e["source"].startswith("respondent:")}
    assert len(wijken - {"area:heerlen_noord"}) >= 3


def test_demo_interviews_are_coded_with_uids_on_every_utterance(demo):
    for path in sorted((demo / "interviews").glob("*.rock")):
        source = verlicht.rock.read_source(path)
        assert all(u.uid for u in source.utterances), path.name
        assert sum(len(u.network) for u in source.utterances) >= 8, path.name


def test_demo_interviews_say_they_are_fictional(demo):
    for path in sorted((demo / "interviews").glob("*.rock")):
        assert re.search(r"fictie|fictief|fictional", path.read_text(encoding="utf-8"), re.I), path.name


def test_demo_from_the_command_line(demo):
    """`make demo` in miniature: build, the gap report as CSV, evidence for its top row."""
    code, out, err = run("build", workspace=demo)
    assert (code, err) == (0, "")
    assert "12 sources" in out
    code, out, _ = run("gaps", "--format", "csv", workspace=demo)
    rows = list(csv.DictReader(io.StringIO(out)))
    top = rows[0]
    assert (top["cause"], top["effect"], top["polarity"], top["coverage"], top["support"]) == (
        "verloop_bewoners", "sociale_cohesie", "-", "partial", "5")
    code, out, _ = run("query", "evidence", "verloop_bewoners->sociale_cohesie", "--format", "json",
                       workspace=demo)
    quotes = json.loads(out)
    assert code == 0
    assert len({q["respondent"] for q in quotes}) == 5
    assert all(q["text"] and q["source"].startswith("interviews/r") for q in quotes)
    code, out, _ = run("query", "paths", "goedkope_woningen", "druk_op_voorzieningen", "--format", "json",
                       workspace=demo)
    assert code == 0
    assert json.loads(out)[0]["path"] == ["goedkope_woningen", "instroom_kwetsbaren", "druk_op_voorzieningen"]


def test_demo_graph_is_byte_identical_when_built_twice(demo, tmp_path):
    import shutil

    run("build", workspace=demo)
    first = (demo / "graphs" / "verlicht.json").read_bytes()
    again = tmp_path / "again"
    shutil.copytree(demo, again, ignore=shutil.ignore_patterns("graphs"), copy_function=shutil.copyfile)
    run("build", workspace=again)
    assert (again / "graphs" / "verlicht.json").read_bytes() == first
    assert (again / "graphs" / "evidence.json").read_bytes() == (demo / "graphs" / "evidence.json").read_bytes()
