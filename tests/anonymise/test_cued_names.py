"""First names that a family word, a family apposition, a prefixed surname or a verb points at; diminutives of
listed names; idioms and public names with a first name in them stay (the shipped keep-list)."""

from __future__ import annotations

import pytest
from anondata import persons
from hypothesis import given, settings
from hypothesis import strategies as st

from verlicht.anonymise.cued import find_cued_names
from verlicht.anonymise.lowercase import first_names
from verlicht.anonymise.rules import _lexicon


def cued(text: str) -> list[str]:
    return [text[f.start:f.end] for f in find_cued_names(text)]


@pytest.mark.parametrize(("text", "names"), [
    ("R: Mien oom lei, die zei altied: rustig aan.", ["lei"]),  # a name that is a word, after a family word
    ("R: Mijn nicht ad, die woont in Hoensbroek.", ["ad"]),  # two letters, before a comma
    ("R: En toen kwam oom Roos ook nog, helemaal uit Sittard.", ["Roos"]),  # capitalised after the family word
    ("R: Ome Pier zegt nog altied dat het vroeger beter was.", ["Pier"]),
    ("R: Ik heb lang voor bas gezorgd, dat is mien oudste.", ["bas"]),  # before a family apposition
    ("R: die roos, dat is de zus van mien vader.", ["roos"]),
    ("R: kees en mark zijn mijn kleinkinderen, die komen woensdag.", ["kees", "mark"]),
    ("R: via ingrid van den berkmortel kwam ik daar terecht.", ["ingrid van den berkmortel"]),
    ("R: die kende daar sandra van de administratie.", ["sandra"]),
    ("R: dat heb ik noortje ook gezegd.", ["noortje"]),
    ("R: Die is de enige die tygo rustig krijgt.", ["tygo"]),
])
def test_a_first_name_the_context_points_at_is_found(text, names):
    assert cued(text) == names


@pytest.mark.parametrize("text", [
    "R: Mijn broer ook, die woont nog in de wijk.",  # a function word after a family word
    "R: De buurman zegt dat de bus niet meer komt.",  # no possessive, no capital
    "R: Hej, kiek, dat is mien kleindochter.",  # an interjection alone before the apposition
    "R: De roos, dat is mijn lievelingsbloem.",  # an article: a noun, and no family word after it
    "R: Wij wonen hier al lang, dat is mijn thuis.",
    "R: Ja, jessica van de crèche, die kent iedereen.",  # "crèche" is no surname
    "R: Het is een zaak van de lange adem.",
])
def test_words_in_those_places_stay_words(text):
    assert cued(text) == []


def test_diminutives_of_listed_first_names_count_as_first_names():
    first = first_names()
    assert {"hubke", "sjefke", "keesje", "jantje"} <= first
    assert "hubke" not in _lexicon("first")


def test_a_diminutive_is_found_and_recurs(detector):
    text = "R: Ja, met sjefke, dat is de zoon van de buren, daar speelde ik mee. sjefke zien vader werkte op de mijn."
    assert persons(detector, text) == ["sjefke", "sjefke"]


@pytest.mark.parametrize("text", [
    "R: En dan is het klaar is Kees, zo gaat dat hier.",
    "R: Waarom ze dat doen? Joost mag ut weten.",
    "R: Om negen uur komt Klaas Vaak al, bij de kleine.",
    "R: Dat is geen Jan Modaal meer, met zo'n inkomen.",
    "R: Ik doe m'n boodschappen bij de Albert Heijn, net als iedereen.",
    "R: Toen kwam Willem-Alexander hier op bezoek.",
])
def test_idioms_and_public_names_with_a_first_name_stay(detector, text):
    assert persons(detector, text) == []


def test_a_possessive_before_a_later_mention_makes_it_a_noun(detector):
    text = "R: Mien buurman sjef, die helpt iedereen. Mer mien sjef op ut werk snapt dat neet."
    assert persons(detector, text) == ["sjef"]


WORDS = st.sampled_from(
    "mien mijn tante oom Ome Tante jo lei roos bas mark kees van der den heijden en zijn kleinkinderen , dat is "
    "jongste die kende daar hans ik heb carla ook rustig krijgt . \n de een".split()
)


@given(st.lists(WORDS, max_size=30))
@settings(max_examples=300, deadline=None)
def test_found_names_are_whole_words_inside_the_text(words):
    text = " ".join(words)
    for f in find_cued_names(text):
        assert 0 <= f.start < f.end <= len(text)
        piece = text[f.start:f.end]
        assert piece.strip() == piece and piece[0].isalpha() and piece[-1].isalpha()
        assert f.start == 0 or not text[f.start - 1].isalnum()
        assert f.end == len(text) or not text[f.end].isalnum()


def test_second_blind_persons_set_keeps_its_floor(detector):
    # Written blind by someone who saw no code (60 passages, 98 names), measured once when the method of this
    # round was final: recall 0.837, precision 0.962, keep 0.982. Most misses were a title inside the gold span
    # ("mevrouw Ploumen"), which VERLICHT leaves in the text by design. Scored by the guide (the default now)
    # after the third round: 0.969 (0.847 as labelled; "omar Alhassan" found).
    from anondata import DATA

    from verlicht.anonymise.evaluate import read_set, score

    passages = read_set(DATA / "blind_persons2.jsonl")
    result = score(passages, detector.find)
    assert result.recall(["PERSOON"]) >= 0.96, result.misses
    assert score(passages, detector.find, as_labelled=True).recall(["PERSOON"]) >= 0.84
    assert result.precision >= 0.95, result.false
    assert result.keep_rate >= 0.98, result.dropped_keep


def test_first_blind_set_seen_and_tuned_on_keeps_its_new_floor(detector):
    # No longer blind: its misses guided this round (0.889 -> 0.991 recall, 0.892 -> 0.975 precision).
    from anondata import DATA

    from verlicht.anonymise.evaluate import read_set, score

    result = score(read_set(DATA / "blind_persons.jsonl"), detector.find)
    assert result.recall(["PERSOON"]) >= 0.98, result.misses
    assert result.precision >= 0.97, result.false
    assert result.keep_rate >= 0.98, result.dropped_keep


@pytest.mark.parametrize(("text", "names"), [
    # A name in apposition to a person word, between commas or before the sentence's end.
    ("R: Mijn jongste, ben, die is nu vijftien.", ["ben"]),
    ("R: Dat is mijn kleindochter, door, hè.", ["door"]),
    ("R: Die jongen, kevin, die is opgepakt door de politie.", ["kevin"]),
    ("R: De jongens, filmon en yonas, zijn net achttien.", ["filmon", "yonas"]),
    # Named by others, the subject after the verb.
    ("R: Iedereen noemt hem sjonnie, maar eigenlijk heet hij jan. En z'n broer noemen ze pietje.",
     ["sjonnie", "jan", "pietje"]),
    # A surname after a title, typed in lower case.
    ("R: Toen heb ik meneer janssen van Woonpunt gebeld.", ["janssen"]),
    ("R: Mevrouw vliegen van het buurtteam zei dat het goed kwam.", ["vliegen"]),
])
def test_appositions_naming_and_titles_point_at_a_name(detector, text, names):
    assert persons(detector, text) == names


@pytest.mark.parametrize("text", [
    "R: Mijn moeder, ook, die heeft er veel aan gehad.",  # an adverb between commas
    "R: Mijn broer, nou, die weet er alles van.",  # a filler
    "R: Hoe heet hij ook alweer? Ik weet het niet meer.",  # no name after "heet hij"
    "R: Die meneer zei van: kom maar terug.",  # a verb after a title
    "R: Toen belde meneer van de gemeente, en mevrouw vertelde van de school.",
    "R: Toen kwam mevrouw weer langs van de gemeente.",  # an adverb after a title
    "R: Dat heb ik door de buurman gehoord.",  # "door" as a preposition
])
def test_the_same_places_with_words_find_nothing(detector, text):
    assert persons(detector, text) == []
