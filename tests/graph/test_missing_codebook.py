"""A workspace without ontology/codebook.yaml: the build and 'codebook list' name the missing file once."""

from __future__ import annotations

import json
import shutil

from helpers import run

MISSING = "ontology/codebook.yaml not found — every code counts as undefined; create it, or copy the starter"


def test_a_build_without_a_codebook_warns_once_naming_the_file_and_still_builds(mini):
    (mini / "ontology" / "codebook.yaml").unlink()
    shutil.rmtree(mini / "indicators")
    code, out, err = run("build", workspace=mini)
    assert code == 0, err
    lines = err.splitlines()
    assert lines[0] == f"warning: {MISSING} codebook from a new workspace ('verlicht init FOLDER' makes one with " \
                       "ontology/codebook.yaml)"
    assert sum(MISSING in line for line in lines) == 1
    assert "code 'menging' is not in the codebook" in err
    assert out.startswith("built graphs/verlicht.json")


def test_strict_makes_the_missing_codebook_the_first_error(mini):
    (mini / "ontology" / "codebook.yaml").unlink()
    shutil.rmtree(mini / "indicators")
    code, _, err = run("build", "--strict", workspace=mini)
    assert code == 1
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert errors[0].startswith(f"error: {MISSING}")
    assert not (mini / "graphs" / "verlicht.json").exists()


def test_an_indicator_naming_a_concept_of_the_missing_codebook_comes_after_the_cause(mini):
    (mini / "ontology" / "codebook.yaml").unlink()
    code, _, err = run("build", workspace=mini)
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith(f"error: {MISSING}")
    assert lines[1].startswith("error: indicators/indicators.csv:2: indicator 'instroom' measures unknown concept")


def test_codebook_list_without_a_codebook_names_the_file_instead_of_no_rows(mini):
    (mini / "ontology" / "codebook.yaml").unlink()
    code, out, err = run("codebook", "list", workspace=mini)
    assert code == 0
    assert err.startswith(f"warning: {MISSING}")
    assert "(no rows)" not in err and out == ""
    code, out, err = run("codebook", "list", "--format", "json", workspace=mini)
    assert (code, json.loads(out)) == (0, [])
    assert MISSING in err
