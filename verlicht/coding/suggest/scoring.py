"""Scoring and ranking: causal claims turned into scored network-code and concept-code suggestions.

A :class:`Claim` is one cue with the concepts named on its two sides; :func:`network_suggestions`
scores each cause × effect pair (cue reliability × how surely both ends name their concepts × a
prior by concept type × distance to the cue), sets its edge type from the polarity words around each
end, and keeps the best readings; :func:`code_suggestions` lists the concepts named.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from verlicht.codebook import Codebook
from verlicht.coding.suggest.concepts import Mention
from verlicht.coding.suggest.cues import (
    CHUNK_WORDS,
    DOWN_WORDS,
    FILLERS,
    HEDGE_PHRASES,
    HEDGES,
    LIST_GLUE,
    NEGATORS,
    PUNCT_BREAKS,
    UP_WORDS,
    Hit,
)
from verlicht.rock.writer import network_code

if TYPE_CHECKING:
    from spacy.tokens import Doc

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




# How much a concept of each type is worth as the cause or effect of a network code: coders link factors,
# mechanisms, interventions and outcomes; actors rarely, context codes (plain topics) never.
CAUSAL_TYPES = ("factor", "mechanism", "intervention", "outcome")
TYPE_PRIOR = {"factor": 1.0, "mechanism": 1.0, "intervention": 1.0, "outcome": 1.0, "actor": 0.25, "context": 0.0}
# Interventions act and outcomes result: an outcome is seldom a cause, an intervention seldom an effect.
CAUSE_PRIOR = {"outcome": 0.6}
EFFECT_PRIOR = {"intervention": 0.5}


@dataclass(slots=True)
class Claim:
    hit: Hit
    cause_tokens: range
    cause: list[Mention]
    effect_tokens: range
    effect: list[Mention]
    second: Hit | None  # the second 'hoe …' of a scale


@dataclass(frozen=True, slots=True)
class Statement:
    """A causal statement: the cue family, the cue's words and the character spans of cause and effect."""

    cue: str
    words: str
    cause_span: tuple[int, int] | None
    effect_span: tuple[int, int] | None



def polarity(doc: Doc, mention: Mention, span: range, mentions: list[Mention], cue_tokens: set[int]) -> tuple[
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

def hedged(doc: Doc, offset: int) -> bool:
    """Whether the utterance itself (not the text before it) hedges; "misschien wel de grootste" stresses."""
    lowered = doc.text[offset:].lower()
    return any(t.lower_ in HEDGES and t.idx >= offset and not (
        t.lower_ == "misschien" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "wel") for t in doc) or any(
        p in lowered for p in HEDGE_PHRASES)

def network_suggestions(doc: Doc, statements: list[Claim], cue_tokens: set[int], codebook: Codebook,
                        edge_types: dict[int, str], max_network: int, offset: int = 0) -> list[Suggestion]:
    """The network codes of an utterance's claims, best first: at most ``max_network``, none under
    :data:`NEAR_BEST` × the best one; one suggestion per (cause, effect), its best reading."""
    best: dict[tuple[str, str], Suggestion] = {}
    is_hedged = hedged(doc, offset) if statements else False
    concepts = codebook.concepts
    for st in statements:
        hit, cause_tokens, cause, effect_tokens, effect = (st.hit, st.cause_tokens, st.cause, st.effect_tokens,
                                                           st.effect)
        scale, second = st.second is not None, st.second
        negated = [doc[i].lower_ for i in range(hit.start, hit.end)
                   if doc[i].lower_ in NEGATORS and hit.cue.negatable]
        named = {i for m in (*cause, *effect) for i in m.covers()}
        cue_sign = hit.cue.sign * (-1) ** len(negated)
        for c in cause:
            c_sign, c_words = polarity(doc, c, cause_tokens, cause, cue_tokens)
            if scale:
                c_sign *= _scale_sign(doc, hit.end - 1)
            for e in effect:
                if c.concept == e.concept:
                    continue
                e_sign, e_words = polarity(doc, e, effect_tokens, effect, cue_tokens)
                if scale:
                    e_sign *= _scale_sign(doc, second.end - 1)
                sign = cue_sign * c_sign * e_sign
                words = negated + c_words + e_words
                edge = edge_types.get(0 if is_hedged and not words else sign) or edge_types.get(sign)
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
                if is_hedged:
                    score *= 0.85
                score = round(min(score, 1.0), 3)
                key = (c.concept, e.concept)
                if key in best and best[key].score >= score:
                    continue
                cause_span = shift(chars(doc, cause_tokens), offset)
                effect_span = shift(chars(doc, effect_tokens), offset)
                said = ", ".join(words) if words else ("hedged" if is_hedged else "no polarity words")
                reason = (f"'{hit.cue.name}': {_quote(doc, cause_tokens)} → {_quote(doc, effect_tokens)}; "
                          f"{edge} ({said})")
                guessed = [m.concept for m in (c, e) if m.nearest]
                if guessed:  # no term named it: say so, the coder should check this end first
                    reason += f"; {guessed[0]}: nearest concept, no term"
                best[key] = Suggestion(
                    code=network_code(c.concept, e.concept, edge), kind="network", source=c.concept,
                    target=e.concept, edge_type=edge, score=score, cue=cue_text(doc, hit),
                    cause_span=cause_span, effect_span=effect_span, reason=reason,
                    mentions=tuple(span for span in (shift(chars(doc, range(c.start, c.end)), offset),
                                                     shift(chars(doc, range(e.start, e.end)), offset)) if span),
                )
    ranked = sorted(best.values(), key=lambda s: (-s.score, s.code))
    # One reading of an utterance is usually meant: alternatives well below the best are mostly wrong.
    ranked = [s for s in ranked if s.score >= NEAR_BEST * ranked[0].score]
    return ranked[: max_network]

def code_suggestions(doc: Doc, mentions: list[Mention], offset: int = 0) -> list[Suggestion]:
    """One concept-code suggestion per concept named, scored by its surest mention."""
    by_concept: dict[str, list[Mention]] = {}
    for m in mentions:
        by_concept.setdefault(m.concept, []).append(m)
    out = []
    for code, found in by_concept.items():
        weight = max(m.weight for m in found)
        spans = tuple(span for m in found if (span := shift(chars(doc, range(m.start, m.end)), offset)))
        if not spans:
            continue  # only filler words ("natuurlijk"), not a mention
        words = ", ".join(f"'{doc.text[a + offset:b + offset]}'" for a, b in spans)
        out.append(Suggestion(code=code, kind="code", source=code, target=None, edge_type=None,
                              score=round(min(weight, 1.0), 3), cue="", cause_span=None, effect_span=None,
                              reason=f"named by {words}", mentions=spans))
    out.sort(key=lambda s: (-s.score, s.code))
    return out




def _listed(doc: Doc, first: Mention, second: Mention, named: set[int]) -> bool:
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


def _distance_factor(cause: Mention, effect: Mention, hit: Hit) -> float:
    """Mentions near the cue are likelier its cause and effect than ones at the far end of a long sentence."""
    far = min(abs(cause.end - hit.start), abs(cause.start - hit.end)) + min(abs(effect.start - hit.end),
                                                                            abs(effect.end - hit.start))
    return 1.0 if far <= 12 else max(0.6, 1.0 - (far - 12) * 0.02)


def chars(doc: Doc, tokens: range) -> tuple[int, int] | None:
    """Character offsets of a token range, without surrounding fillers and punctuation."""
    start, stop = tokens.start, tokens.stop
    while start < stop and (doc[start].is_punct or doc[start].lower_ in FILLERS):
        start += 1
    while stop > start and (doc[stop - 1].is_punct or doc[stop - 1].lower_ in ("eh", "ehm", "hè", "nou", "hoor")):
        stop -= 1
    if start >= stop:
        return None
    return doc[start].idx, doc[stop - 1].idx + len(doc[stop - 1].text)


def shift(span: tuple[int, int] | None, offset: int) -> tuple[int, int] | None:
    """A span of the joined text as a span of the utterance; None when it lies in the text before."""
    if span is None or span[0] < offset:
        return None
    return span[0] - offset, span[1] - offset


def _quote(doc: Doc, tokens: range, width: int = 48) -> str:
    span = chars(doc, tokens)
    if span is None:
        return "''"
    text = doc.text[span[0]:span[1]]
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def cue_text(doc: Doc, hit: Hit) -> str:
    return doc[hit.start:hit.end].text
