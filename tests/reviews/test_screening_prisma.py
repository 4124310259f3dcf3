"""Screening decisions, two-screener kappa (against scikit-learn), prioritised order, PRISMA 2020 counts."""

from __future__ import annotations

import pytest
from helpers import run
from sklearn.metrics import cohen_kappa_score

from verlicht.errors import ReviewError
from verlicht.reviews.screening import agreement, consecutive_irrelevant


def _screen(ws):
    for rid in ("r1", "r2", "r4"):
        ws.review_decide("mix", rid, "include", screener="a")
    ws.review_decide("mix", "r3", "exclude", "E2", screener="a")
    for rid, decision, reason in (
        ("r1", "include", None),
        ("r2", "exclude", "E3"),
        ("r3", "exclude", "E2"),
        ("r4", "include", None),
    ):
        ws.review_decide("mix", rid, decision, reason, screener="b")


def test_kappa_of_two_screeners_matches_scikit_learn(two_rounds):
    _screen(two_rounds)
    found = agreement(two_rounds.review("mix"))
    a = ["include", "include", "exclude", "include"]
    b = ["include", "exclude", "exclude", "include"]
    assert found["screeners"] == ["a", "b"] and found["both"] == 4 and found["agree"] == 3
    assert found["kappa"] == pytest.approx(cohen_kappa_score(a, b), abs=1e-4)


def test_conflicts_are_listed_and_reconcile_settles_them(two_rounds):
    _screen(two_rounds)
    code, out, err = run("review", "reconcile", "mix", workspace=two_rounds.root)
    assert code == 0, err
    assert out.splitlines()[0].startswith("screeners a and b: 4 records screened by both, 3 agreed, Cohen's kappa 0.5")
    assert "r2" in out and "a: include | b: exclude E3" in out
    run("review", "reconcile", "mix", "r2", "--exclude", "E3", workspace=two_rounds.root)
    assert two_rounds.review_conflicts("mix")["conflicts"] == []
    rows = {r["record"]: r for r in two_rounds.review_records("mix")}
    assert rows["r2"]["status"] == "exclude" and rows["r1"]["status"] == "include"


def test_exclusion_needs_a_code_of_the_protocol(two_rounds):
    with pytest.raises(ReviewError, match=r"'E9' is not an exclusion criterion.*use one of: E1, E2, E3"):
        two_rounds.review_decide("mix", "r1", "exclude", "E9", screener="a")
    with pytest.raises(ReviewError, match="an exclusion needs a criterion code"):
        two_rounds.review_decide("mix", "r1", "exclude", None, screener="a")
    with pytest.raises(ReviewError, match="no record 'r99'"):
        two_rounds.review_decide("mix", "r99", "include", screener="a")
    with pytest.raises(ReviewError, match="not included at title/abstract"):
        two_rounds.review_decide("mix", "r1", "include", screener="a", stage="full-text")


def test_queue_is_current_round_in_import_order_until_both_labels_exist(two_rounds):
    queue = two_rounds.review_queue("mix", "a")
    assert [r["record"] for r in queue] == ["r5", "r6", "r7", "r8"] and queue[0]["relevance"] is None
    assert len(two_rounds.review_queue("mix", "a", all_rounds=True)) == 8


def test_queue_is_prioritised_by_naive_bayes_once_both_labels_exist(two_rounds):
    two_rounds.review_decide("mix", "r1", "include", screener="a")  # mixing income groups and cohesion
    two_rounds.review_decide("mix", "r3", "exclude", "E2", screener="a")  # bus lanes
    queue = two_rounds.review_queue("mix", "a")
    assert all(r["relevance"] is not None for r in queue)
    assert [r["relevance"] for r in queue] == sorted((r["relevance"] for r in queue), reverse=True)
    # 'School mixing and friendships across income groups' shares the included record's words
    assert queue[0]["record"] == "r5"


def test_stopping_aid_counts_exclusions_since_the_last_include(two_rounds):
    review = two_rounds.review("mix")
    for rid in ("r5", "r6"):
        two_rounds.review_decide("mix", rid, "exclude", "E1", screener="a")
    assert consecutive_irrelevant(review, "a", 2) == 2
    two_rounds.review_decide("mix", "r7", "include", screener="a")
    assert consecutive_irrelevant(review, "a", 2) == 0


def test_prisma_counts_per_round_and_total_match_the_hand_count(two_rounds):
    _screen(two_rounds)
    two_rounds.review_decide("mix", "r2", "exclude", "E3", screener="consensus")
    two_rounds.review_decide("mix", "r1", "include", screener="a", stage="full-text")
    two_rounds.review_decide("mix", "r4", "exclude", "E1", screener="a", stage="full-text")
    for rid in ("r5", "r6", "r7"):
        two_rounds.review_decide("mix", rid, "include", screener="a")
    two_rounds.review_decide("mix", "r8", "exclude", "E3", screener="a")
    two_rounds.review_decide("mix", "r5", "include", screener="a", stage="full-text")
    rows = {r["box"].strip(): r for r in two_rounds.review_prisma("mix")}
    assert rows["Records identified from databases"] == {
        "box": "Records identified from databases",
        "round_1": 5,
        "round_2": 10,
        "total": 15,
    }
    assert (
        rows["Duplicate records removed before screening"]["round_1"],
        rows["Duplicate records removed before screening"]["round_2"],
    ) == (1, 6)
    assert rows["of which found in an earlier round"]["total"] == 3
    assert [rows["Records screened"][k] for k in ("round_1", "round_2", "total")] == [4, 4, 8]
    assert [rows["Records excluded (title/abstract)"][k] for k in ("round_1", "round_2", "total")] == [2, 1, 3]
    assert [rows["Reports sought for retrieval"][k] for k in ("round_1", "round_2", "total")] == [2, 3, 5]
    assert [rows["Reports assessed for eligibility"][k] for k in ("round_1", "round_2", "total")] == [2, 1, 3]
    assert rows["E1: wrong population"]["total"] == 1
    assert [rows["Studies included in review"][k] for k in ("round_1", "round_2", "total")] == [1, 1, 2]
    assert rows["Scopus"]["total"] == 3 and rows["PubMed"]["round_1"] == 2
    svg = two_rounds.review_prisma_svg("mix")
    assert svg.startswith("<svg") and "Records identified from databases (n = 15):" in svg
    assert "Studies included in review (n = 2)" in svg and "Identification</text>" in svg
    assert "Records identified from databases (n = 10):" in two_rounds.review_prisma_svg("mix", 2)


def test_prisma_cli_writes_the_svg(two_rounds, tmp_path):
    target = tmp_path / "flow.svg"
    code, out, err = run("review", "prisma", "mix", "--svg", str(target), "--format", "json", workspace=two_rounds.root)
    assert code == 0, err
    assert target.read_text(encoding="utf-8").count("<rect") >= 12 and '"box": "Records screened"' in out


def test_unknown_exclusion_code_points_at_the_protocols_exclude_line(two_rounds, tmp_path):
    from reviewdata import PROTOCOL

    line = PROTOCOL.splitlines().index("exclude:") + 1
    with pytest.raises(ReviewError) as caught:
        two_rounds.review_decide("mix", "r1", "exclude", "E9", screener="a")
    assert str(caught.value).startswith(f"reviews/mix/protocol.yaml:{line}: 'E9' is not an exclusion criterion")
    labelled = tmp_path / "asreview.csv"
    labelled.write_text("record_id,title,included\n1,Anything,0\n", encoding="utf-8")
    with pytest.raises(ReviewError) as caught:
        two_rounds.review_import_asreview("mix", labelled, screener="asr", exclude_reason="E9")
    assert str(caught.value).startswith(f"reviews/mix/protocol.yaml:{line}: 'E9' is not an exclusion criterion")
