"""Compatibility with the R package rock: its own example sources read as rock reads them.

The sources are rock's ``inst/extdata`` examples, unchanged (see
tests/data/rock/upstream/README.md). They are third-party files and are not
kept in git: copy them into that folder, or point ``VERLICHT_ROCK_EXAMPLES``
at a folder holding them, and these tests run; without them they are skipped.
Our own sources in tests/data/rock/ cover the same conventions in test_reader.py.
Every one must read without error; for the ones that show a feature, a few
facts pin what rock would extract.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from verlicht.rock import Source, read_source

UPSTREAM = Path(os.environ.get("VERLICHT_ROCK_EXAMPLES") or Path(__file__).parent.parent / "data" / "rock" / "upstream")
SOURCES = sorted(UPSTREAM.glob("*.rock"))

pytestmark = pytest.mark.skipif(
    not SOURCES, reason="rock's example sources are not here (see tests/data/rock/upstream/README.md)"
)


def read(name: str) -> Source:
    return read_source(UPSTREAM / name)


def by_line(source: Source) -> dict:
    return {u.line: u for u in source.utterances}


def test_all_of_rocks_examples_are_present():
    # 20 in inst/extdata plus 6 in inst/extdata/streams.
    assert len(SOURCES) == 26
    assert len([p for p in SOURCES if p.name.startswith("streams_")]) == 6


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_every_upstream_source_reads_without_error(path):
    source = read_source(path)
    assert source.lines > 0
    assert source.utterances or source.fragments or source.sections


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_upstream_sources_only_warn_about_video_timestamps(path):
    # rock itself matches [[ts=00:00:05]] with none of its patterns (':' is no identifier character).
    source = read_source(path)
    assert all("[[ts=" in w.message for w in source.warnings)
    assert bool(source.warnings) == (path.name == "video-stream-example.rock")


def test_network_example_has_twelve_network_codes_starting_with_tired_cranky():
    network = [n for u in read("network-example-1.rock").utterances for n in u.network]
    assert len(network) == 12
    first = network[0]
    assert (first.source, first.target, first.type, first.weight) == ("tired", "cranky", "causal_pos", 1)
    assert (read("network-example-1.rock").utterances[0].line, first.col) == (21, 37)


def test_network_example_keeps_two_codes_on_one_line():
    line = by_line(read("network-example-1.rock"))[29]
    assert [(n.source, n.target, n.type) for n in line.network] == [
        ("warmWeather", "weather", "structural"),
        ("warmWeather", "hungry", "causal_neg"),
    ]
    assert line.text == "For example, if it's very warm, I get much less hungry."


def test_network_example_declares_edge_types_in_rock_network():
    types = read("network-example-1.rock").edge_types
    assert set(types) == {"causal", "causal_pos", "causal_neg", "structural"}
    assert types["structural"] == {"color": "blue", "style": "dashed", "arrowhead": "invempty"}
    assert types["causal_pos"] == {"color": "#00BB00"}


def test_network_example_2_declares_edge_types_in_rock_aesthetics():
    source = read("network-example-2.rock")
    assert set(source.edge_types) == {"causal", "causal_pos", "causal_neg", "structural"}
    assert len([n for u in source.utterances for n in u.network]) == 12


def test_attributes_example_gives_case_attributes_keyed_by_text():
    source = read("attributes.rock")
    assert source.attributes == {
        "1": {"sex": "female", "age": "50s"},
        "2": {"sex": "male", "age": "30s"},
        "3": {"sex": "female", "age": "40s"},
    }
    assert source.utterances == []


def test_example_1_nesting_levels_come_from_tildes():
    lines = by_line(read("example-1.rock"))
    nesting = {n: lines[n].nesting for n in (15, 17, 18, 19, 21, 22, 24, 25, 26, 27, 41, 42, 44)}
    assert nesting == {15: 0, 17: 0, 18: 1, 19: 1, 21: 1, 22: 2, 24: 3, 25: 3, 26: 1, 27: 2, 41: 1, 42: 2, 44: 1}
    assert lines[24].text == "It was popularised in"
    assert 20 not in lines  # a line holding only "~" is no utterance


def test_example_1_code_values_keep_their_text():
    lines = by_line(read("example-1.rock"))
    assert [(v.code, v.value) for v in lines[19].values] == [("intensity", "2")]
    assert [(v.code, v.value) for v in lines[60].values] == [("funness", "-4.3"), ("intensity", "3.9")]
    assert [(v.code, v.value) for v in lines[58].values] == [("funness", "1000")]


def test_example_1_hierarchy_codes_split_on_greater_than():
    lines = by_line(read("example-1.rock"))
    [code] = lines[15].codes
    assert code.path == ("parentCode1", "childCode1")
    assert (code.id, code.leaf, code.col) == ("parentCode1>childCode1", "childCode1", 76)
    assert lines[38].codes[0].path == ("parentCode1", "childCode1", "grandchildCode1")
    assert [c.id for c in lines[19].codes] == ["parentCode1>childCode2", "childCode1"]


def test_example_1_section_breaks_number_the_sections():
    source = read("example-1.rock")
    assert [(b.line, b.name) for b in source.sections] == [
        (29, "paragraph_break"),
        (50, "paragraph_break"),
        (69, "paragraph_break"),
        (76, "paragraph_break"),
    ]
    lines = by_line(source)
    assert [lines[n].section for n in (27, 31, 52, 71, 78)] == [0, 1, 2, 3, 4]


def test_example_1_case_id_and_uids():
    lines = by_line(read("example-1.rock"))
    assert {u.case_id for u in lines.values()} == {"1"}
    assert [lines[n].uid for n in (80, 81, 82, 83)] == ["73xk6950", "73xk6951", "73xk6952", None]


def test_example_1_yaml_fragments_and_declared_codes():
    source = read("example-1.rock")
    assert [f.line for f in source.fragments] == [1, 91, 105, 112]
    assert source.attributes == {}  # its first fragment is 'metadata', not ROCK_attributes
    # rock's get_deductive_code_values collects every 'id', children included.
    assert source.declared_codes == {"moreCodes", "moreChildCodes1", "moreChildCodes2", "parentCode1"}
    assert source.edge_types == {"default": {"color": "red", "arrowhead": "diamond"}}


def test_example_2_uid_before_tilde_still_nests():
    # rock counts nesting after removing uids, so '[[uid=…]] ~text' (as rock's
    # prepend_ids_to_source writes it) is nested.
    lines = by_line(read("example-2.rock"))
    assert [(lines[n].uid, lines[n].nesting) for n in (16, 17, 21, 22, 23, 24)] == [
        ("7ghf8017", 0),
        ("7ghf8018", 1),
        ("7ghf801d", 1),
        ("7ghf801f", 2),
        ("7ghf801g", 2),
        ("7ghf801h", 1),
    ]
    assert lines[22].text == "Praesent ac neque sit amet neque vehicula euismod."


def test_kristina_example_declares_nested_codes_in_rock_codes():
    source = read("kristina-example-1.rock")
    assert source.declared_codes == {"abuse", "physical", "emotional", "dissonance", "loss"}
    used = {c.id for u in source.utterances for c in u.codes}
    assert {"abuse>physical", "abuse>emotional", "dissonance", "loss"} <= used


def test_merging_primary_uids_are_read_in_order():
    source = read("merging-test-1-primary.rock")
    uids = [u.uid for u in source.utterances]
    assert len(uids) == 20 == len(set(uids))
    assert (uids[0], uids[-1]) == ("7d8m728p", "7d8m729f")
    assert by_line(source)[3].text == "Cras et tincidunt orci."


def test_merging_primary_sections_and_hierarchy():
    source = read("merging-test-1-primary.rock")
    assert [b.name for b in source.sections] == [
        "paragraph_break",
        "some_section_break",
        "paragraph_break",
        "some_section_break",
    ]
    assert [c.id for c in by_line(source)[15].codes] == ["code2", "code3", "code2>code4"]


def test_merging_secondary_shares_uids_with_primary():
    primary = {u.uid for u in read("merging-test-1-primary.rock").utterances}
    secondary = {u.uid for u in read("merging-test-1-secondary.rock").utterances}
    assert secondary <= primary


def test_state_example_class_instances_persist_until_changed():
    lines = by_line(read("state-example-1.rock"))
    states = {n: lines[n].ids["state"] for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 14, 15, 27)}
    assert states == {1: "A", 2: "A", 3: "A", 4: "A", 5: "A", 6: "B", 7: "C", 8: "C", 9: "A", 14: "C", 15: "C", 27: "B"}
    assert 13 not in lines  # empty line
    assert len(lines) == 26


def test_anchor_example_reads_anchors_and_case_id():
    source = read("anchor-example-1.rock")
    anchored = [(u.line, u.anchors) for u in source.utterances if u.anchors]
    assert anchored == [
        (4, ["2022-11-26 21:01:00.000 CET (UTC+1)"]),
        (8, ["2022-11-26 21:02:00.000 CET (UTC+1)"]),
        (13, ["2022-11-26 21:19:03.000 CET (UTC+1)"]),
    ]
    assert {u.case_id for u in source.utterances} == {"case1"}
    assert source.utterances[0].ids == {"sourceId": "source1", "streamId": "streamA", "caseId": "case1"}


def test_ci_example_reads_cognitive_interview_codes_and_comments():
    source = read("ci_example_1.rock")
    ci = [(u.line, c.id, c.namespace) for u in source.utterances for c in u.codes]
    assert ci == [
        (8, "understanding", "ci"),
        (10, "retrieval", "ci"),
        (16, "content_adequacy", "ci"),
        (18, "understanding", "ci"),
    ]
    assert source.comments == 3  # the '###---' lines
    assert by_line(source)[8].ids == {"cid": "1", "uiid": "familySize_7djdy62d"}


def test_simple_rpe_example_counts_comment_lines_and_item_breaks():
    source = read("simple-rpe-example.rock")
    assert source.comments == 33
    assert [b.name for b in source.sections] == ["item_break"] * 6
    # The identifier-only line 9 is no utterance, but its five ids carry over to the item text.
    item = by_line(source)[13]
    assert item.ids == {
        "iterId": "1",
        "batchId": "2",
        "popId": "nl",
        "caseId": "1",
        "coderId": "coder1",
        "uiid": "item1",
    }


def test_stream_sources_carry_source_and_stream_ids():
    streams = (("streams_Source1_StreamA.rock", "anchor_1x"), ("streams_Source2_StreamC.rock", "anchor_1y"))
    for name, first_anchor in streams:
        source = read(name)
        stream = "stream" + name[-6]  # streams_Source1_StreamA.rock -> streamA
        assert {u.ids["streamId"] for u in source.utterances} == {stream}
        assert {u.ids["sourceId"] for u in source.utterances} == {"source" + name[14]}
        assert next(a for u in source.utterances for a in u.anchors) == first_anchor


def test_codes_only_and_section_break_only_examples():
    codes_only = read("example-2---codes-only.rock")
    first = codes_only.utterances[0]
    assert (first.text, first.codes[0].id) == ("", "parentCode>childCode")
    breaks = read("example-2---section-break.rock")
    assert (breaks.utterances, [b.name for b in breaks.sections]) == ([], ["paragraph_break"])
