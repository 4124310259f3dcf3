"""The spaCy pipeline of the suggester, and the normal form its concept matcher compares.

:func:`build_nlp` gives ``spacy.blank("nl")`` with the anonymiser's lean speech tokenizer and a
sentencizer (or a trained Dutch model when one is installed); its last component sets each token's
``norm_`` to :func:`normal_form`, so codebook terms and utterances meet whatever their inflection.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from verlicht.lemmas import lemma

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


LEMMAS = True  # look words up in spaCy's Dutch lemma table (verlicht.lemmas) before the hand rules


@lru_cache(maxsize=65536)
def normal_form(word: str) -> str:
    """A word reduced so that its inflections meet: ``woningen``→``woning``, ``huizen``→``huis``,
    ``goedkope``→``goedkop``=``goedkoop``, ``kindje``→``kin``=``kind``.

    Light and symmetric rather than linguistically right: the same function runs
    over the codebook's terms and the utterances, so only forms of one word need to
    meet. Irregular forms (``gingen``, ``liep``, ``opgeknapt``) first become their
    lemma from spaCy's lookup table (:mod:`verlicht.lemmas`); the hand rules then
    join the regular ones.
    """
    w = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))
    if LEMMAS:
        w = lemma(w)
    w = w.replace("’", "'")
    if w.endswith("'s") and len(w) > 3:
        w = w[:-2]
    if not w.isalpha() or len(w) <= 3:
        return w
    for ending in ("etjes", "etje", "tjes", "pjes", "jes", "tje", "pje", "je"):
        if w.endswith(ending) and len(w) - len(ending) >= 3:
            w = w[: -len(ending)]
            break
    if w.endswith("eren") and len(w) >= 8:  # kinderen, liederen
        w = w[:-4]
    elif w.endswith("en") and len(w) >= 5:
        w = w[:-2]
    elif w.endswith("s") and len(w) >= 5 and w[-2] not in "s":
        w = w[:-1]
    if w.endswith("e") and len(w) >= 5:
        w = w[:-1]
    if w[-1] in "td" and len(w) >= 4 and w[-2] not in "td":
        w = w[:-1]
    if w.endswith("z"):
        w = w[:-1] + "s"
    elif w.endswith("v"):
        w = w[:-1] + "f"
    return re.sub(r"(.)\1+", r"\1", w)



def build_nlp(model: str | None = "auto") -> Language:
    """The spaCy pipeline for suggestions: a trained Dutch model if installed, else ``spacy.blank("nl")``.

    Uses the model choice of the anonymiser (:data:`verlicht.anonymise.pipeline.TRAINED_MODELS`); a trained
    model brings its parser's sentence boundaries, the blank one gets the lean speech tokenizer and a
    sentencizer. The component ``verlicht_normal_forms`` then sets each token's ``norm_`` to
    :func:`normal_form`, which the concept matcher compares.
    """
    import spacy

    from verlicht.anonymise.pipeline import TRAINED_MODELS

    nlp = None
    names = TRAINED_MODELS if model == "auto" else (() if model in (None, "", "blank") else (model,))
    for name in names:
        if spacy.util.is_package(name):
            nlp = spacy.load(name, exclude=["ner", "lemmatizer", "attribute_ruler"])
            break
    if nlp is None:
        # Named in the config, so spaCy never builds its full Dutch tokenizer (1.4 s of special cases) only to
        # have it replaced.
        if "verlicht.speech_tokenizer.v1" not in spacy.registry.tokenizers:
            spacy.registry.tokenizers("verlicht.speech_tokenizer.v1", func=_speech_tokenizer_factory)
        nlp = spacy.blank("nl", config={"nlp": {"tokenizer": {"@tokenizers": "verlicht.speech_tokenizer.v1"}}})
    if not (nlp.has_pipe("parser") or nlp.has_pipe("senter") or nlp.has_pipe("sentencizer")):
        nlp.add_pipe("sentencizer")
    _register_components()
    nlp.add_pipe("verlicht_normal_forms")
    return nlp


def _speech_tokenizer_factory():
    from verlicht.anonymise.pipeline import SpeechTokenizer

    return lambda nlp: SpeechTokenizer(nlp.vocab)


@lru_cache(maxsize=1)
def _register_components() -> None:
    from spacy.language import Language

    if "verlicht_normal_forms" not in Language.factories:
        Language.component("verlicht_normal_forms", func=_set_normal_forms)


def _set_normal_forms(doc: Doc) -> Doc:
    for token in doc:
        token.norm_ = normal_form(token.text)
    return doc
