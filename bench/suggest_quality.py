"""How good the coding suggestions are, and why codes are missed: the figures of docs/DESIGN.md in one run.

    python bench/suggest_quality.py [--no-learn] [--min-score 0.2] [--misses]

Scores the demo interviews (the development set; each learns from the other eleven) and the held-out set
in tests/data/coded/ (learning from the demo only, never from itself), prints precision/recall/F1 per level
and, per coded causal code, why it was or was not suggested (suggest_eval.miss_reasons), and the median
milliseconds of one suggestion. The held-out set is for measuring, not tuning: say in docs/DESIGN.md how
many times you looked. ``--misses`` lists, for the demo only, every coded causal code that was not found,
with its reason and utterance (suggest_eval.code_reasons): what to read when looking for levers.
"""

from __future__ import annotations

import argparse
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

SETS = {"demo": ROOT, "held-out": ROOT / "tests" / "data" / "coded"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-learn", action="store_true", help="no vocabulary from the demo's coding")
    parser.add_argument("--min-score", type=float, default=0.2)
    parser.add_argument("--misses", action="store_true", help="list the demo's missed codes (never the held-out's)")
    args = parser.parse_args()
    demo = [read_source(p) for p in sorted((ROOT / "interviews").glob("*.rock"))]
    learn = [] if args.no_learn else demo
    if args.misses:
        suggester = Suggester(load_codebook(ROOT / "ontology" / "codebook.yaml"))
        for row in code_reasons(demo, suggester, args.min_score, learn_from=learn):
            if row["reason"] != "found":
                print(f"{Path(row['source']).name} {row['uid']}: {row['reason']}: {row['cause']} -> {row['effect']}\n"
                      f"    {row['text']}")
        return
    for name, root in SETS.items():
        suggester = Suggester(load_codebook(root / "ontology" / "codebook.yaml"))
        sources = [read_source(p) for p in sorted((root / "interviews").glob("*.rock"))]
        result = evaluate(sources, suggester, args.min_score, learn_from=learn)
        print(f"\n{name}: {result.sources} sources, {result['pair'].coded} causal codes")
        print(f"  {'level':<10} {'precision':>9} {'recall':>7} {'f1':>6}")
        for row in result.rows():
            print(f"  {row['level']:<10} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['f1']:>6.3f}")
        print("  why (per coded causal code):")
        for row in miss_reasons(sources, suggester, args.min_score, learn_from=learn):
            print(f"    {row['codes']:>4}  {row['reason']}")
    suggester = Suggester(load_codebook(ROOT / "ontology" / "codebook.yaml")).learned(learn)
    times = []
    for source in demo:
        for utterance in source.utterances:
            start = time.perf_counter()
            suggester.suggest(utterance.text)
            times.append(time.perf_counter() - start)
    print(f"\nmedian {statistics.median(times) * 1000:.2f} ms per utterance over {len(times)} demo utterances")


if __name__ == "__main__":
    main()
