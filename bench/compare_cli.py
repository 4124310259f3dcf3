"""Before and after, run by run: the command lines of issue 14 item 6 under two versions of VERLICHT.

    git archive OLD verlicht | tar -x -C /tmp/old        # the previous version's package
    python bench/compare_cli.py /tmp/old bench/out/ws-1000x300-uniform [--runs 5]

Each command of ``run.CLI_TARGETS`` that only reads (not the builds) runs ``--runs`` times under each version,
alternating (the old one from the folder on ``PYTHONPATH``, this one as installed), on the same built
workspace, so that both see the same load on a shared machine. Prints per command and version the fastest and
median CPU seconds (user + system of the whole process) and the largest peak RSS, and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CLI_TARGETS, run_command  # bench/ is not a package: its folder on the path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="folder holding the previous version's verlicht package")
    parser.add_argument("workspace", type=Path, help="a built workspace (bench/run.py --uniform makes one)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    verlicht = str(Path(sys.executable).with_name("verlicht"))
    base = [verlicht, "-w", str(args.workspace)]
    run_command([*base, "build", "-q"])  # up to date, so that no query builds first
    loads = [os.getloadavg()[0]]
    print(f"{'command':<34}{'before: fastest':>16}{'median':>8}{'RSS MiB':>9}{'after: fastest':>16}{'median':>8}"
          f"{'RSS MiB':>9}")
    for label, command, _target in CLI_TARGETS:
        if command[0] == "build":
            continue
        before, after = [], []
        for _ in range(args.runs):
            before.append(run_command([*base, *command], pythonpath=args.before))
            after.append(run_command([*base, *command]))
        cells = []
        for measured in (before, after):
            cpus = [m[1] for m in measured]
            cells.append(f"{min(cpus):>16.3f}{statistics.median(cpus):>8.3f}{max(m[2] for m in measured):>9}")
        print(f"{label:<34}{''.join(cells)}", flush=True)
        loads.append(os.getloadavg()[0])
    print(f"load average (1 min) while running: {min(loads):.2f}-{max(loads):.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
