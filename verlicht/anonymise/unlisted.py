"""Lower-case names that no Dutch name list holds, by what they are not and where they stand.

A transcript of Heerlen-Noord names people of many origins, typed in lower case: "tegen bartek", "met semhar d'r
zoontje", "mykola, iryna, tesfay en zeynep". deduce's first-name list is Dutch; these names are in no list. What
tells them is the language data the other rules use, read the other way round: a word that is **no Dutch word**
(not in deduce's common or stop words, not a form or lemma in spaCy's Dutch tables, no adjective, no compound of
two common Dutch words, rarely written in Dutch by wordfreq's count, no Dutch place) is a name where a person
stands:

* after *tegen*, *met*, *naast* and after a verb of saying ("zegt olha altijd");
* before *z'n*/*d'r* or *met z'n*/*met d'r* ("jurensly met z'n moeder", "semhar d'r zoontje");
* after *heet*, *heette*, *genaamd*, *noemen hem* ("hij heet mohssin");
* with a possessive *'s* ("shurandy's broer");
* listed with a name ("mykola, iryna, tesfay en zeynep");
* two such words after a comma or a person word: a first name and a surname ("buurvrouw, gül aydın,").

Listed first names that are words too ("toon", "frank", "jos") are found where a person is introduced by where
they work: "jos van de wijkraad", "frank van de schuldhulp", "jacqueline van CZ" (a noun takes an article there:
"de toon van het gesprek").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache

from verlicht.anonymise import rules
from verlicht.anonymise.lexicon import COMPOUND_PART_ZIPF, DIALECT_SOUNDS, dialect_forms  # noqa: F401
from verlicht.anonymise.lowercase import DEMONSTRATIVE_NAME_ZIPF
from verlicht.anonymise.rules import PERSOON, Found

UNLISTED = "rules:unlisted"
NOUN_ENDINGS = ("heid", "schap", "isme", "teit", "tie", "nis", "dom")
MAX_UNKNOWN = 9  # a longer unknown word is a compound or a dialect word far more often than a first name
# No Dutch word is this rare and unknown to every lexicon, yet a compound of two common words is (zipf of parts).
UNKNOWN_ZIPF = 3.0
LONG_TAIL_ZIPF = 4.5
CUE_BEFORE = frozenset("tegen met naast".split())
SAYING = frozenset("zegt zei zeiden vroeg vraagt vertelde vertelt riep belde".split())
NAMING = frozenset("heet heette genaamd".split())
LOWER = "a-zà-öø-ÿğışçśćńłźżąęőű"
WORD_AT = re.compile(rf"[{LOWER}]{{3,}}(?![\w'’-])")
WORDS = re.compile(rf"(?<![\w'’@./-])([{LOWER}]{{3,}})(?![\w@'’-])")
NEXT = re.compile(rf"\s+([{LOWER}]{{3,}})(?![\w'’-])")
POSSESSIVE_AFTER = re.compile(r"\s+(?:met\s+)?(?:z['’]n|d['’]r|zn)\s")
POSSESSIVE_S = re.compile(r"['’]s\s")
LIST_SEP = re.compile(r"(?:\s*,\s*|\s+en\s+|\s+of\s+|\s*,\s*en\s+)")
# Where someone works, belongs or lives: a team, a service, an office, a shop (by the end of the word), a
# capitalised name, or next door ("wiel van hiernaast", "roos van de bibliotheek", "wil van het jongerenwerk").
ORG_AFTER = re.compile(
    r"\s+van\s+(?:(?:de|het|'t)\s+)?(?:[a-z]*(?:team|bureau|raad|hulp|hulpverlening|vereniging|dienst|gemeente|"
    r"centrum|huis|kantoor|school|club|corporatie|afdeling|stichting|organisatie|praktijk|instantie|woningbouw|"
    r"wijkraad|bond|kerk|politie|opvang|werk|theek|bakker|bakkerij|winkel|markt|moskee|overkant)\b|[A-Z][\w-]*"
    r"|hiernaast\b|hiertegenover\b|hierachter\b)"
)
SUBJECTS = frozenset("ik je jij we wij ze zij hij u jullie".split())
CAPITAL_AFTER = re.compile(rf" ([{rules._UPPER}][{rules._LOWER}]+(?:-[{rules._UPPER}][{rules._LOWER}]+)?)(?![\w'’-])")
NOUN_BEFORE = frozenset(rules.ARTICLES | {"een", "geen", "elke", "iedere", "zo'n", "zo’n", "welke", "ons", "onze",
                                          "mijn", "m'n", "mien", "zijn", "z'n", "haar", "d'r", "hun", "uw", "jouw"})


def _lexicons():
    from verlicht.anonymise.lexicon import is_adjective, zipf
    from verlicht.anonymise.lowercase import _word_sets, is_dutch_word

    return is_adjective, zipf, is_dutch_word, _word_sets


@lru_cache(maxsize=1 << 16)
def is_compound(word: str) -> bool:
    """Two common Dutch words written as one ("armoedebeleid", "wijkteam"), with a linking s or e(n) allowed."""
    zipf, word_sets = _lexicons()[1], _lexicons()[3]
    first = word_sets()[0]

    def part(piece: str) -> bool:  # a common Dutch word, not a name ("hus" + "sam" is no compound)
        return len(piece) >= 3 and piece not in first and zipf(piece) >= COMPOUND_PART_ZIPF

    for i in range(3, len(word) - 2):
        head, tail = word[:i], word[i:]
        if not part(tail):
            continue
        if len(word) >= 7 and len(tail) >= 4 and zipf(tail) >= LONG_TAIL_ZIPF:
            return True  # "kienclub": a long word ending in a very common one
        if part(head) or (head.endswith(("s", "e")) and part(head[:-1])) or (head.endswith("en") and part(head[:-2])):
            return True
    return False


@lru_cache(maxsize=1 << 16)
def is_unknown(word: str) -> bool:
    """No Dutch word by any of the language data: a name where a person stands (see the module's docstring)."""
    is_adjective, zipf, is_dutch_word, word_sets = _lexicons()
    if len(word) < 3 or not word.isalpha() or not word.islower():
        return False
    _first, common, stop = word_sets()
    if word in common or word in stop or word in rules.SPOKEN_WORDS or word in rules.PERSON_CUES:
        return False
    if word in rules._union("residence", "municipality") or word in rules.NUMBER_WORDS:
        return False
    if is_dutch_word(word) or is_adjective(word) or zipf(word) >= UNKNOWN_ZIPF or is_compound(word):
        return False
    if word.endswith(NOUN_ENDINGS) or (word.endswith("ing") and is_dutch_word(word[:-3] + "en")):
        return False  # "menging" (mengen), "saamhorigheid": a noun made from a Dutch word
    return not any(is_dutch_word(v) or zipf(v) >= COMPOUND_PART_ZIPF for v in dialect_forms(word))


@lru_cache(maxsize=1 << 16)
def is_name_like(word: str) -> bool:
    """An unknown word, or a listed first name that is no Dutch word ("tinus", "pascal")."""
    _adj, _zipf, is_dutch_word, word_sets = _lexicons()
    first, _common, stop = word_sets()
    return (is_unknown(word) and len(word) <= MAX_UNKNOWN) or \
        (word in first and word not in stop and not is_dutch_word(word) and len(word) >= 3)


def _not_surnames() -> frozenset[str]:
    """Capitalised words after a lower-case name that are no surname: Dutch words, places, months and days."""
    return rules._union("common", "stop", "residence", "municipality",
                        extra=rules.MONTH_AND_DAY_WORDS | rules.SPOKEN_WORDS)


def _is_verb(word: str) -> bool:
    from verlicht.anonymise.lexicon import is_verb_form

    return is_verb_form(word)


def _prev_word(text: str, start: int) -> tuple[str, str]:
    """The word before ``start`` (lower case) and the punctuation between ('' for a space only)."""
    m = re.search(r"([\w'’]+)([^\w\n]*)$", text[max(0, start - 40):start])
    if not m:
        return "", "^"
    return m.group(1).casefold(), m.group(2).strip()


def find_unlisted_names(text: str) -> Iterator[Found]:
    """Names typed in lower case that no list holds, and listed word-like first names at work (module docstring)."""
    is_adjective, _zipf, is_dutch_word, word_sets = _lexicons()
    first, _common, stop = word_sets()
    hits: dict[int, int] = {}
    surnames: list[Found] = []  # apart from the lower-case name: its other mentions are looked for in lower case
    candidates: list[tuple[int, int, str]] = []
    index = rules.word_index(text).exact
    for word, starts in index.items():
        if word.endswith(("'s", "’s")) and is_name_like(word[:-2]):
            for i in starts:  # "shurandy's broer": the word index holds the name with its 's
                if POSSESSIVE_S.match(text, i + len(word) - 2):
                    hits[i] = i + len(word) - 2
            continue
        if len(word) < 3 or not word.islower() or not word.isalpha():
            continue
        name_like = is_name_like(word)
        org_name = word in first and word not in stop and word not in rules.PERSON_CUES
        if not name_like and not org_name:
            continue
        for i in starts:
            if not WORD_AT.match(text, i):
                continue
            end = i + len(word)
            prev, punct = _prev_word(text, i)
            if name_like:
                candidates.append((i, end, word))
            surname = CAPITAL_AFTER.match(text, end)
            if surname and (name_like or (word in first and word not in stop)) and not is_dutch_word(word) and \
                    surname.group(1).casefold() not in _not_surnames():
                hits[i] = end  # "johannes Pluijmen", "senait Habte": the capital says it is a surname
                surnames.append(Found(surname.start(1), surname.end(1), PERSOON, UNLISTED))
            elif name_like and _in_person_slot(text, i, end, prev, punct):
                hits[i] = end
            elif org_name and not punct and prev not in NOUN_BEFORE and \
                    not (len(prev) > 3 and prev.endswith("e") and is_adjective(prev)) and \
                    ORG_AFTER.match(text, end) and \
                    not (prev in SUBJECTS and is_dutch_word(word)):
                hits[i] = end  # "jos van de wijkraad", "zonder frank van de schuldhulp"
    # Listed together with a name: "mykola, iryna, tesfay en zeynep" (a listed first name that is no Dutch word).
    candidates.sort()
    anchors = {s for s, _e, w in candidates if w in first and w not in stop and not is_dutch_word(w)}
    grew = True
    while grew:
        grew = False
        for (s1, e1, _w1), (s2, e2, _w2) in itertools.pairwise(candidates):
            if not LIST_SEP.fullmatch(text, e1, s2):
                continue
            if (s1 in hits or s1 in anchors or s2 in hits or s2 in anchors) and (s1 not in hits or s2 not in hits):
                hits.setdefault(s1, e1)
                hits.setdefault(s2, e2)
                grew = True
    # A first name and a surname that no list holds: "gül aydın", "oksana kovalenko".
    for start in sorted(hits):
        end = hits[start]
        m = NEXT.match(text, end)
        if m and is_unknown(m.group(1)) and not re.match(r"\s+(?:en|of)\s", text[end:end + 5]):
            hits[start] = m.end(1)
    yield from sorted([Found(start, end, PERSOON, UNLISTED) for start, end in hits.items()] + surnames)


def _in_person_slot(text: str, start: int, end: int, prev: str, punct: str) -> bool:
    after = text[end:end + 30]
    if not punct and (prev in CUE_BEFORE or prev in NAMING):
        return True  # "tegen bartek", "met merhawi", "naast nataliia", "hij heet mohssin"
    if not punct and prev in SAYING:
        return True  # "zegt olha altijd"
    if not punct and prev == "die" and (n := NEXT.match(text, end)) and _is_verb(n.group(1)) and \
            not _is_verb(text[start:end]) and _lexicons()[1](text[start:end]) < DEMONSTRATIVE_NAME_ZIPF:
        return True  # "Die yonas werkt nu bij de schoonmaak"; not "Die merel zit op het dak"
    if not punct and prev == "dat" and re.search(r"(?i)\b(?:zegt|zei|zeggen|denk|dacht|vindt|vond|weet|wist)\s+dat\s+$",
                                                  text[max(0, start - 30):start]):
        return True  # "de docent zegt dat kidane het snelst leert"
    if prev == "hem" or prev == "haar":
        before = text[max(0, start - 30):start]
        if re.search(r"(?i)\bnoem(?:t|en|de|den)\s+(?:hem|haar)\s+$", before):
            return True  # "ze noemen hem mo"
    if POSSESSIVE_AFTER.match(after) or POSSESSIVE_S.match(after):
        return True  # "jurensly met z'n moeder", "semhar d'r zoontje", "shurandy's broer"
    if punct == "," and (prev in rules.PERSON_CUES or prev in PERSON_NOUNS) and NEXT.match(text, end) and \
            is_unknown(NEXT.match(text, end).group(1)):
        return True  # "mijn buurvrouw, gül aydın,"
    # "een meisje van de Open Universiteit, oksana kovalenko, die …"
    return punct == "," and bool(NEXT.match(text, end)) and is_unknown(NEXT.match(text, end).group(1)) and \
        bool(re.match(r"\s+\S+\s*,", after))


PERSON_NOUNS = frozenset("meisje jongen man vrouw coach buurvrouw buurman mevrouw meneer docent juf".split())
