"""Record a real session of the interactive coder, as the terminal shows it, for the README's walkthrough.

It copies the demo workspace (this repository) to a temporary folder, runs ``verlicht code`` in a
pseudo-terminal (pexpect), types the keys of :data:`STEPS` one prompt at a time, and renders what
the terminal would show, scrollback included, with a VT100 emulator (pyte). Nothing is made up:
re-run it after changing the coder and paste the parts that changed into README.md::

    .venv/bin/python docs/coder_walkthrough.py > docs/coder-walkthrough.txt
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pexpect
import pyte

REPO = Path(__file__).resolve().parent.parent
VERLICHT = Path(sys.executable).with_name("verlicht")
COLUMNS, ROWS = 118, 45

# Session 1: anna codes her own copy of r07. Session 2: she settles the conflicts of a merge with bram.
STEPS: list[tuple[str, list[str], list[str]]] = [
    ("anna's own copy", ["code", "coders/anna/r07.rock", "--coder", "anna"],
     ["g 7ddr5tz3", "y", "verduurzaming_woningen->energiearmoede", "causal_neg", "x1",
      "m Ook woonlasten? Bespreken met bram.", "28-29 wonen>instroom", "y",
      "b", "b 1", "j 2", "u", "q"]),
    ("settling a merge", ["code", "interviews/r07.rock", "--coder", "anna"],
     ["n", "c", "k", "c", "wonen>instroom", "q"]),
]


def workspace(into: Path) -> Path:
    for name in ("verlicht.toml", "interviews", "ontology", "indicators", "logic", "reviews"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, into / name)
        else:
            shutil.copyfile(source, into / name)
    verlicht = [str(VERLICHT)]
    subprocess.run([*verlicht, "code", "copy", "interviews/r07.rock", "--coder", "anna"], cwd=into, check=True,
                   capture_output=True)
    (into / "coders" / "bram").mkdir(parents=True, exist_ok=True)
    return into


def settle(child, stream, quiet: float = 0.8) -> None:
    """Feed the emulator everything the coder prints until it has printed nothing for ``quiet`` seconds."""
    while True:
        try:
            stream.feed(child.read_nonblocking(100000, timeout=quiet))
        except (pexpect.TIMEOUT, pexpect.EOF):
            return


def session(root: Path, args: list[str], keys: list[str]) -> list[str]:
    """The terminal's lines (scrollback, then screen) after typing ``keys`` into ``verlicht ARGS``."""
    env = {**os.environ, "TERM": "xterm", "COLUMNS": str(COLUMNS), "LINES": str(ROWS), "LANG": "C.UTF-8",
           "PROMPT_TOOLKIT_NO_CPR": "1"}
    env.pop("VERLICHT_CODER", None)
    # A screen taller than the whole session, so nothing scrolls: what scrolled off a real terminal is kept too.
    screen = pyte.Screen(COLUMNS, 3000)
    stream = pyte.Stream(screen)
    child = pexpect.spawn(str(VERLICHT), args, cwd=str(root), env=env, encoding="utf-8", timeout=60,
                          dimensions=(ROWS, COLUMNS))
    child.expect(["code>", "quit>"])  # started (spaCy takes a moment): keys typed before would be dropped
    stream.feed(child.before + child.after + child.buffer)  # what came after the match waits in the buffer
    child.buffer = ""
    for key in keys:
        settle(child, stream)  # the next question is drawn and reads keys (prompt_toolkit drops keys typed before)
        child.send(key + "\r")
    child.expect(pexpect.EOF, timeout=60)
    stream.feed(child.before)
    lines = [line.rstrip() for line in screen.display]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def record() -> str:
    """Both sessions as one text, each headed by the command line that started it."""
    out = []
    with tempfile.TemporaryDirectory() as folder:
        root = workspace(Path(folder))
        for title, args, keys in STEPS:
            if title == "settling a merge":  # once both copies are coded in full (the tests' coder data)
                for coder in ("anna", "bram"):
                    shutil.copyfile(REPO / "tests" / "data" / "coders" / coder / "r07.rock",
                                    root / "coders" / coder / "r07.rock")
                subprocess.run([str(VERLICHT), "merge", "coders/anna/r07.rock", "coders/bram/r07.rock", "--out",
                                "interviews/r07.rock", "--force"], cwd=root, check=True, capture_output=True)
                out.append("$ verlicht merge coders/anna/r07.rock coders/bram/r07.rock --out interviews/r07.rock "
                           "--force")
            out.append("$ verlicht " + " ".join(args))
            out.extend(session(root, args, keys))
            out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(record())
