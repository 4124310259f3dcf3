"""The last resort of the mapping: a cause or effect in words no term knows, matched to the nearest concept.

When a cue splits a statement but one side names no concept, that side's content words are compared
with a profile of every causal concept: its Dutch and English labels, synonyms and description from the
codebook, plus the words the workspace's coders linked to it (:mod:`.learn`). The comparison is
scikit-learn's TF-IDF cosine over normal forms (a word all profiles share weighs nothing); the nearest
concept, when near enough and clearly nearer than the next, becomes a weak mention of the side
(weight :data:`WEIGHT` × similarity), so the suggestion ranks below those named by a term.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from verlicht.codebook import Codebook
from verlicht.coding.suggest.concepts import CAUSAL_TYPES, Mention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from verlicht.coding.suggest.learn import Evidence

MIN_SIMILARITY = 0.15  # cosine of the side's words and the concept's profile
MARGIN = 1.5  # the nearest concept must be this many times nearer than the next
WEIGHT = 0.4  # a mention found this way weighs at most this (a codebook term weighs 1.0)


class ConceptProfiles:
    """TF-IDF profiles of the codebook's causal concepts, asked for the nearest one to a span of words."""

    def __init__(self, codebook: Codebook, nlp: Language, evidence: Iterable[Evidence] = ()):
        from sklearn.feature_extraction.text import TfidfVectorizer

        from verlicht.coding.suggest.learn import content_words

        bags: dict[str, list[str]] = {}
        for code, concept in sorted(codebook.concepts.items()):
            if concept.type not in CAUSAL_TYPES:
                continue
            texts = [concept.label_nl, concept.label_en, concept.description, code.replace("_", " "),
                     *concept.synonyms]
            bags[code] = [w for text in texts if text for w in content_words(nlp(str(text)), loose=True)]
        for part in evidence:
            for (word, code), weight in sorted(part.linked.items()):
                if code in bags and weight >= 1.0:  # only the words of a cue's side: uncued lines are too loose
                    bags[code].append(word)
        self.codes = [code for code, words in bags.items() if words]
        self._vectorizer = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True)
        self._matrix = self._vectorizer.fit_transform([bags[code] for code in self.codes]) if self.codes else None

    def nearest(self, words: list[str]) -> tuple[str, float] | None:
        """The nearest concept to ``words`` (normal forms) and its cosine similarity, or None."""
        if self._matrix is None or not words:
            return None
        query = self._vectorizer.transform([words])
        if not query.nnz:
            return None
        scores = (self._matrix @ query.T).toarray().ravel()
        order = scores.argsort()[::-1]
        best = float(scores[order[0]])
        second = float(scores[order[1]]) if len(order) > 1 else 0.0
        if best < MIN_SIMILARITY or best < MARGIN * second:
            return None
        return self.codes[order[0]], best

    def mention(self, doc: Doc, tokens: range) -> list[Mention]:
        """A weak mention of the nearest concept over the content words of ``tokens``, or none."""
        from verlicht.coding.suggest.learn import loose_word

        at = [i for i in tokens if loose_word(doc[i])]
        found = self.nearest([doc[i].norm_ for i in at])
        if found is None:
            return []
        code, similarity = found
        weight = round(WEIGHT * min(similarity * 2, 1.0), 3)
        return [Mention(code, at[0], at[-1] + 1, weight, 1, True, tuple(at), nearest=True)]
