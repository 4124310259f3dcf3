"""How good the suggestions are: a regression guard on the figures in docs/DESIGN.md.

The floors sit a little under what was measured ("Suggestions: how good they are"), so a change that
makes the suggester worse on the demo interviews or the second development set in tests/data/coded_dev/
(coded by someone who did not read the codebook's origin interviews) or on the held-out coded set in
tests/data/coded/ fails here. A change that makes it better should raise the floors and the table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from verlicht.codebook import load_codebook
from verlicht.coding.suggest import Suggester
from verlicht.coding.suggest_eval import DEFAULT_MIN_SCORE, evaluate
from verlicht.rock import read_source

TESTS = Path(__file__).parent.parent
SETS = {"demo": TESTS.parent, "coded_dev": TESTS / "data" / "coded_dev", "held_out": TESTS / "data" / "coded"}
# level: (precision floor, recall floor), per set, at the default minimum score
FLOORS = {
    "demo": {"exact": (0.36, 0.27), "pair": (0.43, 0.32), "edge": (0.44, 0.33), "statement": (0.60, 0.55),
             "concepts": (0.50, 0.60)},
    "coded_dev": {"exact": (0.06, 0.02), "pair": (0.06, 0.02), "edge": (0.06, 0.02), "statement": (0.65, 0.55),
                  "concepts": (0.31, 0.25)},
    "held_out": {"exact": (0.19, 0.11), "pair": (0.26, 0.15), "edge": (0.28, 0.16), "statement": (0.80, 0.66),
                 "concepts": (0.41, 0.48)},
}


def _sources(root: Path) -> list:
    return [read_source(path) for path in sorted((root / "interviews").glob("*.rock"))]


@pytest.fixture(scope="module", params=sorted(SETS))
def evaluation(request):
    """Each set scored as ``verlicht suggest --evaluate`` does: learning from the demo's coding, the demo
    one interview at a time from the other eleven, coded_dev's each from the demo and the other seven, the
    held-out set from the demo only (no leakage)."""
    root = SETS[request.param]
    suggester = Suggester(load_codebook(root / "ontology" / "codebook.yaml"))
    learn = _sources(SETS["demo"]) + (_sources(root) if request.param == "coded_dev" else [])
    return request.param, evaluate(_sources(root), suggester, DEFAULT_MIN_SCORE, learn_from=learn)


def test_the_sets_are_the_ones_measured(evaluation):
    name, result = evaluation
    expected = {"demo": (12, 127), "coded_dev": (8, 126), "held_out": (7, 120)}[name]
    assert (result.sources, result["pair"].coded) == expected


@pytest.mark.parametrize("level", ["exact", "pair", "edge", "statement", "concepts"])
def test_precision_and_recall_stay_above_their_floors(evaluation, level):
    name, result = evaluation
    precision, recall = FLOORS[name][level]
    tally = result[level]
    assert tally.precision >= precision, f"{name} {level} precision {tally.precision:.3f} < {precision}"
    assert tally.recall >= recall, f"{name} {level} recall {tally.recall:.3f} < {recall}"


def test_stricter_levels_never_score_more_right_answers(evaluation):
    _name, result = evaluation
    assert result["exact"].tp_suggested <= result["pair"].tp_suggested <= result["edge"].tp_suggested


def test_the_two_development_sets_share_the_held_out_codebook():
    """coded_dev is coded against the same codebook as the held-out set (a copy): copy it after every change."""
    held_out = (SETS["held_out"] / "ontology" / "codebook.yaml").read_text(encoding="utf-8")
    assert (SETS["coded_dev"] / "ontology" / "codebook.yaml").read_text(encoding="utf-8") == held_out
