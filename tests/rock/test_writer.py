"""The writer and the reader agree: what :func:`network_code` writes, the reader reads back part for part."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from verlicht.coding.edit import canonical
from verlicht.rock import NetworkCode, NetworkKind, classify, network_code, parse_text, scan_text
from verlicht.rock.reader import _CODE

CHECKS = settings(max_examples=300, deadline=None, database=None)

# Anything the reader's grammar takes for an end or an edge type: a letter, then letters, digits, _ and >.
IDS = st.from_regex(_CODE, fullmatch=True)
WEIGHTS = st.none() | st.integers(min_value=-(10**12), max_value=10**12) | st.floats(allow_nan=False,
                                                                                    allow_infinity=False)


@CHECKS
@given(IDS, IDS, IDS, WEIGHTS)
def test_a_written_network_code_reads_back_with_the_same_parts(source, target, type_, weight):
    text = network_code(source, target, type_, weight)

    kind = classify(text)
    assert isinstance(kind, NetworkKind)
    assert (kind.source, kind.target, kind.type) == (source, target, type_)
    assert kind.weight == weight  # whole numbers come back as ints (2.0 -> 2), other floats as the same float

    [utterance] = parse_text(f"[[uid=u1]] de huur stijgt [[{text}]]\n").utterances
    [code] = utterance.network
    assert code == NetworkCode(source, target, type_, kind.weight, len("[[uid=u1]] de huur stijgt ") + 1)


@CHECKS
@given(IDS, IDS, IDS, WEIGHTS)
def test_the_written_spelling_is_the_coders_one_spelling(source, target, type_, weight):
    text = network_code(source, target, type_, weight)
    assert canonical(classify(text)) == network_code(source, target, type_, classify(text).weight)
    assert canonical(classify(canonical(classify(text)))) == canonical(classify(text))


def test_network_code_spells_weights_as_the_reader_reads_them():
    assert network_code("a", "b", "causal_pos") == "a->b||causal_pos"
    assert network_code("a", "wonen>b", "causal_neg", 2) == "a->wonen>b||causal_neg||2"
    assert network_code("a", "b", "causal_pos", 0.5) == "a->b||causal_pos||0.5"
    # More than six significant digits survive (the coder's spelling once rounded them with :g).
    assert network_code("a", "b", "causal_pos", 0.1234567) == "a->b||causal_pos||0.1234567"
    assert classify("a->b||causal_pos||0.1234567").weight == 0.1234567


def test_scan_rows_and_their_codes_are_read_by_name():
    source = scan_text("[[cid=R07]]\n[[uid=u1]] ~ de huur [[huur]] [[stress||hoog]] [[huur->stress||causal_pos||2]]\n")
    [row] = source.utterances
    assert (row.line, row.text, row.uid, row.nesting, row.ids, row.section) == (2, "de huur", "u1", 1,
                                                                                {"cid": "R07"}, 0)
    assert [c.id for c in row.codes] == ["huur"]
    assert [(v.code, v.value) for v in row.values] == [("stress", "hoog")]
    [edge] = row.network
    assert (edge.source_leaf, edge.target_leaf, edge.type, edge.weight) == ("huur", "stress", "causal_pos", 2)
    # The row is the utterance's fields in order: the parsed utterance holds the very same codes.
    [utterance] = parse_text(source_text := "[[cid=R07]]\n[[uid=u1]] ~ de huur [[huur]] [[stress||hoog]] "
                             "[[huur->stress||causal_pos||2]]\n").utterances
    assert scan_text(source_text).utterances[0] == (utterance.line, utterance.text, utterance.uid, utterance.nesting,
                                                    utterance.codes, utterance.values, utterance.network,
                                                    utterance.ids, utterance.section, ())


def test_each_kind_of_code_is_named_by_its_tag():
    assert classify("wonen>instroom")._asdict() == {"tag": "code", "path": ("wonen", "instroom"), "namespace": None,
                                                    "warning": None, "hint": None}
    assert classify("stress||hoog")._asdict() == {"tag": "value", "code": "stress", "value": "hoog"}
    assert classify("uid=7ddr")._asdict() == {"tag": "uid", "uid": "7ddr"}
    assert classify("cid=R07")._asdict() == {"tag": "id", "name": "cid", "value": "R07"}
    problem = classify("a->b")
    assert (problem.tag, problem.message) == ("error", "network code '[[a->b]]' has no edge type")
    assert classify("wonen instroom").tag == "warning"


def test_the_writers_docstring_examples_hold():
    import doctest

    import verlicht.rock.writer

    result = doctest.testmod(verlicht.rock.writer)
    assert (result.attempted, result.failed) == (2, 0)
