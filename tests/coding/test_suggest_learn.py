"""The workspace's own coding as a dictionary (coding/suggest/learn.py), the nearest-concept fallback
(profiles.py), spaCy's lemma table in the normal form, and the miss analysis of the evaluation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import run

from verlicht.codebook import load_codebook
from verlicht.coding.suggest import Suggester, normal_form, teaching_sources
from verlicht.coding.suggest.learn import source_evidence
from verlicht.coding.suggest_eval import MISS_REASONS, evaluate, miss_reasons
from verlicht.rock import read_source
from verlicht.workspace import open_layout

DATA = Path(__file__).parent.parent / "data" / "coded"
TEACHING = DATA / "teaching" / "t01.rock"
NEW_WORD = "De woekeraar leidt tot stress bij de buren."


@pytest.fixture(scope="module")
def suggester() -> Suggester:
    return Suggester(load_codebook(DATA / "suggest_unit_codebook.yaml"))


def network(suggester: Suggester, text: str) -> set[str]:
    return {s.code for s in suggester.suggest(text) if s.kind == "network"}


def test_a_word_coders_linked_to_a_concept_twice_becomes_its_term(suggester):
    learned = suggester.learned([read_source(TEACHING)])
    assert learned.concepts.vocabulary == {normal_form("woekeraar"): {"schulden": 0.7}}
    assert network(suggester, NEW_WORD) == set()
    assert network(learned, NEW_WORD) == {"schulden->stress||causal_pos"}


def test_interviewers_lines_teach_nothing(suggester):
    evidence = source_evidence(read_source(TEACHING), suggester)
    word = normal_form("woekeraar")
    assert evidence.utterances[word] == 2  # the interviewer's "De woekeraar, zegt u?" is not counted
    assert evidence.linked[(word, "schulden")] == 2.0  # one piece of evidence per coded utterance
    assert not any(concept == "stress" for (w, concept) in evidence.linked if w == word)


def test_the_codebooks_own_terms_are_never_relearned(suggester):
    learned = suggester.learned([read_source(TEACHING)])
    assert normal_form("stress") not in learned.concepts.vocabulary


def test_an_evaluation_never_learns_from_the_source_it_scores(suggester):
    source = read_source(TEACHING)
    alone = evaluate([source], suggester)
    taught_by_itself = evaluate([source], suggester, learn_from=[source])
    assert taught_by_itself.rows() == alone.rows()


def test_the_nearest_concept_is_found_from_label_words_no_term_holds(suggester):
    # "problematische" is only in the label "Problematische schulden", never a term on its own.
    assert suggester.profiles.nearest([normal_form("problematische")])[0] == "schulden"
    assert suggester.profiles.nearest([normal_form("fietsenrek")]) is None
    assert suggester.profiles.nearest([]) is None


def test_the_lemma_table_joins_irregular_forms_the_hand_rules_miss():
    assert normal_form("gingen") == normal_form("gaan")
    assert normal_form("liep") == normal_form("lopen")
    assert normal_form("kinderen") == normal_form("kind")  # and the hand rules still hold


def test_every_coded_causal_code_gets_one_miss_reason(suggester):
    source = read_source(TEACHING)
    rows = miss_reasons([source], suggester)
    assert sum(r["codes"] for r in rows) == 2
    assert all(r["reason"].split(" (")[0] in MISS_REASONS for r in rows)
    taught = miss_reasons([source], suggester.learned([source]))
    assert "found" in {r["reason"] for r in taught}  # "leidt tot stress" now names both ends


def test_a_source_that_does_not_parse_teaches_nothing_and_stops_nothing(tmp_path):
    target = tmp_path / "coded"
    shutil.copytree(DATA, target)
    (target / "interviews" / "h00.rock").write_text("---\nROCK_attributes: [\n---\n[[uid=x]] kapot\n",
                                                    encoding="utf-8")
    names = [Path(s.path).name for s in teaching_sources(open_layout(target))]
    assert names == [f"h0{i}.rock" for i in range(1, 8)]


def test_suggest_learns_from_the_workspace_unless_told_not_to(tmp_path):
    target = tmp_path / "coded"
    shutil.copytree(DATA, target)
    shutil.copy(TEACHING, target / "interviews" / "t01.rock")
    new = target / "interviews" / "t02.rock"
    new.write_text(TEACHING.read_text(encoding="utf-8").split("[[uid=")[0]
                   + f"[[uid=t0101aa]] [[cid=T01]] {NEW_WORD}\n", encoding="utf-8")

    def codes(*extra: str) -> set[str]:
        code, out, err = run("suggest", str(new), "--format", "json", *extra, workspace=target)
        assert code == 0, err
        return {r["code"] for r in json.loads(out) if r["kind"] == "network"}

    assert "schulden->stress||causal_pos" in codes()
    assert "schulden->stress||causal_pos" not in codes("--no-learn")


def test_a_side_no_term_names_gets_the_nearest_concept_weakly_and_says_so(suggester):
    # "debts" is in no term, only in the English label of schulden ("Problematic debts"), so in its profile.
    [found] = [s for s in suggester.suggest("Die debts leiden tot stress.") if s.kind == "network"]
    assert found.code == "schulden->stress||causal_pos"
    assert found.score < 0.5  # below any claim whose two ends a term names
    assert found.reason.endswith("schulden: nearest concept, no term")
    assert "schulden" not in {s.code for s in suggester.suggest("Die debts leiden tot stress.") if s.kind == "code"}
