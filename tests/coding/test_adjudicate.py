"""Adjudication of two coders' copies: decisions, the consensus (valid ROCK, same uids), the log, resuming."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from helpers import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verlicht.api import Workspace
from verlicht.coding.adjudicate import Adjudication, parse_decision
from verlicht.errors import CodingError
from verlicht.rock.reader import read_source

CODERS = Path(__file__).resolve().parents[1] / "data" / "coders"


@pytest.fixture
def coded(demo: Path) -> Path:
    """The demo workspace with anna's and bram's copies of r07 and r03 in coders/."""
    for name in ("anna", "bram"):
        shutil.copytree(CODERS / name, demo / "coders" / name)
    return demo


def codes_by_uid(path: Path) -> dict[str, set[str]]:
    """What the ROCK reader finds on each utterance: plain codes and edges (with weight when given)."""
    found = {}
    for u in read_source(path).utterances:
        if u.uid:
            edges = {f"{n.source}->{n.target}||{n.type}" + (f"||{n.weight:g}" if n.weight is not None else "")
                     for n in u.network}
            found[u.uid] = {">".join(c.path) for c in u.codes} | edges
    return found


def open_pair(ws: Path, **kwargs) -> Adjudication:
    return Adjudication.open(ws / "coders/anna/r07.rock", ws / "coders/bram/r07.rock", **kwargs)


def test_the_differences_are_the_utterances_where_the_codes_differ_weight_included(coded):
    adj = open_pair(coded, write=False)
    assert [d.uid for d in adj.differences] == ["7ddr5tye", "7ddr5tyg", "7ddr5tys", "7ddr5tyx", "7ddr5tz6",
                                                "7ddr5tzk", "7ddr5tzq", "7ddr5u00"]
    weight = adj.differences[0]
    assert (weight.a, weight.b, weight.agreed) == (("goedkope_woningen->instroom_kwetsbaren||causal_pos||3",),
                                                   ("goedkope_woningen->instroom_kwetsbaren||causal_pos",),
                                                   ("goedkope_woningen->instroom_kwetsbaren||causal_pos||3",))
    assert not (coded / "coders" / "consensus").exists()  # write=False writes nothing


def test_each_choice_gives_its_codes_and_the_consensus_is_valid_rock_with_the_same_uids(coded):
    adj = open_pair(coded)
    out = coded / "coders" / "consensus" / "r07.rock"
    adj.decide("7ddr5tz6", "a")
    adj.decide("7ddr5tys", "b")
    adj.decide("7ddr5tzk", "neither")
    adj.decide("7ddr5u00", "both")
    adj.decide("7ddr5tyx", "edit", ["inponden->mengen_zonder_verdringen||structural", "wonen"])
    merged, anna = read_source(out), read_source(coded / "coders/anna/r07.rock")
    assert [(u.uid, u.text, u.case_id) for u in merged.utterances] == [(u.uid, u.text, u.case_id)
                                                                       for u in anna.utterances]
    assert {u.coder_id for u in merged.utterances} == {None}  # a consensus is no one coder's work
    codes = codes_by_uid(out)
    assert codes["7ddr5tz6"] == {"energiearmoede->schulden||causal_pos"}
    assert codes["7ddr5tys"] == {"sociale_cohesie"}
    assert codes["7ddr5tzk"] == {"menging_inkomensgroepen->sociale_cohesie||causal_pos||1"}
    assert codes["7ddr5u00"] == {"vertrouwen"}
    assert codes["7ddr5tyx"] == {"inponden->mengen_zonder_verdringen||structural", "wonen"}
    assert codes["7ddr5tyg"] == set()  # still open: only what both applied (nothing)
    assert codes["7ddr5tyl"] == {"instroom_kwetsbaren->verloop_bewoners||causal_pos"}  # agreed: as it was
    assert "VERLICHT_adjudication:" in out.read_text(encoding="utf-8")
    assert "open: 3" in out.read_text(encoding="utf-8")


def test_the_log_lists_decisions_in_the_sources_order_with_what_each_coder_had(coded):
    adj = open_pair(coded)
    adj.by = "carla"
    adj.decide("7ddr5u00", "b")
    adj.decide("7ddr5tz6", "a")
    rows = list(csv.DictReader(io.StringIO((coded / "coders/consensus/r07.decisions.csv").read_text("utf-8"))))
    today = date.today().isoformat()
    assert [(r.pop("by"), r.pop("date")) for r in rows] == [("carla", today)] * 2  # who decided, and when
    assert rows == [
        {"uid": "7ddr5tz6", "ref": f"{coded}/coders/anna/r07.rock:42", "decision": "a",
         "codes": "energiearmoede->schulden||causal_pos", "a": "energiearmoede->schulden||causal_pos",
         "b": "schulden->energiearmoede||causal_pos"},
        {"uid": "7ddr5u00", "ref": f"{coded}/coders/anna/r07.rock:57", "decision": "b", "codes": "vertrouwen",
         "a": "", "b": "vertrouwen"}]


def test_reopening_resumes_with_the_decisions_already_taken(coded):
    adj = open_pair(coded)
    adj.decide("7ddr5tz6", "b")
    again = open_pair(coded)
    assert again.verdicts["7ddr5tz6"].decision == "b"
    assert [d.uid for d in again.open_differences()][:2] == ["7ddr5tye", "7ddr5tyg"]
    assert codes_by_uid(coded / "coders/consensus/r07.rock")["7ddr5tz6"] == {"schulden->energiearmoede||causal_pos"}


def test_a_decision_on_an_utterance_a_coder_changed_since_is_dropped_and_asked_again(coded):
    open_pair(coded).decide("7ddr5tz6", "a")
    bram = coded / "coders/bram/r07.rock"
    bram.write_text(bram.read_text("utf-8").replace("[[schulden->energiearmoede||causal_pos]]",
                                                    "[[schulden->energiearmoede||causal_neg]]"), "utf-8")
    again = open_pair(coded)
    assert "7ddr5tz6" not in again.verdicts
    assert any("uid 7ddr5tz6 is dropped: the coders' codes there changed" in str(w) for w in again.warnings)


def test_both_refuses_a_claim_and_its_opposite(coded):
    adj = Adjudication.open(coded / "coders/anna/r03.rock", coded / "coders/bram/r03.rock")
    with pytest.raises(CodingError) as error:
        adj.decide("7dcc722d", "both")
    assert "a claim and its opposite" in str(error.value)
    assert str(error.value).startswith(f"{coded}/coders/anna/r03.rock:")
    assert "7dcc722d" not in adj.verdicts


def test_an_existing_output_without_log_is_refused_and_a_copy_is_never_the_output(coded):
    out = coded / "interviews" / "r07.rock"
    with pytest.raises(CodingError, match="has no decisions log next to it; nothing was written"):
        open_pair(coded, out=out)
    with pytest.raises(CodingError, match="is one of the coders' copies"):
        open_pair(coded, out=coded / "coders/bram/r07.rock")


def test_undo_takes_back_the_last_decision_on_disk_too(coded):
    adj = open_pair(coded)
    adj.decide("7ddr5tys", "b")
    assert adj.undo() == "7ddr5tys"
    assert codes_by_uid(coded / "coders/consensus/r07.rock")["7ddr5tys"] == set()
    assert "7ddr5tys" not in (coded / "coders/consensus/r07.decisions.csv").read_text("utf-8")


def test_parse_decision_reads_choices_aliases_and_edits():
    assert parse_decision("u1=take-a") == ("u1", "a", None)
    assert parse_decision("u1=edit:a->b||causal; c") == ("u1", "edit", ["a->b||causal", "c"])
    with pytest.raises(CodingError, match="is not UID=CHOICE"):
        parse_decision("u1")
    with pytest.raises(CodingError, match="unknown decision 'maybe'"):
        parse_decision("u1=maybe")


def test_the_notebook_api_returns_the_rows_the_command_gives(coded):
    from verlicht.workspace import open_layout

    adj = Workspace(open_layout(coded)).adjudicate("coders/anna/r07.rock", "coders/bram/r07.rock", list_only=True)
    code, out, _ = run("code", "adjudicate", str(coded / "coders/anna/r07.rock"), str(coded / "coders/bram/r07.rock"),
                       "--list", "--format", "json", workspace=coded)
    assert code == 0
    assert json.loads(out) == adj.rows()
    assert adj.rows()[4]["ref"] == "coders/anna/r07.rock:42"  # workspace-relative, as agreement shows it


# ---------------------------------------------------------------- the command, scripted


def test_command_decides_given_uids_then_takes_the_rest(coded, monkeypatch):
    monkeypatch.chdir(coded)
    code, out, err = run("code", "adjudicate", "coders/anna/r07.rock", "coders/bram/r07.rock",
                         "--decide", "7ddr5tz6=b", "--decide", "7ddr5tyx=edit:inponden->sociale_controle||causal_pos",
                         "--take", "both", "--format", "csv")
    assert code == 0
    assert err == ("wrote coders/consensus/r07.rock: 8 of 8 differences decided, 0 open "
                   "(decisions: r07.decisions.csv)\n")
    rows = {r["uid"]: r for r in csv.DictReader(io.StringIO(out))}
    assert (rows["7ddr5tz6"]["decision"], rows["7ddr5tz6"]["codes"]) == ("b", "schulden->energiearmoede||causal_pos")
    assert rows["7ddr5tyx"]["decision"] == "edit"
    assert (rows["7ddr5tyg"]["decision"], rows["7ddr5tyg"]["codes"]) == ("both", "wonen>instroom")
    codes = codes_by_uid(coded / "coders/consensus/r07.rock")
    assert codes["7ddr5tyx"] == {"inponden->sociale_controle||causal_pos"}
    assert codes["7ddr5tzq"] == {"woningcorporaties->gemeente_heerlen||collaborates",
                                 "woningcorporaties->politie||collaborates", "samenwerking"}


def test_command_take_both_leaves_opposite_signs_open_and_says_so(coded, monkeypatch):
    monkeypatch.chdir(coded)
    code, out, err = run("code", "adjudicate", "coders/anna/r03.rock", "coders/bram/r03.rock", "--take", "both",
                         "--format", "json")
    assert code == 0
    assert "uid 7dcc722d left open: both would keep" in err
    [row] = [r for r in json.loads(out) if r["uid"] == "7dcc722d"]
    assert row["decision"] is None


def test_command_list_writes_nothing(coded, monkeypatch):
    monkeypatch.chdir(coded)
    code, out, _ = run("code", "adjudicate", "coders/anna/r07.rock", "coders/bram/r07.rock", "--list")
    assert code == 0
    assert "coders/anna/r07.rock:42" in out and "open" in out
    assert not (coded / "coders" / "consensus").exists()


def test_command_unknown_uid_is_one_located_line(coded, monkeypatch):
    monkeypatch.chdir(coded)
    code, out, err = run("code", "adjudicate", "coders/anna/r07.rock", "coders/bram/r07.rock",
                         "--decide", "7ddr5tyl=a")
    assert (code, out) == (1, "")
    assert err == ("error: coders/anna/r07.rock: no difference to settle at uid '7ddr5tyl' — "
                   "the coders do not differ on uid 7ddr5tyl\n")


def test_command_reads_decisions_from_a_pipe(coded, monkeypatch):
    monkeypatch.chdir(coded)
    from click.testing import CliRunner

    from verlicht.cli import cli

    result = CliRunner().invoke(cli, ["code", "adjudicate", "coders/anna/r07.rock", "coders/bram/r07.rock"],
                                input="a\n\nb\nq\n")
    assert result.exit_code == 0, result.output
    assert "uid 7ddr5tye: take anna" in result.output
    assert "decided 2 of 8 differences (6 open)" in result.output
    log = (coded / "coders/consensus/r07.decisions.csv").read_text("utf-8")
    assert [line.split(",")[:3] for line in log.splitlines()[1:]] == [
        ["7ddr5tye", "coders/anna/r07.rock:29", "a"], ["7ddr5tys", "coders/anna/r07.rock:35", "b"]]


def test_an_edit_naming_what_the_codebook_lacks_is_refused_with_the_workspace(coded, monkeypatch):
    monkeypatch.chdir(coded)
    code, _, err = run("code", "adjudicate", "coders/anna/r07.rock", "coders/bram/r07.rock",
                       "--decide", "7ddr5tz6=edit:energiearmoede->geen_concept||causal_pos")
    assert code == 1
    assert err == ("error: coders/anna/r07.rock:42: 'geen_concept' is not in the codebook — add it first "
                   "('new CODE' in the coder), or take a coder's codes\n")
    assert not (coded / "coders" / "consensus").exists()  # a refused decision writes nothing
    code, _, err = run("code", "adjudicate", "coders/anna/r07.rock", "coders/bram/r07.rock",
                       "--decide", "7ddr5tz6=edit:energiearmoede->schulden||geen_type")
    assert "edge type 'geen_type' is not in the codebook" in err


def test_force_starts_afresh_and_drops_the_old_decisions(coded, monkeypatch):
    monkeypatch.chdir(coded)
    args = ("code", "adjudicate", "coders/anna/r07.rock", "coders/bram/r07.rock")
    assert run(*args, "--decide", "7ddr5tz6=a")[0] == 0
    code, out, _ = run(*args, "--force", "--decide", "7ddr5u00=b", "--format", "json")
    assert code == 0
    assert [(r["uid"], r["decision"]) for r in json.loads(out) if r["decision"]] == [("7ddr5u00", "b")]
    log = (coded / "coders/consensus/r07.decisions.csv").read_text("utf-8")
    assert "7ddr5tz6" not in log and "7ddr5u00" in log


# ---------------------------------------------------------------- property: the log round-trips

SIMPLE = ["a", "b", "neither"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choices=st.lists(st.sampled_from([*SIMPLE, None]), min_size=8, max_size=8))
def test_any_set_of_decisions_survives_a_reopen_and_gives_the_same_consensus(tmp_path, choices):
    out = tmp_path / f"consensus-{abs(hash(tuple(map(str, choices))))}" / "r07.rock"
    adj = Adjudication.open(CODERS / "anna/r07.rock", CODERS / "bram/r07.rock", out=out)
    for difference, choice in zip(adj.differences, choices, strict=True):
        if choice is not None:
            adj.decide(difference.uid, choice)
    written = out.read_bytes()
    again = Adjudication.open(CODERS / "anna/r07.rock", CODERS / "bram/r07.rock", out=out)
    assert again.verdicts == adj.verdicts
    again.save()
    assert out.read_bytes() == written  # deterministic: the same decisions give the same bytes
    codes = codes_by_uid(out)
    for difference, choice in zip(adj.differences, choices, strict=True):
        expected = {"a": difference.a, "b": difference.b, "neither": difference.agreed, None: difference.agreed}
        assert codes[difference.uid] == set(expected[choice])


def test_the_cli_logs_who_adjudicated_and_resumes_a_log_from_before_who_was_kept(coded, monkeypatch):
    monkeypatch.chdir(coded)
    monkeypatch.setenv("VERLICHT_CODER", "carla")
    args = ("code", "adjudicate", "coders/anna/r07.rock", "coders/bram/r07.rock")
    assert run(*args, "--decide", "7ddr5tz6=a")[0] == 0
    log = coded / "coders/consensus/r07.decisions.csv"
    (row,) = list(csv.DictReader(io.StringIO(log.read_text("utf-8"))))
    assert (row["uid"], row["by"], row["date"]) == ("7ddr5tz6", "carla", date.today().isoformat())
    assert run(*args, "--decide", "7ddr5u00=b", "--by", "dirk")[0] == 0
    assert [r["by"] for r in csv.DictReader(io.StringIO(log.read_text("utf-8")))] == ["carla", "dirk"]
    old = "\n".join(",".join(line.split(",")[:6]) for line in log.read_text("utf-8").splitlines()) + "\n"
    log.write_text(old, encoding="utf-8")  # a log written before 'by' and 'date' existed
    code, out, err = run(*args, "--list", "--format", "json")
    assert code == 0, err
    assert {r["uid"]: r["decision"] for r in json.loads(out) if r["decision"]} == {"7ddr5tz6": "a", "7ddr5u00": "b"}
