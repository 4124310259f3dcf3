"""``verlicht code add|remove|list|copy``: scriptable coding with located errors."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run

from verlicht.rock.reader import read_source


def network_of(path: Path, uid: str) -> list[tuple]:
    utterance = next(u for u in read_source(path).utterances if u.uid == uid)
    return [(n.source, n.target, n.type, n.weight) for n in utterance.network]


def test_add_then_list_then_remove(mini: Path):
    source = mini / "interviews" / "a.rock"
    code, out, err = run("code", "add", str(source), "--uid", "a0000001",
                         "goedkope_woningen->sociale_cohesie||causal_neg||2", "wonen", "--coder", "anna", "--claim",
                         workspace=mini)
    assert code == 0, err
    assert "interviews/a.rock:15: added: [[goedkope_woningen->sociale_cohesie||causal_neg||2]]" in out
    assert network_of(source, "a0000001") == [("goedkope_woningen", "sociale_cohesie", "causal_neg", 2)]
    code, out, _ = run("code", "list", str(source), "--uid", "a0000001", "--format", "json", workspace=mini)
    rows = json.loads(out)
    assert [(r["kind"], r["code"], r["coder"]) for r in rows] == [
        ("network", "goedkope_woningen->sociale_cohesie||causal_neg||2", "anna"), ("code", "wonen", "anna")]
    code, out, err = run("code", "remove", str(source), "--uid", "a0000001", "goedkope_woningen->sociale_cohesie",
                         workspace=mini)
    assert code == 0, err
    assert network_of(source, "a0000001") == []


def test_add_refuses_concepts_missing_from_the_codebook_unless_allowed(mini: Path):
    source = mini / "interviews" / "a.rock"
    before = source.read_bytes()
    code, _, err = run("code", "add", str(source), "--line", "16", "nieuw_begrip", workspace=mini)
    assert code == 1
    assert err == ("error: interviews/a.rock:16: 'nieuw_begrip' is not in the codebook — add it to the codebook "
                   "first, or pass --allow-undefined\n")
    assert source.read_bytes() == before
    code, _, err = run("code", "add", str(source), "--line", "16", "menging->sociale_cohesie||raar",
                       workspace=mini)
    assert code == 1 and "edge type 'raar' is not in the codebook" in err
    code, _, err = run("code", "add", str(source), "--line", "16", "nieuw_begrip", "--allow-undefined",
                       workspace=mini)
    assert code == 0
    assert "warning: interviews/a.rock:16: 'nieuw_begrip' is not in the codebook" in err


def test_a_file_with_codes_by_an_unknown_coder_is_only_marked_when_asked(mini: Path, monkeypatch):
    monkeypatch.delenv("VERLICHT_CODER", raising=False)
    source = mini / "interviews" / "a.rock"
    assert run("code", "add", str(source), "--line", "16", "wonen", workspace=mini)[0] == 0
    assert {u.coder_id for u in read_source(source).utterances} == {None}
    code, _, err = run("code", "add", str(source), "--line", "16", "menging", "--coder", "anna", workspace=mini)
    assert code == 0
    assert {u.coder_id for u in read_source(source).utterances} == {None}  # naming yourself claims nothing
    assert ("not marked as coded by anna: the file holds 7 code(s) without a coder id, which would count as "
            "anna's — pass --claim if they are yours") in err
    lines = source.read_text(encoding="utf-8").splitlines()
    assert run("code", "add", str(source), "--line", "17", "menging", "--coder", "anna", "--claim",
               workspace=mini)[0] == 0
    assert {u.coder_id for u in read_source(source).utterances} == {"anna"}
    after = source.read_text(encoding="utf-8").splitlines()
    assert len(after) == len(lines)  # the coder id went on the first utterance's line: no line moved
    assert after[14] == "[[uid=a0000001]] [[cid=I1]] [[coderId=anna]] Wat zie je gebeuren in de wijk?"


def test_the_source_may_lie_outside_the_workspace_folder(mini: Path, tmp_path: Path, monkeypatch):
    outside = tmp_path / "elders.rock"
    outside.write_bytes((mini / "interviews" / "b.rock").read_bytes())
    monkeypatch.chdir(mini)
    code, out, err = run("code", "list", str(outside), "--format", "csv")
    assert code == 0, err
    assert "b0000001" in out


def test_malformed_code_is_one_located_line_and_nothing_changes(mini: Path):
    source = mini / "interviews" / "a.rock"
    before = source.read_bytes()
    code, _, err = run("code", "add", str(source), "--uid", "a0000002", "trots", "a->b", workspace=mini)
    assert code == 1
    assert err.strip().splitlines() == [
        "error: interviews/a.rock:16: network code '[[a->b]]' has no edge type — add one, e.g. [[a->b||causal_pos]]"]
    assert source.read_bytes() == before
    assert "Traceback" not in err


def test_unknown_uid_and_missing_code_are_errors(mini: Path):
    source = mini / "interviews" / "a.rock"
    code, _, err = run("code", "add", str(source), "--uid", "zzz", "trots", workspace=mini)
    assert code == 1 and "no utterance with uid 'zzz'" in err
    code, _, err = run("code", "remove", str(source), "--uid", "a0000002", "trots", workspace=mini)
    assert code == 1 and "not on this line: trots; nothing was removed" in err
    code, _, err = run("code", "add", str(source), "trots", workspace=mini)
    assert code == 1 and "--uid UID or --line N" in err


def test_list_formats_and_uncoded(mini: Path):
    source = str(mini / "interviews" / "a.rock")
    code, out, _ = run("code", "list", source, "--format", "csv", workspace=mini)
    assert code == 0
    assert out.splitlines()[0] == "line,uid,case,coder,kind,code,text"
    assert len(out.splitlines()) == 7
    code, out, _ = run("code", "list", source, "--uncoded", "--format", "json", workspace=mini)
    assert json.loads(out) == []  # a0000001 is uncoded, but an interviewer's question is not there to be coded
    run("code", "remove", source, "--uid", "a0000005", "menging->sociale_cohesie", workspace=mini)
    code, out, _ = run("code", "list", source, "--uncoded", "--format", "json", workspace=mini)
    assert [(r["uid"], r["case"]) for r in json.loads(out)] == [("a0000005", "R2")]


def test_copy_gives_a_second_coder_an_uncoded_copy(mini: Path):
    source = mini / "interviews" / "a.rock"
    code, out, err = run("code", "copy", str(source), "--coder", "bram", workspace=mini)
    assert code == 0, err
    copy = mini / "coders" / "bram" / "a.rock"
    assert "coders/bram/a.rock: copy for bram (6 codes left out)" in out
    original, copied = read_source(source), read_source(copy)
    assert [(u.uid, u.text, u.case_id) for u in copied.utterances] == [
        (u.uid, u.text, u.case_id) for u in original.utterances]
    assert {u.coder_id for u in copied.utterances} == {"bram"}
    assert not any(u.network or u.codes for u in copied.utterances)
    code, _, err = run("code", "copy", str(source), "--coder", "bram", workspace=mini)
    assert code == 1 and "exists" in err


def test_coding_another_coders_file_is_refused(mini: Path):
    source = mini / "interviews" / "a.rock"
    assert run("code", "add", str(source), "--line", "16", "wonen", "--coder", "anna", "--claim",
               workspace=mini)[0] == 0
    code, _, err = run("code", "add", str(source), "--line", "17", "wonen", "--coder", "bram", workspace=mini)
    assert code == 1
    assert "coded by 'anna'" in err and "verlicht code copy" in err


def test_the_build_reads_a_coded_source(mini: Path):
    source = mini / "interviews" / "a.rock"
    run("code", "add", str(source), "--uid", "a0000002", "menging->druk_op_voorzieningen||causal_neg",
        "--coder", "anna", workspace=mini)
    code, _, err = run("build", workspace=mini)
    assert code == 0, err
    code, out, _ = run("query", "evidence", "menging->druk_op_voorzieningen", "--format", "json", workspace=mini)
    assert code == 0
    assert any(row.get("uid") == "a0000002" for row in json.loads(out))


def test_parallel_adds_to_one_file_all_land(mini: Path):
    import subprocess
    import sys

    verlicht = Path(sys.executable).with_name("verlicht")
    source = mini / "interviews" / "a.rock"
    uids = ["a0000002", "a0000003", "a0000004", "a0000005", "a0000006"]
    runs = [subprocess.Popen([str(verlicht), "code", "add", str(source), "--uid", uid, "menging", "--coder", "anna"],
                             cwd=mini, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for uid in uids]
    for process in runs:
        process.wait(timeout=120)
    said_added = [process.returncode == 0 and b"added" in process.stdout.read() for process in runs]
    coded = {u.uid for u in read_source(source).utterances if "menging" in [c.id for c in u.codes]}
    assert all(said_added)
    assert set(uids) <= coded  # none reported as added and then lost


def test_a_claim_and_its_opposite_on_one_line_are_refused(mini: Path):
    source = mini / "interviews" / "a.rock"
    before = source.read_bytes()
    code, _, err = run("code", "add", str(source), "--uid", "a0000002",
                       "goedkope_woningen->instroom_kwetsbaren||causal_neg", workspace=mini)
    assert code == 1
    assert "already holds [[goedkope_woningen->instroom_kwetsbaren||causal_pos]], the opposite" in err
    assert source.read_bytes() == before


def test_the_same_edge_with_a_weight_counts_as_already_there(mini: Path):
    source = mini / "interviews" / "a.rock"
    code, out, _ = run("code", "add", str(source), "--uid", "a0000003",
                       "instroom_kwetsbaren->druk_op_voorzieningen||causal_pos", workspace=mini)
    assert code == 0 and "already there" in out
    assert network_of(source, "a0000003") == [("instroom_kwetsbaren", "druk_op_voorzieningen", "causal_pos", 2)]


def test_a_copy_needs_uids_to_be_matched(mini: Path, tmp_path: Path):
    source = mini / "interviews" / "zonder.rock"
    source.write_text("[[cid=R1]] Een regel zonder uid. [[wonen]]\nNog een.\n", encoding="utf-8")
    code, _, err = run("code", "copy", str(source), "--coder", "bram", workspace=mini)
    assert code == 1
    assert "interviews/zonder.rock:1: 2 utterance(s) have no uid" in err
    assert not (mini / "coders").exists()
