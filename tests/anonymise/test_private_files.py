"""What sits next to the key is owner-only (files 0600, folders 0700), also when it was looser before; the audit
reports can be listed and pruned; a build without the passphrase says once that it skipped the key-name scan."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest
from anondata import TRANSCRIPTS
from helpers import run

import verlicht
from verlicht.anonymise.keyfile import resolve
from verlicht.anonymise.keystore import KeyStore
from verlicht.workspace import init_workspace, open_layout


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def workspace(tmp_path):
    return init_workspace(tmp_path / "ws")


@pytest.fixture(autouse=True)
def open_umask():
    """A umask that makes new files world-readable, as on most machines."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def anonymise(workspace: Path, *args: str) -> tuple[int, str, str]:
    return run("anonymise", str(TRANSCRIPTS / "interview_a.txt"), "--format", "json", *args, workspace=workspace)


def test_key_audit_files_and_their_folders_are_owner_only(workspace, config_home):
    code, _out, err = anonymise(workspace)
    assert code == 0, err
    key = resolve(None, open_layout(workspace))
    assert key.parent == config_home / "verlicht" / "keys"
    audit = key.parent / "audit"
    reports = sorted(audit.iterdir())
    assert [p.suffix for p in reports] == [".csv", ".html"]
    assert {p.name: oct(mode(p)) for p in [key, *reports]} == {p.name: "0o600" for p in [key, *reports]}
    assert oct(mode(key.parent)) == oct(mode(audit)) == "0o700"
    # The folders VERLICHT made above the key folder are owner-only too.
    assert oct(mode(config_home / "verlicht")) == "0o700"
    assert "others may list" not in err


def test_looser_files_and_folders_of_ours_are_tightened_and_other_files_left_alone(workspace, config_home):
    key = resolve(None, open_layout(workspace))
    key.parent.mkdir(parents=True)
    os.chmod(key.parent, 0o755)
    KeyStore.create(key, os.environ["VERLICHT_KEY_PASSPHRASE"]).save()
    os.chmod(key, 0o644)
    audit = key.parent / "audit"
    audit.mkdir()
    os.chmod(audit, 0o755)
    old_report = audit / "audit-20260101-120000.csv"
    old_report.write_text("input,original\na.txt,Mia Ploumen\n", encoding="utf-8")
    os.chmod(old_report, 0o644)
    notes = audit / "notes.txt"  # not ours: never touched
    notes.write_text("mine", encoding="utf-8")
    os.chmod(notes, 0o644)
    code, _out, err = anonymise(workspace)
    assert code == 0, err
    assert oct(mode(key)) == oct(mode(old_report)) == "0o600"
    assert oct(mode(key.parent)) == oct(mode(audit)) == "0o700"
    assert oct(mode(notes)) == "0o644"


def test_a_chosen_existing_audit_folder_keeps_its_mode_but_the_reports_are_private(workspace, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    code, _out, err = anonymise(workspace, "--audit-dir", str(shared))
    assert code == 0, err
    assert oct(mode(shared)) == "0o755"
    assert {oct(mode(p)) for p in shared.iterdir()} == {"0o600"}
    assert (f"warning: {shared}: others may list this folder (0755); the key and audit files in it are "
            f"owner-only — chmod 700 {shared} if nobody else needs it") in err


def test_key_audit_lists_the_reports_and_prune_removes_only_them(workspace):
    assert anonymise(workspace)[0] == 0
    key = resolve(None, open_layout(workspace))
    audit = key.parent / "audit"
    old = audit / "audit-20200101-000000.csv"
    old.write_text("input\n", encoding="utf-8")
    os.chmod(old, 0o644)
    os.utime(old, (time.time() - 40 * 86400,) * 2)
    (audit / "notes.txt").write_text("mine", encoding="utf-8")
    code, out, err = run("key", "audit", "--format", "json", workspace=workspace)
    assert code == 0, err
    rows = json.loads(out)
    first = rows[0]
    assert (Path(first["file"]).name, first["mode"], first["status"]) == (old.name, "0644", "open")
    assert [r["status"] for r in rows[1:]] == ["private", "private"]
    assert set(rows[0]) == {"file", "written", "bytes", "mode", "status"}
    code, out, _ = run("key", "audit", "--prune", "--older-than", "30", "--format", "json", workspace=workspace)
    assert code == 0
    assert [r["status"] for r in json.loads(out)] == ["removed", "kept", "kept"]
    assert not old.exists()
    # The notebook API does the same; everything else in the folder stays.
    removed = verlicht.open(workspace).key_audit(prune=True)
    assert [r["status"] for r in removed] == ["removed", "removed"]
    assert sorted(p.name for p in audit.iterdir()) == ["notes.txt"]


def test_older_than_without_prune_is_a_usage_error(workspace):
    code, _out, err = run("key", "audit", "--older-than", "3", workspace=workspace)
    assert code == 1
    assert "--older-than only goes with --prune" in err


def test_a_build_without_the_passphrase_says_the_key_name_scan_was_skipped(workspace, monkeypatch):
    key = resolve(None, open_layout(workspace))
    KeyStore.create(key, os.environ["VERLICHT_KEY_PASSPHRASE"]).save()
    monkeypatch.delenv("VERLICHT_KEY_PASSPHRASE")
    code, _out, err = run("build", workspace=workspace)
    assert code == 0, err
    assert err.splitlines() == [
        f"note: key-name scan skipped: VERLICHT_KEY_PASSPHRASE is not set, so the names in {key} were not looked "
        "for in the sources (contact data and identifiers were)"]
    assert run("build", "-q", workspace=workspace)[2] == ""


def test_no_note_with_the_passphrase_or_without_any_key(workspace, monkeypatch):
    assert run("build", workspace=workspace)[2] == ""  # no key anywhere: nothing to skip
    key = resolve(None, open_layout(workspace))
    KeyStore.create(key, os.environ["VERLICHT_KEY_PASSPHRASE"]).save()
    assert run("build", workspace=workspace)[2] == ""  # the passphrase opens it: the scan ran


def test_a_configured_key_that_is_missing_is_noted_too(workspace, monkeypatch, tmp_path):
    config = workspace / "verlicht.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '# key = "/secure/team-share/heerlen.verlicht-key"', f'key = "{tmp_path / "elsewhere.verlicht-key"}"'),
        encoding="utf-8")
    monkeypatch.delenv("VERLICHT_KEY_PASSPHRASE")
    report = verlicht.open(workspace).build()
    assert report.notes == [
        f"key-name scan skipped: VERLICHT_KEY_PASSPHRASE is not set, so the names in "
        f"{tmp_path / 'elsewhere.verlicht-key'} were not looked for in the sources (contact data and identifiers "
        "were)"]
