"""The anonymiser never gives a new respondent a case id that a source in the workspace (or the key) uses:
`verlicht init` writes an example source with R01, and the first real transcript must not become R01 too."""

from __future__ import annotations

import json
import shutil

import pytest
from anondata import TRANSCRIPTS
from helpers import run

from verlicht.anonymise.caseids import case_ids_in, next_free_case, taken_case_ids
from verlicht.anonymise.keystore import KeyStore
from verlicht.graph.build import build_graph
from verlicht.graph.store import load_graph
from verlicht.workspace import init_workspace, open_layout


@pytest.fixture
def workspace(tmp_path):
    return init_workspace(tmp_path / "ws")


def anonymise(workspace, key, *args):
    code, out, err = run("anonymise", *args, "--key", str(key), "--format", "json", "-q", workspace=workspace)
    assert code == 0, err
    return json.loads(out), err


def test_first_transcript_after_init_does_not_take_the_example_sources_case_id(workspace, tmp_path):
    key = tmp_path / "keys" / "team.verlicht-key"
    rows, _ = anonymise(workspace, key, str(TRANSCRIPTS / "interview_a.txt"))
    assert [r["case"] for r in rows] == ["R02"]
    written = (workspace / "interviews" / "r02.rock").read_bytes()
    assert case_ids_in(written) >= {"R02"} and "R01" not in case_ids_in(written)
    # The build then counts two respondents, not one merged bewoner.
    report = build_graph(open_layout(workspace))
    assert report.counts["respondents"] == 2
    graph = load_graph(workspace / "graphs" / "verlicht.json")
    assert {"respondent:R01", "respondent:R02"} <= set(graph.nodes)


def test_ids_given_in_the_same_run_and_by_hand_are_skipped_too(workspace, tmp_path):
    key = tmp_path / "keys" / "team.verlicht-key"
    # A source coded by hand as R02, and another transcript of this run given R03 on the attributes CSV.
    shutil.copyfile(workspace / "interviews" / "voorbeeld.rock", workspace / "interviews" / "handmatig.rock")
    text = (workspace / "interviews" / "handmatig.rock").read_text(encoding="utf-8")
    (workspace / "interviews" / "handmatig.rock").write_text(
        text.replace("R01", "R02").replace("7dq0bx", "8hand0"), encoding="utf-8")
    csv = tmp_path / "attributes.csv"
    csv.write_text("file,case_id,role,group,wijk,date\ninterview_b.txt,R03,huurder,bewoner,MSP,2024-03-01\n",
                   encoding="utf-8")
    rows, _ = anonymise(workspace, key, str(TRANSCRIPTS / "interview_a.txt"), str(TRANSCRIPTS / "interview_b.txt"),
                        "--attributes", str(csv))
    assert {r["input"].rsplit("/", 1)[-1]: r["case"] for r in rows} == {"interview_a.txt": "R04",
                                                                         "interview_b.txt": "R03"}


def test_the_key_remembers_a_transcripts_case_id_and_never_hands_it_out_again(workspace, tmp_path):
    key = tmp_path / "keys" / "team.verlicht-key"
    first, _ = anonymise(workspace, key, str(TRANSCRIPTS / "interview_a.txt"))
    # The output is moved out of the workspace; the key still knows R02, so the next transcript gets R03 ...
    (workspace / "interviews" / "r02.rock").unlink()
    second, _ = anonymise(workspace, key, str(TRANSCRIPTS / "interview_b.txt"))
    assert [first[0]["case"], second[0]["case"]] == ["R02", "R03"]
    # ... and the same transcript again keeps its own id.
    again, _ = anonymise(workspace, key, str(TRANSCRIPTS / "interview_a.txt"))
    assert again[0]["case"] == "R02"


def test_a_case_id_given_by_hand_that_another_source_uses_is_a_warning(workspace, tmp_path):
    key = tmp_path / "keys" / "team.verlicht-key"
    code, _out, err = run("anonymise", str(TRANSCRIPTS / "interview_a.txt"), "--case-id", "R01",
                          "--key", str(key), "--format", "json", workspace=workspace)
    assert code == 0, err
    assert (f"warning: case id 'R01' is also used in {workspace / 'interviews' / 'voorbeeld.rock'}: the build "
            "counts both as one respondent — right for a second interview with the same person; otherwise give "
            "another --case-id") in err


def test_taken_case_ids_reads_cids_and_attributes_ignoring_letter_case(tmp_path, passphrase):
    folder = tmp_path / "interviews"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.rock").write_bytes(b"---\nROCK_attributes:\n  - caseId: 'r05'\n---\n[[cid=X_1]] Ja.\n")
    (folder / "notes.txt").write_bytes(b"[[cid=R09]]")  # not a source
    key = KeyStore.create(tmp_path / "k.verlicht-key", passphrase)
    key.document("abc")["case"] = "R06"
    taken = taken_case_ids([folder], key)
    assert sorted(taken) == ["r05", "r06", "x_1"]
    assert taken["r05"] == [folder / "sub" / "a.rock"] and taken["r06"] == []
    key.data["counters"]["CASE"] = 4
    assert next_free_case(key, taken) == "R07"
    assert key.data["counters"]["CASE"] == 7
