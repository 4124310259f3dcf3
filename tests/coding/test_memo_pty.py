"""Memos from inside the interactive coder, through a real pseudo-terminal (pexpect)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
import yaml
from helpers import run

pexpect = pytest.importorskip("pexpect")

VERLICHT = Path(sys.executable).with_name("verlicht")


def expect(child, pattern):
    """Wait for ``pattern``; after a prompt, also until prompt_toolkit reads keys (see test_coder_pty)."""
    child.expect(pattern)
    time.sleep(0.2)


def test_coder_writes_memos_on_the_utterance_a_concept_and_the_source(mini: Path):
    source = mini / "interviews" / "a.rock"
    before = source.read_bytes()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "160", "PROMPT_TOOLKIT_NO_CPR": "1", "LANG": "C.UTF-8",
           "VERLICHT_CODER": "anna", "LINES": "40"}
    child = pexpect.spawn(str(VERLICHT), ["code", "interviews/a.rock", "--no-suggest", "--uid", "a0000002"],
                          cwd=str(mini), env=env, encoding="utf-8", timeout=30, dimensions=(40, 160))
    child.logfile_read = open(os.environ.get("PTY_LOG", os.devnull), "a")  # noqa: SIM115
    expect(child, "quit>")  # the file holds codes without a coder id: code without marking it as anna's
    child.send("\r")
    expect(child, "code>")
    child.send("m Goedkoop, of juist de verhuurder?\r")
    expect(child, r"memo [0-9a-f]{8} on utterance a0000002 saved in interviews/a.memos.yaml")
    expect(child, "code>")
    child.send("m sociale_cohesie: ook 'samenhang'\r")
    expect(child, r"memo [0-9a-f]{8} on concept sociale_cohesie saved in ontology/memos.yaml")
    expect(child, "code>")
    child.send("ms Kort, maar helder.\r")
    expect(child, r"on source interviews/a.rock saved")
    expect(child, "code>")
    child.send("l\r")  # the screen shows the memos on the utterance
    expect(child, r"memo\S* anna \d{4}-\d\d-\d\d: Goedkoop, of juist de verhuurder\?")  # (\S*: colour codes)
    expect(child, "code>")
    child.send("m\r")  # lists the memos on this utterance and its source
    expect(child, r"on utterance a0000002: anna \d{4}-\d\d-\d\d: Goedkoop, of juist de verhuurder\?")
    expect(child, "code>")
    child.send("m bel 06-12345678\r")
    expect(child, "the memo holds a phone number; nothing was written")
    expect(child, "code>")
    child.send("q\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert source.read_bytes() == before  # a memo never touches the coded source
    memos = yaml.safe_load((mini / "interviews" / "a.memos.yaml").read_text(encoding="utf-8"))["memos"]
    assert [(m["about"], m.get("uid"), m["author"], m["text"]) for m in memos] == [
        ("utterance", "a0000002", "anna", "Goedkoop, of juist de verhuurder?"),
        ("source", None, "anna", "Kort, maar helder.")]
    concepts = yaml.safe_load((mini / "ontology" / "memos.yaml").read_text(encoding="utf-8"))["memos"]
    assert [(m["concept"], m["text"]) for m in concepts] == [("sociale_cohesie", "ook 'samenhang'")]


def test_a_memo_command_without_text_or_on_an_unknown_concept_writes_nothing_and_says_why(mini: Path):
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "160", "PROMPT_TOOLKIT_NO_CPR": "1", "LANG": "C.UTF-8",
           "VERLICHT_CODER": "anna", "LINES": "40"}
    child = pexpect.spawn(str(VERLICHT), ["code", "interviews/a.rock", "--no-suggest", "--uid", "a0000002"],
                          cwd=str(mini), env=env, encoding="utf-8", timeout=30, dimensions=(40, 160))
    child.logfile_read = open(os.environ.get("PTY_LOG", os.devnull), "a")  # noqa: SIM115
    expect(child, "quit>")
    child.send("\r")
    expect(child, "code>")
    child.send("ms\r")  # no text: not a code 'ms' to create in the codebook
    expect(child, "'ms' needs an argument")
    expect(child, "code>")
    child.send("m sociale_cohesie:\r")  # a concept, but no text
    expect(child, "the memo on concept sociale_cohesie has no text")
    expect(child, "code>")
    child.send("m sociale_cohesei: ook 'samenhang'\r")  # a typo in the concept
    expect(child, "'sociale_cohesei' is not a concept of the codebook; nothing was written")
    expect(child, "code>")
    child.send("m Let op: klinkt als nostalgie\r")  # a colon in an ordinary memo stays an utterance memo
    expect(child, r"memo [0-9a-f]{8} on utterance a0000002 saved")
    expect(child, "code>")
    child.send("q\r")
    child.expect(pexpect.EOF)
    child.close()
    memos = yaml.safe_load((mini / "interviews" / "a.memos.yaml").read_text(encoding="utf-8"))["memos"]
    assert [(m["about"], m["text"]) for m in memos] == [("utterance", "Let op: klinkt als nostalgie")]
    assert not (mini / "ontology" / "memos.yaml").exists()
    assert "ms:" not in (mini / "ontology" / "codebook.yaml").read_text(encoding="utf-8")


def test_a_memo_written_while_coding_a_coders_copy_is_kept_on_the_source_in_interviews(mini: Path):
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "160", "PROMPT_TOOLKIT_NO_CPR": "1", "LANG": "C.UTF-8",
           "VERLICHT_CODER": "anna", "LINES": "40"}
    code, _, err = run("code", "copy", str(mini / "interviews" / "a.rock"), "--coder", "anna", workspace=mini)
    assert code == 0, err
    copy = mini / "coders" / "anna" / "a.rock"
    before = copy.read_bytes()
    child = pexpect.spawn(str(VERLICHT), ["code", "coders/anna/a.rock", "--no-suggest", "--uid", "a0000002"],
                          cwd=str(mini), env=env, encoding="utf-8", timeout=30, dimensions=(40, 160))
    child.logfile_read = open(os.environ.get("PTY_LOG", os.devnull), "a")  # noqa: SIM115
    expect(child, "code>")  # anna's own copy: nothing to claim
    child.send("m Goedkoop, of juist de verhuurder?\r")
    expect(child, r"memo [0-9a-f]{8} on utterance a0000002 saved in interviews/a.memos.yaml")
    expect(child, r"memo\S* anna \d{4}-\d\d-\d\d: Goedkoop, of juist de verhuurder\?")  # on the copy's screen
    expect(child, "code>")
    child.send("q\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert copy.read_bytes() == before
    assert not (mini / "coders" / "anna" / "a.memos.yaml").exists()
    memos = yaml.safe_load((mini / "interviews" / "a.memos.yaml").read_text(encoding="utf-8"))["memos"]
    assert [(m["source"], m["uid"], m["text"]) for m in memos] == [
        ("interviews/a.rock", "a0000002", "Goedkoop, of juist de verhuurder?")]
