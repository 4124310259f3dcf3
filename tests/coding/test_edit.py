"""Editing the codes of a source: only codes change, the file stays valid ROCK, writes are atomic and checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verlicht.coding.edit import EditableSource, code_rows, parse_code
from verlicht.errors import CodingError, RockSyntaxError
from verlicht.rock.reader import read_source

DATA = Path(__file__).parent.parent / "data"
MINI = DATA / "workspaces" / "mini" / "interviews"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    target = tmp_path / "a.rock"
    shutil.copyfile(MINI / "a.rock", target)
    return target


def texts_and_uids(path: Path) -> list[tuple[str | None, str]]:
    return [(u.uid, u.text) for u in read_source(path).utterances]


def test_added_network_code_is_read_back_by_the_reader(source: Path):
    before = texts_and_uids(source)
    editable = EditableSource.load(source)
    line = editable.line_of_uid("a0000001")
    assert editable.add(line, "goedkope_woningen -> sociale_cohesie || causal_neg || 2")
    assert editable.save()
    parsed = read_source(source)
    utterance = next(u for u in parsed.utterances if u.uid == "a0000001")
    assert [(n.source, n.target, n.type, n.weight) for n in utterance.network] == [
        ("goedkope_woningen", "sociale_cohesie", "causal_neg", 2)]
    assert texts_and_uids(source) == before


def test_an_added_weight_is_written_with_every_digit(source: Path):
    editable = EditableSource.load(source)
    line = editable.line_of_uid("a0000001")
    assert editable.add(line, "goedkope_woningen->sociale_cohesie||causal_neg||0.1234567")
    assert editable.save()
    assert "[[goedkope_woningen->sociale_cohesie||causal_neg||0.1234567]]" in source.read_text(encoding="utf-8")
    utterance = next(u for u in read_source(source).utterances if u.uid == "a0000001")
    assert [n.weight for n in utterance.network] == [0.1234567]


def test_adding_a_code_twice_changes_nothing(source: Path):
    editable = EditableSource.load(source)
    line = editable.line_of_uid("a0000002")
    assert not editable.add(line, "[[goedkope_woningen->instroom_kwetsbaren||causal_pos]]")
    assert not editable.save()


def test_remove_by_ends_takes_the_one_edge_and_its_space(source: Path):
    editable = EditableSource.load(source)
    line = editable.line_of_uid("a0000003")
    assert editable.remove(line, "instroom_kwetsbaren->druk_op_voorzieningen")
    assert editable.lines[line - 1] == "[[uid=a0000003]] Dat merk je bij de school en de huisarts. [[wonen]]"
    assert not editable.remove(line, "instroom_kwetsbaren->druk_op_voorzieningen")


def test_remove_with_type_matches_a_weighted_code(source: Path):
    editable = EditableSource.load(source)
    line = editable.line_of_uid("a0000003")
    assert editable.remove(line, "instroom_kwetsbaren->druk_op_voorzieningen||causal_pos")


def test_ambiguous_edge_removal_asks_for_the_type(tmp_path: Path):
    path = tmp_path / "x.rock"
    path.write_text("[[uid=x1]] Tekst. [[a->b||causal_pos]] [[a->b||causal_neg]]\n", encoding="utf-8")
    editable = EditableSource.load(path)
    with pytest.raises(CodingError, match="2 edges a->b"):
        editable.remove(1, "a->b")
    assert editable.remove(1, "a->b||causal_neg")
    assert editable.codes_on(1) == ["a->b||causal_pos"]


def test_bom_and_crlf_survive_an_edit():
    data = (DATA / "rock" / "heerlen_bom_crlf.rock").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    path = Path(pytest.importorskip("tempfile").mkdtemp()) / "crlf.rock"
    path.write_bytes(data)
    editable = EditableSource.load(path)
    first = editable.utterances[0]
    editable.add(first.line, "trots")
    editable.save()
    written = path.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf")
    assert written.count(b"\r\n") == data.count(b"\r\n")
    assert written.replace(b" [[trots]]", b"") == data


def test_a_file_changed_on_disk_is_not_overwritten(source: Path):
    editable = EditableSource.load(source)
    editable.add(editable.line_of_uid("a0000001"), "trots")
    source.write_text(source.read_text(encoding="utf-8") + "# someone else\n", encoding="utf-8")
    with pytest.raises(CodingError, match="changed on disk"):
        editable.save()
    assert source.read_text(encoding="utf-8").endswith("# someone else\n")


def test_an_edit_that_would_change_the_text_is_refused(source: Path):
    original = source.read_bytes()
    editable = EditableSource.load(source)
    line = editable.line_of_uid("a0000001")
    editable.lines[line - 1] = editable.lines[line - 1].replace("wijk", "buurt")
    with pytest.raises(CodingError, match="change the text"):
        editable.save()
    assert source.read_bytes() == original


@pytest.mark.parametrize("typed, message", [
    ("a->b", "no edge type"),
    ("uid=abc", "identifier"),
    ("cid=R1", "identifier"),
    ("1abc", "not a ROCK code"),
    ("[[a]] [[b]]", "not a code"),
    ("", "not a code"),
    ("a->b||causal||veel", "not a number"),
])
def test_malformed_codes_are_refused_with_a_reason(typed: str, message: str):
    with pytest.raises(CodingError, match=message):
        parse_code(typed)


def test_coder_line_is_added_once_and_another_coder_is_refused(source: Path):
    editable = EditableSource.load(source)
    assert editable.set_coder("anna")
    assert not editable.set_coder("anna")
    editable.save()
    parsed = read_source(source)
    assert {u.coder_id for u in parsed.utterances} == {"anna"}
    with pytest.raises(CodingError, match="coded by 'anna'") as info:
        EditableSource.load(source).set_coder("bram")
    assert "verlicht code copy" in info.value.hint


def test_strip_codes_keeps_text_uids_and_case_ids(source: Path):
    editable = EditableSource.load(source)
    editable.set_coder("anna")
    removed = editable.strip_codes()
    assert removed == 6
    assert editable.coder is None
    assert [(u.uid, u.text, u.case_id) for u in editable.utterances] == [
        (u.uid, u.text, u.case_id) for u in read_source(source).utterances]
    assert all(not (u.codes or u.network) for u in editable.utterances)


def test_code_rows_list_every_code_with_its_place(source: Path):
    rows = code_rows(EditableSource.load(source))
    assert len(rows) == 6
    first = rows[0]
    assert (first["line"], first["uid"], first["case"], first["kind"]) == (16, "a0000002", "R1", "network")
    assert first["source_code"] == "goedkope_woningen" and first["edge_type"] == "causal_pos"
    with pytest.raises(CodingError, match="no utterance with uid"):
        code_rows(EditableSource.load(source), uid="nope")


def test_a_broken_source_is_reported_before_editing(tmp_path: Path):
    path = tmp_path / "kapot.rock"
    shutil.copyfile(DATA / "rock" / "fouten" / "open_haken.rock", path)
    with pytest.raises(RockSyntaxError):
        EditableSource.load(path)


CODES = st.sampled_from([
    "trots", "wonen>instroom", "a->b||causal_pos", "a->b||causal_neg||2", "goedkope_woningen->x||structural",
    "ci--probleem", "intensiteit||3",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(st.tuples(st.booleans(), st.integers(0, 5), CODES), max_size=25))
def test_any_sequence_of_edits_keeps_text_and_uids(source: Path, actions):
    original = source.read_bytes()
    before = texts_and_uids(source)
    editable = EditableSource.load(source)
    for add, index, code in actions:
        line = editable.utterances[index].line
        if add:
            editable.add(line, code)
            assert parse_code(code)[0] in ("code", "network", "value")
            assert len(editable.codes_on(line)) == len(set(editable.codes_on(line)))
        else:
            editable.remove(line, code)
    editable.save()
    assert texts_and_uids(source) == before
    source.write_bytes(original)  # the next example starts from the same file
