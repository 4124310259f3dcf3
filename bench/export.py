"""Benchmark of the linked-data exports and SHACL validation on the synthetic 1,000-interview workspace.

    python bench/export.py [--interviews 1000] [--utterances 300] [--formats ttl nt jsonld graphml gexf csv]
                           [--out bench/out]

Budgets (issue 11, 2-core machine): the export ≤ 30 s, ``verlicht validate`` ≤ 60 s. The workspace is the one
``bench/run.py`` uses (generated and built when missing). Each export is written to a file through the same
``Workspace.export`` the command calls; validation is ``Workspace.validate`` (the export rebuilt in memory,
then pyshacl, in two worker processes on a machine with two cores: the CPU column adds theirs).
See bench/README.md for figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import bench_workspace

import verlicht

BUDGETS = {"export": 30.0, "validate": 60.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--utterances", type=int, default=300)
    parser.add_argument("--formats", nargs="+", default=["ttl", "nt", "jsonld", "graphml", "gexf", "csv"])
    parser.add_argument("--no-validate", action="store_true")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args()
    ws_dir = bench_workspace(args.out, args.interviews, args.utterances)
    ws = verlicht.open(ws_dir)
    graph = ws.graph
    print(f"workspace: {ws_dir} ({len(graph.nodes):,} nodes, {len(graph.edges):,} edges in the graph file)")
    exports = args.out / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'step':<18}{'wall s':>8}{'CPU s':>8}{'size':>16}  budget (wall)")
    for fmt in args.formats:
        start, cpu = time.perf_counter(), time.process_time()
        row = ws.export(fmt, exports / f"verlicht.{fmt}")
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"{'export ' + fmt:<18}{seconds:>8.2f}{cpu:>8.2f}{row['bytes'] / 1e6:>14.1f}MB  ≤ "
              f"{BUDGETS['export']:.0f} s ({'met' if seconds <= BUDGETS['export'] else 'MISSED'})", flush=True)
    if not args.no_validate:
        start, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
        result = ws.validate()
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu + _children_cpu() - children  # validation's workers are child processes
        print(f"{'validate':<18}{seconds:>8.2f}{cpu:>8.2f}{result['triples']:>10,} triples  ≤ "
              f"{BUDGETS['validate']:.0f} s ({'met' if seconds <= BUDGETS['validate'] else 'MISSED'}; "
              f"conforms: {result['conforms']})")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
