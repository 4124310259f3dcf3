"""SPARQL over the export: the canned gaps query answers as `verlicht gaps` does, on either engine."""

from __future__ import annotations

import json

import pytest
from helpers import run

from verlicht.errors import ExportError


def gap_rows(ws) -> list[tuple]:
    return sorted((r["id"], r["coverage"], r["support"], r["groups"]) for r in ws.gaps(kind="assumptions"))


def sparql_rows(ws, engine: str) -> list[tuple]:
    return sorted((r["assumption"], r["coverage"], r["support"], r["groups"]) for r in ws.sparql("gaps", engine))


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_sparql_gaps_equal_the_gaps_command_on_the_demo(built_demo, engine):
    expected = gap_rows(built_demo)
    assert len(expected) == 51
    assert sparql_rows(built_demo, engine) == expected


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_sparql_gaps_equal_the_gaps_command_on_a_generated_workspace(generated, engine):
    expected = gap_rows(generated)
    assert len(expected) > 50
    assert sparql_rows(generated, engine) == expected


def test_the_gaps_query_ranks_by_support(built_demo):
    rows = built_demo.sparql("gaps")
    assert [r["support"] for r in rows] == sorted((r["support"] for r in rows), reverse=True)
    assert rows[0] == {"assumption": "assumption:verloop_bewoners->sociale_cohesie:-", "cause": "verloop_bewoners",
                       "effect": "sociale_cohesie", "polarity": "-", "coverage": "partial", "support": 5,
                       "groups": 3}


def test_both_engines_give_the_same_rows_for_every_canned_query(built_demo):
    for name in ("gaps", "evidence", "paths", "holders", "findings"):
        rows = built_demo.sparql(name, engine="rdflib")
        assert rows, name
        assert built_demo.sparql(name, engine="oxigraph") == rows, name


def test_evidence_quotes_the_anonymised_line(built_demo):
    rows = [r for r in built_demo.sparql("evidence") if r["assumption"] == "assumption:armoede->jongeren_geronseld:+"]
    assert [(r["source"], r["line"], r["respondent"], r["group"]) for r in rows] == [
        ("interviews/r03.rock", 42, "respondent:R03", "bewoner"),
        ("interviews/r06.rock", 32, "respondent:R06", "professional"),
        ("interviews/r08.rock", 34, "respondent:R08", "professional"),
    ]
    assert rows[0]["text"].startswith("Dat is armoede, hè.")


def test_holders_per_group_match_the_graph(built_demo):
    rows = built_demo.sparql("holders")
    held = {(e["source"], e["target"]) for e in built_demo.graph.edges_of("HOLDS")}
    assert {(r["respondent"], r["assumption"]) for r in rows} == held
    for row in rows:
        assert row["holders"] == sum(1 for r in rows if (r["assumption"], r["group"]) ==
                                     (row["assumption"], row["group"]))


def test_a_query_file_and_query_text_work(built_demo):
    rows = built_demo.sparql("ontology/queries/paths.rq")
    assert rows and {"from", "via", "to", "polarity"} <= rows[0].keys()
    count = built_demo.sparql("SELECT (COUNT(?c) AS ?n) WHERE { ?c a vl:Concept }")
    assert count == [{"n": 80}]
    assert built_demo.sparql("ASK { id:concept:armoede a skos:Concept }") == [{"ask": False}]  # only vl:Concept


def test_a_broken_query_is_one_readable_error(built_demo):
    with pytest.raises(ExportError, match="SPARQL error"):
        built_demo.sparql("SELECT ?x WHERE { ?x a }")
    with pytest.raises(ExportError, match=r"not a SPARQL query, a \.rq file or a canned query"):
        built_demo.sparql("gapz")
    with pytest.raises(ExportError, match=r"no query file nothing\.rq"):
        built_demo.sparql("nothing.rq")


def test_sparql_command_renders_json_and_lists_canned_queries(built_demo):
    code, out, err = run("sparql", "gaps", "--format", "json", workspace=built_demo.root)
    assert (code, err) == (0, "")
    assert len(json.loads(out)) == 51
    code, out, _ = run("sparql", "--format", "csv", workspace=built_demo.root)
    assert out.splitlines()[0] == "query,file,description"
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["evidence", "findings", "gaps", "holders", "paths"]
    code, out, err = run("sparql", "SELECT ?x WHERE {", workspace=built_demo.root)
    assert code == 1 and err.startswith("error: SPARQL error:")


def test_the_demo_queries_are_the_ones_a_new_workspace_gets():
    from helpers import REPO

    from verlicht.workspace import template_dir

    template = template_dir() / "ontology" / "queries"
    demo = REPO / "ontology" / "queries"
    names = sorted(f.name for f in template.glob("*.rq"))
    assert names == ["evidence.rq", "findings.rq", "gaps.rq", "holders.rq", "paths.rq"]
    assert all((demo / n).read_bytes() == (template / n).read_bytes() for n in names)


def test_sparql_findings_give_each_review_finding_as_review_findings_does(built_demo):
    rows = built_demo.sparql("findings")
    expected = sorted((f["target"], f["direction"], f["path"], f["line"], f["study"], f["quote"])
                      for f in built_demo.findings())
    assert len(expected) == 6
    assert sorted((r["target"], r["direction"], r["source"], r["line"], r["study"], r["quote"])
                  for r in rows) == expected
