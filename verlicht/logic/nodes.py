"""Logic models as graph records: Intervention, Step and Mechanism nodes and the edges between them.

Edge kinds (see :mod:`verlicht.graph.schema`): Intervention −HAS_STEP→ Step; Step −LEADS_TO→ Step
(an arrow of the scheme, listing its mechanisms); Mechanism −EXPLAINS→ the step its arrow leads to;
Indicator −MONITORS→ Step; Step −ABOUT→ Concept; Mechanism −IS_CONCEPT→ Concept; Step −AIMS_AT→ Goal.
Through ABOUT and IS_CONCEPT a logic model meets the concepts of the interview claims.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from verlicht.graph import schema as s
from verlicht.logic.model import LogicModel

AddNode = Callable[..., dict[str, Any]]
AddEdge = Callable[..., dict[str, Any]]


def add_logic_models(models: Iterable[LogicModel], labels: Mapping[str, tuple[str, str]],
                     node: AddNode, edge: AddEdge) -> None:
    """Add every model through ``node(id, kind, **attrs)`` and ``edge(source, target, kind, **attrs)``.

    ``labels`` gives a concept's (nl, en) label, the words of a mechanism that names only a concept.
    """
    for model in models:
        ident = s.intervention_id(model.key)
        mechanisms = sum(len(arrow.mechanisms) for arrow in model.arrows)
        node(ident, "Intervention", key=model.key, label_nl=model.label_nl, label_en=model.label_en,
             description=model.description, source=model.source, path=model.path, steps=len(model.steps),
             mechanisms=mechanisms)
        for step in model.steps:
            step_ident = s.step_id(model.key, step.key)
            node(step_ident, "Step", intervention=model.key, key=step.key, stage=step.stage, order=step.order,
                 text_nl=step.text_nl, text_en=step.text_en or step.text_nl, measure=step.measure,
                 indicators=list(step.indicators), concepts=list(step.concepts), goals=list(step.goals),
                 path=model.path, line=step.line)
            edge(ident, step_ident, "HAS_STEP")
            for indicator in step.indicators:
                edge(s.indicator_id(indicator), step_ident, "MONITORS")
            for code in step.concepts:
                edge(step_ident, s.concept_id(code), "ABOUT")
            for number in step.goals:
                edge(step_ident, s.goal_id(number), "AIMS_AT")
        for arrow in model.arrows:
            source, target = s.step_id(model.key, arrow.source), s.step_id(model.key, arrow.target)
            ids = []
            for mechanism in arrow.mechanisms:
                mech_ident = s.mechanism_id(model.key, arrow.source, arrow.target, mechanism.key)
                ids.append(mech_ident)
                label_nl, label_en = labels.get(mechanism.concept or "", ("", ""))
                text_nl = mechanism.text_nl or label_nl or mechanism.key
                node(mech_ident, "Mechanism", intervention=model.key, key=mechanism.key, from_step=arrow.source,
                     to_step=arrow.target, text_nl=text_nl, text_en=mechanism.text_en or label_en or text_nl,
                     concept=mechanism.concept, path=model.path, line=mechanism.line)
                edge(mech_ident, target, "EXPLAINS")
                if mechanism.concept:
                    edge(mech_ident, s.concept_id(mechanism.concept), "IS_CONCEPT")
            edge(source, target, "LEADS_TO", mechanisms=ids)
