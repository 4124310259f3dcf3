"""The protocol and `review new`, and more export flavours (Web of Science plain text, PubMed RIS, one-space tags)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run
from reviewdata import EXPORTS, PROTOCOL

from verlicht.errors import ReviewError
from verlicht.reviews.importers import read_export
from verlicht.reviews.importers.ris import read_ris


def test_review_new_writes_a_protocol_that_loads_and_never_overwrites(mini: Path):
    code, out, err = run("review", "new", "sociale-menging", "--question", "Helpt menging?", "--format", "csv",
                         workspace=mini)
    assert code == 0, err
    assert out.splitlines()[1] == "sociale-menging,reviews/sociale-menging/protocol.yaml,Helpt menging?,effect"
    text = (mini / "reviews" / "sociale-menging" / "protocol.yaml").read_text(encoding="utf-8")
    assert 'question: "Helpt menging?"' in text and "E1:" in text
    code, _out, err = run("review", "new", "sociale-menging", workspace=mini)
    assert code == 1 and "review 'sociale-menging' exists already" in err
    code, _out, err = run("review", "new", "Bad Name", workspace=mini)
    assert code == 1 and "'Bad Name' is not a review name" in err


@pytest.mark.parametrize(("old", "new", "message"), [
    ("type: effect", "type: causal", "protocol.yaml:2: review type 'causal' is not known — use one of: effect"),
    ("  E1: \"wrong population\"\n  E2: \"wrong exposure\"\n  E3: \"no cohesion outcome\"\n", "",
     "protocol.yaml:1: the protocol has no exclusion criteria"),
    ("  E1:", "  1E:", "protocol.yaml:11: criterion code '1E' is not a short code"),
    ("update_interval: 6 months", "update_interval: soon",
     "protocol.yaml:17: update_interval 'soon' is not an interval"),
    ("  intervention: menging", "  exposure: menging", "protocol.yaml:5: pico has no field 'exposure'"),
])
def test_protocol_mistakes_are_located(rws, old, new, message):
    path = rws.root / "reviews" / "mix" / "protocol.yaml"
    path.write_text(PROTOCOL.replace(old, new), encoding="utf-8")
    with pytest.raises(ReviewError) as caught:
        rws.review_import("mix", [EXPORTS / "scopus.ris"])
    assert str(caught.value).startswith("reviews/mix/" + message)


def test_protocol_linking_an_unknown_concept_fails_the_build(rws):
    from verlicht.errors import BuildError

    path = rws.root / "reviews" / "mix" / "protocol.yaml"
    path.write_text(PROTOCOL.replace("concepts: [sociale_cohesie]", "concepts: [cohesie]"), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        rws.build()
    assert any("the protocol links unknown concept 'cohesie'" in str(e) for e in caught.value.errors)


def test_web_of_science_plain_text_export():
    fmt, records = read_export(EXPORTS / "wos-plain.txt", "wos-plain.txt")
    assert fmt == "wos-plain"
    assert [(r.title, r.authors, r.doi, r.line) for r in records] == [
        ("School mixing and friendships across income groups", ["Bakker, Jan"], "10.5555/test.school.2021", 3),
        ("Neighbourhood trust after urban renewal", ["Mueller, K"], "", 14)]
    assert records[0].database == "Web of Science"


def test_scopus_url_encoded_doi_is_found_when_do_is_missing():
    text = ("TY  - JOUR\nTI  - E Pluribus Unum\nAU  - Putnam, R.D.\nPY  - 2007\n"
            "UR  - https://www.scopus.com/inward/record.uri?eid=2-s2.0-1&doi=10.1111%2fj.1467-9477.2007.00176.x&partnerID=40\n"
            "ER  - \n")
    [record] = read_ris(text, "scopus.ris")
    assert record.doi == "10.1111/j.1467-9477.2007.00176.x"


def test_pubmed_ris_and_one_space_tags():
    text = ("TY - JOUR\nTI - Loneliness among older residents of mixed-tenure estates.\nAU - Nguyen, T L\n"
            "PY - 2020\nAN - 31000002\nDB - PubMed\nER - \n")
    [record] = read_ris(text, "pubmed.ris")
    assert record.pmid == "31000002" and record.database == "PubMed" and record.year == 2020


def test_status_cli_lists_due_dates_as_json(two_rounds):
    import json

    code, out, err = run("review", "status", "--format", "json", workspace=two_rounds.root)
    assert code == 0, err
    [row] = json.loads(out)
    assert row["review"] == "mix" and row["last_search"] == "2025-12-01" and row["next_due"] == "2026-06-01"
    assert row["records"] == 8 and row["unscreened"] == 4


def test_build_summary_says_what_the_literature_adds(two_rounds):
    code, out, err = run("build", workspace=two_rounds.root)
    assert code == 0, err
    assert out.splitlines()[1] == "literature: 1 reviews, 0 included studies, 0 findings"


def test_codebook_rename_reaches_findings_and_protocol_links(demo):
    code, out, err = run("codebook", "rename", "sociale_cohesie", "samenhang", "--yes", workspace=demo)
    assert code == 0, err
    assert "2 review file(s)" in out + err
    findings = (demo / "reviews" / "menging-cohesie" / "findings.csv").read_text(encoding="utf-8")
    assert findings.count("menging_inkomensgroepen->samenhang,") == 6 and "sociale_cohesie" not in findings
    protocol = (demo / "reviews" / "menging-cohesie" / "protocol.yaml").read_text(encoding="utf-8")
    assert "assumptions: [menging_inkomensgroepen->samenhang]" in protocol
    assert 'outcome: "Sociale cohesie:' in protocol  # text outside 'linked:' is left alone
    code, out, err = run("build", workspace=demo)
    assert code == 0, err
    assert "literature: 1 reviews, 6 included studies, 6 findings" in out
