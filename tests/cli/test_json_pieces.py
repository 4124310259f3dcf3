"""JSON output is written a piece at a time (tens of MB at the worst case) and is the same bytes as in one go."""

from __future__ import annotations

import orjson
import pytest

from verlicht.cli.output import json_chunks


@pytest.mark.parametrize("size", [1, 2, 3, 1000])
@pytest.mark.parametrize("count", [0, 1, 2, 7])
def test_json_in_pieces_is_the_same_bytes_as_in_one_go(size, count):
    rows = [{"kind": "assumption", "id": f"a{i}", "holders": {"bewoner": ["R1", "R2"], "bestuurder": []},
             "goals": [1, 4], "goal": None, "label": "één \"zin\"", "empty": {}} for i in range(count)]
    assert b"".join(json_chunks(rows, size=size)) == orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\n"
