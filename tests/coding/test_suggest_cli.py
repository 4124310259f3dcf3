"""``verlicht suggest``: listing suggestions per utterance and ``--evaluate``, through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import run

CODED = Path(__file__).parent.parent / "data" / "coded"


@pytest.fixture
def coded(tmp_path: Path) -> Path:
    """The held-out coded set as a workspace, copied so nothing touches the original."""
    target = tmp_path / "coded"
    shutil.copytree(CODED, target)
    return target


def test_lists_suggestions_per_utterance_as_json(coded):
    code, out, err = run("suggest", str(coded / "interviews" / "h04.rock"), "--format", "json", workspace=coded)
    assert code == 0, err
    rows = json.loads(out)
    assert rows
    assert set(rows[0]) >= {"source", "line", "uid", "case", "text", "code", "kind", "score", "cue", "coded",
                            "cause_span", "effect_span", "mentions", "reason"}
    assert {r["source"] for r in rows} == {"interviews/h04.rock"}
    assert all(r["case"] == "H04" for r in rows)  # interviewer lines are left out
    assert all(r["score"] >= 0.2 for r in rows)
    network = [r for r in rows if r["kind"] == "network"]
    assert network and all("->" in r["code"] and "||causal" in r["code"] for r in network)
    for row in network:
        if row["cause_span"]:
            start, end = row["cause_span"]
            assert 0 <= start < end <= len(row["text"])


def test_marks_suggestions_that_are_already_coded(coded):
    # h04: "Dat zie je heel vaak: schulden leiden tot stress, en stress leidt tot, eh, slechte keuzes, …"
    code, out, _ = run("suggest", str(coded / "interviews" / "h04.rock"), "--uid", "q4007kx", "--format", "json",
                       workspace=coded)
    assert code == 0
    rows = json.loads(out)
    by_code = {r["code"]: r for r in rows}
    assert by_code["schulden->stress||causal_pos"]["coded"] is True
    assert by_code["schulden->stress||causal_pos"]["cue"] == "leiden tot"
    assert {r["uid"] for r in rows} == {"q4007kx"}


def test_uid_that_does_not_exist_is_a_located_error(coded):
    code, out, err = run("suggest", str(coded / "interviews" / "h04.rock"), "--uid", "nope", workspace=coded)
    assert code == 1
    assert out == ""
    assert "no utterance with uid 'nope'" in err
    assert "interviews/h04.rock" in err
    assert "Traceback" not in err


def test_min_score_and_all(coded):
    source = str(coded / "interviews" / "h01.rock")
    _, out, _ = run("suggest", source, "--format", "json", workspace=coded)
    default = json.loads(out)
    _, out, _ = run("suggest", source, "--min-score", "0.9", "--format", "json", workspace=coded)
    strict = json.loads(out)
    assert strict and len(strict) < len(default)
    assert all(r["score"] >= 0.9 for r in strict)
    _, out, _ = run("suggest", source, "--all", "--format", "json", workspace=coded)
    every = json.loads(out)
    assert "I03" in {r["case"] for r in every}  # the interviewer's lines too
    assert {r["line"] for r in every} >= {r["line"] for r in default}
    assert any(r["code"] == "" for r in every)  # lines without any suggestion get a row


def test_table_and_csv_output(coded):
    source = str(coded / "interviews" / "h03.rock")
    _, out, _ = run("suggest", source, "--format", "json", workspace=coded)
    first = json.loads(out)[0]
    code, out, _ = run("suggest", source, workspace=coded)
    assert code == 0
    assert out.splitlines()[0].split() == ["line", "uid", "text", "code", "score", "cue", "coded"]
    assert out.splitlines()[1].split()[:2] == [str(first["line"]), first["uid"]]
    assert first["code"] in out.splitlines()[1]
    code, out, _ = run("suggest", source, "--format", "csv", workspace=coded)
    assert code == 0
    assert out.splitlines()[0] == "source,line,uid,text,code,score,cue,coded,kind,reason"


def test_evaluate_reports_precision_recall_and_f1_per_level(coded):
    code, out, err = run("suggest", "--evaluate", "--format", "json", workspace=coded)
    assert code == 0, err
    rows = json.loads(out)
    assert [r["level"] for r in rows] == ["exact", "pair", "edge", "statement", "concepts"]
    exact, pair, edge = rows[0], rows[1], rows[2]
    assert exact["coded"] == pair["coded"] == 120  # the set's causal network codes, not its 'collaborates'
    assert exact["right"] <= pair["right"] <= edge["right"]
    for row in rows:
        assert 0 <= row["precision"] <= 1 and 0 <= row["recall"] <= 1
        assert row["found"] <= row["coded"] and row["right"] <= row["suggested"]
    assert "7 source(s)" in err


def test_evaluate_named_sources_only(coded):
    code, out, err = run("suggest", "--evaluate", str(coded / "interviews" / "h02.rock"), "--format", "json",
                         workspace=coded)
    assert code == 0
    assert json.loads(out)[1]["coded"] == 17
    assert "1 source(s)" in err


def test_no_source_is_an_error_with_a_hint(coded):
    code, _, err = run("suggest", workspace=coded)
    assert code == 1
    assert "no source given" in err and "verlicht suggest interviews/" in err


def test_the_command_and_the_library_use_the_same_default_minimum_score():
    from verlicht.cli.suggest_cmd import DEFAULT_MIN_SCORE as command_default
    from verlicht.coding.suggest import DEFAULT_MIN_SCORE

    assert command_default == DEFAULT_MIN_SCORE


def test_help_documents_evaluate():
    code, out, _ = run("suggest", "--help")
    assert code == 0
    assert "--evaluate" in out and "precision" in out and "--min-score" in out
