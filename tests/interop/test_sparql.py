"""SPARQL over the export: the canned gaps query answers as `verlicht gaps` does, on either engine."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from helpers import run

from verlicht.errors import ExportError

STEP = ("intervention", "stage", "step", "file", "line")
MECHANISM = ("intervention", "arrow", "concept", "file", "line")


def comparable(rows: list[dict]) -> tuple[list[tuple], list[tuple]]:
    """The assumptions as a sorted list (`verlicht gaps` ranks them by the goals they reach, which the query
    leaves out), then the steps and mechanisms in their order, each as the fields both give."""
    assumptions = sorted((r["id"], r["cause"], r["effect"], r["polarity"], r["coverage"], r["support"], r["groups"])
                         for r in rows if r["kind"] == "assumption")
    logic = [(r["kind"], r["id"], r["coverage"], *(r[k] or None for k in (STEP if r["kind"] == "step" else MECHANISM)))
             for r in rows if r["kind"] != "assumption"]
    return assumptions, logic


def kinds(rows: list[dict]) -> dict[tuple[str, str], int]:
    return dict(Counter((r["kind"], r["coverage"]) for r in rows))


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_sparql_gaps_equal_the_gaps_command_on_the_demo(built_demo, engine):
    expected = built_demo.gaps()
    assert kinds(expected) == {("assumption", "partial"): 24, ("assumption", "unmeasured"): 27,
                               ("step", "unmeasured"): 15, ("mechanism", "unmeasured"): 10}
    assert comparable(built_demo.sparql("gaps", engine)) == comparable(expected)


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_sparql_coverage_equals_gaps_all_on_the_demo(built_demo, engine):
    expected = built_demo.gaps(all=True)
    assert set(kinds(expected)) == {("assumption", c) for c in ("tested", "measurable", "partial", "unmeasured")} | {
        (k, c) for k in ("step", "mechanism") for c in ("measurable", "unmeasured")}
    assert comparable(built_demo.sparql("coverage", engine)) == comparable(expected)


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_sparql_gaps_equal_the_gaps_command_on_a_generated_workspace(generated, engine):
    expected = generated.gaps()
    assert kinds(expected)[("assumption", "unmeasured")] > 50
    assert kinds(expected)[("step", "unmeasured")] == 4 and kinds(expected)[("mechanism", "unmeasured")] == 5
    assert comparable(generated.sparql("gaps", engine)) == comparable(expected)
    everything = generated.gaps(all=True)
    assert kinds(everything)[("step", "measurable")] == 3 and kinds(everything)[("mechanism", "measurable")] == 2
    assert comparable(generated.sparql("coverage", engine)) == comparable(everything)


def test_the_gaps_query_ranks_assumptions_by_support_then_lists_steps_and_mechanisms(built_demo):
    rows = built_demo.sparql("gaps")
    assert [r["kind"] for r in rows] == ["assumption"] * 51 + ["step"] * 15 + ["mechanism"] * 10
    support = [r["support"] for r in rows[:51]]
    assert support == sorted(support, reverse=True)
    assert rows[0] == {"kind": "assumption", "id": "assumption:verloop_bewoners->sociale_cohesie:-",
                       "cause": "verloop_bewoners", "effect": "sociale_cohesie", "polarity": "-",
                       "coverage": "partial", "support": 5, "groups": 3, "intervention": None, "stage": None,
                       "step": None, "arrow": None, "concept": None, "file": None, "line": None}
    assert rows[51] == {"kind": "step", "id": "step:inponden_vrieheide/volkshuisvestingsfonds", "cause": None,
                        "effect": None, "polarity": None, "coverage": "unmeasured", "support": None,
                        "groups": None, "intervention": "inponden_vrieheide", "stage": "middelen",
                        "step": "volkshuisvestingsfonds", "arrow": None, "concept": None,
                        "file": "logic/inponden_vrieheide.yaml", "line": 14}


def test_both_engines_give_the_same_rows_for_every_canned_query(built_demo):
    for name in ("gaps", "coverage", "evidence", "paths", "holders", "findings"):
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
    assert len(json.loads(out)) == 51 + 15 + 10
    code, out, _ = run("sparql", "--format", "csv", workspace=built_demo.root)
    assert out.splitlines()[0] == "query,file,description"
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == [
        "coverage", "evidence", "findings", "gaps", "holders", "paths"]
    code, out, err = run("sparql", "SELECT ?x WHERE {", workspace=built_demo.root)
    assert code == 1 and err.startswith("error: SPARQL error:")


def test_the_demo_queries_are_the_ones_a_new_workspace_gets():
    from helpers import REPO

    from verlicht.workspace import template_dir

    template = template_dir() / "ontology" / "queries"
    demo = REPO / "ontology" / "queries"
    names = sorted(f.name for f in template.glob("*.rq"))
    assert names == ["coverage.rq", "evidence.rq", "findings.rq", "gaps.rq", "holders.rq", "paths.rq"]
    assert all((demo / n).read_bytes() == (template / n).read_bytes() for n in names)


def test_sparql_findings_give_each_review_finding_as_review_findings_does(built_demo):
    rows = built_demo.sparql("findings")
    expected = sorted((f["target"], f["direction"], f["path"], f["line"], f["study"], f["quote"])
                      for f in built_demo.findings())
    assert len(expected) == 6
    assert sorted((r["target"], r["direction"], r["source"], r["line"], r["study"], r["quote"])
                  for r in rows) == expected
