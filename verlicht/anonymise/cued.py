"""First names a family word, an apposition, a surname or a verb points at, even when the name is also a word.

The slot rules of :mod:`verlicht.anonymise.lowercase` let a first name that is also a Dutch word ("roos", "wiel",
"lei", "door") count only in a handful of slots. Transcripts show a few more places where only a person fits:

* **after a family word with a possessive**, or a capitalised one: "mien schoonvader lei, die zei", "mijn tante
  jo", "tante Door kwam", "Ome Wiel zegt" — a name of two letters counts there too;
* **before a family apposition**: "voor mark gezorgd, dat is mien jongste", "die wiel, dat is de broer van mien
  moeder", and a pair before a plural family word, "roos en bas zijn mien kleinkinderen";
* **a lower-case full name**: a first name followed by "van der", "van den", "van de", "ter", "ten" and one of
  deduce's surnames (those written after such a prefix included): "via stefan van der heijden";
* **after a verb and an adverb**, or between a relative "die" and an adverb and a verb: "kende daar hans", "die
  jayden rustig krijgt" — only a first name that is no Dutch word and not among the most common words.

Each rule is a compiled regular expression over the text, tried only where its anchor word occurs, so a text
without those words costs one scan per rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from verlicht.anonymise import rules
from verlicht.anonymise.rules import PERSOON, Found

CUED = "rules:cued"
FAMILY = (
    "tante oom ome opa oma opi omi schoonvader schoonmoeder schoonzus zwager broer zus zuster neef nicht nichtje "
    "buurman buurvrouw buurjongen buurmeisje dochter zoon kleinzoon kleindochter vriend vriendin collega "
    "peetoom peettante meter peter"
).split()
PLURAL_FAMILY = (
    "kleinkinderen kleinkinders kinderen kinders broers zussen zusters neven nichten vrienden vriendinnen "
    "buren kleinzonen kleindochters jongens meiden dochters zonen"
).split()
APPOSITION_NOUNS = frozenset(
    FAMILY + "jongste oudste middelste man vrouw vent moeder vader mam pap mama papa baas chef".split()
)
_POSS = r"(?:mien|mijn|m['’]n|onze|ons|z['’]n|zien|zijn|d['’]r|haar|hun|uw)"
_NAME = r"([a-zà-ÿ]{2,}|[A-ZÀ-Ý][a-zà-ÿ]+)"
# What follows a name after a family word: a comma, a verb-like word or the end of the sentence.
AFTER_NAME = re.compile(r"\s*(?:[,.!?:;]|\n|$)|\s+(?:die|en|zei|zegt|kwam|komt|is|was|heeft|had|wil|woont|doet|"
                        r"deed|ging|gaat|kan|zat|zit|werkt|werkte|belde|vertelde|zien|z['’]n|d['’]r|uit|van)\b")
# ", dat is mien jongste", ", die is de broer van", "zijn mien kleinkinderen".
APPOSITION = re.compile(
    rf",\s+(?:dat|die)\s+(?:is|was)\s+(?:{_POSS}|de)\s+([a-zà-ÿ]+)"
)
ADVERBS = frozenset("daar toen ook nog wel dan meteen gisteren vandaag altijd altied nooit zelf al pas".split())
# Read at the places where an anchor word stands (the text's shared word index), never over the whole text.
NEXT_NAME = re.compile(r"\s+([a-zà-ÿ]{3,})(?![\w'’-])")
BEFORE_WORDS = re.compile(r"(?:([a-zà-ÿ]+)\s+)?([a-zà-ÿ]+)\s+$")
RELATIVE_TAIL = re.compile(r"\s+([a-zà-ÿ]{3,})\s+([a-zà-ÿ]+)\s+([a-zà-ÿ]+)(?![\w'’-])")
PLURAL_TAIL = re.compile(rf"\s+{_POSS}\s+(?:{'|'.join(PLURAL_FAMILY)})\b")
PAIR_BEFORE = re.compile(r"(?<![\w'’-])([a-zà-ÿ]{3,})\s+en\s+([a-zà-ÿ]{3,})\s+$")
SURNAME_TAIL = re.compile(r" (der|den|de|'t) ([a-zà-ÿ]{3,})(?![\w'’-])")
SURNAME_TAIL_TE = re.compile(r" ([a-zà-ÿ]{3,})(?![\w'’-])")
NAME_BEFORE = re.compile(r"(?<![\w'’-])([a-zà-ÿ]{3,}) $")
FAMILY_AT = re.compile(rf"(?i:{'|'.join(FAMILY)})\s+{_NAME}(?![\w'’-])")
POSS_BEFORE = re.compile(rf"(?<![\w'’])(?i:{_POSS})\s+$")
BLOCKERS = frozenset(rules.ARTICLES | {"een", "geen", "elke", "iedere", "zo'n", "zo’n"}) - {"die"}
SURNAME_ZIPF = rules.PREPOSITION_SURNAME_ZIPF
VERB_NAME_ZIPF = 5.0  # "hans" (4.6) is no Dutch word; only the first names most written are left out
INVERTED_TAIL = re.compile(r"\s+([a-zà-ÿ]{3,})\s+([a-zà-ÿ]+)(?![\w'’-])")
SUBJECT_WORDS = frozenset("ik je jij we wij ze zij hij u".split())
ADVERB_LIST = sorted(ADVERBS)
FAMILY_FORMS = sorted(set(FAMILY) | {w.capitalize() for w in FAMILY})
# A person word in apposition, then a name between commas or before the sentence's end: "Mijn jongste, ben, die
# is nu vijftien", "Dat is mijn kleindochter, door, hè", "De jongens, filmon en yonas, zijn net achttien".
APPOSED = sorted((APPOSITION_NOUNS | set(PLURAL_FAMILY) | rules.PERSON_CUES | {"jongen", "meisje"})
                 - {"heet", "heette", "genaamd", "noemden", "noemen", "meneer", "mevrouw", "juf", "meester"})
APPOSED_FORMS = sorted(set(APPOSED) | {w.capitalize() for w in APPOSED})
DETERMINER_BEFORE = re.compile(rf"(?<![\w'’])(?i:{_POSS}|de|die|het|deze)\s+$")
APPOSED_NAMES = re.compile(r"\s*,\s*([a-zà-ÿ]{3,})(?:\s+en\s+([a-zà-ÿ]{3,}))?\s*(?=[,.!?]|$)", re.M)
PARTICLES = frozenset("en of maar want dus nou ja nee toch hè he eh zo dan wel niet".split())
# Others naming someone, the subject after the verb: "eigenlijk heet hij jan.", "z'n broer noemen ze pietje."
NAMED_AS = re.compile(r"\s+(?:hij|zij|ze|ie|we|wij|jullie)\s+([a-zà-ÿ]{2,})\s*(?=[,.!?]|$)", re.M)
NAMING_VERBS = ("heet", "heette", "noemen", "noemt", "noemde", "noemden")
# A title before a lower-case surname: "meneer janssen van Woonpunt", "Mevrouw vliegen van het buurtteam".
SURNAME_TITLES = ("meneer", "mevrouw", "mevr", "mw", "dhr", "dokter", "Meneer", "Mevrouw", "Mevr", "Mw", "Dhr",
                  "Dokter")
TITLED = re.compile(r"\.?\s+([a-zà-ÿ]{3,})(?![\w'’-])")
WORKS_AT = re.compile(r"\s+van\s+(?:(?:de|het|'t)\s+[a-zà-ÿ]|[A-Z])")


def find_cued_names(text: str) -> Iterator[Found]:
    """Lower-case (or word-like) first names in the four places above; see the module's docstring."""
    from verlicht.anonymise.lexicon import is_verb_form, zipf
    from verlicht.anonymise.lowercase import _word_sets, is_dutch_word

    first, common, stop = _word_sets()
    surnames = rules._union("surname", "interfix_surname")
    hits: dict[int, Found] = {}

    def hit(start: int, end: int) -> None:
        hits.setdefault(start, Found(start, end, PERSOON, CUED))

    index = rules.word_index(text).exact
    for family in FAMILY_FORMS:
        for i in index.get(family, ()):
            m = FAMILY_AT.match(text, i)
            if not m:
                continue
            word = m.group(1)
            folded = word.casefold()
            capital_cue = family[0].isupper() and not rules.at_sentence_start(text, i)
            if not (POSS_BEFORE.search(text, max(0, i - 8), i) or family[0].isupper() or word[0].isupper()):
                continue  # "mien tante jo", "Tante Door", "tante Door"; not "de buurman zegt"
            if word[0].isupper() and rules.at_sentence_start(text, m.start(1)):
                continue
            if folded not in first or folded in FAMILY or folded in rules.PERSON_CUES:
                continue
            if word.islower() and (folded in stop or not AFTER_NAME.match(text, m.end(1))):
                continue  # "mijn broer ook", "mijn zoon door": a lower-case function word is no name
            if word.islower() and len(word) < 3 and not re.match(r"\s*,", text[m.end(1):m.end(1) + 3]):
                continue  # "mien tante jo, die": a two-letter name only before a comma
            if word.islower() and family[0].isupper() and not capital_cue and not POSS_BEFORE.search(
                    text, max(0, i - 8), i) and folded in common:
                continue  # "Oma zegt": a sentence opened by a family word and a Dutch word
            hit(m.start(1), m.end(1))
    if ", d" in text:
        for m in APPOSITION.finditer(text):
            if m.group(1) not in APPOSITION_NOUNS:
                continue
            # The nearest first name in the clause before the comma: "voor mark gezorgd, dat is mien jongste".
            clause = text[max(0, m.start() - 40):m.start()]
            cut = max(clause.rfind(c) for c in ".!?:\n,")
            clause_start = m.start() - len(clause) + cut + 1
            words = list(re.finditer(r"[^\W\d_][\w'’]*", text[clause_start:m.start()]))[-4:]
            for i in range(len(words) - 1, -1, -1):
                w = words[i].group()
                prev = words[i - 1].group().casefold() if i else ""
                if w.islower() and w in first and w not in stop and prev not in BLOCKERS and len(w) >= 3 and \
                        (prev or not is_dutch_word(w)):  # "Hej, kiek, dat is mien kleindochter": a word alone
                    hit(clause_start + words[i].start(), clause_start + words[i].end())
                    break
    for verb_form in ("zijn", "waren"):
        for i in index.get(verb_form, ()):
            if not PLURAL_TAIL.match(text, i + len(verb_form)):
                continue
            m = PAIR_BEFORE.search(text, max(0, i - 50), i)
            if m and all(p in first and p not in stop for p in m.groups()):
                hit(m.start(1), m.end(1))  # "roos en bas zijn mien kleinkinderen"
                hit(m.start(2), m.end(2))
    for prefix, tail in (("van", SURNAME_TAIL), ("ter", SURNAME_TAIL_TE), ("ten", SURNAME_TAIL_TE)):
        for i in index.get(prefix, ()):
            t = tail.match(text, i + len(prefix))
            b = NAME_BEFORE.search(text, max(0, i - 30), i)
            if not t or not b:
                continue
            name, surname = b.group(1), t.groups()[-1]
            if name in first and not is_dutch_word(name) and not is_dutch_word(surname) and \
                    surname in surnames and zipf(surname) < SURNAME_ZIPF:
                hit(b.start(1), t.end())  # "via stefan van der heijden"
    for adverb in ADVERB_LIST:
        for i in index.get(adverb, ()):
            n = NEXT_NAME.match(text, i + len(adverb))
            if not n or n.group(1) not in first:
                continue
            name = n.group(1)
            b = BEFORE_WORDS.search(text, max(0, i - 40), i)
            if not b or is_dutch_word(name):
                continue
            one = b.group(2)
            if one in rules.BEFORE_CUES and one not in ("met", "en", "tegen", "aan", "van", "bij", "voor") and \
                    zipf(name) < VERB_NAME_ZIPF:
                hit(n.start(1), n.end(1))  # "kende daar hans"
    for subject in SUBJECT_WORDS:
        for i in index.get(subject, ()):
            n = INVERTED_TAIL.match(text, i + len(subject))
            if not n or n.group(1) not in first or n.group(2) not in ADVERBS:
                continue
            b = BEFORE_WORDS.search(text, max(0, i - 40), i)
            name = n.group(1)
            if b and is_verb_form(b.group(2)) and not is_dutch_word(name) and zipf(name) < rules.NAME_ZIPF:
                hit(n.start(1), n.end(1))  # "dat heb ik carla ook gezegd"
    for i in index.get("die", ()):
        m = RELATIVE_TAIL.match(text, i + 3)
        if not m:
            continue
        name, adverb, verb = m.groups()
        if name in first and not is_dutch_word(name) and zipf(name) < rules.RARE_ZIPF and \
                is_dutch_word(adverb) and is_verb_form(verb) and not is_verb_form(adverb):
            hit(m.start(1), m.end(1))  # "die jayden rustig krijgt"
    _appositions_and_titles(text, index, first, stop, hit)
    yield from (hits[k] for k in sorted(hits))


def _appositions_and_titles(text: str, index: dict, first: frozenset[str], stop: frozenset[str], hit) -> None:
    """A name in apposition to a person word, named after "heet hij"/"noemen ze", or a surname after a title."""
    from verlicht.anonymise.lexicon import zipf
    from verlicht.anonymise.lowercase import SPEECH_VERBS
    from verlicht.anonymise.unlisted import is_name_like

    def name(word: str) -> bool:
        return word not in stop and word not in rules.PERSON_CUES and word not in ADVERBS and \
            (word in first or is_name_like(word))

    for noun in APPOSED_FORMS:
        for i in index.get(noun, ()):
            m = APPOSED_NAMES.match(text, i + len(noun))
            if not m or not DETERMINER_BEFORE.search(text, max(0, i - 8), i):
                continue
            one = m.group(1)
            between_commas = not m.group(2) and text.startswith(",", m.end())
            if all(name(w) for w in m.groups() if w) or (
                    between_commas and one in first and one not in PARTICLES and one not in ADVERBS):
                hit(m.start(1), m.end(1))  # a name that is a word too only between commas: "mijn jongste, ben,"
                if m.group(2):
                    hit(m.start(2), m.end(2))
    for verb in NAMING_VERBS:
        for i in index.get(verb, ()):
            m = NAMED_AS.match(text, i + len(verb))
            if m and name(m.group(1)):
                hit(m.start(1), m.end(1))
    surnames = rules._lexicon("surname")
    for title in SURNAME_TITLES:
        for i in index.get(title, ()):
            m = TITLED.match(text, i + len(title))
            if not m:
                continue
            word = m.group(1)
            if word in stop or word in ADVERBS or word in rules.PERSON_CUES or word in rules.AFTER_CUES or \
                    word in SPEECH_VERBS or zipf(word) >= VERB_NAME_ZIPF:
                continue  # "die meneer zei van …", "mevrouw belde van de gemeente": a verb, not a surname
            if (word in surnames and zipf(word) < SURNAME_ZIPF) or WORKS_AT.match(text, m.end(1)):
                hit(m.start(1), m.end(1))
