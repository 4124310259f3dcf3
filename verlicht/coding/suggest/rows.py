"""Suggestions as rows for ``verlicht suggest`` (the utterance context they are read with is in ``context.py``)."""

from __future__ import annotations

from typing import Any

from verlicht.coding.suggest.context import interviewer_cases, previous_texts
from verlicht.coding.suggest.scoring import DEFAULT_MIN_SCORE
from verlicht.coding.suggest.suggester import Suggester
from verlicht.errors import CodingError, Location
from verlicht.rock.model import Source


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
