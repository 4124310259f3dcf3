"""Agreement between coders' copies, checked against independent implementations and published values."""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
import warnings
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from helpers import run
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from verlicht.coding.agreement import (
    agreement,
    agreement_between,
    alpha_nominal,
    cohen_kappa,
    percent_agreement,
    read_copies,
)
from verlicht.errors import CodingError
from verlicht.rock.reader import read_source

CODERS = Path(__file__).resolve().parents[1] / "data" / "coders"
ANNA, BRAM, CARLA = (CODERS / name / "r07.rock" for name in ("anna", "bram", "carla"))
FULL_TEXT = ("Dus wie ergens anders op straat komt te staan, na een scheiding of uit een instelling, die vindt hier "
             "binnen een paar weken iets.")  # uid 7ddr5tyg, 131 characters


def package_alpha(matrix: list[list]) -> float | None:
    """The krippendorff package's nominal alpha for coder-by-unit data (None as missing); None when it refuses."""
    data = np.array([[np.nan if v is None else float(v) for v in row] for row in matrix], dtype=float)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # 0/0 when nothing can be paired: nan
            value = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    except ValueError:  # "There has to be more than one value in the domain."
        return None
    return None if math.isnan(value) else value


def sklearn_kappa(first: list, second: list) -> float | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = cohen_kappa_score(first, second)
    return None if math.isnan(value) else float(value)


def units_of(matrix: list[list]) -> list[list]:
    """Coder-by-unit rows as our functions take them: unit by unit."""
    return [list(unit) for unit in zip(*matrix, strict=True)]


# ---------------------------------------------------------------- published values


def test_alpha_matches_krippendorffs_worked_example_with_missing_data():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal data, four observers,
    # twelve units, missing values: alpha = 0.743.
    n = None
    matrix = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    alpha = alpha_nominal(units_of(matrix))
    assert round(alpha, 3) == 0.743
    assert alpha == pytest.approx(package_alpha(matrix), abs=1e-9)


def test_alpha_matches_the_three_coder_example_with_missing_data():
    # The computational example of the Wikipedia article on Krippendorff's alpha: nominal alpha = 0.691.
    n = None
    matrix = [
        [n, n, n, n, n, 3, 4, 1, 2, 1, 1, 3, 3, n, 3],
        [1, n, 2, 1, 3, 3, 4, 3, n, n, n, n, n, n, n],
        [n, n, 2, 1, 3, 4, 4, n, 2, 1, 1, 3, 3, n, 4],
    ]
    assert round(alpha_nominal(units_of(matrix)), 3) == 0.691


def test_kappa_of_a_two_by_two_table():
    # 20 agree on yes, 15 on no, 10 + 5 disagree: p_o = 0.7, p_e = 0.5, kappa = 0.4.
    first = [1] * 20 + [0] * 15 + [1] * 10 + [0] * 5
    second = [1] * 20 + [0] * 15 + [0] * 10 + [1] * 5
    assert cohen_kappa(first, second) == pytest.approx(0.4, abs=1e-12)


# ---------------------------------------------------------------- random codings


values = st.one_of(st.none(), st.integers(min_value=0, max_value=3))
matrices = st.integers(min_value=2, max_value=5).flatmap(
    lambda coders: st.lists(st.lists(values, min_size=coders, max_size=coders), min_size=1, max_size=30))
binary = st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(matrices)
def test_alpha_equals_the_krippendorff_package_on_random_codings(units):
    matrix = [list(row) for row in zip(*units, strict=True)]
    ours, theirs = alpha_nominal(units), package_alpha(matrix)
    if ours is None:
        assert theirs is None
    else:
        assert theirs is not None and abs(ours - theirs) <= 1e-9


@settings(max_examples=300, deadline=None)
@given(binary)
def test_kappa_equals_sklearn_on_random_binary_codings(pairs):
    first, second = [a for a, _ in pairs], [b for _, b in pairs]
    ours, theirs = cohen_kappa(first, second), sklearn_kappa(first, second)
    if ours is None:
        assert theirs is None
    else:
        assert theirs is not None and abs(ours - theirs) <= 1e-9


def test_undefined_statistics_are_none_not_nan():
    everywhere = [[True, True]] * 5
    assert alpha_nominal(everywhere) is None
    assert cohen_kappa([1] * 5, [1] * 5) is None
    assert alpha_nominal([[1, None], [None, 2]]) is None  # nothing pairable
    assert percent_agreement([[1, None]]) is None


# ---------------------------------------------------------------- the coders' copies


def independent_matrix(paths: list[Path], kind: str) -> tuple[list[str], dict[str, list[list]]]:
    """Coder-by-unit data per variable, straight from the ROCK reader (not from the agreement module)."""
    sources = [read_source(p) for p in paths]
    applied = []
    for source in sources:
        per_uid = {}
        for u in source.utterances:
            if u.uid is None:
                continue
            if kind == "code":
                per_uid[u.uid] = {">".join(c.path) for c in u.codes} | {f"{v.code}||{v.value}" for v in u.values}
            else:
                per_uid[u.uid] = {f"{n.source}->{n.target}||{n.type}" for n in u.network}
        applied.append(per_uid)
    uids = list(dict.fromkeys(uid for per_uid in applied for uid in per_uid))
    uids = [uid for uid in uids if sum(uid in per_uid for per_uid in applied) >= 2]
    variables = sorted(set().union(*(codes for per_uid in applied for codes in per_uid.values())))
    return uids, {v: [[(int(v in per_uid[uid]) if uid in per_uid else None) for uid in uids] for per_uid in applied]
                  for v in variables}


@pytest.mark.parametrize("paths", [[ANNA, BRAM], [CODERS / "anna" / "r03.rock", CODERS / "bram" / "r03.rock"],
                                   [ANNA, BRAM, CARLA]], ids=["r07-two", "r03-two", "r07-three"])
@pytest.mark.parametrize("kind", ["code", "network"])
def test_statistics_on_the_test_copies_equal_the_independent_implementations(paths, kind):
    copies, _ = read_copies(paths)
    report = agreement(copies, kinds=[kind])
    uids, matrices = independent_matrix(paths, kind)
    rows = {row["code"]: row for row in report.statistics}
    assert set(rows) - {None} == set(matrices)
    assert rows[None]["units"] == len(uids)
    for variable, matrix in matrices.items():
        theirs = package_alpha(matrix)
        ours = rows[variable]["alpha"]
        assert (ours is None) == (theirs is None), variable
        if ours is not None:
            assert abs(ours - theirs) <= 1e-9, variable
        if len(paths) == 2:
            kappa = sklearn_kappa(*matrix)
            assert rows[variable]["kappa"] is not None and abs(rows[variable]["kappa"] - kappa) <= 1e-9
        else:
            assert rows[variable]["kappa"] is None
    pooled = [[value for v in sorted(matrices) for value in matrices[v][i]] for i in range(len(paths))]
    assert abs(rows[None]["alpha"] - package_alpha(pooled)) <= 1e-9
    if len(paths) == 2:
        assert abs(rows[None]["kappa"] - sklearn_kappa(*pooled)) <= 1e-9


def test_disagreements_name_the_code_the_coders_and_the_near_miss():
    copies, _ = read_copies([ANNA, BRAM])
    rows = agreement(copies).disagreements
    found = {(r["uid"], r["code"]): (r["applied_by"], r["not_applied_by"], r["note"]) for r in rows}
    assert found == {
        ("7ddr5tyg", "wonen>instroom"): (["anna"], ["bram"], None),
        ("7ddr5tys", "sociale_cohesie"): (["bram"], ["anna"], None),
        ("7ddr5tyx", "inponden->mengen_zonder_verdringen||causal_pos"): (["bram"], ["anna"],
                                                                          "anna has type structural"),
        ("7ddr5tyx", "inponden->mengen_zonder_verdringen||structural"): (["anna"], ["bram"],
                                                                          "bram has type causal_pos"),
        ("7ddr5tz6", "energiearmoede->schulden||causal_pos"): (
            ["anna"], ["bram"], "bram has it reversed (schulden->energiearmoede||causal_pos)"),
        ("7ddr5tz6", "schulden->energiearmoede||causal_pos"): (
            ["bram"], ["anna"], "anna has it reversed (energiearmoede->schulden||causal_pos)"),
        ("7ddr5tzk", "menging_inkomensgroepen->mengen_zonder_verdringen||structural"): (["anna"], ["bram"], None),
        ("7ddr5tzq", "samenwerking"): (["anna"], ["bram"], None),
        ("7ddr5u00", "vertrouwen"): (["bram"], ["anna"], None),
    }
    first = rows[0]
    assert (first["uid"], first["lines"]) == ("7ddr5tyg", {"anna": 30, "bram": 30})
    assert (first["path"], first["line"], first["ref"]) == (str(ANNA), 30, f"{ANNA}:30")
    assert first["text"] == FULL_TEXT  # whole: only the table shortens it


def test_a_weight_difference_is_no_disagreement():
    copies, _ = read_copies([ANNA, BRAM])
    rows = {r["code"]: r for r in agreement(copies, kinds=["network"]).statistics}
    assert rows["goedkope_woningen->instroom_kwetsbaren||causal_pos"]["alpha"] == 1.0


def test_coder_names_come_from_coderid_then_coder_argument_then_folder(tmp_path):
    copies, _ = read_copies([ANNA, BRAM, CARLA])
    assert [c.coder for c in copies] == ["anna", "bram", "carla"]  # carla's copy has no coderId
    renamed = tmp_path / "r07_tweede.rock"
    shutil.copyfile(CARLA, renamed)
    copies, _ = read_copies([ANNA, renamed], coders={str(renamed): "carla_v"})
    assert copies[1].coder == "carla_v"


def test_a_coder_argument_contradicting_the_coderid_is_a_located_error():
    with pytest.raises(CodingError) as error:
        read_copies([ANNA, BRAM], coders={str(BRAM): "carla"})
    assert str(error.value).startswith(f"{BRAM}:24: --coder says 'carla' but the copy is marked [[coderId=bram]]")


def test_two_copies_by_one_coder_are_refused(tmp_path):
    second = tmp_path / "anna" / "r07.rock"
    second.parent.mkdir()
    shutil.copyfile(ANNA, second)
    with pytest.raises(CodingError, match="two copies are by coder 'anna'"):
        read_copies([ANNA, second])


def test_a_copy_with_two_coder_ids_is_a_located_error(tmp_path):
    both = tmp_path / "r07.rock"
    both.write_text(ANNA.read_text(encoding="utf-8").replace("[[uid=7ddr5tz0]]", "[[coderId=bram]] [[uid=7ddr5tz0]]"),
                    encoding="utf-8")
    with pytest.raises(CodingError) as error:
        read_copies([both, BRAM])
    assert str(error.value).startswith(f"{both}:39: the copy is marked by more than one coder (anna, bram)")


def test_copies_of_different_sources_are_refused():
    with pytest.raises(CodingError, match="the copies share no utterance uid"):
        read_copies([ANNA, CODERS / "bram" / "r03.rock"])


def test_units_missing_from_one_copy_count_where_two_coders_have_them(tmp_path):
    short = tmp_path / "carla" / "r07.rock"
    short.parent.mkdir()
    lines = CARLA.read_text(encoding="utf-8").splitlines(keepends=True)
    short.write_text("".join(line for line in lines if "7ddr5tye" not in line and "7ddr5tyg" not in line),
                     encoding="utf-8")
    copies, read_warnings = read_copies([ANNA, BRAM, short])
    report = agreement(copies, warnings=read_warnings)
    assert report.units == 37  # every uid is in anna's and bram's copies
    [warning] = report.warnings
    assert warning.location.path == str(short)
    assert warning.message.startswith("2 utterance(s) of other copies are missing from carla's copy "
                                      "(7ddr5tye, 7ddr5tyg)")
    uids, matrices = independent_matrix([ANNA, BRAM, short], "code")
    rows = {r["code"]: r for r in report.statistics if r["kind"] == "code"}
    assert abs(rows["wonen>instroom"]["alpha"] - package_alpha(matrices["wonen>instroom"])) <= 1e-9
    assert matrices["wonen>instroom"][2][uids.index("7ddr5tyg")] is None


def test_a_code_every_coder_applies_everywhere_is_undefined_not_a_crash(tmp_path):
    paths = []
    for name in ("anna", "bram"):
        path = tmp_path / name / "kort.rock"
        path.parent.mkdir()
        path.write_text("[[uid=a1]] Ja. [[trots]]\n[[uid=a2]] Heel trots. [[trots]]\n", encoding="utf-8")
        paths.append(path)
    copies, _ = read_copies(paths)
    report = agreement(copies)
    codes, network = (r for r in report.statistics if r["code"] is None)
    trots = next(r for r in report.statistics if r["code"] == "trots")
    assert (trots["alpha"], trots["kappa"], trots["agreement"]) == (None, None, 1.0)
    assert trots["note"] == "undefined: every coder applied it to every utterance"
    assert (codes["alpha"], codes["note"]) == (None, "undefined: every coder applied it to every utterance")
    assert (network["alpha"], network["note"]) == (None, "undefined: no network edges applied")
    assert report.disagreements == []


def test_a_text_difference_is_a_located_warning_in_agreement():
    copies, _ = read_copies([ANNA, CODERS / "mismatch" / "dirk" / "r07.rock"])
    report = agreement(copies)
    [warning] = report.warnings
    assert str(warning.location) == f"{CODERS / 'mismatch' / 'dirk' / 'r07.rock'}:42"
    assert "the text of uid 7ddr5tz6 differs from anna's copy" in warning.message


# ---------------------------------------------------------------- the command


def test_agreement_command_as_json_reports_pooled_rows_and_disagreements():
    code, out, err = run("agreement", str(ANNA), str(BRAM), "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["coders"] == [{"coder": "anna", "path": str(ANNA)}, {"coder": "bram", "path": str(BRAM)}]
    assert report["units"] == 37
    assert [(r["kind"], r["code"], r["variables"]) for r in report["statistics"]] == [
        ("code", None, 6), ("network", None, 15)]
    copies, _ = read_copies([ANNA, BRAM])
    expected = agreement(copies, by_code=False).statistics
    assert [r["alpha"] for r in report["statistics"]] == [r["alpha"] for r in expected]
    assert len(report["disagreements"]) == 9
    assert report["warnings"] == []


@pytest.mark.parametrize(("flag", "kinds"), [("--codes", {"code"}), ("--network", {"network"}),
                                             ("--both", {"code", "network"})])
def test_agreement_command_limits_the_kinds(flag, kinds):
    code, out, _ = run("agreement", str(ANNA), str(BRAM), flag, "--by-code", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert {r["kind"] for r in report["statistics"]} == kinds
    assert {r["kind"] for r in report["disagreements"]} == kinds
    assert len(report["statistics"]) == sum({"code": 7, "network": 16}[k] for k in kinds)


def test_agreement_command_disagreements_as_csv():
    code, out, _ = run("agreement", str(ANNA), str(BRAM), "--disagreements", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["uid"], r["code"], r["applied_by"], r["not_applied_by"]) for r in rows][:2] == [
        ("7ddr5tyg", "wonen>instroom", "anna", "bram"), ("7ddr5tys", "sociale_cohesie", "bram", "anna")]
    assert rows[0]["ref"] == f"{ANNA}:30"
    assert rows[0]["text"] == FULL_TEXT


def test_agreement_command_gives_the_full_text_in_json_and_shortens_it_in_the_table_only(monkeypatch):
    monkeypatch.chdir(CODERS)  # paths as a coder types them: the ref column names them as given
    code, out, _ = run("agreement", str(ANNA), str(BRAM), "--disagreements", "--format", "json")
    assert code == 0
    assert json.loads(out)[0]["text"] == FULL_TEXT
    code, out, _ = run("agreement", str(ANNA), str(BRAM), "--format", "json")
    assert json.loads(out)["disagreements"][0]["text"] == FULL_TEXT
    code, out, _ = run("agreement", "anna/r07.rock", "bram/r07.rock", "--disagreements")
    assert FULL_TEXT not in out
    assert "anna/r07.rock:30" in out
    shown = FULL_TEXT[:69].rstrip() + "…"
    assert len(shown) == 70 and shown in out


def test_agreement_command_table_shows_both_tables_and_three_coders():
    code, out, _ = run("agreement", str(ANNA), str(BRAM), str(CARLA))
    assert code == 0
    assert out.startswith("Agreement of 3 coders (anna, bram, carla) on 37 utterances\n")
    assert "(all 6 codes)" in out and "(all 16 edges)" in out
    assert "\nDisagreements (14)\n" in out
    assert f"{ANNA}:30" in out  # one reference, though carla's copy (no coderId line) has it on line 29


def test_agreement_command_warns_about_missing_utterances_on_stderr(tmp_path):
    short = tmp_path / "carla" / "r07.rock"
    short.parent.mkdir()
    short.write_text("".join(line for line in CARLA.read_text(encoding="utf-8").splitlines(keepends=True)
                             if "7ddr5u0b" not in line), encoding="utf-8")
    code, _, err = run("agreement", str(ANNA), str(short), "--format", "json")
    assert code == 0
    assert err == (f"{short}: warning: 1 utterance(s) of other copies are missing from carla's copy (7ddr5u0b); "
                   "they count only where two or more coders have them — every coder should code a full copy "
                   "of the source\n")


def test_agreement_command_error_is_one_located_line():
    code, out, err = run("agreement", str(ANNA), str(BRAM), "--coder", f"{BRAM}=carla")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert err.startswith(f"error: {BRAM}:24: --coder says 'carla'")


def test_agreement_command_unreadable_copy_is_a_located_error(tmp_path):
    code, _, err = run("agreement", str(ANNA), str(tmp_path / "ontbreekt.rock"))
    assert code == 1
    assert err.startswith(f"error: {tmp_path / 'ontbreekt.rock'}: cannot read source")


def test_agreement_command_needs_two_copies():
    code, out, err = run("agreement", str(ANNA))
    assert (code, out) == (1, "")
    assert err.startswith("error: agreement and merge need at least two coders' copies — give one file per coder")


def test_at_pair_level_a_sign_flip_or_another_type_is_no_disagreement_but_a_reversal_is():
    copies, _ = read_copies([ANNA, BRAM])
    rows = agreement(copies, level="pair").disagreements
    found = {(r["uid"], r["code"]) for r in rows if r["kind"] == "network"}
    assert found == {("7ddr5tz6", "energiearmoede->schulden"), ("7ddr5tz6", "schulden->energiearmoede"),
                     ("7ddr5tzk", "menging_inkomensgroepen->mengen_zonder_verdringen")}
    signed = [CODERS / name / "r03.rock" for name in ("anna", "bram")]  # causal_pos against causal_neg on 7dcc722d
    edge = {r["code"] for r in agreement_between(signed).disagreements if r["uid"] == "7dcc722d"}
    pair = {r["code"] for r in agreement_between(signed, level="pair").disagreements if r["uid"] == "7dcc722d"}
    assert len(edge) == 2 and pair == set()


def test_agreement_command_level_pair_counts_fewer_edges():
    code, out, _ = run("agreement", str(ANNA), str(BRAM), "--level", "pair", "--format", "json")
    assert code == 0
    network = next(r for r in json.loads(out)["statistics"] if r["kind"] == "network" and r["code"] is None)
    assert network["variables"] == 14  # 15 at edge level: the pair coded structural and causal_pos counts once
    code, out, _ = run("agreement", str(ANNA), str(BRAM), "--format", "json")
    assert next(r for r in json.loads(out)["statistics"] if r["kind"] == "network")["variables"] == 15


def test_the_notebook_api_takes_the_level_too(demo):
    import verlicht

    for name in ("anna", "bram"):
        shutil.copytree(CODERS / name, demo / "coders" / name)
    ws = verlicht.open(demo)
    pair = ws.agreement("coders/anna/r07.rock", "coders/bram/r07.rock", level="pair")
    assert [r["variables"] for r in pair.statistics if r["kind"] == "network" and r["code"] is None] == [14]
    assert pair.disagreements[0]["ref"] == "coders/anna/r07.rock:30"  # workspace-relative, as the commands show
