"""The coder's second pass (issue 13), driven through a real pseudo-terminal: merge conflicts on screen,
undo that shows its line, remembered rejections, one rule for interviewers' lines, ``y`` by score,
several utterances at once and the code browser. Every check reads the files back with the ROCK reader.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
from helpers import run
from test_coder_pty import finish, spawn

from verlicht.coding.tui import COMMANDS
from verlicht.rock.reader import read_source

pexpect = pytest.importorskip("pexpect")

DATA = Path(__file__).parent.parent / "data"
CODERS = DATA / "coders"


def codes(path: Path, uid: str) -> list[str]:
    """An utterance's codes as the ROCK reader sees them (plain codes by path, network codes spelled out)."""
    utterance = next(u for u in read_source(path).utterances if u.uid == uid)
    return [">".join(c.path) for c in utterance.codes] + [f"{n.source}->{n.target}||{n.type}"
                                                          for n in utterance.network]


def lines_by_uid(path: Path) -> dict[str, int]:
    return {u.uid: u.line for u in read_source(path).utterances}


@pytest.fixture
def scores(mini: Path) -> Path:
    """The mini workspace with tests/data/coder/scores.rock: an interviewer's question naming concepts, a line
    whose only suggestion left scores low, and one where plain codes outscore a network code."""
    shutil.copyfile(DATA / "coder" / "scores.rock", mini / "interviews" / "scores.rock")
    return mini


@pytest.fixture
def merged(demo: Path) -> Path:
    """The demo workspace with interviews/r07m.rock, the merge of anna's and bram's copies of r07 (10 conflicts)."""
    code, _, err = run("merge", str(CODERS / "anna" / "r07.rock"), str(CODERS / "bram" / "r07.rock"),
                       "--out", str(demo / "interviews" / "r07m.rock"), workspace=demo)
    assert code == 0, err
    return demo


# ---------------------------------------------------------------------------------------------- merge conflicts

def test_merge_conflicts_are_shown_jumped_to_and_resolved_without_moving_a_line(merged: Path):
    path = merged / "interviews" / "r07m.rock"
    before = lines_by_uid(path)
    text = path.read_text(encoding="utf-8").split("\n")
    assert text[36].startswith("# VERLICHT merge conflict: weights of goedkope_woningen->instroom_kwetsbaren")
    child = spawn(merged, "interviews/r07m.rock", "--no-suggest", claim="n")
    child.send("c\r")
    child.expect(r"line 38  uid 7ddr5tye")
    child.expect(r"\[10 merge conflict\(s\): c jumps\]")
    child.expect("merge conflicts")
    child.expect(r"! weights of goedkope_woningen->instroom_kwetsbaren\|\|causal_pos differ \(anna 3, bram none\)")
    child.expect("code>")
    child.send("k\r")  # the kept weight 3 is the decision
    child.expect(r"resolved 1 conflict\(s\) keeping the codes as they are")
    child.expect(r"\[9 merge conflict\(s\)")
    child.expect("code>")
    assert path.read_text(encoding="utf-8").split("\n")[36] == ""  # emptied, not removed: no line moves
    child.send("c\r")
    child.expect(r"line 40  uid 7ddr5tyg")
    child.expect(r"! wonen>instroom applied by anna, not by bram")
    child.expect("code>")
    child.send("wonen>instroom\r")  # taking anna's code decides that conflict
    child.expect(r"added \[\[wonen>instroom\]\]; 1 merge conflict\(s\) on this line resolved")
    child.expect(r"\[8 merge conflict\(s\)")
    child.expect("code>")
    child.send("C\r")  # back to the previous conflict: wrapped round to the last one
    child.expect("conflicts wrapped round")
    child.expect(r"uid 7ddr5u00")
    child.expect("code>")
    finish(child)
    after = path.read_text(encoding="utf-8").split("\n")
    assert after[38] == "" and "wonen>instroom" in codes(path, "7ddr5tyg")
    assert sum(line.startswith("# VERLICHT merge conflict") for line in after) == 8
    assert lines_by_uid(path) == before  # every utterance on its line, as merge's conflict list says


def test_undo_puts_a_resolved_conflict_back_and_shows_the_line_it_changed(merged: Path):
    path = merged / "interviews" / "r07m.rock"
    original = path.read_bytes()
    child = spawn(merged, "interviews/r07m.rock", "--no-suggest", claim="n")
    child.send("g 7ddr5tyg\r")
    child.expect("code>")
    child.send("wonen>instroom\r")
    child.expect("1 merge conflict\\(s\\) on this line resolved")
    child.expect("code>")
    child.send("g 7ddr5u05\r")  # somewhere else
    child.expect(r"uid 7ddr5u05")
    child.expect("code>")
    child.send("u\r")
    child.expect(r"undone: added \[\[wonen>instroom\]\]; 1 merge conflict\(s\) on this line resolved "
                 r"\(line 40, uid 7ddr5tyg\)")
    child.expect(r"line 40  uid 7ddr5tyg")  # the screen went to the line undo changed
    child.expect(r"! wonen>instroom applied by anna")  # and the conflict is back on it
    child.expect("code>")
    finish(child)
    assert path.read_bytes() == original


# ---------------------------------------------------------------------------------------------- undo

def test_undo_goes_to_the_utterance_it_changed(mini: Path):
    child = spawn(mini, "interviews/a.rock", "--no-suggest")
    child.send("g a0000002\r")
    child.expect("code>")
    child.send("menging\r")
    child.expect(r"added \[\[menging\]\]")
    child.expect("code>")
    child.send("g a0000006\r")
    child.expect(r"line 20  uid a0000006")
    child.expect("code>")
    child.send("u\r")
    child.expect(r"undone: added \[\[menging\]\] \(line 16, uid a0000002\)")
    child.expect(r"line 16  uid a0000002")
    child.expect("code>")
    finish(child)
    assert "menging" not in codes(mini / "interviews" / "a.rock", "a0000002")


# ---------------------------------------------------------------------------------------------- rejections

def test_a_rejected_suggestion_stays_rejected_after_reopening(scores: Path):
    path = scores / "interviews" / "scores.rock"
    original = path.read_bytes()
    child = spawn(scores, "interviews/scores.rock", claim="n")
    child.send("g s0000003\r")
    child.expect(r"\+1(\x1b\[0m)? druk_op_voorzieningen")
    child.expect("code>")
    child.send("x1\r")
    child.expect("rejected druk_op_voorzieningen")
    child.expect("code>")
    finish(child)
    assert path.read_bytes() == original  # a rejection is no coding
    sidecar = json.loads((scores / ".verlicht" / "rejected.json").read_text(encoding="utf-8"))
    assert sidecar == {"version": 1, "sources": {"interviews/scores.rock": {"s0000003": ["druk_op_voorzieningen"]}}}
    child = spawn(scores, "interviews/scores.rock", claim="n")
    child.send("g s0000003\r")
    child.expect(r"\+1(\x1b\[0m)? goedkope_woningen")  # the rejected one did not come back
    child.expect("code>")
    assert "druk_op_voorzieningen  (" not in child.before
    child.send("x1\r")
    child.expect("rejected goedkope_woningen")
    child.expect("code>")
    child.send("u\r")  # undo takes a rejection back too
    child.expect("undone: rejected goedkope_woningen")
    child.expect(r"\+1(\x1b\[0m)? goedkope_woningen")
    child.expect("code>")
    finish(child)
    sidecar = json.loads((scores / ".verlicht" / "rejected.json").read_text(encoding="utf-8"))
    assert sidecar["sources"]["interviews/scores.rock"] == {"s0000003": ["druk_op_voorzieningen"]}
    code, _, err = run("build", workspace=scores)  # the build does not read the sidecar
    assert code == 0, err


# ---------------------------------------------------------------------------------------------- interviewers

def test_interviewer_lines_are_never_suggested_nor_counted_as_uncoded(scores: Path):
    child = spawn(scores, "interviews/scores.rock", claim="n")
    child.send("l\r")  # the screen again
    child.expect(r"line 15  uid s0000003")  # it opens on the first respondent's uncoded line, not the question
    child.expect(r"\[1/2 coded\]")  # the interviewer's question is not counted
    child.expect("code>")
    child.send("g s0000001\r")
    child.expect(r"line 13  uid s0000001")
    child.expect("code>")
    assert "suggestions" not in child.before  # it names two concepts, but it is the interviewer's
    child.send("f\r")
    child.expect("showing only uncoded utterances")
    child.expect(r"uid s0000003")
    child.expect("code>")
    child.send("n\r")
    child.expect("end of the source")
    child.expect("code>")
    finish(child)
    code, out, err = run("code", "list", str(scores / "interviews" / "scores.rock"), "--uncoded", "--format", "json",
                         workspace=scores)
    assert code == 0, err
    assert [row["uid"] for row in json.loads(out)] == ["s0000003"]


# ---------------------------------------------------------------------------------------------- y

def test_y_takes_the_highest_scoring_suggestion(scores: Path):
    path = scores / "interviews" / "scores.rock"
    child = spawn(scores, "interviews/scores.rock", claim="n")
    child.send("l\r")
    child.expect(r"\+1(\x1b\[0m)? druk_op_voorzieningen  \(0\.50")
    child.expect(r"\+3(\x1b\[0m)? goedkope_woningen->druk_op_voorzieningen\|\|causal_pos  \(0\.38")
    child.expect("code>")
    child.send("y\r")
    child.expect(r"added \[\[druk_op_voorzieningen\]\]")
    child.expect("code>")
    finish(child)
    assert codes(path, "s0000003") == ["druk_op_voorzieningen"]


def test_y_on_a_low_score_shows_it_and_asks(scores: Path):
    path = scores / "interviews" / "scores.rock"
    original = path.read_bytes()
    child = spawn(scores, "interviews/scores.rock", claim="n")
    child.send("g s0000002\r")
    child.expect(r"\+1(\x1b\[0m)? goedkope_woningen->sociale_cohesie\|\|causal_pos  \(0\.25.*low")
    child.expect("code>")
    child.send("y\r")
    child.expect(r"scores only 0\.25 .*add it\? \[y/N\]")
    child.send("n\r")
    child.expect("not added")
    child.expect("code>")
    assert path.read_bytes() == original
    child.send("y\r")
    child.expect(r"add it\? \[y/N\]")
    child.send("y\r")
    child.expect(r"added \[\[goedkope_woningen->sociale_cohesie\|\|causal_pos\]\]")
    child.expect("code>")
    finish(child)
    assert "goedkope_woningen->sociale_cohesie||causal_pos" in codes(path, "s0000002")


# ---------------------------------------------------------------------------------------------- several at once

def test_a_line_range_is_coded_after_one_question_and_undone_in_one_step(mini: Path):
    path = mini / "interviews" / "a.rock"
    child = spawn(mini, "interviews/a.rock", "--no-suggest")
    child.send("16-20 menging\r")
    child.expect(r"code 4 utterance\(s\) in lines 16-20 with \[\[menging\]\]\? lines 16, 17, 19, 20 "
                 r"\(1 interviewer line\(s\) left out\) \[y/N\]")
    child.send("n\r")
    child.expect("nothing coded")
    child.expect("code>")
    assert all("menging" not in codes(path, uid) for uid in ("a0000002", "a0000003", "a0000005", "a0000006"))
    child.send("16-20 menging\r")
    child.expect(r"\[y/N\]")
    child.send("y\r")
    child.expect(r"added \[\[menging\]\] to 4 utterance\(s\), lines 16-20 \(u undoes all of them\)")
    child.expect("code>")
    coded = path.read_bytes()
    for uid in ("a0000002", "a0000003", "a0000005", "a0000006"):
        assert "menging" in codes(path, uid)
    assert "menging" not in codes(path, "a0000004")  # the interviewer's line
    child.send("u\r")
    child.expect(r"undone: added \[\[menging\]\] to 4 utterance\(s\)")
    child.expect("code>")
    finish(child)
    assert path.read_bytes() != coded
    assert all("menging" not in codes(path, uid) for uid in ("a0000002", "a0000003", "a0000005", "a0000006"))


def test_the_utterances_a_filter_shows_are_coded_at_once(mini: Path):
    path = mini / "interviews" / "a.rock"
    child = spawn(mini, "interviews/a.rock", "--no-suggest")
    child.send("f menging\r")
    child.expect(r"showing the 2 utterance\(s\) with 'menging'")
    child.expect(r"\[filter: 'menging', 2 shown\]")
    child.expect("code>")
    child.send("* wonen\r")
    child.expect(r"code 1 utterance\(s\) in the filter \('menging'\) with \[\[wonen\]\]\? lines 19 "
                 r"\(1 interviewer line\(s\) left out\) \[y/N\]")
    child.send("y\r")
    child.expect(r"added \[\[wonen\]\] to 1 utterance\(s\)")
    child.expect("code>")
    child.send("f -\r")
    child.expect("showing all utterances")
    child.expect("code>")
    finish(child)
    assert "wonen" in codes(path, "a0000005")
    assert "wonen" not in codes(path, "a0000004")


def test_a_network_code_for_a_range_asks_its_edge_type_and_new_concepts_once(mini: Path):
    book = mini / "ontology" / "codebook.yaml"
    path = mini / "interviews" / "a.rock"
    child = spawn(mini, "interviews/a.rock", "--no-suggest")
    child.send("19-20 buurtfeest->sociale_cohesie\r")
    child.expect("edge type>")
    child.send("causal_pos\r")
    child.expect("'buurtfeest' is not in the codebook; create it")
    child.send("y\r")
    child.expect("type of 'buurtfeest'")
    child.send("intervention\r")
    child.expect(r"label \(nl\)>")
    child.send("\r")
    child.expect(r"label \(en\)>")
    child.send("\r")
    child.expect(r"\[y/N\]")
    child.send("y\r")
    child.expect(r"to 2 utterance\(s\), lines 19-20, and concept\(s\) buurtfeest to the codebook")
    child.expect("code>")
    finish(child)
    assert "buurtfeest:" in book.read_text(encoding="utf-8")
    for uid in ("a0000005", "a0000006"):
        assert "buurtfeest->sociale_cohesie||causal_pos" in codes(path, uid)


# ---------------------------------------------------------------------------------------------- the browser

def test_the_code_browser_counts_codes_lists_quotes_and_jumps(mini: Path):
    child = spawn(mini, "interviews/a.rock", "--no-suggest")
    child.send("b\r")
    child.expect("codes in interviews/a.rock")
    child.expect(r"1(\x1b\[0m)?\s+2×  menging->sociale_cohesie\|\|causal_pos")
    child.expect("code>")
    child.send("b 1\r")
    child.expect(r"2 quote\(s\) for menging->sociale_cohesie\|\|causal_pos")
    child.expect(r"line   18 \[I1\] En menging, helpt dat\?")
    child.expect(r"line   19 \[R2\] Menging helpt juist")
    child.expect("code>")
    child.send("j 2\r")
    child.expect("quote 2 of 2")
    child.expect(r"line 19  uid a0000005")
    child.expect("code>")
    child.send("b goedkope_woningen\r")  # a concept: the edges it is an end of
    child.expect(r"1 quote\(s\) for goedkope_woningen")
    child.expect(r"goedkope_woningen->instroom_kwetsbaren\|\|causal_pos")
    child.expect("code>")
    child.send("b instroom_kwetsbaren->druk_op_voorzieningen\r")  # an edge, any type and weight
    child.expect(r"1 quote\(s\) for instroom_kwetsbaren->druk_op_voorzieningen")
    child.expect("code>")
    child.send("j 1\r")
    child.expect(r"line 17  uid a0000003")
    child.expect("code>")
    finish(child)


def test_the_key_help_is_grouped_by_task(mini: Path):
    child = spawn(mini, "interviews/a.rock", "--no-suggest")
    child.send("?\r")
    for group in ("Moving", "Coding", "Suggestions", "Several utterances at once", "Merge conflicts",
                  "Browsing codes", "Codebook", "Memos", "Session"):
        child.expect(group)
    child.expect("code>")
    finish(child)


def test_the_key_help_lists_memos_before_the_session_and_a_plain_code_first_under_coding(mini: Path):
    child = spawn(mini, "interviews/a.rock", "--no-suggest")
    child.send("?\r")
    child.expect("code>")
    child.expect("code>")  # the help, then the screen again
    shown = child.before
    help_text = shown[shown.index("Moving"):]
    assert help_text.index("Codebook") < help_text.index("Memos") < help_text.index("Session")
    coding = help_text[help_text.index("Coding"):help_text.index("Suggestions")]
    assert coding.index("wonen>instroom") < coding.index("a->b ") < coding.index("a->b||causal_pos||2")
    assert "m TEXT" in help_text[help_text.index("Memos"):help_text.index("Session")]
    finish(child)


def test_a_new_code_that_is_a_synonym_of_a_concept_names_that_concept_before_creating_one(demo: Path):
    codebook = demo / "ontology" / "codebook.yaml"
    before = codebook.read_bytes()
    child = spawn(demo, "interviews/r01.rock", "--no-suggest")
    child.send("buurtpreventie\r")  # listed as a synonym of bewonerskrachten in the demo codebook
    child.expect(r"'buurtpreventie' is not in the codebook \(it is a synonym of \S*bewonerskrachten")
    child.expect(r"\[y/N\]")
    child.send("n\r")
    child.expect("not added, and nothing written")
    child.expect("code>")
    child.send("new wijkagent\r")  # 'new' asks too: a synonym of politie
    child.expect(r"'wijkagent' is a synonym of \S*politie\S* in the codebook; create a concept of its own anyway\?")
    child.expect(r"\[y/N\]")
    child.send("\r")
    child.expect("nothing added; type politie to code it")
    child.expect("code>")
    finish(child)
    assert codebook.read_bytes() == before



def test_the_key_help_fits_a_narrow_terminal_wrapping_under_its_own_column(mini: Path):
    import os
    import sys

    env = {**os.environ, "TERM": "xterm", "COLUMNS": "90", "PROMPT_TOOLKIT_NO_CPR": "1", "LANG": "C.UTF-8",
           "VERLICHT_CODER": "anna", "LINES": "60"}
    verlicht = str(Path(sys.executable).with_name("verlicht"))
    child = pexpect.spawn(verlicht, ["code", "interviews/a.rock", "--no-suggest"],
                          cwd=str(mini), env=env, encoding="utf-8", timeout=30, dimensions=(60, 90))
    child.expect("quit>")
    time.sleep(0.2)
    child.send("\r")  # code without claiming the file
    child.expect("code>")
    time.sleep(0.2)
    child.send("?\r")
    child.expect("Every change is saved at once")
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)
    help_text = shown[shown.index("Moving"):]
    assert help_text.count("\n") > 30
    assert all(len(line.rstrip("\r")) <= 90 for line in help_text.split("\n"))
    width = max(len(c.keys) for c in COMMANDS)
    assert re.search(rf"\n {{{width + 4}}}\S", help_text)  # a long line goes on under its own column
    child.expect("code>")
    time.sleep(0.2)
    child.send("q\r")
    child.expect(pexpect.EOF)
