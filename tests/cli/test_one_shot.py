"""The ``verlicht`` program ends a successful command at once (no object-by-object teardown of a loaded graph)
and freezes what its paused stretches made (issue 14 item 6): the answers, the exit status, the exit handlers
and a closed pipe must be as they were. Each check runs the real program in a new interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run

PROGRAM = [sys.executable, "-m", "verlicht"]


@pytest.fixture
def built_mini(mini: Path) -> Path:
    assert run("build", "-q", workspace=mini)[0] == 0
    return mini


@pytest.mark.parametrize("argv", [["gaps", "--format", "json"], ["gaps", "--format", "csv"], ["gaps"],
                                  ["query", "assumptions", "--format", "json"], ["stats", "--format", "csv"]])
def test_the_program_prints_what_the_command_in_process_prints(built_mini, argv):
    code, expected, _err = run(*argv, workspace=built_mini)
    done = subprocess.run([*PROGRAM, "-w", str(built_mini), *argv], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (code, expected) == (0, expected)
    assert expected.strip()


def test_a_mistake_still_exits_1_with_one_line(built_mini):
    done = subprocess.run([*PROGRAM, "-w", str(built_mini), "gaps", "--goal", "99"], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith("error: unknown goal 99") and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_exit_handlers_run_before_the_program_ends(built_mini, tmp_path):
    marker = tmp_path / "handler-ran"
    code = ("import atexit, pathlib, sys\n"
            f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
            "from verlicht.cli import main\n"
            f"sys.argv = ['verlicht', '-w', {str(built_mini)!r}, 'stats']\n"
            "main()\n"
            "print('not reached: main ends the process')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0
    assert marker.read_text() == "yes"
    assert "not reached" not in done.stdout and "assumptions" in done.stdout


def test_a_closed_pipe_ends_quietly(built_mini):
    program = subprocess.Popen([*PROGRAM, "-w", str(built_mini), "gaps", "--format", "json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    program.stdout.read(10)
    program.stdout.close()
    assert program.wait(timeout=60) == 0
    assert b"Traceback" not in program.stderr.read()


def test_a_paused_stretch_freezes_what_it_made_only_in_a_one_shot_process():
    code = ("import gc\n"
            "from verlicht.gcpause import gc_paused, one_shot\n"
            "with gc_paused():\n    kept = [[i] for i in range(1000)]\n"
            "before = gc.get_freeze_count()\n"
            "one_shot()\n"
            "with gc_paused():\n    more = [[i] for i in range(1000)]\n"
            "print(before, gc.get_freeze_count() >= 2000, gc.isenabled())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "True", "True"]
