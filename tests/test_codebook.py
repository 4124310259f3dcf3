"""The codebook: concept types, labels, themes, edge types with polarity; located errors; fuzzing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from verlicht.codebook import BUILTIN_EDGE_TYPES, load_codebook
from verlicht.errors import CodebookError
from verlicht.programme import load_catalogue

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


def test_demo_codebook_defines_types_labels_and_themes():
    catalogue = load_catalogue()
    book = load_codebook(REPO / "ontology" / "codebook.yaml", themes=set(catalogue.themes))
    assert book.warnings == []
    concept = book.concepts["verloop_bewoners"]
    assert concept.type == "factor"
    assert concept.label("nl") and concept.label("en") and concept.label("nl") != concept.label("en")
    assert concept.theme in catalogue.themes
    assert {c.type for c in book.concepts.values()} <= {"actor", "factor", "mechanism", "intervention",
                                                         "outcome", "context"}


def test_builtin_edge_types_have_rock_polarity():
    assert {name: (t.kind, t.polarity) for name, t in BUILTIN_EDGE_TYPES.items()} == {
        "causal": ("causal", "?"),
        "causal_pos": ("causal", "+"),
        "causal_neg": ("causal", "-"),
        "structural": ("relation", None),
    }


def test_missing_codebook_gives_builtin_edge_types_only(tmp_path):
    book = load_codebook(tmp_path / "absent.yaml")
    assert book.concepts == {}
    assert set(book.edge_types) == set(BUILTIN_EDGE_TYPES)


def test_list_form_is_read_like_the_mapping_form():
    book = load_codebook(DATA / "codebooks" / "list_form.yaml")
    assert book.concepts["sociale_cohesie"].type == "outcome"
    assert book.concepts["verloop_bewoners"].line == 3
    remt = book.edge_types["remt"]
    assert (remt.kind, remt.polarity, remt.causal) == ("causal", "-", True)


def test_unknown_concept_type_is_located_error():
    with pytest.raises(CodebookError) as caught:
        load_codebook(DATA / "codebooks" / "bad_type.yaml", "bad_type.yaml")
    assert str(caught.value.location) == "bad_type.yaml:6"
    assert "'uitkomst'" in caught.value.message
    assert "factor" in caught.value.hint


def test_unknown_polarity_is_located_error():
    with pytest.raises(CodebookError) as caught:
        load_codebook(DATA / "codebooks" / "bad_polarity.yaml", "p.yaml")
    assert str(caught.value.location) == "p.yaml:4"
    assert '"+", "-" or "?"' in caught.value.hint


def test_yaml_syntax_error_has_line_and_column():
    with pytest.raises(CodebookError) as caught:
        load_codebook(DATA / "codebooks" / "bad_yaml.yaml", "b.yaml")
    assert caught.value.location.line == 4
    assert caught.value.location.col is not None


def test_unknown_theme_and_missing_labels_are_warnings(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("concepts:\n  a:\n    type: factor\n    theme: sport\n")
    book = load_codebook(path, "c.yaml", themes={"wonen_en_leefomgeving"})
    assert sorted(str(w) for w in book.warnings) == [
        "c.yaml:2: warning: concept 'a' lacks a label in nl — add 'label: {nl: …, en: …}'",
        "c.yaml:4: warning: concept 'a' has unknown theme 'sport' — known themes: wonen_en_leefomgeving",
    ]
    assert book.concepts["a"].label("en") == "a"


def test_code_that_rock_cannot_use_is_rejected(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("concepts:\n  sociale-cohesie:\n    type: factor\n")
    with pytest.raises(CodebookError, match="cannot be used as a ROCK code"):
        load_codebook(path)


def test_catalogue_has_the_twelve_goals_four_themes_and_the_wijken():
    catalogue = load_catalogue()
    assert sorted(catalogue.goals) == list(range(1, 13))
    assert len(catalogue.themes) == 4
    assert {"heerlen_noord", "heerlen_zuid", "heerlen", "nederland"} <= set(catalogue.areas)
    assert sum(1 for a in catalogue.areas.values() if a.kind == "wijk") == 14
    assert {a.id for a in catalogue.areas.values() if a.focus} == {"gms", "vrieheide",
                                                                   "kasteelbuurt_hoofdstraat_west"}
    assert "bijstand" in catalogue.goals[4].nl
    assert catalogue.area_id("Vrieheide") == "vrieheide"
    assert catalogue.area_id("GMS") == "gms"
    assert catalogue.area_id("Kasteelbuurt-Hoofdstraat West") == "kasteelbuurt_hoofdstraat_west"
    assert catalogue.area_id("Maastricht") is None


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, width=16),
                    st.sampled_from(["factor", "actor", "causal", "relation", "+", "-", "?", "x", "", "nl", "en"]),
                    st.text(max_size=8))
KEYS = st.sampled_from(["concepts", "edge_types", "type", "kind", "polarity", "label", "nl", "en", "theme",
                        "synonyms", "description", "color", "code", "id", "a", "b_1", "1", "version"])
NESTED = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
                      max_leaves=12)
DOCUMENTS = st.dictionaries(st.sampled_from(["concepts", "edge_types", "version", "extra"]), NESTED, max_size=3)


@settings(max_examples=400, deadline=None)
@given(DOCUMENTS)
def test_fuzzed_codebook_structure_gives_a_codebook_or_a_codebook_error(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("cb") / "codebook.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    try:
        load_codebook(path, themes={"wonen"})
    except CodebookError as exc:
        assert exc.location is not None


YAMLISH = st.lists(
    st.sampled_from(["concepts:", "edge_types:", "  a:", "    type: factor", "    type: x", "  - code: b",
                     "    polarity: '+'", "    kind: causal", "    label: {nl: A}", "    label: [1, 2]",
                     "  b: 3", "- x", ": :", "    synonyms: 3", "    color: [1]", "    short: x",
                     "  1: {type: factor}", "  ? [a]", "  : x", "  c: {type: actor, label: x}", "version: 1",
                     "\t", "[", "'"])
    | st.text(max_size=20),
    max_size=12,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(YAMLISH)
def test_fuzzed_codebook_gives_a_codebook_or_a_codebook_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("cb") / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_codebook(path)
    except CodebookError as exc:
        assert exc.location is not None


@pytest.mark.parametrize("text, message", [
    ("concepts:\n  a:\n    type: factor\n    synonyms: {x: 1}\n", "synonyms of concept 'a' must be a list"),
    ("edge_types:\n  x:\n    kind: causal\n    label: [1]\n", "label of edge type 'x' must be a mapping"),
    ("concepts:\n  a:\n    type: factor\n    label: {nl: [1]}\n", "label 'nl' of concept 'a' must be text"),
])
def test_malformed_fields_are_codebook_errors(tmp_path, text, message):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(CodebookError, match=message):
        load_codebook(path)


def test_single_synonym_may_be_written_without_a_list(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("concepts:\n  a:\n    type: factor\n    synonyms: goedkope huur\n")
    assert load_codebook(path).concepts["a"].synonyms == ("goedkope huur",)


CATALOGUE_DOCS = st.dictionaries(st.sampled_from(["mission", "themes", "goals", "areas"]), NESTED, max_size=4)


@settings(max_examples=300, deadline=None)
@given(CATALOGUE_DOCS)
def test_fuzzed_catalogue_gives_a_catalogue_or_a_codebook_error(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("cat") / "catalogue.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    try:
        load_catalogue(path)
    except CodebookError as exc:
        assert exc.location is not None


def test_an_unquoted_comma_in_a_label_is_a_located_error(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text("concepts:\n  goedkope_woningen:\n    type: factor\n"
                    "    label: {nl: Goedkope, snel beschikbare woningen, en: Cheap housing}\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="'snel beschikbare woningen' without a language") as info:
        load_codebook(path)
    assert info.value.location.line == 4
    assert "quote" in info.value.hint


def test_a_concept_defined_twice_is_a_located_error_naming_the_first_line():
    with pytest.raises(CodebookError) as caught:
        load_codebook(DATA / "codebooks" / "duplicate_concept.yaml", "ontology/codebook.yaml")
    assert str(caught.value).startswith(
        "ontology/codebook.yaml:10:3: concept 'inponden' is defined twice (first on line 4) — keep one of the two")


def test_a_key_written_twice_inside_a_concept_names_the_concept(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("concepts:\n  a:\n    type: factor\n    type: outcome\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"key 'type' under 'a' is defined twice \(first on line 3\)"):
        load_codebook(path)


def test_merge_keys_and_aliases_are_no_duplicates(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("base: &b {type: factor, label: {nl: A, en: A}}\nconcepts:\n  a: *b\n"
                    "  c:\n    <<: *b\n    <<: *b\n    type: outcome\n", encoding="utf-8")
    book = load_codebook(path)
    assert (book.concepts["a"].type, book.concepts["c"].type) == ("factor", "outcome")


def test_a_concept_with_an_accented_letter_is_refused_with_a_hint_that_says_ascii(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("concepts:\n  café:\n    type: factor\n", encoding="utf-8")
    with pytest.raises(CodebookError) as caught:
        load_codebook(path, "c.yaml")
    assert str(caught.value) == ("c.yaml:2: 'café' cannot be used as a ROCK code — codes start with an ASCII letter "
                                 "(a–z, A–Z: no é or ë) and hold only those letters, digits and _")
