"""Memos on utterances, sources and concepts: kept beside the sources, listed, shown with evidence, scanned."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from helpers import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import verlicht
from verlicht.errors import BuildError, CodingError, PrivacyError
from verlicht.rock.reader import read_source


def add(mini: Path, *args: str) -> dict:
    code, out, err = run("memo", "add", *args, "--author", "anna", "--date", "2026-12-07", "--format", "json",
                         workspace=mini)
    assert (code, err) == (0, "")
    [row] = json.loads(out)
    return row


def test_a_memo_on_an_utterance_goes_to_the_sidecar_and_leaves_the_source_untouched(mini: Path):
    source = mini / "interviews" / "a.rock"
    before = source.read_bytes()
    row = add(mini, "Goedkoop als oorzaak, of de corporatie?", "--uid", "a0000002")
    assert row == {"id": row["id"], "about": "utterance", "target": "a0000002", "source": "interviews/a.rock",
                   "uid": "a0000002", "concept": None, "ref": "interviews/a.rock:16", "author": "anna",
                   "date": "2026-12-07", "text": "Goedkoop als oorzaak, of de corporatie?"}
    assert re.fullmatch(r"[0-9a-f]{8}", row["id"])
    assert source.read_bytes() == before  # the ROCK source is never touched
    data = yaml.safe_load((mini / "interviews" / "a.memos.yaml").read_text(encoding="utf-8"))
    assert data == {"memos": [{"id": row["id"], "about": "utterance", "source": "interviews/a.rock",
                               "uid": "a0000002", "author": "anna", "date": "2026-12-07",
                               "text": "Goedkoop als oorzaak, of de corporatie?"}]}
    assert len(read_source(source).utterances) == len(read_source(mini / "interviews" / "a.rock").utterances)


def test_memos_on_a_source_and_a_concept_and_the_listing_in_each_format(mini: Path):
    add(mini, "Kort interview.", "--source", str(mini / "interviews" / "b.rock"))
    add(mini, "Bewoners zeggen ook 'samenhang'.", "--concept", "sociale_cohesie")
    add(mini, "Vraag of dit menging is.", "--uid", "a0000005")
    code, out, _ = run("memo", "list", "--format", "csv", workspace=mini)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["about"], r["target"], r["ref"]) for r in rows] == [
        ("concept", "sociale_cohesie", "concept:sociale_cohesie"),
        ("utterance", "a0000005", "interviews/a.rock:19"),
        ("source", "interviews/b.rock", "interviews/b.rock")]
    assert (mini / "ontology" / "memos.yaml").is_file()
    code, out, _ = run("memo", "list", "--concept", "sociale_cohesie", workspace=mini)
    assert "Bewoners zeggen ook 'samenhang'." in out and "a0000005" not in out
    code, out, _ = run("memo", "list", "--uid", "a0000005", "--format", "json", workspace=mini)
    assert [r["text"] for r in json.loads(out)] == ["Vraag of dit menging is."]


def test_remove_takes_a_memo_by_its_id_or_a_unique_start(mini: Path):
    row = add(mini, "Weg ermee.", "--uid", "a0000002")
    code, out, _ = run("memo", "remove", row["id"][:5], "--format", "json", workspace=mini)
    assert code == 0
    assert json.loads(out)[0]["id"] == row["id"]
    assert not (mini / "interviews" / "a.memos.yaml").exists()  # the last memo gone: no empty file left
    code, _, err = run("memo", "remove", row["id"], workspace=mini)
    assert code == 1
    assert err == f"error: no memo with id '{row['id']}' — 'verlicht memo list' shows the ids\n"


def test_the_same_memo_twice_is_one_memo(mini: Path):
    add(mini, "Twee keer.", "--uid", "a0000002")
    add(mini, "Twee keer.", "--uid", "a0000002")
    assert len(verlicht.open(mini).memos()) == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--uid", "zzzz"], "error: interviews: no source holds an utterance with uid 'zzzz'"),
    (["--source", "interviews/a.rock", "--uid", "zzzz"], "error: interviews/a.rock: no utterance with uid 'zzzz'"),
    (["--concept", "geen_concept"], "error: ontology/codebook.yaml: concept 'geen_concept' is not in the codebook"),
    ([], "error: say what the memo is on"),
    (["--source", "ontology/codebook.yaml"], "error: ontology/codebook.yaml: memos are kept for the workspace's "
                                             "sources, in interviews/"),
])
def test_a_memo_on_nothing_known_is_refused_in_one_line(mini: Path, args, message, monkeypatch):
    monkeypatch.chdir(mini)
    code, out, err = run("memo", "add", "Tekst.", *args, workspace=mini)
    assert (code, out) == (1, "")
    assert err.startswith(message) and err.count("\n") == 1
    assert not list((mini / "interviews").glob("*.memos.yaml"))


def test_a_memo_with_personal_data_is_refused_and_nothing_is_written(mini: Path):
    code, _, err = run("memo", "add", "Bel haar op 06-12345678.", "--uid", "a0000002", workspace=mini)
    assert code == 1
    assert err.startswith("error: interviews/a.memos.yaml: the memo holds a phone number; nothing was written")
    assert not (mini / "interviews" / "a.memos.yaml").exists()
    with pytest.raises(PrivacyError):
        verlicht.open(mini).add_memo("mail jan@voorbeeld.nl", "anna", concept="menging")


def test_the_build_ignores_memos_for_claims_but_scans_them_for_personal_data(mini: Path):
    ws = verlicht.open(mini)
    ws.build()
    claims = len(ws.assumptions())
    ws.add_memo("goedkope_woningen->menging [[menging]] zou ook kunnen", "anna", uid="a0000002")
    ws.build()
    assert len(ws.assumptions()) == claims  # codes written in a memo are no codes
    sidecar = mini / "interviews" / "a.memos.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("zou ook kunnen", "vraag jan@voorbeeld.nl"),
                       encoding="utf-8")
    with pytest.raises(BuildError) as failed:
        ws.build()
    [error] = failed.value.errors
    assert str(error).startswith("interviews/a.memos.yaml:4: memo ")
    assert "holds an e-mail address" in str(error)


def test_query_evidence_shows_the_memos_next_to_the_quotes(mini: Path):
    ws = verlicht.open(mini)
    ws.build()
    ws.add_memo("Oorzaak of gevolg?", "anna", uid="a0000002", date="2026-12-07")
    rows = ws.evidence("goedkope_woningen->instroom_kwetsbaren")
    assert rows[0]["uid"] == "a0000002" and rows[0]["memos"] == ["anna 2026-12-07: Oorzaak of gevolg?"]
    assert all(r["memos"] == [] for r in rows[1:])
    code, out, _ = run("query", "evidence", "goedkope_woningen->instroom_kwetsbaren", workspace=mini)
    assert code == 0
    assert out.splitlines()[0].split()[-1] == "memos"
    assert "anna 2026-12-07: Oorzaak of gevolg?" in out


def test_a_broken_memo_file_is_a_located_error(mini: Path):
    (mini / "interviews" / "a.memos.yaml").write_text("memos:\n- id: x\n  text: [\n", encoding="utf-8")
    with pytest.raises(CodingError) as error:
        verlicht.open(mini).memos()
    assert str(error.value).startswith("interviews/a.memos.yaml:")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Nd"), blacklist_characters="@"), min_size=1,
                    max_size=80).filter(lambda t: t.strip()))
def test_any_memo_text_reads_back_as_written(mini: Path, text: str):
    ws = verlicht.open(mini)
    row = ws.add_memo(text, "anna", uid="a0000002", date="2026-12-07")
    assert row["text"] == text.strip()
    assert [r["text"] for r in ws.memos() if r["id"] == row["id"]] == [text.strip()]
    ws.remove_memo(row["id"])


def test_a_memo_on_a_coders_copy_is_kept_with_its_source_in_interviews(mini: Path, monkeypatch):
    monkeypatch.chdir(mini)
    assert run("code", "copy", "interviews/a.rock", "--coder", "anna", workspace=mini)[0] == 0
    code, out, err = run("memo", "add", "Op de kopie geschreven.", "--source", "coders/anna/a.rock", "--uid",
                         "a0000002", "--author", "anna", "--format", "json", workspace=mini)
    assert code == 0, err
    (row,) = json.loads(out)
    assert (row["source"], row["uid"], row["ref"].split(":")[0]) == ("interviews/a.rock", "a0000002",
                                                                     "interviews/a.rock")
    assert not (mini / "coders" / "anna" / "a.memos.yaml").exists()
    assert [m["text"] for m in verlicht.open(mini).memos(uid="a0000002")] == ["Op de kopie geschreven."]
