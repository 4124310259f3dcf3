"""Our own detection patterns for Dutch spoken-style transcripts.

``deduce`` was made for clinical notes; interviews need more: licence plates,
IBANs, ages said out loud ("ik ben achtenzestig"), names after role words
("juf Roos", "wijkagent Bakker"), first names used as speaker labels, names
introduced in speech ("ik heet jan de wit"). Each pattern gives character
spans with a label; :mod:`verlicht.anonymise.pipeline` combines them with
deduce and spaCy and resolves overlaps.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from verlicht.anonymise.check_digits import elfproef

# Labels, as in the evaluation set and the pseudonyms ([PERSOON-7]).
PERSOON, ADRES, POSTCODE, PLAATS, INSTELLING = "PERSOON", "ADRES", "POSTCODE", "PLAATS", "INSTELLING"
TELEFOON, EMAIL, URL, IBAN, BSN = "TELEFOON", "EMAIL", "URL", "IBAN", "BSN"
DATUM, LEEFTIJD, KENTEKEN = "DATUM", "LEEFTIJD", "KENTEKEN"
LABELS = (PERSOON, ADRES, POSTCODE, PLAATS, INSTELLING, TELEFOON, EMAIL, URL, IBAN, BSN, DATUM, LEEFTIJD, KENTEKEN)
# Contact data and identifiers: exact formats, never trimmed by the keep-list.
STRUCTURED = frozenset({TELEFOON, EMAIL, URL, IBAN, BSN, KENTEKEN, POSTCODE, DATUM, LEEFTIJD})


@dataclass(frozen=True, slots=True, order=True)
class Found:
    """A candidate span: ``text[start:end]`` is personal data of kind ``label``, said by ``by``."""

    start: int
    end: int
    label: str
    by: str = "rules"


# --- names -----------------------------------------------------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-ÞĞİŞ"
_LOWER = "a-zß-öø-ÿğışç"
NAME_WORD = rf"[{_UPPER}][{_LOWER}]+(?:[-'’][{_UPPER}]?[{_LOWER}]+)*"


def capital_after(not_before: str) -> str:
    r"""A capital not preceded by any of the characters ``not_before`` (a character class's inside):
    ``(?<![\w-])[A-Z]`` written as ``[A-Z](?<![\w-][A-Z])``, so that Python's ``re`` looks for the capital first
    instead of trying the look-behind at every position. The same matches."""
    return rf"[{_UPPER}](?<![{not_before}][{_UPPER}])"


NAME_WORD_REST = NAME_WORD[len(f"[{_UPPER}]"):]  # NAME_WORD after its capital
_CAP_WORD = capital_after(r"\w")  # a capital that opens a word
_CAP_HYPHEN = capital_after(r"\w-")  # … and is not after a hyphen
_CAP_QUOTE = capital_after(r"\w'’-")  # … nor after an apostrophe
_CAP_DOT = capital_after(r"\w.'’-")  # … nor after a full stop
INITIALS = rf"(?:[{_UPPER}]\.\s?){{1,4}}"
# Surname prefixes (tussenvoegsels), longest first so "van der" wins over "van".
PREFIXES = (
    "van der", "van den", "van de", "van het", "van 't", "in 't", "in het", "in de", "op den", "op de", "op het",
    "op 't", "uit den", "uit de", "aan de", "aan den", "bij de", "ver", "van", "de", "den", "der", "het", "'t", "te",
    "ten", "ter", "el", "al", "la", "le", "du", "da", "di", "d'",
)
_PREFIX = "(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s") for p in PREFIXES) + r")"
# A full name: initials or first names, optional prefixes, a surname; prefixes may be capitalised ("Van Loo").
SURNAME = rf"(?:(?i:{_PREFIX})\s)?{NAME_WORD}"
FULL_NAME = rf"(?:{INITIALS}\s?)?(?:{NAME_WORD}\s)?(?:{NAME_WORD}\s)?{SURNAME}"

def word_start(*alternatives: str) -> str:
    r"""``(?i:\b(?:a|b|…))`` for alternatives that open with a letter, written so that Python's ``re`` skips to
    their first letters instead of trying the alternation at every position of the text.

    ``\b(?:ik\s+heet|ben)`` becomes ``[iIbB](?<!\w.)(?i:(?<=i)(?:k\s+heet)|(?<=b)(?:en))``: the first letter is
    taken by a plain character class (which ``re`` searches for quickly), the boundary is looked for behind it,
    and each alternative goes on from its first letter, in the same order; the matches are the same.
    """
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        groups.setdefault(alternative[0].lower(), []).append(alternative[1:])
    letters = "".join(c + c.upper() for c in groups)
    branches = "|".join(f"(?<={c})(?:{'|'.join(rests)})" for c, rests in groups.items())
    return rf"[{letters}](?<!\w.)(?i:{branches})"


# Role words after which a capitalised word is a name: "juf Roos", "meneer van der Heijden", "dokter Beckers".
TITLES = (
    "meneer", "mijnheer", "menheer", "mevrouw", "mevr", "mevr.", "mw", "mw.", "dhr", "dhr.", "heer", "dokter",
    "dr", "dr.", "juf", "juffrouw", "meester", "wijkagent", "huisarts", "zuster", "broeder", "pastoor", "dominee",
    "buurman", "buurvrouw", "oom", "ome", "tante", "opa", "oma", "collega", "wethouder", "burgemeester", "coach",
    "trainer", "meneertje", "vriendin", "vriend", "schoonzoon", "schoondochter", "zoon", "dochter", "kleinzoon",
    "kleindochter", "neef", "nicht", "broer", "zus", "zuster", "vader", "moeder", "man", "vrouw", "partner",
    "jongen", "meisje", "kind", "baby", "hond",
)
TITLE_WORDS = frozenset(t.rstrip(".") for t in TITLES)
_TITLE = "(?:" + "|".join(re.escape(t) for t in sorted(set(TITLES), key=len, reverse=True)) + ")"
TITLE_NAME = re.compile(rf"(?i:\b{_TITLE})\s+({INITIALS}\s?)?((?:(?i:{_PREFIX})\s)?"
                        rf"{NAME_WORD}(?:\s(?:(?i:{_PREFIX})\s)?{NAME_WORD}){{0,2}})")
# "(?<![\w.])[A-Z]" written as "[A-Z](?<![\w.][A-Z])": a pattern that opens with a letter class is tried only there.
INITIALS_NAME = re.compile(rf"[{_UPPER}](?<![\w.][{_UPPER}])\.\s?(?:[{_UPPER}]\.\s?){{0,3}}\s?"
                           rf"(?:(?i:{_PREFIX})\s)?{NAME_WORD}")
# Names introduced in speech, in any case: "ik heet jan de wit", "mijn naam is Mia Ploumen", "ze noemen hem de Kwats".
INTRODUCED = re.compile(
    word_start(r"ik\s+heet", r"heet\s+ik", r"mijn\s+naam\s+is", r"zijn\s+naam\s+is", r"haar\s+naam\s+is",
               r"naam\s*:", "genaamd", r"noem(?:en|den|de)\s+(?:ze|we|wij|zij|ik)\s+(?:me|mij|hem|haar|hun)",
               r"ik\s+ben\s+(?=[A-Z])", r"dit\s+is\s+(?=[A-Z])") + r"\s+"
    rf"((?:{INITIALS}\s?)?[\w'’-]+(?:\s(?:(?i:{_PREFIX})\s)?[\w'’-]+){{0,2}})"
)
# Speaker labels at the start of a line: "Mia:", "[00:12:58] Yvonne Janssen:".
_LABEL_NAME = FULL_NAME.replace(r"\s", r"[ \t]")  # a label never spans lines
SPEAKER_LABEL = re.compile(rf"^[ \t]*(?:\[\d{{1,2}}:\d{{2}}(?::\d{{2}})?\][ \t]*)?({_LABEL_NAME})[ \t]*:", re.M)
GENERIC_SPEAKERS = frozenset({
    "i", "r", "int", "interviewer", "interviewster", "onderzoeker", "respondent", "resp", "geïnterviewde",
    "geinterviewde", "moderator", "gespreksleider", "deelnemer", "spreker", "speaker", "vraag", "antwoord",
    "v", "a", "notitie", "noot", "opmerking", "let op", "tijd", "datum", "locatie", "plaats", "onderwerp",
})


# --- contact data and identifiers ------------------------------------------------------------------------------

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL_RE = re.compile(
    r"(?i)(?<![\w@/.-])(?:https?://|www\.)[^\s<>\"']+|"
    r"(?<![\w@/.-])(?:[a-z0-9-]+\.)+(?:nl|com|be|de|org|net|eu|info|io|me|online|shop|nu)/[^\s<>\"']*|"
    r"(?<![\w@/.-])(?:facebook|instagram|tiktok|linkedin|twitter|x|youtube)\.com\b[^\s<>\"']*"
)
PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?31[\s.-]*(?:\(0\)[\s.-]*)?|\(?0)[1-9](?:\)?[\s.-]{0,3}\d){8}(?!\d)"
)
IBAN_RE = re.compile(r"(?i)(?<![\w])[A-Z]{2}\d{2}[\s.-]?[A-Z]{4}(?:[\s.-]?\d){10}(?!\d)")
# Patterns for numbers open with a digit and look behind it afterwards ("\d(?<![.,-]\d)" is "(?<![.,-])\d"): a
# pattern that opens with a look-behind is tried at every position, one that opens with a digit only at digits.
BSN_RE = re.compile(r"\d(?<![\d.,-]\d)(?:\d{8}|\d{3}[. ]\d{2}[. ]\d{3}|\d{2}[. ]\d{3}[. ]\d{3}|\d[. ]\d{3}[. ]\d{4})"
                    r"(?![\d]|[.,]\d)")
BSN_LOOSE_RE = re.compile(r"\d(?<![\d.,-]\d)(?:[ .]?\d){8}(?![\d]|[.,]\d)")
BSN_CONTEXT = re.compile(r"(?i)\b(?:bsn|burgerservicenummer|burgerservice|sofi-?nummer|sofinr)\b")
POSTCODE_RE = re.compile(r"(?<![\w-])[1-9]\d{3}[ \t]?(?:[A-Z]{2}|[a-z]{2})(?![\w-])")
SHORT_WORDS = frozenset(
    (
        "en in op de te ik er je ze we al zo nu na om of is as an ga ja ne nee ok oh uw ie et da mn zn hé "
        "he"
    ).split()
)
PLATE_RE = re.compile(r"(?i)(?<![\w-])(?:[A-Z]{1,3}|\d{1,3})-(?:[A-Z]{1,3}|\d{1,3})-(?:[A-Z]{1,3}|\d{1,3})(?![\w-])")
# Plates written with spaces or without separators ("36 KV 82", "GRB07D"): upper case only, to spare words.
PLATE_LOOSE_RE = re.compile(r"(?<![\w-])(?:(?:[A-Z]{1,3}|\d{1,3}) (?:[A-Z]{1,3}|\d{1,3}) (?:[A-Z]{1,3}|\d{1,3})|"
                            r"[A-Z0-9]{6})(?![\w-])")

MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|febr|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
DATE_RE = re.compile(  # d-m-y, "d maand jaar", y-m-d; the first digit taken before the look-behind (see BSN_RE)
    rf"(?i)\d(?<![\w/.-]\d)(?:\d?[-/.]\d{{1,2}}[-/.](?:19|20)?\d{{2}}|"
    rf"\d?(?:e|ste|de)?\s+(?:{MONTHS})\.?\s+(?:'\d{{2}}|(?:19|20)\d{{2}})|"
    rf"(?<=1)9\d{{2}}-\d{{2}}-\d{{2}}|(?<=2)0\d{{2}}-\d{{2}}-\d{{2}})(?![\w/-])"
)
# Reference dates of programmes and reports are public, not personal: 1-1-2023, "per 1 januari".
DATE_PUBLIC_CONTEXT = re.compile(
    r"(?i)\b(?:nulmeting|peildatum|peiljaar|programma|monitor|rapport|rapportage|begroting|raadsbesluit|"
    r"besluit|subsidie|looptijd|start(?:te|ten)?|per|vanaf|tot|deadline|vergadering|bijeenkomst)\b"
)


def _number_words() -> dict[str, int]:
    units = ["", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
    teens = ["tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien",
             "negentien"]
    tens = ["", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"]
    words: dict[str, int] = {}
    for n, word in enumerate(units[1:], 1):
        words[word] = n
    words["één"] = 1
    for n, word in enumerate(teens, 10):
        words[word] = n
    for t in range(2, 10):
        words[tens[t]] = 10 * t
        for u in range(1, 10):
            joint = "ën" if units[u].endswith("e") else "en"
            words[units[u] + joint + tens[t]] = 10 * t + u
            words[units[u] + "en" + tens[t]] = 10 * t + u
    for word, n in list(words.items()):
        if n < 20:
            words["honderd" + word] = 100 + n
    words["honderd"] = 100
    return words


NUMBER_WORDS = _number_words()
_NUM_WORDS_ONLY = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_NUM = rf"(?:\d{{1,3}}|{_NUM_WORDS_ONLY})"
# "82-jarige", "vierentachtigjarige", "de 67-jarige"
AGE_JARIG = re.compile(rf"(?i)(?<![\w-]){_NUM}-?jarige?n?\b")
# "43 jaar oud", "ze is 91", "ik ben achtenzestig", "Jordy is veertien", "werd 80", "mijn zoon van 12"
AGE_OUD = re.compile(rf"(?i)(?<![\w-])({_NUM}\s+jaar)\s+oud\b")
AGE_VERB = re.compile(
    rf"(?i)\b(?:ik\s+ben|ben\s+ik|(?:is|was|werd|wordt|word)\s+(?:ze|zij|hij|die|ik|u)|"
    rf"(?:ze|zij|hij|die|[A-Z]\w+)\s+(?:is|was)|werd|wordt|word|"
    rf"geworden|worden|leeftijd\s+van|leeftijd\s*:?)\s+(?:(?:nu|toen|inmiddels|bijna|pas|net|al|ruim|nog|"
    rf"ongeveer|rond|zo'?n|maar|amper|ook|dan)\s+){{0,2}}({_NUM}(?:\s+jaar)?)(?=\s*(?:[.,;!?)]|$|\n|oud\b|geworden\b|en\s|hè|he\b|hoor|dus\b|"
    rf"maar\b|toen\b|nu\b|of\s+zo))"
)
AGE_KIN = re.compile(
    rf"(?i)\b(?:zoon|dochter|kind|kleinzoon|kleindochter|jongen|meisje|broer|zus|zusje|broertje|jongetje|"
    rf"meid|tweeling)\s+van\s+({_NUM}(?:\s+jaar)?)\b(?!\s+(?:geleden|lang|terug))"
)
# An answer to "hoe oud is …?" on the next turn: "Net: Negen."
AGE_ANSWER = re.compile(
    rf"(?i)(?:hoe\s+oud\b[^\n]*\n[ \t]*(?:\[[\d:]+\][ \t]*)?(?:[^\W\d][\w ]{{0,30}}:[ \t]*)?(?:eh,?\s+|uh,?\s+)?)"
    rf"({_NUM}(?:\s+jaar)?)\b"
)
# "met achtentachtig jaar!": at that age
AGE_WITH = re.compile(rf"(?i)met(?<!\wmet)\s+({_NUM}\s+jaar)(?=\s*[,.;!?)]|\s+(?:nog|al|oud)\b)")
# "Yvonne Nijsten, 43 jaar, moeder van drie"
AGE_APPOSITION = re.compile(rf",(?<=[{_LOWER}],)\s+({_NUM}\s+jaar)(?=\s*[,.;)]|\s+en\b)")
AGE_PAREN = re.compile(rf"{_CAP_WORD}[{_LOWER}]+\s\((\d{{1,3}})\)")
# Durations and programme figures look like ages but are not: "al zestien jaar", "25 jaar", "sinds '98".
DURATION_AFTER = re.compile(r"(?i)^\s+(?:in|bij|lid|getrouwd|hier|werkzaam|gewerkt|ondergronds|samen|lang|"
                            r"geleden|terug|actief|vrijwilliger|mee|op|aan|daar|de|het|een)\b")

# Street names: a word ending in a street suffix, or "Op de …"/"Aan de …", followed by a house number.
STREET_SUFFIX = (
    "straat|weg|laan|plein|singel|hof|dreef|pad|steeg|kade|gracht|park|ring|baan|veld|boord|berg|dal|markt|wal|"
    "erf|gaard|rade|heide|broek|hei|hoeve|kamp|akker|hof|beemd|dries|kuil|pas|poort|allee|boulevard|promenade|"
    "passage|galerij|hoek|veste|vest|werf|burcht|borg|donk|rode|stein|ven|bos|driesch|bampd|gats|graaf"
)
HOUSE_NUMBER = r"\d{1,4}(?:\s?-?\s?[a-zA-Z](?![\w]))?(?:\s?-\s?\d{1,3})?"
_STREET_WORD = rf"(?:[{_UPPER}][{_LOWER}]{{0,4}}\.[ \t]|[{_UPPER}][{_LOWER}]+[ \t])(?:(?i:{_PREFIX})[ \t])?"
# "(?<!\w)(?:W)*S", W and S both opening with a capital, written as "C(?:w(?:W)*C)?s" (w, s: W, S after their capital)
# so that it opens with the capital (see capital_after): the same words tried in the same order.
STREET_RE = re.compile(
    rf"{_CAP_WORD}(?:(?:[{_LOWER}]{{0,4}}\.[ \t]|[{_LOWER}]+[ \t])(?:(?i:{_PREFIX})[ \t])?"
    rf"(?:{_STREET_WORD})*[{_UPPER}])?"
    rf"[{_LOWER}]*(?:{STREET_SUFFIX})\s{HOUSE_NUMBER}(?![\d])"
)
STREET_PHRASE = re.compile(
    rf"(?<![\w])(?:Op|Aan|In|Bij|Onder|Achter|Over)\s(?:de|den|het|'t)\s{NAME_WORD}(?:\s{NAME_WORD})?\s{HOUSE_NUMBER}"
    r"(?![\d])"
)
STREET_CUE = re.compile(
    word_start("woon", "woont", "woonde", "woonden", "wonen", "adres", r"adres\s+is", r"verhuisd\s+naar",
               r"ingetrokken\s+op", "gewoond")
    + rf"(?i:\s+(?:op|aan|in)\s+(?:de\s+|het\s+)?)((?:{NAME_WORD}\s){{0,2}}{NAME_WORD}\s{HOUSE_NUMBER})(?![\d])"
)
# Institutions that identify a private person: a child's school, a care home, a small employer, a club.
INSTITUTION_RE = re.compile(
    rf"(?i:\b(?:basisschool|bs|uitzendbureau|bedrijf|bouwbedrijf|schoonmaakbedrijf|installatiebedrijf|"
    rf"transportbedrijf|hoveniersbedrijf|firma|winkel|restaurant|tandarts|fysiotherapie|fysio|sportschool|"
    rf"dansschool|kinderopvang|opvang|obs|kindcentrum|ikc|kinderdagverblijf|kdv|peuterspeelzaal|gastouderopvang|"
    rf"bso|creche|crèche|zorgcentrum|verzorgingshuis|verpleeghuis|woonzorgcentrum|zorgboerderij|"
    rf"kapsalon|bakkerij|slagerij|garage|café|cafe|snackbar|frituur|voetbalclub|vv|sv|rkvv|rksv|harmonie|"
    rf"fanfare|schutterij|carnavalsvereniging|cv|scouting|basisschool|school|college|lyceum|praktijk|"
    rf"huisartsenpraktijk|tandartspraktijk|apotheek|supermarkt))"
    rf"\s+((?:(?:de|het|'t|sint|st\.?|de\s+)\s?)?(?:{NAME_WORD}|'t\s{NAME_WORD})(?:[\s-](?:{NAME_WORD}|de|het|van|"
    rf"'t))*)"
)


SPOKEN_YEAR = re.compile(r"(?i)negentien|twintig|tweeduizend")
JARIG = re.compile(r"(?i)jarig")
JAAR_OUD = re.compile(r"(?i)jaar\s+oud\b")


def _near_anchor(pattern: re.Pattern[str], text: str, anchor: re.Pattern[str], back: int,
                 needed: list[int] | None = None) -> list[re.Match[str]]:
    """Matches of a pattern that starts with a long alternation, looked for only just before a cheap anchor.

    Python's ``re`` tries every alternative at every position; anchoring on a literal that every match
    contains ("jarig", "jaar oud") makes those patterns cost a substring search. With ``needed`` (sorted
    offsets, one of which every wanted match must contain, such as where the numbers are) an anchor with none
    of them in its window is passed over.
    """
    found: dict[tuple[int, int], re.Match[str]] = {}
    for a in anchor.finditer(text):
        if needed is not None:
            i = bisect.bisect_left(needed, a.start() - back)
            if i == len(needed) or needed[i] >= a.end() + 60:
                continue
        for m in pattern.finditer(text, max(0, a.start() - back), min(len(text), a.end() + 60)):
            if m.start() <= a.start() < m.end():
                found.setdefault(m.span(), m)
    return [found[k] for k in sorted(found)]


def _at_words(pattern: re.Pattern[str], text: str, words: frozenset[str]) -> list[re.Match[str]]:
    """Matches of a pattern that starts with one of ``words``, tried only where such a word starts."""
    index = word_index(text).folded
    out = []
    for word in words & index.keys():
        for i in index[word]:
            m = pattern.match(text, i)
            if m:
                out.append(m)
    return sorted(out, key=lambda m: m.start())


TOKEN = re.compile(r"[\w'’]+")


@dataclass(frozen=True, slots=True)
class WordIndex:
    exact: dict[str, list[int]]
    folded: dict[str, list[int]]


@lru_cache(maxsize=4)
def word_index(text: str) -> WordIndex:
    """Start offsets of every word of ``text`` (not inside e-mail addresses or URLs), as written and folded."""
    starts_of: defaultdict[str, list[int]] = defaultdict(list)
    for m in TOKEN.finditer(text):
        i = m.start()
        if i > 1 and text[i - 1] in "@./-" and text[i - 2].isalnum():
            continue
        starts_of[m.group()].append(i)
    exact = dict(starts_of)
    # Folded from the distinct words, not per token: a transcript repeats its words many times.
    folded: dict[str, list[int]] = {}
    for word, starts in exact.items():
        key = word.casefold()
        folded[key] = sorted(folded[key] + starts) if key in folded else starts
    return WordIndex(exact, folded)


def _near(pattern: re.Pattern[str], text: str, start: int, end: int, window: int = 40) -> bool:
    return bool(pattern.search(text, max(0, start - window), min(len(text), end + window)))


DIGIT = re.compile(r"\d")
WORD = re.compile(r"[^\W\d_]+")


def find_structured(text: str) -> Iterator[Found]:
    """Contact data and identifiers: e-mail, URL, phone, IBAN, BSN, postcode, licence plate, dates, ages."""
    # Cheap checks first: most utterances hold no digit, no '@' and no web address.
    if "@" in text:
        for m in EMAIL_RE.finditer(text):
            yield Found(m.start(), m.end(), EMAIL)
    yield from find_ages(text)
    if not DIGIT.search(text):
        yield from find_dates(text)
        if "www." in text or "/" in text or ".com" in text:
            yield from _urls(text)
        return
    yield from _urls(text)
    yield from _numbers(text)
    yield from find_dates(text)


# Every web address holds "://", "www.", a "/" after its domain or ".com", and none holds white space: URL_RE (whose
# domain part would be tried at every word) is tried only on the lines that hold one of those.
URL_ANCHOR = re.compile(r"(?i)/|www\.|\.com")


def _url_matches(text: str) -> Iterator[re.Match[str]]:
    at = 0
    for a in URL_ANCHOR.finditer(text):
        if a.start() < at:
            continue
        start = text.rfind("\n", 0, a.start()) + 1
        end = text.find("\n", a.end())
        at = len(text) if end < 0 else end
        yield from URL_RE.finditer(text, start, at)


def _urls(text: str) -> Iterator[Found]:
    for m in _url_matches(text):
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:!?)]'\"":
            end -= 1
        if "@" not in text[m.start():end]:
            yield Found(m.start(), end, URL)


def _digit_regions(text: str, margin: int = 40) -> list[tuple[int, int]]:
    """The lines that hold a digit, widened by ``margin`` characters and merged: every number pattern needs a
    digit, and most turns of a transcript hold none, so the patterns need not be tried there."""
    regions: list[tuple[int, int]] = []
    m = DIGIT.search(text)
    while m:
        line_end = text.find("\n", m.start())
        line_end = len(text) if line_end < 0 else line_end
        start = max(0, text.rfind("\n", 0, m.start()) + 1 - margin)
        end = min(len(text), line_end + margin)
        if regions and start <= regions[-1][1]:
            regions[-1] = (regions[-1][0], end)
        else:
            regions.append((start, end))
        m = DIGIT.search(text, line_end)
    return regions


def _in_regions(pattern: re.Pattern[str], text: str, regions: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    for start, end in regions:
        yield from pattern.finditer(text, start, end)


# Nine digits with at most a bracket and three separators between each two: every IBAN, phone number and BSN
# holds this, so those patterns are tried only in the regions that hold one. And every plate written with
# hyphens holds "-XX-".
NINE_DIGITS = re.compile(r"\d(?:\)?[\s.-]{0,3}\d){8}")
PLATE_MIDDLE = re.compile(r"(?i)-(?:[A-Z]{1,3}|\d{1,3})-")


def _numbers(text: str) -> Iterator[Found]:
    regions = _digit_regions(text)
    long_regions = [(s, e) for s, e in regions if NINE_DIGITS.search(text, s, e)]
    for m in _in_regions(IBAN_RE, text, long_regions):
        yield Found(m.start(), m.end(), IBAN)
    for m in _in_regions(PHONE_RE, text, long_regions):
        yield Found(m.start(), m.end(), TELEFOON)
    for m in _in_regions(BSN_RE, text, long_regions):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) == 9 and (elfproef(digits) or _near(BSN_CONTEXT, text, m.start(), m.end())):
            yield Found(m.start(), m.end(), BSN)
    for m in _in_regions(BSN_LOOSE_RE, text, long_regions):
        if elfproef(re.sub(r"\D", "", m.group())):
            yield Found(m.start(), m.end(), BSN)
    for m in _in_regions(POSTCODE_RE, text, regions):
        letters = m.group()[-2:]
        if letters.islower() and letters in SHORT_WORDS:
            continue
        if letters.upper() in ("SS", "SD", "SA"):
            continue
        yield Found(m.start(), m.end(), POSTCODE)
    for m in _in_regions(PLATE_RE, text, [(s, e) for s, e in regions if PLATE_MIDDLE.search(text, s, e)]):
        groups = m.group().split("-")
        kinds = [g.isdigit() for g in groups]
        if sum(len(g) for g in groups) == 6 and any(kinds) and not all(kinds) and all(
            g.isdigit() or g.isalpha() for g in groups
        ) and (m.group().isupper() or any(c.isdigit() for c in groups[0] + groups[-1])):
            yield Found(m.start(), m.end(), KENTEKEN)
    for m in _in_regions(PLATE_LOOSE_RE, text, regions):
        compact = m.group().replace(" ", "")
        groups = re.findall(r"[A-Z]+|\d+", compact)
        if len(compact) == 6 and 2 <= len(groups) <= 3 and any(g.isdigit() for g in groups) and any(
            g.isalpha() for g in groups
        ) and (" " not in m.group() or len(groups) == 3):
            yield Found(m.start(), m.end(), KENTEKEN)


DAY_MONTH_RE = re.compile(rf"(?i)\d(?<![\w/.-]\d)\d?(?:e|ste|de)?\s+(?:{MONTHS})\b(?!\.?\s+(?:'\d|\d))")
PERSONAL_DATE_CUE = re.compile(r"(?i)\b(?:jarig|verjaardag|wordt|word|werd|geboren|overleden|gestorven|begraven|"
                               r"geboortedatum|trouwdag|getrouwd)\b")
SPOKEN_DATE_RE = re.compile(
    rf"(?i)(?<![\w-])(?:\d{{1,2}}|{_NUM_WORDS_ONLY})\s+(?:{MONTHS})\s+"
    rf"(?:negentien|twintig|tweeduizend)(?:honderd)?(?:\s?(?:en\s?)?(?:{_NUM_WORDS_ONLY}))?\b"
)


def find_dates(text: str) -> Iterator[Found]:
    """Full dates (day, month, year), except reference dates of programmes and reports; a day and month
    near a birthday or a death; dates said in words ("zeven februari negentien negenendertig")."""
    lower = text.casefold()
    if "negentien" in lower or "twintig" in lower or "tweeduizend" in lower:
        for m in _near_anchor(SPOKEN_DATE_RE, text, SPOKEN_YEAR, 45):
            yield Found(m.start(), m.end(), DATUM)
    if not DIGIT.search(text):
        return
    for m in DAY_MONTH_RE.finditer(text):
        if _near(PERSONAL_DATE_CUE, text, m.start(), m.end(), 25):
            yield Found(m.start(), m.end(), DATUM)
    for m in DATE_RE.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()]
        if DATE_PUBLIC_CONTEXT.search(before):
            continue
        if re.fullmatch(r"(?i)0?1[-/.]0?1[-/.]\d{2,4}|1\s+jan(?:uari)?\.?\s+\d{4}", m.group()):
            continue  # 1 January: the reference date of monitors, not a birthday as a rule
        yield Found(m.start(), m.end(), DATUM)


NUMBER_TOKEN = re.compile(r"(?<![\w-])(?:\d{1,3}|[^\W\d_]{3,})(?![\w])")
AGE_VERB_ANCHOR = re.compile(word_start("ben", "is", "was", "werd", "wordt", "word", "geworden", "worden", "leeftijd")
                             + r"\b")
KIN_WORDS = frozenset(
    "zoon dochter kind kleinzoon kleindochter jongen meisje broer zus zusje broertje jongetje meid tweeling".split()
)


def find_ages(text: str) -> Iterator[Found]:
    """Ages said out loud: "43 jaar oud", "ze is 91", "82-jarige", "mijn zoon van twaalf"."""
    lower = text.casefold()
    if "jarig" in lower:
        for m in _near_anchor(AGE_JARIG, text, JARIG, 30):
            yield Found(m.start(), m.end(), LEEFTIJD)
    # Where numbers stand, from the word index the other rules share (not a scan of every word).
    numbers = sorted(i for w, starts in word_index(text).folded.items()
                     if (w.isdigit() and len(w) <= 3) or w in NUMBER_WORDS for i in starts)
    if not numbers:
        return
    # Patterns that open with a long alternation are tried only near a number and their own cue word.
    matches = [m for m in _near_anchor(AGE_VERB, text, AGE_VERB_ANCHOR, 30, numbers) if _number_within(numbers, m)]
    matches += _at_words(AGE_KIN, text, KIN_WORDS)
    if "jaar" in lower:
        matches += AGE_APPOSITION.finditer(text)
        matches += AGE_WITH.finditer(text)
        if " oud" in lower:
            matches += _near_anchor(AGE_OUD, text, JAAR_OUD, 30)
    if "hoe oud" in lower:
        matches += AGE_ANSWER.finditer(text)
    if "(" in text:
        matches += AGE_PAREN.finditer(text)
    for m in matches:
        start, end = m.span(1)
        value = m.group(1).split()[0].casefold()
        number = int(value) if value.isdigit() else NUMBER_WORDS.get(value, 0)
        if not 0 < number < 120 or DURATION_AFTER.match(text, end) or value in ("een", "één"):
            continue
        yield Found(start, end, LEEFTIJD)


def _number_within(numbers: list[int], m: re.Match[str]) -> bool:
    i = bisect.bisect_left(numbers, m.start())
    return i < len(numbers) and numbers[i] < m.end()


def find_addresses(text: str) -> Iterator[Found]:
    """Street and house number, in the forms Dutch speakers use."""
    for pattern in (STREET_RE, STREET_PHRASE):
        for m in pattern.finditer(text):
            yield Found(m.start(), m.end(), ADRES)
    for m in STREET_CUE.finditer(text):
        yield Found(m.start(1), m.end(1), ADRES)


def find_names(text: str) -> Iterator[Found]:
    """Person names signalled by their surroundings: titles, initials, introductions, speaker labels."""
    for m in _at_words(TITLE_NAME, text, TITLE_WORDS):
        start = m.start(1) if m.group(1) else m.start(2)
        # A title before a capitalised common word at the start of a sentence is still a name ("juf Roos").
        yield Found(start, m.end(2), PERSOON, "rules:title")
    for m in INITIALS_NAME.finditer(text):
        last = re.findall(r"[^\W\d_]+", m.group())[-1].casefold()
        if last in _lexicon("common") or last in _lexicon("stop"):
            continue  # an enumeration "A. Het programma …", not "A. Coenen"
        yield Found(m.start(), m.end(), PERSOON, "rules:initials")
    for m in INTRODUCED.finditer(text):
        start, end = m.span(1)
        words = m.group(1).split()
        # Stop at the first word that cannot be part of a name ("ik ben jan en ik woon …").
        kept: list[str] = []
        for word in words:
            bare = word.strip("'’")
            if bare.casefold() in _NOT_NAME or (kept and bare.casefold() not in _PREFIX_WORDS and bare.islower()
                                                 and not words[0].islower()):
                break
            kept.append(word)
        while kept and kept[-1].casefold() in _PREFIX_WORDS:
            kept.pop()
        if kept:
            end = start + len(" ".join(kept)) if " ".join(kept) == m.group(1)[: len(" ".join(kept))] else end
            yield Found(start, end, PERSOON, "rules:introduced")
    for m in (NICKNAME_BEFORE.finditer(text) if NICKNAME_CUE.search(text) else ()):
        yield Found(m.start(1), m.end(1), PERSOON, "rules:nickname")
    labels = list(SPEAKER_LABEL.finditer(text))
    counts: dict[str, int] = {}
    for m in labels:
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    for m in labels:
        label = m.group(1)
        if label.casefold() in GENERIC_SPEAKERS or re.fullmatch(r"(?i)(spreker|speaker|deelnemer)\s*\d*", label):
            continue
        if is_name_like(label) or (counts[label] > 1 and label.casefold() not in _lexicon("stop")):
            yield Found(m.start(1), m.end(1), PERSOON, "rules:speaker")

# Words of spoken Dutch and Limburg dialect that open sentences and that name lists also hold as surnames.
SPOKEN_WORDS = frozenset(
    "niks niets jongens meiden mensen zelfs oud nieuw sins sinds kiek kijk jao joa hej hè nou toch eigenlijk gewoon "
    "echt allee alleh sjoen sjiek neet mer waal good goed wel dus kortom tja enfin zeker precies klopt inderdaad "
    "natuurlijk misschien soms vroeger later eerst daarna toen nu vandaag morgen gisteren buiten binnen boven "
    "beneden samen alles iedereen niemand moeder vader opa oma baas mam pap schat lieverd kinders vrouw man "
    "hoor ach och oei sorry dank bedankt prima super mooi lekker zuur zwart wit groot klein lang kort "
    "mien dien zien".split()  # Limburg "mien vader" (my), not the name Mien
)


def is_name_like(words: str) -> bool:
    """Whether capitalised words look like a name rather than a heading: a known name, or no Dutch word."""
    parts = [w.casefold() for w in re.findall(r"[^\W\d_]+", words) if w.casefold() not in _PREFIX_WORDS]
    if not parts:
        return False
    if any(p in _lexicon("first") or p in _lexicon("surname") for p in parts):
        return True
    return len(parts) > 1 and not any(p in _lexicon("common") or p in _lexicon("stop") for p in parts)


BIRTHPLACE = re.compile(
    word_start("geboren", "getogen", "opgegroeid", "afkomstig", "vandaan", "oorspronkelijk", "kom", "komt", "kwam",
               "verhuisd")
    + rf"(?i:(?:\s+en\s+getogen)?\s+(?:in|uit|naar|van)\s+)({NAME_WORD}(?:[\s-]{NAME_WORD})?)"
)


PLACE_WORDS = re.compile(rf"{_CAP_QUOTE}{NAME_WORD_REST}(?:[ -]{NAME_WORD})?(?![\w'’-])")


def find_places(text: str) -> Iterator[Found]:
    """A village someone was born in or comes from: small places identify people (public places are kept)."""
    for m in BIRTHPLACE.finditer(text):
        yield Found(m.start(1), m.end(1), PLAATS)
    for m in STREET_NICKNAME.finditer(text):
        yield Found(m.start(), m.end(), PLAATS)
    # Any Dutch village or town by name (deduce's list of residences); the keep-list spares the public ones.
    places, words = _union("residence", "municipality"), _union("common", "stop", "first", extra=SPOKEN_WORDS)
    for m in PLACE_WORDS.finditer(text):
        name = m.group().casefold()
        if name in places and name not in words:
            yield Found(m.start(), m.end(), PLAATS, "rules:place")


# A name said right before "zo noemden ze hem": "de Kwats, zo noemden ze hem".
NICKNAME_BEFORE = re.compile(
    rf"((?:(?i:de|het|'t)\s)?{NAME_WORD})\s*,\s*(?i:zo|zoals|als)\s+(?i:noem(?:en|den|de)|heet|heette)\s+"
    r"(?i:ze|we|wij|zij|ik|iedereen|men)\b"
)
# What every NICKNAME_BEFORE match holds (that pattern opens with a name: tried at every capital otherwise).
NICKNAME_CUE = re.compile(r",\s*(?i:zo|zoals|als)\s+(?i:noem(?:en|den|de)|heet|heette)\s+")
# A street without a house number that identifies someone: "Jeu van de Kampstraat".
STREET_NICKNAME = re.compile(rf"(?<=\b(?:van|uit) de )[{_UPPER}][{_LOWER}]*(?:{STREET_SUFFIX})\b")
# A capitalised word inside a sentence that is a known first name and no Dutch word: "dat waas Wiel".
CAPITALISED = re.compile(rf"{_CAP_DOT}{NAME_WORD_REST}(?:\s{SURNAME})?")


def at_sentence_start(text: str, start: int) -> bool:
    """Whether a word at ``start`` opens a sentence, a line or a turn (capitals say nothing there).

    Only the last 200 characters count; read backwards over the blanks instead of copying them (this is
    asked for every capitalised word)."""
    lo = max(0, start - 200)
    i = start - 1
    while i >= lo and text[i] in " \t~":
        i -= 1
    return i < lo or text[i] in ".!?:;…\n\"“‘([]-–"


# "Door in 't Hout", "Jan van der Linden": a capitalised word, a lower-case prefix, a capitalised word.
PREFIXED_NAME = re.compile(
    rf"({_CAP_DOT}{NAME_WORD_REST})\s(?:van der|van den|van de|van 't|van het|in 't|in het|op den|op de|op 't|"
    rf"uit den|uit de|van|de|den|der|ter|ten|el|al)\s{NAME_WORD}"
)
NOT_NAME_START = frozenset(
    "en maar dat die dit het de een ik wij we ze zij hij als toen want dus ook nou ja nee naar bij met voor uit in "
    "op aan of om te tot over onder na door zoals sinds tegen zonder via".split()
)
# Others naming someone: "iedereen zegt Kasia", "Iedereen noemde haar Doortje".
CALLED = re.compile(
    word_start("iedereen", "men", "ze", "we", "wij", "zij", "hij", "mensen", r"de\s+buurt", r"de\s+kinderen")
    + r"(?i:\s+(?:zegt|zeggen|zei|zeiden|noemt|noemen|noemde|noemden)"
    r"(?:\s+(?:tegen\s+)?(?:me|mij|hem|haar|hun|ons))?\s+)"
    rf"({NAME_WORD}(?:\s{SURNAME})?)"
)


def find_first_names(text: str) -> Iterator[Found]:
    first = _lexicon("first")
    surnames = _lexicon("surname")
    words = _union("common", "stop", extra=_NOT_NAME | MONTH_AND_DAY_WORDS)
    for m in PREFIXED_NAME.finditer(text):
        if m.group(1).casefold() not in NOT_NAME_START and m.group(1).casefold() not in MONTH_AND_DAY_WORDS:
            yield Found(m.start(), m.end(), PERSOON, "rules:prefixed")
    for m in CALLED.finditer(text):
        yield Found(m.start(1), m.end(1), PERSOON, "rules:called")
    for m in CAPITALISED.finditer(text):
        head = m.group().split(None, 1)[0]
        word = head.casefold()
        if word not in first:
            continue  # every rule below wants a known first name
        if at_sentence_start(text, m.start()):
            continue
        tail_words = m.group()[len(head):].split()
        if word in first and word in words and person_cue_before(text, m.start()) in PERSON_CUES:
            yield Found(m.start(), m.start() + len(head), PERSOON, "rules:first-name-cue")  # "mijn man Wiel"
            continue
        if word not in first or word in words:
            # "Mijn baas, Wiel Hamers": a first name that is also a word, with a known surname after it.
            if word in first and tail_words and tail_words[-1].casefold() in surnames and \
                    tail_words[-1].casefold() not in words:
                yield Found(m.start(), m.end(), PERSOON, "rules:first-name")
            continue
        tail = m.group()[len(head):]
        last = tail.split()[-1].casefold() if tail.strip() else ""
        end = m.end() if last and last not in words else m.start() + len(head)
        yield Found(m.start(), end, PERSOON, "rules:first-name")


MONTH_AND_DAY_WORDS = frozenset(
    MONTHS.split("|") + (
        "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag pasen kerst kerstmis pinksteren "
        "carnaval god jezus maria allah"
    ).split()
)


INSTITUTION_WORDS = frozenset(re.findall(r"[^\W\d_]+", INSTITUTION_RE.pattern.split("))")[0].casefold()))
SCHOOL_COMPOUND = re.compile(rf"{_CAP_HYPHEN}[{_LOWER}]+(?:college|school|lyceum|kindcentrum|gymnasium)\b")
GENERIC_SCHOOLS = frozenset(
    "basisschool hogeschool vakschool middelbareschool lagereschool zomerschool praktijkschool avondschool "
    "rijschool dansschool muziekschool taalschool brugklas".split()
)
CLUB_YEAR = re.compile(r"\s(?:'\d{2}|\d{4})(?![\w'])")


def find_institutions(text: str) -> Iterator[Found]:
    for m in _at_words(INSTITUTION_RE, text, INSTITUTION_WORDS):
        year = CLUB_YEAR.match(text, m.end())
        yield Found(m.start(), year.end() if year else m.end(), INSTELLING)
    for m in SCHOOL_COMPOUND.finditer(text):
        if m.group().casefold() not in GENERIC_SCHOOLS:
            yield Found(m.start(), m.end(), INSTELLING)


_PREFIX_WORDS = frozenset(w for p in PREFIXES for w in p.split())
_NOT_NAME = frozenset(
    (
        "en of maar want dus die dat de het een van in op met voor bij uit aan ik je jij u hij zij ze we "
        "wij hier daar ook nog al niet wel zo nu toen dan heel erg echt gewoon eh uh uhm nou ja nee hè is "
        "was ben bent zijn heb heeft had woon woont werk werkt geboren getogen blij bang moe ziek oud "
        "jong klaar hier"
    ).split()
)


@cache
def _lexicon(kind: str) -> frozenset[str]:
    """deduce's Dutch name and word lists, lower-cased (empty if deduce ships without them)."""
    paths = {
        "first": "names/lst_first_name/items.txt",
        "surname": "names/lst_surname/items.txt",
        "interfix_surname": "names/lst_interfix_surname/items.txt",  # "Heijden" of "van der Heijden"
        "common": "whitelist/lst_common_word/items.txt",
        "stop": "whitelist/lst_stop_word/items.txt",
        "residence": "locations/lst_placename/lst_residence/items.txt",
        "municipality": "locations/lst_placename/lst_municipality/items.txt",
    }
    try:
        text = resources.files("deduce").joinpath(f"data/lookup/src/{paths[kind]}").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        text = ""
    if kind == "first":
        text += "\n" + resources.files("verlicht").joinpath("data/first_names_limburg.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@cache
def _union(*kinds: str, extra: frozenset[str] = frozenset()) -> frozenset[str]:
    """Several lexicons as one set, built once."""
    return frozenset().union(*(_lexicon(k) for k in kinds), extra)


LOWER_WORD = re.compile(rf"(?<![\w@.'’-])[{_LOWER}]{{3,}}(?![\w@'’-])")
SLASH_WORD = re.compile(rf"(?<=[^\W_])/(?=[{_LOWER}])")


@lru_cache(maxsize=4)
def lower_first_names(text: str) -> tuple[re.Match[str], ...]:
    """The LOWER_WORD matches that are known first names, in text order, for the two lower-case finders.

    Every such match is a whole word of the word index, so only the index's distinct words are looked up
    instead of every lower-case word of the text; the index leaves out a word right after "x/", which
    LOWER_WORD takes, so those few are added."""
    first = _lexicon("first")
    starts = [i for word, at in word_index(text).exact.items() if word in first for i in at]
    starts += [m.end() for m in SLASH_WORD.finditer(text)]
    out = []
    for i in sorted(set(starts)):
        m = LOWER_WORD.match(text, i)
        if m and m.group() in first:
            out.append(m)
    return tuple(out)


def find_lowercase_names(text: str) -> Iterator[Found]:
    """Names a transcriber wrote in lower case ("met fieke over, fieke hermans"): known first names that are
    no Dutch word, with a following known surname (prefixes allowed)."""
    surname = _lexicon("surname")
    words = _union("common", "stop", extra=_NOT_NAME | _PREFIX_WORDS | SPOKEN_WORDS)
    for m in lower_first_names(text):
        word = m.group()
        if word in words:
            continue
        end = m.end()
        rest = re.match(rf"\s((?:(?:{_PREFIX})\s)?)([{_LOWER}]{{2,}})(?![\w'’-])", text[end:])
        if rest and rest.group(2) in surname and (rest.group(1) or rest.group(2) not in words) and \
                person_cue_before(text, m.start()) not in ARTICLES and \
                not (rest.group(1).split()[:1] in (["in"], ["op"], ["aan"], ["bij"], ["uit"])
                     and _is_common_noun(rest.group(2))):
            # A lone lower-case first name is too often a word; its other mentions are found by propagation.
            yield Found(m.start(), end + rest.end(), PERSOON, "rules:lowercase")


def _is_common_noun(word: str) -> bool:
    """A word as common in written Dutch as "wijk" or "tuin": after "in de", "op de" ("een hub in de wijk", "roos
    in de tuin") it is a place, not the surname of "Hub in de Wijk"."""
    from verlicht.anonymise.lexicon import zipf

    return zipf(word) >= PREPOSITION_SURNAME_ZIPF


PREPOSITION_SURNAME_ZIPF = 4.0


# Words right before a lower-case name that make it a person beyond doubt: "mijn buurvrouw truus", "opa frits".
PERSON_CUES = frozenset(
    (
        "buurvrouw buurman buurjongen buurmeisje dochter zoon man vrouw moeder vader mama papa mam pap opa oma oom "
        "tante neef nicht broer zus zusje broertje vriend vriendin vriendje vriendinnetje collega schoonzoon "
        "schoondochter schoonmoeder schoonvader kleinzoon kleindochter kleinkind zwager schoonzus partner vent "
        "juf meester mevrouw meneer wijkagent buurtcoach baas chef stagiair heet heette genaamd noemden noemen "
        "neefje nichtje zoontje dochtertje kleinzoontje kleindochtertje maatje taalmaatje buurjongetje"
    ).split()
)
# Words around a lower-case name that make a person likely: "met fieke besproken", "toen belde jos", "zegt sjeng".
BEFORE_CUES = frozenset(
    (
        "met en tegen aan van bij voor zegt zei zeiden vroeg vraag belde belt kwam komt deed doet ken kende "
        "kent zag ziet sprak spreek hielp helpt"
    ).split()
)
AFTER_CUES = frozenset(
    (
        "zei zegt zeggen vertelde vertelt belde belt vroeg vraagt kwam komt heeft had is was woont woonde werkt "
        "werkte en die deed doet ging gaat kan wil wou"
    ).split()
)
# A first name that is no Dutch word and this rare in written Dutch (Zipf) is a name with any cue; a more common
# one ("jos", 4.1) needs a cue; one above it ("hoop", "kader", "jan") only after a person cue.
RARE_ZIPF, NAME_ZIPF = 3.0, 4.6
ARTICLES = frozenset("de het een deze die dit dat d'r der ene".split())
_WORD_BEFORE = re.compile(rf"([{_LOWER}{_UPPER}]+)[^\w\n]{{0,3}}$")


def person_cue_before(text: str, start: int) -> str:
    """The word right before ``start`` (lower case; across a comma or a space, not across a line), or ''."""
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    return before.group(1).casefold() if before else ""


_LISTED = re.compile(r"\s*(?:,|,?\s+en|,?\s+of)\s+|\s*,\s*")
_WORD_AFTER = re.compile(rf"^\W{{0,3}}([{_LOWER}{_UPPER}]+)")


def find_lowercase_first_names(text: str) -> Iterator[Found]:
    """Lone first names a transcriber typed in lower case mid-sentence ("met fieke besproken"): a known first
    name, told from a Dutch word by spaCy's lemma tables and wordfreq's frequencies, in a person's context."""
    from verlicht.anonymise.lexicon import is_adjective, is_inflected_or_function_word, is_verb_form, zipf

    words = _union("common", "stop", extra=_NOT_NAME | _PREFIX_WORDS | MONTH_AND_DAY_WORDS | SPOKEN_WORDS)
    stop = _union("stop", extra=_NOT_NAME | _PREFIX_WORDS | MONTH_AND_DAY_WORDS)
    found: list[re.Match[str]] = []
    others: list[re.Match[str]] = []
    for m in lower_first_names(text):
        word = m.group()
        if word in stop:
            continue
        prev = person_cue_before(text, m.start())
        after = _WORD_AFTER.search(text[m.end():m.end() + 40])
        nxt = after.group(1).casefold() if after else ""
        strong = prev in PERSON_CUES
        if word in words and not strong:
            continue  # "wiel", "roos": a word, unless "mijn man wiel"
        others.append(m)
        weak = prev in BEFORE_CUES or nxt in AFTER_CUES or text[m.end():m.end() + 1] in ",:"
        if is_inflected_or_function_word(word) and not (strong and not is_verb_form(word)):
            others.pop()
            continue  # "armen", "wilt", "witte": a form of a Dutch word
        if not strong and (prev in ARTICLES or is_adjective(prev)):
            continue  # "de ernst", "lange adem": a noun; names take no article or adjective
        frequency = zipf(word)
        if strong or (weak and frequency < NAME_ZIPF) or (frequency < RARE_ZIPF and prev in BEFORE_CUES | AFTER_CUES):
            found.append(m)
    # A first name listed with one found: "voor jan en anna", "ik, sjef, mieke en tygo".
    taken = {m.start() for m in found}
    grew = True
    while grew:
        grew = False
        for m in others:
            if m.start() in taken:
                continue
            if any(_LISTED.fullmatch(text, min(m.end(), f.end()), max(m.start(), f.start())) for f in found):
                found.append(m)
                taken.add(m.start())
                grew = True
    for m in sorted(found, key=lambda m: m.start()):
        yield Found(m.start(), m.end(), PERSOON, "rules:lowercase-first")
