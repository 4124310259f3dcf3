"""Undo in a screening session takes back only what belongs to that session's round and stage."""

from __future__ import annotations

from click.testing import CliRunner
from helpers import main_entry

from verlicht.reviews.screening import read_decisions


def _screen(workspace, keys: str) -> str:
    argv = ["-w", str(workspace), "review", "screen", "mix", "--screener", "gp"]
    result = CliRunner().invoke(main_entry, argv, input=keys, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_undo_in_a_round_2_session_leaves_a_round_1_decision_alone(two_rounds):
    two_rounds.review_decide("mix", "r1", "include", screener="gp")  # round 1, decided earlier by script
    out = _screen(two_rounds.root, "u\nq\n")
    assert "nothing to undo (in this round and stage)" in out
    assert [(d.record, d.decision, d.screener) for d in read_decisions(two_rounds.review("mix"))] == [
        ("r1", "include", "gp")
    ]


def test_undo_takes_back_the_last_decision_of_the_session_and_says_what_was_saved(two_rounds):
    two_rounds.review_decide("mix", "r1", "include", screener="gp")
    out = _screen(two_rounds.root, "e E2\nu\nq\n")
    assert "saved r5: exclude E2" in out and "undid exclude of r5" in out
    assert [(d.record, d.decision) for d in read_decisions(two_rounds.review("mix"))] == [("r1", "include")]


def test_a_finished_round_points_to_records_of_earlier_rounds_still_unscreened(two_rounds):
    for rid in ("r5", "r6", "r7", "r8"):  # all of round 2; round 1 (r1-r4) was never screened
        two_rounds.review_decide("mix", rid, "include", screener="gp")
    out = _screen(two_rounds.root, "")
    assert "nothing left to screen here" in out
    assert "4 record(s) of earlier rounds not screened by gp yet (r1, r2, r3, r4): screen them with --all-rounds" in out
