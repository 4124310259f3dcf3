"""Propose indicators for concepts that no indicator measures yet, by whether the indicator names the concept.

A concept has names: its code, its Dutch and English labels and its synonyms; an indicator has a text:
its id, label and definition. Both become normalised words (lower case, accents off, a few Dutch and
English function words out, plural and inflection endings cut, and Dutch compounds split when their
first part is a word seen elsewhere: ``bijstandsuitkering`` also counts as ``bijstand`` and ``uitkering``).

The **score** of an indicator for a concept is the largest share of one of the concept's names that the
indicator's text holds, each word weighted by its inverse document frequency over all concepts and
indicators (a rare word counts more than ``kinderen``): 1.0 when the indicator says "sociale samenhang"
for the synonym ``samenhang`` of ``sociale_cohesie``, 0.45 when it shares only ``huishoudens`` with "Instroom
van kansrijke huishoudens". Ties go to the higher TF-IDF cosine of all the words. Only scores of at least
:data:`MIN_SCORE` are proposed; a concept without one gets the row "no good match". Actors
(organisations, professionals) are only looked up when asked for by name: an indicator counts something
about people or places, not an organisation.

Why names and not the cosine of all words: on the demo (37 indicators, 80 concepts; 24 sensible pairs
marked by hand among the candidates either method ranks in its top three) the cosine put noise above the
right answer (``kansrijke_instroom``/``huishoudens`` 0.25, ``sociale_cohesie``/``veiligheidsmonitor`` 0.07): the
best floor reached a precision of 0.49 at recall 0.71. Name coverage at 0.6 gives 0.81 at recall 0.71,
actors left out. No model, no network: the same files give the same list.

>>> vectors = TfIdf([["armoede", "laag", "inkomen"], ["inkomen", "grens"], ["woning"]])
>>> round(vectors.cosine(0, 1), 3) > 0, vectors.cosine(0, 2)
(True, 0.0)
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from verlicht.errors import IndicatorError, Location
from verlicht.indicators.tables import Indicator, catalogue_files, close_match_hint, load_indicators
from verlicht.lemmas import lemma

if TYPE_CHECKING:
    from verlicht.codebook import Codebook, Concept
    from verlicht.workspace import Layout

DEFAULT_LIMIT = 3
MIN_SCORE = 0.6  # the best floor on the demo (see the module docstring): below it, shared words are incidental
NO_MATCH = "no good match"
STOPWORDS = frozenset("""
    de het een en of van in op te met voor door aan bij naar als dat die dit wat wie er is zijn was worden wordt
    niet geen ook nog al om uit tot over onder per etc hun hen je jij ik we wij ze zij hij zich tegen dan maar
    aantal aandeel uitsplitsen naar jaar jaren etc
    wijk wijken buurt buurten heerlen noord
    the a an and or of in on to with for by at as that this is are be not no from per its their
""".split())
_WORD = re.compile(r"[a-z0-9]+")
_SUFFIXES = ("heden", "ingen", "eren", "en", "e", "s")


def normalise(text: str) -> list[str]:
    """Lower-case ASCII words without function words: "Kinderen geboren in een gezin" → kinderen, geboren, gezin."""
    plain = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    return [w for w in _WORD.findall(plain.replace("_", " ")) if w not in STOPWORDS and len(w) > 1]


def stem(word: str) -> str:
    """A light Dutch stem: the lemma from spaCy's lookup table (``verlicht.lemmas``), then plural and
    inflection endings off (woningen → woning, schulden → schuld, gezondheden → gezondheid)."""
    if word.isdigit():
        return word
    word = lemma(word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if suffix == "heden":
                word += "heid"
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]  # doubled consonant after cutting: kinderen → kinder, bussen → bus
    return word


def split_compound(word: str, known: set[str]) -> list[str]:
    """The two parts of a Dutch compound whose head is a known word (with an optional linking s or e).

    >>> split_compound("bijstandsuitkering", {"bijstand"})
    ['bijstand', 'uitkering']
    """
    if len(word) < 8:
        return []
    for cut in range(len(word) - 4, 3, -1):  # the longest known head first
        head, tail = word[:cut], word[cut:]
        for link in ("", "s", "e"):
            if link and not head.endswith(link):
                continue
            stemmed = stem(head[: len(head) - len(link)] if link else head)
            if len(stemmed) >= 4 and stemmed in known and len(tail) >= 4:
                return [stemmed, stem(tail)]
    return []


def terms(texts: Iterable[str], known: set[str] | None = None) -> list[str]:
    """Stemmed words of ``texts``, and the parts of compounds whose head is in ``known``."""
    out = []
    for text in texts:
        for word in normalise(text):
            out.append(stem(word))
            if known:
                out.extend(split_compound(word, known))
    return out


class TfIdf:
    """TF-IDF vectors of a list of documents (bags of words) and the cosine between two of them."""

    def __init__(self, documents: Sequence[Sequence[str]]):
        counts = Counter(word for doc in documents for word in set(doc))
        total = len(documents)
        self.idf = {word: math.log((1 + total) / (1 + n)) + 1 for word, n in counts.items()}
        self.vectors = []
        for doc in documents:
            tf = Counter(doc)
            vector = {word: (1 + math.log(n)) * self.idf[word] for word, n in tf.items()}
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            self.vectors.append({word: v / norm for word, v in vector.items()})

    def cosine(self, a: int, b: int) -> float:
        va, vb = self.vectors[a], self.vectors[b]
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(v * vb.get(word, 0.0) for word, v in va.items())


def concept_texts(concept: Concept) -> list[str]:
    return [concept.code, concept.label_nl, concept.label_en, *concept.synonyms]


def concept_names(concept: Concept) -> list[str]:
    """What a concept is called: its code as words, its labels and its synonyms."""
    return [concept.code.replace("_", " "), concept.label_nl, concept.label_en, *concept.synonyms]


def indicator_texts(indicator: Indicator) -> list[str]:
    return [indicator.id, indicator.label, indicator.definition]


class NameMatch:
    """How much of a concept's name an indicator's text holds, weighted by inverse document frequency.

    >>> match = NameMatch([["sociaal", "samenhang"], ["huishouden"], ["samenhang", "buurt"]], set())
    >>> match.coverage("sociale samenhang", {"samenhang", "buurt"}) < 1, match.coverage("samenhang", {"samenhang"})
    (True, 1.0)
    """

    def __init__(self, documents: Sequence[Sequence[str]], known: set[str]):
        counts = Counter(word for doc in documents for word in set(doc))
        total = len(documents)
        self.idf = {word: math.log((1 + total) / (1 + n)) + 1 for word, n in counts.items()}
        self.known = known
        self._units: dict[str, list[tuple[str, list[str], float]]] = {}

    def units(self, name: str) -> list[tuple[str, list[str], float]]:
        """The words of a name: (stem, compound parts, weight)."""
        found = self._units.get(name)
        if found is None:
            found = []
            for word in normalise(name):
                stemmed, parts = stem(word), split_compound(word, self.known)
                weight = self.idf.get(stemmed) or max((self.idf.get(p, 1.0) for p in parts), default=1.0)
                found.append((stemmed, parts, weight))
            self._units[name] = found
        return found

    def coverage(self, name: str, words: set[str]) -> float:
        """The weighted share of ``name``'s words in ``words``; a compound counts when all its parts are there."""
        units = self.units(name)
        total = sum(weight for _stem, _parts, weight in units)
        if not total:
            return 0.0
        held = sum(weight for stemmed, parts, weight in units
                   if stemmed in words or (parts and all(p in words for p in parts)))
        return held / total


def suggest(codebook: Codebook, indicators: dict[str, Indicator], concept: str | None = None,
            limit: int = DEFAULT_LIMIT, assumptions: dict[str, tuple[int, int]] | None = None,
            min_score: float = MIN_SCORE) -> list[dict[str, Any]]:
    """Up to ``limit`` indicators per concept without one (or for ``concept``), best first, scoring at least
    ``min_score`` (the share of a concept's name the indicator holds, 0–1; see the module docstring).

    A concept with no indicator that good gets one row with ``indicator`` None and ``note`` "no good
    match". Actors are left out unless asked for as ``concept``. ``assumptions`` gives per concept code
    (number of assumptions it takes part in, their summed support); concepts in assumptions come first,
    most-discussed first, then the others by code.
    """
    assumptions = assumptions or {}
    measured = {code for ind in indicators.values() for code in ind.measures}
    if concept is not None:
        if concept not in codebook.concepts:
            raise IndicatorError(f"unknown concept '{concept}'", Location(codebook.path) if codebook.path else None,
                                 close_match_hint(concept, codebook.concepts, "'verlicht query concepts' lists them"))
        wanted = [concept]
    else:
        wanted = [code for code, item in codebook.concepts.items() if code not in measured and item.type != "actor"]
    wanted.sort(key=lambda c: (c not in assumptions, -assumptions.get(c, (0, 0))[0], -assumptions.get(c, (0, 0))[1], c))
    ids = list(indicators)
    known = {stem(w) for ind in indicators.values() for text in indicator_texts(ind) for w in normalise(text)}
    known |= {stem(w) for c in codebook.concepts.values() for text in concept_texts(c) for w in normalise(text)}
    docs = [terms(indicator_texts(indicators[i]), known) for i in ids]
    codes = list(codebook.concepts)
    docs += [terms(concept_texts(codebook.concepts[c]), known) for c in codes]
    vectors = TfIdf(docs)
    names = NameMatch(docs, known)
    words = [set(doc) for doc in docs[:len(ids)]]
    position = {code: len(ids) + n for n, code in enumerate(codes)}
    rows = []
    for code in wanted:
        item = codebook.concepts[code]
        scored = []
        for n, ident in enumerate(ids):
            if code in indicators[ident].measures:
                continue
            score, via = max(((names.coverage(name, words[n]), name) for name in concept_names(item)),
                             key=lambda pair: pair[0])
            if score >= min_score and score > 0:
                scored.append((-score, -vectors.cosine(position[code], n), ident, via))
        scored.sort()
        count, support = assumptions.get(code, (0, 0))
        base = {"concept": code, "concept_label": item.label_nl, "concept_type": item.type, "assumptions": count,
                "support": support}
        if not scored:
            rows.append({**base, "rank": None, "indicator": None, "indicator_label": None, "score": None,
                         "via": None, "command": None, "note": NO_MATCH})
            continue
        for rank, (score, _cosine, ident, via) in enumerate(scored[:limit], start=1):
            rows.append({**base, "rank": rank, "indicator": ident, "indicator_label": indicators[ident].label,
                         "score": round(-score, 3), "via": via,
                         "command": f"verlicht link {ident} --measures {code}", "note": ""})
    return rows


def assumption_counts(layout: Layout) -> dict[str, tuple[int, int]]:
    """Per concept, the assumptions it takes part in and their summed support, from the last build (if any)."""
    from verlicht.graph.store import load_graph

    if not layout.graph_file.exists():
        return {}
    counts: dict[str, list[int]] = {}
    for node in load_graph(layout.graph_file).of_kind("Assumption"):
        for code in {node["cause"], node["effect"]}:
            entry = counts.setdefault(code, [0, 0])
            entry[0] += 1
            entry[1] += node.get("support", 0)
    return {code: (n, support) for code, (n, support) in counts.items()}


def workspace_suggestions(layout: Layout, concept: str | None = None, limit: int = DEFAULT_LIMIT,
                          min_score: float = MIN_SCORE) -> list[dict[str, Any]]:
    """:func:`suggest` for a workspace: its codebook and catalogue files, and the last build's assumptions."""
    from verlicht.graph.build import load_inputs

    catalogue, codebook = load_inputs(layout)
    files = [(path, layout.shown(path)) for path in catalogue_files(layout.indicators)]
    indicators = load_indicators(files, set(codebook.concepts), set(catalogue.goals), catalogue)
    return suggest(codebook, indicators, concept, limit, assumption_counts(layout), min_score)
