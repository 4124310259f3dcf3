"""The programme catalogue: mission, themes, the 12 goals and the areas.

It ships with VERLICHT (``verlicht/data/catalogue.yaml``, wording of the NPHLN
monitoring report); a workspace may override it with ``ontology/catalogue.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from verlicht.errors import CodebookError, Location
from verlicht.yamlio import line_of, load_yaml


@dataclass(frozen=True, slots=True)
class Goal:
    number: int
    theme: str
    nl: str
    en: str
    short_nl: str
    short_en: str


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    label: str
    kind: str
    focus: bool = False


@dataclass(slots=True)
class Catalogue:
    path: str
    mission: dict[str, str] = field(default_factory=dict)
    themes: dict[str, dict[str, str]] = field(default_factory=dict)
    goals: dict[int, Goal] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)

    def area_id(self, name: str) -> str | None:
        """Resolve an area given by id or label, as people write it ("Vrieheide", "GMS", "vrieheide")."""
        if name in self.areas:
            return name
        wanted = slug(name)
        for area in self.areas.values():
            short = re.split(r" \(| e\.o\.", area.label)[0]
            if wanted in (area.id, slug(area.label), slug(short)):
                return area.id
        return None


def slug(text: str) -> str:
    """Lowercase ASCII id: "Kasteelbuurt-Hoofdstraat West" -> "kasteelbuurt_hoofdstraat_west"."""
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


def builtin_catalogue_path() -> Path:
    return Path(str(resources.files("verlicht") / "data" / "catalogue.yaml"))


def _mapping(data: dict[str, Any], key: str, shown: str) -> dict[Any, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise CodebookError(f"'{key}' must be a mapping", Location(shown, line_of(data, key)),
                            f"see the catalogue shipped with VERLICHT for the shape of '{key}'")
    return value


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, (list, dict)) else str(value).strip()


def load_catalogue(path: Path | None = None, shown: str | None = None) -> Catalogue:
    """Read a catalogue file (default: the one shipped with VERLICHT)."""
    path = path or builtin_catalogue_path()
    shown = shown or str(path)
    data = load_yaml(path, shown)
    if not isinstance(data, dict):
        raise CodebookError("the catalogue must be a mapping", Location(shown, 1, 1),
                            "give it 'themes:', 'goals:' and 'areas:'")
    cat = Catalogue(path=shown, mission={str(k): _text(v) for k, v in _mapping(data, "mission", shown).items()})
    themes = _mapping(data, "themes", shown)
    for key, spec in themes.items():
        spec = spec if isinstance(spec, dict) else {"nl": spec, "en": spec}
        cat.themes[str(key)] = {"nl": _text(spec.get("nl")) or str(key), "en": _text(spec.get("en")) or str(key)}
    goals = _mapping(data, "goals", shown)
    for key, spec in goals.items():
        where = Location(shown, line_of(goals, key))
        try:
            number = int(key)
        except (TypeError, ValueError):
            raise CodebookError(f"goal key {key!r} is not a number", where, "number the goals 1, 2, …") from None
        if not isinstance(spec, dict):
            raise CodebookError(f"goal {number} must be a mapping", where, "give it 'theme:', 'nl:' and 'en:'")
        theme = _text(spec.get("theme"))
        if theme not in cat.themes:
            raise CodebookError(f"goal {number} has unknown theme '{theme}'",
                                Location(shown, line_of(spec, "theme") or where.line),
                                f"use one of: {', '.join(sorted(cat.themes)) or '(define themes first)'}")
        short = spec.get("short") if isinstance(spec.get("short"), dict) else {}
        cat.goals[number] = Goal(number, theme, _text(spec.get("nl")), _text(spec.get("en")),
                                 _text(short.get("nl")), _text(short.get("en")))
    for key, spec in _mapping(data, "areas", shown).items():
        spec = spec if isinstance(spec, dict) else {"label": spec}
        cat.areas[str(key)] = Area(str(key), _text(spec.get("label")) or str(key), _text(spec.get("kind")) or "wijk",
                                   bool(spec.get("focus", False)))
    return cat
