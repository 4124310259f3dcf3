"""Atomic writes keep a replaced file's permissions; file-system refusals are one line, not a traceback."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from helpers import run

from verlicht.fsio import atomic_write_bytes


def test_replacing_a_file_keeps_its_mode(tmp_path: Path):
    path = tmp_path / "r07.rock"
    path.write_bytes(b"oud\n")
    os.chmod(path, 0o664)
    atomic_write_bytes(path, b"nieuw\n")
    assert path.read_bytes() == b"nieuw\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o664


def test_a_new_file_gets_the_umask_mode(tmp_path: Path):
    umask = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "nieuw.rock", b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "nieuw.rock").stat().st_mode) == 0o644


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_line_and_nothing_changes(mini: Path):
    folder = mini / "interviews"
    before = (folder / "a.rock").read_bytes()
    os.chmod(folder, 0o555)
    try:
        code, _, err = run("code", "add", str(folder / "a.rock"), "--uid", "a0000002", "wonen", workspace=mini)
    finally:
        os.chmod(folder, 0o755)
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "Permission denied" in err and "Traceback" not in err
    assert (folder / "a.rock").read_bytes() == before


def test_a_refused_rename_is_one_line_and_nothing_changes(mini: Path, monkeypatch):
    source = mini / "interviews" / "a.rock"
    before = source.read_bytes()

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr("verlicht.fsio.os.replace", refuse)
    code, _, err = run("code", "add", str(source), "--uid", "a0000002", "wonen", workspace=mini)
    assert code == 1
    assert err.startswith(f"error: {source}: Permission denied — check the folder's permissions")
    assert len(err.strip().splitlines()) == 1
    assert source.read_bytes() == before
    assert [p.name for p in source.parent.iterdir() if p.name.startswith(".")] == []  # no temporary file left
