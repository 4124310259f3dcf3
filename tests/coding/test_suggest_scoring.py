"""Scoring suggestions against coded utterances: what counts as right at each level."""

from __future__ import annotations

from pathlib import Path

import pytest

from verlicht.codebook import load_codebook
from verlicht.coding.suggest import Suggester
from verlicht.coding.suggest_eval import code_reasons, evaluate, miss_reasons, previous_texts
from verlicht.rock import parse_text

DATA = Path(__file__).parent.parent / "data" / "coded"

SOURCE = """---
ROCK_attributes:
  - {caseId: R1, group: bewoner}
  - {caseId: I1, group: interviewer}
---
[[uid=a1]] [[cid=I1]] Waarom leidt rommel tot stress? [[verloedering->stress||causal_pos]]
[[uid=a2]] [[cid=R1]] Schulden leiden tot stress. [[schulden->stress||causal_pos||2]]
[[uid=a3]] Als er rommel ligt, dan voelen mensen zich onveilig. [[verloedering->onveiligheidsgevoel||causal_neg]]
[[uid=a4]] Meer toezicht zorgt voor minder criminelen.
[[uid=a5]] Ik woon hier al lang. [[goedkope_woningen->instroom_kwetsbaren||causal_pos]] [[a->b||collaborates]]
[[uid=a6]] Onveilig voel ik me door de rommel. [[onveiligheidsgevoel->verloedering||causal_pos]]
"""


@pytest.fixture(scope="module")
def result():
    book = load_codebook(DATA / "suggest_unit_codebook.yaml")
    return evaluate([parse_text(SOURCE, "s.rock")], Suggester(book, max_network=1), min_score=0.35)


def test_only_respondents_lines_and_causal_codes_count(result):
    assert result.utterances == 5  # the interviewer's question is left out
    assert result.coded_utterances == 4
    assert result["exact"].coded == 4  # 'collaborates' is a relation, not a causal claim


def test_exact_needs_the_type_pair_needs_the_direction_edge_neither(result):
    # a2 right; a3 right pair, wrong type; a4 a suggestion nobody coded; a6 reversed; a5 nothing suggested
    assert (result["exact"].tp_suggested, result["exact"].suggested) == (1, 4)
    assert (result["pair"].tp_suggested, result["pair"].tp_coded) == (2, 2)
    assert (result["edge"].tp_suggested, result["edge"].tp_coded) == (3, 3)
    assert result["pair"].precision == pytest.approx(0.5)
    assert result["pair"].recall == pytest.approx(0.5)
    assert result["pair"].f1 == pytest.approx(0.5)


def test_statement_detection_counts_coded_utterances(result):
    statement = result["statement"]
    assert (statement.tp_coded, statement.coded) == (3, 4)  # a5 has no cue
    assert (statement.tp_suggested, statement.suggested) == (3, 4)  # a4 has a cue but no code


def test_rows_give_every_level():
    book = load_codebook(DATA / "suggest_unit_codebook.yaml")
    rows = evaluate([parse_text(SOURCE)], Suggester(book)).rows()
    assert [r["level"] for r in rows] == ["exact", "pair", "edge", "statement", "concepts"]
    assert set(rows[0]) == {"level", "precision", "recall", "f1", "right", "suggested", "found", "coded"}


def test_previous_text_is_the_same_speakers_last_utterance():
    source = parse_text(SOURCE)
    assert previous_texts(source)[:4] == ["", "", "Schulden leiden tot stress.",
                                          "Als er rommel ligt, dan voelen mensen zich onveilig."]


def test_code_reasons_say_per_coded_code_why_it_was_missed_and_miss_reasons_counts_them():
    book = load_codebook(DATA / "suggest_unit_codebook.yaml")
    suggester = Suggester(book, max_network=1)
    rows = code_reasons([parse_text(SOURCE, "s.rock")], suggester, min_score=0.35)
    assert [(r["uid"], r["cause"], r["effect"], r["reason"]) for r in rows] == [
        ("a2", "schulden", "stress", "found"),
        ("a3", "verloedering", "onveiligheidsgevoel", "polarity differs"),  # the right pair, another type
        ("a5", "goedkope_woningen", "instroom_kwetsbaren", "neither end named"),  # "Ik woon hier al lang."
        ("a6", "onveiligheidsgevoel", "verloedering", "direction reversed"),
    ]
    assert rows[0]["source"] == "s.rock" and rows[0]["text"] == "Schulden leiden tot stress."
    counts = {r["reason"]: r["codes"] for r in miss_reasons([parse_text(SOURCE, "s.rock")], suggester, 0.35)}
    assert counts == {"found": 1, "polarity differs": 1, "neither end named": 1, "direction reversed": 1}
