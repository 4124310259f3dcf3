"""Findings checked against the codebook, the graph nodes a build makes of a review, the literature queries."""

from __future__ import annotations

import pytest
from helpers import run

from verlicht.errors import BuildError, ReviewError


@pytest.fixture
def with_findings(two_rounds):
    ws = two_rounds
    for rid in ("r1", "r2"):
        ws.review_decide("mix", rid, "include", screener="a")
        ws.review_decide("mix", rid, "include", screener="a", stage="full-text")
    (ws.review("mix").path / "findings.csv").write_text(
        "study,target,direction,design,effect_size,measure,risk_of_bias,page,quote\n"
        "r1,menging->sociale_cohesie,supports,panel,0.12,beta,low,p. 110,Contacts grew modestly.\n"
        "10.5555/test.tenure.2015,menging->sociale_cohesie,contradicts,interviews,,,high,,Little contact.\n"
        "r2,sociale_cohesie,mixed,interviews,,,unclear,,About cohesion itself.\n",
        encoding="utf-8",
    )
    return ws


def test_findings_are_read_with_their_study_and_line(with_findings):
    rows = with_findings.review_findings("mix")
    assert [(r["line"], r["study"], r["direction"]) for r in rows] == [
        (2, "r1", "supports"),
        (3, "r2", "contradicts"),
        (4, "r2", "mixed"),
    ]
    assert rows[0]["effect_size"] == 0.12 and rows[0]["label"] == "Zörgő & Peters 2019"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("r1,menging->onbekend,supports,,,,,,", "findings.csv:2: unknown concept 'onbekend' in target"),
        (
            "r3,menging->sociale_cohesie,supports,,,,,,",
            "findings.csv:2: record r3 (Smith 2018) is not an included study",
        ),
        ("r1,menging->sociale_cohesie,maybe,,,,,,", "findings.csv:2: direction 'maybe' is not known"),
        ("r1,menging->sociale_cohesie,supports,,0.3,,,,", "findings.csv:2: an effect size needs its measure"),
        ("r1,menging->sociale_cohesie,supports,,,,awful,,", "findings.csv:2: risk of bias 'awful' is not known"),
        ("r1,,supports,,,,,,", "findings.csv:2: the finding has no target"),
    ],
)
def test_malformed_finding_is_a_path_line_error(with_findings, row, message):
    path = with_findings.review("mix").path / "findings.csv"
    path.write_text(
        "study,target,direction,design,effect_size,measure,risk_of_bias,page,quote\n" + row + "\n", encoding="utf-8"
    )
    with pytest.raises(ReviewError) as caught:
        with_findings.review_findings("mix")
    assert str(caught.value).startswith("reviews/mix/" + message)


def test_build_adds_review_round_study_and_finding_nodes(with_findings):
    with_findings.build()
    graph = with_findings.graph
    assert graph.nodes["review:mix"]["studies"] == 2 and graph.nodes["review:mix"]["findings"] == 3
    assert graph.nodes["round:mix/2"]["identified"] == 10
    assert graph.nodes["study:doi:10.5555/test.mix.2019"]["title"].startswith("Mixing income groups")
    kinds = {(e["source"], e["target"], e["kind"]) for e in graph.edges}
    assert ("review:mix", "study:doi:10.5555/test.mix.2019", "INCLUDES") in kinds
    assert ("round:mix/1", "study:doi:10.5555/test.mix.2019", "IDENTIFIED") in kinds
    assert ("finding:mix/r1/1", "assumption:menging->sociale_cohesie:+", "SUPPORTS") in kinds
    assert ("finding:mix/r2/1", "assumption:menging->sociale_cohesie:+", "CONTRADICTS") in kinds
    assert ("finding:mix/r2/2", "concept:sociale_cohesie", "CONCERNS") in kinds
    assert graph.header["counts"]["findings"] == 3


def test_unknown_concept_in_findings_fails_the_build_with_path_line(with_findings):
    path = with_findings.review("mix").path / "findings.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("r2,sociale_cohesie", "r2,sociale_samenhang"), encoding="utf-8"
    )
    with pytest.raises(BuildError) as caught:
        with_findings.build()
    assert any(
        str(e).startswith("reviews/mix/findings.csv:4: unknown concept 'sociale_samenhang'")
        for e in caught.value.errors
    )


def test_rebuild_reads_only_the_review_that_changed(with_findings, monkeypatch):
    from verlicht.reviews import nodes

    with_findings.build()
    read = []
    original = nodes.read_review
    monkeypatch.setattr(nodes, "read_review", lambda layout, slug: read.append(slug) or original(layout, slug))
    with_findings.build()
    assert read == []
    first = with_findings.layout.graph_file.read_bytes()
    (with_findings.review("mix").path / "findings.csv").open("a", encoding="utf-8").write(
        "r1,goedkope_woningen->instroom_kwetsbaren,null,,,,,,\n"
    )
    with_findings.build()
    assert read == ["mix"]
    assert with_findings.layout.graph_file.read_bytes() != first


def test_build_is_deterministic_with_a_review(with_findings):
    with_findings.build()
    first = with_findings.layout.graph_file.read_bytes()
    (with_findings.layout.graphs / ".cache" / "reviews.json").unlink()
    with_findings.build()
    assert with_findings.layout.graph_file.read_bytes() == first


def test_evidence_shows_literature_beside_the_quotes(with_findings):
    with_findings.build()
    rows = with_findings.evidence("menging->sociale_cohesie")
    groups = [r["group"] for r in rows]
    assert "literatuur" in groups and groups.index("literatuur") > 0
    literature = [r for r in rows if r["group"] == "literatuur"]
    assert [(r["respondent"], r["type"], r["line"]) for r in literature] == [
        ("Zörgő & Peters 2019", "finding: supports", 2),
        ("Öztürk 2015", "finding: contradicts", 3),
    ]
    code, out, _err = run(
        "query", "evidence", "menging->sociale_cohesie", "--format", "csv", workspace=with_findings.root
    )
    assert code == 0 and "reviews/mix/findings.csv,2,Zörgő & Peters 2019,literatuur,+,finding: supports" in out


def test_gaps_literature_marks_unstudied_and_contradicted_assumptions(with_findings):
    with_findings.build()
    rows = with_findings.literature_gaps(all=True)
    by_id = {r["id"]: r for r in rows}
    assert by_id["assumption:menging->sociale_cohesie:+"]["literature"] == "mixed"
    assert by_id["assumption:goedkope_woningen->instroom_kwetsbaren:+"]["literature"] == "none"
    assert all(r["literature"] in ("none", "contradicted") for r in with_findings.literature_gaps())
    code, out, err = run("gaps", "--literature", "--format", "csv", workspace=with_findings.root)
    assert code == 0, err
    assert out.splitlines()[0] == "cause,effect,polarity,support,literature,findings,supports,contradicts,mixed,null"


def test_notebook_api_reviews_and_findings(with_findings):
    with_findings.build()
    [review] = with_findings.reviews()
    assert review["review"] == "mix" and review["rounds"] == 2 and review["studies"] == 2
    assert [f["direction"] for f in with_findings.findings(claim="menging->sociale_cohesie")] == [
        "supports",
        "contradicts",
    ]
    assert len(with_findings.findings(concept="sociale_cohesie")) == 3


def test_status_shows_due_date_unscreened_and_findings_per_target(with_findings):
    import datetime as dt

    from verlicht.reviews.status import review_status

    [row] = review_status(with_findings.layout, "mix", today=dt.date(2026, 7, 1))
    assert row["last_search"] == "2025-12-01" and row["next_due"] == "2026-06-01" and row["overdue"] is True
    assert row["unscreened"] == 4 and row["unscreened_all_rounds"] == 6 and row["included"] == 2
    assert row["findings_per_target"] == {"menging->sociale_cohesie": 2, "sociale_cohesie": 1}


def test_asreview_round_trip_takes_labels_back_as_decisions(two_rounds, tmp_path):
    import csv

    out = tmp_path / "asreview.csv"
    result = two_rounds.review_export_asreview("mix", out)
    assert result["records"] == 4
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["verlicht_id"] for r in rows] == ["r5", "r6", "r7", "r8"]
    # what ASReview LAB writes back: its own columns, our columns kept, the label in 'included'
    labelled = tmp_path / "asreview_result.csv"
    with labelled.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["record_id", *rows[0].keys(), "included", "asreview_ranking"])
        writer.writeheader()
        for index, (row, label) in enumerate(zip(rows, ["1", "0", "", "0"], strict=True)):
            writer.writerow({"record_id": index, **row, "included": label, "asreview_ranking": index + 1})
    decided = two_rounds.review_import_asreview("mix", labelled, "asr", "E3")
    assert [(d["record"], d["decision"], d["reason"]) for d in decided] == [
        ("r5", "include", ""),
        ("r6", "exclude", "E3"),
        ("r8", "exclude", "E3"),
    ]
    assert [r["record"] for r in two_rounds.review_queue("mix", "asr")] == ["r7"]
    assert two_rounds.review_import_asreview("mix", labelled, "asr", "E3") == []  # nothing new the second time


def test_demo_review_builds_and_shows_literature(demo):
    from verlicht.api import open as open_ws

    ws = open_ws(demo)
    ws.build()
    [review] = ws.reviews()
    assert review["review"] == "menging-cohesie" and review["rounds"] == 2 and review["studies"] == 6
    study = ws.graph.nodes["study:doi:10.1111/j.1467-9477.2007.00176.x"]
    assert study["title"].startswith("E Pluribus Unum") and study["year"] == 2007
    rows = ws.evidence("menging_inkomensgroepen->sociale_cohesie")
    assert sum(1 for r in rows if r["group"] == "literatuur") == 6 and rows[0]["group"] != "literatuur"


def test_unclosed_quote_in_findings_is_an_error_not_a_field_that_swallows_the_rows_after_it(with_findings):
    path = with_findings.review("mix").path / "findings.csv"
    path.write_text(
        "study,target,direction,design,effect_size,measure,risk_of_bias,page,quote\n"
        'r1,menging->sociale_cohesie,supports,panel,,,low,,"two\nlines"\n'
        'r1,menging->sociale_cohesie,supports,panel,,,low,,"never closed\n'
        "r2,sociale_cohesie,mixed,interviews,,,unclear,,Swallowed by the quote above.\n",
        encoding="utf-8",
    )
    with pytest.raises(ReviewError) as caught:
        with_findings.review_findings("mix")
    assert str(caught.value).startswith("reviews/mix/findings.csv:4: the row cannot be read: unexpected end of data")
    assert "close every quote you open" in caught.value.hint


def test_status_table_shows_unscreened_of_the_current_round_and_of_all_rounds(two_rounds):
    code, out, _err = run("review", "status", "mix", "--format", "csv", workspace=two_rounds.root)
    header, row = out.strip().splitlines()[:2]
    fields = dict(zip(header.split(","), row.split(","), strict=False))
    assert code == 0 and fields["unscreened"] == "4" and fields["unscreened_all_rounds"] == "8"
