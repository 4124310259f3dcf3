"""Benchmarks for the foundation budgets, printed as ratios to a bare regex scan of the same bytes.

    python bench/run.py [--interviews 1000] [--utterances 300] [--uniform] [--cli]
                        [--repeat 1] [--phases] [--no-gaps] [--out bench/out]

Budgets (docs/ARCHITECTURE.md, 2-core machine): cold build <= 5x the regex scan; rebuild after
editing one interview <= 1 s; `verlicht gaps` <= 1 s wall, graph load included. With --uniform (or --cli)
also the command-line targets of issue 14 item 6, each as a ratio to its target with its peak memory.
See bench/README.md for what each line measures.
"""

from __future__ import annotations

import argparse
import os
import re

try:
    import resource
except ImportError:  # not on Windows
    resource = None
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

from verlicht.graph.build import BuildReport, build_graph
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


def cpu_seconds() -> tuple[float, float]:
    """CPU time (user + system) of this process and of its finished children (the parse workers)."""
    if resource is None:
        return float("nan"), float("nan")
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


# Issue 14 item 6: whole commands from the command line (interpreter start, imports, freshness check, work,
# output) on the --uniform worst case. (label, arguments, target in seconds)
CLI_TARGETS = (
    ("build, nothing changed", ["build", "-q"], 0.5),
    ("build after editing one file", ["build", "-q"], 1.0),
    ("gaps --format json", ["gaps", "--format", "json"], 1.0),
    ("gaps --format csv", ["gaps", "--format", "csv"], 1.0),
    ("gaps (table, piped)", ["gaps"], 2.0),
    ("query assumptions --format json", ["query", "assumptions", "--format", "json"], 1.0),
    ("query assumptions --format csv", ["query", "assumptions", "--format", "csv"], 1.0),
    ("query assumptions (table, piped)", ["query", "assumptions"], 2.0),
    ("stats --format json", ["stats", "--format", "json"], 1.0),
)


def run_command(argv: list[str], pythonpath: str | None = None) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak resident memory (MiB) of one command; its output
    goes to /dev/null, as when piped. ``pythonpath``: where to import ``verlicht`` from instead (an export of
    another version, for before/after comparisons)."""
    # As installed: Python may keep its bytecode caches (an environment that forbids them recompiles every module
    # on every start, about 0.1-0.2 s of CPU here); the first run writes them.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    # Linux keeps a process's peak RSS across exec, and a child starts as a copy of this (large) process: its
    # own peak is only seen by a small parent, GNU time, which forks it anew.
    timer = shutil.which("time", path="/usr/bin")
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report, open(os.devnull, "wb") as sink:
        wrapped = [timer, "-f", "%M", "-o", report.name, *argv] if timer else argv
        start = time.perf_counter()
        child = subprocess.Popen(wrapped, stdout=sink, stderr=subprocess.DEVNULL, env=env)
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"{' '.join(argv)} exited with {os.waitstatus_to_exitcode(status)}")
        peak = int(report.read().split()[-1]) if timer else usage.ru_maxrss
    return wall, usage.ru_utime + usage.ru_stime, peak // 1024


def cli_figures(ws: Path, victim: Path, runs: int = 3) -> list[tuple[str, float, float, float, int, float]]:
    """Per command line of CLI_TARGETS: the fastest wall time of ``runs``, the fastest and the median CPU, the
    largest peak memory, and the target. The edits append a coded line to ``victim`` (restored afterwards)."""
    verlicht = str(Path(sys.executable).with_name("verlicht"))
    original = victim.read_bytes()
    figures = []
    try:
        for label, args, target in CLI_TARGETS:
            measured = []
            for run in range(runs):
                if label.startswith("build after"):
                    victim.write_bytes(original + f"[[uid=clibench{run + 1}]] Nog een zin. "
                                                  "[[c003->c004||causal_pos]]\n".encode())
                measured.append(run_command([verlicht, "-w", str(ws), *args]))
                if label.startswith("build after"):
                    victim.write_bytes(original)
                    run_command([verlicht, "-w", str(ws), "build", "-q"])
            cpus = [m[1] for m in measured]
            figures.append((label, min(m[0] for m in measured), min(cpus), statistics.median(cpus),
                            max(m[2] for m in measured), target))
    finally:
        victim.write_bytes(original)
        run_command([verlicht, "-w", str(ws), "build", "-q"])
    return figures


def show_cli(figures: list[tuple[str, float, float, float, int, float]], runs: int) -> None:
    print(f"command line (issue 14 item 6; {runs} runs each: fastest wall, fastest and median CPU, largest peak RSS;"
          " the target is for CPU):")
    print(f"  {'command':<34}{'wall s':>8}{'CPU s':>8}{'median':>8}{'target':>8}{'ratio':>7}{'peak RSS':>10}")
    for label, wall, cpu, median, rss, target in figures:
        mark = "" if median <= target else "  over"
        print(f"  {label:<34}{wall:>8.3f}{cpu:>8.3f}{median:>8.3f}{target:>7.1f}s{median / target:>7.2f}"
              f"{rss:>6} MiB{mark}")


def show_phases(label: str, seconds: float, report: BuildReport) -> None:
    print(f"  {label} ({seconds:.3f} s):")
    for name, spent in report.phases.items():
        print(f"    {name:<38}{spent:>8.3f}")
    print(f"    {'(the rest: freeing memory, waiting)':<38}{seconds - sum(report.phases.values()):>8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--utterances", type=int, default=300)
    parser.add_argument("--uniform", action="store_true",
                        help="worst case: every claim drawn from all concept pairs (almost all claims new)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rebuild this many times (a different edit each time) and report the fastest "
                             "and the median")
    parser.add_argument("--phases", action="store_true", help="print the seconds spent per step of each build")
    parser.add_argument("--no-gaps", action="store_true", help="skip the `verlicht gaps` subprocess runs")
    parser.add_argument("--cli", action="store_true",
                        help="also time whole commands against issue 14's targets (on with --uniform)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command line with --cli (default 3)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args()
    ws = args.out / f"ws-{args.interviews}x{args.utterances}{'-uniform' if args.uniform else ''}"
    first = ws / "interviews" / "i0000.rock"
    if (ws / "verlicht.toml").exists() and first.exists() and b"VERLICHT_anonymised" not in first.read_bytes()[:200]:
        shutil.rmtree(ws)  # made before sources carried the anonymisation marker: make it again
    if not (ws / "verlicht.toml").exists():
        print(f"generating {ws} …", flush=True)
        generate(ws, args.interviews, args.utterances, uniform=args.uniform)
    shutil.rmtree(ws / "graphs", ignore_errors=True)
    layout = open_layout(ws)
    files = layout.source_files()
    size = sum(f.stat().st_size for f in files)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    scan, brackets = min(regex_scan(files) for _ in range(3))
    before = cpu_seconds()
    cold, report = timed(lambda: build_graph(layout))
    cold_cpu = [after - start for after, start in zip(cpu_seconds(), before, strict=True)]
    victim = files[len(files) // 2]
    original = victim.read_bytes()
    rebuilds: list[tuple[float, BuildReport]] = []
    try:
        for run in range(max(1, args.repeat)):
            victim.write_bytes(original + f"[[uid=benchedit{run + 1}]] Nog een zin. "
                                          "[[c001->c002||causal_pos]]\n".encode())
            rebuilds.append(timed(lambda: build_graph(layout)))
            if run + 1 < args.repeat:
                victim.write_bytes(original)
                build_graph(layout)
    finally:
        victim.write_bytes(original)
    build_graph(layout)
    rebuild, report2 = min(rebuilds, key=lambda item: item[0])
    gaps_wall = None
    if not args.no_gaps:
        verlicht = Path(sys.executable).with_name("verlicht")
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([str(verlicht), "-w", str(ws), "gaps", "--format", "json"], check=True,
                           stdout=subprocess.DEVNULL)
            runs.append(time.perf_counter() - start)
        gaps_wall = min(runs)
    cli_runs = max(3, args.repeat, args.runs)
    cli = cli_figures(ws, victim, cli_runs) if args.cli or args.uniform else None

    print(f"workspace: {len(files)} interviews, {report.counts['utterances']} utterances, "
          f"{brackets} bracket codes, {size / 1e6:.1f} MB; {report.counts['assumptions']} assumptions")
    print(f"machine: {os.cpu_count()} cores, load average {load:.2f} when started"
          + ("  (other work is running: expect slower figures)" if load > 0.5 else ""))
    print(f"{'measure':<34}{'seconds':>9}{'x regex scan':>14}   budget")
    print(f"{'regex scan (floor)':<34}{scan:>9.3f}{1:>14.2f}")
    print(f"{'cold build':<34}{cold:>9.3f}{cold / scan:>14.2f}   <= 5x scan")
    median = (f", median {statistics.median([t for t, _r in rebuilds]):.3f} s of {len(rebuilds)}"
              if len(rebuilds) > 1 else "")
    print(f"{'rebuild after editing one file':<34}{rebuild:>9.3f}{rebuild / scan:>14.2f}   <= 1 s "
          f"({report2.parsed} re-parsed{median})")
    if gaps_wall is not None:
        print(f"{'verlicht gaps (wall, subprocess)':<34}{gaps_wall:>9.3f}{gaps_wall / scan:>14.2f}   <= 1 s")
    print(f"cold build CPU: {cold_cpu[0]:.2f} s in this process, {cold_cpu[1]:.2f} s in parse workers "
          f"(wall x cores = {cold * (os.cpu_count() or 1):.2f} s)")
    if cli is not None:
        show_cli(cli, cli_runs)
    if args.phases:
        show_phases("cold build", cold, report)
        show_phases("rebuild", rebuild, report2)


if __name__ == "__main__":
    main()
