"""How good the coding suggestions are, and why codes are missed: the figures of docs/DESIGN.md in one run.

    python bench/suggest_quality.py [--no-learn] [--min-score 0.2] [--misses SET] [--held-out]
                                    [--lever module.NAME=value ...]

Two development sets, each scored leave-one-interview-out: the demo interviews (``demo``; each learns from
the other eleven) and the independent coded development set in tests/data/coded_dev/ (``coded_dev``; each
interview learns from the demo and the other seven, never from itself). Their codebook is the same
(``coded_dev``'s is a copy); the demo's synonyms were written from the demo interviews, so vocabulary levers
are judged on ``coded_dev``. Prints precision/recall/F1 per level and, per coded causal code, why it was or
was not suggested (suggest_eval.miss_reasons), and the median milliseconds of one suggestion.

``--held-out`` also scores tests/data/coded/ (learning from the demo only, as before, and from the demo and
coded_dev): for measuring, not tuning; say in docs/DESIGN.md how many times you looked. ``--misses demo`` or
``--misses coded_dev`` lists that set's coded causal codes that were not found, with reason and utterance
(suggest_eval.code_reasons): what to read when looking for levers (never the held-out set's).
``--lever verlicht.coding.suggest.profiles.COMPOUND_PARTS=True`` sets a module constant first (experiments).
"""

from __future__ import annotations

import argparse
import ast
import importlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verlicht.codebook import load_codebook  # noqa: E402
from verlicht.coding.suggest import Suggester  # noqa: E402
from verlicht.coding.suggest_eval import code_reasons, evaluate, miss_reasons  # noqa: E402
from verlicht.rock import read_source  # noqa: E402

DEMO, DEV, HELD_OUT = ROOT, ROOT / "tests" / "data" / "coded_dev", ROOT / "tests" / "data" / "coded"


def sources(root: Path) -> list:
    return [read_source(p) for p in sorted((root / "interviews").glob("*.rock"))]


def set_lever(assignment: str) -> None:
    """``package.module.NAME=value``: set a module constant (a Python literal) before anything is built."""
    target, _, value = assignment.partition("=")
    module, _, name = target.rpartition(".")
    mod = importlib.import_module(module)
    if not hasattr(mod, name):
        raise SystemExit(f"{module} has no {name}")
    setattr(mod, name, ast.literal_eval(value))


def report(name: str, root: Path, scored: list, learn: list, min_score: float) -> None:
    suggester = Suggester(load_codebook(root / "ontology" / "codebook.yaml"))
    result = evaluate(scored, suggester, min_score, learn_from=learn)
    print(f"\n{name}: {result.sources} sources, {result['pair'].coded} causal codes")
    print(f"  {'level':<10} {'precision':>9} {'recall':>7} {'f1':>6}")
    for row in result.rows():
        print(f"  {row['level']:<10} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['f1']:>6.3f}")
    print("  why (per coded causal code):")
    for row in miss_reasons(scored, suggester, min_score, learn_from=learn):
        print(f"    {row['codes']:>4}  {row['reason']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-learn", action="store_true", help="no vocabulary from the dev sets' coding")
    parser.add_argument("--min-score", type=float, default=0.2)
    parser.add_argument("--misses", choices=["demo", "coded_dev"], help="list a dev set's missed codes")
    parser.add_argument("--held-out", action="store_true", help="also score the held-out set (a look: count it)")
    parser.add_argument("--lever", action="append", default=[], help="module.NAME=value, set before the run")
    args = parser.parse_args()
    for assignment in args.lever:
        set_lever(assignment)
    demo, dev = sources(DEMO), sources(DEV)
    learn_demo = [] if args.no_learn else demo
    learn_dev = [] if args.no_learn else demo + dev
    if args.misses:
        root, scored, learn = (DEMO, demo, learn_demo) if args.misses == "demo" else (DEV, dev, learn_dev)
        suggester = Suggester(load_codebook(root / "ontology" / "codebook.yaml"))
        for row in code_reasons(scored, suggester, args.min_score, learn_from=learn):
            if row["reason"] != "found":
                print(f"{Path(row['source']).name} {row['uid']}: {row['reason']}: {row['cause']} -> {row['effect']}"
                      f"||{row['type']}\n    {row['text']}")
        return
    report("demo", DEMO, demo, learn_demo, args.min_score)
    report("coded_dev (learning from the demo and the other coded_dev interviews)", DEV, dev, learn_dev,
           args.min_score)
    if args.held_out:
        held_out = sources(HELD_OUT)
        report("held-out (learning from the demo)", HELD_OUT, held_out, learn_demo, args.min_score)
        report("held-out (learning from the demo and coded_dev)", HELD_OUT, held_out, learn_dev, args.min_score)
    suggester = Suggester(load_codebook(DEMO / "ontology" / "codebook.yaml")).learned(learn_dev)
    times = []
    for source in demo + dev:
        for utterance in source.utterances:
            start = time.perf_counter()
            suggester.suggest(utterance.text)
            times.append(time.perf_counter() - start)
    print(f"\nmedian {statistics.median(times) * 1000:.2f} ms per utterance over {len(times)} dev utterances")


if __name__ == "__main__":
    main()
