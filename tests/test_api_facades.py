"""Through ``verlicht.open(...)`` a notebook does what each older command does, with the same rows as the
command's ``--format json`` (or the same files written), on a copy of the demo workspace."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import DATA, run

import verlicht
from verlicht import api
from verlicht.errors import CodingError, IndicatorError


def cli_json(workspace: Path, *args: str):
    code, out, err = run(*args, "--format", "json", workspace=workspace)
    assert code == 0, err
    return json.loads(out)


def coders_copies(demo: Path) -> tuple[Path, Path]:
    for coder in ("anna", "bram"):
        (demo / "coders" / coder).mkdir(parents=True)
        shutil.copyfile(DATA / "coders" / coder / "r07.rock", demo / "coders" / coder / "r07.rock")
    return demo / "coders" / "anna" / "r07.rock", demo / "coders" / "bram" / "r07.rock"


# -- init and parse (no workspace) ------------------------------------------------------------------------
def test_init_makes_a_workspace_that_opens(tmp_path: Path):
    folder = api.init(tmp_path / "nieuw", name="proef")
    ws = verlicht.open(folder)
    assert ws.name == "proef" and (folder / "verlicht.toml").is_file()
    assert ws.codebook_concepts()  # the starter codebook


def test_parse_gives_the_rows_of_parse_json(demo: Path):
    source = demo / "interviews" / "r07.rock"
    rows = api.parse([source])
    code, out, _ = run("parse", str(source), "--format", "json")
    assert code == 0 and rows == json.loads(out)
    first = next(r for r in rows if r["uid"] == "7ddr5tye")
    assert first["cid"] == "R07"
    assert "goedkope_woningen->instroom_kwetsbaren||causal_pos||3" in first["network"]


def test_parse_hands_each_warning_over_as_the_file_is_read(tmp_path: Path):
    file = tmp_path / "w.rock"
    file.write_text("Tekst. [[foo bar]] meer\n", encoding="utf-8")
    warnings = []
    rows = api.parse([file], on_warning=warnings.append)
    assert [r["text"] for r in rows] == ["Tekst. meer"]
    [warning] = warnings
    assert "[[foo bar]]" in warning.message and warning.location.line == 1


# -- code add / remove / list / copy / the coder's session ----------------------------------------------------
def test_code_add_list_and_remove_edit_the_source(demo: Path):
    ws = verlicht.open(demo)
    edit = ws.code_add("interviews/r07.rock", ["sociale_cohesie"], uid="7ddr5tyb", coder="anna", claim=True)
    assert edit.rows == [{"source": "interviews/r07.rock", "line": edit.line, "code": "sociale_cohesie",
                          "state": "added"}]
    assert edit.lines() == [f"interviews/r07.rock:{edit.line}: added: [[sociale_cohesie]]"]
    assert "[[sociale_cohesie]]" in (demo / "interviews" / "r07.rock").read_text(encoding="utf-8")
    listed = ws.code_list("interviews/r07.rock", uid="7ddr5tyb")
    assert listed == cli_json(demo, "code", "list", str(demo / "interviews" / "r07.rock"), "--uid", "7ddr5tyb")
    assert {"uid": "7ddr5tyb", "code": "sociale_cohesie"}.items() <= listed[0].items()
    again = ws.code_add("interviews/r07.rock", ["sociale_cohesie"], uid="7ddr5tyb")
    assert again.rows[0]["state"] == "already there"
    removed = ws.code_remove("interviews/r07.rock", ["sociale_cohesie"], uid="7ddr5tyb")
    assert removed.rows[0]["state"] == "removed"
    assert "[[sociale_cohesie]]" not in (demo / "interviews" / "r07.rock").read_text(encoding="utf-8")


def test_code_add_refuses_an_undefined_code_with_its_line(demo: Path):
    with pytest.raises(CodingError) as caught:
        verlicht.open(demo).code_add("interviews/r07.rock", ["niet_in_codeboek"], uid="7ddr5tyb")
    assert "'niet_in_codeboek' is not in the codebook" in str(caught.value)
    assert "interviews/r07.rock:" in str(caught.value) and "--allow-undefined" in str(caught.value)


def test_code_copy_makes_a_second_coders_uncoded_copy(demo: Path):
    made = verlicht.open(demo).code_copy("interviews/r07.rock", "bram")
    assert made["copy"] == "coders/bram/r07.rock" and made["coder"] == "bram" and made["left_out"] > 0
    text = (demo / "coders" / "bram" / "r07.rock").read_text(encoding="utf-8")
    assert "[[coderId=bram]]" in text and "goedkope_woningen->" not in text


def test_code_session_runs_without_a_ui_and_hands_itself_to_one(demo: Path):
    seen = []
    session = verlicht.open(demo).code_session("interviews/r07.rock", coder="anna", uid="7ddr5tye", suggest=False,
                                               ui=lambda s, ask_claim: seen.append((s, ask_claim)))
    assert seen == [(session, True)]
    assert session.coder == "anna"
    assert session.current.uid == "7ddr5tye"


# -- the codebook ---------------------------------------------------------------------------------------------
def test_codebook_listing_show_stats_and_log_match_the_commands(demo: Path):
    ws = verlicht.open(demo)
    concepts = ws.codebook_concepts()
    assert concepts == cli_json(demo, "codebook", "list")
    assert any(r["code"] == "goedkope_woningen" and r["uses"] > 0 for r in concepts)
    assert ws.codebook_missing() is None
    shown = ws.codebook_show("goedkope_woningen")
    assert shown == cli_json(demo, "codebook", "show", "goedkope_woningen")
    assert shown["definition"]["type"] and shown["uses"] == len(shown["locations"])
    assert ws.codebook_stats() == cli_json(demo, "codebook", "stats")
    assert {r["section"] for r in ws.codebook_stats_rows()} >= {"type"}
    assert ws.codebook_log() == []


def test_codebook_rename_previews_then_applies_and_logs(demo: Path):
    ws = verlicht.open(demo)
    before = (demo / "interviews" / "r07.rock").read_text(encoding="utf-8")
    preview = ws.codebook_rename("goedkope_woningen", "betaalbare_woningen")
    assert not preview.applied and preview.plan.files > 1
    assert any(line.startswith("+") and "betaalbare_woningen" in line for line in preview.plan.diff())
    assert (demo / "interviews" / "r07.rock").read_text(encoding="utf-8") == before
    asked = []
    done = ws.codebook_rename("goedkope_woningen", "betaalbare_woningen", reason="term uit het Toekomstplan",
                              confirm=lambda plan: asked.append(plan.summary()) or True)
    assert done.applied and asked and done.changelog == "ontology/CHANGELOG.md"
    assert "betaalbare_woningen->" in (demo / "interviews" / "r07.rock").read_text(encoding="utf-8")
    assert ws.codebook_log()[-1]["reason"] == "term uit het Toekomstplan"
    assert ws.codebook_log() == cli_json(demo, "codebook", "log")


def test_codebook_retype_declined_changes_nothing(demo: Path):
    ws = verlicht.open(demo)
    result = ws.codebook_retype("goedkope_woningen", "context", confirm=lambda plan: False)
    assert not result.applied and result.plan.files == 1
    assert ws.codebook_show("goedkope_woningen")["definition"]["type"] != "context"


# -- coders' copies: agreement and merge ----------------------------------------------------------------------
def test_agreement_of_two_copies_matches_the_command(demo: Path):
    anna, bram = coders_copies(demo)
    report = api.agreement_of([anna, bram], kinds="network", by_code=True)
    assert report.to_dict() == cli_json(demo, "agreement", str(anna), str(bram), "--network", "--by-code")
    assert [c["coder"] for c in report.coders] == ["anna", "bram"]
    assert all(row["kind"] == "network" for row in report.statistics)


def test_merge_copies_writes_the_consensus_and_lists_conflicts(demo: Path):
    anna, bram = coders_copies(demo)
    out = demo / "coders" / "consensus.rock"
    report = api.merge_copies([anna, bram], out, rule="any", layout=verlicht.open(demo).layout)
    assert out.is_file() and report.coders == ["anna", "bram"] and report.kept > 0
    assert "VERLICHT_merge" in out.read_text(encoding="utf-8")
    data = report.to_dict()
    code, text, _ = run("merge", str(anna), str(bram), "-o", str(out), "--rule", "any", "--force", "--format",
                        "json", workspace=demo)
    assert code == 0 and json.loads(text)["conflicts"] == data["conflicts"]


# -- suggestions ----------------------------------------------------------------------------------------------
def test_suggest_and_its_evaluation_match_the_command(demo: Path):
    ws = verlicht.open(demo)
    source = demo / "interviews" / "r07.rock"
    rows = ws.suggest(["interviews/r07.rock"])
    assert rows == cli_json(demo, "suggest", str(source))
    assert rows and {"source", "line", "uid", "code", "score", "coded"} <= rows[0].keys()
    result = ws.suggest_evaluate(["interviews/r07.rock"], min_score=0.2)
    assert result.rows() == cli_json(demo, "suggest", "--evaluate", str(source))
    assert {r["level"] for r in result.rows()} >= {"exact", "pair", "edge"}
    with pytest.raises(CodingError, match="no source given"):
        ws.suggest([])


# -- indicators, goals, areas, link ------------------------------------------------------------------------
def test_link_adds_and_removes_a_link_in_the_catalogue(demo: Path):
    ws = verlicht.open(demo)
    added = ws.link("inwoners", measures="sociale_cohesie")
    assert added.action == "added" and added.path == "indicators/indicators.csv"
    row = next(line for line in (demo / "indicators" / "indicators.csv").read_text(encoding="utf-8").splitlines()
               if line.startswith("inwoners,"))
    assert "sociale_cohesie" in row
    assert ws.link("inwoners", measures="sociale_cohesie").action == "unchanged"
    assert ws.link("inwoners", measures="sociale_cohesie", remove=True).action == "removed"
    with pytest.raises(IndicatorError, match="exactly one"):
        ws.link("inwoners", measures="a", tracks=3)


def test_areas_and_indicator_suggestions_match_the_commands(demo: Path):
    ws = verlicht.open(demo)
    areas = ws.areas()
    assert areas == cli_json(demo, "goals", "areas")
    assert any(a["id"] == "heerlen_noord" for a in areas)
    strict = ws.indicator_suggestions(min_score=0.9)
    assert strict == cli_json(demo, "indicators", "suggest", "--min-score", "0.9")
    assert all(r["score"] is None or r["score"] >= 0.9 for r in strict)


def test_import_observations_dry_run_reports_without_writing(demo: Path):
    ws = verlicht.open(demo)
    before = (demo / "indicators" / "observations.csv").read_bytes()
    report = ws.import_observations([demo / "indicators" / "observations.csv"], dry_run=True, replace=True)
    assert report.dry_run and not report.written
    assert report.to_rows() == cli_json(demo, "indicators", "import", str(demo / "indicators" / "observations.csv"),
                                        "--dry-run", "--replace")
    assert all(r["added"] == 0 and r["removed"] == 0 for r in report.to_rows())
    assert (demo / "indicators" / "observations.csv").read_bytes() == before


# -- linked data listings ---------------------------------------------------------------------------------
def test_export_formats_and_canned_queries_are_listed(demo: Path):
    formats = {r["format"]: r for r in api.export_formats()}
    assert {"ttl", "graphml"} <= formats.keys() and api.guess_export_format("x.ttl") == "ttl"
    assert api.exporter("ttl").suffix == ".ttl"
    ws = verlicht.open(demo)
    queries = ws.sparql_queries()
    assert {q["query"] for q in queries} >= {"gaps", "evidence"}
    code, out, _ = run("sparql", "--format", "json", workspace=demo)
    assert code == 0 and json.loads(out) == queries
