"""Built workspaces shared by the interop tests (building once per module keeps them fast)."""

from __future__ import annotations

import sys

import pytest
from helpers import REPO, copy_demo

import verlicht


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory) -> verlicht.Workspace:
    """The demo workspace, built (do not change it: it is shared by the tests of a module)."""
    ws = verlicht.open(copy_demo(tmp_path_factory.mktemp("interop") / "demo"))
    ws.build()
    return ws


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> verlicht.Workspace:
    """A synthetic workspace from bench/generate.py (40 interviews of 60 utterances), built."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(REPO / "bench"))
    root = generate(tmp_path_factory.mktemp("interop") / "generated", interviews=40, utterances=60, concepts=30,
                    pairs=120)
    (root / "logic").mkdir(exist_ok=True)
    for name, text in LOGIC_MODELS.items():  # steps and mechanisms too, measured (c000–c009, ind000–ind009) or not
        (root / "logic" / f"{name}.yaml").write_text(text, encoding="utf-8")
    ws = verlicht.open(root)
    ws.build()
    return ws


LOGIC_MODELS = {
    "a_buurtaanpak": """label: Buurtaanpak
steps:
  - {id: geld, kind: middelen, text: Budget}
  - {id: gemonitord, kind: activiteiten, text: Huisbezoeken, indicators: [ind005]}
  - {id: via_concept, kind: activiteiten, text: Cursussen, concepts: [c001]}
  - {id: open, kind: prestaties, text: Deelnemers, concepts: [c015], measure: aantal deelnemers}
  - {id: effect, kind: effecten, text: Minder armoede, concepts: [c012, c003], goals: [2]}
arrows:
  - from: geld
    to: via_concept
    mechanisms: [Vrij geld geeft ruimte, {concept: c002}]
  - {from: geld, to: gemonitord, mechanisms: [{concept: c020}]}
  - {from: via_concept, to: open, mechanisms: [{concept: c011}]}
  - {from: gemonitord, to: open}
  - {from: open, to: effect, mechanisms: [Mensen kennen elkaar]}
""",
    "b_tweede": """label: Tweede aanpak
steps:
  - {id: inzet, kind: middelen, text: Inzet, concepts: [c025]}
  - {id: resultaat, kind: effecten, text: Resultaat, concepts: [c026]}
arrows:
  - {from: inzet, to: resultaat, mechanisms: [{concept: c009}, Zomaar]}
""",
}
