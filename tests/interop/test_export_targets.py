"""Where an export may write: a folder format never replaces a file or a folder that is not an earlier export."""

from __future__ import annotations

import pytest
from helpers import run

from verlicht.errors import ExportError


def test_a_folder_export_over_an_existing_file_is_refused_and_the_file_kept(built_demo, tmp_path):
    victim = tmp_path / "notes.txt"
    victim.write_text("mine\n")
    with pytest.raises(ExportError, match=r"notes.txt is a file, and format 'rock' writes a folder"):
        built_demo.export("rock", victim)
    assert victim.read_text() == "mine\n"


def test_a_folder_export_over_a_folder_of_other_files_is_refused_and_nothing_lost(built_demo, tmp_path):
    folder = tmp_path / "project"
    (folder / "interviews").mkdir(parents=True)
    (folder / "verlicht.toml").write_text("[workspace]\n")
    (folder / "interviews" / "r01.rock").write_text("original\n")
    code, _out, err = run("export", "--format", "rock", "-o", str(folder), workspace=built_demo.root)
    assert code == 1 and err.startswith(f"error: {folder} holds files that are not a 'rock' export "
                                        "(e.g. verlicht.toml); not replacing it")
    assert (folder / "verlicht.toml").read_text() == "[workspace]\n"
    assert (folder / "interviews" / "r01.rock").read_text() == "original\n"


def test_a_folder_export_replaces_its_own_earlier_export(built_demo, tmp_path):
    target = tmp_path / "out"
    built_demo.export("rock", target)
    (target / "interviews" / "r01.rock").write_text("stale\n")
    built_demo.export("rock", target)
    assert (target / "interviews" / "r01.rock").read_text().startswith("---\n")


def test_a_file_export_over_a_folder_is_refused(built_demo, tmp_path):
    (tmp_path / "x.qdpx").mkdir()
    with pytest.raises(ExportError, match=r"x\.qdpx is a folder"):
        built_demo.export("qdpx", tmp_path / "x.qdpx")
    assert (tmp_path / "x.qdpx").is_dir()


def test_a_file_export_replaces_its_earlier_file(built_demo, tmp_path):
    target = tmp_path / "x.qdpx"
    target.write_bytes(b"old")
    built_demo.export("qdpx", target)
    assert target.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("fmt", ["cypher", "qdc"])
def test_text_formats_cypher_and_qdc_go_to_stdout_without_o(built_demo, tmp_path, fmt):
    code, out, err = run("export", "--format", fmt, workspace=built_demo.root)
    built_demo.export(fmt, tmp_path / f"x.{fmt}")
    assert code == 0, err
    assert out == (tmp_path / f"x.{fmt}").read_text(encoding="utf-8")


def test_a_rock_export_into_the_interviews_folder_is_refused(built_demo):
    before = sorted(p.name for p in (built_demo.root / "interviews").iterdir())
    target = built_demo.root / "interviews" / "copy"
    code, _out, err = run("export", "--format", "rock", "-o", str(target), workspace=built_demo.root)
    assert code == 1
    assert err == ("error: a ROCK export inside interviews/ would be read by the build as more interviews — "
                   "export it elsewhere, e.g. -o graphs/rock\n")
    assert sorted(p.name for p in (built_demo.root / "interviews").iterdir()) == before


def test_dash_as_output_means_stdout(built_demo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run("export", "--format", "ttl", "-o", "-", workspace=built_demo.root)
    assert (code, err) == (0, "")
    assert out.encode() == built_demo.export("ttl")
    assert not (tmp_path / "-").exists()
