"""Plain data classes for an intervention logic model.

The monitoring scheme of the Nationaal Programma Heerlen-Noord describes an intervention as four
stages — Middelen (inputs) → Activiteiten (activities) → Prestaties (outputs) → Effecten
(outcomes) — and, under each arrow between them, the *mechanisms* that explain why one step leads
to the next. A :class:`LogicModel` is one such scheme, read from ``logic/<intervention>.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verlicht.errors import VerlichtWarning

STAGES = ("middelen", "activiteiten", "prestaties", "effecten")
STAGE_LABELS_EN = {"middelen": "inputs", "activiteiten": "activities", "prestaties": "outputs",
                   "effecten": "outcomes"}
# What people write for a stage, in either language; the model keeps the Dutch name of the scheme.
STAGE_WORDS = {
    **{stage: stage for stage in STAGES},
    "middel": "middelen", "input": "middelen", "inputs": "middelen",
    "activiteit": "activiteiten", "activity": "activiteiten", "activities": "activiteiten",
    "throughput": "activiteiten",
    "prestatie": "prestaties", "output": "prestaties", "outputs": "prestaties",
    "effect": "effecten", "outcome": "effecten", "outcomes": "effecten",
}


@dataclass(frozen=True, slots=True)
class Mechanism:
    """Why an arrow's source step leads to its target: free text, a codebook concept, or both."""

    key: str  # unique on its arrow: the given id, else the concept, else a slug of the text
    text_nl: str
    text_en: str
    concept: str | None
    line: int


@dataclass(frozen=True, slots=True)
class Step:
    """One box of the scheme, with the indicators that show it happened."""

    key: str
    stage: str  # one of STAGES
    text_nl: str
    text_en: str
    measure: str  # what would show the step happened, in words, while no indicator does
    indicators: tuple[str, ...]
    concepts: tuple[str, ...]
    goals: tuple[int, ...]  # programme goals; only effecten steps have them
    line: int
    lines: dict[str, int] = field(default_factory=dict)  # line of each key, for located errors

    @property
    def order(self) -> int:
        return STAGES.index(self.stage)


@dataclass(frozen=True, slots=True)
class Arrow:
    """``source`` leads to ``target`` (a later stage), through ``mechanisms``."""

    source: str
    target: str
    mechanisms: tuple[Mechanism, ...]
    line: int


@dataclass(frozen=True, slots=True)
class LogicModel:
    """An intervention as the scheme draws it; ``path`` is the file as shown in messages."""

    key: str
    path: str
    label_nl: str
    label_en: str
    description: str
    source: str  # where the scheme comes from (a report, a meeting), in words
    steps: tuple[Step, ...]
    arrows: tuple[Arrow, ...]
    warnings: tuple[VerlichtWarning, ...] = ()

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)
