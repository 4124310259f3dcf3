"""Is this a Dutch word, and how common is it? Language data from well-kept packages, not hand-made lists.

Three sources, each doing what it is good at:

* spaCy's ``spacy-lookups-data``: the Dutch lemma tables of ``spacy.blank("nl")``'s lemmatizer. Every inflected
  form ("armen", "wilt", "witte") and every verb, adjective, adposition and determiner lemma is a Dutch word. Its
  noun lemmas are not used as proof: that list also holds given names ("anna", "jan").
* ``wordfreq``: how often a word is written in Dutch (Zipf scale: 6 = once per thousand words, 3 = once per
  million). Rare words that are also first names ("fieke", "sjeng") are names in a transcript; frequent ones
  ("hoop", "koop") are words unless the context says otherwise.
* deduce's whitelist of common and stop words (already used by the rules).

Everything loads lazily, once per process, and works without a network.
"""

from __future__ import annotations

import gzip
from functools import cache, lru_cache
from importlib import resources

import orjson
from wordfreq import zipf_frequency

# Shared by the lower-case and the unlisted-name rules (kept here so neither imports the other back).
COMPOUND_PART_ZIPF = 3.5  # a part of a compound is a Dutch word from this frequency up
# Limburg spellings of Dutch sounds: "altied" (altijd), "nao" (na), "gedaon" (gedaan), "hoes" (huis).
DIALECT_SOUNDS = (("ie", "ij"), ("ao", "a"), ("ao", "aa"), ("ao", "oo"), ("oe", "ui"), ("ö", "eu"), ("ui", "uu"),
                  ("ei", "ij"), ("sj", "sch"), ("ch", "k"), ("ouch", "ook"))


def dialect_forms(word: str) -> list[str]:
    """The word with one Limburg sound written the Dutch way, for every sound it holds."""
    return [word.replace(a, b) for a, b in DIALECT_SOUNDS if a in word]


# The lemma-index parts whose entries are Dutch words beyond doubt (nouns are left out: they include names).
_WORD_POS = ("verb", "adj", "adp", "det")


def _table(name: str) -> dict:
    """One of spacy-lookups-data's Dutch tables as a plain dict (empty when the package is missing)."""
    try:
        raw = resources.files("spacy_lookups_data").joinpath(f"data/nl_{name}.json.gz").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    return orjson.loads(gzip.decompress(raw))


@cache
def _lemma_words() -> frozenset[str]:
    """Inflected forms (the lookup table's keys) and verb/adjective/function-word lemmas."""
    words = {k.casefold() for k in _table("lemma_lookup")}
    index = _table("lemma_index")
    for pos in _WORD_POS:
        words.update(w.casefold() for w in index.get(pos, ()))
    return frozenset(words)


@cache
def _adjective_data() -> tuple[frozenset[str], tuple[tuple[str, str], ...], frozenset[str]]:
    """Adjective lemmas, the lemmatizer's suffix rules for adjectives, and its irregular adjective forms."""
    lemmas = frozenset(w.casefold() for w in _table("lemma_index").get("adj", ()))
    rules = tuple((old, new) for old, new in _table("lemma_rules").get("adj", ()))
    irregular = frozenset(form.casefold() for form in _table("lemma_exc").get("adj", {}))
    return lemmas, rules, irregular


@lru_cache(maxsize=1 << 16)  # asked for the same few thousand words in every transcript
def is_adjective(word: str) -> bool:
    """Whether ``word`` is a Dutch adjective or a form of one ("lange", "grootste"), by the lemmatizer's rules."""
    word = word.casefold()
    lemmas, rules, irregular = _adjective_data()
    if word in lemmas or word in irregular:
        return True
    return any(word.endswith(old) and word[: len(word) - len(old)] + new in lemmas for old, new in rules if old)


@lru_cache(maxsize=1 << 16)  # asked for the same few thousand words in every transcript
def is_inflected_or_function_word(word: str) -> bool:
    """Whether spaCy's Dutch lemma tables know ``word`` as an inflected form or a verb/adjective/function word."""
    return word.casefold() in _lemma_words()


@cache
def zipf(word: str) -> float:
    """How common ``word`` is in written Dutch, on the Zipf scale (0 when unknown)."""
    return zipf_frequency(word.casefold(), "nl")


COMMON_VERB_ZIPF = 4.5


@cache
def _verb_data() -> tuple[frozenset[str], dict, frozenset[str], tuple[tuple[str, str], ...]]:
    """Verb lemmas, the lookup table (form -> lemma), irregular verb forms, and the lemmatizer's verb rules."""
    lemmas = frozenset(w.casefold() for w in _table("lemma_index").get("verb", ()))
    # Irregular forms of common verbs only: the table also lists "kim" (kimmen) and "kees" (kezen), which in a
    # transcript are names far more often than forms of verbs nobody uses.
    irregular = frozenset(
        form.casefold() for form, verbs in _table("lemma_exc").get("verb", {}).items()
        if max((zipf(v) for v in verbs), default=0.0) >= COMMON_VERB_ZIPF
    )
    rules = tuple((old, new) for old, new in _table("lemma_rules").get("verb", ()))
    return lemmas, _table("lemma_lookup"), irregular, rules


@lru_cache(maxsize=1 << 16)  # asked for the same few thousand words in every transcript
def is_verb_form(word: str) -> bool:
    """Whether ``word`` is a Dutch verb or a form of one ("bellen", "helpt", "zit", "woonde"), by spaCy's Dutch
    lemma tables: the word after a lower-case first name tells a subject ("marcel belt") from a noun."""
    word = word.casefold()
    lemmas, lookup, irregular, rules = _verb_data()
    if word in lemmas or word in irregular or lookup.get(word) in lemmas:
        return True
    return any(word.endswith(old) and word[: len(word) - len(old)] + new in lemmas for old, new in rules if old)


# A name rarer than this in written Dutch is no Dutch word that happens to be a name ("door", "wil", "roos" are
# 4-7); the list's Dutch-looking entries above it stay with deduce's Dutch list and the context rules.
WORLD_NAME_ZIPF = 3.0


@cache
def world_first_names() -> frozenset[str]:
    """First names of many origins that are no common Dutch word, lower-cased: Jörg Michael's ``nam_dict.txt``
    (about 45,000 names with the countries they are used in, GNU FDL 1.2), as the ``gender-guesser`` package
    ships it. deduce's first-name list is Dutch; a Heerlen-Noord transcript also names *oksana*, *dmytro*,
    *ionut*, *desislava*, *sharda*. Kept: letters only, three or more, written in Dutch less often than Zipf 3
    (``wordfreq``'s Dutch list, read as one dictionary). Read once per process (about 0.1 s); empty when the
    package is missing."""
    try:
        raw = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return frozenset()
    from wordfreq import get_frequency_dict

    frequency = get_frequency_dict("nl")
    limit = 10 ** (WORLD_NAME_ZIPF - 9)  # Zipf = log10(frequency per word) + 9
    names = set()
    for line in raw.splitlines():
        if not line or line[0] in "#=":
            continue
        parts = line.split(None, 2)
        if len(parts) < 2:
            continue
        name = parts[1].replace("+", "").casefold()  # "Jan+Willem": a joined name, written as one word here
        if len(name) >= 3 and name.isalpha() and frequency.get(name, 0.0) < limit:
            names.add(name)
    return frozenset(names)
