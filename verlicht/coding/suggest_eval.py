"""How good the suggestions are: precision and recall against the network codes coders wrote.

Scored per utterance, on respondents' lines only (interviewers' lines are never
claims). A suggested ``cause->effect`` is compared with the causal network codes
coded on the same utterance at three levels of strictness:

``exact``  same cause, effect and edge type
``pair``   same cause and effect, any causal type
``edge``   the same two concepts, either way round, any type

and two diagnostics that tell where the misses come from:

``statement``  of the utterances with a coded causal code, the share where a
               causal statement (a cue with two sides) was detected (recall), and of
               those with a detected statement, the share that carry a coded one
               (precision)
``concepts``   of the coded causes and effects, the share the utterance's concept
               suggestions name (recall); of the suggested concepts on coded
               utterances, the share that are a coded cause or effect (precision)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from verlicht.codebook import Codebook
from verlicht.coding.suggest.context import interviewer_cases, previous_texts
from verlicht.coding.suggest.scoring import DEFAULT_MIN_SCORE, Suggestion
from verlicht.coding.suggest.suggester import Suggester
from verlicht.rock.model import Source, Utterance

__all__ = ["DEFAULT_MIN_SCORE", "LEVELS", "Evaluation", "Tally", "code_reasons", "coded_causal", "evaluate",
           "interviewer_cases", "previous_texts"]

LEVELS = ("exact", "pair", "edge", "statement", "concepts")


@dataclass(slots=True)
class Tally:
    """Counts for one level; precision, recall and F1 follow from them."""

    level: str
    tp_suggested: int = 0  # suggestions that are right
    suggested: int = 0
    tp_coded: int = 0  # coded items that were found
    coded: int = 0

    @property
    def precision(self) -> float:
        return self.tp_suggested / self.suggested if self.suggested else 0.0

    @property
    def recall(self) -> float:
        return self.tp_coded / self.coded if self.coded else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> dict:
        return {"level": self.level, "precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3), "right": self.tp_suggested, "suggested": self.suggested,
                "found": self.tp_coded, "coded": self.coded}


@dataclass(slots=True)
class Evaluation:
    """The tallies of one evaluation, and the utterances it looked at."""

    min_score: float
    sources: int = 0
    utterances: int = 0
    coded_utterances: int = 0
    tallies: dict[str, Tally] = field(default_factory=lambda: {level: Tally(level) for level in LEVELS})

    def rows(self) -> list[dict]:
        return [self.tallies[level].row() for level in LEVELS]

    def __getitem__(self, level: str) -> Tally:
        return self.tallies[level]


def coded_causal(utterance: Utterance, codebook: Codebook) -> set[tuple[str, str, str]]:
    """The causal network codes on an utterance as (cause leaf, effect leaf, type)."""
    found = set()
    for code in utterance.network:
        edge = codebook.edge_type(code.type)
        if (edge.causal if edge is not None else code.type.startswith("causal")):
            found.add((code.source_leaf, code.target_leaf, code.type))
    return found


def evaluate(sources: Iterable[Source], suggester: Suggester, min_score: float = DEFAULT_MIN_SCORE,
             context: bool = True, learn_from: Iterable[Source] = ()) -> Evaluation:
    """Score the suggester's network codes (score ≥ ``min_score``) against the coded sources.

    With ``context``, each utterance is suggested on with the speaker's previous utterance as
    ``before`` (as ``verlicht suggest`` does). With ``learn_from``, each source is scored by a
    suggester that learned the vocabulary of those sources except itself (no leakage).
    """
    result = Evaluation(min_score)
    codebook = suggester.codebook
    folds = _folds(suggester, learn_from)
    base = suggester
    for source in sources:
        suggester = folds(source) if learn_from else base
        result.sources += 1
        skip = interviewer_cases(source)
        for utterance, before in zip(source.utterances, previous_texts(source), strict=True):
            if not utterance.text.strip() or utterance.case_id in skip:
                continue
            before = before if context else ""
            result.utterances += 1
            coded = coded_causal(utterance, codebook)
            suggestions = suggester.suggest(utterance.text, before)
            network = [s for s in suggestions if s.kind == "network" and s.score >= min_score]
            _score(result, coded, network, suggestions, bool(suggester.statements(utterance.text, before)))
    return result


def _folds(suggester: Suggester, learn_from: Iterable[Source]):
    """A function giving, for a source, the suggester learned from ``learn_from`` without that source."""
    from verlicht.coding.suggest.learn import source_evidence

    evidence = [(source.path, source_evidence(source, suggester)) for source in learn_from]
    return lambda source: suggester.with_evidence(e for path, e in evidence if path != source.path)


def _score(result: Evaluation, coded: set[tuple[str, str, str]], network: list[Suggestion],
           suggestions: list[Suggestion], detected: bool) -> None:
    t = result.tallies
    if coded:
        result.coded_utterances += 1
    keys = {
        "exact": (lambda s, c, e, k: (s, c, e) if k is None else (s, c, k)),
        "pair": (lambda s, c, e, k: (s, c)),
        "edge": (lambda s, c, e, k: frozenset((s, c))),
    }
    for level, key in keys.items():
        truth = {key(a, b, None, kind) for a, b, kind in coded}
        guessed = {key(s.source, s.target, s.edge_type, None) for s in network}
        t[level].suggested += len(guessed)
        t[level].tp_suggested += len(guessed & truth)
        t[level].coded += len(truth)
        t[level].tp_coded += len(truth & guessed)
    statement = t["statement"]
    if coded:
        statement.coded += 1
        statement.tp_coded += detected
    if detected:
        statement.suggested += 1
        statement.tp_suggested += bool(coded)
    if coded:
        ends = {a for a, _b, _k in coded} | {b for _a, b, _k in coded}
        named = {s.source for s in suggestions if s.kind == "code" and s.score >= min(result.min_score, 0.5)}
        t["concepts"].coded += len(ends)
        t["concepts"].tp_coded += len(ends & named)
        t["concepts"].suggested += len(named)
        t["concepts"].tp_suggested += len(named & ends)


MISS_REASONS = ("found", "polarity differs", "direction reversed", "scored under the minimum",
                "both ends named, not paired", "cause not named", "effect not named", "neither end named")


def code_reasons(sources: Iterable[Source], suggester: Suggester, min_score: float = DEFAULT_MIN_SCORE,
                 learn_from: Iterable[Source] = ()) -> list[dict]:
    """Per coded causal code, in source order, why it was or was not suggested: rows of ``source``, ``uid``,
    ``text``, ``cause``, ``effect``, ``type`` and ``reason`` (see :func:`miss_reasons`). For reading the misses
    of a development set; a held-out set is scored with :func:`miss_reasons` only, never read line by line."""
    rows: list[dict] = []
    codebook = suggester.codebook
    folds = _folds(suggester, learn_from)
    base = suggester
    for source in sources:
        suggester = folds(source) if learn_from else base
        skip = interviewer_cases(source)
        for utterance, before in zip(source.utterances, previous_texts(source), strict=True):
            if not utterance.text.strip() or utterance.case_id in skip:
                continue
            coded = coded_causal(utterance, codebook)
            if not coded:
                continue
            suggestions = suggester.suggest(utterance.text, before)
            network = {(s.source, s.target): (s.edge_type, s.score) for s in suggestions if s.kind == "network"}
            named = {s.source for s in suggestions if s.kind == "code"}
            cue = bool(suggester.statements(utterance.text, before))
            for cause, effect, kind in sorted(coded):
                found = network.get((cause, effect))
                if found and found[1] >= min_score:
                    reason = "found" if found[0] == kind else "polarity differs"
                elif (effect, cause) in network and network[(effect, cause)][1] >= min_score:
                    reason = "direction reversed"
                elif found:
                    reason = "scored under the minimum"
                elif cause in named and effect in named:
                    reason = "both ends named, not paired" + (" (cue found)" if cue else " (no cue)")
                elif cause in named:
                    reason = "effect not named"
                elif effect in named:
                    reason = "cause not named"
                else:
                    reason = "neither end named"
                rows.append({"source": str(source.path or ""), "uid": utterance.uid, "text": utterance.text,
                             "cause": cause, "effect": effect, "type": kind, "reason": reason})
    return rows


def miss_reasons(sources: Iterable[Source], suggester: Suggester, min_score: float = DEFAULT_MIN_SCORE,
                 learn_from: Iterable[Source] = ()) -> list[dict]:
    """Why each coded causal code was or was not suggested: one row per reason with its count.

    Reasons, the first that applies: ``found`` (cause, effect and type), ``polarity differs`` (the pair
    with another type), ``direction reversed`` (effect → cause suggested), ``scored under the minimum``,
    ``both ends named, not paired`` (split by whether a cue was found), and which end the utterance's
    concept suggestions do not name (a vocabulary miss). Tells whether cues, mapping or polarity limit
    the suggester. ``learn_from`` as for :func:`evaluate`.
    """
    counts: dict[str, int] = {}
    for row in code_reasons(sources, suggester, min_score, learn_from):
        counts[row["reason"]] = counts.get(row["reason"], 0) + 1
    total = sum(counts.values())
    order = {r: i for i, r in enumerate(MISS_REASONS)}
    return [{"reason": r, "codes": n, "share": round(n / total, 3) if total else 0.0}
            for r, n in sorted(counts.items(), key=lambda kv: (order.get(kv[0].split(" (")[0], 99), kv[0]))]
