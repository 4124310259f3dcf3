"""Codebook refactors as a library: the code-token rewriter, plans, the all-or-nothing writer."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import DATA, copy_workspace
from hypothesis import given, settings
from hypothesis import strategies as st

from verlicht.codebook import load_codebook
from verlicht.coding.refactor import (
    Rename,
    apply_plan,
    check_rewrite,
    plan_merge,
    plan_rename,
    plan_retype,
    read_changelog,
    rewrite_codes,
    rewrite_logic_text,
)
from verlicht.coding.usage import collect_usage, logic_refs
from verlicht.errors import CodebookError, CodingError, LogicModelError, RockSyntaxError
from verlicht.fsio import replace_all
from verlicht.graph.build import build_graph
from verlicht.logic import read_logic_models
from verlicht.rock import parse_text, read_source
from verlicht.workspace import open_layout

TRICKY = DATA / "codebook_ops" / "tricky"


@pytest.fixture
def tricky(tmp_path: Path) -> Path:
    """A workspace with a list-form codebook, code values, ci codes, code paths, CRLF and a BOM-less CSV."""
    return copy_workspace(TRICKY, tmp_path / "tricky")


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- the rewriter ---------------------------------------------------------------------------------------------------

def test_rename_touches_codes_only_never_text_comments_or_yaml():
    text = (TRICKY / "interviews" / "t1.rock").read_text(encoding="utf-8")
    new = rewrite_codes(text, Rename(concepts={"huur": "kosten"})).text
    lines = new.splitlines()
    assert lines[6] == "# A comment that names huur and [[huur->stress||causal_pos]] stays as it is."
    assert lines[7] == ("[[uid=t0000001]] [[cid=B1]] De huur is hoog, huur huur huur. "
                        "[[kosten->stress||causal_pos||2]] [[wonen>kosten]]")
    assert lines[9] == "[[uid=t0000003]] ~ En de huur>stress hier is tekst, geen code. [[ci--kosten]] [[ kosten ]]"
    assert lines[11] == "[[uid=t0000004]] De huurder [[huurder]] is een ander woord. [[wonen>kosten->stress||causal]]"
    before, after = parse_text(text), parse_text(new)
    assert [u.text for u in before.utterances] == [u.text for u in after.utterances]
    assert [u.uid for u in before.utterances] == [u.uid for u in after.utterances]


def test_uids_and_class_instance_ids_named_like_the_code_are_untouched():
    text = "[[uid=huur]] [[huur=huur]] [[cid:huur]] Tekst. [[huur]]\n"
    assert rewrite_codes(text, Rename(concepts={"huur": "kosten"})).text == (
        "[[uid=huur]] [[huur=huur]] [[cid:huur]] Tekst. [[kosten]]\n")


def test_code_values_and_edge_types_are_rewritten_as_whole_tokens():
    text = "Zin. [[stress||hoog]] [[stressvol||hoog]] [[a->b||remt||2]] [[a->b||remtniet]]\n"
    assert rewrite_codes(text, Rename(concepts={"stress": "spanning"})).text == (
        "Zin. [[spanning||hoog]] [[stressvol||hoog]] [[a->b||remt||2]] [[a->b||remtniet]]\n")
    assert rewrite_codes(text, Rename(edge_types={"remt": "dempt"})).text == (
        "Zin. [[stress||hoog]] [[stressvol||hoog]] [[a->b||dempt||2]] [[a->b||remtniet]]\n")


def test_lines_inside_yaml_fragments_and_anchors_stay():
    text = "---\nROCK_codes:\n  - id: huur\n---\n--+-{huur}-+-- Zin [[huur]]\n---<<huur>>---\n"
    assert rewrite_codes(text, Rename(concepts={"huur": "kosten"})).text == (
        "---\nROCK_codes:\n  - id: huur\n---\n--+-{huur}-+-- Zin [[kosten]]\n---<<huur>>---\n")


def test_merge_into_the_other_end_drops_the_self_loop_and_its_space_only_when_asked():
    text = "[[uid=x1]] Zin. [[a->b||causal_pos]] [[c->a||causal]]\n[[a->b||causal]]\n"
    kept = rewrite_codes(text, Rename(concepts={"a": "b"}))
    assert kept.self_loops == [(1, 17), (2, 1)]
    dropped = rewrite_codes(text, Rename(concepts={"a": "b"}, drop_self_loops=True))
    assert dropped.text == "[[uid=x1]] Zin. [[c->b||causal]]\n\n"
    assert dropped.dropped == 2


# A line of ROCK text built from pieces that name the code 'huur' in every place it can occur.
PIECES = st.sampled_from([
    "huur", " huur ", "[[huur]]", "[[wonen>huur]]", "[[huur>wonen>huur]]", "[[ huur ]]", "[[ci--huur]]",
    "[[huur->stress||causal_pos]]", "[[stress -> wonen>huur||remt||2]]", "[[huur||hoog]]", "[[uid=huur1]]",
    "[[cid=huur]]", "[[huurder]]", "[[xhuur]]", "[[huur->]]", "[[huur bla]]", "]]", "[[", "~", "#", "---",
    "--+-{huur}-+--", "---<<huur>>---", "De huur is hoog.", "\n", "\r\n", "\ufeff", "é", " ",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=30))
def test_rename_there_and_back_gives_the_original_bytes(pieces):
    text = "".join(pieces)
    there = rewrite_codes(text, Rename(concepts={"huur": "kosten"}))
    back = rewrite_codes(there.text, Rename(concepts={"kosten": "huur"}))
    assert back.text == text
    assert back.occurrences == there.occurrences
    # Nothing but names changed ('kosten' is in no piece), and utterance text, uids and ids not at all.
    assert there.text.replace("kosten", "huur") == text
    try:
        before = parse_text(text)
    except RockSyntaxError:
        return
    after = parse_text(there.text)
    assert [(u.text, u.uid, u.ids) for u in after.utterances] == [(u.text, u.uid, u.ids) for u in before.utterances]


# -- plans on real workspaces -----------------------------------------------------------------------------------------

def test_rename_on_mini_rewrites_sources_codebook_and_indicators_and_the_build_still_works(mini):
    layout = open_layout(mini)
    plan = plan_rename(layout, "instroom_kwetsbaren", "kwetsbare_instroom")
    assert plan.summary() == ("rename instroom_kwetsbaren kwetsbare_instroom: 5 file(s), 8 occurrence(s) "
                              "(3 source(s), codebook, indicators)")
    apply_plan(layout, plan, who="Tester")
    book = load_codebook(mini / "ontology" / "codebook.yaml")
    assert "kwetsbare_instroom" in book.concepts and "instroom_kwetsbaren" not in book.concepts
    assert book.concepts["kwetsbare_instroom"].label_nl == "Instroom kwetsbare huishoudens"
    usage = collect_usage(layout)
    assert usage.count("instroom_kwetsbaren") == 0 and usage.count("kwetsbare_instroom") == 6
    assert "instroom,Instroom kwetsbare huishoudens,aantal,CBS,kwetsbare_instroom,,1" in (
        mini / "indicators" / "indicators.csv").read_text(encoding="utf-8")
    report = build_graph(layout)
    assert not [w for w in report.warnings if "not in the codebook" in w.message]


def test_merge_on_demo_folds_the_concept_and_the_build_still_works(demo):
    layout = open_layout(demo)
    before = collect_usage(layout)
    plan = plan_merge(layout, "instroom", "instroom_kwetsbaren")
    apply_plan(layout, plan, who="Tester", reason="instroom is altijd kwetsbare instroom")
    after = collect_usage(layout)
    assert after.count("instroom") == 0
    assert after.count("instroom_kwetsbaren") == before.count("instroom_kwetsbaren") + before.count("instroom")
    book = load_codebook(demo / "ontology" / "codebook.yaml")
    assert "instroom" not in book.concepts
    assert "\n\n\n" not in (demo / "ontology" / "codebook.yaml").read_text(encoding="utf-8")
    # "Instroom (thema)" is "instroom", a synonym already; "Inflow (topic)" is English (see the tests below).
    synonyms = book.concepts["instroom_kwetsbaren"].synonyms
    assert synonyms[-4:] == ("nergens anders terecht kunnen", "komen wonen", "verhuisd naar Heerlen", "nieuwe bewoners")
    assert len({w.casefold() for w in synonyms}) == len(synonyms)
    assert "not added as synonyms of 'instroom_kwetsbaren': Inflow (topic)" in " ".join(plan.notes)
    report = build_graph(layout)
    assert report.to_dict()["concepts"] == len(book.concepts)
    assert read_changelog(layout)[-1]["reason"] == "instroom is altijd kwetsbare instroom"


def test_merge_keeps_the_rest_of_a_list_form_codebook_and_its_comments(tricky):
    layout = open_layout(tricky)
    apply_plan(layout, plan_merge(layout, "stress", "huur", drop_self_loops=True), who="Tester")
    text = (tricky / "ontology" / "codebook.yaml").read_text(encoding="utf-8")
    assert "  # ---- a block-style synonyms list\n" in text
    assert '      - "kale huur"\n      - Stress\n  - code: gezondheid\n    type: outcome   # as measured' in text
    book = load_codebook(tricky / "ontology" / "codebook.yaml")
    assert list(book.concepts) == ["wonen", "huur", "gezondheid"]
    csv = (tricky / "indicators" / "indicators.csv").read_text(encoding="utf-8")
    assert csv.splitlines()[1] == 'huurquote,"Huurquote, in %",%,CBS,huur,,1'
    source = read_source(tricky / "interviews" / "t1.rock")
    assert [(n.source, n.target) for u in source.utterances for n in u.network] == [("huur", "gezondheid")]


def merged_into(workspace: Path, a: str, b: str) -> tuple[tuple[str, ...], list[str]]:
    layout = open_layout(workspace)
    plan = plan_merge(layout, a, b, drop_self_loops=True)
    apply_plan(layout, plan, who="Tester")
    return load_codebook(workspace / "ontology" / "codebook.yaml").concepts[b].synonyms, plan.notes


def test_a_merge_adds_the_label_without_its_qualifier_and_no_synonym_twice_whatever_its_case(tricky):
    book = tricky / "ontology" / "codebook.yaml"
    book.write_text(book.read_text(encoding="utf-8").replace(
        "    label: {nl: Stress, en: Stress}\n",
        "    label: {nl: Stress (thema), en: Stress (topic)}\n"
        "    synonyms: [HUURPRIJS, spanning, Spanning,  kale  huur]\n"),
        encoding="utf-8")
    synonyms, notes = merged_into(tricky, "stress", "huur")
    assert synonyms == ("huurprijs", "kale huur", "Stress", "spanning")
    assert notes[-1] == "synonyms added to 'huur': Stress, spanning"  # no English one to leave out


def test_an_english_label_becomes_a_synonym_only_when_the_codebook_keeps_english_labels_as_synonyms(tricky):
    synonyms, notes = merged_into(tricky, "gezondheid", "stress")
    assert synonyms == ("Gezondheid",)
    assert "not added as synonyms of 'stress': Health (a label in another language than the workspace's 'nl'" in (
        notes[-1])


def test_a_codebook_that_keeps_english_labels_as_synonyms_gets_them_from_a_merge_too(tricky):
    book = tricky / "ontology" / "codebook.yaml"
    book.write_text(book.read_text(encoding="utf-8").replace(
        "    label: {nl: Wonen, en: Housing}\n", "    label: {nl: Wonen, en: Housing}\n    synonyms: [housing]\n"),
        encoding="utf-8")
    synonyms, notes = merged_into(tricky, "gezondheid", "stress")
    assert synonyms == ("Gezondheid", "Health")
    assert not [n for n in notes if "not added" in n]


def test_merge_refuses_self_loops_with_every_location(tricky):
    layout = open_layout(tricky)
    with pytest.raises(CodebookError) as caught:
        plan_merge(layout, "stress", "huur")
    message = str(caught.value)
    assert message.startswith("interviews/t1.rock:8:62: merging 'stress' into 'huur' would turn 4")
    for place in ("interviews/t1.rock:12:61", "interviews/t2.rock:2:27", "indicators/indicators.csv:2"):
        assert place in message
    assert "--drop-self-loops" in message


def test_retype_changes_only_the_type_line_keeping_its_comment(tricky):
    layout = open_layout(tricky)
    before = (tricky / "ontology" / "codebook.yaml").read_text(encoding="utf-8")
    apply_plan(layout, plan_retype(layout, "gezondheid", "factor"), who="Tester")
    after = (tricky / "ontology" / "codebook.yaml").read_text(encoding="utf-8")
    assert after == before.replace("type: outcome   # as measured", "type: factor   # as measured")


def test_rename_of_a_builtin_edge_type_writes_its_definition_under_the_new_name(tricky):
    layout = open_layout(tricky)
    apply_plan(layout, plan_rename(layout, "causal_pos", "plus", edge_type=True), who="Tester")
    book = load_codebook(tricky / "ontology" / "codebook.yaml")
    assert (book.edge_types["plus"].kind, book.edge_types["plus"].polarity) == ("causal", "+")
    assert "causal_pos" not in (tricky / "interviews" / "t2.rock").read_text(encoding="utf-8")
    assert b"\r\n" in (tricky / "interviews" / "t2.rock").read_bytes()


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("huur", "stress", "ontology/codebook.yaml:16: concept 'stress' already exists"),
    ("huur", "huurder", "interviews/t1.rock:12:29: 'huurder' is already used in the sources"),
    ("nergens", "iets", "ontology/codebook.yaml: unknown concept 'nergens'"),
    ("huur", "2huur", "ontology/codebook.yaml: '2huur' cannot be used as a ROCK code"),
])
def test_rename_refuses_with_a_location(tricky, old, new, expected):
    with pytest.raises(CodebookError) as caught:
        plan_rename(open_layout(tricky), old, new)
    assert str(caught.value).startswith(expected)


def test_retype_refuses_an_unknown_type():
    with pytest.raises(CodebookError, match="use one of: actor, factor"):
        plan_retype(open_layout(TRICKY), "huur", "ding")


# -- all or nothing -------------------------------------------------------------------------------------------------

def test_a_failing_third_rename_leaves_every_file_byte_identical(demo, monkeypatch):
    layout = open_layout(demo)
    plan = plan_rename(layout, "goedkope_woningen", "betaalbare_woningen")
    assert plan.files >= 3
    before = snapshot(demo)
    real, calls = os.replace, []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError, match="No space left"):
        apply_plan(layout, plan, who="Tester")
    monkeypatch.setattr(os, "replace", real)
    assert snapshot(demo) == before  # no changelog, no temporary or backup files either


def test_a_failing_temporary_write_changes_nothing(tmp_path, monkeypatch):
    files = {tmp_path / "a.txt": b"new a", tmp_path / "b.txt": b"new b", tmp_path / "sub" / "c.txt": b"new c"}
    (tmp_path / "a.txt").write_bytes(b"old a")
    (tmp_path / "b.txt").write_bytes(b"old b")
    real, count = os.fsync, []

    def failing(fd):
        count.append(fd)
        if len(count) == 2:
            raise OSError(5, "I/O error")
        return real(fd)

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(OSError):
        replace_all(files)
    monkeypatch.setattr(os, "fsync", real)
    assert snapshot(tmp_path) == {"a.txt": b"old a", "b.txt": b"old b"}


def test_replace_all_writes_every_file_and_leaves_no_backups(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"old a")
    replace_all({tmp_path / "a.txt": b"new a", tmp_path / "n" / "b.txt": b"new b"})
    assert snapshot(tmp_path) == {"a.txt": b"new a", "n/b.txt": b"new b"}


def test_apply_refuses_when_a_file_changed_after_the_preview(mini):
    layout = open_layout(mini)
    plan = plan_rename(layout, "menging", "menging_inkomens")
    source = mini / "interviews" / "b.rock"
    source.write_bytes(source.read_bytes() + b"Nog een regel.\n")
    before = snapshot(mini)
    with pytest.raises(CodingError, match="changed since the preview"):
        apply_plan(layout, plan, who="Tester")
    assert snapshot(mini) == before


def test_a_merge_removes_a_code_it_makes_a_repeat_of_another_on_the_same_line():
    text = "Zin. [[a->c||causal_pos]] [[b->c||causal_pos]] [[a->c||causal_pos||2]] [[a]] [[ b ]] [[c]] [[c]]\n"
    result = rewrite_codes(text, Rename(concepts={"a": "b"}))
    assert result.text == "Zin. [[b->c||causal_pos]] [[b->c||causal_pos||2]] [[b]] [[c]] [[c]]\n"
    assert result.repeats == 2
    check_rewrite(text, result.text, "t.rock", Rename(concepts={"a": "b"}))


def test_repeats_the_coder_wrote_stay():
    text = "Zin. [[a]] [[a]] [[b]] [[a->c||causal]] [[a->c||causal]]\n"
    result = rewrite_codes(text, Rename(concepts={"a": "b"}))
    assert result.text == "Zin. [[b]] [[b]] [[b->c||causal]] [[b->c||causal]]\n"
    check_rewrite(text, result.text, "t.rock", Rename(concepts={"a": "b"}))


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=30), st.booleans())
def test_a_merge_of_any_text_reads_back_as_the_old_codes_merged(pieces, drop):
    text = "".join(pieces)
    try:
        parse_text(text)
    except RockSyntaxError:
        return
    rename = Rename(concepts={"huur": "stress"}, drop_self_loops=drop)
    result = rewrite_codes(text, rename)
    if result.stuck:
        return  # refused with the line (see test_a_removal_that_would_make_a_comment_is_refused)
    check_rewrite(text, result.text, "t.rock", rename)  # raises when the reader finds anything else


def test_a_removal_that_would_make_a_comment_is_refused():
    text = "[[a->b||causal]]# niet weg te halen\n"
    result = rewrite_codes(text, Rename(concepts={"a": "b"}, drop_self_loops=True))
    assert result.stuck == [(1, 1)] and result.text == text


# -- intervention logic models ------------------------------------------------------------------------------------

LOGIC = DATA / "codebook_ops" / "logic" / "huur_en_stress.yaml"


@pytest.fixture
def with_logic(tricky: Path) -> Path:
    """The tricky workspace with a logic model naming huur and stress in every place a model can."""
    (tricky / "logic").mkdir()
    shutil.copyfile(LOGIC, tricky / "logic" / LOGIC.name)
    return tricky


def test_rename_rewrites_every_concept_in_a_logic_model_and_nothing_else(with_logic):
    layout = open_layout(with_logic)
    plan = plan_rename(layout, "huur", "kosten")
    assert plan.summary().endswith("(2 source(s), codebook, indicators, 1 logic model(s))")
    old = LOGIC.read_text(encoding="utf-8")
    apply_plan(layout, plan, who="Tester")
    new = (with_logic / "logic" / LOGIC.name).read_text(encoding="utf-8")
    assert new == (old.replace("concepts: huur           #", "concepts: kosten         #")
                   .replace("[stress, 'huur', wonen]", "[stress, 'kosten', wonen]")
                   .replace('      - "huur"\n', '      - "kosten"\n')
                   .replace("- concept: huur                       #", "- concept: kosten                     #")
                   .replace('concept: "huur"', 'concept: "kosten"'))
    [model], errors = read_logic_models([(with_logic / "logic" / LOGIC.name, "logic/huur_en_stress.yaml")])
    assert errors == []
    assert [s.concepts for s in model.steps] == [("kosten",), ("stress", "kosten", "wonen"),
                                                 ("stress", "kosten", "gezondheid"), ("gezondheid",)]
    # A mechanism without an id is known by its concept; one with its own id keeps it.
    assert [(m.key, m.concept) for a in model.arrows for m in a.mechanisms] == [
        ("kosten", "kosten"), ("eigen_id", "stress"), ("kosten", "kosten")]
    report = build_graph(layout)
    assert not [w for w in report.warnings if "logic" in str(w)]


def test_a_merge_drops_the_repeats_it_makes_in_a_steps_concepts_in_flow_and_block_lists(with_logic):
    layout = open_layout(with_logic)
    apply_plan(layout, plan_merge(layout, "huur", "stress", drop_self_loops=True), who="Tester")
    text = (with_logic / "logic" / LOGIC.name).read_text(encoding="utf-8")
    assert "    concepts: [stress, wonen]\n" in text
    assert "    concepts:\n      - stress   # eerst stress\n      - gezondheid\n" in text
    assert "    concepts: stress         # één code, geen lijst\n" in text
    assert "# concept kan noemen. Dit commentaar noemt huur en stress en blijft zoals het is.\n" in text
    [model], errors = read_logic_models([(with_logic / "logic" / LOGIC.name, "logic/huur_en_stress.yaml")])
    assert errors == [] and [s.concepts for s in model.steps][:3] == [
        ("stress",), ("stress", "wonen"), ("stress", "gezondheid")]
    build_graph(layout)


def test_a_merge_that_gives_two_mechanisms_of_an_arrow_one_id_is_refused_at_the_mechanism(with_logic):
    model = with_logic / "logic" / LOGIC.name
    model.write_text(model.read_text(encoding="utf-8").replace("{id: eigen_id, text: Rust, concept: stress}",
                                                               "{text: Rust, concept: stress}"), encoding="utf-8")
    before = snapshot(with_logic)
    with pytest.raises(CodebookError) as caught:
        plan_merge(open_layout(with_logic), "huur", "stress", drop_self_loops=True)
    assert str(caught.value) == (
        "logic/huur_en_stress.yaml:31: merging 'huur' into 'stress' would make this logic model invalid: mechanism "
        "'stress' is named twice on the arrow huur_verlagen -> gesprekken — give one of them its own 'id:'; "
        "then run the refactor again")
    assert snapshot(with_logic) == before


def test_a_name_used_only_in_a_logic_model_is_taken(with_logic):
    model = with_logic / "logic" / LOGIC.name
    model.write_text(model.read_text(encoding="utf-8").replace("[gezondheid]", "[gezondheid, welzijn]"),
                     encoding="utf-8")
    with pytest.raises(CodebookError, match=r"^logic/huur_en_stress.yaml:24:28: 'welzijn' is already used in a "
                                            r"logic model \(not in the codebook\)"):
        plan_rename(open_layout(with_logic), "gezondheid", "welzijn")


def test_a_logic_model_the_reader_rejects_stops_a_refactor_with_its_own_located_error(with_logic):
    model = with_logic / "logic" / LOGIC.name
    model.write_text(model.read_text(encoding="utf-8").replace("kind: prestaties", "kind: prestatie_x"),
                     encoding="utf-8")
    with pytest.raises(LogicModelError, match=r"^logic/huur_en_stress.yaml:15: step 'minder_stress' has unknown kind"):
        plan_rename(open_layout(with_logic), "wonen", "woning")


def test_rename_on_the_demo_rewrites_its_logic_model_and_the_build_has_no_warnings(demo):
    layout = open_layout(demo)
    before = (demo / "logic" / "inponden_vrieheide.yaml").read_text(encoding="utf-8")
    plan = plan_rename(layout, "inponden", "opkopen_en_verhuren")
    assert "+    concepts: [opkopen_en_verhuren]" in plan.diff()
    apply_plan(layout, plan, who="Tester")
    after = (demo / "logic" / "inponden_vrieheide.yaml").read_text(encoding="utf-8")
    assert after == before.replace("concepts: [inponden]", "concepts: [opkopen_en_verhuren]")
    report = build_graph(layout)
    assert report.warnings == []
    assert "logic/inponden_vrieheide.yaml" in read_changelog(layout)[-1]["files"]


def test_merge_on_the_demo_follows_a_mechanism_concept_into_every_logic_model(demo):
    layout = open_layout(demo)
    plan = plan_merge(layout, "vertrouwen_in_instanties", "vertrouwen")
    assert sorted(c.shown for c in plan.changes if c.role == "logic") == [
        "logic/inponden_vrieheide.yaml", "logic/meer_peuters_naar_opvang.yaml", "logic/schoolmaatschappelijk_werk.yaml"]
    apply_plan(layout, plan, who="Tester")
    assert build_graph(layout).warnings == []
    models, _ = read_logic_models((p, p.name) for p in sorted((demo / "logic").glob("*.yaml")))
    concepts = {m.concept for model in models for a in model.arrows for m in a.mechanisms}
    assert "vertrouwen" in concepts and "vertrouwen_in_instanties" not in concepts


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_logic_model_renamed_there_and_back_is_byte_identical(tmp_path, newline):
    path = tmp_path / LOGIC.name
    path.write_bytes(LOGIC.read_bytes().replace(b"\n", newline.encode()))
    text, refs = logic_refs(path, LOGIC.name)
    there, count, repeats = rewrite_logic_text(text, refs, {"huur": "kosten", "stress": "zorgen"})
    assert (count, repeats) == (8, 0)
    assert there.count(newline) == text.count(newline)
    path.write_text(there, encoding="utf-8", newline="")
    back, _, _ = rewrite_logic_text(there, logic_refs(path, LOGIC.name)[1], {"kosten": "huur", "zorgen": "stress"})
    assert back.encode() == LOGIC.read_bytes().replace(b"\n", newline.encode())


def test_a_crlf_codebook_is_renamed_and_merged_keeping_its_line_ends_and_the_build_works(mini):
    layout = open_layout(mini)
    path = mini / "ontology" / "codebook.yaml"
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    apply_plan(layout, plan_rename(layout, "instroom_kwetsbaren", "kwetsbare_instroom"), who="Tester")
    data = path.read_bytes()
    assert b"kwetsbare_instroom:" in data and b"instroom_kwetsbaren" not in data
    assert data.count(b"\n") == data.count(b"\r\n")
    book = load_codebook(path)
    other = next(name for name in book.concepts if name != "kwetsbare_instroom")
    apply_plan(layout, plan_merge(layout, other, "kwetsbare_instroom", drop_self_loops=True), who="Tester")
    data = path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    assert other not in load_codebook(path).concepts
    report = build_graph(layout)
    assert not [w for w in report.warnings if "not in the codebook" in w.message]


def test_a_merge_that_sets_a_claim_against_its_opposite_on_one_line_is_refused_with_every_place(mini):
    layout = open_layout(mini)
    source = mini / "interviews" / "a.rock"
    source.write_text(source.read_text(encoding="utf-8") + (
        "[[uid=a0000099]] [[cid=R1]] Goedkoop trekt aan, menging remt. "
        "[[goedkope_woningen->instroom_kwetsbaren||causal_pos]] [[menging->instroom_kwetsbaren||causal_neg]]\n"
        "[[uid=a0000098]] Al omstreden. [[menging->sociale_cohesie||causal_pos]] "
        "[[menging->sociale_cohesie||causal_neg]]\n"), encoding="utf-8")
    before = snapshot(mini)
    with pytest.raises(CodebookError) as caught:
        plan_merge(layout, "goedkope_woningen", "menging")
    message = str(caught.value)
    assert message.startswith("interviews/a.rock:21:118: merging")
    assert "would leave 1 utterance code(s) next to the opposite claim" in message
    assert "--keep-conflicts" in message
    assert "a.rock:22" not in message  # the conflict the coder wrote is not the merge's
    assert snapshot(mini) == before
    plan = plan_merge(layout, "goedkope_woningen", "menging", keep_conflicts=True)
    assert [str(p) for p in plan.conflicts] == [str(caught.value.location)]
    assert any(n.startswith("conflict: 1 code(s)") for n in plan.notes)
    assert plan.summary().endswith("; 1 code(s) kept next to their opposite claim")
    apply_plan(layout, plan, who="Tester")
    text = source.read_text(encoding="utf-8")
    assert "[[menging->instroom_kwetsbaren||causal_pos]] [[menging->instroom_kwetsbaren||causal_neg]]" in text


def test_codes_of_the_same_polarity_or_on_other_concepts_are_no_conflict():
    polarity = {"causal_pos": "+", "causal_neg": "-", "causal": "?"}
    text = ("Zin. [[a->c||causal_pos]] [[b->c||causal]] [[a->d||causal_neg]] [[b->c||causal_pos||2]] "
            "[[c->b||causal_neg]]\n")
    result = rewrite_codes(text, Rename(concepts={"a": "b"}, polarity=polarity))
    assert result.conflicts == []
    clash = rewrite_codes("Zin. [[x>a->c||causal_neg]] [[b->y>c||causal_pos]]\n",
                          Rename(concepts={"a": "b"}, polarity=polarity))
    assert clash.conflicts == [(1, 29)]
