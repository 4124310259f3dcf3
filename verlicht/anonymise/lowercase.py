"""Lower-case first names by the place they take in a sentence, and by their recurrence in a transcript.

A transcriber who types "zei dat esther het dossier zou overnemen" or "voor jan en anna" leaves a first name in
lower case with no title and no person word before it. Very common names (*jan*, *anna*, *kim*: as frequent in
written Dutch as ordinary words) are then told from words not by how rare they are but by where they stand:

* **slots where only a person fits**: "X en ik", "X z'n/d'r/zijn vrouw", "bij X thuis", "zei dat X …", a name
  spoken to ("nee, kim, dat …"), "X bedoel ik", "X is mijn broer", two first names joined by "en";
* **a verb right after** a rarer name ("gewoon marcel bellen", "toen zag wiel dat"): the name is the subject or
  object, a noun would take an article;
* **recurrence**: a name found with confidence anywhere in a transcript (capitalised mid-sentence, after a title
  or person word, in a slot) is found again at every other mention, in any case, as a human transcriber's names
  recur ("Wiel is mien broer … toen zag wiel dat …");
* **a person word before an unlisted name** ("z'n broer jeng"): a word no Dutch lemma table knows, rare in
  written Dutch, after *broer*, *buurvrouw*, *heet* — dialect names are missing from deduce's first-name list.

Every rule asks the same language data as :func:`verlicht.anonymise.rules.find_lowercase_first_names` (deduce's
first names, spaCy's Dutch lemma tables, wordfreq), so a Dutch word stays a word: no name follows an article or
an adjective ("een roos", "de hoop"), and verbs, function words and inflected forms are never names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from verlicht.anonymise import rules
from verlicht.anonymise.rules import PERSOON, Found

# Hesitations a transcriber writes between a person word and a name: "haar vriend, eh, mark".
FILLERS = frozenset("eh ehm ehh eeh euh uh uhm uhh um hm hmm mm".split())
POSSESSIVE_AFTER = frozenset("z'n z’n zn d'r d’r zijn haar der".split())
POSSESSIVES = frozenset("mijn m'n m’n mien mijne onze ons zijn z'n z’n haar d'r d’r hun uw jouw je".split())
SPEECH_VERBS = frozenset(
    "zei zegt zeggen zeiden vertelde vertelt vertelden dacht denk denkt hoorde hoor hoort wist weet vond vindt "
    "vroeg vraagt belde schreef schrijft riep".split()
)
ASK_VERBS = frozenset("vraag vraagt vroeg zeg zegt zei vertel vertelt vertelde geef geeft gaf".split())
SUBJECTS = frozenset("ik je jij we wij ze zij hij u jullie".split())
# Words after an inverted subject of a speech verb: "zei thomas tegen mij", "vroeg anna ook".
AFTER_SPEAKER = frozenset("tegen dat ook altijd nog toen dan meteen al nooit wel".split())
# Slots only a person fits, whatever the word: a first name that is also a word ("koen en ik", "roos z'n fiets")
# or a name missing from the list ("drike is mien tante") counts there.
STRONG_SLOTS = frozenset({"X en ik", "ik en X", "X z'n", "bij X thuis", "X bedoel ik", "X is mijn broer"})
# Words a name spoken to or named in apposition is followed by: "kim, jij moet …", "marcel, dat is de voorzitter".
TALKED_TO_NEXT = frozenset(
    "jij je u jullie kom kijk luister hoor wat dat die waar hoe doe ga zeg ik we wij dit".split()
)
MONTH_ABBREVIATIONS = frozenset("jan feb febr mrt apr jun jul aug sep sept okt nov dec".split())
SLOT = "rules:slot"
POSSESSIVE_S = re.compile(r"([a-zà-ÿ]{3,})['’]s")
PROPAGATED = "propagated"
TOKEN = re.compile(r"[^\W\d_][\w'’]*|\d+|\n|[^\w\s]")
SENTENCE_END = frozenset(".!?\n…")
# A capitalised-mid-sentence name found elsewhere, or one found by a rule that reads its context: strong enough to
# find the name again at its other mentions. deduce's and the propagated finds are not (deduce marks surnames
# that are words; propagation must not feed itself).
CONFIDENT_BY = ("rules:", "spacy", "review", "remove")
# Rules that read a person in the context: an unlisted word they find is a name ("z'n broer jeng", "Jeng:").
NAMING_RULES = frozenset({SLOT, "rules:title", "rules:speaker", "rules:introduced", "rules:called", "rules:unlisted",
                          "review"})


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Context:
    """What stands around a word: the words before and after it (fillers skipped, not across a sentence end)
    and the punctuation right next to it ('' for none, '^' for the start of a line or turn)."""

    before: tuple[str, ...]
    after: tuple[str, ...]
    punct_before: str
    punct_after: str


WINDOW = 80  # characters read on either side of a word: three words and the fillers between them


def context(text: str, start: int, end: int, reach: int = 3) -> Context:
    """The context of ``text[start:end]``, read from the few characters around it (a transcript is long and
    only the candidates' surroundings are ever needed)."""
    lo = max(0, start - WINDOW)
    before: list[str] = []
    punct_before = ""
    ended = False
    for w in reversed([m.group() for m in TOKEN.finditer(text, lo, start)]):
        if len(before) >= reach:
            break
        if w in SENTENCE_END or w == ":":
            if not before and not punct_before:
                punct_before = "^" if w in "\n:" else w
            ended = True
            break
        if w[0].isalnum():
            if w.casefold() not in FILLERS:
                before.append(w.casefold())
            elif not before:
                punct_before = ""  # "En eh, jos": the comma belongs to the hesitation
        elif not before and not punct_before:
            punct_before = w
    else:
        ended = lo == 0
    if ended and lo == 0 and not before and not punct_before:
        punct_before = "^"
    after: list[str] = []
    punct_after = ""
    for w in (m.group() for m in TOKEN.finditer(text, end, min(len(text), end + WINDOW))):
        if len(after) >= reach:
            break
        if w in SENTENCE_END:
            if not after and not punct_after:
                punct_after = w
            break
        if w[0].isalnum():
            if w.casefold() not in FILLERS:
                after.append(w.casefold())
        elif not after and not punct_after:
            punct_after = w
    return Context(tuple(before), tuple(after), punct_before, punct_after)


def _occurrences(text: str, words: Iterable[str]) -> Iterator[Word]:
    """Every occurrence of ``words`` as written (whole words, outside e-mail addresses and URLs), by the text's
    word index that the other rules share."""
    index = rules.word_index(text).exact
    for word in words:
        for i in index.get(word, ()):
            yield Word(word, i, i + len(word))


def _lexicons():
    from verlicht.anonymise.lexicon import is_adjective, is_inflected_or_function_word, is_verb_form, zipf

    return is_adjective, is_inflected_or_function_word, is_verb_form, zipf


@cache
def _word_sets() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    first = first_names()
    # Month abbreviations ("jan") are left out: written mid-sentence without a day number they are names.
    common = rules._union("common", "stop", extra=rules._NOT_NAME | rules._PREFIX_WORDS | rules.SPOKEN_WORDS
                          | (rules.MONTH_AND_DAY_WORDS - MONTH_ABBREVIATIONS))
    stop = rules._union("stop", extra=rules._NOT_NAME | rules._PREFIX_WORDS
                        | (rules.MONTH_AND_DAY_WORDS - MONTH_ABBREVIATIONS))
    return first, common, stop


DIMINUTIVE_ENDINGS = ("ke", "je", "tje", "ie", "ske", "che")


@cache
def first_names() -> frozenset[str]:
    """deduce's first names and their diminutives: a Limburg "hubke", "sjefke", a Dutch "keesje", "tonnie".

    Every -ke/-je/-tje/-ie form of a listed name of three letters or more counts, the way a transcriber writes
    what a speaker calls someone; a form that is a Dutch word ("roosje", "bankje") is still told from a name by
    the same word lists as any other name.

    Names of other origins that are no common Dutch word (:func:`verlicht.anonymise.lexicon.world_first_names`:
    *oksana*, *ionut*, *desislava*) count as first names too, without diminutives."""

    first = rules._lexicon("first")
    small = {name + end for name in first if len(name) >= 3 and name.isalpha() for end in DIMINUTIVE_ENDINGS}
    return first | frozenset(small) | _world_names()


def _world_names() -> frozenset[str]:
    """:func:`verlicht.anonymise.lexicon.world_first_names` without Limburg spellings of Dutch words: "hie"
    (hij), "dao" (daar), "nao" (na) are names somewhere, but in a Heerlen transcript they are words."""
    from wordfreq import get_frequency_dict

    from verlicht.anonymise.lexicon import COMPOUND_PART_ZIPF, _lemma_words, dialect_forms, world_first_names

    frequency = get_frequency_dict("nl")
    lemmas = _lemma_words()
    limit = 10 ** (COMPOUND_PART_ZIPF - 9)
    return frozenset(
        name for name in world_first_names()
        if not any(v in lemmas or frequency.get(v, 0.0) >= limit for v in dialect_forms(name))
    )


@lru_cache(maxsize=1 << 16)
def is_dutch_word(word: str) -> bool:
    """A word of Dutch beyond doubt: deduce's common or stop words, an inflected form, a verb/adjective/function
    word in spaCy's lemma tables."""
    _adj, inflected, verb, _zipf = _lexicons()
    _first, common, _stop = _word_sets()
    w = word.casefold()
    return w in common or inflected(w) or verb(w)


DEMONSTRATIVE_NAME_ZIPF = 3.0


def takes_article(ctx: Context, word: str = "") -> bool:
    """Whether the word is used as a noun: an article, a demonstrative or an adjective right before it.

    A spoken "die" before a first name that is no Dutch word points at a person ("Die georgi vertelde me",
    "Heel aardig, die oksana."), so it does not make ``word`` a noun."""
    is_adjective = _lexicons()[0]
    if ctx.punct_before or not ctx.before:
        return False
    prev = ctx.before[0]
    if prev == "die" and word and not is_dutch_word(word) and not is_adjective(word) and \
            _lexicons()[3](word) < DEMONSTRATIVE_NAME_ZIPF:
        return False  # not "Die merel zit elke ochtend op het dak" (3.4: a bird as often as a name)
    if prev in ("dat", "die") and len(ctx.before) > 1 and ctx.before[1] in SPEECH_VERBS:
        return False  # "zei dat esther …": a conjunction, not a demonstrative
    if prev == "het" and len(ctx.before) > 1 and ctx.before[1] in ASK_VERBS:
        return False  # "vraag het sjra maar": "het" is the thing asked
    # An adjective before a noun is inflected ("lange adem", "rode roos"); "gewoon", "voor" are adverbs there.
    return prev in rules.ARTICLES or prev in ("een", "geen", "elke", "iedere", "ieder", "zo'n", "zo’n", "welke") \
        or (prev not in rules.PERSON_CUES and len(prev) > 3 and prev.endswith("e") and (
            is_adjective(prev) or (prev.endswith(("ere", "ste")) and is_adjective(prev[:-3]))))


def slot(ctx: Context) -> str:
    """The name of the sentence slot a word stands in where only a person fits, or ''."""
    b, a = ctx.before, ctx.after
    prev = b[0] if b else ""
    nxt = a[0] if a else ""
    if not ctx.punct_after and nxt in ("en", "of") and len(a) > 1 and a[1] in ("ik", "mij"):
        return "X en ik"
    if not ctx.punct_before and prev == "en" and len(b) > 1 and b[1] in ("ik", "mij") and not ctx.punct_after \
            and nxt not in ("en",):
        return "ik en X"
    if not ctx.punct_after and nxt in POSSESSIVE_AFTER and len(a) > 1 and nxt in ("zijn", "haar", "der"):
        return "X zijn"  # "anna zijn vrouw"? also a verb or a pronoun: only for names that are no Dutch word
    if not ctx.punct_after and nxt in POSSESSIVE_AFTER and len(a) > 1 and a[1] not in rules.ARTICLES and \
            a[1] not in ("niet", "wel", "ook", "nog", "al", "geen", "er", "d'r", "daar", "hier", "te", "om"):
        return "X z'n"
    if not ctx.punct_after and nxt == "en" and len(a) > 2 and a[1] in POSSESSIVE_AFTER and \
            a[2] in rules.PERSON_CUES:
        return "X z'n"  # "lieve en d'r moeder, die brengen soep rond": the possessive refers back to the name
    if not ctx.punct_before and prev == "bij" and nxt == "thuis":
        return "bij X thuis"
    if not ctx.punct_before and prev == "dat" and len(b) > 1 and b[1] in SPEECH_VERBS:
        return "zei dat X"
    if nxt == "bedoel" or (nxt in ("heet", "heette") and not ctx.punct_after):
        return "X bedoel ik"
    if nxt in ("is", "was") and len(a) > 2 and a[1] in POSSESSIVES and a[2] in rules.PERSON_CUES:
        return "X is mijn broer"
    if ctx.punct_after == "," and len(a) > 1 and a[0] in POSSESSIVES and a[1] in rules.PERSON_CUES:
        return "X is mijn broer"  # "sjra, mien broer, die kent iedereen"
    if not ctx.punct_before and prev in SPEECH_VERBS and (nxt in AFTER_SPEAKER or ctx.punct_after in (":", ",")):
        return "zei X tegen"
    if not ctx.punct_before and prev in SUBJECTS and len(b) > 1 and b[1] in rules.BEFORE_CUES | SPEECH_VERBS and \
            b[1] not in ("met", "en", "van", "bij", "voor", "aan", "tegen"):
        return "zag ik X"
    if ctx.punct_before in (",", ":", "^") and ctx.punct_after == "," and nxt in TALKED_TO_NEXT:
        return "nee, X, dat"
    return ""


def _candidates(text: str) -> Iterator[tuple[Word, Context]]:
    """Lower-case words that are known first names or stand just after a person word, with their context (only
    those: reading the context of every word would cost more than all other rules)."""
    index = rules.word_index(text).exact
    first, common, stop = _word_sets()
    seen: set[int] = set()
    for w in _occurrences(text, [k for k in index if k in first and k not in stop and k.isalpha() and k.islower()
                                 and len(k) >= 3]):
        seen.add(w.start)
        if w.text in common and not (STRONG_NEXT.match(text, w.end) or STRONG_BEFORE.search(
                text, max(0, w.start - 30), w.start)):
            continue  # a Dutch word ("wiel", "roos") is a name only after a person word or in a strong slot
        yield w, context(text, w.start, w.end)
    for m in UNLISTED_CANDIDATE.finditer(text):
        if m.start() not in seen and m.group(1) not in common:
            seen.add(m.start())
            yield Word(m.group(1), m.start(1), m.end(1)), context(text, m.start(1), m.end(1))
    cues = [k for k in index if k.casefold() in rules.PERSON_CUES]
    for cue in _occurrences(text, cues):
        for m in AFTER_CUE.finditer(text, cue.end, min(len(text), cue.end + 30)):
            if m.start() not in seen and m.group().islower() and len(m.group()) >= 3 and m.group() not in common:
                seen.add(m.start())
                yield Word(m.group(), m.start(), m.end()), context(text, m.start(), m.end())


# Cheap tests before a Dutch word's context is read: something after it or before it that can make it a name.
STRONG_NEXT = re.compile(
    r"\s+(?:en\s+(?:ik|mij|z['’]n|d['’]r)\b|of\s+ik\b|z['’]n\b|zn\b|d['’]r\b|bedoel|heet|(?:is|was)\s)|,"
)
STRONG_BEFORE = re.compile(
    r"(?i)\b(?:" + "|".join(sorted(rules.PERSON_CUES)) + r"|bij|en|dat|zei|zegt|vroeg|het)\W{1,12}$"
    r"|(?:\b(?:eh|uh|uhm|ehm)\W+)$"
)
# Words in a slot where an unlisted name counts: "drike is mien tante", "sjra, mien broer", "jeng en ik".
UNLISTED_CANDIDATE = re.compile(
    r"(?<![\w'’-])([a-zà-ÿ]{3,})(?=,?\s+(?:(?:is|was)\s+)?(?:mijn|mien|m'n|onze|z'n|d'r|haar|zijn)\s|\s+en\s+ik\b"
    r"|,?\s+bedoel\b)"
)
AFTER_CUE = re.compile(r"(?<![\w'’])[^\W\d_]+(?![\w'’])")


def _sentence_openers(text: str) -> Iterator[tuple[Word, Context]]:
    """Capitalised first names that open a sentence (where a capital says nothing about a name)."""
    first = rules._lexicon("first")
    index = rules.word_index(text).exact
    for w in _occurrences(text, [k for k in index if k[:1].isupper() and k[1:].islower() and k.isalpha()
                                 and len(k) >= 3 and k.casefold() in first]):
        if not STRONG_NEXT.match(text, w.end) or not rules.at_sentence_start(text, w.start):
            continue
        ctx = context(text, w.start, w.end)
        if ctx.punct_before in ("^", ".", "!", "?", "\n", "…") or (not ctx.before and not ctx.punct_before):
            yield w, ctx


def find_slot_names(text: str) -> Iterator[Found]:
    """Lower-case known first names in a slot only a person fits; two first names joined by "en"; rare names
    with a verb after them; unlisted names after a person word."""
    is_adjective, inflected, is_verb, zipf = _lexicons()
    first, common, stop = _word_sets()
    hits: dict[int, Found] = {}
    pairs: list[tuple[Word, Context]] = []
    for w, ctx in _candidates(text):
        word = w.text
        pairs.append((w, ctx))
        if word in stop or takes_article(ctx, word):
            continue
        known = word in first
        dutch = word in common or inflected(word) or is_verb(word)
        prev = ctx.before[0] if ctx.before else ""
        common_verb = is_verb(word) and zipf(word) >= COMMON_VERB_ZIPF  # "wil", "zit"; not "jade" (a lemma too)
        if known and prev in rules.PERSON_CUES and not common_verb and ctx.punct_before not in (".", "^"):
            hits[w.start] = Found(w.start, w.end, PERSOON, SLOT)  # "haar vriend, eh, mark", "mijn dochter roos"
            continue
        where = slot(ctx)
        if where and ((known and not dutch) or (where in STRONG_SLOTS and not common_verb and (
                known or (zipf(word) < UNLISTED_ZIPF and where in UNLISTED_SLOTS and not dutch)))):
            hits[w.start] = Found(w.start, w.end, PERSOON, SLOT)
            continue
        nxt = ctx.after[0] if ctx.after else ""
        if known and not dutch and zipf(word) < rules.NAME_ZIPF and not ctx.punct_before and \
                (prev in rules.BEFORE_CUES or (nxt in rules.AFTER_CUES and not ctx.punct_after)):
            hits[w.start] = Found(w.start, w.end, PERSOON, SLOT)  # "en eh, jos van de overkant helpt"
            continue
        verb_before = bool(ctx.before) and not ctx.punct_before and is_verb(ctx.before[0])
        if known and not dutch and not ctx.punct_after and nxt and is_verb(nxt) and zipf(word) < rules.NAME_ZIPF \
                and nxt not in ("is", "was") and (not verb_before or ctx.before[0] in rules.BEFORE_CUES
                                                  or zipf(word) < rules.RARE_ZIPF):
            hits[w.start] = Found(w.start, w.end, PERSOON, SLOT)  # "gewoon marcel bellen", "toen zag wiel dat"
            continue
        if known and not dutch and zipf(word) < rules.RARE_ZIPF and (ctx.punct_before in (",", ":") or
                                                                     ctx.punct_after in (",", ".", "?", "!")):
            hits[w.start] = Found(w.start, w.end, PERSOON, SLOT)  # "hoe heet ie ook alweer, tygo."
            continue
        if not known and not dutch and prev in rules.PERSON_CUES and prev not in ("man", "vrouw", "kind") and \
                word not in rules._union("surname", "residence", "municipality") and \
                zipf(word) < UNLISTED_ZIPF and not is_adjective(word) and len(ctx.before) > 1 and \
                ctx.before[1] in POSSESSIVES | {"heet", "heette", "genaamd"}:
            hits[w.start] = Found(w.start, w.end, PERSOON, SLOT)  # "z'n broer jeng"
    # A possessive "anna's fiets" (not a plural "opa's", "auto's") and a speaker label typed in lower case "mia:".
    index = rules.word_index(text).exact
    for w in _occurrences(text, [k for k in index if POSSESSIVE_S.fullmatch(k)]):
        name = w.text[:-2]
        if name in first and not is_dutch_word(name) and name not in rules.PERSON_CUES:
            hits.setdefault(w.start, Found(w.start, w.start + len(name), PERSOON, SLOT))
    for m in LOWER_LABEL.finditer(text):
        if m.group(1) in first and not is_dutch_word(m.group(1)) and m.group(1) not in rules.GENERIC_SPEAKERS:
            hits.setdefault(m.start(1), Found(m.start(1), m.end(1), PERSOON, SLOT))
    # A sentence opened by a first name in a slot: "Wiel is mien broer", "Kim en ik gingen", "Jan z'n vrouw".
    for w, ctx in _sentence_openers(text):
        word = w.text.casefold()
        if word not in stop and not (is_verb(word) and zipf(word) >= COMMON_VERB_ZIPF) and slot(ctx) in OPENING_SLOTS:
            hits.setdefault(w.start, Found(w.start, w.end, PERSOON, SLOT))
    # Two first names joined by "en" or "of": "voor jan en anna" (not "iedere jan en alleman": one is no name).
    for w, ctx in pairs:
        m = PAIR.match(text, w.end)
        if not m or takes_article(ctx, w.text):
            continue
        other = m.group(1)
        if all(p in first and p not in common and not inflected(p) and not is_verb(p) for p in (w.text, other)):
            hits.setdefault(w.start, Found(w.start, w.end, PERSOON, SLOT))
            hits.setdefault(m.start(1), Found(m.start(1), m.end(1), PERSOON, SLOT))
    yield from (hits[k] for k in sorted(hits))


UNLISTED_ZIPF = 2.5
PAIR = re.compile(r"\s+(?:en|of)\s+([a-zà-ÿ]{3,})(?![\w'’-])")
LOWER_LABEL = re.compile(r"^[ \t]*([a-zà-ÿ]{3,})[ \t]*:", re.M)
COMMON_VERB_ZIPF = 4.5
UNLISTED_SLOTS = frozenset({"X en ik", "ik en X", "X bedoel ik", "X is mijn broer"})
OPENING_SLOTS = frozenset({"X en ik", "X z'n", "X bedoel ik", "X is mijn broer"})


def propagate(text: str, spans: Iterable[Found], keep: Iterable[tuple[int, int]]) -> list[Found]:
    """Other mentions, in any case, of first names found with confidence in this transcript.

    A lower-case mention counts unless the word is used as a noun (an article or adjective before it); when the
    word is also a Dutch word ("wiel", "roos") it needs a person's context too (a verb or a person word next to
    it). A capitalised mention of a name found in lower case counts always.
    """
    is_adjective, _inflected, _is_verb, zipf = _lexicons()
    first, common, stop = _word_sets()
    spans = list(spans)
    names: set[str] = set()
    for f in spans:
        if f.label != PERSOON or not f.by.startswith(CONFIDENT_BY):
            continue
        for word in rules.WORD.findall(text[f.start:f.end]):
            w = word.casefold()
            unlisted = f.by in NAMING_RULES and not is_dutch_word(w) and not is_adjective(w) and \
                zipf(w) < UNLISTED_ZIPF
            if len(w) >= 3 and w not in stop and (w in first or unlisted) and not (f.by == "spacy" and w in common):
                names.add(w)
    if not names:
        return []
    covered = bytearray(len(text))
    for s, e in [(f.start, f.end) for f in spans] + list(keep):
        covered[s:e] = b"\x01" * (e - s)
    out = []
    index = rules.word_index(text).folded
    for low in sorted(names):
        for i in index.get(low, ()):
            w = Word(text[i:i + len(low)], i, i + len(low))
            if any(covered[w.start:w.end]):
                continue
            if not w.text.islower() and not ((is_dutch_word(low) or is_adjective(low)) and
                                             rules.at_sentence_start(text, w.start)):
                out.append(Found(w.start, w.end, PERSOON, PROPAGATED))
                continue  # not "Lieve mensen hier": a word opening a sentence needs a person's context too
            if _lower_mention(text, w, low):
                out.append(Found(w.start, w.end, PERSOON, PROPAGATED))
    out.sort()
    return out + _with_surnames(text, spans + out)


def _lower_mention(text: str, w: Word, low: str) -> bool:
    """Whether a lower-case mention of a name found elsewhere is the name here."""
    is_adjective = _lexicons()[0]
    ctx = context(text, w.start, w.end)
    if takes_article(ctx, low):
        return False
    if ctx.before and not ctx.punct_before and ctx.before[0] in POSSESSIVES and ctx.before[0] not in ("zijn", "haar"):
        return False  # "mien buurman sjef … mien sjef op ut werk": after a possessive the word is a noun
    if ctx.after and not ctx.punct_after and (ctx.after[0].isdigit() or ctx.after[0] in rules.NUMBER_WORDS):
        return False  # "zei max van de voedselbank … max drie maanden": before a number it is "at most"
    if is_dutch_word(low) or is_adjective(low):
        prev = ctx.before[0] if ctx.before else ""
        nxt = ctx.after[0] if ctx.after else ""
        return prev in rules.PERSON_CUES or (prev in rules.BEFORE_CUES and not ctx.punct_before) or \
            (nxt in rules.AFTER_CUES and not ctx.punct_after) or bool(slot(ctx))
    return True


SURNAME_AFTER = re.compile(r" (van der|van den|van de|van 't|van|de|ter|ten) ([a-zà-ÿ]{3,})(?![\w'’-])")


def _with_surnames(text: str, spans: list[Found]) -> list[Found]:
    """A lower-case first name found, followed by a prefixed surname typed in lower case: "ingrid van dongen".
    The surname must be one (deduce's surnames) or a place a surname comes from ("van dongen"), and no common
    noun after a preposition ("jos van de overkant")."""
    from verlicht.anonymise.lexicon import zipf

    surnames = rules._lexicon("surname")
    places = rules._union("residence", "municipality")
    out = []
    for f in spans:
        if f.label != PERSOON or not text[f.start:f.end].isalpha() or not text[f.start:f.end].islower():
            continue
        m = SURNAME_AFTER.match(text, f.end)
        if not m:
            continue
        word = m.group(2)
        if (word in surnames and zipf(word) < rules.PREPOSITION_SURNAME_ZIPF) or \
                (m.group(1) == "van" and word in places and word not in _word_sets()[1]):
            out.append(Found(f.start, m.end(), PERSOON, PROPAGATED))
    return out

