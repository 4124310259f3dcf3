"""How good the suggestions are: a regression guard on the figures in docs/DESIGN.md.

The floors sit a little under what was measured ("Suggestions: how good they are"), so a change that
makes the suggester worse on the demo interviews (the development set) or on the held-out coded set in
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
SETS = {"demo": TESTS.parent, "held_out": TESTS / "data" / "coded"}
# level: (precision floor, recall floor), per set, at the default minimum score
FLOORS = {
    "demo": {"exact": (0.36, 0.27), "pair": (0.43, 0.32), "edge": (0.44, 0.33), "statement": (0.60, 0.55),
             "concepts": (0.50, 0.60)},
    "held_out": {"exact": (0.19, 0.11), "pair": (0.26, 0.15), "edge": (0.28, 0.16), "statement": (0.80, 0.66),
                 "concepts": (0.41, 0.48)},
}

def _sources(root: Path) -> list:
    return [read_source(path) for path in sorted((root / "interviews").glob("*.rock"))]


@pytest.fixture(scope="module", params=sorted(SETS))
def evaluation(request):
    """Each set scored as ``verlicht suggest --evaluate`` does: learning from the demo's coding, the demo
    one interview at a time from the other eleven, the held-out set from the demo only (no leakage)."""
    root = SETS[request.param]
    suggester = Suggester(load_codebook(root / "ontology" / "codebook.yaml"))
    return request.param, evaluate(_sources(root), suggester, DEFAULT_MIN_SCORE, learn_from=_sources(SETS["demo"]))


def test_the_sets_are_the_ones_measured(evaluation):
    name, result = evaluation
    expected = {"demo": (12, 127), "held_out": (7, 120)}[name]
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
