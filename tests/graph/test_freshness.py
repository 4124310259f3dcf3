"""Queries answer from the files as they are: after `link` or `code add`, `gaps`, `query` and `stats` (and the
notebook API) build first, saying so in one line; a broken input then fails the query as the build fails."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import run

import verlicht
from verlicht.errors import VerlichtError
from verlicht.graph.freshness import STAMP_FILE, describe, ensure_fresh, input_stamps, stale_inputs
from verlicht.workspace import init_workspace, open_layout

REBUILD = "verlicht: {} changed since the last build; building the graph first"
CLAIM = "verloop_bewoners->sociale_cohesie"


@pytest.fixture
def tutorial(tmp_path: Path) -> Path:
    """The five-minute tutorial's workspace, built once."""
    root = init_workspace(tmp_path / "wijkstudie")
    assert run("build", "-q", workspace=root)[0] == 0
    return root


def gap_pairs(out: str) -> list[str]:
    return [f"{r['cause']}->{r['effect']}:{r['coverage']}" for r in json.loads(out) if r["kind"] == "assumption"]


def test_tutorial_code_then_link_closes_the_gap_without_an_explicit_build(tutorial):
    code, _out, err = run("code", "add", str(tutorial / "interviews" / "voorbeeld.rock"), "--uid", "7dq0bx02",
                          f"{CLAIM}||causal_neg", workspace=tutorial)
    assert code == 0, err
    code, out, err = run("gaps", "--format", "json", workspace=tutorial)
    assert code == 0
    assert err.splitlines() == [REBUILD.format("interviews/voorbeeld.rock")]
    assert f"{CLAIM}:partial" in gap_pairs(out)
    # Add an indicator that measures sociale_cohesie, and the gap closes.
    assert run("link", "inwoners", "--measures", "sociale_cohesie", workspace=tutorial)[0] == 0
    code, out, err = run("gaps", "--format", "json", workspace=tutorial)
    assert err.splitlines() == [REBUILD.format("indicators/indicators.csv")]
    assert not any(pair.startswith(CLAIM) for pair in gap_pairs(out))
    # Nothing changed since: no line, the same answer.
    code, again, err = run("gaps", "--format", "json", workspace=tutorial)
    assert (code, err, again) == (0, "", out)


def test_code_add_shows_in_query_and_stats(tutorial):
    source = str(tutorial / "interviews" / "voorbeeld.rock")
    assert run("code", "add", source, "--uid", "7dq0bx02", f"{CLAIM}||causal_neg", workspace=tutorial)[0] == 0
    code, out, err = run("query", "assumptions", "--format", "json", workspace=tutorial)
    assert code == 0 and err.startswith("verlicht: interviews/voorbeeld.rock changed")
    assert [f"{r['cause']}->{r['effect']}" for r in json.loads(out)] == [
        "goedkope_woningen->instroom_kwetsbaren", CLAIM]
    code, out, err = run("query", "evidence", CLAIM, "--format", "json", workspace=tutorial)
    assert err == "" and [(r["line"], r["uid"]) for r in json.loads(out)] == [(24, "7dq0bx02")]
    assert run("code", "remove", str(tutorial / "interviews" / "voorbeeld.rock"), "--uid", "7dq0bx02", CLAIM,
               workspace=tutorial)[0] == 0
    code, out, err = run("stats", "--format", "json", workspace=tutorial)
    assert err == REBUILD.format("interviews/voorbeeld.rock") + "\n"
    assert {r["metric"]: r["value"] for r in json.loads(out)}["assumptions"] == 1


def test_notebook_queries_build_first_and_can_be_told_not_to(tutorial):
    lines: list[str] = []
    ws = verlicht.open(tutorial)
    ws.notify = lines.append
    assert ws.stats()  # up to date: nothing said
    assert lines == []
    pinned = verlicht.open(tutorial, auto_build=False)
    assert run("link", "inwoners", "--measures", "goedkope_woningen", workspace=tutorial)[0] == 0
    before = [r for r in pinned.concepts() if r["code"] == "goedkope_woningen"]
    assert before[0]["measured_by"] == []  # the last built graph, as asked
    after = [r for r in ws.concepts() if r["code"] == "goedkope_woningen"]
    assert after[0]["measured_by"] == ["inwoners"]
    assert lines == ["indicators/indicators.csv changed since the last build; building the graph first"]
    assert [r["coverage"] for r in ws.gaps(kind="assumptions", all=True)] == ["partial"]


def test_query_concepts_with_a_broken_codebook_exits_1_with_the_located_error(tutorial):
    book = tutorial / "ontology" / "codebook.yaml"
    book.write_text(book.read_text(encoding="utf-8").replace("    type: factor\n", "    type: [factor\n", 1),
                    encoding="utf-8")
    graph_before = (tutorial / "graphs" / "verlicht.json").read_bytes()
    code, out, err = run("query", "concepts", workspace=tutorial)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == REBUILD.format("ontology/codebook.yaml")
    assert lines[1].startswith("error: ontology/codebook.yaml:9:10: YAML does not parse")
    assert len(lines) == 2
    assert (tutorial / "graphs" / "verlicht.json").read_bytes() == graph_before
    # The notebook raises the build's error too.
    with pytest.raises(VerlichtError, match=r"ontology/codebook\.yaml:9:10:"):
        verlicht.open(tutorial).concepts()


def test_a_workspace_never_built_is_built_by_its_first_query(tmp_path):
    root = init_workspace(tmp_path / "ws")
    code, out, err = run("stats", "--format", "json", workspace=root)
    assert code == 0
    assert err == "verlicht: no graph built yet; building the graph first\n"
    assert {r["metric"]: r["value"] for r in json.loads(out)}["sources"] == 1


def test_stale_inputs_sees_added_removed_and_changed_files_but_not_hidden_or_build_outputs(tutorial):
    layout = open_layout(tutorial)
    assert stale_inputs(layout) == []
    (tutorial / "interviews" / ".voorbeeld.rock.abc.tmp").write_text("x", encoding="utf-8")  # an editor's
    (tutorial / "graphs" / "gaps.csv").write_text("x", encoding="utf-8")
    assert stale_inputs(layout) == []
    (tutorial / "reviews" / "menging").mkdir()
    (tutorial / "reviews" / "menging" / "protocol.yaml").write_text("x: 1\n", encoding="utf-8")
    logic = next((tutorial / "logic").glob("*.yaml"))
    logic.unlink()
    os.utime(tutorial / "verlicht.toml", ns=(1, 1))
    assert stale_inputs(layout) == [f"logic/{logic.name}", "reviews/menging/protocol.yaml", "verlicht.toml"]


def test_a_record_from_another_version_or_none_means_build_again(tutorial):
    layout = open_layout(tutorial)
    stamp = tutorial / "graphs" / STAMP_FILE
    data = json.loads(stamp.read_bytes())
    stamp.write_text(json.dumps({**data, "generator": "0.0.1"}), encoding="utf-8")
    assert stale_inputs(layout) == ["graphs/verlicht.json"]
    stamp.unlink()
    said: list[str] = []
    assert ensure_fresh(layout, lambda: "built", said.append) == "built"
    assert said == ["no record of the files the graph was built from; building the graph first"]


def test_stamps_are_size_and_time_of_every_input_file(tutorial):
    stamps = input_stamps(open_layout(tutorial))
    info = (tutorial / "interviews" / "voorbeeld.rock").stat()
    assert stamps["interviews/voorbeeld.rock"] == [info.st_mtime_ns, info.st_size]
    assert "verlicht.toml" in stamps and "ontology/codebook.yaml" in stamps
    assert not any(path.startswith("graphs/") for path in stamps)


def test_describe_names_few_files_and_counts_many():
    assert describe(["a", "b"]) == "2 files changed since the last build (a, b); building the graph first"
