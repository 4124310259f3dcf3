"""The :class:`Suggester`: cues, concepts and scores put together for one utterance at a time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from verlicht.codebook import Codebook
from verlicht.coding.suggest.concepts import CAUSAL_TYPES, ConceptIndex, Mention
from verlicht.coding.suggest.cues import FOLLOWS_ON, TOGETHER, CueFinder, Hit
from verlicht.coding.suggest.pipeline import _register_components, build_nlp
from verlicht.coding.suggest.profiles import ConceptProfiles
from verlicht.coding.suggest.scoring import (
    MAX_TEXT,
    Claim,
    Statement,
    Suggestion,
    chars,
    code_suggestions,
    cue_text,
    network_suggestions,
    shift,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from verlicht.coding.suggest.learn import Evidence
    from verlicht.rock.model import Source

USE_PROFILES = True  # the nearest concept for a side of a statement no term names (profiles.py)


class Suggester:
    """Suggests network codes and concept codes for utterances, against one codebook.

    Build it once (it compiles the codebook's terms into matchers, and loads spaCy);
    :meth:`suggest` then takes well under a millisecond per utterance.
    """

    def __init__(self, codebook: Codebook, nlp: Language | None = None, max_network: int = 3,
                 evidence: Sequence[Evidence] = ()):
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
        self.cues = CueFinder(self.nlp)
        self.evidence = tuple(evidence)
        vocabulary = None
        if self.evidence:
            from verlicht.coding.suggest.learn import learn_vocabulary

            vocabulary = learn_vocabulary(self.evidence)  # the index drops words that are codebook terms
        self.concepts = ConceptIndex(codebook, self.nlp, vocabulary)
        self.profiles = ConceptProfiles(codebook, self.nlp, self.evidence) if USE_PROFILES else None

    def learned(self, sources: Iterable[Source]) -> Suggester:
        """A suggester that also knows the words coders linked to concepts in ``sources`` (see :mod:`.learn`)."""
        from verlicht.coding.suggest.learn import source_evidence

        return self.with_evidence([source_evidence(source, self) for source in sources])

    def with_evidence(self, evidence: Iterable[Evidence]) -> Suggester:
        """A suggester with the vocabulary learned from ``evidence`` (of :func:`.learn.source_evidence`)."""
        return Suggester(self.codebook, self.nlp, self.max_network, tuple(evidence))

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
        network = network_suggestions(doc, statements, cue_tokens, self.codebook, self.edge_types, self.max_network,
                                      offset)
        return network + code_suggestions(doc, mentions, offset)

    def statements(self, text: str, before: str = "") -> list[Statement]:
        """The causal statements found in ``text``: each cue with its cause and effect spans (concepts or not)."""
        if len(text) > MAX_TEXT:  # a whole monologue on one line: the clause analysis grows faster than the text
            return []
        found = self._analyse(text, before[-MAX_TEXT:])
        if found is None:
            return []
        doc, offset = found[0], found[4]
        return [Statement(st.hit.cue.name, cue_text(doc, st.hit), shift(chars(doc, st.cause_tokens), offset),
                          shift(chars(doc, st.effect_tokens), offset))
                for st in found[2] if st.hit.cue.kind != "together"]

    def _analyse(self, text: str, before: str = "") -> tuple[Doc, list[Mention], list[Claim], set[int],
                                                            int] | None:
        if not text or not text.strip():
            return None
        before = before.strip()
        if before:
            # The previous utterance goes first, ended as a sentence, so "Dat …" can reach back into it.
            before += " " if before[-1] in ".!?…" else ". "
        doc = self.nlp(before + text)
        offset = len(before)
        hits = self.cues.find(doc)
        cue_tokens = {i for hit in hits for i in range(hit.start, hit.end)}
        mentions = self.concepts.mentions(doc, cue_tokens)
        statements = []
        for index, hit in enumerate(hits):
            spans = self.cues.spans(doc, hit, hits, index, mentions)
            if spans is None:
                continue
            cause_tokens, cause = self.cues.side(doc, spans[0], mentions, hit.start)
            effect_tokens, effect = self.cues.side(doc, spans[1], mentions, hit.start)
            if chars(doc, cause_tokens) is None or chars(doc, effect_tokens) is None:
                continue
            if self.profiles is not None and bool(cause) != bool(effect):
                # One side names a concept, the other none a term knows: its nearest concept, weakly.
                cause = cause or self.profiles.mention(doc, cause_tokens)
                effect = effect or self.profiles.mention(doc, effect_tokens)
            second = None
            if hit.cue.kind == "scale":
                second = next(h for h in hits[index + 1:] if h.cue is hit.cue)
            statements.append(Claim(hit, cause_tokens, cause, effect_tokens, effect, second))
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

    def _follows_on(self, doc: Doc, mentions: list[Mention], here: list[Mention],
                    offset: int) -> Claim | None:
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
        hit = Hit(FOLLOWS_ON, start, start)
        return Claim(hit, range(last.start, last.end), cause, range(start, len(doc)), named, None)

    def _together(self, doc: Doc, mentions: list[Mention]) -> Claim | None:
        """No cue, but two concepts named in one utterance: often an implicit claim, the first named the cause."""
        named = [m for m in mentions if not m.part and self.codebook.concepts[m.concept].type in CAUSAL_TYPES]
        if len({m.concept for m in named}) < 2:
            return None
        first = named[0]
        start = mentions[0].start if mentions else 0
        start = min(start, first.start)
        hit = Hit(TOGETHER, first.end, first.end)
        cause = [m for m in named if m.start < first.end]
        effect = [m for m in named if m.start >= first.end and m.concept not in {c.concept for c in cause}]
        if not effect:
            return None
        return Claim(hit, range(doc[start].sent.start, first.end), cause, range(first.end, len(doc)), effect,
                          None)
