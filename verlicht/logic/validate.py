"""Check what logic models name against the workspace: indicators, codebook concepts, programme goals."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable

from verlicht.errors import Location, LogicModelError, VerlichtError
from verlicht.logic.model import LogicModel


def check_references(models: Iterable[LogicModel], indicators: Collection[str], concepts: Collection[str],
                     goals: Collection[int]) -> list[VerlichtError]:
    """Every indicator id, concept code and goal number a model names that the workspace does not know."""
    errors: list[VerlichtError] = []
    for model in models:
        for step in model.steps:
            what = f"step '{step.key}'"
            for ident in step.indicators:
                if ident not in indicators:
                    errors.append(LogicModelError(
                        f"{what} names unknown indicator '{ident}'",
                        Location(model.path, step.lines.get("indicators", step.line)),
                        _hint(ident, indicators, "add it to indicators/indicators.csv first, or fix the id")))
            for code in step.concepts:
                if code not in concepts:
                    errors.append(_unknown_concept(what, code, Location(model.path, step.lines.get(
                        "concepts", step.line)), concepts))
            for number in step.goals:
                if number not in goals:
                    low, high = min(goals, default=1), max(goals, default=12)
                    errors.append(LogicModelError(
                        f"{what} names unknown goal {number}",
                        Location(model.path, step.lines.get("goals", step.line)),
                        f"the programme goals are numbered {low}–{high}"))
        for arrow in model.arrows:
            for mechanism in arrow.mechanisms:
                if mechanism.concept is not None and mechanism.concept not in concepts:
                    errors.append(_unknown_concept(
                        f"mechanism '{mechanism.key}' on the arrow {arrow.source} -> {arrow.target}",
                        mechanism.concept, Location(model.path, mechanism.line), concepts))
    return errors


def _unknown_concept(what: str, code: str, where: Location, concepts: Collection[str]) -> VerlichtError:
    return LogicModelError(f"{what} names unknown concept '{code}'", where,
                           _hint(code, concepts, "add it to ontology/codebook.yaml, or fix the code"))


def _hint(name: str, known: Collection[str], otherwise: str) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"did you mean '{close[0]}'?" if close else otherwise
