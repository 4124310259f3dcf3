"""Benchmarks for the foundation budgets, printed as ratios to a bare regex scan of the same bytes.

    python bench/run.py [--interviews 1000] [--utterances 300]

Budgets (ARCHITECTURE.md, 2-core machine): cold build <= 5x the regex scan; rebuild after
editing one interview <= 1 s; `verlicht gaps` <= 1 s wall, graph load included.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

from verlicht.graph.build import build_graph
from verlicht.workspace import open_layout

BRACKETS = re.compile(r"\[\[([^\[\]]*)\]\]")


def regex_scan(files: list[Path]) -> tuple[float, int]:
    """The floor: read every source, decode it and find every [[...]] — no meaning attached."""
    start = time.perf_counter()
    found = 0
    for file in files:
        found += len(BRACKETS.findall(file.read_bytes().decode("utf-8")))
    return time.perf_counter() - start, found


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--utterances", type=int, default=300)
    parser.add_argument("--uniform", action="store_true",
                        help="worst case: every claim drawn from all concept pairs (almost all claims new)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args()
    ws = args.out / f"ws-{args.interviews}x{args.utterances}{'-uniform' if args.uniform else ''}"
    if not (ws / "verlicht.toml").exists():
        print(f"generating {ws} …", flush=True)
        generate(ws, args.interviews, args.utterances, uniform=args.uniform)
    shutil.rmtree(ws / "graphs", ignore_errors=True)
    layout = open_layout(ws)
    files = layout.source_files()
    size = sum(f.stat().st_size for f in files)

    scan, brackets = min(regex_scan(files) for _ in range(3))
    cold, report = timed(lambda: build_graph(layout))
    victim = files[len(files) // 2]
    original = victim.read_bytes()
    try:
        victim.write_bytes(original + b"[[uid=benchedit1]] Nog een zin. [[c001->c002||causal_pos]]\n")
        rebuild, report2 = timed(lambda: build_graph(layout))
    finally:
        victim.write_bytes(original)
    build_graph(layout)
    verlicht = Path(sys.executable).with_name("verlicht")
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([str(verlicht), "-w", str(ws), "gaps", "--format", "json"], check=True,
                       stdout=subprocess.DEVNULL)
        runs.append(time.perf_counter() - start)
    gaps_wall = min(runs)

    print(f"workspace: {len(files)} interviews, {report.counts['utterances']} utterances, "
          f"{brackets} bracket codes, {size / 1e6:.1f} MB; {report.counts['assumptions']} assumptions")
    print(f"{'measure':<34}{'seconds':>9}{'x regex scan':>14}   budget")
    print(f"{'regex scan (floor)':<34}{scan:>9.3f}{1:>14.2f}")
    print(f"{'cold build':<34}{cold:>9.3f}{cold / scan:>14.2f}   <= 5x scan")
    print(f"{'rebuild after editing one file':<34}{rebuild:>9.3f}{rebuild / scan:>14.2f}   <= 1 s "
          f"({report2.parsed} re-parsed)")
    print(f"{'verlicht gaps (wall, subprocess)':<34}{gaps_wall:>9.3f}{gaps_wall / scan:>14.2f}   <= 1 s")


if __name__ == "__main__":
    main()
