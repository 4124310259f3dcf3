"""The command line as a user runs it: output formats, located errors, exit codes, the cli.py shim."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import run

import verlicht
from verlicht.cli import cli

REPO = Path(__file__).resolve().parents[2]


def test_build_prints_a_summary_line(gapcase):
    code, out, err = run("build", workspace=gapcase)
    assert (code, err) == (0, "")
    assert out.startswith("built graphs/verlicht.json: 2 sources, 11 utterances, 6 concepts, 5 assumptions, "
                          "3 respondents, 4 indicators")
    assert "(2 parsed, 0 unchanged)" in out


def test_build_summary_counts_observations_interventions_and_steps(demo):
    code, out, _ = run("build", workspace=demo)
    assert code == 0
    observations = len((demo / "indicators" / "observations.csv").read_text(encoding="utf-8").splitlines()) - 1
    interventions = len(list((demo / "logic").glob("*.yaml")))
    assert f", {observations} observations, {interventions} interventions, " in out
    steps = sum(1 for node in verlicht.open(demo).graph.of_kind("Step"))
    assert f", {steps} steps, 0 warnings (" in out and steps > interventions


def test_build_summary_as_json(gapcase):
    code, out, _ = run("build", "--format", "json", workspace=gapcase)
    assert code == 0
    [summary] = json.loads(out)
    assert (summary["assumptions"], summary["sources"], summary["warnings"]) == (5, 2, 0)


def test_gaps_json_rows_carry_the_promised_fields(gapcase):
    run("build", workspace=gapcase)
    code, out, _ = run("gaps", "--format", "json", workspace=gapcase)
    assert code == 0
    rows = json.loads(out)
    assert [(r["cause"], r["effect"], r["polarity"], r["coverage"], r["support"]) for r in rows] == [
        ("d", "e", "+", "partial", 1),
        ("e", "f", "+", "unmeasured", 1),
    ]
    assert rows[0]["holders"] == {"bewoner": [], "professional": ["R3"], "bestuurder": []}


def test_gaps_all_as_csv_has_a_column_per_group(gapcase):
    run("build", workspace=gapcase)
    code, out, _ = run("gaps", "--all", "--format", "csv", workspace=gapcase)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5
    first = rows[0]
    assert (first["cause"], first["coverage"], first["support"]) == ("a", "tested", "3")
    assert (first["bewoner"], first["professional"]) == ("R1", "R2;R3")


def test_gaps_table_is_plain_when_piped(gapcase):
    run("build", workspace=gapcase)
    code, out, _ = run("gaps", workspace=gapcase)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["cause", "effect", "polarity", "coverage", "support"]
    assert lines[1].split()[:5] == ["d", "e", "+", "partial", "1"]
    assert "\x1b[" not in out


def test_command_rows_equal_python_api_rows(gapcase):
    run("build", workspace=gapcase)
    _, out, _ = run("gaps", "--all", "--format", "json", workspace=gapcase)
    assert json.loads(out) == verlicht.open(gapcase).gaps(all=True)
    _, out, _ = run("query", "evidence", "a->b", "--format", "json", workspace=gapcase)
    assert json.loads(out) == verlicht.open(gapcase).evidence("a->b")


def test_query_evidence_shows_source_line_respondent_and_text(gapcase):
    run("build", workspace=gapcase)
    code, out, _ = run("query", "evidence", "b->c", "--format", "csv", workspace=gapcase)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["source"], r["line"], r["respondent"]) for r in rows] == [
        ("interviews/one.rock", "16", "R1"),
        ("interviews/two.rock", "13", "R3"),
    ]
    assert rows[0]["text"] == "And more B means less C; more E gives more F."


def test_query_paths_and_assumptions_and_concepts(gapcase):
    run("build", workspace=gapcase)
    _, out, _ = run("query", "paths", "a", "c", "--format", "json", workspace=gapcase)
    assert [r["polarity"] for r in json.loads(out)] == ["-"]
    _, out, _ = run("query", "assumptions", "--min-support", "2", "--format", "json", workspace=gapcase)
    assert [(r["cause"], r["effect"]) for r in json.loads(out)] == [("a", "b"), ("b", "c")]
    _, out, _ = run("query", "assumptions", "--polarity", "-", "--format", "json", workspace=gapcase)
    assert [(r["cause"], r["effect"]) for r in json.loads(out)] == [("b", "c")]
    _, out, _ = run("query", "concepts", "--format", "json", workspace=gapcase)
    assert [r["code"] for r in json.loads(out)] == ["a", "b", "c", "d", "e", "f"]


def test_stats_lists_counts(gapcase):
    run("build", workspace=gapcase)
    _, out, _ = run("stats", "--format", "json", workspace=gapcase)
    stats = {r["metric"]: r["value"] for r in json.loads(out)}
    assert stats["assumptions_unmeasured"] == 1


def test_syntax_error_is_one_located_line_and_exit_1(gapcase):
    bad = gapcase / "interviews" / "two.rock"
    bad.write_text("Iets [[a->b]] en meer\n")
    code, _, err = run("build", workspace=gapcase)
    assert code == 1
    first = err.splitlines()[0]
    assert first.startswith("error: interviews/two.rock:1:6: network code '[[a->b]]' has no edge type — add one")
    assert "Traceback" not in err
    assert not (gapcase / "graphs" / "verlicht.json").exists()


def test_strict_turns_unknown_codes_into_errors(gapcase):
    path = gapcase / "interviews" / "two.rock"
    path.write_text(path.read_text() + "[[uid=zz000001]] Iets nieuws. [[onbekend_begrip]]\n")
    code, _, err = run("build", workspace=gapcase)
    assert code == 0
    assert "interviews/two.rock:16:31: warning: code 'onbekend_begrip' is not in the codebook" in err
    code, _, err = run("build", "--strict", workspace=gapcase)
    assert code == 1
    assert "error: interviews/two.rock:16:31: code 'onbekend_begrip' is not in the codebook" in err


def test_query_before_build_builds_first_and_says_so(gapcase):
    code, out, err = run("gaps", workspace=gapcase)
    assert code == 0 and out.startswith("cause")
    assert err == "verlicht: no graph built yet; building the graph first\n"


def test_query_before_build_without_auto_build_tells_what_to_do(gapcase):
    import verlicht
    from verlicht.errors import VerlichtError

    with pytest.raises(VerlichtError, match="run 'verlicht build' first"):
        verlicht.open(gapcase, auto_build=False).gaps()


def test_unknown_concept_in_query_is_exit_1_with_hint(gapcase):
    run("build", workspace=gapcase)
    code, _, err = run("query", "evidence", "a->zz", workspace=gapcase)
    assert (code, err.count("\n")) == (1, 1)
    assert "unknown concept 'zz'" in err


def test_no_workspace_is_a_clear_error(tmp_path):
    code, _, err = run("gaps", workspace=tmp_path)
    assert code == 1
    assert "verlicht init" in err


def test_bad_option_value_is_one_line_naming_the_command_help_and_exit_1(gapcase):
    code, out, err = run("gaps", "--format", "xml", workspace=gapcase)
    assert (code, out) == (1, "")
    assert err == ("error: invalid value for '--format': 'xml' is not one of 'table', 'json', 'csv' "
                   "— see 'verlicht gaps --help'\n")


@pytest.mark.parametrize("args, message", [
    (("indicators", "status", "--goal"), "error: option '--goal' requires an argument "
                                         "— see 'verlicht indicators status --help'"),
    (("indicators", "status", "--goall", "4"), "error: no such option '--goall'. Did you mean '--goal'? "
                                               "— see 'verlicht indicators status --help'"),
    (("query", "evidence"), "error: missing argument 'CAUSE->EFFECT' — see 'verlicht query evidence --help'"),
    (("gapz",), "error: no such command 'gapz'. Did you mean 'gaps'? — see 'verlicht --help'"),
])
def test_usage_errors_of_nested_commands_name_that_command(gapcase, args, message):
    code, out, err = run(*args, workspace=gapcase)
    assert (code, out, err) == (1, "", message + "\n")


def test_help_and_a_bare_group_still_show_the_help():
    code, out, err = run("indicators", "status", "--help")
    assert (code, err) == (0, "") and out.startswith("Usage: verlicht indicators status [OPTIONS]")
    code, out, err = run("goals")
    assert "Usage: verlicht goals [OPTIONS] COMMAND [ARGS]..." in out + err and "error:" not in err


def test_init_creates_a_workspace_that_builds(tmp_path):
    target = tmp_path / "nieuw"
    code, out, _ = run("init", str(target))
    assert code == 0
    for name in ("verlicht.toml", "interviews/voorbeeld.rock", "ontology/codebook.yaml",
                 "indicators/indicators.csv", "indicators/observations.csv", "reviews", "graphs/.gitignore"):
        assert (target / name).exists(), name
    assert 'name = "nieuw"' in (target / "verlicht.toml").read_text()
    code, out, err = run("build", workspace=target)
    assert code == 0, err
    code, out, _ = run("gaps", "--format", "json", workspace=target)
    assert code == 0
    [row] = [r for r in json.loads(out) if r["kind"] == "assumption"]  # then the template's logic model
    assert (row["cause"], row["effect"], row["coverage"]) == ("goedkope_woningen", "instroom_kwetsbaren",
                                                              "unmeasured")


def test_init_refuses_an_existing_workspace(gapcase):
    code, _, err = run("init", str(gapcase))
    assert code == 1
    assert "already exists" in err


def test_parse_lists_utterances_of_any_rock_file(tmp_path):
    source = tmp_path / "x.rock"
    source.write_text("[[cid=R1]]\nEerste zin. [[a->b||causal_pos||2]] [[thema>wonen]]\n~vervolg\n")
    code, out, _ = run("parse", str(source), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["line"], r["cid"], r["text"], r["network"], r["codes"], r["nesting"]) for r in rows] == [
        (2, "R1", "Eerste zin.", ["a->b||causal_pos||2"], ["thema>wonen"], 0),
        (3, "R1", "vervolg", [], [], 1),
    ]


def test_cli_shim_equals_the_console_script(gapcase):
    build = subprocess.run([sys.executable, str(REPO / "cli.py"), "-w", str(gapcase), "build", "-q"],
                           capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stderr
    shim = subprocess.run([sys.executable, str(REPO / "cli.py"), "-w", str(gapcase), "gaps", "--format", "json"],
                          capture_output=True, text=True, check=True)
    module = subprocess.run([sys.executable, "-m", "verlicht", "-w", str(gapcase), "gaps", "--format", "json"],
                            capture_output=True, text=True, check=True)
    assert json.loads(shim.stdout) == json.loads(module.stdout) == verlicht.open(gapcase).gaps()


def test_user_error_in_a_real_process_has_no_traceback(gapcase):
    (gapcase / "ontology" / "codebook.yaml").write_text("concepts:\n  a: {type: ding}\n")
    result = subprocess.run([sys.executable, str(REPO / "cli.py"), "-w", str(gapcase), "build"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: ontology/codebook.yaml:2: concept 'a' has type 'ding' — use one of: actor, factor, mechanism, "
        "intervention, outcome, context"
    ]


@pytest.mark.parametrize("command", [["gaps"], ["stats"], ["query", "assumptions"]])
def test_every_listing_takes_format(gapcase, command):
    run("build", workspace=gapcase)
    for fmt in ("table", "json", "csv"):
        code, out, _ = run(*command, "--format", fmt, workspace=gapcase)
        assert code == 0 and out.strip()


def test_help_lists_the_commands():
    result = CliRunner().invoke(cli, ["--help"])
    for name in ("init", "build", "gaps", "query", "stats", "parse"):
        assert name in result.output


def test_readme_tutorial_runs_as_written(tmp_path):
    """The five-minute tutorial of the README: init, code a line, build, gaps, evidence."""
    target = tmp_path / "wijkstudie"
    assert run("init", str(target))[0] == 0
    source = target / "interviews" / "voorbeeld.rock"
    line = "[[uid=7dq0bx02]] [[cid=R01]] Er wonen steeds meer mensen maar kort, je kent je buren niet meer."
    assert line in source.read_text()
    source.write_text(source.read_text().replace(line, line + " [[verloop_bewoners->sociale_cohesie||causal_neg]]"))
    code, out, _ = run("build", workspace=target)
    assert code == 0
    quoted = next(line for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines()
                  if line.startswith("built graphs/verlicht.json: 1 sources"))
    assert out == quoted + "\n"  # the README quotes the summary line as it is
    code, out, _ = run("gaps", "--kind", "assumptions", "--format", "json", workspace=target)
    assert [(r["cause"], r["coverage"]) for r in json.loads(out)] == [("goedkope_woningen", "unmeasured"),
                                                                     ("verloop_bewoners", "partial")]
    code, out, _ = run("query", "evidence", "verloop_bewoners->sociale_cohesie", "--format", "json",
                       workspace=target)
    [quote] = json.loads(out)
    assert (quote["source"], quote["line"], quote["respondent"]) == ("interviews/voorbeeld.rock", 24, "R01")


def test_a_piped_table_has_no_trailing_spaces(mini):
    code, out, _ = run("code", "list", str(mini / "interviews" / "a.rock"), workspace=mini)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["line", "uid", "case"]
    assert all(line == line.rstrip() for line in lines)
