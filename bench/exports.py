"""Time the exporters of this module set (cypher, qdc, qdpx, rock) on the synthetic bench workspace.

    .venv/bin/python bench/exports.py [--interviews 1000] [--utterances 300]

Prints seconds per exporter, the size written, and the figure against the issue's goal for exports of the
1,000-interview workspace (≤ 30 s). The workspace is generated and built once (``bench/generate.py``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import bench_workspace  # noqa: E402

import verlicht.api as api  # noqa: E402
from verlicht.interop.registry import get_exporter  # noqa: E402

GOAL = 30.0


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--utterances", type=int, default=300)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()

    folder = bench_workspace(args.out, args.interviews, args.utterances)
    ws = api.open(folder)
    target = folder / "graphs" / "exports"
    shutil.rmtree(target, ignore_errors=True)
    print(f"workspace: {args.interviews} interviews × {args.utterances} utterances")
    for name in ("cypher", "qdc", "qdpx", "rock"):
        suffix = get_exporter(name).suffix
        out = target / f"verlicht{suffix}" if suffix else target / "rock"
        started = time.perf_counter()
        ws.export(name, out)  # what `verlicht export --format NAME -o OUT` does
        seconds = time.perf_counter() - started
        verdict = "within" if seconds <= GOAL else "over"
        print(f"{name:7s} {seconds:6.1f} s  {_size(out) / 1e6:7.1f} MB  ({verdict} the {GOAL:.0f} s goal)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
