"""Causal cues of spoken Dutch and the two sides (cause, effect) of each cue found in an utterance.

:data:`CUES` lists the cue families (connectives, verbs, prepositions, conditionals, scales) with
their reliability and on which side cause and effect are; :class:`CueFinder` runs them as a spaCy
``Matcher`` over a ``Doc``, drops readings that are no claim (a question, *door* of place, *als* that
compares), and cuts each cue's cause and effect token spans out of its sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from verlicht.coding.suggest.concepts import Mention

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
RELATIVE_WEIGHT = 0.5
# Words before 'die'/'dat' that make it no relative clause on the subject: verbs with a 'dat' clause and
# subordinators anywhere before it ("Sommigen zeggen dat …", "als die stress lang duurt"), a pronoun or
# demonstrative just before it ("Scholen vertellen me dat …", "… daar die rijke schooldag").
NOT_BEFORE_SUBJECT = frozenset({
    "zeggen", "zegt", "zei", "zeiden", "vertellen", "vertelt", "vertelde", "denken", "denk", "denkt", "dacht",
    "vinden", "vind", "vindt", "vond", "weten", "weet", "wist", "zien", "zie", "ziet", "zag", "hopen", "hoop",
    "hoopt", "merken", "merk", "merkt", "horen", "hoor", "hoort", "geloven", "geloof", "gelooft", "blijkt", "is",
    "was", "zijn", "waren", "hebben", "heeft", "had", "als", "wanneer", "omdat", "hoe", "wat", "waar", "toen",
})
NOT_SUBJECT = frozenset({"ik", "je", "jij", "ze", "zij", "we", "wij", "hij", "u", "me", "mij", "ons", "hem", "haar",
                         "hun", "jullie", "zo", "nu", "dat", "die", "dit", "er", "daar", "hier"})
AUXILIARIES = frozenset({"is", "was", "zijn", "waren", "heeft", "hebben", "had", "kan", "kunnen", "wil", "willen",
                         "moet", "moeten", "wordt", "worden", "geweest", "gaan", "doen", "staan", "zien"})
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
    # "Kinderen die naar de peuteropvang gaan, komen met een kleinere achterstand": the subject's relative clause
    # is the condition, the main clause after its comma what follows ("Als kinderen … gaan, dan komen ze …").
    _cue("wie … die", "relative", RELATIVE_WEIGHT, [_w("die", "dat", "wie")]),
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


@dataclass(slots=True)
class Hit:
    cue: Cue
    start: int
    end: int



def participle(word: str) -> bool:
    """A past participle such as 'opgekocht', 'gedaan', 'geregeld' (rough: 'ge' inside, ending in d, t or n)."""
    return len(word) > 5 and ("ge" in word[:5]) and word[-1] in "dtn" and word not in ("gegeven", "gelegen", "genoeg")


LIST_GLUE = frozenset({",", "en", "of", "geen", "veel", "weinig", "meer", "minder", "de", "het", "een"})


class CueFinder:
    """Finds the causal cues of an utterance and the token spans of their cause and effect."""

    def __init__(self, nlp: Language):
        from spacy.matcher import Matcher

        self.strings = nlp.vocab.strings
        self._cue_matcher = Matcher(nlp.vocab)
        for cue in CUES:
            self._cue_matcher.add(cue.name, [list(p) for p in cue.patterns])

    def find(self, doc: Doc) -> list[Hit]:
        """The cues of a ``Doc`` in text order; one cue per token; questions and non-causal readings left out."""
        found = []
        for match_id, start, end in self._cue_matcher(doc):
            cue = CUES_BY_NAME[self.strings[match_id]]
            found.append(Hit(cue, start, end))
        # Longest first, then by reliability; a token belongs to one cue; a repeated cue ("omdat omdat") counts once.
        found.sort(key=lambda h: (-(h.end - h.start), -h.cue.weight, h.start))
        taken: set[int] = set()
        hits: list[Hit] = []
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
            if hit.cue.kind == "relative" and self._subject_relative(doc, hit.start) is None:
                continue
            if hit.cue.initial_only and not self._clause_initial(doc, hit.start):
                continue
            if doc[hit.start].sent.text.rstrip().endswith("?"):
                continue  # a question states no claim
            if doc[hit.end - 1].sent.start != doc[hit.start].sent.start:
                continue  # a cue never spans two sentences
            taken.update(range(hit.start, hit.end))
            hits.append(hit)
        hits.sort(key=lambda h: h.start)
        deduped: list[Hit] = []
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

    def _subject_relative(self, doc: Doc, i: int) -> int | None:
        """The comma that ends a relative clause on its sentence's subject ("Kinderen die …, komen …", "Een kind
        dat …, heeft …", "Wie …, die …"), or None.

        'die'/'dat' after one to three words that open the sentence and are no verb of saying or thinking, no
        pronoun and no other subordinator ("Sommigen zeggen dat …", "als die stress …"), and a comma after at
        least two more words of the same sentence, the word before it a verb, as a Dutch subordinate clause
        ends ("… die naar de peuteropvang gaan,"; not the demonstrative "die rijke schooldag,")."""
        sent = doc[i].sent
        lead = [doc[j].lower_ for j in range(sent.start, i) if doc[j].lower_ not in CLAUSE_OPENERS]
        if doc[i].lower_ == "wie":
            if lead:
                return None
        elif not 1 <= len(lead) <= 3 or not lead[-1].isalpha() or lead[-1] in NOT_SUBJECT or any(
                w in NOT_BEFORE_SUBJECT for w in lead):
            return None
        for j in range(i + 1, sent.end - 1):
            if doc[j].lower_ in (",", ";", ":"):
                if j < i + 3:
                    return None  # "Wie weet, …": no clause
                verb = doc[j - 1].lower_
                ends_verb = verb in AUXILIARIES or (verb.endswith(("t", "d", "en")) and len(verb) > 3)
                return j if ends_verb and not doc[j + 1].is_punct else None
            if doc[j].is_punct:
                return None
        return None

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
        if participle(before) or before in ("wordt", "worden", "werd", "werden", "zijn", "is", "was", "waren"):
            return True
        sent_end = doc[i].sent.end
        following = [doc[j].lower_ for j in range(i + 1, min(i + 6, sent_end))]
        for j, word in enumerate(following):
            if word in (",", ".", "en", "maar"):
                break
            if j < 3 and participle(word):
                return True  # "door beleggers opgekocht"
            if j + 1 < len(following) and word in ("zijn", "is", "wordt", "worden", "werd", "werden") and participle(
                    following[j + 1]):
                return True
        return after in ("?", "") or doc[i].sent.text.rstrip().endswith("?")


    def spans(self, doc: Doc, hit: Hit, hits: list[Hit], hit_index: int,
               mentions: list[Mention]) -> tuple[range, range] | None:
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
        if kind == "relative":
            comma = self._subject_relative(doc, hit.start)
            return range(sent.start, comma), range(comma + 1, next_start)
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

    def side(self, doc: Doc, tokens: range, mentions: list[Mention], anaphor_start: int) -> tuple[range, list]:
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
