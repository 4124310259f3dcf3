"""Search rounds: every export format, the de-duplication rules one by one, malformed files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reviewdata import EXPORTS

from verlicht.errors import ReviewError
from verlicht.reviews.dedup import DedupIndex
from verlicht.reviews.importers import decode, read_export
from verlicht.reviews.importers.ris import read_ris
from verlicht.reviews.records import Record, normalise_doi, title_key


def test_two_overlapping_rounds_give_the_hand_counted_duplicates(two_rounds):
    rows = two_rounds.review_import("mix", [EXPORTS / "scopus.ris"], date="2026-06-01", dry_run=True)
    assert rows[0]["duplicates_earlier"] == 3 and rows[0]["new"] == 0
    review = two_rounds.review("mix")
    first = [f for f in review.rounds() if f.round == 1]
    second = [f for f in review.rounds() if f.round == 2]
    assert [(f.found, f.duplicates_within, f.duplicates_earlier, f.new) for f in first] == [(3, 0, 0, 3), (2, 1, 0, 1)]
    assert sum(f.found for f in second) == 10
    assert sum(f.duplicates_within for f in second) == 3
    assert sum(f.duplicates_earlier for f in second) == 3
    assert sum(f.new for f in second) == 4
    assert [r.id for r in review.records] == [f"r{i}" for i in range(1, 9)]
    rules = (review.path / "duplicates.csv").read_text(encoding="utf-8")
    assert ",r1,doi,no" in rules and ",r4,pmid,yes" in rules and ",r6,title,no" in rules and ",r7,title,no" in rules


def test_every_format_reads_titles_authors_and_keys():
    _fmt, scopus = read_export(EXPORTS / "scopus.ris", "scopus.ris")
    assert scopus[0].authors == ["Zörgő, Szilvia", "Peters, Gjalt-Jorn Y."]
    assert scopus[0].abstract.startswith("We follow residents") and "trust did not change" in scopus[0].abstract
    assert scopus[1].doi == "10.5555/test.tenure.2015" and scopus[0].database == "Scopus"
    fmt, medline = read_export(EXPORTS / "pubmed.nbib", "pubmed.nbib")
    assert fmt == "medline" and medline[0].title == "Mixing income groups and neighbourhood cohesion: a panel study."
    assert medline[0].pmid == "31000001" and medline[0].doi == "10.5555/test.mix.2019" and medline[0].line == 1
    assert medline[1].authors == ["Nguyễn, Thị Lan"] and medline[1].line == 17
    fmt, wos = read_export(EXPORTS / "wos.txt", "wos.txt")
    assert fmt == "wos" and wos[1].pmid == "31000002" and wos[1].doi == "" and wos[0].database == "Web of Science"
    fmt, endnote = read_export(EXPORTS / "endnote.ris", "endnote.ris", database="Embase")
    assert fmt == "ris" and [r.number for r in endnote] == [1, 2] and [r.line for r in endnote] == [2, 13]
    assert endnote[0].doi == "10.5555/test.tenure.2015"  # found in the URL
    assert endnote[0].abstract == "Interviews in three restructured estates show little contact across tenures."
    assert endnote[1].database == "Embase"
    fmt, bib = read_export(EXPORTS / "zotero.bib", "zotero.bib")
    assert fmt == "bibtex" and bib[2].authors == ["Müller, Kai"] and bib[1].doi == "10.5555/test.school.2021"
    fmt, csv_records = read_export(EXPORTS / "export.csv", "export.csv")
    assert fmt == "csv" and csv_records[0].abstract.startswith("Trust rose slightly after renewal")
    assert csv_records[1].authors == ["Janssen, Els", "Bakker, Jan"] and csv_records[1].line == 4


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("10.1111/J.1467-9477.2007.00176.X", "https://doi.org/10.1111/j.1467-9477.2007.00176.x"),
        ("doi:10.1080/02673030701387630", "http://dx.doi.org/10.1080/02673030701387630"),
        (" DOI: 10.1007/s10901-004-3041-5 ", "10.1007/S10901-004-3041-5"),
    ],
)
def test_doi_rule_ignores_case_and_prefixes(a, b):
    assert normalise_doi(a) == normalise_doi(b) != ""


def _rec(
    title: str,
    year: int | None = 2020,
    authors: tuple[str, ...] = ("Smith, J",),
    doi: str = "",
    pmid: str = "",
    rid: str = "",
    round_: int = 1,
) -> Record:
    return Record(
        title=title, year=year, authors=list(authors), doi=normalise_doi(doi), pmid=pmid, id=rid, round=round_
    )


def test_dedup_rules_in_order_doi_then_pmid_then_title():
    index = DedupIndex()
    index.add(_rec("A study", doi="10.5555/a", pmid="1", rid="r1"))
    assert index.find(_rec("Another title", doi="doi:10.5555/A"), 1).rule == "doi"
    assert index.find(_rec("Another title", pmid="1"), 1).rule == "pmid"
    assert index.find(_rec("A  STUDY!", authors=("J. Smith",)), 1).rule == "title"
    assert index.find(_rec("A study", year=2021), 1) is None  # another year
    assert index.find(_rec("A study", authors=("Jones, K",)), 1) is None  # another first author
    assert index.find(_rec("A study", doi="10.5555/b"), 1) is None  # both have DOIs, and they differ


def test_title_key_folds_accents_punctuation_and_case():
    assert title_key("Élan: vital — ÖVER", 2001, ["Ĳzerman, K."]) == title_key("elan vital over", 2001, ["IJzerman K"])
    assert title_key("x", 2001, ["Zörgő S"]) == title_key("X.", 2001, ["Szilvia Zörgő"])


def test_duplicate_of_an_earlier_round_is_told_apart_from_one_within_the_round():
    index = DedupIndex()
    index.add(_rec("Old", doi="10.5555/old", rid="r1", round_=1))
    index.add(_rec("New", doi="10.5555/new", rid="r2", round_=2))
    assert index.find(_rec("Old", doi="10.5555/old"), 2).earlier is True
    assert index.find(_rec("New", doi="10.5555/new"), 2).earlier is False


def test_a_duplicates_keys_find_a_third_copy():
    index = DedupIndex()
    kept = _rec("Same work", rid="r1")
    index.add(kept)
    dup = _rec("Same work", doi="10.5555/only-on-the-copy")
    index.add(dup, kept_as=index.find(dup, 1).record)
    assert index.find(_rec("Retitled in another database", doi="10.5555/only-on-the-copy"), 1).record == "r1"


def test_ris_without_end_names_file_record_and_line():
    with pytest.raises(ReviewError) as caught:
        read_export(EXPORTS / "broken.ris", "broken.ris")
    assert str(caught.value).startswith("broken.ris:9: record 2 has no end (ER) before the next record starts")


def test_bibtex_with_open_brace_names_file_record_and_line():
    with pytest.raises(ReviewError) as caught:
        read_export(EXPORTS / "broken.bib", "broken.bib")
    assert str(caught.value).startswith("broken.bib:6: record 2 cannot be read")


def test_malformed_file_keeps_nothing_of_its_import(rws):
    rws.review_import("mix", [EXPORTS / "scopus.ris"], date="2025-06-01")
    folder = rws.review("mix").path
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    with pytest.raises(ReviewError, match=r"broken\.ris:9"):
        rws.review_import("mix", [EXPORTS / "wos.txt", EXPORTS / "broken.ris"], date="2025-12-01")
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before
    assert not (folder / "searches" / "round-2").exists()


def test_not_utf8_is_a_located_error():
    with pytest.raises(ReviewError, match=r"x\.ris:2: the file is not UTF-8"):
        decode(b"TY  - JOUR\nTI  - caf\xe9\n", "x.ris")


safe_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(safe_text, st.lists(safe_text, max_size=3), st.integers(1900, 2030)), min_size=1, max_size=5),
    st.booleans(),
    st.booleans(),
)
def test_ris_round_trip_with_bom_crlf_and_numbers(entries, crlf, numbered):
    entries = [(t.strip() or "x", [a.strip() for a in authors if a.strip()], y) for t, authors, y in entries]
    parts = []
    for number, (title, authors, year) in enumerate(entries, start=1):
        lines = ([f"{number}."] if numbered else []) + ["TY  - JOUR", f"TI  - {title}"]
        lines += [f"AU  - {a}" for a in authors] + [f"PY  - {year}", "ER  - ", ""]
        parts.append("\n".join(lines))
    text = "\n".join(parts)
    raw = ("\ufeff" + text.replace("\n", "\r\n" if crlf else "\n")).encode()
    records = read_ris(decode(raw, "t.ris"), "t.ris")
    assert [(r.title, r.authors, r.year) for r in records] == [
        (" ".join(t.split()), [" ".join(a.split()) for a in au], y) for t, au, y in entries
    ]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_with_a_review_error(text):
    try:
        read_ris(text, "fuzz.ris")
    except ReviewError as exc:
        assert str(exc).startswith("fuzz.ris")


def test_import_cli_reports_found_duplicates_new_as_csv(rws):
    from helpers import run

    code, out, err = run(
        "review",
        "import",
        "mix",
        str(EXPORTS / "scopus.ris"),
        str(EXPORTS / "pubmed.nbib"),
        "--date",
        "2025-06-01",
        "--format",
        "csv",
        workspace=rws.root,
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "round,date,database,file,found,duplicates_within,duplicates_earlier,new"
    assert lines[1].endswith("scopus.ris,3,0,0,3") and lines[2].endswith("pubmed.nbib,2,1,0,1")
    assert lines[3] == "1,2025-06-01,(all),(total),5,1,0,4"


def test_import_cli_error_is_one_line(rws):
    from helpers import run

    code, _out, err = run("review", "import", "mix", str(EXPORTS / "broken.ris"), workspace=rws.root)
    assert code == 1 and err.count("\n") == 1 and "record 2 has no end (ER)" in err and "Traceback" not in err


def test_unknown_review_is_an_error_with_the_known_ones(rws: Path):
    with pytest.raises(ReviewError, match=r"no review 'nope'.*the reviews are: mix"):
        rws.review_import("nope", [EXPORTS / "scopus.ris"])


@pytest.mark.parametrize("fmt", ["ris", "bibtex", "medline", "wos", "wos-plain", "csv"])
@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("TYIAUER-PMD @{}=,\t\n\"' abc12.")), max_size=200))
def test_every_reader_reads_or_refuses_with_a_located_review_error(fmt, text):
    from verlicht.reviews.importers import FORMATS

    try:
        FORMATS[fmt](text, "fuzz.txt")
    except ReviewError as exc:
        assert str(exc).startswith("fuzz.txt")
