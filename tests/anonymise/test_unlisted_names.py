"""Lower-case names that no name list holds (names of many origins), told from Dutch words, dialect and compounds by
the language data; listed first names that are words too, introduced by where the person works."""

from __future__ import annotations

import pytest
from anondata import DATA, persons

from verlicht.anonymise.evaluate import read_set, score
from verlicht.anonymise.unlisted import find_unlisted_names, is_compound, is_unknown


def unlisted(text: str) -> list[str]:
    return [text[f.start:f.end] for f in find_unlisted_names(text)]


@pytest.mark.parametrize(("text", "names"), [
    ("R: Toen zei ik tegen wojtek: zo gaat dat niet.", ["wojtek"]),
    ("R: Ik ben met tsegay naar het loket gegaan.", ["tsegay"]),
    ("R: Mijn buurman, daniyar seitkali, helpt iedereen met de formulieren.", ["daniyar seitkali"]),
    ("R: In de klas zat ik naast svitlana melnyk uit Odesa.", ["svitlana melnyk"]),
    ("R: Ze noemen hem bilo, maar hij heet abdirahman.", ["bilo", "abdirahman"]),
    ("R: Dat is abdirahman's fiets, die staat altijd hier.", ["abdirahman"]),
    ("R: Bij ons kwamen wojtek, tsegay en fatima elke week.", ["wojtek", "tsegay", "fatima"]),
    ("R: Ik werk samen met marieke Schrijnemakers van de thuiszorg.", ["marieke", "Schrijnemakers"]),
    ("R: Toen heeft karel van de wijkraad het opgepakt.", ["karel"]),
])
def test_a_name_no_list_holds_is_found_where_a_person_stands(text, names):
    assert unlisted(text) == names


@pytest.mark.parametrize("text", [
    "R: Hoe kijkt u aan tegen menging in de wijk?",  # a noun made from a verb (mengen)
    "R: Ik ben tegen armoedebeleid dat niemand helpt.",  # a compound of two common words
    "R: Mien vader zei altied: doe normaal.",  # Limburg spelling of "altijd"
    "R: Ouch nao d'r dood is alles anders.",  # Limburg "na"
    "R: Dat merkte je ook met vastelaovend.",  # a long dialect word
    "R: Het lot van de mijnwerkers was zwaar.",  # an article: a noun, not a name at work
    "R: Hij was de sterkste man van Hoensbroek.",  # an adjective before it
])
def test_dutch_words_dialect_and_compounds_stay_words(text):
    assert unlisted(text) == []


def test_unknown_means_no_dutch_word_by_any_lexicon():
    assert is_unknown("tsegay") and is_unknown("wojtek")
    assert not is_unknown("gemeente") and not is_unknown("altied") and not is_unknown("negentig")
    assert is_compound("wijkteam") and not is_compound("hussam")


def test_the_detector_finds_other_mentions_of_an_unlisted_name(detector):
    text = "R: Toen zei ik tegen wojtek, luister eens. En wojtek zegt: dat weet ik niet."
    assert persons(detector, text) == ["wojtek", "wojtek"]


def test_third_blind_set_keeps_its_floor(detector):
    # Written blind (80 passages, 138 names, 115 in lower case, many of other origins), then used as development
    # data: person recall 0.609 -> 0.884 (0.913 after the fourth round), precision 0.969 -> 0.977, keep 0.993.
    result = score(read_set(DATA / "blind_persons3.jsonl"), detector.find)
    assert result.recall(["PERSOON"]) >= 0.91, result.misses
    assert result.precision >= 0.97, result.false
    assert result.keep_rate >= 0.99, result.dropped_keep


def test_world_first_names_are_names_of_many_origins_and_no_dutch_words():
    from verlicht.anonymise.lexicon import world_first_names
    from verlicht.anonymise.lowercase import _world_names, first_names

    world = world_first_names()
    assert {"oksana", "dmytro", "ionut", "andreea", "desislava", "svetla", "iryna"} <= world
    # Names that are common Dutch words are left to deduce's list and the context rules.
    assert not {"door", "wil", "roos", "ben", "kent", "frank"} & world
    # Limburg spellings of Dutch words are no first names in a Heerlen transcript.
    assert not {"hie", "dao", "nao", "kiek"} & _world_names()
    assert "georgi" in first_names()


@pytest.mark.parametrize(("text", "names"), [
    ("R: Eh, oksana geeft nu zelfs les op de taalschool, en dmytro, d'r zoon, zit al in de brugklas.",
     ["oksana", "dmytro"]),
    ("R: Uhm, ionut en andreea van de Roemeense kerk, en een vrouw van Woonpunt.", ["ionut", "andreea"]),
    ("R: Haar man georgi kan het niet lezen, ook niet in het Bulgaars.", ["georgi"]),
    ("R: Hij en z'n vrouw svetla wonen sinds januari in Rennemig.", ["svetla"]),
])
def test_names_of_other_origins_in_the_world_list_are_found_in_lower_case(detector, text, names):
    assert persons(detector, text) == names


@pytest.mark.parametrize("text", [
    "R: Mien vader zei altied: kiek, dao is hie weer.",  # Limburg words that are names elsewhere
    "R: Nao de vergadering ging iedereen naar huis.",
])
def test_dialect_words_that_are_names_elsewhere_stay_words(detector, text):
    assert persons(detector, text) == []


def test_fourth_blind_set_keeps_its_floor(detector):
    # Written blind (80 passages, 164 names), measured once at 0.799, then development data: with the world
    # first-name list 0.848, with appositions, "heet hij X", titles and "X van hiernaast" 0.909, "die X" 0.921;
    # precision 0.930 -> 0.968, keep 0.941 -> 0.975 (idioms in the keep-list).
    result = score(read_set(DATA / "blind_persons4.jsonl"), detector.find)
    assert result.recall(["PERSOON"]) >= 0.92, result.misses
    assert result.precision >= 0.96, result.false
    assert result.keep_rate >= 0.97, result.dropped_keep


@pytest.mark.parametrize(("text", "names"), [
    ("R: Het wiel van m'n rolstoel was kapot en toen heeft wiel van hiernaast het gemaakt.", ["wiel"]),
    ("R: Ik heb zelf een roos geplant, en roos van de bibliotheek heeft er een bordje bij gemaakt.", ["roos"]),
])
def test_a_first_name_that_is_a_word_is_found_where_the_person_lives_or_works(detector, text, names):
    assert persons(detector, text) == names


@pytest.mark.parametrize("text", [
    "R: Vroeger liepen de kinderen hier frank en vrij over straat.",  # an idiom in the keep-list
    "R: Ze denken zeker dat ik gekke henkie ben.",
    "R: Kiek, het is hier een beetje jantje lacht, jantje huilt.",
])
def test_idioms_with_a_first_name_stay(detector, text):
    assert persons(detector, text) == []


def test_a_name_found_once_is_no_name_before_a_number(detector):
    text = "R: Je krijgt max drie maanden een pakket, zei max van de voedselbank."
    assert [(f.start, text[f.start:f.end]) for f in detector.find(text) if f.label == "PERSOON"] == \
        [(text.rindex("max"), "max")]


@pytest.mark.parametrize(("text", "names"), [
    ("R: Die georgi vertelde me dat hij vierhonderd euro per maand betaalt.", ["georgi"]),
    ("R: Bij ons wonen drie gezinnen. Die yonas werkt nu bij de schoonmaak.", ["yonas"]),
    ("R: Er was een meisje, oksana kovalenko, die deed onderzoek. Heel aardig, die oksana.",
     ["oksana kovalenko", "oksana"]),
])
def test_a_spoken_die_before_a_rare_name_points_at_a_person(detector, text, names):
    assert persons(detector, text) == names


def test_die_before_a_noun_that_is_a_name_too_keeps_the_noun(detector):
    assert persons(detector, "R: Die merel zit elke ochtend op het dak, en de toon van dat beestje, echt sjoen.") \
        == []


def test_fifth_blind_set_keeps_its_blind_figure(detector):
    # Written blind (80 passages, 170 names, 148 lower-case first names of 122 distinct names) and scored by the
    # lead without reading its misses: 0.735 at stop 10, 0.824 after the third round, 0.906 after the fourth
    # (precision 0.970, keep 0.975). Committed afterwards; from here on it is development data.
    result = score(read_set(DATA / "blind_persons5.jsonl"), detector.find)
    assert result.recall(["PERSOON"]) >= 0.90, result.misses
    assert result.precision >= 0.96, result.false
    assert result.keep_rate >= 0.97, result.dropped_keep
