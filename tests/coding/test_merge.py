"""A consensus source from coders' copies: the rule, the conflicts, valid ROCK, nothing half-written."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from helpers import run

from verlicht.coding.merge import _recoded, keeps, merge
from verlicht.errors import CodingError
from verlicht.rock.reader import read_source

CODERS = Path(__file__).resolve().parents[1] / "data" / "coders"
ANNA, BRAM, CARLA = (CODERS / name / "r07.rock" for name in ("anna", "bram", "carla"))
DIRK = CODERS / "mismatch" / "dirk" / "r07.rock"


def codes_by_uid(path: Path) -> dict[str, set[str]]:
    """What the ROCK reader finds on each utterance: plain codes and edges without weight."""
    return {u.uid: {">".join(c.path) for c in u.codes} | {f"{n.source}->{n.target}||{n.type}" for n in u.network}
            for u in read_source(path).utterances if u.uid}


def test_the_rules_count_coders():
    assert [keeps("majority", k, 2) for k in (0, 1, 2)] == [False, False, True]
    assert [keeps("majority", k, 3) for k in (0, 1, 2, 3)] == [False, False, True, True]
    assert [keeps("all", k, 3) for k in (2, 3)] == [False, True]
    assert [keeps("any", k, 3) for k in (0, 1)] == [False, True]


@pytest.mark.parametrize(("rule", "least"), [("majority", 2), ("all", 3), ("any", 1)])
def test_a_code_is_kept_when_enough_coders_applied_it(tmp_path, rule, least):
    out = tmp_path / "r07.rock"
    merge([ANNA, BRAM, CARLA], out, rule=rule)
    copies = [codes_by_uid(p) for p in (ANNA, BRAM, CARLA)]
    expected = {uid: {code for code in set().union(*(c[uid] for c in copies))
                      if sum(code in c[uid] for c in copies) >= least} for uid in copies[0]}
    assert codes_by_uid(out) == expected


def test_the_consensus_keeps_text_uids_ids_and_yaml_of_the_first_copy_and_records_the_merge(tmp_path):
    out = tmp_path / "r07.rock"
    report = merge([ANNA, BRAM], out)
    merged, first = read_source(out), read_source(ANNA)
    assert [(u.uid, u.text, u.case_id) for u in merged.utterances] == [
        (u.uid, u.text, u.case_id) for u in first.utterances]
    assert all(u.coder_id is None for u in merged.utterances)
    assert "coderId" not in out.read_text(encoding="utf-8")
    assert list(merged.fragments[0].data) == ["VERLICHT_anonymised"]  # the marker stays first
    assert merged.fragments[0].data == first.fragments[0].data
    [(_, record)] = merged.containers("VERLICHT_merge")
    assert record == {"tool": "verlicht 0.1.0", "rule": "majority", "coders": ["anna", "bram"], "conflicts": 10}
    assert merged.warnings == []
    assert (report.utterances, report.kept, len(report.conflicts)) == (37, 13, 10)


def test_conflicts_are_listed_and_written_above_their_utterance(tmp_path):
    out = tmp_path / "r07.rock"
    report = merge([ANNA, BRAM], out)
    rows = {(r["uid"], r["code"]): r for r in report.conflicts}
    reversed_edge = rows[("7ddr5tz6", "schulden->energiearmoede||causal_pos")]
    assert (reversed_edge["for"], reversed_edge["against"], reversed_edge["kept"]) == (["bram"], ["anna"], False)
    missed = rows[("7ddr5tyg", "wonen>instroom")]
    assert (missed["for"], missed["against"], missed["kept"]) == (["anna"], ["bram"], False)
    weight = rows[("7ddr5tye", "goedkope_woningen->instroom_kwetsbaren||causal_pos")]
    assert (weight["against"], weight["kept"]) == ([], True)
    assert weight["note"] == ("weights differ: anna 3, bram none; "
                              "kept goedkope_woningen->instroom_kwetsbaren||causal_pos||3")
    lines = out.read_text(encoding="utf-8").split("\n")
    anna = ANNA.read_text(encoding="utf-8").split("\n")
    for row in report.conflicts:  # ref: the line in the first copy, as agreement gives it; out_ref: in the consensus
        assert row["ref"] == f"{ANNA}:{row['line']}"
        assert anna[row["line"] - 1].startswith(f"[[uid={row['uid']}]]")
        path, _, merged = row["out_ref"].rpartition(":")
        assert path == str(out)
        assert lines[int(merged) - 1].startswith(f"[[uid={row['uid']}]]")
    at = int(reversed_edge["out_ref"].rpartition(":")[2])
    above = lines[at - 3 : at - 1]
    assert above == [
        "# VERLICHT merge conflict: energiearmoede->schulden||causal_pos applied by anna, not by bram; "
        "not kept (majority)",
        "# VERLICHT merge conflict: schulden->energiearmoede||causal_pos applied by bram, not by anna; "
        "not kept (majority)",
    ]
    assert lines[at - 1].endswith("gewoon het begin van de schulden.")


def test_without_comments_and_with_a_conflicts_file(tmp_path):
    out, table = tmp_path / "r07.rock", tmp_path / "conflicts.csv"
    report = merge([ANNA, BRAM], out, comments=False, conflicts_csv=table)
    assert "#" not in "".join(line[:1] for line in out.read_text(encoding="utf-8").split("\n")[32:])
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert [(r["uid"], r["ref"], r["out_ref"], r["code"], r["for"], r["against"], r["kept"]) for r in rows] == [
        (c["uid"], c["ref"], c["out_ref"], c["code"], ";".join(c["for"]), ";".join(c["against"]),
         "yes" if c["kept"] else "no")
        for c in report.conflicts]
    assert rows[0]["uid"] == "7ddr5tye"


def test_a_line_loses_its_codes_and_coder_id_and_gets_the_kept_ones():
    assert _recoded("[[coderId=anna]]", []) == ""
    assert _recoded("[[uid=a1]] [[cid=R1]] [[coderId=anna]] Tekst [[x]] meer  [[y||causal]]", ["z", "a->b||c||2"]) == (
        "[[uid=a1]] [[cid=R1]] Tekst meer [[z]] [[a->b||c||2]]")
    assert _recoded("[[trots]] [[uid=a1]] ~ Tekst", []) == "[[uid=a1]] ~ Tekst"


def test_the_first_copys_line_ends_and_byte_order_mark_are_kept(tmp_path):
    anna = tmp_path / "anna" / "r07.rock"
    anna.parent.mkdir()
    anna.write_bytes(b"\xef\xbb\xbf" + ANNA.read_bytes().replace(b"\n", b"\r\n"))
    out = tmp_path / "r07.rock"
    merge([anna, BRAM], out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n")
    assert data.count(b"\n") == data.count(b"\r\n")
    plain = tmp_path / "plain.rock"
    merge([ANNA, BRAM], plain)
    assert data[3:].replace(b"\r\n", b"\n") == plain.read_bytes()


def test_an_existing_output_is_refused_unless_forced(tmp_path):
    out = tmp_path / "r07.rock"
    out.write_text("niet overschrijven\n", encoding="utf-8")
    with pytest.raises(CodingError, match="the file exists; nothing was written"):
        merge([ANNA, BRAM], out)
    assert out.read_text(encoding="utf-8") == "niet overschrijven\n"
    merge([ANNA, BRAM], out, force=True)
    assert read_source(out).containers("VERLICHT_merge")


def test_a_coders_copy_is_never_the_output(tmp_path):
    anna = tmp_path / "anna" / "r07.rock"
    anna.parent.mkdir()
    shutil.copyfile(ANNA, anna)
    with pytest.raises(CodingError, match="is one of the coders' copies"):
        merge([anna, BRAM], anna, force=True)
    assert anna.read_bytes() == ANNA.read_bytes()


def test_a_text_difference_is_a_located_error_and_nothing_is_written(tmp_path):
    out = tmp_path / "r07.rock"
    with pytest.raises(CodingError) as error:
        merge([ANNA, DIRK], out, conflicts_csv=tmp_path / "c.csv")
    assert str(error.value).startswith(f"{DIRK}:42: the text of uid 7ddr5tz6 differs from anna's copy ({ANNA}:42)")
    assert list(tmp_path.iterdir()) == []


def edited_copy(tmp_path: Path, change) -> Path:
    path = tmp_path / "bram" / "r07.rock"
    path.parent.mkdir(exist_ok=True)
    lines = BRAM.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(change(lines)), encoding="utf-8")
    return path


def test_a_missing_utterance_is_a_located_error(tmp_path):
    short = edited_copy(tmp_path, lambda lines: [line for line in lines if "7ddr5tzc" not in line])
    with pytest.raises(CodingError) as error:
        merge([ANNA, short], tmp_path / "out.rock")
    assert str(error.value).startswith(f"{short}:45: uid 7ddr5tzc ({ANNA}:45) is missing from this copy")


def test_utterances_in_another_order_are_a_located_error(tmp_path):
    def swap(lines):
        i = next(n for n, line in enumerate(lines) if "7ddr5tzm" in line)
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
        return lines

    swapped = edited_copy(tmp_path, swap)
    with pytest.raises(CodingError) as error:
        merge([ANNA, swapped], tmp_path / "out.rock")
    assert str(error.value).startswith(f"{swapped}:50: utterances are in another order than in anna's copy")


def test_a_coded_line_without_uid_is_a_located_error(tmp_path):
    extra = edited_copy(tmp_path, lambda lines: [*lines[:-1], "Nog een regel. [[trots]]", lines[-1]])
    with pytest.raises(CodingError) as error:
        merge([ANNA, extra], tmp_path / "out.rock")
    assert str(error.value).startswith(f"{extra}:62: a coded line without uid cannot be matched")


def test_the_consensus_builds_in_the_demo_workspace(demo, tmp_path):
    out = tmp_path / "r07.rock"
    merge([ANNA, BRAM, CARLA], out)
    shutil.copyfile(out, demo / "interviews" / "r07.rock")
    code, _, err = run("build", workspace=demo)
    assert code == 0, err


# ---------------------------------------------------------------- the command


def test_merge_command_as_json(tmp_path):
    out = tmp_path / "r07.rock"
    code, stdout, stderr = run("merge", str(ANNA), str(BRAM), str(CARLA), "--out", str(out), "--rule", "all",
                               "--format", "json")
    assert (code, stderr) == (0, "")
    report = json.loads(stdout)
    assert (report["out"], report["rule"], report["coders"]) == (str(out), "all", ["anna", "bram", "carla"])
    assert report["kept"] == 10
    [row] = [r for r in report["conflicts"] if r["uid"] == "7ddr5tzc"]
    at = int(row["out_ref"].rpartition(":")[2])
    assert row == {"uid": "7ddr5tzc", "path": str(ANNA), "line": 45, "ref": f"{ANNA}:45",
                   "out_ref": f"{out}:{at}", "kind": "network",
                   "code": "frictieleegstand->verloedering||causal_pos", "for": ["carla"], "against": ["anna", "bram"],
                   "kept": False, "note": None}
    assert report["rule_means"] == "a code is kept only when all 3 coders applied it"
    assert Path(report["out"]).read_text(encoding="utf-8").split("\n")[at - 1].startswith("[[uid=7ddr5tzc]]")


def test_merge_command_prints_a_summary_and_the_conflicts(tmp_path):
    out = tmp_path / "r07.rock"
    code, stdout, _ = run("merge", str(ANNA), str(BRAM), "-o", str(out))
    assert code == 0
    assert stdout.startswith(f"wrote {out}: 37 utterances, 13 codes kept, 10 conflicts "
                             "(rule majority; coders anna, bram)\n")
    assert "schulden->energiearmoede||causal_pos" in stdout


def test_merge_command_error_is_one_located_line(tmp_path):
    out = tmp_path / "r07.rock"
    code, stdout, stderr = run("merge", str(ANNA), str(DIRK), "--out", str(out))
    assert (code, stdout) == (1, "")
    assert stderr.count("\n") == 1
    assert stderr.startswith(f"error: {DIRK}:42: the text of uid 7ddr5tz6 differs")
    assert not out.exists()


# ---------------------------------------------------------------- contradictory types

ANNA3, BRAM3 = (CODERS / name / "r03.rock" for name in ("anna", "bram"))
SIGNED = "reputatie_heerlen_noord->kansrijke_instroom"  # anna causal_pos, bram causal_neg on 7dcc722d


def signed_rows(report) -> dict[str, dict]:
    return {r["code"].rpartition("||")[2]: r for r in report.conflicts if r["uid"] == "7dcc722d"}


@pytest.mark.parametrize("rule", ["all", "majority", "any"])
def test_opposite_signs_on_one_edge_are_a_contradiction_under_every_rule_and_neither_is_kept(tmp_path, rule):
    out = tmp_path / "r03.rock"
    report = merge([ANNA3, BRAM3], out, rule=rule)
    rows = signed_rows(report)
    assert set(rows) == {"causal_pos", "causal_neg"}
    for row in rows.values():
        assert row["kept"] is False
        assert row["note"].startswith("contradictory types: causal_pos (anna), causal_neg (bram)")
        # Only 'any' would have kept both; the others keep neither by their own count.
        assert row["note"].endswith("; neither sign kept") == (rule == "any")
    assert not {c for c in codes_by_uid(out)["7dcc722d"] if c.startswith(SIGNED)}
    lines = out.read_text(encoding="utf-8").split("\n")
    line = int(rows["causal_pos"]["out_ref"].rpartition(":")[2])
    assert lines[line - 3 : line - 1] == [
        f"# VERLICHT merge conflict: {SIGNED}||causal_pos applied by anna, not by bram; contradictory types: "
        f"causal_pos (anna), causal_neg (bram); {'neither sign kept' if rule == 'any' else 'not kept'} ({rule})",
        f"# VERLICHT merge conflict: {SIGNED}||causal_neg applied by bram, not by anna; contradictory types: "
        f"causal_pos (anna), causal_neg (bram); {'neither sign kept' if rule == 'any' else 'not kept'} ({rule})"]


def test_a_majority_for_one_sign_keeps_it_and_still_notes_the_contradiction(tmp_path):
    carla = tmp_path / "carla" / "r03.rock"
    carla.parent.mkdir()
    carla.write_text(ANNA3.read_text(encoding="utf-8").replace("[[coderId=anna]]", "[[coderId=carla]]"),
                     encoding="utf-8")
    out = tmp_path / "r03.rock"
    rows = signed_rows(merge([ANNA3, BRAM3, carla], out))
    assert (rows["causal_pos"]["kept"], rows["causal_neg"]["kept"]) == (True, False)
    assert rows["causal_neg"]["note"] == "contradictory types: causal_pos (anna, carla), causal_neg (bram)"
    assert f"{SIGNED}||causal_pos" in codes_by_uid(out)["7dcc722d"]
    rows = signed_rows(merge([ANNA3, BRAM3, carla], out, rule="any", force=True))
    assert not rows["causal_pos"]["kept"] and not rows["causal_neg"]["kept"]


def test_agreeing_signs_and_unsigned_causal_are_no_contradiction(tmp_path):
    anna, bram = tmp_path / "anna" / "s.rock", tmp_path / "bram" / "s.rock"
    for path, code in ((anna, "[[a->b||causal_pos]] [[c->d||causal]]"),
                       (bram, "[[a->b||causal_pos]] [[c->d||causal_neg]]")):
        path.parent.mkdir()
        path.write_text(f"[[uid=u1]] Zin een. {code}\n", encoding="utf-8")
    report = merge([anna, bram], tmp_path / "s.rock", rule="any")
    assert [(r["code"], r["note"]) for r in report.conflicts] == [("c->d||causal", None), ("c->d||causal_neg", None)]
    assert codes_by_uid(tmp_path / "s.rock")["u1"] == {"a->b||causal_pos", "c->d||causal", "c->d||causal_neg"}


def test_the_command_takes_the_polarity_of_the_workspaces_own_edge_types(tmp_path):
    workspace = tmp_path / "ws"
    shutil.copytree(CODERS.parent / "codebook_ops" / "tricky", workspace)  # its codebook: 'remt' has polarity -
    anna, bram = workspace / "coders" / "anna" / "s.rock", workspace / "coders" / "bram" / "s.rock"
    for path, type_ in ((anna, "causal_pos"), (bram, "remt")):
        path.parent.mkdir(parents=True)
        path.write_text(f"[[uid=u1]] Zin een. [[huur->stress||{type_}]]\n", encoding="utf-8")
    out = workspace / "s.rock"
    code, stdout, stderr = run("merge", str(anna), str(bram), "--out", str(out), "--rule", "any", "--format", "json",
                               workspace=workspace)
    assert (code, stderr) == (0, "")
    notes = {r["code"]: r["note"] for r in json.loads(stdout)["conflicts"]}
    assert notes == {c: "contradictory types: causal_pos (anna), remt (bram); neither sign kept"
                     for c in ("huur->stress||causal_pos", "huur->stress||remt")}
    report = merge([anna, bram], tmp_path / "builtin.rock", rule="any")  # without the codebook: 'remt' unknown
    assert [r["note"] for r in report.conflicts] == [None, None]


# ---------------------------------------------------------------- one reference, and a majority of two


def test_agreement_and_merge_name_the_same_reference_for_the_same_utterance(tmp_path):
    _, stdout, _ = run("agreement", str(ANNA), str(BRAM), "--disagreements", "--format", "json")
    agreed = {(r["uid"], r["ref"]) for r in json.loads(stdout)}
    _, stdout, _ = run("merge", str(ANNA), str(BRAM), "--out", str(tmp_path / "m.rock"), "--format", "json")
    merged = {(r["uid"], r["ref"]) for r in json.loads(stdout)["conflicts"] if r["against"]}
    assert agreed == merged
    assert ("7ddr5tz6", f"{ANNA}:42") in agreed


def test_merge_by_majority_of_two_coders_says_it_means_both(tmp_path):
    code, _, stderr = run("merge", str(ANNA), str(BRAM), "--out", str(tmp_path / "m.rock"))
    assert code == 0
    assert stderr.startswith("note: a code is kept only when both coders applied it (with two coders a majority "
                             "is both, as --rule all); every code one coder applied is a conflict, not kept — "
                             f"to settle each conflict by hand instead: verlicht code adjudicate {ANNA} {BRAM}")
    code, _, stderr = run("merge", str(ANNA), str(BRAM), str(CARLA), "--out", str(tmp_path / "m3.rock"))
    assert (code, stderr) == (0, "")  # three coders: a majority is a majority
