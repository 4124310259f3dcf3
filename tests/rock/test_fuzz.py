"""Property-based fuzzing of the ROCK reader.

Whatever it is given, the reader returns a Source or raises RockSyntaxError with a
location inside the input; any other exception is a bug in VERLICHT. The
strategies glue random text to pieces of ROCK syntax and YAML, so the fuzzer
reaches the code, network, identifier, section and YAML paths instead of only
ever producing plain text.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verlicht.errors import RockSyntaxError
from verlicht.rock import Source, parse_bytes, parse_text

FUZZ = settings(
    max_examples=300,
    deadline=None,
    database=None,  # keep runs from writing into the working tree
    suppress_health_check=[HealthCheck.too_slow],
)

WELL_FORMED = re.compile(r"\[\[[^\[\]]*\]\]")

# fmt: off
ROCK_PIECES = [
    "[[", "]]", "[", "]", "->", "||", ">", "~", "~~", "#", "=", ":", " ", "\t", "--", "-", "_", "uid=", "uid:",
    "UID=", "cid=", "coderId=", "ci--", "wonen", "huur>stress", "R07", "hn01", "1", "0.5", "nan", "[[wonen]]",
    "[[wonen>huur]]", "[[ wonen ]]", "[[stress||3]]", "[[cijfer||6,5 ja?]]", "[[schulden->stress||causal_pos]]",
    "[[schulden->stress||causal_neg||2]]", "[[a->b||t||0.5]]", "[[a->b]]", "[[a->b||]]", "[[->b||t]]",
    "[[a->b||t||veel]]", "[[a->b||t||1||2]]", "[[uid=hn01]]", "[[uid:hn02]]", "[[cid=R07]]", "[[coderId=gp]]",
    "[[ts=00:01]]", "[[ci--begrip]]", "[[ci-->]]", "[[foo bar]]", "[[]]", "[[[a]]", "]][[", "---<<vraag>>---",
    "--+-{ 12:00 }-+--", "--+-{", "\ufeff", "\r", "é", "Één", "\u2028", "\x85", "\x00",
]
YAML_LINES = [
    "---", "---", "--- ", "ROCK_attributes:", "  -", "    caseId: R07", "    caseId: 7", "  - caseId: R08",
    "    wijk: Meezenbroek", "  R09:", "    rol: bewoner", "  - wijk: zonder case", "ROCK_attributes: 5",
    "ROCK_network:", "ROCK_aesthetics:", "  edges:", "    -", "      type: causal_pos", "      color: '#00BB00'",
    "  edges: 5", "  edges: {type: x}", "    - type: [1]", "ROCK_codes:", "codes:", "dct:", "  - id: wonen",
    "    children:", "      - id: huur", "  - stress", "  codes:", "a: &x [*x]", "b: &y {c: *y}", "w: &w R07",
    "v: *w", "d: !!int ''", "e: !!bool misschien", "f: !!timestamp gisteren", "g: 2024-01-01", "h: [", "i: {",
    "\tj: 1", "k: l: m", "? [a]", ": b", "- lijst", "...", "'open", 'n: "Heerlen\u2028Noord"', "# yaml-commentaar",
    "o: !!binary x", "p: .nan", "q: 1e999", "",
]
# fmt: on

# Whole top-level YAML entries: random single lines rarely make a fragment that parses,
# and only a parsing fragment reaches PyYAML's constructors and the container views.
YAML_BLOCKS = [
    "ROCK_attributes:\n  - caseId: R07\n    wijk: Meezenbroek",
    "ROCK_attributes:\n  R09:\n    rol: bewoner\n  10: los",
    "ROCK_attributes: 5",
    "ROCK_attributes:\n  - wijk: zonder case\n  - 7",
    "ROCK_attributes:\n  - caseId: [1]\n    x: &a [*a]",
    "ROCK_attributes:\n  - caseId: 2024-01-01\n    d: !!binary aGFsbG8=\n    s: !!set {a}",
    "ROCK_network:\n  edges:\n    - type: causal_pos\n      color: '#00BB00'\n    - type: [1]\n    - 5",
    "ROCK_network:\n  edges: 5",
    "ROCK_network: 5",
    "ROCK_aesthetics:\n  edges: {type: x}",
    "ROCK_codes:\n  - id: wonen\n    children:\n      - id: huur\n      - id: [x]",
    "ROCK_codes:\n  codes:\n    - id: stress",
    "codes: [wonen, werk]",
    "dct: {wonen: x}",
    "x: &a [*a]",
    "y: &b {c: *b}",
    "w: &w [R07]\nv: [*w, *w]",
    "d: !!int ''",
    "e: !!bool misschien",
    "f: !!timestamp gisteren",
    "g: !!float ''",
    "h: [",
    "k: l: m",
    'n: "Heerlen\u2028Noord"\nrol: a: b',
    "- lijst",
    "? [a]\n: b",
]
yaml_fragment = st.lists(st.sampled_from(YAML_BLOCKS), max_size=3).map(lambda b: "\n".join(["---", *b, "---"]))
LINE_ENDS = ["\n", "\n", "\n", "\r\n", "\r\n", "\r"]

rock_line = st.lists(st.one_of(st.sampled_from(ROCK_PIECES), st.text(max_size=6)), max_size=8).map("".join)
yaml_line = st.sampled_from(YAML_LINES)
any_block = st.one_of(rock_line, rock_line, yaml_line, yaml_fragment)


def document(bom: bool, blocks: list[tuple[str, str]], last: str) -> str:
    """Join blocks with their line end, used inside multi-line blocks too (CRLF YAML fragments)."""
    return ("\ufeff" if bom else "") + "".join(block.replace("\n", end) + end for block, end in blocks) + last


documents = st.builds(
    document,
    st.booleans(),
    st.lists(st.tuples(any_block, st.sampled_from(LINE_ENDS)), max_size=25),
    st.one_of(st.just(""), rock_line),
)


def physical_lines(text: str) -> list[str]:
    """The lines as the reader numbers them: split on '\\n', one trailing '\\r' dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def use(source: Source) -> None:
    """Touch everything a caller reads, so derived views (attributes, edge types) are fuzzed too."""
    source.attributes  # noqa: B018
    source.edge_types  # noqa: B018
    source.declared_codes  # noqa: B018
    for warning in source.warnings:
        str(warning)
        warning.to_dict()
    for u in source.utterances:
        u.case_id  # noqa: B018
        u.coder_id  # noqa: B018
        for code in u.codes:
            assert code.path and code.leaf and code.id
        for edge in u.network:
            edge.source_leaf  # noqa: B018
            edge.target_leaf  # noqa: B018


def read_or_error(text: str) -> Source | RockSyntaxError:
    try:
        source = parse_text(text, "fuzz.rock")
    except RockSyntaxError as err:
        return err
    use(source)
    return source


def assert_located(err: RockSyntaxError, count: int, lines: list[str] | None = None) -> None:
    """The error names the input, a line in it and a column on that line (up to just past its end)."""
    location = err.location
    assert location is not None and location.path == "fuzz.rock"
    assert location.line is not None and 1 <= location.line <= max(count, 1), (str(err), count)
    assert location.col is not None and location.col >= 1
    if lines:
        assert location.col <= len(lines[location.line - 1]) + 1, (str(err), lines[location.line - 1])
    assert err.message and err.hint
    str(err)


@FUZZ
@given(st.text())
def test_any_text_reads_or_raises_rock_syntax_error(text):
    result = read_or_error(text)
    if isinstance(result, RockSyntaxError):
        lines = physical_lines(text)
        assert_located(result, len(lines), lines)


@FUZZ
@given(documents)
def test_rock_like_text_reads_or_raises_located_rock_syntax_error(text):
    result = read_or_error(text)
    if isinstance(result, RockSyntaxError):
        lines = physical_lines(text)
        assert_located(result, len(lines), lines)


@FUZZ
@given(documents)
def test_utterance_text_never_holds_a_well_formed_code(text):
    result = read_or_error(text)
    if isinstance(result, Source):
        for u in result.utterances:
            assert not WELL_FORMED.search(u.text), u.text
            assert u.text == u.text.strip() and "  " not in u.text


@FUZZ
@given(documents)
def test_line_numbers_and_columns_point_into_the_input(text):
    result = read_or_error(text)
    if not isinstance(result, Source):
        return
    lines = physical_lines(text)
    assert result.lines == len(lines)
    numbers = [u.line for u in result.utterances]
    assert numbers == sorted(set(numbers))
    for number in numbers + [f.line for f in result.fragments] + [b.line for b in result.sections]:
        assert 1 <= number <= len(lines)
    for fragment in result.fragments:
        assert lines[fragment.line - 1].rstrip() == "---"
    for u in result.utterances:
        physical = lines[u.line - 1]
        assert u.nesting >= 0
        for col in [c.col for c in u.codes] + [v.col for v in u.values] + [n.col for n in u.network]:
            assert physical[col - 1 : col + 1] == "[[", (physical, col)
    for warning in result.warnings:
        assert 1 <= warning.location.line <= max(len(lines), 1)


@FUZZ
@given(st.binary(max_size=200))
def test_any_bytes_read_or_raise_rock_syntax_error(data):
    try:
        source = parse_bytes(data, "fuzz.rock")
    except RockSyntaxError as err:
        assert_located(err, data.count(b"\n") + 1)
        return
    use(source)


def first_bad_utf8(data: bytes) -> tuple[int, int] | None:
    """Line and character column of the first undecodable byte, found line by line (a BOM is no character)."""
    for number, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return number, len(raw[: exc.start].decode("utf-8")) + 1
    return None


@FUZZ
@given(documents, st.lists(st.tuples(st.integers(min_value=0), st.binary(min_size=1, max_size=3)), max_size=3))
def test_damaged_utf8_is_located_at_the_first_bad_byte(text, damage):
    data = bytearray(text.encode("utf-8", "surrogatepass"))
    for position, junk in damage:
        at = position % (len(data) + 1)
        data[at:at] = junk
    data = bytes(data)
    bad = first_bad_utf8(data)
    try:
        source = parse_bytes(data, "fuzz.rock")
    except RockSyntaxError as err:
        assert_located(err, data.count(b"\n") + 1)
        if bad is not None:
            assert (err.location.line, err.location.col) == bad
            assert "UTF-8" in err.message
        return
    assert bad is None
    use(source)
