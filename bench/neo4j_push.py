"""Benchmark ``verlicht neo4j push``: nodes + relationships written per second (goal ≥ 20,000/s in batches).

Needs a Neo4j server: ``VERLICHT_NEO4J_URI``, ``VERLICHT_NEO4J_USER`` and ``VERLICHT_NEO4J_PASSWORD`` (a
scratch database: the push replaces its ``:Verlicht`` nodes). Without them it says so, still times the
planning (no server needed) and exits 0. It pushes the synthetic workspace of ``bench/generate.py`` twice:
into an empty database (every MERGE creates) and again (every MERGE matches; nothing is deleted).

    .venv/bin/python bench/neo4j_push.py [--interviews 100] [--utterances 300] [--batch-size 5000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import bench_workspace  # noqa: E402

import verlicht.api as api  # noqa: E402

NEEDED = ("VERLICHT_NEO4J_URI", "VERLICHT_NEO4J_USER", "VERLICHT_NEO4J_PASSWORD")
GOAL = 20_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=100)
    parser.add_argument("--utterances", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()

    ws = api.open(bench_workspace(args.out, args.interviews, args.utterances))
    started = time.perf_counter()
    plan = ws.neo4j_plan(args.batch_size)
    planning = time.perf_counter() - started
    items = plan.node_count + plan.relationship_count
    print(f"workspace: {args.interviews} interviews × {args.utterances} utterances: {plan.node_count:,} nodes, "
          f"{plan.relationship_count:,} relationships, {len(plan.statements)} statements")
    print(f"planning: {planning:.2f} s ({items / planning:,.0f} items/s; no server needed)")
    missing = [name for name in NEEDED if name not in os.environ]  # an empty password is a server without auth
    if missing:
        print(f"push: skipped — no Neo4j server configured (set {', '.join(missing)}); "
              "see 'Neo4j' in the README for a one-line Docker server")
        return 0
    ws.neo4j_query("MATCH (n:Verlicht) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", write=True)
    for label in ("push into an empty database", "re-push of the same build"):
        row = ws.neo4j_push(batch_size=args.batch_size)[0]
        rate = items / row["seconds"]
        verdict = "meets" if rate >= GOAL else "misses"
        print(f"{label}: {row['seconds']:.2f} s, {rate:,.0f} nodes+relationships/s "
              f"({verdict} the goal of {GOAL:,}/s); removed {row['deleted_nodes']} nodes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
