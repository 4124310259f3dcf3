"""The programme catalogue: mission, themes, the 12 goals and the areas.

It ships with VERLICHT (``verlicht/data/catalogue.yaml``, wording of the NPHLN
monitoring report); a workspace may override parts of it with ``ontology/catalogue.yaml``, which is
merged over the built-in one key by key (see :func:`load_catalogue`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verlicht.errors import CodebookError, Location
from verlicht.yamlio import line_of, load_yaml

if TYPE_CHECKING:
    from verlicht.workspace import Layout


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


BUILTIN = "verlicht/data/catalogue.yaml"  # how messages name the built-in catalogue


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


def _given(spec: dict[str, Any], key: str, before: str) -> str:
    """A field of an override: its text when the key is there, else what the catalogue had."""
    return _text(spec.get(key)) if key in spec else before


def load_catalogue(path: Path | None = None, shown: str | None = None, base: Catalogue | None = None) -> Catalogue:
    """Read a catalogue file (default: the one shipped with VERLICHT).

    With ``base`` the file is a partial override merged over it key by key: a theme, goal or area
    it names replaces only the fields it gives (``nl:``, ``short:``, ``label:`` …), new keys are
    added after the others, and a key set to ``null`` (``~``) is taken out. The mission merges by
    language. The result is a new catalogue named after the override file.

    >>> workspace = load_catalogue(Path("ontology/catalogue.yaml"), base=load_catalogue())  # doctest: +SKIP
    """
    if path is None:
        path, shown = builtin_catalogue_path(), shown or BUILTIN
    shown = shown or str(path)
    data = load_yaml(path, shown)
    if data is None and base is not None:  # an empty override changes nothing
        data = {}
    if not isinstance(data, dict):
        raise CodebookError("the catalogue must be a mapping", Location(shown, 1, 1),
                            "give it 'themes:', 'goals:' and 'areas:'")
    cat = Catalogue(path=shown)
    if base is not None:
        cat.mission, cat.themes = dict(base.mission), {k: dict(v) for k, v in base.themes.items()}
        cat.goals, cat.areas = dict(base.goals), dict(base.areas)
    for key, value in _mapping(data, "mission", shown).items():
        if value is None and base is not None:
            cat.mission.pop(str(key), None)
        else:
            cat.mission[str(key)] = _text(value)
    for key, spec in _mapping(data, "themes", shown).items():
        if _removed(cat.themes, str(key), spec, data["themes"], shown, "theme", base is not None):
            continue
        before = cat.themes.get(str(key), {})
        spec = spec if isinstance(spec, dict) else {"nl": spec, "en": spec}
        cat.themes[str(key)] = {"nl": _given(spec, "nl", before.get("nl", "")) or str(key),
                                "en": _given(spec, "en", before.get("en", "")) or str(key)}
    goals = _mapping(data, "goals", shown)
    for key, spec in goals.items():
        where = Location(shown, line_of(goals, key))
        try:
            number = int(key)
        except (TypeError, ValueError):
            raise CodebookError(f"goal key {key!r} is not a number", where, "number the goals 1, 2, …") from None
        if _removed(cat.goals, number, spec, goals, shown, "goal", base is not None):
            continue
        if not isinstance(spec, dict):
            raise CodebookError(f"goal {number} must be a mapping", where, "give it 'theme:', 'nl:' and 'en:'")
        before = cat.goals.get(number) or Goal(number, "", "", "", "", "")
        theme = _given(spec, "theme", before.theme)
        if theme not in cat.themes:
            raise CodebookError(f"goal {number} has unknown theme '{theme}'",
                                Location(shown, line_of(spec, "theme") or where.line),
                                f"use one of: {', '.join(sorted(cat.themes)) or '(define themes first)'}")
        short = spec.get("short") if isinstance(spec.get("short"), dict) else {}
        cat.goals[number] = Goal(number, theme, _given(spec, "nl", before.nl), _given(spec, "en", before.en),
                                 _given(short, "nl", before.short_nl), _given(short, "en", before.short_en))
    for number, goal in cat.goals.items():  # a theme taken out must not leave its goals behind
        if goal.theme not in cat.themes:
            raise CodebookError(f"goal {number} has theme '{goal.theme}', which this file takes out",
                                Location(shown, line_of(data.get("themes"), goal.theme)),
                                f"give goal {number} another theme, or take it out too ({number}: ~)")
    areas = _mapping(data, "areas", shown)
    for key, spec in areas.items():
        if _removed(cat.areas, str(key), spec, areas, shown, "area", base is not None):
            continue
        before = cat.areas.get(str(key)) or Area(str(key), "", "")
        spec = spec if isinstance(spec, dict) else {"label": spec}
        cat.areas[str(key)] = Area(str(key), _given(spec, "label", before.label) or str(key),
                                   _given(spec, "kind", before.kind) or "wijk",
                                   bool(spec.get("focus", False)) if "focus" in spec else before.focus)
    return cat


def _removed(entries: dict[Any, Any], key: Any, spec: Any, section: dict[Any, Any], shown: str, what: str,
             merging: bool) -> bool:
    """In an override, take ``key`` out for a ``null`` value; True when it was taken out.

    Taking out what is not there is an error. In a whole catalogue (not merging) ``null`` is no removal.
    """
    if spec is not None or not merging:
        return False
    if key not in entries:
        raise CodebookError(f"{what} {key} is set to null, but there is no such {what} to take out",
                            Location(shown, line_of(section, key)),
                            f"give the {what} its fields, or remove the line")
    del entries[key]
    return True


def workspace_catalogue(override: Path, shown: str) -> Catalogue:
    """The built-in catalogue with the workspace's ``ontology/catalogue.yaml`` merged over it, if there is one."""
    builtin = load_catalogue()
    return load_catalogue(override, shown, base=builtin) if override.exists() else builtin


GOAL_LIST_COLUMNS = ("scope", "id", "short", "text")
AREA_COLUMNS = ("id", "label", "kind", "focus", "cbs_codes", "note")


def goal_list(catalogue: Catalogue, lang: str = "nl") -> list[dict[str, Any]]:
    """The mission, then per theme (in catalogue order) the theme and its goals, in ``lang`` (nl or en).

    Goal rows carry the goal's number, its short label and its full text; text missing in ``lang``
    falls back to the other language.
    """
    other = "en" if lang == "nl" else "nl"
    rows: list[dict[str, Any]] = []
    mission = catalogue.mission.get(lang) or catalogue.mission.get(other)
    if mission:
        rows.append({"scope": "mission", "id": "", "number": None, "theme": None, "short": "", "text": mission})
    for key, labels in catalogue.themes.items():
        label = labels.get(lang) or labels.get(other) or key
        rows.append({"scope": "theme", "id": key, "number": None, "theme": key, "short": label, "text": label})
        for number, goal in sorted(catalogue.goals.items()):
            if goal.theme == key:
                rows.append({"scope": "goal", "id": str(number), "number": number, "theme": key,
                             "short": goal_short(goal, lang), "text": goal_text(goal, lang)})
    return rows


def goal_text(goal: Goal, lang: str) -> str:
    """The goal's full text in ``lang``, else in the other language, else its short label."""
    first, second = (goal.en, goal.nl) if lang == "en" else (goal.nl, goal.en)
    return first or second or goal_short(goal, lang)


def goal_short(goal: Goal, lang: str) -> str:
    """The goal's short label in ``lang``, else in the other language, else ``goal N``."""
    first, second = (goal.short_en, goal.short_nl) if lang == "en" else (goal.short_nl, goal.short_en)
    return first or second or f"{'goal' if lang == 'en' else 'doel'} {goal.number}"


def area_rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    """Every area in catalogue order with its kind, focus flag and the CBS region codes VERLICHT ships for it.

    Codes come from ``verlicht/data/regions.yaml``: ``note`` says when a code is not confirmed for
    recent years, or when the area's code is still to be looked up (``to_check`` there).
    """
    from verlicht.indicators.regions import BUILTIN as REGIONS
    from verlicht.indicators.regions import load_builtin_regions

    path = Path(str(resources.files("verlicht") / "data" / "regions.yaml"))
    table = load_builtin_regions(path, REGIONS)
    data = load_yaml(path, REGIONS)
    to_check = {str(a) for a in (data.get("to_check") or [])} if isinstance(data, dict) else set()
    rows = []
    for area in catalogue.areas.values():
        regions = [r for r in table.codes.values() if r.area == area.id]
        note = ""
        if any(not r.checked for r in regions):
            note = f"code not confirmed for every year ({REGIONS})"
        elif not regions and area.id in to_check:
            note = f"code still to be looked up ({REGIONS}, to_check)"
        rows.append({"id": area.id, "label": area.label, "kind": area.kind, "focus": area.focus,
                     "cbs_codes": [r.code for r in regions], "note": note})
    return rows


def workspace_goal_list(layout: Layout, lang: str = "nl") -> list[dict[str, Any]]:
    """:func:`goal_list` of a workspace's catalogue (the built-in one with its override merged over it)."""
    override = layout.ontology / "catalogue.yaml"
    return goal_list(workspace_catalogue(override, layout.shown(override)), lang)


def workspace_areas(layout: Layout) -> list[dict[str, Any]]:
    """:func:`area_rows` of a workspace's catalogue."""
    override = layout.ontology / "catalogue.yaml"
    return area_rows(workspace_catalogue(override, layout.shown(override)))
