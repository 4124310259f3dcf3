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

from generate import generate  # noqa: E402

import verlicht.api as api  # noqa: E402
from verlicht.interop.registry import load_exporters  # noqa: E402

GOAL = 30.0


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--utterances", type=int, default=300)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()

    folder = args.out / f"ws-{args.interviews}x{args.utterances}"
    if not (folder / "verlicht.toml").exists():
        generate(folder, args.interviews, args.utterances)
    ws = api.open(folder)
    if not ws.layout.graph_file.exists():
        started = time.perf_counter()
        ws.build()
        print(f"build: {time.perf_counter() - started:.1f} s")
    target = folder / "graphs" / "exports"
    shutil.rmtree(target, ignore_errors=True)
    print(f"workspace: {args.interviews} interviews × {args.utterances} utterances")
    for name in ("cypher", "qdc", "qdpx", "rock"):
        info = load_exporters()[name]
        started = time.perf_counter()
        out = info.func(ws, target / f"verlicht{info.suffix}" if info.suffix else target / "rock")
        seconds = time.perf_counter() - started
        verdict = "within" if seconds <= GOAL else "over"
        print(f"{name:7s} {seconds:6.1f} s  {_size(out) / 1e6:7.1f} MB  ({verdict} the {GOAL:.0f} s goal)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
