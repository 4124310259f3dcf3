"""The programme catalogue: mission, themes, the 12 goals and the areas.

It ships with VERLICHT (``verlicht/data/catalogue.yaml``, wording of the NPHLN
monitoring report); a workspace may override it with ``ontology/catalogue.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

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


def load_catalogue(path: Path | None = None, shown: str | None = None) -> Catalogue:
    """Read a catalogue file (default: the one shipped with VERLICHT)."""
    path = path or builtin_catalogue_path()
    shown = shown or str(path)
    data = load_yaml(path, shown)
    if not isinstance(data, dict):
        raise CodebookError("the catalogue must be a mapping", Location(shown, 1, 1),
                            "give it 'themes:', 'goals:' and 'areas:'")
    cat = Catalogue(path=shown, mission={str(k): str(v) for k, v in (data.get("mission") or {}).items()})
    for key, spec in (data.get("themes") or {}).items():
        spec = spec or {}
        cat.themes[str(key)] = {"nl": str(spec.get("nl", key)), "en": str(spec.get("en", key))}
    goals = data.get("goals") or {}
    for key, spec in goals.items():
        where = Location(shown, line_of(goals, key))
        try:
            number = int(key)
        except (TypeError, ValueError):
            raise CodebookError(f"goal key {key!r} is not a number", where, "number the goals 1, 2, …") from None
        if not isinstance(spec, dict):
            raise CodebookError(f"goal {number} must be a mapping", where, "give it 'theme:', 'nl:' and 'en:'")
        theme = str(spec.get("theme", ""))
        if theme not in cat.themes:
            raise CodebookError(f"goal {number} has unknown theme '{theme}'",
                                Location(shown, line_of(spec, "theme") or where.line),
                                f"use one of: {', '.join(sorted(cat.themes))}")
        short = spec.get("short") or {}
        cat.goals[number] = Goal(
            number, theme, str(spec.get("nl", "")).strip(), str(spec.get("en", "")).strip(),
            str(short.get("nl", "")), str(short.get("en", "")),
        )
    for key, spec in (data.get("areas") or {}).items():
        spec = spec or {}
        cat.areas[str(key)] = Area(str(key), str(spec.get("label", key)), str(spec.get("kind", "wijk")),
                                   bool(spec.get("focus", False)))
    return cat
