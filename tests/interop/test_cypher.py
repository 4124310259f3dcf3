"""``export --format cypher`` and the canned Cypher in ontology/cypher/, checked against the plan."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from helpers import REPO, copy_demo, run
from hypothesis import given
from hypothesis import strategies as st
from test_neo4j_plan import Mirror
from test_sparql import comparable

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

CANNED = sorted(f.name for f in CYPHER.glob("*.cypher"))
COLUMNS = ["kind", "id", "cause", "effect", "polarity", "coverage", "support", "groups", "intervention", "stage",
           "step", "arrow", "concept", "file", "line"]


def _canned(name: str) -> str:
    return "\n".join(line for line in (CYPHER / name).read_text().splitlines() if not line.startswith("//"))


def test_every_canned_query_is_in_the_readme_and_the_neo4j_help():
    assert CANNED == ["coverage.cypher", "evidence.cypher", "findings.cypher", "gaps.cypher", "paths.cypher"]
    readme = (CYPHER / "README.md").read_text(encoding="utf-8")
    code, out, _err = run("neo4j", "--help")
    assert code == 0
    for name in CANNED:
        assert f"| `{name}` |" in readme and f"  {name.removesuffix('.cypher')}  " in out, name


def test_the_demo_cypher_is_what_a_new_workspace_gets(tmp_path):
    from verlicht.workspace import template_dir

    template = template_dir() / "ontology" / "cypher"
    assert sorted(f.name for f in template.glob("*.cypher")) == CANNED
    assert all((CYPHER / n).read_bytes() == (template / n).read_bytes() for n in CANNED)
    fresh = api.open(api.init(tmp_path / "new"), auto_build=False)
    assert sorted(fresh.cypher_queries()) == [n.removesuffix(".cypher") for n in CANNED]


def test_a_canned_name_a_file_and_text_each_give_their_cypher(built, tmp_path):
    from verlicht.interop.cypher_queries import cypher_text

    assert cypher_text(built.layout, "gaps") == (CYPHER / "gaps.cypher").read_text(encoding="utf-8")
    own = tmp_path / "mine.cypher"
    own.write_text("MATCH (n) RETURN count(n) AS n\n", encoding="utf-8")
    assert cypher_text(built.layout, str(own)) == own.read_text(encoding="utf-8")
    assert cypher_text(built.layout, "MATCH (n) RETURN n") == "MATCH (n) RETURN n"


def test_an_unknown_canned_name_or_missing_file_is_one_line_with_the_names(built):
    code, _out, err = run("neo4j", "query", "gapz", workspace=built.root)
    assert code == 1 and err.count("\n") <= 2 and "gaps" in err and "Traceback" not in err
    code, _out, err = run("neo4j", "query", "nowhere.cypher", workspace=built.root)
    assert code == 1 and "no Cypher file nowhere.cypher" in err


def test_a_workspace_copy_of_a_canned_query_wins(built):
    own = built.root / "ontology" / "cypher"
    own.mkdir(parents=True, exist_ok=True)
    before = (own / "findings.cypher").read_bytes() if (own / "findings.cypher").exists() else None
    try:
        (own / "findings.cypher").write_text("MATCH (f:Finding) RETURN f.id AS id\n", encoding="utf-8")
        assert built.cypher_queries()["findings"] == own / "findings.cypher"
    finally:
        if before is None:
            (own / "findings.cypher").unlink()
        else:
            (own / "findings.cypher").write_bytes(before)


@pytest.mark.parametrize("name", CANNED)
def test_canned_queries_name_only_labels_relationships_and_properties_the_mirror_has(built, name):
    plan = built.neo4j_plan()
    labels = {s.kind for s in plan.of("nodes")}
    types = {s.kind for s in plan.of("relationships")}
    props: dict[str, set[str]] = {}
    for s in plan.of("nodes") + plan.of("relationships"):
        for row in s.params["rows"]:
            props.setdefault(s.kind, set()).update(row["props"])
    text = _canned(name)
    bound = re.findall(r"\(\s*(\w+):(\w+)", text) + re.findall(r"\[(\w+):(\w+)\]", text)
    variables = dict(bound)
    assert len(variables) == len(set(bound)), f"{name}: a variable is bound to two labels"
    assert set(re.findall(r"\(\s*\w*:(\w+)", text)) <= labels
    assert set(re.findall(r"\[\w*:(\w+)", text)) <= types
    aliases = {"claim": "Assumption"}  # list comprehension over the assumptions of a path
    for var, prop in re.findall(r"\b(\w+)\.(\w+)\b", text):
        kind = variables.get(var) or aliases.get(var)
        assert kind, (name, f"{var}.{prop}: {var} has no label, so its property is not checked")
        assert prop in props[kind], (name, var, prop)
    for var, inline_props in re.findall(r"\((\w+):\w+ \{([^}]*)\}", text):
        for prop in re.findall(r"(\w+):", inline_props):
            assert prop in props[variables[var]], (name, var, prop)


@pytest.mark.parametrize("name", ["gaps", "coverage"])
def test_the_gaps_queries_return_the_columns_of_the_sparql_ones_in_every_branch(name):
    sparql = (REPO / "ontology" / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    select = re.search(r"^SELECT (.*?)\s*WHERE", sparql, re.S | re.M)[1]
    assert re.findall(r"\?(\w+)", select) == COLUMNS
    text = _canned(f"{name}.cypher")
    inner, outer = text.rsplit("\n}\n", 1)
    returned = re.fullmatch(r"RETURN (.*)\nORDER BY .*", outer.strip(), re.S)[1]
    assert re.split(r",\s*", returned) == COLUMNS
    branches = inner.split("UNION ALL")
    assert len(branches) == 3  # assumptions, steps, mechanisms: each returns the same columns, as UNION needs
    for branch in branches:
        returned = re.sub(r"\s+", " ", branch[branch.index("RETURN ") + 7:])
        names = [item.rsplit(" AS ", 1)[-1].strip() for item in _top_level_commas(returned)]
        assert names == ["rank", *COLUMNS, "step_order", "to_order"], branch


def _top_level_commas(text: str) -> list[str]:
    """``text`` split at the commas outside brackets and CASE … END."""
    items, depth, start = [], 0, 0
    for match in re.finditer(r"[({\[]|[)}\]]|\bCASE\b|\bEND\b|,", text):
        token = match[0]
        if token in "({[" or token == "CASE":
            depth += 1
        elif token in ")}]" or token == "END":
            depth -= 1
        elif depth == 0:
            items.append(text[start:match.start()])
            start = match.end()
    return [*items, text[start:]]


def _follow_gaps_query(mirror: Mirror, everything: bool) -> list[dict]:
    """gaps.cypher (``everything``: coverage.cypher) worked by hand over what the push writes: its MATCH
    patterns, EXISTS conditions, CASE and ORDER BY, one branch after the other. Shows that the nodes,
    relationships and properties the query follows are there and say what `verlicht gaps` says."""
    nodes = mirror.nodes
    into: dict[tuple[str, str], list[str]] = {}
    out_of: dict[tuple[str, str], list[str]] = {}
    for rel in mirror.rels.values():
        a, b = rel["_ends"]
        out_of.setdefault((rel["_kind"], a), []).append(b)
        into.setdefault((rel["_kind"], b), []).append(a)

    def linked(table, rel: str, ident: str, label: str) -> list[str]:
        return [other for other in table.get((rel, ident), ()) if nodes[other]["_kind"] == label]

    def of(label: str) -> list[dict]:
        return [n for n in nodes.values() if n["_kind"] == label]

    def measured(concept: str) -> bool:  # EXISTS { MATCH (:Indicator)-[:MEASURES]->(concept) }
        return bool(linked(into, "MEASURES", concept, "Indicator"))

    rows = []
    blank = dict.fromkeys([*COLUMNS, "step_order", "to_order"])
    for a in of("Assumption"):
        for cause in linked(out_of, "CAUSE", a["id"], "Concept"):
            for effect in linked(out_of, "EFFECT", a["id"], "Concept"):
                tested = bool(linked(into, "TESTS", a["id"], "Indicator"))
                ends = measured(cause) + measured(effect)
                coverage = "tested" if tested else ("unmeasured", "partial", "measurable")[ends]
                if not everything and coverage not in ("partial", "unmeasured"):
                    continue
                groups = {nodes[h]["group"] for h in linked(into, "HOLDS", a["id"], "Respondent")} & {
                    "bewoner", "professional", "bestuurder"}
                rows.append({**blank, "rank": 1, "kind": "assumption", "id": a["id"], "cause": a["cause"],
                             "effect": a["effect"], "polarity": a["polarity"], "coverage": coverage,
                             "support": a["support"], "groups": len(groups)})
    for step in of("Step"):
        covered = bool(linked(into, "MONITORS", step["id"], "Indicator")) or any(
            measured(c) for c in linked(out_of, "ABOUT", step["id"], "Concept"))
        if everything or not covered:
            rows.append({**blank, "rank": 2, "kind": "step", "id": step["id"],
                         "coverage": "measurable" if covered else "unmeasured", "intervention": step["intervention"],
                         "stage": step["stage"], "step": step["key"], "file": step["path"], "line": step["line"],
                         "step_order": step["order"]})
    for x in of("Mechanism"):
        covered = any(measured(c) for c in linked(out_of, "IS_CONCEPT", x["id"], "Concept"))
        if covered and not everything:
            continue
        for target in linked(out_of, "EXPLAINS", x["id"], "Step"):
            for source in (s for s in of("Step") if (s.get("intervention"), s.get("key")) == (
                    x["intervention"], x["from_step"])):
                rows.append({**blank, "rank": 3, "kind": "mechanism", "id": x["id"],
                             "coverage": "measurable" if covered else "unmeasured",
                             "intervention": x["intervention"], "arrow": f"{x['from_step']} -> {x['to_step']}",
                             "concept": x.get("concept"), "file": x["path"], "line": x["line"],
                             "step_order": source["order"], "to_order": nodes[target]["order"]})
    # ORDER BY rank, support DESC, groups DESC, intervention, step_order, to_order, line, id (within a rank the
    # keys are all set or all null, so nulls need no place of their own)
    rows.sort(key=lambda r: (r["rank"], -(r["support"] or 0), -(r["groups"] or 0), r["intervention"] or "",
                             r["step_order"] or 0, r["to_order"] or 0, r["line"] or 0, r["id"]))
    return [{c: r[c] for c in COLUMNS} for r in rows]


@pytest.mark.parametrize("name", ["gaps", "coverage"])
def test_the_gaps_queries_over_the_mirror_give_the_rows_of_verlicht_gaps(built, name):
    """The canned query followed over what the push writes for the demo (which has logic models, measured or
    not), against `verlicht gaps` (`--all`) and, row for row and in order, the SPARQL query of the same name."""
    text = _canned(f"{name}.cypher")
    assert set(re.findall(r"\[:(\w+)\]", text)) == {  # the relationships _follow_gaps_query follows
        "CAUSE", "EFFECT", "TESTS", "MEASURES", "HOLDS", "MONITORS", "ABOUT", "IS_CONCEPT", "EXPLAINS"}
    rows = _follow_gaps_query(Mirror().run(built.neo4j_plan()), everything=name == "coverage")
    expected = built.gaps(all=name == "coverage")
    counts = Counter((r["kind"], r["coverage"]) for r in rows)
    if name == "gaps":
        assert counts == {("assumption", "partial"): 24, ("assumption", "unmeasured"): 27,
                          ("step", "unmeasured"): 15, ("mechanism", "unmeasured"): 10}
    else:
        assert {k for k, _ in counts} == {"assumption", "step", "mechanism"}
        assert {c for k, c in counts if k != "assumption"} == {"measurable", "unmeasured"}
    assert comparable(rows) == comparable(expected)
    assert rows == built.sparql(name)


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
