"""The demo workspace this repository is: it must build cleanly and show real gaps."""

from __future__ import annotations

import re

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
