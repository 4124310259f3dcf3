"""What `verlicht anonymise` and `verlicht key …` do, from a notebook: verlicht.api's facade functions, no terminal."""

from __future__ import annotations

import json
import shutil

import pytest
from anondata import PASSPHRASE, TRANSCRIPTS
from helpers import run

from verlicht import api
from verlicht.errors import AnonymiseError, KeyFileError
from verlicht.workspace import init_workspace


@pytest.fixture
def run_once(tmp_path):
    """interview_a anonymised into a fresh workspace through the API, the key kept apart."""
    workspace = init_workspace(tmp_path / "ws")
    key = tmp_path / "keys" / "team.verlicht-key"
    shutil.copy(TRANSCRIPTS / "interview_a.txt", tmp_path / "interview_a.txt")
    notes, steps = [], []
    result = api.anonymise([tmp_path / "interview_a.txt"], workspace=workspace, key=key, case_id="R21",
                           group="bewoner", model="blank", notify=notes.append,
                           progress=lambda done, total, what: steps.append((done, total, what)))
    return workspace, key, result, steps


def test_anonymise_writes_the_source_key_and_audit_and_returns_the_rows(run_once):
    workspace, key, result, steps = run_once
    [row] = result.rows
    assert row["case"] == "R21" and row["output"].endswith("r21.rock") and row["replacements"] > 0
    assert row["by_category"]["PERSOON"] >= 1
    text = (workspace / "interviews" / "r21.rock").read_text(encoding="utf-8")
    assert "Annie Schoonbrood" not in text and "06-12340917" not in text and "Vrieheide" in text
    assert result.key_file == key and result.created_key and key.is_file()
    assert all(path.is_file() and path.parent == key.parent / "audit" for path in result.audit)
    assert result.summary() == f"key: {key} (new)   audit: {result.audit[0]}, {result.audit[1]}"
    assert steps[-1][:2] == (1, 1) and steps[-1][2] == "interview_a.txt"


def test_key_entries_forget_and_rotate_work_without_a_terminal(run_once):
    workspace, key, _, _ = run_once
    entries = api.key_entries(key, workspace, category="persoon")
    annie = next(e for e in entries if e["value"] == "Annie Schoonbrood")
    assert annie["category"] == "PERSOON" and annie["pseudonym"].startswith("[PERSOON-")
    code, out, _ = run("key", "show", "--key", str(key), "--category", "PERSOON", "--format", "json",
                       workspace=workspace)
    assert code == 0 and json.loads(out) == entries
    planned = api.key_forget("Annie Schoonbrood", key, workspace, dry_run=True)
    assert planned[0]["old"] == annie["pseudonym"] and planned[0]["source"] == "interviews/r21.rock"
    assert annie["pseudonym"] in (workspace / "interviews" / "r21.rock").read_text(encoding="utf-8")
    api.key_forget("Annie Schoonbrood", key, workspace)
    assert annie["pseudonym"] not in (workspace / "interviews" / "r21.rock").read_text(encoding="utf-8")
    assert all(e["value"] != "Annie Schoonbrood" for e in api.key_entries(key, workspace))
    assert api.key_rotate(key, workspace, new_passphrase="een nieuwe lange zin") == key
    assert api.key_entries(key, workspace, passphrase="een nieuwe lange zin")
    with pytest.raises(KeyFileError):
        api.key_entries(key, workspace, passphrase=PASSPHRASE)


def test_anonymise_without_an_out_folder_or_workspace_is_a_located_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AnonymiseError, match="no --out folder and no workspace here"):
        api.anonymise([TRANSCRIPTS / "interview_a.txt"], key=tmp_path / "k.verlicht-key")


def test_forget_needs_a_workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(Exception, match="'key forget' rewrites the workspace's sources"):
        api.key_forget("PERSOON-1", tmp_path / "k.verlicht-key")
