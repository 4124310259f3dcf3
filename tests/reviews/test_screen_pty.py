"""Interactive screening through a real pseudo-terminal (pexpect): decide, get killed, resume, nothing lost."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from verlicht.reviews.screening import read_decisions

pexpect = pytest.importorskip("pexpect")
VERLICHT = Path(sys.executable).with_name("verlicht")


def spawn(workspace: Path):
    env = {
        **os.environ,
        "TERM": "xterm",
        "COLUMNS": "120",
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "LANG": "C.UTF-8",
        "VERLICHT_SCREENER": "gp",
        "LINES": "40",
    }
    child = pexpect.spawn(
        str(VERLICHT),
        ["review", "screen", "mix"],
        cwd=str(workspace),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )
    child.logfile_read = open(os.environ.get("PTY_LOG", os.devnull), "a")  # noqa: SIM115
    return child


def ask(child, pattern: str):
    """Wait for the record ``pattern`` and its prompt; the record's match."""
    child.expect(pattern)
    match = child.match
    child.expect("q>")
    time.sleep(0.3)  # prompt_toolkit flushes keys typed before it reads (TCSAFLUSH)
    return match


def test_interrupted_session_resumes_with_nothing_lost(two_rounds):
    root = two_rounds.root
    child = spawn(root)
    ask(child, r"\[r5\]")
    child.send("i\r")
    child.expect("saved r5: i")
    ask(child, r"\[r6\]")
    child.send("e E2\r")
    child.expect("saved r6: e")
    ask(child, r"\[r(7|8)\]")  # both labels exist now: the order is the model's
    child.send("e E9\r")  # not a code of the protocol: said, nothing saved
    child.expect("not an exclusion criterion")
    child.expect("q>")
    child.kill(signal.SIGKILL)  # the screener's laptop dies mid-session
    child.close()
    decisions = read_decisions(two_rounds.review("mix"))
    assert [(d.record, d.decision, d.reason, d.screener) for d in decisions] == [
        ("r5", "include", "", "gp"),
        ("r6", "exclude", "E2", "gp"),
    ]

    child = spawn(root)  # resumed: the decided records are not offered again
    first = ask(child, r"\[r(7|8)\]").group(1)
    child.send("m\r")
    child.expect(f"saved r{first}: m")
    child.expect("q>")
    time.sleep(0.3)
    child.send("q\r")
    child.expect("decided 0 include, 0 exclude, 1 maybe; 1 left")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    decisions = read_decisions(two_rounds.review("mix"))
    assert [(d.record, d.decision) for d in decisions] == [("r5", "include"), ("r6", "exclude"), (f"r{first}", "maybe")]


def test_piped_screening_reads_answers_line_by_line(two_rounds):
    import subprocess

    result = subprocess.run(
        [str(VERLICHT), "review", "screen", "mix", "--screener", "mz"],
        cwd=two_rounds.root,
        input="i\ne E3\nq\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "[r5]" in result.stdout and "decided 1 include, 1 exclude, 0 maybe; 2 left" in result.stdout
