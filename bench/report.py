"""Benchmark of `verlicht report` on the synthetic 1,000-interview workspace (budget: written in <= 10 s).

    python bench/report.py [--interviews 1000] [--utterances 300] [--repeat 3] [--out bench/out]

The workspace comes from bench/generate.py (seeded), in its own folder ``ws-report-<N>x<M>`` with yearly
observations 2018–2024 for Heerlen-Noord and Nederland added for every indicator, so the administrators'
page draws a chart per indicator; it is built once and kept between runs. Measured: the report written
in-process by ``Workspace.report()`` on a fresh Workspace (graph, evidence and provenance loads included;
fastest and median of ``--repeat``), and the whole ``verlicht report`` command in a subprocess (interpreter
start and imports included, fastest of three). See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

import verlicht

BUDGET = 10.0
AREAS = ("heerlen_noord", "nederland")
YEARS = range(2018, 2025)


def add_observations(ws: Path, seed: int = 11) -> int:
    """Yearly values for every indicator of the generated catalogue in Heerlen-Noord and Nederland."""
    rng = random.Random(seed)
    indicators = [line.split(",", 1)[0] for line in
                  (ws / "indicators" / "indicators.csv").read_text(encoding="utf-8").splitlines()[1:]]
    rows = ["indicator,area,period,value"]
    for ident in indicators:
        level = rng.uniform(5, 60)
        for area in AREAS:
            value = level * (1.3 if area == "heerlen_noord" else 1.0)
            for year in YEARS:
                value += rng.uniform(-1.5, 1.0)
                rows.append(f"{ident},{area},{year},{value:.1f}")
    (ws / "indicators" / "observations.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--utterances", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args()
    ws = args.out / f"ws-report-{args.interviews}x{args.utterances}"
    if not (ws / "indicators" / "observations.csv").exists():
        print(f"generating {ws} …", flush=True)
        generate(ws, args.interviews, args.utterances)
        add_observations(ws)
    if not (ws / "graphs" / "verlicht.json").exists():
        print("building it once (not measured) …", flush=True)
        verlicht.open(ws).build()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    runs: list[float] = []
    rows: list[dict] = []
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        rows = verlicht.open(ws).report()
        runs.append(time.perf_counter() - start)
    command = Path(sys.executable).with_name("verlicht")
    walls = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([str(command), "-w", str(ws), "report", "--format", "json"], check=True,
                       stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)

    counts = verlicht.open(ws).graph.header["counts"]
    print(f"workspace: {counts['sources']} interviews, {counts['utterances']} utterances, "
          f"{counts['assumptions']} assumptions, {counts['indicators']} indicators, "
          f"{counts['observations']} observations")
    print(f"machine: {os.cpu_count()} cores, load average {load:.2f} when started"
          + ("  (other work is running: expect slower figures)" if load > 0.5 else ""))
    print(f"{'measure':<40}{'seconds':>9}   budget")
    print(f"{'Workspace.report() (fastest)':<40}{min(runs):>9.3f}   <= {BUDGET:.0f} s"
          f"   {'ok' if min(runs) <= BUDGET else 'OVER'}")
    print(f"{'Workspace.report() (median of ' + str(len(runs)) + ')':<40}{statistics.median(runs):>9.3f}")
    print(f"{'verlicht report (subprocess, fastest)':<40}{min(walls):>9.3f}   <= {BUDGET:.0f} s"
          f"   {'ok' if min(walls) <= BUDGET else 'OVER'}")
    print("pages: " + ", ".join(f"{r['page']} {r['bytes'] / 1e3:.0f} kB" for r in rows))


if __name__ == "__main__":
    main()
