"""Our patterns on the forms Dutch speakers and transcribers use; and the checks behind them."""

from __future__ import annotations

import pytest

from verlicht.anonymise import check_digits, rules
from verlicht.anonymise.finders import find_all


def labels(text: str) -> list[tuple[str, str]]:
    return sorted({(f.label, text[f.start:f.end]) for f in find_all(text)})


@pytest.mark.parametrize("number", ["06-12345678", "06 1234 5678", "+31 6 12345678", "+31 (0)6 12345678",
                                    "0031612345678", "045 571 23 45", "045-5712345", "06 - 12 345 678"])
def test_phone_numbers_in_any_spacing(number):
    assert ("TELEFOON", number) in labels(f"Bel me op {number}, dan hoor je het.")


def test_programme_figures_and_dates_are_not_phone_numbers():
    found = labels("De nulmeting is 1-1-2023; 32.000 van de 56.000 inwoners verhuisde in 2012-2022.")
    assert not [f for f in found if f[0] in ("TELEFOON", "BSN", "DATUM")]


def test_bsn_needs_the_eleven_test_or_the_word_bsn():
    assert check_digits.elfproef("111222333")
    assert not check_digits.elfproef("123456789")
    assert ("BSN", "111222333") in labels("nummer 111222333 staat erop")
    assert not [f for f in labels("ordernummer 123456789") if f[0] == "BSN"]
    assert ("BSN", "123456789") in labels("mijn BSN is 123456789")


def test_iban_with_and_without_spaces():
    assert check_digits.iban_valid("NL91 ABNA 0417 1643 00")
    assert ("IBAN", "NL91 ABNA 0417 1643 00") in labels("Stort het op NL91 ABNA 0417 1643 00 graag.")
    assert ("IBAN", "NL91ABNA0417164300") in labels("rekening NL91ABNA0417164300.")


@pytest.mark.parametrize("plate", ["VT-218-G", "3-KZB-71", "58-KRL-4", "JX-47-PN", "hb-47-21", "GRB07D"])
def test_licence_plates_of_every_side_code(plate):
    assert ("KENTEKEN", plate) in labels(f"Die auto met {plate} stond er weer.")


def test_postcodes_but_not_years_followed_by_words():
    assert ("POSTCODE", "6411 HB") in labels("Akerstraat 86, 6411 HB Heerlen")
    assert ("POSTCODE", "6414BE") in labels("dat is 6414BE toch")
    assert not [f for f in labels("In 2023 en 2024 ging het beter") if f[0] == "POSTCODE"]


def test_street_and_number_and_the_forms_of_dutch_addresses():
    assert ("ADRES", "Akerstraat 86") in labels("Ik woon op de Akerstraat 86.")
    assert ("ADRES", "Op de Vrieheide 31a") in labels("adres: Op de Vrieheide 31a, prima")
    assert ("ADRES", "Dr. Poelsstraat 19") in labels("aan huis, Dr. Poelsstraat 19, in Hoensbroek")


def test_ages_said_out_loud_but_not_durations():
    found = labels("Ik ben achtenzestig. Ze is 91. De 82-jarige buurman. Mijn zoon van twaalf.")
    assert {("LEEFTIJD", "achtenzestig"), ("LEEFTIJD", "91"), ("LEEFTIJD", "82-jarige"),
            ("LEEFTIJD", "twaalf")} <= set(found)
    assert not [f for f in labels("Ik woon hier al zestien jaar en werkte dertig jaar ondergronds.")
                if f[0] == "LEEFTIJD"]


def test_personal_dates_but_not_reference_dates():
    assert ("DATUM", "3 juli 1979") in labels("Ik ben geboren op 3 juli 1979.")
    assert ("DATUM", "21-08-1986") in labels("geboortedatum 21-08-1986")
    assert not [f for f in labels("De nulmeting is 1-1-2023 en de peildatum 31-12-2023.") if f[0] == "DATUM"]


def test_titles_stay_outside_the_name():
    found = labels("Ik sprak mevrouw van der Heijden en juf Roos, en dokter Beckers.")
    assert {("PERSOON", "van der Heijden"), ("PERSOON", "Roos"), ("PERSOON", "Beckers")} <= set(found)


def test_speaker_labels_that_are_names_are_names():
    text = "Interviewer: Hoe gaat het?\nTruus: Goed.\nInterviewer: Mooi.\nTruus: Ja."
    assert ("PERSOON", "Truus") in labels(text)
    assert not [f for f in labels(text) if f[1] == "Interviewer"]


def test_initials_with_surname_but_not_enumerations():
    assert ("PERSOON", "A.M. Coenen") in labels("Dat was A.M. Coenen van de GGD.")
    assert not [f for f in labels("Doelen:\nA. Het aandeel bijstand daalt.") if f[0] == "PERSOON"]


def test_named_institutions_of_private_persons():
    assert ("INSTELLING", "basisschool De Vlinderhof") in labels("Hij zit op basisschool De Vlinderhof.")


def test_dutch_number_words_up_to_a_hundred_and_more():
    assert rules.NUMBER_WORDS["tweeënzeventig"] == 72
    assert rules.NUMBER_WORDS["achtenzestig"] == 68
    assert rules.NUMBER_WORDS["honderdtwee"] == 102
