"""The first `verlicht anonymise` run, while deduce builds its lookup tables for minutes, says so."""

from __future__ import annotations

from anondata import TRANSCRIPTS
from helpers import run

from verlicht.anonymise import pipeline
from verlicht.workspace import init_workspace


def test_deduce_tables_are_known_to_be_cached_once_deduce_has_run(detector):
    detector("Mia Ploumen woont hier.")  # deduce has built (or loaded) its tables
    assert pipeline.deduce_tables_cached() is True


def test_first_run_says_deduce_is_building_its_tables_even_when_piped(tmp_path, monkeypatch):
    workspace = init_workspace(tmp_path / "ws")
    monkeypatch.setattr(pipeline, "deduce_tables_cached", lambda: False)
    code, _out, err = run("anonymise", str(TRANSCRIPTS / "interview_a.txt"), "--format", "json",
                          workspace=workspace)
    assert code == 0, err
    assert err.splitlines()[0] == ("deduce is building its lookup tables (first run only; this takes a few "
                                   "minutes)…")
    code, _out, err = run("anonymise", str(TRANSCRIPTS / "interview_b.txt"), "-q", "--format", "json",
                          workspace=workspace)
    assert code == 0 and err == ""  # --quiet is quiet


def test_later_runs_do_not_say_it(tmp_path):
    workspace = init_workspace(tmp_path / "ws")
    code, _out, err = run("anonymise", str(TRANSCRIPTS / "interview_a.txt"), "--format", "json",
                          workspace=workspace)
    assert code == 0 and "lookup tables" not in err
