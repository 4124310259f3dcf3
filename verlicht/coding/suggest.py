"""Suggested codes for a Dutch interview utterance: causal statements turned into QNA network codes.

A :class:`Suggester` is built once from a codebook and then asked, utterance by
utterance, for :class:`Suggestion` objects::

    >>> suggester = Suggester(codebook)
    >>> [s.code for s in suggester.suggest("Omdat de huizen goedkoop zijn, komen hier veel spoedzoekers.")]
    ['goedkope_woningen->instroom_kwetsbaren||causal_pos', 'instroom_kwetsbaren', 'goedkope_woningen']

How it works, in three steps over one spaCy ``Doc``:

1. **Cues.** A ``Matcher`` over the lower-cased tokens finds causal cues of spoken
   Dutch (:data:`CUES`): connectives (*omdat*, *doordat*, *want*, *waardoor*,
   *daardoor*, *dus*, *zodat*, *daarom*), verbs (*leidt tot*, *zorgt (ervoor) voor*,
   *komt door*, *veroorzaakt*, *voorkomt*), prepositions (*door*, *vanwege*,
   *dankzij*), conditionals (*als … (dan)*), scales (*hoe meer …, hoe minder …*) and
   the narrative *en dan*. Fillers (*ehm*, *nou*, *hè*, *zeg maar*) and repeated
   words may sit between the words of a cue. Each cue kind says on which side of
   it the cause and the effect are; the spans end at the sentence (spaCy's
   sentencizer) or at the next cue, and a span that holds only *dat* or *dit*
   reaches back to the previous sentence.
2. **Concepts.** A ``PhraseMatcher`` over a normalised form of each token
   (:func:`normal_form`: lower case, no diacritics, plural, diminutive and
   inflection endings stripped, since ``spacy.blank("nl")`` has no lemmatizer)
   finds the codebook's labels, synonyms and code words; single words of
   multi-word terms count too, weaker, and weaker still when several concepts
   share them.
3. **Polarity.** Words such as *meer*, *minder*, *stijgt*, *daalt*, *niet*,
   *geen*, *weinig* and comparatives in the clause part (between commas) of a
   concept mention set its sign; the edge type is the product of the cause's
   sign, the effect's sign and the cue's own (*voorkomt* is negative):
   ``causal_pos`` or ``causal_neg``, or ``causal`` when the speaker hedges
   (*misschien*, *weet ik niet*) without saying which way.

Scores are heuristics between 0 and 1 (cue reliability × how well both spans
map onto concepts); ``docs/DESIGN.md`` records how precise and complete the
suggestions are on the demo interviews and on a held-out coded set.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from verlicht.codebook import Codebook
from verlicht.errors import CodingError, Location
from verlicht.rock.model import Source

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# ----------------------------------------------------------------------------------------------- results

MAX_TEXT = 5000  # characters of one utterance that get suggestions; longer lines get none
DEFAULT_MIN_SCORE = 0.2  # best F1 (pair level) on the demo interviews, the development set
NEAR_BEST = 0.8  # a network code scoring under this share of the utterance's best one is left out


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested code for an utterance.

    ``code`` is the full ROCK code content, ready to be written as ``[[code]]``:
    ``cause->effect||edge_type`` for ``kind == "network"``, a concept code for
    ``kind == "code"``. Spans are ``(start, end)`` character offsets into the
    utterance text; ``mentions`` are the words that named the concepts.
    """

    code: str
    kind: str  # "network" | "code"
    source: str
    target: str | None
    edge_type: str | None
    score: float
    cue: str
    cause_span: tuple[int, int] | None
    effect_span: tuple[int, int] | None
    reason: str
    mentions: tuple[tuple[int, int], ...] = ()


# ----------------------------------------------------------------------------------------------- cues

FILLERS = ("eh", "ehm", "euh", "uh", "uhm", "hm", "hmm", "nou", "ja", "hè", "he", "toch", "gewoon", "eigenlijk",
           "echt", "natuurlijk", "ook", "wel", "vooral", "dan", "maar", "zeg", "weet", "je", "ik", "denk", "hoor",
           "juist", "vaak", "meestal", "altijd", "zo", "dus", ",", "…", "...", "-")
ADVERBS = ("ook", "vooral", "gewoon", "natuurlijk", "allemaal", "juist", "wel", "toch", "eigenlijk", "echt", "deels",
           "zeker", "mede", "grotendeels", "voor", "een", "groot", "deel", "heel", "veel", "alleen", "eh", "ehm", "nou",
           "ja", "hè", ",", "niet", "geen", "nooit")  # a negation inside a cue ("leidt niet tot") flips it
_GAP = {"LOWER": {"IN": list(FILLERS)}, "OP": "*"}
_ADV = {"LOWER": {"IN": list(ADVERBS)}, "OP": "*"}
_ADV_WORDS = {"LOWER": {"IN": [a for a in ADVERBS if a != ","]}, "OP": "*"}  # "te komen, omdat" is no "komt door"
_WORD = {"IS_PUNCT": False, "OP": "?"}  # any one word, but no full stop: "zo. Dat" is two sentences
POSITIVE = "+"
NEGATIVE = "-"


def _w(*forms: str) -> dict:
    return {"LOWER": {"IN": list(forms)}}


@dataclass(frozen=True, slots=True)
class Cue:
    """A family of causal cues: how reliable it is and where its cause and effect are.

    ``kind``: ``effect_after`` (cause CUE effect: *leidt tot*, *waardoor*),
    ``cause_after`` (effect CUE cause: *omdat*, *komt door*; fronted, CUE cause,
    effect), ``conditional`` (*als* cause, *dan* effect), ``scale`` (*hoe meer*
    cause, *hoe minder* effect).
    """

    name: str
    kind: str
    weight: float
    patterns: tuple[tuple[dict, ...], ...]
    sign: int = 1
    initial_only: bool = False  # only a cue at the start of a clause (after fillers or a comma)
    fronts: bool = True  # at a clause start it opens a fronted clause ("Omdat A, B"); 'want' never does
    negatable: bool = True  # a negation inside it flips it ("leidt niet tot"), but not the 'geen' of "geen wonder"


def _cue(name: str, kind: str, weight: float, *patterns: list[dict], sign: int = 1,
         initial_only: bool = False, fronts: bool = True, negatable: bool = True) -> Cue:
    return Cue(name, kind, weight, tuple(tuple(p) for p in patterns), sign, initial_only, fronts, negatable)


_LEIDT = _w("leidt", "leiden", "leidde", "leidden", "geleid")
_ZORGT = _w("zorgt", "zorgen", "zorgde", "zorgden", "gezorgd")
_KOMT = _w("komt", "komen", "kwam", "kwamen", "gekomen")
_HEEFT = _w("heeft", "hebben", "had", "hadden")

CUES: tuple[Cue, ...] = (
    # effect CUE cause (or, fronted: CUE cause, effect)
    _cue("omdat", "cause_after", 0.9, [_w("omdat")]),
    _cue("doordat", "cause_after", 0.9, [_w("doordat")]),
    _cue("want", "cause_after", 0.5, [_w("want")], fronts=False),
    _cue("sinds", "cause_after", 0.55, [_w("sinds")]),
    _cue("vanwege", "cause_after", 0.75, [_w("vanwege")]),
    _cue("dankzij", "cause_after", 0.8, [_w("dankzij")]),
    _cue("door", "cause_after", 0.55, [_w("door")]),
    _cue("komt door", "cause_after", 0.95, [_KOMT, _ADV_WORDS, _w("door", "doordat", "omdat")]),
    _cue("ligt aan", "cause_after", 0.7, [_w("ligt", "liggen", "lag"), _ADV, _w("aan")]),
    _cue("te maken met", "cause_after", 0.4, [_HEEFT, _ADV, _w("met")], [_w("te"), _w("maken"), _w("met")]),
    _cue("het gevolg van", "cause_after", 0.85, [_w("gevolg"), _w("van")]),
    _cue("begint bij", "cause_after", 0.5, [_w("begint", "beginnen", "begon", "begonnen"), _ADV_WORDS,
                                             _w("bij")]),  # "Dat begint bij wantrouwen"
    # cause CUE effect
    _cue("leidt tot", "effect_after", 0.95, [_LEIDT, _ADV, _w("tot")]),
    _cue("zorgt voor", "effect_after", 0.9, [_ZORGT, _ADV, _w("ervoor", "voor", "erom")]),
    _cue("waardoor", "effect_after", 0.9, [_w("waardoor")]),
    _cue("daardoor", "effect_after", 0.9, [_w("daardoor")], [_w("daar"), _w("door")]),
    _cue("zodat", "effect_after", 0.75, [_w("zodat")]),
    _cue("daarom", "effect_after", 0.3, [_w("daarom")]),  # mostly "daarom doen we X": a motive, not a claim
    # "zo snel dat", "zoveel stress, dat" (not "zo'n kind dat", a relative clause)
    _cue("zo … dat", "effect_after", 0.6, [_w("zo", "zoveel", "zodanig"), _WORD, _WORD, _w("dat")]),
    _cue("dus", "effect_after", 0.5, [_w("dus")]),
    _cue("het gevolg is", "effect_after", 0.9, [_w("gevolg"), _w("is", "was", "daarvan")],
         [_w("met"), _w("als"), _w("gevolg")]),
    _cue("het begin van", "effect_after", 0.6, [_w("begin"), _w("van")]),
    _cue("de oorzaak van", "effect_after", 0.85, [_w("oorzaak", "oorzaken"), _w("van")]),
    _cue("geen wonder dat", "effect_after", 0.6, [_w("geen"), _w("wonder"), _w("dat")], negatable=False),
    _cue("daar word je … van", "effect_after", 0.6, [_w("daar", "hier"), _w("word", "wordt", "worden", "werd",
                                                                            "werden")]),
    _cue("doet met", "effect_after", 0.6, [_w("doet", "doen", "deed"), _ADV, _w("zoveel", "veel", "wat", "iets"),
                                           _w("met")]),
    _cue("veroorzaakt", "effect_after", 0.9, [_w("veroorzaakt", "veroorzaken", "veroorzaakte")]),
    _cue("maakt dat", "effect_after", 0.7, [_w("maakt", "maken", "maakte"), _w("dat")]),
    _cue("trekt aan", "effect_after", 0.75, [_w("trekt", "trekken", "trok", "aantrekken", "aantrekt")]),
    _cue("draagt bij aan", "effect_after", 0.8, [_w("draagt", "dragen", "droeg"), _ADV, _w("bij"), _w("aan")]),
    _cue("heeft invloed op", "effect_after", 0.8, [_HEEFT, _ADV, _w("invloed", "effect", "gevolgen", "impact"),
                                                    _w("op", "voor")]),
    _cue("betekent", "effect_after", 0.55, [_w("betekent", "betekenen", "betekende")]),
    _cue("helpt", "effect_after", 0.55, [_w("helpt", "helpen", "hielp", "geholpen")]),
    _cue("geeft", "effect_after", 0.45, [_w("geeft", "geven", "gaf")]),
    _cue("versterkt", "effect_after", 0.8, [_w("versterkt", "versterken", "vergroot", "vergroten", "verhoogt",
                                             "verhogen", "verbetert", "verbeteren", "bevordert", "stimuleert")]),
    _cue("voorkomt", "effect_after", 0.8, [_w("voorkomt", "voorkomen", "voorkwam", "vermindert", "verminderen",
                                            "verlaagt", "verlagen", "verkleint", "verzwakt", "verzwakken", "remt",
                                            "tegengaat", "tegengaan")], sign=-1),
    _cue("helpt tegen", "effect_after", 0.75, [_w("helpt", "helpen", "hielp"), _ADV, _w("tegen")], sign=-1),
    _cue("ten koste van", "effect_after", 0.8, [_w("gaat", "gaan", "ging", "gingen"), _ADV, _w("ten"), _w("koste"),
                                                 _w("van")], [_w("ten"), _w("koste"), _w("van")], sign=-1),
    _cue("schrikt af", "effect_after", 0.7, [_w("schrikt", "schrikken", "afschrikken", "afschrikt")], sign=-1),
    _cue("zie je terug", "effect_after", 0.5, [_w("zie", "zien", "ziet"), _ADV, _w("je", "we", "u", "jij"), _ADV,
                                               _w("terug")], [_w("terugzien", "terugziet")]),
    _cue("maakt", "effect_after", 0.45, [_w("maakt", "maken", "maakte", "houdt", "houden")]),
    _cue("sindsdien", "effect_after", 0.45, [_w("sindsdien")]),
    _cue("en dan", "effect_after", 0.4, [_w("en"), _GAP, _w("dan")]),
    _cue("dan", "effect_after", 0.4, [_w("dan")], initial_only=True),
    _cue("zo", "effect_after", 0.45, [_w("zo")], initial_only=True),
    # conditionals and scales
    _cue("als … dan", "conditional", 0.7, [_w("als", "wanneer", "zodra", "indien")]),
    _cue("waar", "conditional", 0.45, [_w("waar")], initial_only=True),
    _cue("hoe meer … hoe", "scale", 0.9, [_w("hoe"), {"LOWER": {"REGEX": r"^(meer|minder|[a-zà-ÿ]{2,}(er|st))$"}}]),
)
CUES_BY_NAME = {cue.name: cue for cue in CUES}
# Not a cue: two concepts named in one utterance without one (the demo's coders code many such implicit claims).
TOGETHER = Cue("samen genoemd", "together", 0.25, ())
# Nor is one concept named just before, by the same speaker, and another now: weaker still.
FOLLOWS_ON = Cue("na elkaar genoemd", "together", 0.22, ())

# Where a cue is 'fronted' (Omdat …, …), it opens its clause: only these words may come before it.
CLAUSE_OPENERS = frozenset({"en", "maar", "of", "want", "ja", "nee", "nou", "eh", "ehm", "euh", "uh", "uhm", "hè",
                            "dus", "dan", "toen", "ook", "zeker", "precies", "kijk", "nu", "juist", "ach"})
PUNCT_BREAKS = frozenset({",", ";", ":", "–", "—", "-", "(", ")", "…", "..."})
CHUNK_WORDS = frozenset({"en", "maar", "of"})

# Polarity: the sign of a mention comes from these words in its part of the clause.
UP_WORDS = frozenset({
    "meer", "stijgt", "stijgen", "steeg", "gestegen", "groeit", "groeien", "groeide", "gegroeid", "omhoog",
    "toename", "toenemen", "toeneemt", "toenemende", "hoger", "hogere", "beter", "betere", "vaker", "groter",
    "grotere", "verbetert", "verbeterd", "meest", "erbij", "extra", "sterker",
})
DOWN_WORDS = frozenset({
    "minder", "daalt", "dalen", "daalde", "gedaald", "krimpt", "krimpen", "kromp", "gekrompen", "omlaag", "lager",
    "lagere", "afname", "afnemen", "afneemt", "afnemende", "slechter", "kleiner", "kleinere", "weinig", "nauwelijks",
    "weg", "verdwijnt", "verdwijnen", "verdwenen", "verliezen", "verliest", "kwijt", "gebrek", "tekort", "zonder",
    "amper", "zwakker", "verslechtert",
})
NEGATORS = frozenset({"niet", "geen", "nooit", "niks", "niets", "niemand", "nergens", "noch"})
HEDGES = frozenset({"misschien", "wellicht", "mogelijk", "overschatten", "onduidelijk", "twijfel", "betwijfel"})
HEDGE_PHRASES = ("weet ik niet", "weet het niet", "geen idee", "niet zeker", "zou kunnen", "niet zo in")
ANAPHORS = frozenset({"dat", "dit", "die", "het", "daar", "hier", "dat allemaal", "zoiets", "zo"})

# ----------------------------------------------------------------------------------------------- concepts

# How much a concept of each type is worth as the cause or effect of a network code: coders link factors,
# mechanisms, interventions and outcomes; actors rarely, context codes (plain topics) never.
CAUSAL_TYPES = ("factor", "mechanism", "intervention", "outcome")
TYPE_PRIOR = {"factor": 1.0, "mechanism": 1.0, "intervention": 1.0, "outcome": 1.0, "actor": 0.25, "context": 0.0}
# Interventions act and outcomes result: an outcome is seldom a cause, an intervention seldom an effect.
CAUSE_PRIOR = {"outcome": 0.6}
EFFECT_PRIOR = {"intervention": 0.5}
FULL_TERM = 1.0  # a label or synonym, as a whole
CODE_WORDS = 0.9  # the code read as words: verloop_bewoners -> "verloop bewoners"
PART_WORD = 0.5  # one word of a multi-word term
MIN_PART_LENGTH = 4
MIN_HEAD = 5  # the shortest last part of a compound that may name a concept ("werk" in "huiswerk" may not)
COMPOUND = 0.7
DERIVED = 0.9  # a word derived from a term: rommelig, onveiligheid, verhuizing
MODIFIER = 0.45  # the first part of a compound: schuldenproblematiek (the head says what it is, this what about)
DERIVATIONS = ("heid", "ige", "ig", "ing", "lijke", "lijk")
# Words too common in interviews to name a concept on their own, even when a label contains them.
GENERIC_WORDS = frozenset({
    "mensen", "mens", "wijk", "wijken", "buurt", "buurten", "bewoners", "bewoner", "heerlen", "noord", "heerlen-noord",
    "kinderen", "kind", "goed", "goede", "heel", "veel", "echt", "gewoon", "snel", "grote", "groot", "kleine", "klein",
    "nieuwe", "nieuw", "eigen", "andere", "ander", "alle", "iemand", "iets", "tijd", "jaar", "jaren", "maken", "komen",
    "gaan", "doen", "laten", "staan", "zitten", "weten", "zien", "zeggen", "krijgen", "vinden", "worden", "blijven",
    "hebben", "zijn", "kunnen", "moeten", "willen", "zullen", "mogen", "elkaar", "tussen", "tegen", "onder", "boven",
    "binnen", "buiten", "naar", "over", "door", "voor", "achter", "week", "anders", "mijn", "jouw", "hun", "haar",
    "onze", "ouders", "plek", "straat", "huis", "manier", "keer", "vragen", "vraag", "dingen", "ding",
    "relatief", "hele", "meer", "minder", "weinig", "niet", "geen",
    # common verbs and numbers that multi-word synonyms contain ("wachten tot het niet meer gaat", "twee baantjes")
    "gaat", "ga", "ging", "beginnen", "begint", "begin", "voelen", "voelt", "voel", "spreken", "spreek", "spreekt",
    "praten", "praat", "lopen", "loopt", "kijken", "kijkt", "denken", "denkt", "vraagt", "kan",
    "kunt", "moet", "wil", "zou", "zouden", "houden", "houdt", "zetten", "leggen", "nemen", "geven", "brengen",
    "twee", "drie", "vier", "eerste", "tweede", "dagen", "maand", "einde", "eind", "kort", "lang", "plannen",
    "ruimte", "rond", "terecht",
    # everyday words that synonyms contain ("niet meteen verhuren", "bij ouders thuis", "elkaar kennen")
    "meteen", "direct", "thuis", "geld", "wonen", "woont", "woning", "woningen", "deur", "hand", "handen", "erbij",
    "jong", "jonge", "jongeren", "kennen", "kent", "begrijpen", "schrijven", "ergens", "dokter", "school",
    "gemeente", "lager", "hoger", "slecht", "slechte", "verschillende", "kopen", "verhuren",
})
# Words that may sit inside a multi-word term without changing it: "ze sprak ook mijn taal" says "ze sprak mijn
# taal", "wacht je tot het echt niet meer gaat" says "wachten tot het niet meer gaat". No negation, no 'meer'/'minder'.
TERM_GAPS = ("eh", "ehm", "euh", "uh", "uhm", "hm", "hmm", "nou", "hè", "he", "toch", "gewoon", "eigenlijk", "echt",
             "natuurlijk", "ook", "wel", "heel", "erg", "zo", "al", "nog", "hier", "daar", "er", "je", "ze", "we",
             "hij", "zij", "ik", "u", "de", "het", "een", "hun", "mijn", "z'n", "zijn", "onze", "ons", "helemaal",
             "soms", "vaak", "altijd", "weer", "even", "zelf", "nu", "best", "zeker")
GAPPED = 0.9  # a multi-word term with filler words inside, or a separable verb split ("trekken zich terug")
PARTICLES = frozenset({"achter", "terug", "samen", "binnen", "langs", "mee", "weg", "door", "over", "aan", "af", "in",
                       "uit", "op", "om", "bij", "toe", "na", "voor", "vast", "los", "open", "dicht"})
REORDERED = 0.8  # the content words of a multi-word term, in another order, close together in one clause
REORDER_SLACK = 3  # how many other words may sit between them
TOKEN = re.compile(r"\w+(?:['’.\-@/]\w+)*|[^\w\s]")


@lru_cache(maxsize=65536)
def normal_form(word: str) -> str:
    """A word reduced so that its inflections meet: ``woningen``→``woning``, ``huizen``→``huis``,
    ``goedkope``→``goedkop``=``goedkoop``, ``kindje``→``kin``=``kind``.

    Light and symmetric rather than linguistically right: the same function runs
    over the codebook's terms and the utterances, so only forms of one word need to
    meet (the blank Dutch pipeline has no lemmatizer).
    """
    w = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))
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


# Polarity words a reordered term must keep ("niet aan de overkant komen" is not "aan de overkant komen").
_POLAR_NORMS = frozenset(normal_form(w) for w in (*NEGATORS, "minder", "weinig", "zonder", "tekort", "gebrek"))


@dataclass(frozen=True, slots=True)
class _Term:
    concept: str
    weight: float
    sign: int  # -1 when the term names the concept through a negation ("niet veilig" -> onveiligheidsgevoel)
    words: int
    part: bool


@dataclass(slots=True)
class _Mention:
    concept: str
    start: int  # token indices
    end: int
    weight: float
    sign: int
    part: bool
    words: tuple[int, ...] = ()  # the tokens that name it, when not all of start..end do (a term said with gaps)

    def covers(self) -> range | tuple[int, ...]:
        return self.words or range(self.start, self.end)


@dataclass(slots=True)
class _Hit:
    cue: Cue
    start: int
    end: int


@dataclass(slots=True)
class _Statement:
    hit: _Hit
    cause_tokens: range
    cause: list[_Mention]
    effect_tokens: range
    effect: list[_Mention]
    second: _Hit | None  # the second 'hoe …' of a scale


@dataclass(frozen=True, slots=True)
class Statement:
    """A causal statement: the cue family, the cue's words and the character spans of cause and effect."""

    cue: str
    words: str
    cause_span: tuple[int, int] | None
    effect_span: tuple[int, int] | None


def _term_texts(concept) -> list[tuple[str, float]]:
    """The phrases that name a concept, with their weight."""
    out: list[tuple[str, float]] = []
    for label in (concept.label_nl,):
        if not label:
            continue
        # "(Heel) veel stress": a part in brackets at the start is optional; "Verloop van bewoners (doorstroom)":
        # one at the end is another name.
        opening = re.match(r"\s*\(([^)]*)\)", label)
        inner = [] if opening else re.findall(r"\(([^)]*)\)", label)
        bare = re.sub(r"\([^)]*\)", " ", label)
        out.append((bare, FULL_TERM))
        if opening:
            out.append((label.replace("(", "").replace(")", ""), FULL_TERM))
        out.extend((text, FULL_TERM) for text in inner)
        if "," in bare:
            out.extend((part, FULL_TERM) for part in bare.split(",") if len(part.split()) > 1)
    out.extend((str(s), FULL_TERM) for s in concept.synonyms)
    out.append((concept.code.replace("_", " "), CODE_WORDS))
    return [(t.strip(), w) for t, w in out if t.strip()]


# ----------------------------------------------------------------------------------------------- pipeline


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


# ----------------------------------------------------------------------------------------------- suggester


class Suggester:
    """Suggests network codes and concept codes for utterances, against one codebook.

    Build it once (it compiles the codebook's terms into matchers, and loads spaCy);
    :meth:`suggest` then takes well under a millisecond per utterance.
    """

    def __init__(self, codebook: Codebook, nlp: Language | None = None, max_network: int = 3):
        from spacy.matcher import Matcher, PhraseMatcher

        self.codebook = codebook
        self.nlp = nlp if nlp is not None else build_nlp()
        if not self.nlp.has_pipe("verlicht_normal_forms"):
            _register_components()
            self.nlp.add_pipe("verlicht_normal_forms")
        self.max_network = max_network
        self.edge_types = {
            sign: name for sign, name in ((1, "causal_pos"), (-1, "causal_neg"), (0, "causal"))
            if name in codebook.edge_types
        }
        self._cue_matcher = Matcher(self.nlp.vocab)
        for cue in CUES:
            self._cue_matcher.add(cue.name, [list(p) for p in cue.patterns])
        self._terms: dict[str, list[_Term]] = {}
        self._phrases = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._gapped: dict[str, list[tuple[str, ...]]] = {}  # first word -> the multi-word terms it opens
        self._bags: dict[str, list[tuple[str, frozenset[str]]]] = {}  # a content word -> (term key, its words)
        self._index_terms()

    # -- building the concept index ---------------------------------------------------------------
    def _index_terms(self) -> None:
        from spacy.lang.nl.stop_words import STOP_WORDS

        stop = {normal_form(w) for w in (*STOP_WORDS, *FILLERS)}
        common = stop | {normal_form(w) for w in GENERIC_WORDS}
        terms: dict[str, dict[str, _Term]] = {}
        parts: dict[str, dict[str, int]] = {}
        for concept in self.codebook.concepts.values():
            for text, weight in _term_texts(concept):
                words = [w for w in TOKEN.findall(text) if w[0].isalnum()]
                key = " ".join(normal_form(w) for w in words)
                if not key:
                    continue
                known = terms.setdefault(key, {})
                if concept.code not in known or known[concept.code].weight < weight:
                    known[concept.code] = _Term(concept.code, weight, 1, len(words), False)
                if len(words) > 1:
                    negated = False
                    for word in words:
                        lower = word.lower()
                        if lower in NEGATORS or lower in DOWN_WORDS:
                            negated = True
                            continue
                        if len(word) < MIN_PART_LENGTH or normal_form(word) in common or not word.isalpha():
                            continue
                        sign = -1 if negated else 1
                        parts.setdefault(normal_form(word), {}).setdefault(concept.code, sign)
        for key, concepts in parts.items():
            # A word of a term weighs less when several concepts share it (nearly an inverse document frequency).
            known = terms.setdefault(key, {})
            for code, sign in concepts.items():
                if code not in known:
                    weight = PART_WORD / math.sqrt(self._rivals(code, concepts))
                    known[code] = _Term(code, weight, sign, 1, True)
        for key in [k for k in terms if " " not in k]:
            # Comparatives and superlatives name the same concept: veiliger, goedkoopste, gezonder.
            for ending in ("er", "ere", "st", "ste"):
                alias = normal_form(key + ending)
                if alias != key and alias not in terms:
                    terms[alias] = dict(terms[key])
        for key, by_concept in terms.items():
            entries = list(by_concept.values())
            # A whole single-word term shared by several concepts ("peuteropvang") is split between them.
            full = [t.concept for t in entries if not t.part]
            if len(full) > 1:
                entries = [_Term(t.concept, t.weight / math.sqrt(self._rivals(t.concept, full)), t.sign, t.words,
                                 t.part) if not t.part else t for t in entries]
            self._terms[key] = entries
            self._phrases.add(key, [self._pattern_doc(key)])
            if " " in key and any(not t.part for t in entries):
                self._index_multiword(key, common, stop)

    def _index_multiword(self, key: str, common: set[str], stop: set[str]) -> None:
        """A multi-word term is also found with fillers inside it, and with its content words reordered."""
        words = key.split(" ")
        self._gapped.setdefault(words[0], []).append(tuple(words))
        # Generic words ("huizen") count as content here, as long as one word is not generic.
        content = frozenset(w for w in words if w not in stop or w in _POLAR_NORMS)
        anchors = sorted((w for w in content if w not in _POLAR_NORMS and w not in common), key=lambda w: (-len(w), w))
        if anchors and len([w for w in content if w not in _POLAR_NORMS]) >= 2:
            self._bags.setdefault(anchors[0], []).append((key, content))  # looked up by its longest special word

    def _rivals(self, code: str, sharing) -> int:
        """How many of the concepts sharing a word compete with ``code`` for it: a topic code (context) or an
        actor does not take a word away from a factor or mechanism ("vertrouwen" names both the topic and
        *vertrouwen_in_instanties*), nor the other way round."""
        concepts = self.codebook.concepts
        causal = concepts[code].type in CAUSAL_TYPES
        return sum(1 for other in sharing if (concepts[other].type in CAUSAL_TYPES) == causal)

    def _pattern_doc(self, key: str) -> Doc:
        from spacy.tokens import Doc

        words = key.split(" ")
        doc = Doc(self.nlp.vocab, words=words)
        for token, word in zip(doc, words, strict=True):
            token.norm_ = word
        return doc

    # -- suggesting -------------------------------------------------------------------------------
    def suggest(self, text: str, before: str = "") -> list[Suggestion]:
        """Network codes (best first, at most ``max_network``), then the concepts the utterance names.

        ``before`` is the text the speaker said just before (their previous utterance), if any: a
        statement opening with "Dat …" or "Daardoor …" may find its cause there. Spans and mentions
        are offsets into ``text``; a span in ``before`` is given as None.
        """
        if len(text) > MAX_TEXT:  # a whole monologue on one line: the clause analysis grows faster than the text
            return []
        found = self._analyse(text, before[-MAX_TEXT:])
        if found is None:
            return []
        doc, mentions, statements, cue_tokens, offset = found
        return self._network(doc, statements, cue_tokens, offset) + self._codes(doc, mentions, offset)

    def statements(self, text: str, before: str = "") -> list[Statement]:
        """The causal statements found in ``text``: each cue with its cause and effect spans (concepts or not)."""
        if len(text) > MAX_TEXT:  # a whole monologue on one line: the clause analysis grows faster than the text
            return []
        found = self._analyse(text, before[-MAX_TEXT:])
        if found is None:
            return []
        doc, offset = found[0], found[4]
        return [Statement(st.hit.cue.name, _cue_text(doc, st.hit), _shift(_chars(doc, st.cause_tokens), offset),
                          _shift(_chars(doc, st.effect_tokens), offset))
                for st in found[2] if st.hit.cue.kind != "together"]

    def _analyse(self, text: str, before: str = "") -> tuple[Doc, list[_Mention], list[_Statement], set[int],
                                                            int] | None:
        if not text or not text.strip():
            return None
        before = before.strip()
        if before:
            # The previous utterance goes first, ended as a sentence, so "Dat …" can reach back into it.
            before += " " if before[-1] in ".!?…" else ". "
        doc = self.nlp(before + text)
        offset = len(before)
        hits = self._cues(doc)
        cue_tokens = {i for hit in hits for i in range(hit.start, hit.end)}
        mentions = self._mentions(doc, cue_tokens)
        statements = []
        for index, hit in enumerate(hits):
            spans = self._spans(doc, hit, hits, index, mentions)
            if spans is None:
                continue
            cause_tokens, cause = self._side(doc, spans[0], mentions, hit.start)
            effect_tokens, effect = self._side(doc, spans[1], mentions, hit.start)
            if _chars(doc, cause_tokens) is None or _chars(doc, effect_tokens) is None:
                continue
            second = None
            if hit.cue.kind == "scale":
                second = next(h for h in hits[index + 1:] if h.cue is hit.cue)
            statements.append(_Statement(hit, cause_tokens, cause, effect_tokens, effect, second))
        if offset:
            statements = [st for st in statements if doc[st.hit.start].idx >= offset]
            mentions_here = [m for m in mentions if doc[m.start].idx >= offset]
        else:
            mentions_here = mentions
        if not any(st.cause and st.effect for st in statements):
            # a question states no claim, not even an implicit one
            stated = [m for m in mentions if not doc[m.start].sent.text.rstrip().endswith("?")]
            here = [m for m in stated if doc[m.start].idx >= offset]
            together = self._together(doc, here) or self._follows_on(doc, stated, here, offset)
            if together is not None:
                statements.append(together)
        return doc, mentions_here, statements, cue_tokens, offset

    def _follows_on(self, doc: Doc, mentions: list[_Mention], here: list[_Mention],
                    offset: int) -> _Statement | None:
        """No cue and one concept named, but the speaker named another just before: often the claim's cause
        ("Er is veel wantrouwen." — "Mensen wachten tot het niet meer gaat.")."""
        if not offset:
            return None
        concepts = self.codebook.concepts
        named = [m for m in here if not m.part and concepts[m.concept].type in CAUSAL_TYPES]
        earlier = [m for m in mentions if doc[m.start].idx < offset and not m.part
                   and concepts[m.concept].type in CAUSAL_TYPES and m.concept not in {n.concept for n in named}]
        if len({m.concept for m in named}) != 1 or not earlier:
            return None
        last = doc[earlier[-1].start].sent
        cause = [m for m in earlier if m.start >= last.start]
        start = named[0].start
        hit = _Hit(FOLLOWS_ON, start, start)
        return _Statement(hit, range(last.start, last.end), cause, range(start, len(doc)), named, None)

    def _together(self, doc: Doc, mentions: list[_Mention]) -> _Statement | None:
        """No cue, but two concepts named in one utterance: often an implicit claim, the first named the cause."""
        named = [m for m in mentions if not m.part and self.codebook.concepts[m.concept].type in CAUSAL_TYPES]
        if len({m.concept for m in named}) < 2:
            return None
        first = named[0]
        start = mentions[0].start if mentions else 0
        start = min(start, first.start)
        hit = _Hit(TOGETHER, first.end, first.end)
        cause = [m for m in named if m.start < first.end]
        effect = [m for m in named if m.start >= first.end and m.concept not in {c.concept for c in cause}]
        if not effect:
            return None
        return _Statement(hit, range(doc[start].sent.start, first.end), cause, range(first.end, len(doc)), effect,
                          None)

    def _cues(self, doc: Doc) -> list[_Hit]:
        found = []
        for match_id, start, end in self._cue_matcher(doc):
            cue = CUES_BY_NAME[self.nlp.vocab.strings[match_id]]
            found.append(_Hit(cue, start, end))
        # Longest first, then by reliability; a token belongs to one cue; a repeated cue ("omdat omdat") counts once.
        found.sort(key=lambda h: (-(h.end - h.start), -h.cue.weight, h.start))
        taken: set[int] = set()
        hits: list[_Hit] = []
        for hit in found:
            if any(i in taken for i in range(hit.start, hit.end)):
                continue
            if hit.cue.name == "als … dan" and not self._conditional_als(doc, hit.start):
                continue
            if hit.cue.name == "door" and self._door_is_not_causal(doc, hit.start):
                continue
            if hit.cue.name == "te maken met" and doc[hit.start].lower_ != "te" and not any(
                    doc[j].lower_ == "maken" for j in range(hit.end, doc[hit.start].sent.end)):
                continue  # "ervaringen hebben met school" is no "heeft met X te maken"
            if hit.cue.name == "maakt" and hit.start > 0 and doc[hit.start - 1].lower_ == "te":
                continue  # "met armoede te maken": the infinitive of "te maken hebben met"
            if hit.cue.name == "trekt aan" and self._other_particle(doc, hit.end):
                continue  # "ze trekken zich terug" is withdrawing, not attracting
            if hit.cue.initial_only and not self._clause_initial(doc, hit.start):
                continue
            if doc[hit.start].sent.text.rstrip().endswith("?"):
                continue  # a question states no claim
            if doc[hit.end - 1].sent.start != doc[hit.start].sent.start:
                continue  # a cue never spans two sentences
            taken.update(range(hit.start, hit.end))
            hits.append(hit)
        hits.sort(key=lambda h: h.start)
        deduped: list[_Hit] = []
        for hit in hits:
            if deduped and deduped[-1].cue is hit.cue and self._only_gap(doc, deduped[-1].end, hit.start):
                continue
            if deduped and deduped[-1].cue.name == "want" and hit.start < doc[deduped[-1].start].sent.end:
                deduped.pop()  # "want A leidt tot B": the inner cue states the claim
            if hit.cue.name in ("dan", "en dan") and any(
                    h.cue.kind == "conditional" and h.start >= doc[hit.start].sent.start for h in deduped):
                continue  # the 'dan' of "als …, dan …" belongs to the condition
            deduped.append(hit)
        return deduped

    @staticmethod
    def _other_particle(doc: Doc, i: int) -> bool:
        """Whether 'trekken' from token ``i`` on is reflexive or has another particle than 'aan' in its clause
        ("trekken zich terug", "trekt weg")."""
        words = []
        for j in range(i, doc[i - 1].sent.end):
            if doc[j].lower_ in PUNCT_BREAKS or doc[j].is_punct or doc[j].lower_ in CHUNK_WORDS:
                break
            words.append(doc[j].lower_)
        return (words[:1] == ["zich"] or bool(set(words) & {"terug", "weg", "uit", "af", "op", "samen"})) and (
            "aan" not in words)

    @staticmethod
    def _only_gap(doc: Doc, start: int, end: int) -> bool:
        return all(doc[i].lower_ in FILLERS or doc[i].is_punct for i in range(start, end))

    def _clause_initial(self, doc: Doc, i: int) -> bool:
        """Whether token ``i`` opens its sentence: only fillers, conjunctions or commas before it ("Ja, omdat …")."""
        sent_start = doc[i].sent.start
        j = i - 1
        while j >= sent_start:
            lower = doc[j].lower_
            if lower in (":", ";"):
                return True  # "ik zie het bij mijn oudste: als je …"
            if lower not in CLAUSE_OPENERS and lower not in PUNCT_BREAKS:
                return False
            j -= 1
        return True

    def _conditional_als(self, doc: Doc, i: int) -> bool:
        """'als' opens a condition at a clause start ("Als je …, dan …"); elsewhere it compares ("net als")."""
        if doc[i].lower_ == "als" and i > 0 and doc[i - 1].lower_ in ("net", "zo", "zoals", "evenals", "dan", "meer",
                                                                       "minder", "even", "met"):
            return False
        return self._clause_initial(doc, i) or (i + 1 < len(doc) and doc[i + 1].lower_ in ("je", "er", "ze", "mensen",
                                                                                          "iemand", "ik", "we", "wij",
                                                                                          "het", "de", "een"))

    @staticmethod
    def _door_is_not_causal(doc: Doc, i: int) -> bool:
        """'door' of place or passive agent: "door de straat", "die door beleggers zijn opgekocht", "gedaan door
        de gemeente", "waar komt dat door?"."""
        after = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        before = doc[i - 1].lower_ if i > 0 else ""
        if after in ("de", "het") and i + 2 < len(doc) and doc[i + 2].lower_ in (
                "straat", "wijk", "buurt", "stad", "gang", "week", "jaren", "tijd", "hele", "deur"):
            return True
        if _participle(before) or before in ("wordt", "worden", "werd", "werden", "zijn", "is", "was", "waren"):
            return True
        sent_end = doc[i].sent.end
        following = [doc[j].lower_ for j in range(i + 1, min(i + 6, sent_end))]
        for j, word in enumerate(following):
            if word in (",", ".", "en", "maar"):
                break
            if j < 3 and _participle(word):
                return True  # "door beleggers opgekocht"
            if j + 1 < len(following) and word in ("zijn", "is", "wordt", "worden", "werd", "werden") and _participle(
                    following[j + 1]):
                return True
        return after in ("?", "") or doc[i].sent.text.rstrip().endswith("?")

    def _mentions(self, doc: Doc, cue_tokens: set[int]) -> list[_Mention]:
        raw: list[_Mention] = []
        strings = self.nlp.vocab.strings
        found: set[tuple[str, int, int]] = set()
        for match_id, start, end in self._phrases(doc):
            if any(i in cue_tokens for i in range(start, end)):
                continue
            found.add((strings[match_id], start, end))
            for term in self._terms.get(strings[match_id], ()):
                raw.append(_Mention(term.concept, start, end, term.weight, term.sign, term.part))
        for key, start, end in self._gapped_terms(doc):
            if (key, start, end) in found or any(i in cue_tokens for i in range(start, end)):
                continue
            found.add((key, start, end))
            words = tuple(i for i in range(start, end) if doc[i].lower_ not in TERM_GAPS or doc[i].norm_ in key.split())
            raw.extend(_Mention(t.concept, start, end, t.weight * GAPPED, t.sign, False, words)
                       for t in self._terms[key] if not t.part)
        raw.extend(self._reordered(doc, cue_tokens, {(k, a, b) for k, a, b in found}))
        matched = {m.start for m in raw}
        for token in doc:
            if token.i not in matched and token.i not in cue_tokens:
                raw.extend(self._derived(token.i, token.lower_) or self._compound_head(token.i, token.norm_))
        # Longer matches win the tokens they cover ("goedkope huizen" over "huis"); equal spans may name several
        # concepts, but a word that is a whole term of one concept is not also a part of another's.
        raw.sort(key=lambda m: (-(m.end - m.start), m.part, -m.weight, m.start))
        owner: dict[int, tuple[int, int]] = {}
        whole: set[tuple[int, int]] = set()
        kept: list[_Mention] = []
        for m in raw:
            span = (m.start, m.end)
            if any(owner.get(i, span) != span for i in range(m.start, m.end)) or (m.part and span in whole):
                continue
            if not m.part and self.codebook.concepts[m.concept].type not in ("context", "actor"):
                whole.add(span)
            for i in range(m.start, m.end):
                owner[i] = span
            kept.append(m)
        kept.sort(key=lambda m: (m.start, -m.weight))
        return kept

    def _gapped_terms(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(term key, start, end) of multi-word terms said with up to two filler words between their words."""
        out = []
        norms = [t.norm_ for t in doc]
        gaps = [t.lower_ in TERM_GAPS for t in doc]
        for start, norm in enumerate(norms):
            for words in self._gapped.get(norm, ()):
                i, ok = start + 1, True
                for word in words[1:]:
                    skipped = 0
                    while i < len(norms) and norms[i] != word and gaps[i] and skipped < 2:
                        i, skipped = i + 1, skipped + 1
                    if i >= len(norms) or norms[i] != word:
                        ok = False
                        break
                    i += 1
                if ok and i - start > len(words):
                    out.append((" ".join(words), start, i))
        return out

    def _reordered(self, doc: Doc, cue_tokens: set[int], found: set[tuple[str, int, int]]) -> list[_Mention]:
        """Multi-word terms whose content words stand close together in one clause in another order: "de huizen
        hier zijn goedkoop" names *goedkope huizen*, "ik lig er wakker van" *wakker liggen*."""
        out: list[_Mention] = []
        seen = {(k, a) for k, a, _b in found}
        for sent in doc.sents:
            clause: dict[str, list[int]] = {}
            tokens: list[int] = []
            for token in (*sent, None):
                if token is None or token.lower_ in PUNCT_BREAKS:
                    out.extend(self._separable(doc, tokens, clause, cue_tokens))
                    out.extend(self._bag_matches(clause, cue_tokens, seen))
                    clause, tokens = {}, []
                    continue
                clause.setdefault(token.norm_, []).append(token.i)
                if not token.is_punct:
                    tokens.append(token.i)
        return out

    def _separable(self, doc: Doc, tokens: list[int], clause: dict[str, list[int]],
                   cue_tokens: set[int]) -> list[_Mention]:
        """Separable verbs: "ze trekken zich terug" says *terugtrekken*, "dan sluit je je af" *afsluiten*.

        A particle that ends its clause (or comes before 'en'/'maar') joins each word before it; a joined
        form that is a term names its concept, and counts as a word for the reordered terms."""
        out: list[_Mention] = []
        for n, j in enumerate(tokens):
            particle = doc[j].lower_
            if particle not in PARTICLES or (n + 1 < len(tokens) and doc[tokens[n + 1]].lower_ not in CHUNK_WORDS):
                continue
            for i in reversed(tokens[max(0, n - 8):n]):
                word = doc[i].lower_
                if word in CHUNK_WORDS:
                    break  # "kopen huizen op en knappen ze op": each particle has its own verb
                if word in PARTICLES or word in FILLERS or not word.isalpha() or i in cue_tokens:
                    continue
                joined = normal_form(particle + word)
                clause.setdefault(joined, []).append(i)
                out.extend(_Mention(t.concept, i, j + 1, t.weight * GAPPED, t.sign, t.part, (i, j))
                           for t in self._terms.get(joined, ()) if t.words == 1)
        return out

    def _bag_matches(self, clause: dict[str, list[int]], cue_tokens: set[int],
                     seen: set[tuple[str, int]]) -> list[_Mention]:
        out = []
        for word in clause:
            for key, content in self._bags.get(word, ()):
                if not all(w in clause for w in content):
                    continue
                at = sorted(clause[w][0] for w in content)
                if at[-1] - at[0] + 1 > len(at) + REORDER_SLACK or any(i in cue_tokens for i in at):
                    continue
                if any((key, a) in seen for a in range(at[0] - 3, at[0] + 1)):
                    continue  # already found as written
                out.extend(_Mention(t.concept, at[0], at[-1] + 1, t.weight * REORDERED, t.sign, False, tuple(at))
                           for t in self._terms[key] if not t.part)
        return out

    def _derived(self, i: int, lower: str) -> list[_Mention]:
        """A word derived from a term names what the term names: rommelig → rommel, onveiligheid → onveilig,
        verhuizing → verhuizen, geduldig → geduld."""
        if lower in FILLERS or lower in HEDGES:
            return []  # "natuurlijk" is a filler, not nature
        participle = _without_ge(lower)
        if participle:  # geïsoleerd → isoleren, opgeknapt → opknappen
            entries = self._terms.get(normal_form(participle))
            if entries:
                return [_Mention(t.concept, i, i + 1, t.weight * DERIVED, t.sign, t.part) for t in entries
                        if t.words == 1]
        for ending in DERIVATIONS:
            if lower.endswith(ending) and len(lower) - len(ending) >= MIN_PART_LENGTH:
                entries = self._terms.get(normal_form(lower[: -len(ending)]))
                if entries:
                    return [_Mention(t.concept, i, i + 1, t.weight * DERIVED, t.sign, t.part) for t in entries
                            if t.words == 1]
        return []

    def _compound_head(self, i: int, norm: str) -> list[_Mention]:
        """A Dutch compound names what its last part names: huurachterstand → achterstand, kinderarmoede → armoede;
        failing that, more weakly, what its first part names: schuldenproblematiek → schulden."""
        concepts = self.codebook.concepts
        out: list[_Mention] = []
        for cut in range(3, len(norm) - MIN_HEAD + 1):
            entries = self._terms.get(norm[cut:])
            if entries:
                out = [_Mention(t.concept, i, i + 1, t.weight * COMPOUND, t.sign, True) for t in entries
                       if t.words == 1 and not t.part]
                break
        if any(concepts[m.concept].type in CAUSAL_TYPES for m in out):
            return out
        for cut in range(len(norm) - MIN_HEAD, MIN_HEAD - 1, -1):  # the longest first part first
            first = norm[:cut]
            entries = self._terms.get(first) or (self._terms.get(first[:-1]) if first[-1] in "se" else None)
            if entries:  # with or without a linking s or e: stressklachten (a topic head), armoedeval
                return out + [_Mention(t.concept, i, i + 1, t.weight * MODIFIER, t.sign, True) for t in entries
                              if t.words == 1 and not t.part and concepts[t.concept].type in CAUSAL_TYPES]
        return out

    # -- spans ------------------------------------------------------------------------------------
    def _spans(self, doc: Doc, hit: _Hit, hits: list[_Hit], hit_index: int,
               mentions: list[_Mention]) -> tuple[range, range] | None:
        """(cause tokens, effect tokens) of one cue, or None when it has no two sides."""
        sent = doc[hit.start].sent
        prev_end = max([h.end for h in hits[:hit_index] if h.end <= hit.start and h.end > sent.start] + [sent.start])
        next_start = min([h.start for h in hits[hit_index + 1:] if h.start >= hit.end and h.start < sent.end]
                         + [sent.end])
        for j in range(hit.start - 1, prev_end - 1, -1):
            if doc[j].lower_ in (":", ";"):
                prev_end = j + 1  # "Dat zie je vaak: schulden leiden tot stress"
                break
        left = range(prev_end, hit.start)
        right = range(hit.end, next_start)
        kind = hit.cue.kind
        if kind == "effect_after":
            return left, right
        fronted = self._clause_initial(doc, hit.start) or (kind == "conditional" and any(
            doc[i].lower_ == "dan" and doc[i - 1].lower_ == "," for i in range(hit.end + 1, next_start)))
        if kind in ("cause_after", "conditional") and hit.cue.fronts and fronted:
            # "…, maar als A, dan B" opens its own clause too.
            # "Omdat A, B" / "Als A, dan B": the cause first; without a comma, the first concept named is the cause.
            cut = self._first_break(doc, hit.end, next_start, dan=kind == "conditional")
            if cut is not None:
                return range(hit.end, cut), range(cut + 1, next_start)
            named = sorted((m.start, m.end) for m in mentions if hit.end <= m.start and m.end <= next_start)
            if len({s for s, _e in named}) < 2:
                return None
            cut = named[0][1]
            for start, end in named[1:]:  # "Door de rommel en de schulden …": both are the cause
                if start >= cut and all(doc[i].lower_ in LIST_GLUE or doc[i].lower_ in FILLERS
                                        for i in range(cut, start)) and any(
                        doc[i].lower_ in ("en", "of") for i in range(cut, start)):
                    cut = end
                elif start >= cut:
                    break
            return range(hit.end, cut), range(cut, next_start)
        if kind in ("cause_after", "conditional"):
            return right, left
        if kind == "scale":
            second = next((h for h in hits[hit_index + 1:] if h.cue is hit.cue and h.start < sent.end), None)
            if second is None:
                return None
            return range(hit.end, second.start), range(second.end, sent.end)
        return None

    @staticmethod
    def _first_break(doc: Doc, start: int, end: int, dan: bool = False) -> int | None:
        for i in range(start, end):
            lower = doc[i].lower_
            if lower in (",", ";", ":") or (dan and lower == "dan" and i > start):
                if dan and lower == "," and i + 1 < end and doc[i + 1].lower_ == "dan":
                    return i + 1
                return i
        return None

    def _previous_sentence(self, doc: Doc, i: int) -> range | None:
        sent = doc[i].sent
        if sent.start == 0:
            return None
        before = doc[sent.start - 1].sent
        return range(before.start, before.end)

    def _side(self, doc: Doc, tokens: range, mentions: list[_Mention], anaphor_start: int) -> tuple[range, list]:
        """The mentions inside a span; a span of only 'dat'/'dit' (or none named) reaches the sentence before."""
        inside = [m for m in mentions if m.start >= tokens.start and m.end <= tokens.stop]
        if inside:
            return tokens, inside
        words = [doc[i].lower_ for i in tokens if not doc[i].is_punct and doc[i].lower_ not in FILLERS
                 and doc[i].lower_ not in CLAUSE_OPENERS]
        if tokens.start == doc[anaphor_start].sent.start and all(w in ANAPHORS for w in words):
            back = self._previous_sentence(doc, anaphor_start)
            if back is not None:
                found = [m for m in mentions if m.start >= back.start and m.end <= back.stop]
                further = self._previous_sentence(doc, back.start) if not found else None
                if further is not None:  # "Er is veel wantrouwen. Je hoort van alles. Dus je wacht."
                    found = [m for m in mentions if m.start >= further.start and m.end <= further.stop]
                    back = range(further.start, back.stop)
                return back, found
        return tokens, inside

    # -- polarity ---------------------------------------------------------------------------------
    def _sign(self, doc: Doc, mention: _Mention, span: range, mentions: list[_Mention], cue_tokens: set[int]) -> tuple[
            int, list[str]]:
        """The sign of a mention from the polarity words of its part of the span (between commas and 'en')."""
        lo, hi = mention.start, mention.end
        while lo > span.start and doc[lo - 1].lower_ not in PUNCT_BREAKS and doc[lo - 1].lower_ not in CHUNK_WORDS:
            lo -= 1
        while hi < span.stop and doc[hi].lower_ not in PUNCT_BREAKS and doc[hi].lower_ not in CHUNK_WORDS:
            hi += 1
        covered = {i for m in mentions if not m.part for i in m.covers()}
        sign = mention.sign
        words = []
        for i in range(lo, hi):
            if i in covered or i in cue_tokens:
                continue
            lower = doc[i].lower_
            if lower in NEGATORS or lower in DOWN_WORDS:
                sign = -sign
                words.append(lower)
            elif lower in UP_WORDS:
                words.append(lower)
        return sign, words

    @staticmethod
    def _hedged(doc: Doc, offset: int) -> bool:
        """Whether the utterance itself (not the text before it) hedges; "misschien wel de grootste" stresses."""
        lowered = doc.text[offset:].lower()
        return any(t.lower_ in HEDGES and t.idx >= offset and not (
            t.lower_ == "misschien" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "wel") for t in doc) or any(
            p in lowered for p in HEDGE_PHRASES)

    # -- network codes ----------------------------------------------------------------------------
    def _network(self, doc: Doc, statements: list[_Statement], cue_tokens: set[int],
                 offset: int = 0) -> list[Suggestion]:
        best: dict[tuple[str, str], Suggestion] = {}
        hedged = self._hedged(doc, offset) if statements else False
        concepts = self.codebook.concepts
        for st in statements:
            hit, cause_tokens, cause, effect_tokens, effect = (st.hit, st.cause_tokens, st.cause, st.effect_tokens,
                                                               st.effect)
            scale, second = st.second is not None, st.second
            negated = [doc[i].lower_ for i in range(hit.start, hit.end)
                       if doc[i].lower_ in NEGATORS and hit.cue.negatable]
            named = {i for m in (*cause, *effect) for i in m.covers()}
            cue_sign = hit.cue.sign * (-1) ** len(negated)
            for c in cause:
                c_sign, c_words = self._sign(doc, c, cause_tokens, cause, cue_tokens)
                if scale:
                    c_sign *= _scale_sign(doc, hit.end - 1)
                for e in effect:
                    if c.concept == e.concept:
                        continue
                    e_sign, e_words = self._sign(doc, e, effect_tokens, effect, cue_tokens)
                    if scale:
                        e_sign *= _scale_sign(doc, second.end - 1)
                    sign = cue_sign * c_sign * e_sign
                    words = negated + c_words + e_words
                    edge = self.edge_types.get(0 if hedged and not words else sign) or self.edge_types.get(sign)
                    if edge is None:
                        continue
                    c_type, e_type = concepts[c.concept].type, concepts[e.concept].type
                    if hit.cue.kind == "together" and (c_type == "outcome" or e_type == "intervention"
                                                or _listed(doc, c, e, named)):
                        continue  # without a cue, an outcome first or an intervention second is no claim
                    prior = (TYPE_PRIOR.get(c_type, 0.5) * CAUSE_PRIOR.get(c_type, 1)
                             * TYPE_PRIOR.get(e_type, 0.5) * EFFECT_PRIOR.get(e_type, 1))
                    if not prior:
                        continue
                    score = hit.cue.weight * math.sqrt(c.weight * e.weight * prior)
                    score *= _distance_factor(c, e, hit)
                    if hedged:
                        score *= 0.85
                    score = round(min(score, 1.0), 3)
                    key = (c.concept, e.concept)
                    if key in best and best[key].score >= score:
                        continue
                    cause_span = _shift(_chars(doc, cause_tokens), offset)
                    effect_span = _shift(_chars(doc, effect_tokens), offset)
                    polarity = ", ".join(words) if words else ("hedged" if hedged else "no polarity words")
                    reason = (f"'{hit.cue.name}': {_quote(doc, cause_tokens)} → {_quote(doc, effect_tokens)}; "
                              f"{edge} ({polarity})")
                    best[key] = Suggestion(
                        code=f"{c.concept}->{e.concept}||{edge}", kind="network", source=c.concept,
                        target=e.concept, edge_type=edge, score=score, cue=_cue_text(doc, hit),
                        cause_span=cause_span, effect_span=effect_span, reason=reason,
                        mentions=tuple(span for span in (_shift(_chars(doc, range(c.start, c.end)), offset),
                                                         _shift(_chars(doc, range(e.start, e.end)), offset)) if span),
                    )
        ranked = sorted(best.values(), key=lambda s: (-s.score, s.code))
        # One reading of an utterance is usually meant: alternatives well below the best are mostly wrong.
        ranked = [s for s in ranked if s.score >= NEAR_BEST * ranked[0].score]
        return ranked[: self.max_network]

    def _codes(self, doc: Doc, mentions: list[_Mention], offset: int = 0) -> list[Suggestion]:
        by_concept: dict[str, list[_Mention]] = {}
        for m in mentions:
            by_concept.setdefault(m.concept, []).append(m)
        out = []
        for code, found in by_concept.items():
            weight = max(m.weight for m in found)
            spans = tuple(span for m in found if (span := _shift(_chars(doc, range(m.start, m.end)), offset)))
            if not spans:
                continue  # only filler words ("natuurlijk"), not a mention
            words = ", ".join(f"'{doc.text[a + offset:b + offset]}'" for a, b in spans)
            out.append(Suggestion(code=code, kind="code", source=code, target=None, edge_type=None,
                                  score=round(min(weight, 1.0), 3), cue="", cause_span=None, effect_span=None,
                                  reason=f"named by {words}", mentions=spans))
        out.sort(key=lambda s: (-s.score, s.code))
        return out


def _without_ge(word: str) -> str | None:
    """A past participle without its 'ge': geïsoleerd → isoleerd, opgeknapt → opknapt (None when not one)."""
    if len(word) < 7 or not word.isalpha():
        return None
    if word.startswith("ge"):
        return word[2:]
    for particle in PARTICLES:
        if word.startswith(particle + "ge") and len(word) - len(particle) >= 7:
            return particle + word[len(particle) + 2:]
    return None


def _participle(word: str) -> bool:
    """A past participle such as 'opgekocht', 'gedaan', 'geregeld' (rough: 'ge' inside, ending in d, t or n)."""
    return len(word) > 5 and ("ge" in word[:5]) and word[-1] in "dtn" and word not in ("gegeven", "gelegen", "genoeg")


LIST_GLUE = frozenset({",", "en", "of", "geen", "veel", "weinig", "meer", "minder", "de", "het", "een"})


def _listed(doc: Doc, first: _Mention, second: _Mention, named: set[int]) -> bool:
    """Whether two mentions are items of one list ("Geen geld, geen werk", "Middenhuur, koop, sociale huur");
    ``named`` are the tokens of other mentions, which may stand between them as items too."""
    between = [doc[i].lower_ for i in range(first.end, second.start) if i not in named]
    return "," in between and all(w in LIST_GLUE or w in FILLERS for w in between)


def _scale_sign(doc: Doc, i: int) -> int:
    """The direction of 'hoe X' from its comparative: meer/vaker/groter +, minder/lager/kleiner −."""
    if i < 0 or i >= len(doc):
        return 1
    lower = doc[i].lower_
    return -1 if lower in DOWN_WORDS or lower in ("korter", "zwakker", "armer", "kleiner", "lager") else 1


def _distance_factor(cause: _Mention, effect: _Mention, hit: _Hit) -> float:
    """Mentions near the cue are likelier its cause and effect than ones at the far end of a long sentence."""
    far = min(abs(cause.end - hit.start), abs(cause.start - hit.end)) + min(abs(effect.start - hit.end),
                                                                            abs(effect.end - hit.start))
    return 1.0 if far <= 12 else max(0.6, 1.0 - (far - 12) * 0.02)


def _chars(doc: Doc, tokens: range) -> tuple[int, int] | None:
    """Character offsets of a token range, without surrounding fillers and punctuation."""
    start, stop = tokens.start, tokens.stop
    while start < stop and (doc[start].is_punct or doc[start].lower_ in FILLERS):
        start += 1
    while stop > start and (doc[stop - 1].is_punct or doc[stop - 1].lower_ in ("eh", "ehm", "hè", "nou", "hoor")):
        stop -= 1
    if start >= stop:
        return None
    return doc[start].idx, doc[stop - 1].idx + len(doc[stop - 1].text)


def _shift(span: tuple[int, int] | None, offset: int) -> tuple[int, int] | None:
    """A span of the joined text as a span of the utterance; None when it lies in the text before."""
    if span is None or span[0] < offset:
        return None
    return span[0] - offset, span[1] - offset


def _quote(doc: Doc, tokens: range, width: int = 48) -> str:
    span = _chars(doc, tokens)
    if span is None:
        return "''"
    text = doc.text[span[0]:span[1]]
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _cue_text(doc: Doc, hit: _Hit) -> str:
    return doc[hit.start:hit.end].text


def suggestion_rows(source: Source, suggester: Suggester, uid: str | None = None,
                    min_score: float = DEFAULT_MIN_SCORE,
                    show_all: bool = False) -> list[dict[str, Any]]:
    """One row per suggestion on the source's utterances (respondents' lines; every line with ``show_all``).

    Interviewers' lines (group or role ``interviewer``), shown with ``show_all`` or ``uid``, get concept
    codes only: the build ignores causal claims there, so no network code is suggested on them.

    Each row names the utterance (line, uid, case, text), the suggested code and whether it is already
    coded there (``coded``: the same network code with any weight, or the same plain code). With
    ``show_all``, utterances without suggestions get one row with an empty code. Each utterance is read
    with the same speaker's previous utterance as context (see :meth:`Suggester.suggest`).
    """
    from verlicht.coding.suggest_eval import interviewer_cases, previous_texts

    if uid is not None and not any(u.uid == uid for u in source.utterances):
        raise CodingError(f"no utterance with uid '{uid}'", Location(source.path),
                          f"'verlicht code list {source.path}' shows the uids")
    interviewers = interviewer_cases(source)
    skip = set() if show_all or uid is not None else interviewers
    rows: list[dict[str, Any]] = []
    for utterance, before in zip(source.utterances, previous_texts(source), strict=True):
        if (uid is not None and utterance.uid != uid) or utterance.case_id in skip or not utterance.text.strip():
            continue
        found = [s for s in suggester.suggest(utterance.text, before) if s.score >= min_score
                 and not (s.kind == "network" and utterance.case_id in interviewers)]  # the build ignores them
        network = {(n.source_leaf, n.target_leaf, n.type) for n in utterance.network}
        plain = {c.leaf for c in utterance.codes}
        base = {"source": source.path, "line": utterance.line, "uid": utterance.uid, "case": utterance.case_id,
                "text": utterance.text}
        for s in found:
            coded = ((s.source, s.target, s.edge_type) in network) if s.kind == "network" else s.source in plain
            rows.append({**base, "code": s.code, "kind": s.kind, "score": s.score, "cue": s.cue, "coded": coded,
                         "cause_span": list(s.cause_span) if s.cause_span else None,
                         "effect_span": list(s.effect_span) if s.effect_span else None,
                         "mentions": [list(m) for m in s.mentions], "reason": s.reason})
        if not found and show_all:
            rows.append({**base, "code": "", "kind": "", "score": None, "cue": "", "coded": False,
                         "cause_span": None, "effect_span": None, "mentions": [], "reason": ""})
    return rows
