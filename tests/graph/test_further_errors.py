"""Every mistake of a source: the reader stops at the first, the build looks further (fuzzed)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verlicht.errors import RockSyntaxError
from verlicht.graph.source_cache import MAX_ERRORS_PER_SOURCE, further_errors, parse_source_bytes

LINES = st.sampled_from([
    "[[uid=u{n}]] Goed. [[a->b||causal_pos]]", "[[uid=u{n}]] Geen type. [[a->b]]", "[[uid=u{n}]] Open [[a",
    "[[uid=u{n}]] Gewicht [[a->b||causal||x]]", "---", "ROCK_attributes:", "  - caseId: R1", "  - [kapot",
    "# commentaar", "", "[[uid=dubbel]] Dubbel.", "Gewoon tekst.", "---<<deel>>---",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, max_size=40))
def test_further_errors_are_located_distinct_later_mistakes_and_never_crash(lines):
    data = "\n".join(line.format(n=i) for i, line in enumerate(lines)).encode()
    try:
        parse_source_bytes(data, "s.rock")
    except RockSyntaxError as first:
        further = first.further
        assert len(further) <= MAX_ERRORS_PER_SOURCE
        assert all(isinstance(e, RockSyntaxError) and e.location.path == "s.rock" for e in further)
        texts = [str(first), *map(str, further)]
        assert len(set(texts)) == len(texts)
    else:
        assert further_errors(data, "s.rock", RockSyntaxError("x")) == []


def test_a_mistake_inside_a_yaml_fragment_blanks_the_fragment_not_only_its_line():
    data = b"---\nROCK_attributes:\n  - [kapot\n---\n[[uid=a1]] Geen type. [[a->b]]\n"
    with pytest.raises(RockSyntaxError) as caught:
        parse_source_bytes(data, "s.rock")
    first = caught.value
    assert [e.location.line for e in [first, *first.further]] == [3, 5]
