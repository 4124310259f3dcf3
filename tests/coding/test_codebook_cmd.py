"""``verlicht codebook``: list, show, stats, log and the refactors through the real command line."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import DATA, copy_workspace, main_entry, run

from verlicht.codebook import load_codebook
from verlicht.rock import read_source


@pytest.fixture
def tricky(tmp_path: Path) -> Path:
    return copy_workspace(DATA / "codebook_ops" / "tricky", tmp_path / "tricky")


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def answer(text: str, *args: str, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """Run a command that asks a question, typing ``text`` at the prompt as on a terminal."""
    monkeypatch.setattr("verlicht.cli.codebook_cmd._interactive", lambda: True)
    result = CliRunner().invoke(main_entry, ["-w", str(workspace), *args], input=text, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_list_gives_every_concept_with_its_uses(mini):
    code, out, _ = run("codebook", "list", "--format", "json", workspace=mini)
    assert code == 0
    rows = {row["code"]: row for row in json.loads(out)}
    assert len(rows) == 8
    assert (rows["instroom_kwetsbaren"]["uses"], rows["instroom_kwetsbaren"]["cause"],
            rows["instroom_kwetsbaren"]["effect"]) == (6, 2, 4)
    assert rows["wonen"]["plain"] == 1 and rows["wonen"]["type"] == "context"


def test_list_filters_by_type_as_csv(mini):
    code, out, _ = run("codebook", "list", "--type", "actor", "--format", "csv", workspace=mini)
    assert code == 0
    assert out.splitlines() == ["code,type,label_nl,theme,uses",
                                "gemeente_heerlen,actor,Gemeente Heerlen,,1",
                                "woningcorporaties,actor,Woningcorporaties,,1"]


def test_show_gives_definition_locations_assumptions_and_indicators(tricky):
    code, out, _ = run("codebook", "show", "huur", "--format", "json", workspace=tricky)
    assert code == 0
    found = json.loads(out)
    assert found["definition"]["label_nl"] == "Huur, hoog of laag"
    assert found["by_role"] == {"plain": 3, "level": 0, "cause": 3, "effect": 1, "value": 0, "logic_step": 0,
                                "logic_mechanism": 0}
    assert [loc["where"] for loc in found["locations"]][:2] == ["interviews/t1.rock:8:62", "interviews/t1.rock:8:94"]
    assert {(a["cause"], a["effect"], a["type"]) for a in found["assumptions"]} == {
        ("huur", "stress", "causal_pos"), ("huur", "stress", "causal"), ("huur", "gezondheid", "causal_neg"),
        ("stress", "huur", "causal_pos")}
    assert [(i["id"], i["measures"], i["tests"]) for i in found["indicators"]] == [
        ("huurquote", True, ["huur->stress"]), ("ervaren", False, ["huur->gezondheid"])]


@pytest.fixture
def with_logic(tricky: Path) -> Path:
    (tricky / "logic").mkdir()
    shutil.copyfile(DATA / "codebook_ops" / "logic" / "huur_en_stress.yaml", tricky / "logic" / "huur_en_stress.yaml")
    return tricky


def test_show_counts_the_uses_in_logic_models_with_their_place(with_logic):
    code, out, _ = run("codebook", "show", "huur", "--format", "json", workspace=with_logic)
    assert code == 0
    found = json.loads(out)
    assert (found["by_role"]["logic_step"], found["by_role"]["logic_mechanism"], found["uses"]) == (3, 2, 12)
    assert [(loc["where"], loc["role"]) for loc in found["locations"] if loc["path"].startswith("logic/")] == [
        ("logic/huur_en_stress.yaml:9:15", "logic_step"), ("logic/huur_en_stress.yaml:13:24", "logic_step"),
        ("logic/huur_en_stress.yaml:19:9", "logic_step"), ("logic/huur_en_stress.yaml:31:18", "logic_mechanism"),
        ("logic/huur_en_stress.yaml:37:18", "logic_mechanism")]
    code, out, _ = run("codebook", "show", "huur", workspace=with_logic)
    assert "used 12 time(s): 3 plain, 3 cause, 1 effect, 3 logic_step, 2 logic_mechanism" in out
    assert "logic/huur_en_stress.yaml:31:18" in out


def test_stats_counts_logic_model_uses_and_lists_an_undefined_concept_there(with_logic):
    model = with_logic / "logic" / "huur_en_stress.yaml"
    model.write_text(model.read_text(encoding="utf-8").replace("[gezondheid]", "[gezondheid, welzijn]"),
                     encoding="utf-8")
    code, out, _ = run("codebook", "stats", "--format", "json", workspace=with_logic)
    assert code == 0
    stats = json.loads(out)
    codes = {row["code"]: row for row in stats["codes"]}
    assert (codes["wonen"]["uses"], codes["wonen"]["logic_step"]) == (2, 1)
    assert {row["code"]: row["locations"] for row in stats["undefined"]}["welzijn"] == [
        "logic/huur_en_stress.yaml:24:28"]


def test_show_of_an_unknown_code_is_a_one_line_error(tricky):
    code, _, err = run("codebook", "show", "nergens", workspace=tricky)
    assert code == 1
    assert err.startswith("error: ontology/codebook.yaml: 'nergens' is neither in the codebook nor used")


def test_stats_lists_undefined_codes_with_every_location_and_unused_codes(tricky):
    (tricky / "interviews" / "t3.rock").write_text("Nog een huurder. [[huurder]] [[a->b||onbekend]]\n",
                                                   encoding="utf-8")
    code, out, _ = run("codebook", "stats", "--format", "json", workspace=tricky)
    assert code == 0
    stats = json.loads(out)
    undefined = {row["code"]: row["locations"] for row in stats["undefined"]}
    assert undefined["huurder"] == ["interviews/t1.rock:12:29", "interviews/t3.rock:1:18"]
    assert set(undefined) == {"huurder", "a", "b"}
    assert stats["unused"] == []
    edges = {row["type"]: row for row in stats["edge_types"]}
    assert edges["onbekend"]["defined"] == "undefined"
    assert edges["onbekend"]["locations"] == ["interviews/t3.rock:1:30"]
    assert edges["remt"]["defined"] == "codebook" and edges["causal_pos"]["defined"] == "built in"
    types = {row["type"]: row for row in stats["types"]}
    assert types["factor"] == {"type": "factor", "concepts": 1, "used": 1, "uses": 7}


def test_log_of_a_workspace_without_refactors_says_so_and_json_gives_an_empty_list(tricky):
    code, out, err = run("codebook", "log", workspace=tricky)
    assert (code, out) == (0, "")
    assert err == "no codebook changes recorded yet (ontology/CHANGELOG.md)\n"
    code, out, _ = run("codebook", "log", "--format", "json", workspace=tricky)
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = run("codebook", "log", "--format", "csv", workspace=tricky)
    assert (code, out) == (0, "date,command,who,changed,reason\n")


def test_rename_with_yes_rewrites_everything_and_logs_who_and_why(tricky, monkeypatch):
    monkeypatch.setenv("VERLICHT_CODER", "Coder Een")
    code, out, err = run("codebook", "rename", "huur", "kosten", "--yes", "--reason", "breder dan huur",
                         workspace=tricky)
    assert code == 0, err
    assert out == ""  # --yes shows the summary only
    assert "rename huur kosten: 4 file(s), 11 occurrence(s)" in err
    assert "kosten" in load_codebook(tricky / "ontology" / "codebook.yaml").concepts
    source = read_source(tricky / "interviews" / "t1.rock")
    assert source.utterances[0].text == "De huur is hoog, huur huur huur."
    assert [n.source for n in source.utterances[0].network] == ["kosten"]
    code, out, _ = run("codebook", "log", "--format", "json", workspace=tricky)
    entry = json.loads(out)[-1]
    assert (entry["command"], entry["who"], entry["changed"], entry["reason"]) == (
        "rename huur kosten", "Coder Een", "4 file(s), 11 occurrence(s)", "breder dan huur")
    assert entry["date"].endswith("Z") and len(entry["date"]) == 20
    assert (tricky / "ontology" / "CHANGELOG.md").read_text(encoding="utf-8").startswith("# Codebook changelog\n")
    code, _, err = run("build", "-q", workspace=tricky)
    assert code == 0, err


def test_answering_no_at_the_preview_changes_nothing(tricky, monkeypatch):
    before = snapshot(tricky)
    code, out, err = answer("n\n", "codebook", "merge", "stress", "huur", "--drop-self-loops", workspace=tricky,
                            monkeypatch=monkeypatch)
    assert code == 0
    assert "-  - code: stress" in out and "+[[uid=t0000006]] Nog een." in out
    assert "apply these changes? [y/N]" in err and "nothing was changed" in err
    assert snapshot(tricky) == before


def test_answering_yes_at_the_preview_applies(tricky, monkeypatch):
    code, _, err = answer("y\n", "codebook", "retype", "stress", "factor", workspace=tricky, monkeypatch=monkeypatch)
    assert code == 0, err
    assert load_codebook(tricky / "ontology" / "codebook.yaml").concepts["stress"].type == "factor"


def test_without_a_terminal_and_without_yes_the_preview_is_shown_and_nothing_changes(tricky):
    before = snapshot(tricky)
    code, out, err = run("codebook", "rename", "huur", "kosten", workspace=tricky)  # CliRunner's stdin is no tty
    assert code == 1
    assert "+[[uid=t0000001]] [[cid=B1]] De huur is hoog, huur huur huur. [[kosten->stress||causal_pos||2]]" in out
    assert err.splitlines()[-1] == "nothing was changed: pass --yes to apply (or --dry-run to only preview)"
    assert "aborted" not in err and "apply these changes?" not in err
    assert snapshot(tricky) == before


def test_on_a_real_terminal_the_refactor_asks_and_applies_on_yes(tricky):
    pexpect = pytest.importorskip("pexpect")
    verlicht = Path(sys.executable).with_name("verlicht")
    child = pexpect.spawn(str(verlicht), ["codebook", "retype", "stress", "factor"], cwd=str(tricky),
                          env={**os.environ, "TERM": "dumb", "VERLICHT_CODER": "Tester"}, encoding="utf-8",
                          timeout=30)
    child.expect(r"apply these changes\? \[y/N\]")
    child.sendline("y")
    child.expect("logged in ontology/CHANGELOG.md")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert load_codebook(tricky / "ontology" / "codebook.yaml").concepts["stress"].type == "factor"


def test_dry_run_shows_the_diff_and_changes_nothing(tricky):
    before = snapshot(tricky)
    code, out, err = run("codebook", "rename", "--edge-type", "remt", "dempt", "--dry-run", workspace=tricky)
    assert code == 0
    assert "-[[uid=t0000002]] Stress maakt ziek. [[stress->gezondheid||remt]] [[stress||hoog]]" in out
    assert "+[[uid=t0000002]] Stress maakt ziek. [[stress->gezondheid||dempt]] [[stress||hoog]]" in out
    assert "+  - type: dempt" in out
    assert "dry run: nothing was changed" in err
    assert snapshot(tricky) == before


@pytest.mark.parametrize(("args", "expected"), [
    (("rename", "huur", "stress"), "error: ontology/codebook.yaml:16: concept 'stress' already exists — to fold"),
    (("merge", "huur", "nergens"), "error: ontology/codebook.yaml: unknown concept 'nergens': a merge needs it"),
    (("merge", "stress", "huur"), "error: interviews/t1.rock:8:62: merging 'stress' into 'huur' would turn 4"),
    (("retype", "huur", "ding"), "error: 'ding' is not a concept type — use one of: actor, factor"),
    (("retype", "nergens", "factor"), "error: ontology/codebook.yaml: unknown concept 'nergens'"),
])
def test_refusals_are_one_line_errors_that_change_nothing(tricky, args, expected):
    before = snapshot(tricky)
    code, _, err = run("codebook", *args, "--yes", workspace=tricky)
    assert code == 1
    assert err.startswith(expected)
    assert snapshot(tricky) == before


def test_merge_on_the_demo_keeps_the_build_working(demo):
    code, _, err = run("codebook", "merge", "instroom", "instroom_kwetsbaren", "--yes", workspace=demo)
    assert code == 0, err
    code, out, err = run("build", "--format", "json", workspace=demo)
    assert code == 0, err
    assert json.loads(out)[0]["concepts"] == 79


@pytest.mark.parametrize("args", [
    ("retype", "wonen", "factor"),
    ("rename", "--edge-type", "collaborates", "werkt_samen"),
    ("merge", "--edge-type", "causal", "causal_pos"),
    ("rename", "sociale_cohesie", "samenhang"),
    ("rename", "inponden", "opkopen_en_verhuren"),  # a step's concept in logic/inponden_vrieheide.yaml
    ("merge", "vertrouwen_in_instanties", "vertrouwen"),  # mechanisms' concept in all three logic models
])
def test_each_refactor_on_the_demo_leaves_a_workspace_that_builds_without_warnings(demo, args):
    code, _, err = run("codebook", *args, "--yes", workspace=demo)
    assert code == 0, err
    code, out, err = run("build", "--format", "json", workspace=demo)
    assert code == 0, err
    assert json.loads(out)[0]["warnings"] == 0
    for file in sorted((demo / "interviews").glob("*.rock")):
        read_source(file)  # every source still reads


def test_the_preview_is_coloured_on_a_terminal(tricky):
    result = CliRunner().invoke(main_entry, ["-w", str(tricky), "codebook", "rename", "huur", "kosten",
                                             "--dry-run"], color=True, catch_exceptions=False)
    assert "\x1b[32m+[[uid=t0000001]]" in result.stdout
    assert "\x1b[31m-[[uid=t0000001]]" in result.stdout


def test_a_merge_that_makes_opposite_claims_is_refused_until_keep_conflicts_and_the_preview_lists_them(mini):
    source = mini / "interviews" / "a.rock"
    source.write_text(source.read_text(encoding="utf-8") + (
        "[[uid=a0000099]] [[cid=R1]] Goedkoop trekt aan, menging remt. "
        "[[goedkope_woningen->instroom_kwetsbaren||causal_pos]] [[menging->instroom_kwetsbaren||causal_neg]]\n"),
        encoding="utf-8")
    before = snapshot(mini)
    code, _, err = run("codebook", "merge", "goedkope_woningen", "menging", "--yes", workspace=mini)
    assert code == 1
    assert err.startswith("error: interviews/a.rock:21:118: merging 'goedkope_woningen' into 'menging' would "
                          "leave 1 utterance code(s) next to the opposite claim")
    assert snapshot(mini) == before
    code, _, err = run("codebook", "merge", "goedkope_woningen", "menging", "--keep-conflicts", "--dry-run",
                       workspace=mini)
    assert code == 0
    assert "note: conflict: 1 code(s) now stand next to the opposite claim on their line, kept " \
           "(--keep-conflicts): interviews/a.rock:21:118" in err
    code, out, _ = run("codebook", "merge", "--help")
    assert "--keep-conflicts" in out and "its opposite" in " ".join(out.split())
