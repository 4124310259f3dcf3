"""``export --format cypher`` and the canned Cypher in ontology/cypher/, checked against the plan."""

from __future__ import annotations

import re

import pytest
from helpers import REPO, copy_demo
from hypothesis import given
from hypothesis import strategies as st
from test_neo4j_plan import Mirror

import verlicht.api as api
from verlicht.interop.cypher import inline, literal, script

CYPHER = REPO / "ontology" / "cypher"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> api.Workspace:
    ws = api.open(copy_demo(tmp_path_factory.mktemp("cypher") / "demo"))
    ws.build()
    return ws


def test_literals_escape_quotes_backslashes_and_control_characters():
    assert literal("it's a \\ \"test\"\n\t\x01") == "'it\\'s a \\\\ \"test\"\\n\\t\\u0001'"
    assert literal({"id": "x", "label nl": "é", "n": 1.5, "ok": False, "l": [1, 2]}) == (
        "{id: 'x', `label nl`: 'é', n: 1.5, ok: false, l: [1, 2]}")
    with pytest.raises(ValueError):
        literal(float("nan"))


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_float_literal_is_an_opencypher_double_of_the_same_value(value):
    written = literal(value)
    # openCypher: digits with a '.', or with an exponent whose sign can only be a minus; a minus sign before it
    assert re.fullmatch(r"-?(\d+\.\d+|\d+(\.\d+)?e-?\d+)", written), written
    assert float(written) == value


@given(st.text())
def test_every_string_literal_is_one_quoted_line_that_unescapes_to_the_string(text):
    written = literal(text)
    assert written.startswith("'") and written.endswith("'") and "\n" not in written
    body = written[1:-1]
    assert not re.search(r"(?<!\\)(?:\\\\)*'", body)  # no unescaped quote ends the literal early
    unescaped = re.sub(r"\\u([0-9a-f]{4})|\\(.)", lambda m: chr(int(m[1], 16)) if m[1] else
                       {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}.get(m[2], m[2]), body)
    assert unescaped == text


def test_script_holds_the_plan_with_parameters_written_in(built, tmp_path):
    out = tmp_path / "verlicht.cypher"
    built.export("cypher", out)
    text = out.read_text(encoding="utf-8")
    plan = built.neo4j_plan()
    statements = [line for line in text.splitlines() if not line.startswith("//")]
    assert len(statements) == len(plan.statements)
    assert all(line.endswith(";") and "$" not in line.replace("$'", "") for line in statements)
    assert not any("$rows" in s or "$build" in s for s in statements)
    assert text.count(f"n.verlicht_build = '{plan.build}'") == len(plan.of("nodes"))
    assert statements[0] == "CREATE CONSTRAINT verlicht_id IF NOT EXISTS FOR (n:Verlicht) REQUIRE n.id IS UNIQUE;"
    assert statements[-3] == ("MATCH (:Verlicht)-[r]->(:Verlicht) WHERE r.verlicht_build IS NULL OR "
                              f"r.verlicht_build <> '{plan.build}' WITH r DELETE r RETURN count(*) AS deleted;")
    assert "{id: 'concept:armoede', props: {code: 'armoede'" in text
    built.export("cypher", tmp_path / "again.cypher")
    assert out.read_bytes() == (tmp_path / "again.cypher").read_bytes()


def test_inline_writes_a_batch_as_one_unwind_over_literal_maps(built):
    statement = next(s for s in built.neo4j_plan().of("nodes") if s.kind == "Theme")
    text = inline(statement)
    assert text.startswith("UNWIND [{id: 'theme:leefbaarheid_en_veiligheid', props: {")
    assert text.count("}, {id: 'theme:") == 3 and text.count("props: {id: 'theme:") == 4


def test_script_of_the_demo_is_deterministic(built):
    assert script(built.neo4j_plan()) == script(built.neo4j_plan())


# -- canned queries ---------------------------------------------------------------------------------

def _canned(name: str) -> str:
    return "\n".join(line for line in (CYPHER / name).read_text().splitlines() if not line.startswith("//"))


@pytest.mark.parametrize("name", ["gaps.cypher", "evidence.cypher", "paths.cypher", "findings.cypher"])
def test_canned_queries_name_only_labels_relationships_and_properties_the_mirror_has(built, name):
    plan = built.neo4j_plan()
    labels = {s.kind for s in plan.of("nodes")}
    types = {s.kind for s in plan.of("relationships")}
    props: dict[str, set[str]] = {}
    for s in plan.of("nodes") + plan.of("relationships"):
        for row in s.params["rows"]:
            props.setdefault(s.kind, set()).update(row["props"])
    text = _canned(name)
    variables = dict(re.findall(r"\(\s*(\w+):(\w+)", text)) | dict(re.findall(r"\[(\w+):(\w+)\]", text))
    assert set(re.findall(r"\(\s*\w*:(\w+)", text)) <= labels
    assert set(re.findall(r"\[\w*:(\w+)", text)) <= types
    aliases = {"claim": "Assumption"}  # list comprehension over the assumptions of a path
    for var, prop in re.findall(r"\b(\w+)\.(\w+)\b", text):
        kind = variables.get(var) or aliases.get(var)
        if kind:
            assert prop in props[kind], (name, var, prop)
    for var, inline_props in re.findall(r"\((\w+):\w+ \{([^}]*)\}", text):
        for prop in re.findall(r"(\w+):", inline_props):
            assert prop in props[variables[var]], (name, var, prop)


def test_the_gaps_query_logic_over_the_mirror_gives_the_rows_of_verlicht_gaps(built):
    """The canned query's WHERE clauses, evaluated on what the push writes, against `verlicht gaps`."""
    mirror = Mirror().run(built.neo4j_plan())
    rels = [(r["_kind"], *r["_ends"]) for r in mirror.rels.values()]
    measured = {b for kind, _a, b in rels if kind == "MEASURES"}
    tested = {b for kind, _a, b in rels if kind == "TESTS"}
    ends = {(kind, a): b for kind, a, b in rels if kind in ("CAUSE", "EFFECT")}
    rows = set()
    for ident, node in mirror.nodes.items():
        if node["_kind"] != "Assumption" or ident in tested:
            continue
        cause, effect = ends[("CAUSE", ident)] in measured, ends[("EFFECT", ident)] in measured
        if not (cause and effect):
            rows.add((node["cause"], node["effect"], node["polarity"], "partial" if cause or effect else "unmeasured"))
    expected = {(r["cause"], r["effect"], r["polarity"], r["coverage"]) for r in built.gaps(kind="assumptions")}
    assert rows == expected and len(rows) == 51


def test_a_workspace_name_with_a_line_break_stays_inside_the_header_comment(mini):
    config = mini / "verlicht.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'name = "mini"', 'name = "mini\\nMATCH (n) DETACH DELETE n;"'), encoding="utf-8")
    ws = api.open(mini)
    ws.build()
    text = ws.export("cypher")
    assert text.splitlines()[0].startswith("// VERLICHT build ")
    assert "of workspace mini MATCH (n) DETACH DELETE n;:" in text.splitlines()[0]
    statements = [line for line in text.splitlines() if not line.startswith("//")]
    assert len(statements) == len(ws.neo4j_plan().statements)
    assert not any(line.startswith("MATCH (n) DETACH") for line in statements)
