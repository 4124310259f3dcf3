"""ROCK round trip: build → export rock → build the exported workspace → the same graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import verlicht.api as api
from verlicht.interop.registry import get_exporter
from verlicht.interop.rockexport import _utterance
from verlicht.rock import parse_text, read_source


def _round_trip(workspace: Path, tmp_path: Path) -> tuple[Path, Path]:
    ws = api.open(workspace)
    ws.build()
    exported = tmp_path / "exported"
    get_exporter("rock").write(ws, exported)
    for item in workspace.iterdir():  # everything but the interviews and the build outputs
        if item.name not in ("interviews", "graphs"):
            (shutil.copytree if item.is_dir() else shutil.copyfile)(item, exported / item.name)
    api.open(exported).build()
    return workspace / "graphs", exported / "graphs"


def _graph(folder: Path) -> dict:
    data = orjson.loads((folder / "verlicht.json").read_bytes())
    for node in data["nodes"]:
        if node["kind"] == "Source":
            node.pop("sha256")  # the bytes differ (comments are not in the build); the content is the same
    return data


@pytest.mark.parametrize("name", ["demo", "mini", "gapcase"])
def test_export_rock_rebuilds_to_the_same_graph_evidence_and_provenance(name, request, tmp_path):
    workspace = request.getfixturevalue(name)
    before, after = _round_trip(workspace, tmp_path)
    assert _graph(after) == _graph(before)
    assert (after / "evidence.json").read_bytes() == (before / "evidence.json").read_bytes()
    provenance = sorted(p.name for p in (before / "provenance").iterdir())
    assert provenance == sorted(p.name for p in (after / "provenance").iterdir())
    for file in provenance:
        assert (after / "provenance" / file).read_bytes() == (before / "provenance" / file).read_bytes()


def test_exported_sources_are_valid_rock_with_the_marker_and_case_attributes(demo, tmp_path):
    ws = api.open(demo)
    ws.build()
    get_exporter("rock").write(ws, tmp_path / "out")
    source = read_source(tmp_path / "out" / "interviews" / "r01.rock")
    assert not source.warnings
    text = (tmp_path / "out" / "interviews" / "r01.rock").read_text()
    assert text.splitlines()[:4] == [
        "---",
        "VERLICHT_anonymised: {tool: verlicht 0.1.0, input: verlicht export --format rock, "
        "pipeline: 'none: written from an anonymised build'}",
        "ROCK_attributes: [{caseId: I01, role: interviewer, group: interviewer}, "
        "{caseId: R01, role: bewoner, group: bewoner, wijk: Vrieheide, area: vrieheide}]",
        "---",
    ]
    line = ("[[uid=7daxz5wr]] [[cid=R01]] Ja, weet je, de huizen hier zijn goedkoop. Wie nergens anders terecht "
            "kan, heeft hier binnen een week iets. [[wonen>instroom]] "
            "[[goedkope_woningen->instroom_kwetsbaren||causal_pos]]")
    assert text.splitlines()[27] == line  # line 28, as in the original
    first = get_exporter("rock").write(ws, tmp_path / "again")
    assert (first / "interviews" / "r01.rock").read_bytes() == text.encode()


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(blacklist_characters="[]\n\r", blacklist_categories=("Cs", "Cc")), min_size=1,
                    max_size=60).map(lambda t: " ".join(t.split()))  # as the reader gives utterance text:
       .filter(lambda t: t and not t.startswith("~")),  # spaces collapsed, a leading ~ read as nesting
       codes=st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,8}(>[a-z][a-z0-9_]{0,8})?", fullmatch=True), max_size=3),
       network=st.lists(st.tuples(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True),
                                  st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True),
                                  st.sampled_from(["causal_pos", "causal_neg", "collaborates"])), max_size=2),
       nesting=st.integers(0, 2))
def test_an_exported_utterance_reads_back_with_its_text_codes_and_network_codes(text, codes, network, nesting):
    row = {"uid": "u1", "cid": "R1", "text": text, "codes": codes, "nesting": nesting,
           "network": [f"{a}->{b}||{t}" for a, b, t in network]}
    line = _utterance(row, {})
    source = parse_text(line + "\n", "x.rock")
    assert len(source.utterances) == 1
    u = source.utterances[0]
    assert (u.text, u.uid, u.case_id, u.nesting) == (text, "u1", "R1", nesting)
    assert [c.id for c in u.codes] == codes
    assert [(n.source, n.target, n.type) for n in u.network] == network


@pytest.mark.parametrize("seed", [3, 11])
def test_a_generated_workspace_rebuilds_to_the_same_graph_from_its_rock_export(tmp_path, seed):
    generate = _bench_generate()
    workspace = tmp_path / "generated"
    generate(workspace, interviews=6, utterances=60, concepts=30, seed=seed)
    before, after = _round_trip(workspace, tmp_path)
    assert _graph(after) == _graph(before)
    assert len(_graph(before)["nodes"]) > 50
    assert (after / "evidence.json").read_bytes() == (before / "evidence.json").read_bytes()


def _bench_generate():
    """bench/generate.py's ``generate``, loaded from its file: bench/ on sys.path would put its scripts
    before the installed packages for every later test."""
    import importlib.util

    from helpers import REPO

    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate
