"""The interactive coder's logic: moving, searching, filtering, adding, undoing, new concepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from verlicht.codebook import load_codebook
from verlicht.coding.concepts import CodebookWriter, add_concept
from verlicht.coding.session import CodingSession
from verlicht.errors import CodingError
from verlicht.rock.reader import read_source


@pytest.fixture
def session(mini: Path) -> CodingSession:
    book = mini / "ontology" / "codebook.yaml"
    codebook = load_codebook(book)
    s = CodingSession.open(mini / "interviews" / "a.rock", codebook, "anna", "interviews/a.rock")
    s.concepts = CodebookWriter(book, mini / "ontology" / "CHANGELOG.md", "anna", shown="ontology/codebook.yaml")
    return s


def test_moving_goes_through_utterances_and_stops_at_the_ends(session: CodingSession):
    assert session.current.uid == "a0000001"
    assert session.move(-1) == "start of the source"
    assert session.move(1) == "" and session.current.uid == "a0000002"
    session.index = len(session.utterances) - 1
    assert session.move(1) == "end of the source"


def test_goto_takes_a_line_or_a_uid(session: CodingSession):
    session.goto("a0000005")
    assert session.current.uid == "a0000005"
    session.goto("17")
    assert session.current.line == 17
    with pytest.raises(CodingError, match="no utterance"):
        session.goto("zzz")


def test_search_finds_the_next_match_and_wraps(session: CodingSession):
    session.search("menging")
    assert session.current.uid == "a0000004"
    session.search("")
    assert session.current.uid == "a0000005"
    session.search("")
    assert session.current.uid == "a0000004"
    assert "not found" in session.search("wachtlijst")


def test_uncoded_filter_shows_respondents_lines_without_codes(session: CodingSession):
    session.goto("a0000005")
    session.remove("1")  # R2's line is now uncoded; a0000001 is the interviewer's question
    session.goto("a0000006")
    assert session.toggle_uncoded() == "showing only uncoded utterances"
    assert session.current.uid == "a0000005"  # wrapped round, past the interviewer's uncoded question
    assert session.move(1) == "end of the source"
    assert session.move(-1) == "start of the source"
    assert session.toggle_uncoded() == "showing all utterances"


def test_uncoded_filter_says_when_everything_is_coded(session: CodingSession):
    assert session.toggle_uncoded() == "showing only uncoded utterances: every utterance is coded"


def test_search_says_when_it_wrapped(session: CodingSession):
    session.goto("a0000005")
    assert session.search("wijk") == "search wrapped round to the start"
    assert session.current.uid == "a0000001"
    assert session.search("menging") == ""


def test_reload_reads_an_outside_change(session: CodingSession, mini: Path):
    path = mini / "interviews" / "a.rock"
    text = path.read_text(encoding="utf-8")
    line = "[[uid=a0000001]] [[cid=I1]] Wat zie je gebeuren in de wijk?"
    assert line in text
    path.write_text(text.replace(line, line + " [[wonen]]"), encoding="utf-8")
    session.goto("a0000001")
    with pytest.raises(CodingError, match="changed on disk"):
        session.add("menging")
    session.reload()
    assert session.current.uid == "a0000001" and session.codes() == ["wonen"]
    session.add("menging")
    assert session.codes() == ["wonen", "menging"]


def test_each_change_is_on_disk_at_once_with_the_coder(session: CodingSession, mini: Path):
    session.claim()  # a.rock's earlier codes have no coder id: they are anna's only when she says so
    session.goto("a0000001")
    change = session.add("goedkope_woningen->sociale_cohesie||causal_neg")
    assert "added" in change.message
    parsed = read_source(mini / "interviews" / "a.rock")
    utterance = next(u for u in parsed.utterances if u.uid == "a0000001")
    assert [(n.source, n.target, n.type) for n in utterance.network] == [
        ("goedkope_woningen", "sociale_cohesie", "causal_neg")]
    assert utterance.coder_id == "anna"
    assert session.current.uid == "a0000001"  # still on the same utterance after the coder line went in


def test_undo_restores_the_file_step_by_step(session: CodingSession, mini: Path):
    path = mini / "interviews" / "a.rock"
    original = path.read_bytes()
    session.goto("a0000004")
    session.add("menging")
    session.remove("1")
    assert session.undo().message.startswith("undone: removed")
    assert session.undo().message.startswith("undone: added")
    assert path.read_bytes() == original
    assert session.undo().message == "nothing to undo"


def test_remove_by_number_checks_the_range(session: CodingSession):
    session.goto("a0000001")
    with pytest.raises(CodingError, match="no code 1"):
        session.remove("1")


def test_unknown_concepts_and_edge_types_are_named(session: CodingSession):
    assert session.unknown_concepts("nieuw_ding->sociale_cohesie||causal") == ["nieuw_ding"]
    assert session.unknown_concepts("wonen>instroom_kwetsbaren") == []
    assert session.unknown_edge_type("menging->sociale_cohesie||versterkt") == "versterkt"


def test_a_new_concept_lands_in_the_codebook_keeping_its_comments(session: CodingSession, mini: Path):
    book = mini / "ontology" / "codebook.yaml"
    before = book.read_text(encoding="utf-8")
    session.new_concept("buurtfeest", "intervention", "Buurtfeest organiseren", "Street party")
    after = book.read_text(encoding="utf-8")
    assert after.startswith(before.split("edge_types:")[0].rstrip("\n"))
    reread = load_codebook(book)
    assert reread.concepts["buurtfeest"].type == "intervention"
    assert reread.concepts["buurtfeest"].label_en == "Street party"
    assert "buurtfeest" in session.codebook.concepts
    with pytest.raises(CodingError, match="already in the codebook"):
        session.new_concept("buurtfeest", "factor", "x")


def test_labels_with_yaml_characters_are_quoted(tmp_path: Path):
    book = tmp_path / "codebook.yaml"
    book.write_text("# ons codeboek\nversion: 1\nconcepts:\n  a:\n    type: factor\n    label: {nl: A, en: A}\n"
                    "edge_types:\n  x: {kind: relation}\n", encoding="utf-8")
    add_concept(book, "b", "factor", "Wonen: betaalbaar, {snel}", "Housing #1")
    reread = load_codebook(book)
    assert reread.concepts["b"].label_nl == "Wonen: betaalbaar, {snel}"
    assert reread.concepts["b"].label_en == "Housing #1"
    assert "x" in reread.edge_types
    assert book.read_text(encoding="utf-8").startswith("# ons codeboek\n")


def test_another_coders_file_is_refused_with_the_copy_hint(session: CodingSession, mini: Path):
    session.claim()
    session.add("menging")
    with pytest.raises(CodingError, match="coded by 'anna'") as info:
        CodingSession.open(mini / "interviews" / "a.rock", session.codebook, "bram")
    assert "verlicht code copy" in info.value.hint


@pytest.fixture
def demo_session(demo: Path) -> CodingSession:
    from verlicht.coding.suggest import Suggester

    codebook = load_codebook(demo / "ontology" / "codebook.yaml")
    return CodingSession.open(demo / "interviews" / "r07.rock", codebook, "anna", "interviews/r07.rock",
                              suggester=Suggester(codebook))


def first_with_network_suggestion(session: CodingSession):
    for index in range(len(session.utterances)):
        session.index = index
        found = [s for s in session.suggestions() if s.kind == "network"]
        if found:
            return found[0]
    pytest.fail("the suggester proposes no network code anywhere in r07")


def test_accepting_a_suggestion_codes_it(demo_session: CodingSession, demo: Path):
    suggestion = first_with_network_suggestion(demo_session)
    number = demo_session.suggestions().index(suggestion) + 1
    uid = demo_session.current.uid
    demo_session.accept(number)
    utterance = next(u for u in read_source(demo / "interviews" / "r07.rock").utterances if u.uid == uid)
    assert suggestion.code in [f"{n.source}->{n.target}||{n.type}" for n in utterance.network]
    assert suggestion.code not in [s.code for s in demo_session.suggestions()]


def test_a_rejected_suggestion_is_hidden_and_nothing_is_written(demo_session: CodingSession, demo: Path):
    before = (demo / "interviews" / "r07.rock").read_bytes()
    suggestion = first_with_network_suggestion(demo_session)
    demo_session.reject(demo_session.suggestions().index(suggestion) + 1)
    assert suggestion.code not in [s.code for s in demo_session.suggestions()]
    assert (demo / "interviews" / "r07.rock").read_bytes() == before


def test_a_suggestion_coded_with_a_weight_counts_as_coded(demo_session: CodingSession):
    suggestion = first_with_network_suggestion(demo_session)
    demo_session.add(suggestion.code + "||2")
    assert suggestion.code not in [s.code for s in demo_session.suggestions()]


def test_no_network_suggestions_on_an_interviewers_line(demo_session: CodingSession):
    interviewer = [i for i, u in enumerate(demo_session.utterances) if u.case_id == "I01"]
    for index in interviewer:
        demo_session.index = index
        assert all(s.kind != "network" for s in demo_session.suggestions())


@pytest.mark.parametrize("label", ["'t Loon", "'s-Hertogenbosch", "no", "Yes", "null", "- lijstje", "a: b", "#1"])
def test_any_label_reads_back_as_typed(tmp_path: Path, label: str):
    book = tmp_path / "codebook.yaml"
    book.write_text("version: 1\nconcepts:\n  a:\n    type: factor\n    label: {nl: A, en: A}\n", encoding="utf-8")
    reread = add_concept(book, "b", "factor", label, label)
    assert reread.concepts["b"].label_nl == label
    assert reread.concepts["b"].label_en == label


def test_a_crlf_codebook_stays_crlf(tmp_path: Path):
    book = tmp_path / "codebook.yaml"
    book.write_bytes(b"\xef\xbb\xbfversion: 1\r\nconcepts:\r\n  a:\r\n    type: factor\r\n"
                     b"    label: {nl: A, en: A}\r\n")
    add_concept(book, "b", "factor", "Bee", "Bee")
    data = book.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n")
    assert load_codebook(book).concepts["b"].label_nl == "Bee"


def test_a_monologue_on_one_line_gets_no_suggestions(demo_session: CodingSession):
    from verlicht.coding.suggest import MAX_TEXT

    long = "Omdat de huizen hier goedkoop zijn, komen er veel mensen met zorgen wonen. " * 80
    assert len(long) > MAX_TEXT
    assert demo_session.suggester.suggest(long) == []
    demo_session.current.text = long
    assert demo_session.suggestions() == []


def test_long_context_lines_are_cut_by_terminal_columns():
    from prompt_toolkit.utils import get_cwidth

    from verlicht.coding.tui import _short

    assert _short("kort", 20) == "kort"
    cut = _short("😀" * 50, 20)
    assert cut.endswith("…") and get_cwidth(cut) <= 20
