"""SHACL validation: the demo conforms; a broken graph lists each violation with the file and line behind it."""

from __future__ import annotations

import orjson
import pytest
import rdflib
from helpers import run

import verlicht
from verlicht.errors import ExportError
from verlicht.interop.ontology import all_kinds, shapes_graph
from verlicht.interop.rdf import Vocabulary
from verlicht.interop.validate import read_predicates


def exported_triples(ws: verlicht.Workspace) -> int:
    """How many triples the Turtle export holds, as RDFLib reads them back."""
    return len(rdflib.Graph().parse(data=ws.export("ttl"), format="turtle"))


def test_the_demo_export_conforms_to_the_shapes(built_demo):
    result = built_demo.validate()
    assert result["conforms"] is True
    assert result["violations"] == []
    assert result["shapes"] == len(all_kinds()) >= 18 and result["triples"] == exported_triples(built_demo) > 5000


def break_graph(ws: verlicht.Workspace) -> None:
    """Damage the built graph as a faulty tool might: an unknown polarity and concept type, a lost CAUSE edge,
    an indicator measuring a goal, a source without its hash."""
    file = ws.layout.graph_file
    data = orjson.loads(file.read_bytes())
    for node in data["nodes"]:
        if node["id"] == "assumption:armoede->jongeren_geronseld:+":
            node["polarity"] = "x"
        if node["id"] == "concept:armoede":
            node["type"] = "bogus"
        if node["id"] == "source:interviews/r05.rock":
            del node["sha256"]
    data["edges"] = [e for e in data["edges"]
                     if not (e["kind"] == "CAUSE" and e["source"] == "assumption:armoede->jongeren_geronseld:+")]
    for edge in data["edges"]:
        if edge["kind"] == "MEASURES" and edge["source"] == "indicator:bijstand":
            edge["target"] = "goal:4"
    file.write_bytes(orjson.dumps(data))


def test_a_broken_graph_lists_each_violation_with_its_file_and_line(demo):
    ws = verlicht.open(demo)
    ws.build()
    break_graph(ws)
    result = ws.validate()
    assert result["conforms"] is False
    rows = [(r["location"], r["node"], r["property"], r["value"]) for r in result["violations"]]
    assert rows == [
        ("indicators/indicators.csv:36", "indicator:bijstand", "vl:MEASURES", "goal:4"),
        ("interviews/r03.rock:42", "assumption:armoede->jongeren_geronseld:+", "vl:CAUSE", ""),
        ("interviews/r03.rock:42", "assumption:armoede->jongeren_geronseld:+", "vl:polarity", "x"),
        ("interviews/r05.rock", "source:interviews/r05.rock", "vl:sha256", ""),
        ("ontology/codebook.yaml:274", "concept:armoede", "vl:type", "bogus"),
    ]
    messages = {r["property"]: r["message"] for r in result["violations"]}
    assert messages["vl:polarity"] == "an Assumption needs exactly one polarity (string), one of: +, -, ?"
    assert messages["vl:CAUSE"] == "an Assumption needs exactly one CAUSE, to a Concept"
    assert messages["vl:MEASURES"] == "MEASURES of an Indicator must lead to a Concept"


def test_validate_command_lists_violations_and_exits_1(demo):
    run("build", workspace=demo)
    break_graph(verlicht.open(demo))
    code, out, err = run("validate", "--format", "csv", workspace=demo)
    assert code == 1
    assert out.splitlines()[0] == "location,node,property,message,value"
    assert "interviews/r03.rock:42,assumption:armoede->jongeren_geronseld:+,vl:polarity," in out
    assert err == (f"error: 5 SHACL violation(s) in {exported_triples(verlicht.open(demo)):,} triples — fix the "
                   "files named, run 'verlicht build' and validate again\n")


def test_validate_command_says_conforms(built_demo):
    code, out, err = run("validate", workspace=built_demo.root)
    assert (code, err) == (0, "")
    assert out == f"conforms: {exported_triples(built_demo):,} triples checked against {len(all_kinds())} shapes\n"


def test_an_exported_file_validates_too(built_demo, tmp_path):
    target = tmp_path / "verlicht.ttl"
    built_demo.export("ttl", target)
    result = built_demo.validate(target)
    assert result["conforms"] is True and result["triples"] == exported_triples(built_demo)


def test_a_file_that_is_not_rdf_is_a_located_error(built_demo, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle .\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"bad\.ttl:1: not readable as turtle"):
        built_demo.validate(bad)
    with pytest.raises(ExportError, match="cannot tell the RDF format"):
        built_demo.validate(tmp_path / "x.txt")


def test_the_workspace_shapes_file_is_used_when_present(demo):
    ws = verlicht.open(demo)
    ws.build()
    extra = ('\n<https://w3id.org/verlicht/shapes#Strict> a sh:NodeShape ; '
             'sh:targetClass vl:Assumption ; sh:property [ sh:path vl:support ; sh:minInclusive 4 ] .\n')
    shapes = demo / "ontology" / "shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + extra, encoding="utf-8")
    result = ws.validate()
    assert not result["conforms"]
    low = sum(1 for a in ws.graph.of_kind("Assumption") if a["support"] < 4)
    assert len(result["violations"]) == low > 0


def test_only_triples_a_shape_reads_are_loaded_unless_the_shapes_may_read_more():
    shapes = shapes_graph(Vocabulary("https://w3id.org/verlicht/"))
    read = read_predicates(shapes)
    assert "https://w3id.org/verlicht/ontology#CAUSE" in read
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject" not in read  # reified edges: no shape reads them
    shapes.parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . <urn:x> sh:closed true .", format="turtle")
    assert read_predicates(shapes) is None


def test_a_turtle_syntax_error_is_one_line_with_the_line_it_is_on(built_demo, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix a: <urn:x:> .\n\na:b a:c "unterminated .\n', encoding="utf-8")
    code, out, err = run("validate", str(bad), workspace=built_demo.root)
    assert code == 1 and out == ""
    assert err == f"error: {bad}:3: not readable as turtle: newline found in string literal — check the file\n"


@pytest.mark.parametrize("base", ["not an iri", "example.org/x", "https://example.org/a b/"])
def test_a_base_iri_that_is_not_an_iri_is_one_located_error_not_a_traceback(mini, base):
    config = mini / "verlicht.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[workspace]\n", f'[workspace]\nbase_iri = "{base}"\n'), encoding="utf-8")
    for args in (["validate"], ["export", "--format", "ttl"], ["sparql", "gaps"]):
        code, out, err = run(*args, workspace=mini)
        assert code == 1 and out == "", args
        assert err.splitlines()[-1] == (f"error: verlicht.toml: base_iri '{base}' is not an absolute IRI — write e.g. "
                                        'base_iri = "https://example.org/my-project/" under [workspace]')


def test_a_base_iri_without_a_trailing_slash_gets_one(mini):
    config = mini / "verlicht.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[workspace]\n", '[workspace]\nbase_iri = "https://example.org/proj"\n'), encoding="utf-8")
    ws = verlicht.open(mini)
    ws.build()
    assert ws.validate()["conforms"]
    assert b"<https://example.org/proj/ontology#>" in ws.export("ttl")


def test_a_code_missing_from_the_codebook_is_located_where_it_is_used(demo):
    source = demo / "interviews" / "r03.rock"
    lines = source.read_text(encoding="utf-8").splitlines()
    lines.append("[[uid=zz000001]] [[cid=R03]] Zonder buurthuis blijft iedereen thuis. "
                 "[[buurthuis_dicht->eenzaamheid_ouderen||causal_pos]]")
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ws = verlicht.open(demo)
    ws.build()
    result = ws.validate()
    rows = [(r["location"], r["node"], r["property"]) for r in result["violations"]]
    assert rows == [(f"interviews/r03.rock:{len(lines)}", "concept:buurthuis_dicht", "vl:type"),
                    (f"interviews/r03.rock:{len(lines)}", "concept:eenzaamheid_ouderen", "vl:type")]
    assert result["violations"][0]["message"].endswith(
        "— 'buurthuis_dicht' is not in ontology/codebook.yaml: add it there (type, labels)")
