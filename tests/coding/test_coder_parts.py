"""The coder's parts without a terminal: where the coder id goes, merge-conflict comments, the code browser,
remembered rejections and concepts written with their changelog (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verlicht.codebook import load_codebook
from verlicht.coding.browse import frequencies, quotes
from verlicht.coding.concepts import CodebookWriter, NewConcept
from verlicht.coding.edit import EditableSource
from verlicht.coding.rejections import Rejections
from verlicht.coding.session import CodingSession
from verlicht.errors import CodingError
from verlicht.rock.reader import parse_text, read_source

words = st.text(alphabet="abcdefghij klmnop", min_size=1, max_size=30).filter(lambda t: t.strip())


@settings(max_examples=60, deadline=None)
@given(lead=st.lists(st.sampled_from(["[[uid=u1]]", "[[cid=R1]]", "[[sid=s1]]", "~"]), max_size=3, unique=True),
       text=words, codes=st.lists(st.sampled_from(["[[a]]", "[[b>c]]", "[[a->b||causal]]"]), max_size=2),
       before=st.lists(st.sampled_from(["# comment", "", "---<<part>>---"]), max_size=3))
def test_the_coder_id_moves_no_line_and_changes_no_text(tmp_path_factory, lead, text, codes, before):
    body = [*before, " ".join([*lead, text, *codes]), "[[uid=u2]] tweede regel"]
    path = tmp_path_factory.mktemp("src") / "s.rock"
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    editable = EditableSource.load(path)
    old = parse_text(editable.text())
    assert editable.set_coder("anna")
    editable.save()
    new = read_source(path)
    assert len(editable.lines) == len(body)
    assert [(u.line, u.uid, u.text, u.nesting) for u in new.utterances] == [
        (u.line, u.uid, u.text, u.nesting) for u in old.utterances]
    assert {u.coder_id for u in new.utterances} == {"anna"}
    assert not EditableSource.load(path).set_coder("anna")  # once is enough


def test_conflict_comments_belong_to_the_utterance_below_and_an_emptied_one_is_gone(tmp_path: Path):
    path = tmp_path / "m.rock"
    path.write_text("# VERLICHT merge conflict: wonen applied by anna, not by bram; not kept (majority)\n"
                    "# another remark\n"
                    "[[uid=u1]] Eerste regel.\n"
                    "[[uid=u2]] Tweede regel.\n"
                    "# VERLICHT merge conflict: a->b||causal_pos applied by bram, not by anna; not kept (majority)\n"
                    "[[uid=u3]] Derde regel.\n", encoding="utf-8")
    editable = EditableSource.load(path)
    assert editable.conflicts() == {
        3: [(1, "wonen applied by anna, not by bram; not kept (majority)")],
        6: [(5, "a->b||causal_pos applied by bram, not by anna; not kept (majority)")]}
    editable.clear_comment(1)
    assert editable.conflicts() == {6: [(5, "a->b||causal_pos applied by bram, not by anna; not kept (majority)")]}
    with pytest.raises(CodingError, match="not a comment"):
        editable.clear_comment(3)


def test_removing_a_code_a_conflict_names_resolves_it(tmp_path: Path, mini: Path):
    path = tmp_path / "m.rock"
    path.write_text("# VERLICHT merge conflict: menging->sociale_cohesie||causal_pos applied by bram, not by anna; "
                    "kept (any)\n[[uid=u1]] Menging helpt. [[menging->sociale_cohesie||causal_pos]]\n",
                    encoding="utf-8")
    codebook = load_codebook(mini / "ontology" / "codebook.yaml")
    session = CodingSession.open(path, codebook, "anna")
    assert session.unclaimed == 1 and not session.mark_coder
    assert session.remove("menging->sociale_cohesie").message.endswith("1 merge conflict(s) on this line resolved")
    assert path.read_text(encoding="utf-8").split("\n")[0] == ""
    session.undo()
    assert path.read_text(encoding="utf-8").startswith("# VERLICHT merge conflict")


def test_the_browser_finds_codes_their_children_edges_and_concepts(mini: Path):
    source = EditableSource.load(mini / "interviews" / "a.rock")
    assert frequencies(source)[0] == ("menging->sociale_cohesie||causal_pos", 2)
    assert ("instroom_kwetsbaren->druk_op_voorzieningen||causal_pos", 1) in frequencies(source)  # weight left out
    assert [q.uid for q in quotes(source, "menging->sociale_cohesie")] == ["a0000004", "a0000005"]
    assert quotes(source, "menging->sociale_cohesie||causal_neg") == []
    assert [q.uid for q in quotes(source, "instroom_kwetsbaren")] == ["a0000002", "a0000003"]  # either end
    source.add(17, "wonen>huur")
    assert [(q.uid, q.code) for q in quotes(source, "wonen")] == [("a0000003", "wonen"), ("a0000003", "wonen>huur")]
    assert [q.code for q in quotes(source, "huur")] == ["wonen>huur"]


def test_rejections_are_kept_per_source_and_uid_and_a_broken_file_is_named(tmp_path: Path):
    path = tmp_path / ".verlicht" / "rejected.json"
    a, b = Rejections(path, "interviews/a.rock"), Rejections(path, "interviews/b.rock")
    a.add("u1", "x->y||causal")
    b.add("u1", "z")
    a.add("u1", "w")
    assert Rejections(path, "interviews/a.rock").get("u1") == {"w", "x->y||causal"}
    assert Rejections(path, "interviews/b.rock").get("u1") == {"z"}
    a.discard("u1", "w")
    a.discard("u1", "x->y||causal")
    assert json.loads(path.read_text(encoding="utf-8")) == {"version": 1,
                                                             "sources": {"interviews/b.rock": {"u1": ["z"]}}}
    path.write_text("{niet json", encoding="utf-8")
    with pytest.raises(CodingError, match="rejected suggestions cannot be read") as info:
        Rejections(path, "interviews/a.rock")
    assert "delete the file" in info.value.hint


def test_concepts_come_with_changelog_entries_and_undo_leaves_a_codebook_changed_since(mini: Path):
    book, log = mini / "ontology" / "codebook.yaml", mini / "ontology" / "CHANGELOG.md"
    writer = CodebookWriter(book, log, "anna", shown="ontology/codebook.yaml")
    before = book.read_bytes()
    codebook, written = writer.add([NewConcept("buurtfeest", "intervention", "Buurtfeest", "Street party"),
                                    NewConcept("buurtpreventie", "intervention", "Buurtpreventie")], "a.rock line 16")
    assert {"buurtfeest", "buurtpreventie"} <= set(codebook.concepts)
    text = log.read_text(encoding="utf-8")
    assert text.startswith("# Codebook changelog")
    assert text.count(" · new buurt") == 2
    assert "- note: intervention, label nl 'Buurtpreventie', en 'Buurtpreventie'" in text
    assert writer.undo(written) is not None
    assert book.read_bytes() == before and not log.exists()
    codebook, written = writer.add([NewConcept("buurtfeest", "intervention", "Buurtfeest")])
    book.write_text(book.read_text(encoding="utf-8") + "# a colleague's note\n", encoding="utf-8")
    assert writer.undo(written) is None  # someone changed the codebook since: nothing is undone
    assert "buurtfeest" in load_codebook(book).concepts
    with pytest.raises(CodingError, match="asked for twice"):
        writer.add([NewConcept("x1", "factor", "X"), NewConcept("x1", "factor", "X")])
