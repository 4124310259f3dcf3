"""The workspace's own coding as a dictionary: words coders already linked to a concept become its terms.

Half of the causes and effects in unseen interviews are said in words the codebook does not know
("de juffen worden er gek van" for *druk op voorzieningen*). The codes already applied elsewhere in the
workspace say which words name which concept in the way these speakers talk. For every coded
respondent utterance, the content words on the cause side of its causal statement (the cue's cause
span, found by the suggester itself) count for the coded cause, those on the effect side for the
coded effect; an utterance without a cue counts its words, at half weight, for every concept coded
on it. A word becomes a learned term of a concept when it is seen with it in at least
:data:`MIN_SUPPORT` utterances and at least :data:`MIN_SHARE` of the respondent utterances holding
the word carry that concept, and it is no term of the codebook already (the codebook always wins).

No leakage: :func:`learn_vocabulary` takes the sources to learn from, and evaluations leave out the
sources they score (``verlicht suggest --evaluate`` learns from the others, one source at a time).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from verlicht.coding.suggest.concepts import CAUSAL_TYPES, GENERIC_WORDS
from verlicht.coding.suggest.cues import CUES, DOWN_WORDS, FILLERS, HEDGES, NEGATORS, UP_WORDS
from verlicht.coding.suggest.pipeline import normal_form
from verlicht.rock.model import Source

if TYPE_CHECKING:
    from verlicht.coding.suggest.suggester import Suggester
    from verlicht.workspace import Layout

MIN_SUPPORT = 2.0  # utterances (an uncued one counts half) in which the word goes with the concept
MIN_SHARE = 0.5  # of the respondent utterances holding the word, the share that carry the concept
MIN_LENGTH = 4
MAX_ZIPF = 5.0  # words as common as this in written Dutch (wordfreq) name nothing on their own
UNCUED = 0.5  # weight of the evidence of an utterance without a cue
LEARNED = 0.7  # weight of a learned term at share 1.0 (a codebook synonym weighs 1.0)
MAX_TEACHING_UTTERANCES = 20_000  # learning reads every utterance once (about 0.2 ms each): bounded for big workspaces


@dataclass(slots=True)
class Evidence:
    """What one source says: per normal-form word, in how many respondent utterances it occurs, and how
    much evidence links it to each concept."""

    utterances: Counter = field(default_factory=Counter)  # word -> respondent utterances holding it
    linked: Counter = field(default_factory=Counter)  # (word, concept) -> evidence weight

    def __iadd__(self, other: Evidence) -> Evidence:
        self.utterances.update(other.utterances)
        self.linked.update(other.linked)
        return self


@cache
def _ignored() -> frozenset[str]:
    """Normal forms that never become learned terms: stop words, fillers, generic and polarity words, cues."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    cue_words = {form for cue in CUES for pattern in cue.patterns for token in pattern
                 for form in token.get("LOWER", {}).get("IN", ()) if isinstance(form, str)}
    words = (*STOP_WORDS, *FILLERS, *GENERIC_WORDS, *UP_WORDS, *DOWN_WORDS, *NEGATORS, *HEDGES, *cue_words)
    return frozenset(normal_form(w) for w in words)


@cache
def _common(norm: str, word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl") >= MAX_ZIPF


def content_word(token) -> bool:
    """Whether a token is a content word that may name a concept (no stop, filler, cue or polarity word)."""
    lower = token.lower_
    return lower.isalpha() and len(lower) >= MIN_LENGTH and token.norm_ not in _ignored() and not _common(
        token.norm_, lower)


def content_words(doc, loose: bool = False) -> list[str]:
    """The content words of a ``Doc`` (or span), as normal forms, in order; ``loose`` also keeps everyday
    words (only stop words, fillers, cue and polarity words go), for weighing by TF-IDF."""
    return [token.norm_ for token in doc if (loose_word(token) if loose else content_word(token))]


def loose_word(token) -> bool:
    """Whether a token may carry meaning at all: no stop word, filler, cue or polarity word."""
    return token.lower_.isalpha() and len(token.lower_) >= 3 and token.norm_ not in _stop_words()


@cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.nl.stop_words import STOP_WORDS

    cue_words = {form for cue in CUES for pattern in cue.patterns for token in pattern
                 for form in token.get("LOWER", {}).get("IN", ()) if isinstance(form, str)}
    words = (*STOP_WORDS, *FILLERS, *UP_WORDS, *DOWN_WORDS, *NEGATORS, *HEDGES, *cue_words)
    return frozenset(normal_form(w) for w in words)


def _content(doc, start: int, end: int) -> set[str]:
    """The content words of a character span of a ``Doc``, as normal forms."""
    return {token.norm_ for token in doc if start <= token.idx < end and content_word(token)}


def source_evidence(source: Source, suggester: Suggester) -> Evidence:
    """The evidence of one coded source (respondents' lines only; interviewers' lines are no claims)."""
    from verlicht.coding.suggest.context import interviewer_cases, previous_texts

    found = Evidence()
    codebook = suggester.codebook
    causal = {code for code, concept in codebook.concepts.items() if concept.type in CAUSAL_TYPES}
    skip = interviewer_cases(source)
    for utterance, before in zip(source.utterances, previous_texts(source), strict=True):
        if not utterance.text.strip() or utterance.case_id in skip:
            continue
        doc = suggester.nlp(utterance.text)
        words = _content(doc, 0, len(utterance.text))
        found.utterances.update(words)
        pairs = set()
        for code in utterance.network:
            edge = codebook.edge_type(code.type)
            if (edge.causal if edge is not None else code.type.startswith("causal")):
                pairs.add((code.source_leaf, code.target_leaf))
        ends = {c for pair in pairs for c in pair} | {c.leaf for c in utterance.codes}
        ends &= causal
        if not ends:
            continue
        statements = [s for s in suggester.statements(utterance.text, before) if s.cause_span and s.effect_span]
        here: Counter = Counter()
        if statements and pairs:
            causes = {a for a, _b in pairs} & causal
            effects = {b for _a, b in pairs} & causal
            for st in statements:
                for word in _content(doc, *st.cause_span):
                    here.update({(word, c): 1.0 for c in causes})
                for word in _content(doc, *st.effect_span):
                    here.update({(word, e): 1.0 for e in effects})
        else:
            for word in words:
                here.update({(word, c): UNCUED for c in ends})
        # One utterance is one piece of evidence, however many statements it holds.
        found.linked.update({key: min(weight, 1.0) for key, weight in here.items()})
    return found


def learn_vocabulary(evidence: Iterable[Evidence], known: Iterable[str] = ()) -> dict[str, dict[str, float]]:
    """Learned terms: normal-form word → {concept: weight}, from the evidence of several sources.

    ``known`` are the normal forms the codebook already holds as terms; they are never learned.
    """
    total = Evidence()
    for part in evidence:
        total += part
    known = set(known)
    out: dict[str, dict[str, float]] = {}
    for (word, concept), support in sorted(total.linked.items()):
        if support < MIN_SUPPORT or word in known:
            continue
        share = support / max(total.utterances[word], 1)
        if share >= MIN_SHARE:
            out.setdefault(word, {})[concept] = round(LEARNED * min(share, 1.0), 3)
    return out


def vocabulary_rows(vocabulary: Mapping[str, Mapping[str, float]]) -> list[dict]:
    """The learned terms as rows (concept, word, weight), sorted, for reading or ``--format json``."""
    return [{"concept": concept, "word": word, "weight": weight}
            for word, by_concept in vocabulary.items() for concept, weight in by_concept.items()]


def teaching_sources(layout: Layout, limit: int = MAX_TEACHING_UTTERANCES) -> list[Source]:
    """The workspace's sources to learn from, in path order, until they hold ``limit`` utterances; a source
    that does not parse is skipped here (``verlicht parse`` reports it), so one broken file never stops
    suggestions for another."""
    from verlicht.errors import VerlichtError
    from verlicht.rock import read_source

    out: list[Source] = []
    held = 0
    for path in layout.source_files():
        try:
            source = read_source(path.resolve(), layout.shown(path.resolve()))
        except VerlichtError:
            continue
        held += len(source.utterances)
        if held > limit:
            break
        out.append(source)
    return out
