"""Malformed exports a new user may feed `review import`: one located line with a hint, nothing kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run

from verlicht.errors import ReviewError
from verlicht.reviews.importers import read_export


def test_empty_export_says_the_file_is_empty(tmp_path: Path):
    empty = tmp_path / "scopus.ris"
    empty.write_bytes(b"")
    with pytest.raises(ReviewError) as caught:
        read_export(empty, "scopus.ris")
    assert str(caught.value) == (
        "scopus.ris:1: the file is empty — the export may have failed; run the search and export it again"
    )


def test_unknown_format_hint_names_the_option_that_exists(tmp_path: Path):
    odd = tmp_path / "export.dat"
    odd.write_text("nothing to see\n", encoding="utf-8")
    with pytest.raises(ReviewError) as caught:
        read_export(odd, "export.dat")
    assert str(caught.value).startswith("export.dat:1: cannot tell the format of this file")
    assert "--from" in caught.value.hint and "--format" not in caught.value.hint


def test_bibtex_unclosed_brace_tells_why_on_one_line_without_parser_noise(rws, tmp_path: Path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{x,\n  author = {A, B},\n  title = {Open {brace title},\n  year = {2010}\n}\n"
        "@article{y, title={Fine}, year={2011}}\n",
        encoding="utf-8",
    )
    code, out, err = run("review", "import", "mix", str(bib), workspace=rws.root)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"error: {bib}:1: record 1 cannot be read: Unexpected block start: '@article'")
    assert err.rstrip().endswith("— check its braces, commas and quotes")
    assert not (rws.review("mix").path / "records.jsonl").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("garbage.ris", b"\x00\xff\xfe\x81garbage\n\x9c", "the file is not UTF-8"),
        ("empty.ris", b"", "the file is empty"),
        ("cut.ris", b"TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\nAU  - Cut,", "record 2 has no end (ER)"),
        ("notitle.csv", b"Author,Year,DOI\nSmith,2010,10.5555/x\n", "no title column"),
    ],
)
def test_malformed_export_is_one_located_line_and_keeps_nothing(rws, tmp_path: Path, name, content, message):
    good = tmp_path / "good.ris"
    good.write_text("TY  - JOUR\nTI  - Fine record\nPY  - 2020\nER  - \n", encoding="utf-8")
    bad = tmp_path / name
    bad.write_bytes(content)
    folder = rws.review("mix").path
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    code, _out, err = run("review", "import", "mix", str(good), str(bad), workspace=rws.root)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"error: {bad}:") and message in err and " — " in err
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before


def test_title_key_folds_letters_unicode_does_not_decompose():
    from verlicht.reviews.records import title_key

    assert title_key("Blandede nabolag", 2017, ["Øster, Ærlig"]) == title_key("Blandede nabolag", 2017, ["Oster AE"])
    assert title_key("Spójność", 2019, ["Łukasz Wójcik"]) == title_key("Spojnosc", 2019, ["Wojcik, L."])


def test_the_same_export_imported_again_is_refused_and_keeps_nothing(rws, tmp_path: Path):
    from reviewdata import EXPORTS

    rws.review_import("mix", [EXPORTS / "scopus.ris"], date="2025-06-01")
    folder = rws.review("mix").path
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    copy = tmp_path / "scopus-again.ris"  # a copy under another name is the same export
    copy.write_bytes((EXPORTS / "scopus.ris").read_bytes())
    for again in (EXPORTS / "scopus.ris", copy):
        with pytest.raises(ReviewError) as caught:
            rws.review_import("mix", [EXPORTS / "pubmed.nbib", again], date="2025-12-01")
        assert str(caught.value).startswith(
            f"{again}:1: this export was imported already, as reviews/mix/searches/round-1/scopus.ris"
        )
    assert {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
