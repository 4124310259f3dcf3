"""verlicht.lemmas: spaCy's Dutch lookup lemmas, the shared first step of the suggester's normal form and
the indicator proposals' stem."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from verlicht.coding.suggest import normal_form
from verlicht.indicators.similar import stem
from verlicht.lemmas import lemma, plain


def test_irregular_forms_meet_their_lemma():
    assert [lemma(w) for w in ("gingen", "liep", "armen", "opgeknapt")] == ["gaan", "lopen", "arm", "opknappen"]


def test_a_word_the_table_lacks_comes_back_unchanged():
    assert lemma("heerlen-noord") == "heerlen-noord"
    assert lemma("") == ""


def test_forms_and_lemmas_are_looked_up_without_accents():
    assert plain("Ééntje") == "eentje"
    assert normal_form("Ééntje") == normal_form("eentje")


def test_suggester_and_indicator_stems_both_join_irregular_forms():
    assert normal_form("gingen") == normal_form("gaan")
    assert stem("armen") == stem("arm")
    assert stem("gezondheden") == "gezondheid"  # the hand rules still run after the lemma


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéëï", max_size=20))
def test_lemma_never_fails_and_plain_is_idempotent(word):
    assert isinstance(lemma(plain(word)), str)
    assert plain(plain(word)) == plain(word)
