"""Scoring by the annotation guide: a title a set's writer put inside a person span need not be replaced."""

from __future__ import annotations

from anondata import DATA

from verlicht.anonymise.evaluate import read_set, score
from verlicht.anonymise.rules import Found


def passage(text: str, name: str) -> dict:
    start = text.index(name)
    return {"id": "p1", "text": text, "keep": [],
            "spans": [{"start": start, "end": start + len(name), "label": "PERSOON", "text": name}]}


def only(word: str):
    def detect(text: str) -> list[Found]:
        start = text.index(word)
        return [Found(start, start + len(word), "PERSOON")]
    return detect


def test_a_title_inside_a_gold_person_span_need_not_be_covered():
    text = "Toen kwam mevrouw Ploumen langs, en daarna Mw. de Vries."
    for name, surname in (("mevrouw Ploumen", "Ploumen"), ("Mw. de Vries", "de Vries")):
        guide = score([passage(text, name)], only(surname))
        labelled = score([passage(text, name)], only(surname), as_labelled=True)
        assert guide.recall(["PERSOON"]) == 1.0
        assert labelled.recall(["PERSOON"]) == 0.0
        assert labelled.misses == [("p1", "PERSOON", name)]


def test_the_name_after_the_title_must_still_be_covered():
    text = "Ik heb juf Sandra Hermans gebeld."
    result = score([passage(text, "juf Sandra Hermans")], only("Sandra"))
    assert result.recall(["PERSOON"]) == 0.0


def test_a_name_that_starts_like_a_title_is_not_cut():
    text = "Daar zat meesterkok Jan, zei ze."
    result = score([passage(text, "meesterkok Jan")], only("Jan"))
    assert result.recall(["PERSOON"]) == 0.0


def test_a_lone_title_labelled_as_a_person_must_be_covered():
    text = "Toen zei Juf dat het klaar was."
    assert score([passage(text, "Juf")], only("zei")).recall(["PERSOON"]) == 0.0


def test_the_second_blind_set_scores_higher_by_the_guide_than_as_labelled(detector):
    passages = read_set(DATA / "blind_persons2.jsonl")
    guide = score(passages, detector.find)
    labelled = score(passages, detector.find, as_labelled=True)
    titled = [m for m in labelled.misses if m not in guide.misses]
    assert titled and all(" " in text for _, _, text in titled)
    assert guide.recall(["PERSOON"]) > labelled.recall(["PERSOON"])
