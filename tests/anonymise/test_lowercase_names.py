"""Lone first names typed in lower case mid-sentence, told from Dutch words by spaCy's lemma tables and wordfreq."""

from __future__ import annotations

import pytest
from anondata import DATA

from verlicht.anonymise.evaluate import read_set, score
from verlicht.anonymise.lexicon import is_adjective, is_inflected_or_function_word, zipf
from verlicht.anonymise.rules import find_all, find_lowercase_first_names


def names(text: str) -> list[str]:
    return [text[f.start:f.end] for f in find_lowercase_first_names(text)]


@pytest.mark.parametrize(("text", "name"), [
    ("Dat heb ik toen met fieke besproken.", "fieke"),
    ("Mijn buurvrouw truus let op de kinderen.", "truus"),
    ("En dan zegt sjeng tegen mij: dat gaat nooit goed.", "sjeng"),
    ("Toen belde jos van de overkant.", "jos"),
    ("De wijkagent, ger, komt hier nog wel eens langs.", "ger"),
    ("Mijn man wiel werkte vroeger op de mijn.", "wiel"),
])
def test_lower_case_first_name_in_a_persons_context_is_found(text, name):
    assert names(text) == [name]


@pytest.mark.parametrize("text", [
    "Die wiel van mijn fiets was weer eens lek.",
    "Ik heb goede hoop dat het beter wordt.",
    "Het is een zaak van de lange adem, zoals bleek.",
    "De gemeente onderkent de ernst en omvang van de problemen.",
    "We gaan morgen mee met de bus.",
    "De armen worden armer en de witte huizen worden gesloopt.",
    "Hij heeft een koop gesloten met de corporatie.",
])
def test_dutch_words_that_are_also_first_names_stay(text):
    assert names(text) == []
    assert not [f for f in find_all(text) if f.label == "PERSOON"]


def test_language_data_comes_from_the_packages():
    assert is_inflected_or_function_word("armen") and is_inflected_or_function_word("wilt")
    assert not is_inflected_or_function_word("fieke")
    assert is_adjective("lange") and not is_adjective("buurvrouw")
    assert zipf("hoop") > zipf("jos") > zipf("sjeng") > 0


def test_dev_set_of_lower_case_names_is_fully_found(detector):
    result = score(read_set(DATA / "dev3.jsonl"), detector.find)
    assert result.recall(["PERSOON"]) == 1.0, result.misses
    assert result.precision == 1.0, result.false


def test_blind_held_out_set_keeps_its_floor(detector):
    # Measured blind at 0.64 (see docs/DESIGN.md); the floor guards what was reached, not the 0.95 goal.
    result = score(read_set(DATA / "test_lowercase.jsonl"), detector.find)
    assert result.recall(["PERSOON"]) >= 0.70, result.misses
    assert result.precision >= 0.90, result.false
    assert result.keep_rate == 1.0, result.dropped_keep
