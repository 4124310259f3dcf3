"""The ROCK reader on our own (invented, Dutch) Heerlen-Noord sources: one test per behaviour.

Fixtures live in tests/data/rock/; the ones under fouten/ each hold one mistake.
Error tests pin the exact path:line:col and check that message and hint say
what is wrong and how to fix it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from verlicht.errors import Location, RockSyntaxError
from verlicht.rock import Source, Utterance, parse_bytes, parse_text, read_source

DATA = Path(__file__).parent.parent / "data" / "rock"
BASIS = DATA / "heerlen_noord.rock"
MAPPING = DATA / "heerlen_attributen_mapping.rock"
BOM_CRLF = DATA / "heerlen_bom_crlf.rock"
FOUTEN = DATA / "fouten"


@pytest.fixture(scope="module")
def basis() -> Source:
    return read_source(BASIS)


def line(source: Source, number: int) -> Utterance:
    [utterance] = [u for u in source.utterances if u.line == number]
    return utterance


def error_in(path: Path) -> RockSyntaxError:
    with pytest.raises(RockSyntaxError) as info:
        read_source(path)
    return info.value


def error_in_text(text: str, path: str = "t.rock") -> RockSyntaxError:
    with pytest.raises(RockSyntaxError) as info:
        parse_text(text, path)
    return info.value


# --- utterances and text ----------------------------------------------------------------------------------------


def test_each_line_with_text_or_codes_is_one_utterance(basis):
    assert [u.line for u in basis.utterances] == [15, 16, 17, 18, 19, 20, 21, 22, 33, 34, 35, 36, 41, 42, 43]


def test_empty_lines_are_skipped(basis):
    numbers = {u.line for u in basis.utterances}
    assert not numbers & {14, 37}


def test_line_count_covers_every_physical_line(basis):
    assert basis.lines == len(BASIS.read_text(encoding="utf-8").splitlines()) == 55


def test_text_is_cleaned_of_codes_and_whitespace_collapsed(basis):
    # Line 17 has three spaces and a tab inside, and a code value at the end.
    assert line(basis, 17).text == "Vroeger kende iedereen elkaar. Nu veel minder."
    assert line(basis, 22).text == "Dat zei ik al."


def test_code_glued_to_text_leaves_the_text_joined_as_rock_does():
    [u] = parse_text("Heerlen[[plaats]]Noord").utterances
    assert (u.text, u.codes[0].id) == ("HeerlenNoord", "plaats")


def test_line_holding_only_codes_has_empty_text():
    [u] = parse_text("[[wonen]] [[werk]]").utterances
    assert (u.text, [c.id for c in u.codes]) == ("", ["wonen", "werk"])


# --- codes --------------------------------------------------------------------------------------------------------


def test_plain_code_is_read_with_its_column(basis):
    [code] = line(basis, 15).codes
    assert (code.path, code.col, code.namespace) == (("wonen",), 41, None)


def test_hierarchy_code_splits_on_greater_than(basis):
    code = line(basis, 16).codes[0]
    assert (code.path, code.id, code.leaf) == (("wonen", "verandering"), "wonen>verandering", "verandering")


def test_several_codes_on_one_line_keep_their_order_and_columns(basis):
    assert [(c.id, c.col) for c in line(basis, 16).codes] == [("wonen>verandering", 49), ("werk>mijnsluiting", 71)]


def test_code_value_keeps_code_value_and_column(basis):
    [value] = line(basis, 17).values
    assert (value.code, value.value, value.col) == ("sociale_cohesie", "laag", 50)


def test_numeric_code_value_stays_text(basis):
    [value] = line(basis, 18).values
    assert (value.code, value.value) == ("stress", "3")


def test_code_value_allows_rocks_value_characters():
    [value] = parse_text("Rapportcijfer voor de wijk. [[cijfer||6,5 of -7.2: ja?!]]").utterances[0].values
    assert value.value == "6,5 of -7.2: ja?!"


def test_spaces_inside_code_brackets_are_allowed_as_in_rock(basis):
    # rock's code regex is \[\[\s*(code)\s*\]\]
    assert [(c.id, c.col) for c in line(basis, 22).codes] == [("wonen", 59)]


def test_ci_code_is_read_in_the_ci_namespace():
    [code] = parse_text("Respondent begrijpt 'wijk' anders. [[ci--begrip]]").utterances[0].codes
    assert (code.path, code.namespace) == (("begrip",), "ci")


# --- network codes ------------------------------------------------------------------------------------------------


def test_network_code_with_type_and_no_weight(basis):
    [edge] = line(basis, 19).network
    assert (edge.source, edge.target, edge.type, edge.col) == ("schulden", "stress", "causal_pos", 24)
    assert edge.weight is None


def test_network_code_with_integer_weight(basis):
    [edge] = line(basis, 20).network
    assert (edge.source, edge.target, edge.type, edge.weight, edge.col) == ("stress", "slaap", "causal_neg", 2, 33)
    assert isinstance(edge.weight, int)


def test_network_code_with_decimal_weight(basis):
    # A VERLICHT extension: rock's weight part is [a-zA-Z0-9_>]*, so rock itself would skip this code.
    [edge] = line(basis, 21).network
    assert (edge.type, edge.weight) == ("causal_neg", 0.5)


def test_network_code_allows_spaces_as_in_rock(basis):
    # rock allows \s* around the ends, '->', '||' and the type (not between '||' and the weight).
    [edge] = line(basis, 22).network
    assert (edge.source, edge.target, edge.type, edge.weight, edge.col) == ("schulden", "stress", "causal_pos", 1, 1)


def test_network_code_with_empty_weight_has_no_weight():
    [edge] = parse_text("Huur en stress. [[huur->stress||causal_pos||]]").utterances[0].network
    assert edge.weight is None


def test_network_code_ends_keep_their_hierarchy():
    [edge] = parse_text("[[wonen>huur->gezondheid>stress||causal_pos]]").utterances[0].network
    assert (edge.source, edge.target, edge.source_leaf, edge.target_leaf) == (
        "wonen>huur",
        "gezondheid>stress",
        "huur",
        "stress",
    )


# --- identifiers ----------------------------------------------------------------------------------------------------


def test_uid_with_equals_sign(basis):
    assert line(basis, 33).uid == "hn07a001"


def test_uid_with_colon(basis):
    assert line(basis, 34).uid == "hn07a002"


def test_uid_is_case_insensitive_and_not_a_class_instance():
    [u] = parse_text("[[UID=hn01]] Tekst.").utterances
    assert (u.uid, u.ids) == ("hn01", {})


def test_case_id_persists_until_changed(basis):
    assert {u.case_id for u in basis.utterances if u.line < 38} == {"R07"}
    assert {u.case_id for u in basis.utterances if u.line > 38} == {"R08"}


def test_coder_id_persists_until_changed(basis):
    assert [line(basis, n).coder_id for n in (15, 36, 41, 42, 43)] == ["gp", "gp", "gp", "mk", "mk"]


def test_class_instance_on_a_line_applies_to_that_line(basis):
    assert line(basis, 42).ids == {"cid": "R08", "coderId": "mk"}


def test_line_holding_only_identifiers_is_no_utterance(basis):
    assert not {u.line for u in basis.utterances} & {13, 40}


def test_class_instance_id_with_colon_and_spaces():
    [u] = parse_text("[[ cid : R09 ]] Tekst.").utterances
    assert u.case_id == "R09"


# --- nesting ----------------------------------------------------------------------------------------------------------


def test_nesting_markers_set_the_level_and_leave_the_text(basis):
    assert [(line(basis, n).nesting, line(basis, n).text) for n in (33, 35, 36)] == [
        (0, "Wat doet u als het tegenzit?"),
        (2, "Daar drink ik koffie met de buren."),
        (1, "En soms naar de kerk."),
    ]


def test_nesting_marker_after_uid_still_nests(basis):
    # rock counts '~' after removing uids and codes: '[[uid:…]] ~Dan ga ik…' is level 1.
    u = line(basis, 34)
    assert (u.uid, u.nesting, u.text) == ("hn07a002", 1, "Dan ga ik naar het buurthuis.")


def test_nesting_markers_may_be_separated_by_spaces_as_in_rock():
    [u] = parse_text("  ~ ~ Tweede niveau.").utterances
    assert (u.nesting, u.text) == (2, "Tweede niveau.")


def test_tilde_inside_text_is_not_nesting():
    [u] = parse_text("Ongeveer ~20 jaar.").utterances
    assert (u.nesting, u.text) == (0, "Ongeveer ~20 jaar.")


def test_columns_are_counted_on_the_physical_line_including_tildes(basis):
    assert line(basis, 35).codes[0].col == 38


# --- YAML fragments ---------------------------------------------------------------------------------------------------


def test_yaml_fragments_are_read_at_start_middle_and_end(basis):
    assert [f.line for f in basis.fragments] == [1, 23, 44]
    assert [sorted(f.data) for f in basis.fragments] == [["ROCK_attributes"], ["ROCK_network"], ["ROCK_codes"]]


def test_yaml_fragment_lines_are_not_utterances(basis):
    assert not {u.line for u in basis.utterances} & set(range(23, 33))


def test_rock_attributes_in_list_form(basis):
    assert basis.attributes == {
        "R07": {"wijk": "Meezenbroek", "leeftijd": "40s"},
        "R08": {"wijk": "Heerlerheide", "leeftijd": "60s"},
    }


def test_rock_attributes_in_mapping_form():
    assert read_source(MAPPING).attributes == {
        "R11": {"wijk": "Hoensbroek", "rol": "bewoner"},
        "R12": {"wijk": "Heerlerbaan", "rol": "professional"},
    }


def test_numeric_case_ids_in_attributes_become_text():
    source = parse_text("---\nROCK_attributes:\n  - caseId: 7\n    wijk: Zeswegen\n---\n[[cid=7]] Tekst.\n")
    assert source.attributes == {"7": {"wijk": "Zeswegen"}}
    assert source.utterances[0].case_id in source.attributes


def test_rock_network_edges_declare_edge_types(basis):
    assert basis.edge_types == {"causal_pos": {"color": "#00BB00"}, "causal_neg": {"color": "#BB0000"}}


def test_rock_aesthetics_edges_declare_edge_types():
    assert read_source(MAPPING).edge_types == {"structural": {"style": "dashed"}}


def test_rock_codes_declare_codes_including_children(basis):
    assert basis.declared_codes == {"wonen", "verandering", "stress"}


def test_yaml_fragment_can_close_the_file_without_trailing_newline():
    source = parse_text("Tekst.\n---\nROCK_codes:\n  - id: werk\n---")
    assert (source.declared_codes, source.lines) == ({"werk"}, 5)


def test_empty_yaml_fragment_is_allowed():
    source = parse_text("---\n---\nTekst.")
    assert ([f.data for f in source.fragments], source.warnings) == ([None], [])


# --- sections and comments --------------------------------------------------------------------------------------------


def test_section_break_is_recorded_with_its_name(basis):
    assert [(b.line, b.name) for b in basis.sections] == [(38, "vraag")]


def test_section_break_numbers_the_following_utterances(basis):
    assert {u.section for u in basis.utterances if u.line < 38} == {0}
    assert {u.section for u in basis.utterances if u.line > 38} == {1}


def test_comment_lines_are_counted_and_skipped(basis):
    assert basis.comments == 2
    assert not {u.line for u in basis.utterances} & {12, 39}


def test_hash_inside_yaml_is_a_yaml_comment_not_a_rock_comment():
    source = parse_text("---\n# toelichting\nROCK_codes:\n  - id: werk\n---\n")
    assert (source.comments, source.declared_codes) == (0, {"werk"})


# --- encoding and line ends -------------------------------------------------------------------------------------------


def test_fixture_really_has_bom_and_crlf():
    data = BOM_CRLF.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_utf8_bom_is_ignored():
    source = read_source(BOM_CRLF)
    assert source.comments == 1  # line 1 starts with '#' right after the BOM
    assert [f.line for f in source.fragments] == [2]


def test_crlf_line_ends_keep_line_numbers_and_columns():
    source = read_source(BOM_CRLF)
    assert [(u.line, u.text) for u in source.utterances] == [
        (10, "Één keer per week komt de wijkagent."),
        (11, "De huur stijgt elk jaar."),
    ]
    assert source.utterances[0].codes[0].col == 38
    assert source.utterances[1].network[0].col == 26
    assert source.attributes == {"R21": {"wijk": "Heerlen-Noord"}}
    assert source.lines == 11


def test_bom_in_text_is_ignored_like_in_bytes():
    assert parse_text("\ufeff[[cid=R01]] Tekst.").utterances[0].case_id == "R01"


def test_read_source_and_parse_bytes_agree():
    assert read_source(BASIS, "x.rock") == parse_bytes(BASIS.read_bytes(), "x.rock")


def test_display_path_is_used_in_the_source():
    assert read_source(BASIS, "interviews/r07.rock").path == "interviews/r07.rock"


# --- errors -----------------------------------------------------------------------------------------------------------


def test_missing_file_is_located_error(tmp_path):
    missing = tmp_path / "bestaat_niet.rock"
    err = error_in(missing)
    assert err.location == Location(str(missing))
    assert "cannot read" in err.message and "path" in err.hint


def test_unclosed_brackets_is_located_error():
    path = FOUTEN / "open_haken.rock"
    err = error_in(path)
    assert err.location == Location(str(path), 3, 31)
    assert "never closed" in err.message and "'[['" in err.message
    assert "']]'" in err.hint
    assert str(err).startswith(f"{path}:3:31: ")


def test_single_bracket_before_code_is_located_error():
    # '[[[wonen]][': removing the code would glue the two single brackets into '[['.
    err = error_in_text("Tekst [[[wonen]][meer]]")
    assert err.location == Location("t.rock", 1, 7)
    assert "never closed" in err.message and "brackets" in err.hint


def test_network_code_without_type_is_located_error():
    path = FOUTEN / "netwerk_zonder_type.rock"
    err = error_in(path)
    assert err.location == Location(str(path), 2, 33)
    assert "no edge type" in err.message and "[[schulden->stress]]" in err.message
    assert "[[schulden->stress||causal_pos]]" in err.hint


def test_network_code_with_empty_type_is_located_error():
    path = FOUTEN / "netwerk_leeg_type.rock"
    err = error_in(path)
    assert err.location == Location(str(path), 3, 66)
    assert "no edge type" in err.message
    assert "[[stress->slaap||causal_pos]]" in err.hint


@pytest.mark.parametrize(
    ("code", "col"),
    [
        ("[[->stress||causal_pos]]", 8),
        ("[[schulden->||causal_pos]]", 8),
        ("[[schulden  hoog->stress||causal_pos]]", 8),
        ("[[1schulden->stress||causal_pos]]", 8),
        ("[[schulden->stress->slaap||causal_pos]]", 8),
        ("[[schulden->stress|causal_pos]]", 8),
    ],
)
def test_network_code_with_malformed_ends_is_located_error(code, col):
    err = error_in_text(f"Tekst. {code}")
    assert err.location == Location("t.rock", 1, col)
    assert "malformed ends" in err.message and code in err.message
    assert "[[cause->effect||type]]" in err.hint and "letter" in err.hint


def test_network_code_with_invalid_type_is_located_error():
    err = error_in_text("[[schulden->stress||causaal positief]]")
    assert err.location == Location("t.rock", 1, 1)
    assert "edge type" in err.message and "causaal positief" in err.message
    assert "letter" in err.hint


def test_network_code_with_too_many_parts_is_located_error():
    err = error_in_text("Een\n[[schulden->stress||causal_pos||2||3]]")
    assert err.location == Location("t.rock", 2, 1)
    assert "too many" in err.message and "||type||weight" in err.hint


def test_non_numeric_weight_is_located_error():
    path = FOUTEN / "gewicht_geen_getal.rock"
    err = error_in(path)
    assert err.location == Location(str(path), 1, 26)
    assert "weight" in err.message and "'veel'" in err.message and "not a number" in err.message
    assert "||2" in err.hint


@pytest.mark.parametrize("weight", ["nan", "inf", "-Infinity", "1e999"])
def test_non_finite_weight_is_located_error(weight):
    err = error_in_text(f"Tekst. [[huur->stress||causal_pos||{weight}]]")
    assert err.location == Location("t.rock", 1, 8)
    assert "not finite" in err.message and "||2" in err.hint


def test_yaml_that_does_not_parse_points_at_the_file_line():
    path = FOUTEN / "yaml_kapot.rock"
    err = error_in(path)
    # The fragment opens on line 4; the second ':' on line 8 is the problem.
    assert err.location == Location(str(path), 8, 22)
    assert "YAML" in err.message and "mapping values are not allowed" in err.message
    assert "quote" in err.hint


def test_yaml_error_with_crlf_points_at_the_file_line():
    text = "Tekst.\r\n---\r\nROCK_attributes:\r\n  - caseId: R01\r\n    wijk: [Meezenbroek\r\n---\r\n"
    err = error_in_text(text)
    assert err.location == Location("t.rock", 5, 23)  # the end of the fragment's last line, not of a '\r'
    err = error_in_text(text.replace("[Meezenbroek", "Meezen: broek"))
    assert err.location == Location("t.rock", 5, 17)


def test_yaml_error_line_counts_only_newlines_as_line_ends():
    # PyYAML also breaks lines at U+2028 (pasted from Word or the web); the file does not.
    text = '---\nROCK_attributes:\n  - caseId: R01\n    wijk: "Heerlen\u2028Noord"\n    rol: a: b\n---\n'
    err = error_in_text(text)
    assert err.location == Location("t.rock", 5, 11)
    assert "mapping values are not allowed" in err.message


def test_yaml_with_invalid_tagged_value_is_located_error():
    err = error_in_text("Tekst.\n---\nROCK_attributes:\n  - caseId: !!int ''\n---\n")
    assert err.location == Location("t.rock", 2, 1)
    assert "YAML" in err.message and "'---'" in err.hint


def test_yaml_alias_inside_its_own_anchor_is_located_error():
    err = error_in_text("Tekst.\n---\nROCK_attributes: &a\n  - caseId: R01\n    zelf: *a\n---\n")
    assert err.location == Location("t.rock", 2, 1)
    assert "alias" in err.message and "anchor" in err.message and "write the value out" in err.hint


def test_yaml_aliases_that_are_merely_shared_are_fine():
    text = "---\nwijk: &w Meezenbroek\nROCK_attributes:\n  - caseId: R01\n    wijk: *w\n---\n"
    assert parse_text(text).attributes == {"R01": {"wijk": "Meezenbroek"}}


def test_yaml_fragment_never_closed_is_located_error():
    path = FOUTEN / "yaml_open.rock"
    err = error_in(path)
    assert err.location == Location(str(path), 3, 1)
    assert "never closed" in err.message and "'---'" in err.message
    assert "'---'" in err.hint


def test_duplicate_uid_is_located_error_mentioning_the_first_line():
    path = FOUTEN / "dubbele_uid.rock"
    err = error_in(path)
    assert err.location == Location(str(path), 4, 1)
    assert "duplicate uid" in err.message and "'hn34a001'" in err.message and "line 2" in err.message
    assert "new uid" in err.hint


def test_invalid_utf8_is_located_error_with_line_and_column():
    path = FOUTEN / "cp1252.rock"
    err = error_in(path)
    assert err.location == Location(str(path), 2, 8)
    assert "0xe9" in err.message and "UTF-8" in err.message
    assert "UTF-8" in err.hint and "cp1252" in err.hint


def test_invalid_utf8_column_counts_characters_and_not_the_bom():
    # 'Nét “zo”' with a cp1252 opening quote: the bad byte is the 5th character of line 2, not the 6th byte.
    with pytest.raises(RockSyntaxError) as info:
        parse_bytes(b"\xef\xbb\xbfEerst\nN\xc3\xa9t \x93zo\xe2\x80\x9d\n", "w.rock")
    assert info.value.location == Location("w.rock", 2, 5)
    with pytest.raises(RockSyntaxError) as info:
        parse_bytes(b"\xef\xbb\xbfab\xff", "w.rock")
    assert info.value.location == Location("w.rock", 1, 3)


# --- warnings ---------------------------------------------------------------------------------------------------------


def test_code_with_space_is_a_warning_not_an_error():
    source = parse_text("Tekst. [[foo bar]] meer", "w.rock")
    [warning] = source.warnings
    assert warning.location == Location("w.rock", 1, 8)
    assert "[[foo bar]]" in warning.message and "ignored" in warning.message
    assert "letter" in warning.hint
    assert source.utterances[0].text == "Tekst. meer"
    assert source.utterances[0].codes == []


def test_stray_closing_brackets_is_a_warning_with_column():
    source = parse_text("Een\nTekst ]] zonder begin.", "w.rock")
    [warning] = source.warnings
    assert warning.location == Location("w.rock", 2, 7)
    assert "']]'" in warning.message and "'[['" in warning.hint
    assert source.utterances[1].text == "Tekst ]] zonder begin."


def test_stray_closing_brackets_after_a_code_warn_at_the_physical_column():
    source = parse_text("[[wonen]] Tekst ]]", "w.rock")
    [warning] = source.warnings
    assert warning.location == Location("w.rock", 1, 17)


def test_class_instance_with_invalid_value_is_a_warning():
    source = parse_text("[[ts=00:00:05]] Tekst.", "w.rock")
    [warning] = source.warnings
    assert warning.location == Location("w.rock", 1, 1)
    assert "[[cid=R07]]" in warning.hint
    assert source.utterances[0].ids == {}


def test_ci_code_without_a_name_is_a_warning():
    source = parse_text("Tekst. [[ci-- >]]", "w.rock")
    [warning] = source.warnings
    assert warning.location == Location("w.rock", 1, 8)
    assert source.utterances[0].codes == []


def test_empty_level_in_code_is_a_warning():
    source = parse_text("Tekst. [[wonen>>huur]]", "w.rock")
    [warning] = source.warnings
    assert "empty level" in warning.message and "'>'" in warning.hint
    assert source.utterances[0].codes[0].path == ("wonen", "huur")


def test_edges_that_are_not_a_list_warn_and_are_ignored():
    text = "---\nROCK_network:\n  edges: 5\n---\n---\nROCK_aesthetics:\n  edges: {type: x}\n---\n"
    source = parse_text(text, "w.rock")
    assert source.edge_types == {}
    assert [(w.location.line, "not a list" in w.message) for w in source.warnings] == [(1, True), (5, True)]


def test_attributes_record_without_case_id_warns():
    source = parse_text("---\nROCK_attributes:\n  - wijk: Heerlen\n---\n", "w.rock")
    [warning] = source.warnings
    assert warning.location == Location("w.rock", 1, 1)
    assert "caseId" in warning.message and "caseId" in warning.hint
    assert source.attributes == {}


def test_yaml_fragment_that_is_not_a_mapping_warns():
    source = parse_text("Tekst.\n---\n- een\n- twee\n---\n", "w.rock")
    [warning] = source.warnings
    assert warning.location == Location("w.rock", 2, 1)
    assert "not a mapping" in warning.message and "ROCK_attributes" in warning.hint


def test_clean_sources_have_no_warnings(basis):
    assert basis.warnings == []
    assert read_source(MAPPING).warnings == []
    assert read_source(BOM_CRLF).warnings == []


def test_a_code_with_an_accented_letter_is_refused_with_a_hint_that_says_ascii():
    source = parse_text("[[uid=x1]] Zin. [[café]]\n", "t.rock")
    [warning] = source.warnings
    assert warning.message == "'[[café]]' is not a ROCK code; it is ignored"
    assert warning.hint == "codes start with an ASCII letter (a–z, A–Z: no é or ë) and hold only those letters, " \
                           "digits, _ and >"
    with pytest.raises(RockSyntaxError, match=r"malformed ends — .*codes start with an ASCII letter"):
        parse_text("[[uid=x1]] Zin. [[café->huur||causal_pos]]\n", "t.rock")
