"""The adjudicator driven through a real pseudo-terminal (pexpect), as a team lead would use it.

Each decision is checked on disk: the consensus with the ROCK reader, the decisions log as CSV.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import sys
from pathlib import Path

import pytest

from verlicht.rock.reader import read_source

pexpect = pytest.importorskip("pexpect")
from test_coder_pty import Prompted  # noqa: E402  (after the skip: it needs pexpect)

VERLICHT = Path(sys.executable).with_name("verlicht")
CODERS = Path(__file__).resolve().parents[1] / "data" / "coders"
CTRL_C = "\x03"


@pytest.fixture
def coded(demo: Path) -> Path:
    for name in ("anna", "bram"):
        shutil.copytree(CODERS / name, demo / "coders" / name)
    return demo


def spawn(workspace: Path) -> Prompted:
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "160", "PROMPT_TOOLKIT_NO_CPR": "1", "LANG": "C.UTF-8",
           "LINES": "40"}
    child = pexpect.spawn(str(VERLICHT), ["code", "adjudicate", "coders/anna/r07.rock", "coders/bram/r07.rock"],
                          cwd=str(workspace), env=env, encoding="utf-8", timeout=30, dimensions=(40, 160))
    child.logfile_read = open(os.environ.get("PTY_LOG", os.devnull), "a")  # noqa: SIM115
    prompted = Prompted(child)
    prompted.expect("adjudicate>")
    return prompted


def log_rows(workspace: Path) -> list[dict[str, str]]:
    text = (workspace / "coders/consensus/r07.decisions.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def codes_on(path: Path, uid: str) -> set[str]:
    u = next(u for u in read_source(path).utterances if u.uid == uid)
    return {">".join(c.path) for c in u.codes} | {f"{n.source}->{n.target}||{n.type}" for n in u.network}


def test_adjudicator_shows_both_coders_side_by_side_and_writes_each_decision_at_once(coded: Path):
    out = coded / "coders/consensus/r07.rock"
    child = spawn(coded)
    child.send("g 7ddr5tz6\r")
    child.expect(r"a  anna\s+b  bram")
    child.expect(r"≠\S* energiearmoede->schulden\|\|causal_pos +-\r")  # (\S*: the colour codes of the mark)
    child.expect(r"≠\S* - +schulden->energiearmoede\|\|causal_pos\r")
    child.expect("adjudicate>")
    child.send("b\r")
    child.expect(r"uid 7ddr5tz6: take bram → schulden->energiearmoede\|\|causal_pos")
    child.expect("adjudicate>")
    assert codes_on(out, "7ddr5tz6") == {"schulden->energiearmoede||causal_pos"}  # on disk before quitting
    assert [(r["uid"], r["decision"]) for r in log_rows(coded)] == [("7ddr5tz6", "b")]
    child.send("g 7ddr5tyx\r")
    child.expect("adjudicate>")
    child.send("e\r")  # edit: the field starts with both coders' codes
    child.expect("codes \\(separated by ;\\)>")
    child.send("\x15")  # Ctrl-U clears it
    child.send("inponden->mengen_zonder_verdringen||struct")
    child.expect("hoort bij")  # edge types (and concepts) complete from the codebook, with their label
    child.send("\t")
    child.expect("ural")
    child.send(" ; wonen\r")
    child.expect(r"uid 7ddr5tyx: edited → inponden->mengen_zonder_verdringen\|\|structural ; wonen")
    child.expect("adjudicate>")
    assert codes_on(out, "7ddr5tyx") == {"inponden->mengen_zonder_verdringen||structural", "wonen"}
    child.send("u\r")
    child.expect("undone: the decision on uid 7ddr5tyx")
    child.expect("adjudicate>")
    assert [r["uid"] for r in log_rows(coded)] == ["7ddr5tz6"]
    child.send("both\r")
    child.expect("a claim and its opposite|uid 7ddr5tyx: both")
    child.expect("adjudicate>")
    child.send("q\r")
    child.expect(r"decided 2 of 8 differences \(6 open\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert codes_on(out, "7ddr5tyx") == {"inponden->mengen_zonder_verdringen||structural",
                                         "inponden->mengen_zonder_verdringen||causal_pos"}
    assert [u.uid for u in read_source(out).utterances] == [
        u.uid for u in read_source(coded / "coders/anna/r07.rock").utterances]


def test_ctrl_c_keeps_every_decision_and_the_next_run_resumes(coded: Path):
    child = spawn(coded)
    child.send("a\r")  # 7ddr5tye, the first difference
    child.expect("uid 7ddr5tye: take anna")
    child.expect("adjudicate>")
    child.send("e\r")
    child.expect("codes")
    child.send(CTRL_C)  # half an edit: nothing changes
    child.expect("cancelled; nothing changed")
    child.expect("adjudicate>")
    child.kill(9)  # as hard as an interruption gets
    child.close()
    assert [(r["uid"], r["decision"]) for r in log_rows(coded)] == [("7ddr5tye", "a")]
    again = spawn(coded)  # resumes at the first open difference
    again.send("l\r")
    again.expect(r"7ddr5tye\s+take anna")
    again.expect("adjudicate>")
    again.send("q\r")
    again.expect(r"decided 1 of 8 differences \(7 open\)")
    again.expect(pexpect.EOF)


def test_adjudicator_shows_the_utterance_before_the_one_to_decide(coded: Path):
    child = spawn(coded)
    child.send("g 7ddr5tz6\r")  # line 42, after line 41 of the same speaker
    child.expect(r"41 Als wij een blok aanpakken")  # the utterance before, for its context
    child.expect(r"▶   42 En een hoge energierekening")
    child.expect("adjudicate>")
    child.send("g 7ddr5tyx\r")  # line 37 answers the interviewer's question on line 36
    child.expect(r"36 Wat doen jullie als corporatie\?")
    child.expect(r"▶   37 We kopen woningen op")
    child.expect("adjudicate>")
    child.send("q\r")
    child.expect(pexpect.EOF)
