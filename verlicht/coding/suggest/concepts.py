"""Mapping words onto the codebook's concepts: which concepts a span of an utterance names.

A :class:`ConceptIndex` compiles every concept's labels, synonyms and code words (in their normal
form, see :mod:`.pipeline`) into a ``PhraseMatcher``, and finds them in a ``Doc`` also when said
with fillers inside, reordered within a clause, as a separable verb, a derived word, a participle or
a compound's head or first part. Each :class:`Mention` carries a weight: how surely it names the concept.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from verlicht.codebook import Codebook
from verlicht.coding.suggest.cues import CHUNK_WORDS, DOWN_WORDS, FILLERS, HEDGES, NEGATORS, PUNCT_BREAKS
from verlicht.coding.suggest.pipeline import normal_form

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# ----------------------------------------------------------------------------------------------- concepts

# How much a concept of each type is worth as the cause or effect of a network code: coders link factors,
# mechanisms, interventions and outcomes; actors rarely, context codes (plain topics) never.
CAUSAL_TYPES = ("factor", "mechanism", "intervention", "outcome")
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
LEARNED_PART = True  # a learned term counts as a part word: it names, but alone makes no implicit claim
GAPPED = 0.9  # a multi-word term with filler words inside, or a separable verb split ("trekken zich terug")
PARTICLES = frozenset({"achter", "terug", "samen", "binnen", "langs", "mee", "weg", "door", "over", "aan", "af", "in",
                       "uit", "op", "om", "bij", "toe", "na", "voor", "vast", "los", "open", "dicht"})
REORDERED = 0.8  # the content words of a multi-word term, in another order, close together in one clause
REORDER_SLACK = 3  # how many other words may sit between them
TOKEN = re.compile(r"\w+(?:['’.\-@/]\w+)*|[^\w\s]")


# Polarity words a reordered term must keep ("niet aan de overkant komen" is not "aan de overkant komen").
POLAR_NORMS = frozenset(normal_form(w) for w in (*NEGATORS, "minder", "weinig", "zonder", "tekort", "gebrek"))


@dataclass(frozen=True, slots=True)
class Term:
    concept: str
    weight: float
    sign: int  # -1 when the term names the concept through a negation ("niet veilig" -> onveiligheidsgevoel)
    words: int
    part: bool


@dataclass(slots=True)
class Mention:
    concept: str
    start: int  # token indices
    end: int
    weight: float
    sign: int
    part: bool
    words: tuple[int, ...] = ()  # the tokens that name it, when not all of start..end do (a term said with gaps)
    nearest: bool = False  # no term: the concept nearest to the words of a side (profiles.py)

    def covers(self) -> range | tuple[int, ...]:
        return self.words or range(self.start, self.end)



def term_texts(concept) -> list[tuple[str, float]]:
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



def without_ge(word: str) -> str | None:
    """A past participle without its 'ge': geïsoleerd → isoleerd, opgeknapt → opknapt (None when not one)."""
    if len(word) < 7 or not word.isalpha():
        return None
    if word.startswith("ge"):
        return word[2:]
    for particle in PARTICLES:
        if word.startswith(particle + "ge") and len(word) - len(particle) >= 7:
            return particle + word[len(particle) + 2:]
    return None



class ConceptIndex:
    """The codebook's terms, compiled for finding the concepts a ``Doc`` names (:meth:`mentions`)."""

    def __init__(self, codebook: Codebook, nlp: Language,
                 vocabulary: Mapping[str, Mapping[str, float]] | None = None):
        from spacy.matcher import PhraseMatcher

        self.codebook = codebook
        self.nlp = nlp
        self.vocabulary = dict(vocabulary or {})  # learned terms (learn.py): normal form -> {concept: weight}
        self.whole_terms: set[str] = set()  # the codebook's own terms, as normal forms
        self._terms: dict[str, list[Term]] = {}
        self._phrases = PhraseMatcher(nlp.vocab, attr="NORM")
        self._gapped: dict[str, list[tuple[str, ...]]] = {}  # first word -> the multi-word terms it opens
        self._bags: dict[str, list[tuple[str, frozenset[str]]]] = {}  # a content word -> (term key, its words)
        self._index_terms()

    # -- building the concept index ---------------------------------------------------------------
    def _index_terms(self) -> None:
        from spacy.lang.nl.stop_words import STOP_WORDS

        stop = {normal_form(w) for w in (*STOP_WORDS, *FILLERS)}
        common = stop | {normal_form(w) for w in GENERIC_WORDS}
        terms: dict[str, dict[str, Term]] = {}
        parts: dict[str, dict[str, int]] = {}
        for concept in self.codebook.concepts.values():
            for text, weight in term_texts(concept):
                words = [w for w in TOKEN.findall(text) if w[0].isalnum()]
                key = " ".join(normal_form(w) for w in words)
                if not key:
                    continue
                known = terms.setdefault(key, {})
                if concept.code not in known or known[concept.code].weight < weight:
                    known[concept.code] = Term(concept.code, weight, 1, len(words), False)
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
                    known[code] = Term(code, weight, sign, 1, True)
        self.whole_terms = {key for key, known in terms.items() if any(not t.part for t in known.values())}
        # Words the workspace's coders linked to a concept; never over a term of the codebook.
        self.vocabulary = {key: learned for key, learned in self.vocabulary.items() if key not in self.whole_terms}
        for key, learned in sorted(self.vocabulary.items()):
            known = terms.setdefault(key, {})
            for code, weight in sorted(learned.items()):
                if code in self.codebook.concepts and (code not in known or known[code].weight < weight):
                    known[code] = Term(code, weight, 1, 1, LEARNED_PART)
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
                entries = [Term(t.concept, t.weight / math.sqrt(self._rivals(t.concept, full)), t.sign, t.words,
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
        content = frozenset(w for w in words if w not in stop or w in POLAR_NORMS)
        anchors = sorted((w for w in content if w not in POLAR_NORMS and w not in common), key=lambda w: (-len(w), w))
        if anchors and len([w for w in content if w not in POLAR_NORMS]) >= 2:
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

    def mentions(self, doc: Doc, cue_tokens: set[int]) -> list[Mention]:
        """The concepts the ``Doc`` names outside the cue tokens, in text order; longer matches win their tokens."""
        raw: list[Mention] = []
        strings = self.nlp.vocab.strings
        found: set[tuple[str, int, int]] = set()
        for match_id, start, end in self._phrases(doc):
            if any(i in cue_tokens for i in range(start, end)):
                continue
            found.add((strings[match_id], start, end))
            for term in self._terms.get(strings[match_id], ()):
                raw.append(Mention(term.concept, start, end, term.weight, term.sign, term.part))
        for key, start, end in self._gapped_terms(doc):
            if (key, start, end) in found or any(i in cue_tokens for i in range(start, end)):
                continue
            found.add((key, start, end))
            words = tuple(i for i in range(start, end) if doc[i].lower_ not in TERM_GAPS or doc[i].norm_ in key.split())
            raw.extend(Mention(t.concept, start, end, t.weight * GAPPED, t.sign, False, words)
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
        kept: list[Mention] = []
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

    def _reordered(self, doc: Doc, cue_tokens: set[int], found: set[tuple[str, int, int]]) -> list[Mention]:
        """Multi-word terms whose content words stand close together in one clause in another order: "de huizen
        hier zijn goedkoop" names *goedkope huizen*, "ik lig er wakker van" *wakker liggen*."""
        out: list[Mention] = []
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
                   cue_tokens: set[int]) -> list[Mention]:
        """Separable verbs: "ze trekken zich terug" says *terugtrekken*, "dan sluit je je af" *afsluiten*.

        A particle that ends its clause (or comes before 'en'/'maar') joins each word before it; a joined
        form that is a term names its concept, and counts as a word for the reordered terms."""
        out: list[Mention] = []
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
                out.extend(Mention(t.concept, i, j + 1, t.weight * GAPPED, t.sign, t.part, (i, j))
                           for t in self._terms.get(joined, ()) if t.words == 1)
        return out

    def _bag_matches(self, clause: dict[str, list[int]], cue_tokens: set[int],
                     seen: set[tuple[str, int]]) -> list[Mention]:
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
                out.extend(Mention(t.concept, at[0], at[-1] + 1, t.weight * REORDERED, t.sign, False, tuple(at))
                           for t in self._terms[key] if not t.part)
        return out

    def _derived(self, i: int, lower: str) -> list[Mention]:
        """A word derived from a term names what the term names: rommelig → rommel, onveiligheid → onveilig,
        verhuizing → verhuizen, geduldig → geduld."""
        if lower in FILLERS or lower in HEDGES:
            return []  # "natuurlijk" is a filler, not nature
        participle = without_ge(lower)
        if participle:  # geïsoleerd → isoleren, opgeknapt → opknappen
            entries = self._terms.get(normal_form(participle))
            if entries:
                return [Mention(t.concept, i, i + 1, t.weight * DERIVED, t.sign, t.part) for t in entries
                        if t.words == 1]
        for ending in DERIVATIONS:
            if lower.endswith(ending) and len(lower) - len(ending) >= MIN_PART_LENGTH:
                entries = self._terms.get(normal_form(lower[: -len(ending)]))
                if entries:
                    return [Mention(t.concept, i, i + 1, t.weight * DERIVED, t.sign, t.part) for t in entries
                            if t.words == 1]
        return []

    def _compound_head(self, i: int, norm: str) -> list[Mention]:
        """A Dutch compound names what its last part names: huurachterstand → achterstand, kinderarmoede → armoede;
        failing that, more weakly, what its first part names: schuldenproblematiek → schulden."""
        concepts = self.codebook.concepts
        out: list[Mention] = []
        for cut in range(3, len(norm) - MIN_HEAD + 1):
            entries = self._terms.get(norm[cut:])
            if entries:
                out = [Mention(t.concept, i, i + 1, t.weight * COMPOUND, t.sign, True) for t in entries
                       if t.words == 1 and not t.part]
                break
        if any(concepts[m.concept].type in CAUSAL_TYPES for m in out):
            return out
        for cut in range(len(norm) - MIN_HEAD, MIN_HEAD - 1, -1):  # the longest first part first
            first = norm[:cut]
            entries = self._terms.get(first) or (self._terms.get(first[:-1]) if first[-1] in "se" else None)
            if entries:  # with or without a linking s or e: stressklachten (a topic head), armoedeval
                return out + [Mention(t.concept, i, i + 1, t.weight * MODIFIER, t.sign, True) for t in entries
                              if t.words == 1 and not t.part and concepts[t.concept].type in CAUSAL_TYPES]
        return out

    # -- spans ------------------------------------------------------------------------------------
