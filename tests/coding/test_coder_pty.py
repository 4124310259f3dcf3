"""The interactive coder driven through a real pseudo-terminal (pexpect), as a coder would use it.

Each test checks the file on disk with the ROCK reader: what was confirmed is there, what was
cancelled with Ctrl-C is not, and the file is valid ROCK at every point.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pytest

from verlicht.rock.reader import read_source

pexpect = pytest.importorskip("pexpect")

VERLICHT = Path(sys.executable).with_name("verlicht")
CTRL_C, CTRL_U = "\x03", "\x15"


def spawn(workspace: Path, *args: str, claim: str | None = "y"):
    """The coder on a pseudo-terminal, as anna, at its first ``code>`` prompt.

    The mini workspace's sources hold codes without a coder id, so the coder first asks whether they are
    anna's: ``claim`` is the answer (these tests code them as hers); None leaves the question unanswered.
    """
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "160", "PROMPT_TOOLKIT_NO_CPR": "1", "LANG": "C.UTF-8",
           "VERLICHT_CODER": "anna", "LINES": "40"}
    child = pexpect.spawn(str(VERLICHT), ["code", *args], cwd=str(workspace), env=env, encoding="utf-8",
                          timeout=30, dimensions=(40, 160))
    child.logfile_read = open(os.environ.get("PTY_LOG", os.devnull), "a")  # noqa: SIM115
    prompted = Prompted(child)
    if claim is None:
        return prompted
    if prompted.expect(["code>", "Are the earlier codes anna's"]) == 1:
        prompted.expect("quit>")
        prompted.send(claim + "\r")
        prompted.expect("code>")
    return prompted


class Prompted:
    """A spawned coder whose ``expect`` of a prompt also waits until that prompt reads keys.

    prompt_toolkit switches the terminal to raw mode at the start of every question with TCSAFLUSH,
    which discards keys typed before; a person never types that fast, a test does.
    """

    def __init__(self, child):
        self.child = child

    def expect(self, pattern, *args, **kwargs):
        found = self.child.expect(pattern, *args, **kwargs)
        if pattern is not pexpect.EOF:
            time.sleep(0.2)
        return found

    def __getattr__(self, name):
        return getattr(self.child, name)


def finish(child) -> None:
    child.send("q\r")
    child.expect("saved ")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def network(path: Path, uid: str) -> list[tuple]:
    utterance = next(u for u in read_source(path).utterances if u.uid == uid)
    return [(n.source, n.target, n.type) for n in utterance.network]


def test_coder_adds_a_network_code_with_completion_and_an_edge_type(mini: Path):
    path = mini / "interviews" / "a.rock"
    child = spawn(mini, "interviews/a.rock", "--no-suggest")
    child.send("n\r")  # to a0000002
    child.expect("code>")
    child.send("menging->sociale_coh")
    child.expect("sociale_cohesie")  # the completion menu offers it …
    child.send("\t")
    child.expect("esie")  # … and Tab puts the rest in the line
    child.send("\r")
    child.expect("Enter = causal")  # the question is fully drawn (typing earlier may race its start)
    child.send("causal_n")
    child.expect("causal_neg")  # the types complete here: the menu shows it, Tab takes it
    child.send("\t")
    child.expect("eg")
    child.send("\r")
    child.expect(r"added \[\[menging->sociale_cohesie\|\|causal_neg\]\]")
    child.expect("code>")
    child.send("goedkope_woningen->druk_op_voor")  # concepts complete again after the edge-type question
    child.expect("druk_op_voorzieningen")
    child.send("\t")
    child.expect("zieningen")
    child.send("\r")
    child.expect("Enter = causal")
    child.send("\r")  # Enter: unsigned causal
    child.expect(r"added \[\[goedkope_woningen->druk_op_voorzieningen\|\|causal\]\]")
    child.expect("code>")
    assert "Enter = causal" not in child.readline()  # the edge-type hint is not left on the next prompt
    finish(child)
    assert ("menging", "sociale_cohesie", "causal_neg") in network(path, "a0000002")
    assert ("goedkope_woningen", "druk_op_voorzieningen", "causal") in network(path, "a0000002")
    assert {u.coder_id for u in read_source(path).utterances} == {"anna"}


def test_ctrl_c_in_the_middle_of_an_edit_loses_nothing_and_writes_nothing(mini: Path):
    path = mini / "interviews" / "a.rock"
    child = spawn(mini, "interviews/a.rock", "--no-suggest")
    child.send("g a0000004\r")
    child.expect("code>")
    child.send("wonen\r")  # a confirmed change
    child.expect(r"added \[\[wonen\]\]")
    child.expect("code>")
    saved = path.read_bytes()
    child.send("goedkope_woningen->instroom_kwet")  # half typed
    child.send(CTRL_C)
    child.expect("cancelled")
    child.expect("code>")
    assert path.read_bytes() == saved
    child.send("goedkope_woningen->menging\r")  # at the edge type question
    child.expect("edge type>")
    child.send(CTRL_C)
    child.expect("cancelled")
    child.expect("code>")
    assert path.read_bytes() == saved
    child.sendcontrol("d")  # Ctrl-D quits like q
    child.expect(pexpect.EOF)
    child.close()
    utterance = next(u for u in read_source(path).utterances if u.uid == "a0000004")
    assert [c.id for c in utterance.codes] == ["wonen"]
    assert ("goedkope_woningen", "menging", "causal") not in network(path, "a0000004")


def test_coder_removes_undoes_searches_and_filters(mini: Path):
    path = mini / "interviews" / "a.rock"
    original = path.read_bytes()
    child = spawn(mini, "interviews/a.rock", "--no-suggest")
    child.send("/corporaties\r")
    child.expect(r"\[R2\] Gemeente en corporaties")
    child.expect("code>")
    child.send("-1\r")
    child.expect(r"removed \[\[gemeente_heerlen->woningcorporaties\|\|collaborates\]\]")
    child.expect("code>")
    assert network(path, "a0000006") == []
    child.send("u\r")
    child.expect("undone")
    child.expect("code>")
    assert path.read_bytes() == original
    child.send("f\r")  # the only uncoded utterance is the interviewer's question, which is not for coding
    child.expect("showing only uncoded utterances: every utterance is coded")
    child.expect("code>")
    finish(child)


def test_coder_creates_a_concept_on_the_fly(mini: Path):
    child = spawn(mini, "interviews/a.rock", "--no-suggest")
    child.send("n\r")
    child.expect("code>")
    child.send("buurtfeest->sociale_cohesie||causal_pos\r")
    child.expect("not in the codebook; create it")
    child.send("y\r")
    child.expect("type of 'buurtfeest'")
    child.send("intervention\r")
    child.expect(r"label \(nl\)>")
    child.send(CTRL_U + "Buurtfeest\r")
    child.expect(r"label \(en\)>")
    child.send("Street party\r")
    child.expect(r"added \[\[buurtfeest->sociale_cohesie\|\|causal_pos\]\]")
    child.expect("code>")
    finish(child)
    from verlicht.codebook import load_codebook

    book = load_codebook(mini / "ontology" / "codebook.yaml")
    assert book.concepts["buurtfeest"].type == "intervention"
    assert ("buurtfeest", "sociale_cohesie", "causal_pos") in network(mini / "interviews" / "a.rock", "a0000002")


def test_coder_reads_commands_from_a_pipe(mini: Path):
    import subprocess

    result = subprocess.run([str(VERLICHT), "code", "interviews/b.rock", "--no-suggest", "--coder", "bram"],
                            cwd=mini, input="n\nwonen\nq\n", capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "added [[wonen]]" in result.stdout
    utterance = next(u for u in read_source(mini / "interviews" / "b.rock").utterances if u.uid == "b0000002")
    assert [c.id for c in utterance.codes] == ["wonen"]


def test_coder_shows_suggestions_and_accepts_one(demo: Path):
    from verlicht.codebook import load_codebook
    from verlicht.coding.session import CodingSession
    from verlicht.coding.suggest import Suggester

    path = demo / "interviews" / "r07.rock"
    codebook = load_codebook(demo / "ontology" / "codebook.yaml")
    probe = CodingSession.open(path, codebook, "anna", suggester=Suggester(codebook))
    target = None
    for index in range(len(probe.utterances)):
        probe.index = index
        found = probe.suggestions()
        network = [n for n, s in enumerate(found, start=1) if s.kind == "network"]
        if network:
            target = (probe.current.uid, network[0], found[network[0] - 1].code)
            break
    assert target is not None, "the suggester proposes no network code anywhere in r07"
    uid, number, code = target
    child = spawn(demo, "interviews/r07.rock")
    child.send(f"g {uid}\r")
    child.expect("suggestions")
    child.expect(rf"\+{number}(\x1b\[0m)? " + re.escape(code))  # the number is coloured
    child.expect("code>")
    child.send(f"+{number}\r")
    child.expect("added")
    child.expect("code>")
    finish(child)
    utterance = next(u for u in read_source(path).utterances if u.uid == uid)
    assert code in [f"{n.source}->{n.target}||{n.type}" for n in utterance.network]
