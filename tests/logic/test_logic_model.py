"""Intervention logic models (logic/*.yaml): the reader, its located errors, the reference checks, the build."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest
import yaml
from helpers import DATA, REPO, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import verlicht
from verlicht.errors import BuildError
from verlicht.graph.inputs import CACHE_FILE
from verlicht.logic import STAGES, check_references, logic_files, read_logic_model, read_logic_models

LOGIC = DATA / "logic"
CONCEPTS = {"huisbezoeken_ouders", "peuteropvang_deelname", "spanning_aanbellen", "vertrouwen_in_instanties"}
GOALS = set(range(1, 13))


def read(name: str):
    path = LOGIC / name
    return read_logic_model(path, f"logic/{path.name}")


def test_good_file_reads_into_steps_arrows_and_mechanisms():
    model, errors = read("good.yaml")
    assert errors == []
    assert (model.key, model.label_nl, model.label_en) == ("peuters_test", "Meer peuters naar opvang",
                                                           "More toddlers to childcare")
    assert [(s.key, s.stage) for s in model.steps] == [
        ("plusfunctionarissen", "middelen"), ("aanbellen", "activiteiten"), ("gesprekken", "prestaties"),
        ("naar_opvang", "effecten")]
    effect = model.step("naar_opvang")
    assert (effect.indicators, effect.concepts, effect.goals) == (
        ("formele_kinderopvang",), ("peuteropvang_deelname",), (6, 11))
    assert model.step("aanbellen").concepts == ("huisbezoeken_ouders",)  # one id without a list
    assert model.step("plusfunctionarissen").measure == "ingezette uren"
    assert [(a.source, a.target) for a in model.arrows] == [
        ("plusfunctionarissen", "aanbellen"), ("aanbellen", "gesprekken"), ("gesprekken", "naar_opvang")]
    free, concept_only, both = (a.mechanisms[0] for a in model.arrows)
    assert (free.key, free.text_nl, free.concept) == ("ik_spreek_de_taal", "Ik spreek de taal", None)
    assert (concept_only.key, concept_only.text_nl, concept_only.concept) == (
        "spanning_aanbellen", "", "spanning_aanbellen")
    assert (both.key, both.text_en, both.concept) == ("vertrouwen", "I trust the lady from the POVH",
                                                      "vertrouwen_in_instanties")
    assert model.warnings == ()
    assert check_references([model], {"formele_kinderopvang"}, CONCEPTS, GOALS) == []


def test_the_demo_and_template_models_read_cleanly():
    for folder in (REPO / "logic", REPO / "verlicht" / "templates" / "workspace" / "logic"):
        files = logic_files(folder)
        assert files, folder
        models, errors = read_logic_models((p, p.name) for p in files)
        assert errors == []
        assert all(not m.warnings for m in models)
    peuters, _ = read_logic_model(REPO / "logic" / "meer_peuters_naar_opvang.yaml", "x")
    assert [s.stage for s in peuters.steps] == ["middelen", "activiteiten", "activiteiten", "prestaties",
                                                  "effecten"]
    mechanisms = [m.text_nl for a in peuters.arrows for m in a.mechanisms]
    assert mechanisms == ["Ik spreek de taal", "Aanbellen is best spannend",
                          "Ik heb vertrouwen in de mevrouw van de POVH"]


@pytest.mark.parametrize(("name", "where", "message", "hint"), [
    ("unknown_kind.yaml", 7, "step 'doen' has unknown kind 'activitijten'", "did you mean 'activiteiten'?"),
    ("order.yaml", 10, "step order violated: arrow from effecten 'effect' goes back to middelen 'inzet'",
     "arrows run middelen → activiteiten → prestaties → effecten"),
    ("same_stage.yaml", 10, "step order violated: arrow from activiteiten 'aanbellen' stays within activiteiten",
     "arrows run middelen"),
    ("dangling.yaml", 11, "dangling arrow: 'to: gesprekke' names no step of this model",
     "did you mean 'gesprekken'?"),
    ("duplicate_step.yaml", 6, "step 'inzet' is defined twice (first on line 3)", "give each step its own id"),
    ("duplicate_key.yaml", 7, "key 'measure' is defined twice (first on line 6)", "keep one of the two"),
    ("goals_on_activity.yaml", 6, "step 'aanbellen' is activiteiten but has goals", "only effecten steps"),
    ("mechanism_indicators.yaml", 14, "a mechanism on the arrow inzet -> effect has indicators",
     "measured through its concept"),
    ("unknown_key.yaml", 6, "unknown key 'indicator' in a step", "did you mean 'indicators'?"),
    ("comma_text.yaml", 5, "'text' of step 'inzet' has 'tijd en mensen' besides nl and en", "in quotes"),
    ("not_yaml.yaml", 5, "YAML does not parse", "check indentation"),
    ("no_steps.yaml", 1, "a logic model needs a list of steps", "'steps:'"),
    ("no_text.yaml", 3, "step 'inzet' has no 'text'", "text: {nl: …, en: …}"),
    ("Not-an-id.yaml", 1, "'Not-an-id' cannot be an intervention id", "write 'id: …'"),
])
def test_malformed_file_is_a_located_error_with_a_hint(name, where, message, hint):
    model, errors = read(f"bad/{name}")
    assert model is None
    [error] = errors
    assert (error.location.path, error.location.line) == (f"logic/{name}", where)
    assert error.message.startswith(message)
    assert hint in error.hint


def test_every_problem_of_a_file_is_reported_at_once():
    _model, errors = read("bad/many.yaml")
    assert [(e.location.line, e.message.split(":")[0]) for e in errors] == [
        (7, "step 'effect' has unknown kind 'resultaat'"),
        (13, "step order violated"),
        (16, "dangling arrow"),
    ]


def test_unknown_indicator_concept_and_goal_are_located_with_suggestions():
    model, errors = read("refs.yaml")
    assert errors == []
    found = check_references([model], {"formele_kinderopvang"}, CONCEPTS, GOALS)
    assert [(e.location.line, e.message, e.hint) for e in found] == [
        (10, "step 'resultaat' names unknown indicator 'formele_kinderopvnag'",
         "did you mean 'formele_kinderopvang'?"),
        (11, "step 'resultaat' names unknown concept 'onbekend_begrip'",
         "add it to ontology/codebook.yaml, or fix the code"),
        (12, "step 'resultaat' names unknown goal 13", "the programme goals are numbered 1–12"),
        (17, "mechanism 'vertrouwn_in_instanties' on the arrow inzet -> resultaat names unknown concept "
             "'vertrouwn_in_instanties'", "did you mean 'vertrouwen_in_instanties'?"),
    ]


def test_step_on_no_arrow_and_model_without_effect_are_warnings(tmp_path):
    path = tmp_path / "los.yaml"
    path.write_text("steps:\n  - {id: inzet, kind: middelen, text: Inzet}\n"
                    "  - {id: doen, kind: activiteiten, text: Doen}\n", encoding="utf-8")
    model, errors = read_logic_model(path, "logic/los.yaml")
    assert errors == []
    assert [(str(w.location), w.message) for w in model.warnings] == [
        ("logic/los.yaml:2", "step 'inzet' is on no arrow"),
        ("logic/los.yaml:3", "step 'doen' is on no arrow"),
        ("logic/los.yaml:1", "intervention 'los' has no effecten step"),
    ]


def test_the_same_intervention_id_in_two_files_is_an_error(tmp_path):
    for name in ("een.yaml", "twee.yaml"):
        (tmp_path / name).write_text("id: zelfde\nsteps:\n  - {id: x, kind: effecten, text: X}\n", encoding="utf-8")
    models, errors = read_logic_models((p, f"logic/{p.name}") for p in logic_files(tmp_path))
    assert [m.path for m in models] == ["logic/een.yaml", "logic/twee.yaml"]
    assert [str(e) for e in errors] == [
        "logic/twee.yaml:1: intervention 'zelfde' is also described in logic/een.yaml — give each intervention "
        "its own 'id:' (it defaults to the file name)"]


def test_only_yaml_files_are_models(tmp_path):
    for name in ("b.yml", "a.yaml", "README.md", ".verborgen.yaml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.name for p in logic_files(tmp_path)] == ["a.yaml", "b.yml"]
    assert logic_files(tmp_path / "ontbreekt") == []


ids = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
                max_size=30).map(lambda t: " ".join(t.split())).filter(bool)


@st.composite
def models(draw):
    keys = draw(st.lists(ids, min_size=1, max_size=6, unique=True))
    stages = {key: draw(st.sampled_from(STAGES)) for key in keys}
    steps = [{"id": key, "kind": stages[key], "text": draw(texts)} for key in keys]
    pairs = [(a, b) for a in keys for b in keys if STAGES.index(stages[a]) < STAGES.index(stages[b])]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=6)) if pairs else []
    arrows = [{"from": a, "to": b, "mechanisms": draw(st.lists(texts, max_size=2, unique_by=slug_of))}
              for a, b in chosen]
    return {"label": draw(texts), "steps": steps, "arrows": arrows}


def slug_of(text: str) -> str:
    from verlicht.logic.reader import slug

    return slug(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(models())
def test_a_written_model_reads_back_as_written(tmp_path, data):
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    model, errors = read_logic_model(path, "logic/m.yaml")
    if any(not slug_of(m) for arrow in data["arrows"] for m in arrow["mechanisms"]):
        assert errors and "no letters or digits" in errors[0].message
        return
    assert errors == []
    assert model.label_nl == data["label"]
    assert [(s.key, s.stage, s.text_nl) for s in model.steps] == [
        (s["id"], s["kind"], s["text"]) for s in data["steps"]]
    assert [(a.source, a.target, [m.text_nl for m in a.mechanisms]) for a in model.arrows] == [
        (a["from"], a["to"], a["mechanisms"]) for a in data["arrows"]]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.sampled_from("steps:arow-{}[]:,' \n idkntxfmechaslo0123"), max_size=120))
def test_any_text_gives_a_model_or_located_errors_never_a_crash(tmp_path, text):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    model, errors = read_logic_model(path, "logic/x.yaml")
    assert (model is None) == bool(errors)
    assert all(e.location.path == "logic/x.yaml" for e in errors)


def test_stages_are_the_schemes_four():
    assert STAGES == ("middelen", "activiteiten", "prestaties", "effecten")


# -- the build ---------------------------------------------------------------------------------------------

@pytest.fixture
def goalcase(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DATA / "workspaces" / "goalcase", tmp_path / "goalcase"))


def test_build_stops_on_a_broken_logic_model_and_keeps_the_old_graph(goalcase):
    assert run("build", workspace=goalcase)[0] == 0
    before = (goalcase / "graphs" / "verlicht.json").read_bytes()
    shutil.copyfile(LOGIC / "bad" / "many.yaml", goalcase / "logic" / "many.yaml")
    code, _out, err = run("build", workspace=goalcase)
    assert code == 1
    assert err.splitlines()[:3] == [
        "error: logic/many.yaml:7: step 'effect' has unknown kind 'resultaat' — did you mean 'prestaties'?",
        "error: logic/many.yaml:13: step order violated: arrow from effecten 'effect2' goes back to middelen "
        "'inzet' — arrows run middelen → activiteiten → prestaties → effecten",
        "error: logic/many.yaml:16: dangling arrow: 'to: niets' names no step of this model — did you mean "
        "'inzet'?",
    ]
    assert "Traceback" not in err
    assert (goalcase / "graphs" / "verlicht.json").read_bytes() == before


def test_build_reports_unknown_references_with_the_other_errors(goalcase):
    model = goalcase / "logic" / "x_programma.yaml"
    model.write_text(model.read_text(encoding="utf-8").replace("indicators: [ind_out]", "indicators: [ind_uit]"),
                     encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        verlicht.open(goalcase).build()
    assert [str(e) for e in caught.value.errors] == [
        "logic/x_programma.yaml:17: step 'telling' names unknown indicator 'ind_uit' — did you mean 'ind_out'?"]


def test_an_indicator_removed_from_the_catalogue_is_caught_although_the_model_is_cached(goalcase):
    ws = verlicht.open(goalcase)
    ws.build()
    catalogue = goalcase / "indicators" / "indicators.csv"
    catalogue.write_text("\n".join(line for line in catalogue.read_text(encoding="utf-8").splitlines()
                                   if not line.startswith("ind_out")) + "\n", encoding="utf-8")
    with pytest.raises(BuildError, match="1 error"):
        ws.build()


def test_logic_models_are_cached_with_the_inputs_and_an_edit_shows_in_the_graph(goalcase):
    ws = verlicht.open(goalcase)
    ws.build()
    cache = orjson.loads((goalcase / "graphs" / CACHE_FILE).read_bytes())
    assert len(cache["inputs"]) == 3  # catalogue, codebook, logic models
    first = (goalcase / "graphs" / "verlicht.json").read_bytes()
    ws.build()  # from the cache: the same bytes
    assert (goalcase / "graphs" / "verlicht.json").read_bytes() == first
    model = goalcase / "logic" / "x_programma.yaml"
    model.write_text(model.read_text(encoding="utf-8").replace("text: Folders", "text: Flyers"), encoding="utf-8")
    ws.build()
    assert ws.graph.nodes["step:x_programma/folder"]["text_nl"] == "Flyers"
    (goalcase / "logic" / "x_programma.yaml").unlink()
    ws.build()
    assert not list(ws.graph.of_kind("Step"))
    assert ws.graph.header["counts"]["interventions"] == 0


def test_the_readme_logic_errors_point_to_is_in_the_demo_and_the_template(demo):
    bad = demo / "logic" / "kapot.yaml"
    bad.write_text("- alleen een lijst\n", encoding="utf-8")
    model, errors = read_logic_model(bad, "logic/kapot.yaml")
    assert model is None and "(see logic/README.md)" in errors[0].hint
    readme = (demo / "logic" / "README.md").read_text(encoding="utf-8")
    assert readme == (REPO / "verlicht" / "templates" / "workspace" / "logic" / "README.md").read_text(encoding="utf-8")
    assert "## The format" in readme
    bad.unlink()
    code, _, err = run("build", "--strict", workspace=demo)  # the README is no model
    assert code == 0, err
