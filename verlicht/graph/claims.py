"""Claims: each source's share of the assumptions and relations, and the index that adds them up.

The merge of network codes splits in two. What one source adds — its *contribution* — depends on
its own rows, the codebook's concepts and edge types, and which of its cases are interviewers; it
is worked out by :func:`contribute` once per source (in the worker that parsed it, on a cold build)
and kept in the cache. The :class:`ClaimIndex` keeps, per assumption and per relation, what every
source added and their sum; a rebuild subtracts and adds the contributions of changed sources and
re-sums only the assumptions they touch, instead of walking every claim of every source again.

Summing reproduces, exactly, what merging all claims row by row in (source, line) order gives:

* quotes ``[source, line, utterance id, holder]`` arrive sorted, and an utterance has one id and one
  holder, so a source's quotes for an assumption are a run of the sorted, distinct evidence and the
  evidence is the sources' runs joined (kept as JSON text, never as objects);
* a holder's weight is folded claim by claim in that order (``sum`` of floats depends on the order),
  so each source records the holder's values — or just how many claims had no weight — and the folds
  continue across sources; an assumption's weight adds its holders' in order of their first claim.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from verlicht.codebook import Codebook, EdgeType
from verlicht.graph import schema as s

INTERVIEWER_HINT = "code the respondent's words, or fix the [[cid=…]] before this line"


def codebook_key(codebook: Codebook) -> str:
    """What of the codebook a contribution depends on: its concepts and edge types."""
    data = [sorted(codebook.concepts),
            sorted((name, t.kind, t.polarity) for name, t in codebook.edge_types.items())]
    return hashlib.sha256(orjson.dumps(data)).hexdigest()[:16]


def group_of(attrs: dict[str, Any]) -> tuple[str | None, Any]:
    """A case's group from its attributes, and the raw value when it names no known group."""
    raw_group = attrs.get("group", attrs.get("groep"))
    group = s.normalise_group(raw_group)
    unknown = raw_group if raw_group is not None and group is None else None
    if group is None and str(attrs.get("role", "")).casefold() == s.INTERVIEWER:
        group = s.INTERVIEWER
    return group, unknown


def context(key: str, interviewers: list[str]) -> str:
    """The context a contribution was worked out in: codebook key and the source's interviewer cases."""
    return key + "|" + orjson.dumps(interviewers).decode()


def guess_interviewers(summary: dict[str, Any]) -> list[str]:
    """The source's interviewer cases going by its own attributes (the build checks against all sources')."""
    attributes = summary["attributes"]
    return [case for case in summary["cases"]
            if group_of(attributes.get(case, {}))[0] == s.INTERVIEWER]


def contribute(heavy: dict[str, Any], path: str, edge_types: dict[str, EdgeType], concepts: set[str] | dict,
               interviewers: list[str], ctx: str) -> dict[str, Any]:
    """One source's share of the merge (see the module text), with its warnings in source order.

    ``heavy`` holds the source's ``network`` and ``codes`` rows, the ``concepts`` it uses and the
    ``edge_types`` it declares. Returns ``context``, ``warnings`` (``[message, line, col, hint,
    strict]``), ``unknown`` concept codes, ``claims`` by assumption id (``[cause, effect, polarity,
    types, [[holder, quotes, weights], ...], quotes, evidence text]``) and ``relations`` by relation
    key (``[cause id, effect id, type, holders, quotes, evidence text]``).
    """
    warnings: list[list[Any]] = []
    unknown_codes: list[str] = []
    network = heavy["network"]
    unknown = {c for c in heavy["concepts"] if c not in concepts}
    if unknown:
        def concept(code: str, line: int, col: int) -> None:
            if code not in unknown_codes:
                unknown_codes.append(code)
            warnings.append([f"code '{code}' is not in the codebook", line, col,
                             "add it to ontology/codebook.yaml (type, label nl/en, theme)", True])

        for code, line, col in heavy["codes"]:
            for part in code.split(">"):
                if part in unknown:
                    concept(part, line, col)
        for cause, effect, _type, _w, line, col, *_ in network:
            for code in (cause, effect):
                if code in unknown:
                    concept(code, line, col)

    declared = heavy["edge_types"]
    interviewer = set(interviewers)
    resolved: dict[str, EdgeType] = {}
    claims: dict[str, list[Any]] = {}
    relations: dict[str, list[Any]] = {}
    anonymous = f"src:{path}"
    by_line = f"utterance:{path}#L"  # s.utterance_id of an utterance without uid
    for cause, effect, type_, weight, line, col, uid, case in network:
        edge_type = resolved.get(type_)
        if edge_type is None or (type_ not in edge_types and type_ not in declared):
            edge_type = resolved[type_] = _edge_type(type_, declared, edge_types, warnings, line, col)
        if cause == effect:
            warnings.append([f"network code links '{cause}' to itself", line, col, "check the two ends", False])
        holder_case = case if case is not None else anonymous
        holder = "respondent:" + holder_case
        if edge_type.kind == "causal":
            if holder_case in interviewer:
                warnings.append([f"causal claim coded on a line of interviewer '{holder_case}' is not counted",
                                 line, col, INTERVIEWER_HINT, False])
                continue
            polarity = edge_type.polarity or "?"
            ident = f"assumption:{cause}->{effect}:{polarity}"
            claim = claims.get(ident)
            if claim is None:
                claim = claims[ident] = [cause, effect, polarity, [type_], {}, []]
            elif type_ not in claim[3]:
                claim[3].append(type_)
            tally = claim[4].get(holder)
            if tally is None:
                tally = claim[4][holder] = [0, 0]  # quotes, and claims without weight or the values
            if weight is None and type(tally[1]) is int:
                tally[1] += 1
            else:
                if type(tally[1]) is int:
                    tally[1] = [1] * tally[1]
                tally[1].append(1 if weight is None else weight)
            quotes = claim[5]
            if not quotes or quotes[-1][1] != line:
                quotes.append((path, line, "utterance:" + uid if uid else by_line + str(line), holder))
                tally[0] += 1
        else:
            cause_id, effect_id = "concept:" + cause, "concept:" + effect
            key = s.relation_key(cause_id, effect_id, type_)
            relation = relations.get(key)
            if relation is None:
                relation = relations[key] = [cause_id, effect_id, type_, {}, []]
            relation[3][holder] = None
            quotes = relation[4]
            if not quotes or quotes[-1][1] != line:
                quotes.append((path, line, "utterance:" + uid if uid else by_line + str(line), holder))
    return {
        "context": ctx,
        "warnings": warnings,
        "unknown": unknown_codes,
        "claims": {ident: [cause, effect, polarity, types, [[h, n, w] for h, (n, w) in holders.items()],
                           len(quotes), _evidence_text(quotes)]
                   for ident, (cause, effect, polarity, types, holders, quotes) in claims.items()},
        "relations": {key: [cause_id, effect_id, type_, list(holders), len(quotes), _evidence_text(quotes)]
                      for key, (cause_id, effect_id, type_, holders, quotes) in relations.items()},
    }


def _edge_type(name: str, declared: dict[str, Any], edge_types: dict[str, EdgeType], warnings: list[list[Any]],
               line: int, col: int) -> EdgeType:
    known = edge_types.get(name)
    if known:
        return known
    if name in declared:
        spec = declared[name]
        kind = spec.get("kind", "relation")
        polarity = spec.get("polarity") if kind == "causal" else None
        return EdgeType(name, "causal" if kind == "causal" else "relation",
                        polarity if polarity in s.POLARITIES else ("?" if kind == "causal" else None))
    warnings.append([f"edge type '{name}' is not declared", line, col,
                     "declare it under edge_types in ontology/codebook.yaml (kind causal or relation)", True])
    return EdgeType(name, "relation", None)


def _evidence_text(quotes: list[tuple[str, int, str, str]]) -> str:
    """The quotes as the JSON the evidence file holds for them, without the enclosing brackets."""
    return orjson.dumps(quotes)[1:-1].decode()


class ClaimIndex:
    """Per assumption and relation: the sum of all sources' contributions, and each source's part.

    ``claims[ident]`` is ``[cause, effect, polarity, [[holder, weight, quotes], ...], quotes, sources,
    types, weight, evidence text]``, or that list's JSON text until :meth:`claim` reads it (the cache keeps
    the text: a rebuild reads the few it patches, not 45,000); ``relations[key]`` is ``[cause id, effect
    id, type, holders, quotes, evidence text]``. The parts behind each (per source, in path order) are kept
    as JSON text in ``claim_parts``/``relation_parts`` and read only when a source that touched it changes.
    """

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        data = data or {}
        self.claims: dict[str, list[Any]] = data.get("claims", {})
        self._read: set[str] = set()  # assumptions whose total was read from its text (see claim())
        self._all_read = not self.claims  # every total is a list (a new index, or every_claim() ran)
        self.claim_parts: dict[str, str] = data.get("claim_parts", {})
        self.relations: dict[str, list[Any]] = data.get("relations", {})
        self.relation_parts: dict[str, str] = data.get("relation_parts", {})

    def to_dict(self) -> dict[str, Any]:
        """What the cache keeps: every assumption's total as JSON text."""
        if self._all_read:
            claims = {ident: orjson.dumps(total).decode() for ident, total in self.claims.items()}
        else:  # only those read or summed are lists
            claims = dict(self.claims)
            for ident in self._read:
                total = claims.get(ident)
                if total is not None and type(total) is not str:
                    claims[ident] = orjson.dumps(total).decode()
        return {"claims": claims, "claim_parts": self.claim_parts, "relations": self.relations,
                "relation_parts": self.relation_parts}

    def claim(self, ident: str) -> list[Any] | None:
        """An assumption's total (see the class text), None when no source holds it."""
        total = self.claims.get(ident)
        if type(total) is str:
            total = self.claims[ident] = orjson.loads(total)
            self._read.add(ident)
        return total

    def every_claim(self) -> dict[str, list[Any]]:
        """Every assumption's total by id, in the index's order."""
        claims = self.claims
        for ident, total in claims.items():
            if type(total) is str:
                claims[ident] = orjson.loads(total)
        self._all_read = True
        return claims

    def update(self, removed: dict[str, tuple[list[str], list[str]]],
               added: dict[str, dict[str, Any]]) -> tuple[dict[str, list[Any] | None], dict[str, list[Any] | None]]:
        """Take out what the sources in ``removed`` added before (the assumption ids and relation keys
        they touched) and put in the new contributions of the sources in ``added``.

        Returns the assumptions and the relations that were touched, each with its total as it was before
        (None when it is new): a build patches only their records (see :mod:`verlicht.graph.patch`)."""
        claims: dict[str, tuple[list[str], dict[str, list[Any]]]] = {}
        relations: dict[str, tuple[list[str], dict[str, list[Any]]]] = {}
        for path, (idents, keys) in removed.items():
            for ident in idents:
                claims.setdefault(ident, ([], {}))[0].append(path)
            for key in keys:
                relations.setdefault(key, ([], {}))[0].append(path)
        for path, contribution in added.items():
            for ident, part in contribution["claims"].items():
                claims.setdefault(ident, ([], {}))[1][path] = part
            for key, part in contribution["relations"].items():
                relations.setdefault(key, ([], {}))[1][path] = part
        before_claims = {ident: self.claim(ident) for ident in claims}
        before_relations = {key: self.relations.get(key) for key in relations}
        for ident, (gone, new) in claims.items():
            parts = self._claim_parts(ident)
            for path in gone:
                parts.pop(path, None)
            parts.update(new)
            if parts:
                self._sum_claim(ident, parts)
            else:
                self.claims.pop(ident, None)
                self.claim_parts.pop(ident, None)
        for key, (gone, new) in relations.items():
            parts = self._relation_parts(key)
            for path in gone:
                parts.pop(path, None)
            parts.update(new)
            if parts:
                self._sum_relation(key, parts)
            else:
                self.relations.pop(key, None)
                self.relation_parts.pop(key, None)
        return before_claims, before_relations

    def _claim_parts(self, ident: str) -> dict[str, list[Any]]:
        """Each source's part of an assumption, as :func:`contribute` gives it, in path order."""
        total = self.claim(ident)
        if total is None:
            return {}
        cause, effect, polarity, *_rest, text = total
        parts: dict[str, list[Any]] = {}
        start = 0
        for path, types, holders, quotes, length in orjson.loads(self.claim_parts[ident]):
            parts[path] = [cause, effect, polarity, types, holders, quotes, text[start:start + length]]
            start += length + 1
        return parts

    def _relation_parts(self, key: str) -> dict[str, list[Any]]:
        total = self.relations.get(key)
        if total is None:
            return {}
        cause_id, effect_id, type_, _holders, _quotes, text = total
        parts: dict[str, list[Any]] = {}
        start = 0
        for path, holders, quotes, length in orjson.loads(self.relation_parts[key]):
            parts[path] = [cause_id, effect_id, type_, holders, quotes, text[start:start + length]]
            start += length + 1
        return parts

    def _sum_claim(self, ident: str, parts: dict[str, list[Any]]) -> None:
        holders: dict[str, list[Any]] = {}  # holder -> [weight fold, quotes], in order of first claim
        types: set[str] = set()
        texts = []
        stored = []
        quotes = 0
        cause = effect = polarity = None
        for path in sorted(parts):
            cause, effect, polarity, part_types, part_holders, part_quotes, text = parts[path]
            for holder, n, weights in part_holders:
                tally = holders.get(holder)
                if tally is None:
                    tally = holders[holder] = [0, 0]
                if type(weights) is int:  # that many claims without weight, each counting 1
                    if type(tally[0]) is int:
                        tally[0] += weights
                    else:
                        for _ in range(weights):
                            tally[0] = tally[0] + 1
                else:
                    for value in weights:
                        tally[0] = tally[0] + value
                tally[1] += n
            types.update(part_types)
            quotes += part_quotes
            texts.append(text)
            stored.append([path, part_types, part_holders, part_quotes, len(text)])
        weight = 0.0
        for tally in holders.values():
            weight += tally[0]
        self._read.add(ident)
        self.claims[ident] = [cause, effect, polarity, [[h, w, n] for h, (w, n) in holders.items()], quotes,
                              len(parts), sorted(types), weight, ",".join(texts)]
        self.claim_parts[ident] = orjson.dumps(stored).decode()

    def _sum_relation(self, key: str, parts: dict[str, list[Any]]) -> None:
        holders: dict[str, None] = {}
        texts = []
        stored = []
        quotes = 0
        cause_id = effect_id = type_ = None
        for path in sorted(parts):
            cause_id, effect_id, type_, part_holders, part_quotes, text = parts[path]
            holders.update(dict.fromkeys(part_holders))
            quotes += part_quotes
            texts.append(text)
            stored.append([path, part_holders, part_quotes, len(text)])
        self.relations[key] = [cause_id, effect_id, type_, len(holders), quotes, ",".join(texts)]
        self.relation_parts[key] = orjson.dumps(stored).decode()
