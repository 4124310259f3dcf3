"""Read ``logic/*.yaml``: one intervention logic model per file, checked for its own shape.

What a file may say is in the workspace template's ``logic/README.md``. This module checks what
the file alone decides (keys, stages, the order of arrows, steps that arrows name) and reports every
problem of a file with its line; whether the indicators, concepts and goals it names exist is checked
against the rest of the workspace by :mod:`verlicht.logic.validate`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from verlicht.errors import Location, LogicModelError, VerlichtError, VerlichtWarning
from verlicht.logic.model import STAGE_WORDS, STAGES, Arrow, LogicModel, Mechanism, Step
from verlicht.yamlio import LineDict, line_of, load_yaml

SUFFIXES = (".yaml", ".yml")
TOP_KEYS = ("version", "id", "label", "description", "source", "steps", "arrows")
STEP_KEYS = ("id", "kind", "text", "measure", "indicators", "concepts", "goals")
ARROW_KEYS = ("from", "to", "mechanisms")
MECHANISM_KEYS = ("id", "text", "concept")
ORDER_HINT = "arrows run middelen → activiteiten → prestaties → effecten"


def logic_files(folder: Path) -> list[Path]:
    """The logic model files in ``folder``, by name (README.md and hidden files are not models)."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir()
                   if p.is_file() and p.suffix in SUFFIXES and not p.name.startswith(".")),
                  key=lambda p: p.name)


def read_logic_models(files: Iterable[tuple[Path, str]]) -> tuple[list[LogicModel], list[VerlichtError]]:
    """Every file's model, and every problem found in any of them (``files`` as (path, shown) pairs)."""
    models: list[LogicModel] = []
    errors: list[VerlichtError] = []
    for path, shown in files:
        model, found = read_logic_model(path, shown)
        errors.extend(found)
        if model is not None:
            models.append(model)
    seen: dict[str, LogicModel] = {}
    for model in models:
        if model.key in seen:
            errors.append(LogicModelError(
                f"intervention '{model.key}' is also described in {seen[model.key].path}", Location(model.path, 1),
                "give each intervention its own 'id:' (it defaults to the file name)"))
        else:
            seen[model.key] = model
    return models, errors


def read_logic_model(path: Path, shown: str) -> tuple[LogicModel | None, list[VerlichtError]]:
    """One file's model (None when it cannot be made) and the problems in it, each with its line."""
    try:
        data = load_yaml(path, shown, LogicModelError)  # type: ignore[arg-type]
    except LogicModelError as exc:
        return None, [exc]
    reader = _Reader(path, shown)
    model = reader.model(data)
    return (model if not reader.errors else None), reader.errors


def slug(text: str) -> str:
    """An id from free text: "Ik spreek de taal" -> "ik_spreek_de_taal" (at most 40 characters)."""
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")[:40].strip("_")


def _is_identifier(key: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", key))


class _Reader:
    def __init__(self, path: Path, shown: str):
        self.path = path
        self.shown = shown
        self.errors: list[VerlichtError] = []
        self.warnings: list[VerlichtWarning] = []
        self.broken: set[str] = set()  # steps with an error of their own: arrows to them are not errors again

    def error(self, message: str, line: int | None, hint: str | None = None) -> None:
        self.errors.append(LogicModelError(message, Location(self.shown, line), hint))

    def where(self, mapping: Any, key: str | None = None) -> int | None:
        if key is not None:
            return line_of(mapping, key)
        return mapping.line if isinstance(mapping, LineDict) else None

    def unknown_keys(self, mapping: dict[str, Any], known: tuple[str, ...], what: str) -> None:
        for key in mapping:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"{what} takes: {', '.join(known)}"
                self.error(f"unknown key '{key}' in {what}", self.where(mapping, key), hint)

    def text(self, mapping: dict[str, Any], key: str, what: str, required: bool = False) -> tuple[str, str]:
        """``key: text`` (Dutch) or ``key: {nl: …, en: …}`` as (nl, en)."""
        value = mapping.get(key)
        line = self.where(mapping, key)
        if value is None or value == "":
            if required:
                self.error(f"{what} has no '{key}'", self.where(mapping),
                           f"write '{key}: …' in Dutch, or '{key}: {{nl: …, en: …}}'")
            return "", ""
        if isinstance(value, dict):
            unknown = sorted(str(k) for k in value if k not in ("nl", "en"))
            if unknown:
                self.error(f"'{key}' of {what} has {', '.join(repr(k) for k in unknown)} besides nl and en", line,
                           "put text holding a comma or colon in quotes: {nl: \"…, …\", en: \"…\"}")
                return "", ""
            if any(isinstance(v, (list, dict)) for v in value.values()):
                self.error(f"'{key}' of {what} must be text or {{nl: …, en: …}}", line,
                           f"write '{key}: {{nl: …, en: …}}'")
                return "", ""
            nl, en = _scalar(value.get("nl")), _scalar(value.get("en"))
            if required and not nl:
                self.error(f"{what} has no Dutch '{key}'", line, f"write '{key}: {{nl: …, en: …}}'")
            return nl, en
        if isinstance(value, list):
            self.error(f"'{key}' of {what} must be text, not a list", line, f"write '{key}: …'")
            return "", ""
        return _scalar(value), ""

    def names(self, mapping: dict[str, Any], key: str, what: str) -> tuple[str, ...]:
        """A list of ids (or one id) under ``key``."""
        value = mapping.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) and v.strip() for v in items):
            self.error(f"'{key}' of {what} must be a list of ids", self.where(mapping, key),
                       f"write '{key}: [id, id]'")
            return ()
        return tuple(dict.fromkeys(v.strip() for v in items))

    # -- the file --------------------------------------------------------------------------------
    def model(self, data: Any) -> LogicModel | None:
        if not isinstance(data, dict):
            self.error("a logic model must be a mapping", 1,
                       "start with 'label:', then 'steps:' and 'arrows:' (see logic/README.md)")
            return None
        self.unknown_keys(data, TOP_KEYS, "a logic model")
        key = data.get("id", self.path.stem)
        if not isinstance(key, str) or not _is_identifier(key):
            self.error(f"'{key}' cannot be an intervention id", self.where(data, "id") or 1,
                       "ids start with an ASCII letter (a–z, A–Z: no é or ë) and hold only those letters, digits and _ "
                       "(rename the file or write 'id: …')")
            key = "_"
        label_nl, label_en = self.text(data, "label", "the intervention")
        description, _ = self.text(data, "description", "the intervention")
        source, _ = self.text(data, "source", "the intervention")
        steps = self.steps(data)
        arrows = self.arrows(data, {step.key: step for step in steps})
        on_arrows = {k for arrow in arrows for k in (arrow.source, arrow.target)}
        if len(steps) > 1:
            for step in steps:
                if step.key not in on_arrows:
                    self.warnings.append(VerlichtWarning(
                        f"step '{step.key}' is on no arrow", Location(self.shown, step.line),
                        "add an arrow from or to it under 'arrows:'"))
        if steps and not any(step.stage == "effecten" for step in steps):
            self.warnings.append(VerlichtWarning(
                f"intervention '{key}' has no effecten step", Location(self.shown, self.where(data, "steps")),
                "add the outcome it is meant to reach: 'kind: effecten'"))
        return LogicModel(key=key, path=self.shown, label_nl=label_nl or label_en or key,
                          label_en=label_en or label_nl or key, description=description, source=source,
                          steps=tuple(steps), arrows=tuple(arrows), warnings=tuple(self.warnings))

    def steps(self, data: dict[str, Any]) -> list[Step]:
        items = data.get("steps")
        line = self.where(data, "steps") or 1
        if not isinstance(items, list) or not items:
            self.error("a logic model needs a list of steps", line,
                       "write 'steps:' with one '- id: …' item per box of the scheme")
            return []
        steps: list[Step] = []
        seen: dict[str, int] = {}
        for item in items:
            step = self.step(item, line)
            if step is None:
                continue
            if step.key in seen:
                self.error(f"step '{step.key}' is defined twice (first on line {seen[step.key]})", step.line,
                           "give each step its own id")
                continue
            seen[step.key] = step.line
            steps.append(step)
        return steps

    def step(self, item: Any, parent_line: int) -> Step | None:
        if not isinstance(item, dict):
            self.error("each step must be a mapping", parent_line, "write '- id: …' then 'kind:' and 'text:'")
            return None
        line = self.where(item) or parent_line
        self.unknown_keys(item, STEP_KEYS, "a step")
        key = item.get("id")
        if not isinstance(key, str) or not _is_identifier(key):
            self.error("step without a usable 'id'" if key is None else f"'{key}' cannot be a step id", line,
                       "ids start with an ASCII letter (a–z, A–Z: no é or ë) and hold only those letters, digits and _")
            return None
        what = f"step '{key}'"
        raw = item.get("kind")
        stage = STAGE_WORDS.get(str(raw).strip().casefold()) if raw is not None else None
        if stage is None:
            close = difflib.get_close_matches(str(raw or ""), STAGES, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(STAGES)}"
            self.error(f"{what} has unknown kind {raw!r}" if raw is not None else f"{what} has no 'kind'",
                       self.where(item, "kind") if raw is not None else line, hint)
        text_nl, text_en = self.text(item, "text", what, required=True)
        measure, _ = self.text(item, "measure", what)
        indicators = self.names(item, "indicators", what)
        concepts = self.names(item, "concepts", what)
        goals = self.goals(item, what)
        if goals and stage not in (None, "effecten"):
            self.error(f"{what} is {stage} but has goals", self.where(item, "goals"),
                       "only effecten steps serve programme goals; put the goals on the effect this step leads to")
        if stage is None:
            self.broken.add(key)
            return None
        lines = {k: self.where(item, k) or line for k in ("indicators", "concepts", "goals") if k in item}
        return Step(key, stage, text_nl, text_en, measure, indicators, concepts, goals, line, lines)

    def goals(self, item: dict[str, Any], what: str) -> tuple[int, ...]:
        value = item.get("goals")
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        numbers = []
        for goal in items:
            if isinstance(goal, bool) or not isinstance(goal, (int, str)) or not str(goal).strip().isdigit():
                self.error(f"{what} names goal {goal!r}, which is not a goal number", self.where(item, "goals"),
                           "write 'goals: [6, 11]' with the numbers of the programme goals (1–12)")
                return ()
            numbers.append(int(goal))
        return tuple(dict.fromkeys(numbers))

    def arrows(self, data: dict[str, Any], steps: dict[str, Step]) -> list[Arrow]:
        items = data.get("arrows")
        line = self.where(data, "arrows") or self.where(data)
        if items is None:
            return []
        if not isinstance(items, list):
            self.error("'arrows' must be a list", line, "write '- from: step_id' and 'to: step_id' per arrow")
            return []
        arrows: list[Arrow] = []
        seen: dict[tuple[str, str], int] = {}
        for item in items:
            arrow = self.arrow(item, line or 1, steps)
            if arrow is None:
                continue
            pair = (arrow.source, arrow.target)
            if pair in seen:
                self.error(f"arrow {arrow.source} -> {arrow.target} is drawn twice (first on line {seen[pair]})",
                           arrow.line, "put all its mechanisms under one arrow")
                continue
            seen[pair] = arrow.line
            arrows.append(arrow)
        return arrows

    def arrow(self, item: Any, parent_line: int, steps: dict[str, Step]) -> Arrow | None:
        if not isinstance(item, dict):
            self.error("each arrow must be a mapping", parent_line, "write '- from: step_id' and 'to: step_id'")
            return None
        line = self.where(item) or parent_line
        self.unknown_keys(item, ARROW_KEYS, "an arrow")
        ends = []
        for end in ("from", "to"):
            key = item.get(end)
            if not isinstance(key, str) or not key.strip():
                self.error(f"arrow without '{end}'" if key is None else f"'{end}' of an arrow must name one step",
                           self.where(item, end) if key is not None else line,
                           f"write '{end}: step_id' (one arrow per pair of steps)")
                return None
            key = key.strip()
            if key in self.broken:
                return None
            if key not in steps:
                close = difflib.get_close_matches(key, list(steps), n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"steps are: {', '.join(steps) or '(none)'}"
                self.error(f"dangling arrow: '{end}: {key}' names no step of this model",
                           self.where(item, end), hint)
                return None
            ends.append(steps[key])
        source, target = ends
        if target.order <= source.order:
            relation = "stays within" if target.order == source.order else "goes back to"
            self.error(f"step order violated: arrow from {source.stage} '{source.key}' {relation} "
                       f"{target.stage} '{target.key}'", line, ORDER_HINT)
            return None
        mechanisms = self.mechanisms(item, f"arrow {source.key} -> {target.key}", line)
        return Arrow(source.key, target.key, mechanisms, line)

    def mechanisms(self, arrow: dict[str, Any], what: str, arrow_line: int) -> tuple[Mechanism, ...]:
        items = arrow.get("mechanisms")
        if items is None:
            return ()
        line = self.where(arrow, "mechanisms") or arrow_line
        if not isinstance(items, list):
            items = [items]
        found: dict[str, Mechanism] = {}
        for item in items:
            mechanism = self.mechanism(item, what, line)
            if mechanism is None:
                continue
            if mechanism.key in found:
                self.error(f"mechanism '{mechanism.key}' is named twice on the {what}", mechanism.line,
                           "give one of them its own 'id:'")
                continue
            found[mechanism.key] = mechanism
        return tuple(found.values())

    def mechanism(self, item: Any, what: str, line: int) -> Mechanism | None:
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            text = _scalar(item)
            key = slug(text)
            if not key:
                self.error(f"mechanism '{text}' on the {what} has no letters or digits for an id", line,
                           "write it as '- {id: …, text: …}'")
                return None
            return Mechanism(key, text, "", None, line)
        if not isinstance(item, dict):
            self.error(f"a mechanism on the {what} must be text or a mapping", line,
                       "write '- text: …' and/or '  concept: code'")
            return None
        here = self.where(item) or line
        if "indicators" in item:
            self.error(f"a mechanism on the {what} has indicators", self.where(item, "indicators"),
                       "a mechanism is measured through its concept: give it 'concept: code' and let an "
                       "indicator measure that concept (indicators/*.csv, column 'measures')")
            return None
        self.unknown_keys(item, MECHANISM_KEYS, "a mechanism")
        text_nl, text_en = self.text(item, "text", f"a mechanism on the {what}")
        concept = item.get("concept")
        if concept is not None and (not isinstance(concept, str) or not _is_identifier(concept)):
            self.error(f"'{concept}' cannot be a concept code", self.where(item, "concept"),
                       "write one code of ontology/codebook.yaml, e.g. 'concept: vertrouwen_in_instanties'")
            return None
        if not text_nl and not concept:
            self.error(f"a mechanism on the {what} has neither text nor concept", here,
                       "write 'text: …' (what people say makes it work) and/or 'concept: code'")
            return None
        key = item.get("id")
        if key is not None and (not isinstance(key, str) or not _is_identifier(key)):
            self.error(f"'{key}' cannot be a mechanism id", self.where(item, "id"),
                       "ids start with an ASCII letter (a–z, A–Z: no é or ë) and hold only those letters, digits and _")
            return None
        key = key or concept or slug(text_nl)
        return Mechanism(key, text_nl, text_en, concept, here)


def _scalar(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())
