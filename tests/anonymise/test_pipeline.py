"""The resolution rules: keep-list, remove-list, review decisions, trimming and merging."""

from __future__ import annotations

import itertools

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from verlicht.anonymise.pipeline import Detector, Settings, default_keep_terms


def found(detector, text, **kw):
    return [(f.label, text[f.start:f.end]) for f in detector.find(text, **kw)]


def test_public_actors_next_to_a_name_stay(detector):
    text = "Ik had meneer van der Heijden van Woonpunt aan de lijn, en iemand van de GGD Zuid-Limburg."
    got = found(detector, text)
    assert ("PERSOON", "van der Heijden") in got
    assert not any("Woonpunt" in t or "GGD" in t for _, t in got)


def test_city_after_a_postcode_stays_but_the_postcode_goes(detector):
    text = "Mijn adres is Kouvenderstraat 9, 6431 HK Hoensbroek."
    got = found(detector, text)
    assert ("ADRES", "Kouvenderstraat 9") in got
    assert ("POSTCODE", "6431 HK") in got
    assert "Hoensbroek" in text[max(f.end for f in detector.find(text)):]


def test_a_street_named_after_a_wijk_goes_whole(detector):
    got = found(detector, "We wonen Op de Vrieheide 31a, al jaren, in Vrieheide dus.")
    assert ("ADRES", "Op de Vrieheide 31a") in got
    assert all(t != "Vrieheide" for _, t in got)


def test_remove_list_wins_over_the_keep_list(detector):
    text = "Mijn naam is Weller, net als de corporatie Weller."
    assert not found(detector, "De corporatie Weller doet veel.")
    got = found(detector, text, remove=["Weller"])
    assert [t for _, t in got].count("Weller") == 2


def test_other_mentions_of_a_found_name_are_found_too(detector):
    got = found(detector, "Ik sprak Pierre Hendrikx van JENS. Pierre is goud waard.")
    assert ("PERSOON", "Pierre Hendrikx") in got
    assert ("PERSOON", "Pierre") in got


def test_words_that_are_also_names_are_left_as_words(detector):
    got = found(detector, "Ik haal brood bij de bakker op de hoek, in de winter is het druk.")
    assert got == []


def test_review_decisions_are_applied():
    settings = Settings(keep=default_keep_terms(), reject=frozenset({"bianca"}), missed=(("de Kwats", "PERSOON"),))
    detector = Detector(settings, model="blank")
    text = "Ik ben Bianca. Ze noemden hem de Kwats."
    spans = [text[f.start:f.end] for f in detector.find(text)]
    assert "Bianca" not in spans
    assert "de Kwats" in spans


def test_spans_never_overlap(detector):
    text = "R: Ik ben Yvonne Nijsten, 43 jaar, mail yvonne.nijsten@kpnmail.nl of bel 06-12345678."
    spans = detector.find(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=80))
def test_the_lean_tokenizer_keeps_every_character(text):
    from verlicht.anonymise.pipeline import SpeechTokenizer

    nlp = spacy.blank("nl")
    assert SpeechTokenizer(nlp.vocab)(text).text == text
