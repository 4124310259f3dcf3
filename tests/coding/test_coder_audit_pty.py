"""The coder never surprises the audit trail, driven through a real pseudo-terminal (issue 13, defects 1–3).

A new concept's label prompt replaces its suggested label; a declined code writes no concept, an accepted
one writes its concepts with changelog entries and undo takes them back; a file with codes by nobody is not
claimed without asking. Every check reads the files back (the ROCK reader, the codebook loader).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run
from test_coder_pty import finish, spawn

from verlicht.codebook import load_codebook
from verlicht.rock.reader import read_source

pexpect = pytest.importorskip("pexpect")


def new_concept(child, name: str, kind: str, label_nl: str, label_en: str = "") -> None:
    """Answer the questions for a concept the coder offered to create."""
    child.expect(f"type of '{name}'")
    child.send(kind + "\r")
    child.expect(r"label \(nl\)>")
    child.send(label_nl + "\r")
    child.expect(r"label \(en\)>")
    child.send(label_en + "\r")


def test_typing_a_label_replaces_the_suggested_one_and_enter_keeps_it(mini: Path):
    child = spawn(mini, "interviews/a.rock", "--no-suggest")
    child.send("new buurtpreventie\r")
    child.expect("type of 'buurtpreventie'")
    child.send("intervention\r")
    child.expect("Enter = Buurtpreventie")  # the suggestion is shown, not put in the line
    child.send("Buurtpreventie\r")
    child.expect(r"label \(en\)>")
    child.send("Neighbourhood watch\r")
    child.expect("added concept 'buurtpreventie'")
    child.expect("code>")
    child.send("new straat_feest\r")
    new_concept(child, "straat_feest", "intervention", "")  # Enter keeps "Straat feest"
    child.expect("added concept 'straat_feest'")
    child.expect("code>")
    finish(child)
    book = load_codebook(mini / "ontology" / "codebook.yaml")
    assert book.concepts["buurtpreventie"].label_nl == "Buurtpreventie"
    assert book.concepts["buurtpreventie"].label_en == "Neighbourhood watch"
    assert book.concepts["straat_feest"].label_nl == "Straat feest"
    assert book.concepts["straat_feest"].label_en == "Straat feest"


def test_declining_the_second_new_concept_writes_nothing_at_all(mini: Path):
    book, log = mini / "ontology" / "codebook.yaml", mini / "ontology" / "CHANGELOG.md"
    source = mini / "interviews" / "a.rock"
    before_book, before_source = book.read_bytes(), source.read_bytes()
    child = spawn(mini, "interviews/a.rock", "--no-suggest")
    child.send("g a0000002\r")
    child.expect("code>")
    child.send("buurtfeest->buurtpreventie||causal_pos\r")
    child.expect("'buurtfeest' is not in the codebook; create it")
    child.send("y\r")
    new_concept(child, "buurtfeest", "intervention", "Buurtfeest", "Street party")
    child.expect("'buurtpreventie' is not in the codebook; create it")
    child.send("n\r")
    child.expect("not added, and nothing written")
    child.expect("code>")
    assert book.read_bytes() == before_book  # not even the first concept
    assert not log.exists()
    assert source.read_bytes() == before_source
    child.send("u\r")
    child.expect("nothing to undo")
    child.expect("code>")
    finish(child)


def test_new_concepts_come_with_their_code_and_changelog_and_undo_takes_all_back(mini: Path):
    book, log = mini / "ontology" / "codebook.yaml", mini / "ontology" / "CHANGELOG.md"
    source = mini / "interviews" / "a.rock"
    before_book, before_source = book.read_bytes(), source.read_bytes()
    child = spawn(mini, "interviews/a.rock", "--no-suggest")
    child.send("g a0000002\r")
    child.expect("code>")
    child.send("buurtfeest->buurtpreventie||causal_pos\r")
    child.expect("'buurtfeest' is not in the codebook; create it")
    child.send("y\r")
    new_concept(child, "buurtfeest", "intervention", "Buurtfeest", "Street party")
    child.expect("'buurtpreventie' is not in the codebook; create it")
    child.send("y\r")
    new_concept(child, "buurtpreventie", "intervention", "Buurtpreventie")
    child.expect(r"added \[\[buurtfeest->buurtpreventie\|\|causal_pos\]\] and concept\(s\) buurtfeest, "
                 "buurtpreventie to the codebook")
    child.expect("code>")
    codebook = load_codebook(book)
    assert {"buurtfeest", "buurtpreventie"} <= set(codebook.concepts)
    utterance = next(u for u in read_source(source).utterances if u.uid == "a0000002")
    assert ("buurtfeest", "buurtpreventie", "causal_pos") in [(n.source, n.target, n.type) for n in utterance.network]
    code, out, err = run("codebook", "log", "--format", "json", workspace=mini)
    assert code == 0, err
    entries = json.loads(out)
    assert [(e["command"], e["who"], e["files"]) for e in entries] == [
        ("new buurtfeest", "anna", "ontology/codebook.yaml"), ("new buurtpreventie", "anna", "ontology/codebook.yaml")]
    assert "added in the coder while coding interviews/a.rock line 16 (uid a0000002)" in entries[0]["notes"]
    child.send("u\r")
    child.expect("removed concept\\(s\\) buurtfeest, buurtpreventie from the codebook again")
    child.expect("code>")
    assert book.read_bytes() == before_book
    assert not log.exists()
    assert source.read_bytes() == before_source  # the code, and the coder id that came with it
    finish(child)


def test_a_file_with_codes_by_nobody_is_not_claimed_without_asking(mini: Path):
    source = mini / "interviews" / "a.rock"
    child = spawn(mini, "interviews/a.rock", "--no-suggest", claim=None)
    child.expect("interviews/a.rock holds 6 code\\(s\\) without a coder id")
    child.expect("count them as anna's too")
    child.expect("quit>")
    child.send("n\r")
    child.expect("not marked: your codes will have no coder id either")
    child.expect(r"coder anna \(not marked: 6 earlier code\(s\) have no coder id; 'claim' if they are yours\)")
    child.expect("code>")
    child.send("g a0000001\r")
    child.expect("code>")
    child.send("wonen\r")
    child.expect(r"added \[\[wonen\]\]")
    child.expect("code>")
    finish(child)
    assert {u.coder_id for u in read_source(source).utterances} == {None}
    code, out, err = run("code", "list", str(source), "--format", "json", workspace=mini)
    assert code == 0, err
    assert {row["coder"] for row in json.loads(out)} == {None}  # nobody's codes did not become anna's


def test_quitting_at_the_claim_question_changes_nothing_and_points_to_a_copy(mini: Path):
    source = mini / "interviews" / "a.rock"
    before = source.read_bytes()
    child = spawn(mini, "interviews/a.rock", "--no-suggest", claim=None)
    child.expect("quit>")
    child.send("q\r")
    child.expect("verlicht code copy interviews/a.rock --coder anna")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert source.read_bytes() == before


def test_claiming_marks_the_file_on_the_first_utterance_line_so_no_line_moves(mini: Path):
    source = mini / "interviews" / "a.rock"
    lines = source.read_text(encoding="utf-8").splitlines()
    child = spawn(mini, "interviews/a.rock", "--no-suggest", claim="y")  # "yes, the earlier codes are mine"
    child.send("g a0000003\r")
    child.expect(r"line 17  uid a0000003")
    child.expect("code>")
    child.send("menging\r")
    child.expect(r"added \[\[menging\]\]")
    child.expect(r"line 17  uid a0000003")  # the header still says the same line
    child.expect("code>")
    child.send("g 18\r")
    child.expect(r"line 18  uid a0000004")  # and 'g N' lands where it did before the change
    child.expect("code>")
    finish(child)
    after = source.read_text(encoding="utf-8").splitlines()
    assert len(after) == len(lines)
    assert after[14] == "[[uid=a0000001]] [[cid=I1]] [[coderId=anna]] Wat zie je gebeuren in de wijk?"
    assert {u.coder_id for u in read_source(source).utterances} == {"anna"}
    assert [u.line for u in read_source(source).utterances] == list(range(15, 21))


def test_another_coders_file_is_refused_on_the_screen_with_the_copy_hint(mini: Path):
    source = mini / "interviews" / "b.rock"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("[[uid=b0000001]] [[cid=R3]]", "[[uid=b0000001]] [[cid=R3]] [[coderId=bram]]"),
                      encoding="utf-8")
    child = spawn(mini, "interviews/b.rock", "--no-suggest", claim=None)
    child.expect("this source is coded by 'bram'")
    child.expect("verlicht code copy interviews/b.rock --coder anna")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
