"""The project codebook: concepts (with type, labels, theme) and edge types.

The codebook lives in ``ontology/codebook.yaml``. It is what gives a code used
in an interview its meaning: ``goedkope_woningen`` is a *factor* labelled
"Goedkope, snel beschikbare woningen"; ``causal_neg`` is a *causal* edge with
polarity −. Codes or edge types used in sources but missing here are reported
with every location they occur at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verlicht.errors import CodebookError, Location, VerlichtWarning
from verlicht.yamlio import LineDict, LineList, line_of, load_yaml

CONCEPT_TYPES = ("actor", "factor", "mechanism", "intervention", "outcome", "context")
EDGE_KINDS = ("causal", "relation")
POLARITY_WORDS = {
    "+": "+", "pos": "+", "positive": "+", "positief": "+",
    "-": "-", "−": "-", "neg": "-", "negative": "-", "negatief": "-",
    "?": "?", "unsigned": "?", "none": "?", "onbekend": "?",
}


@dataclass(frozen=True, slots=True)
class Concept:
    code: str
    type: str
    label_nl: str
    label_en: str
    description: str = ""
    theme: str | None = None
    synonyms: tuple[str, ...] = ()
    line: int | None = None

    def label(self, lang: str = "nl") -> str:
        return self.label_en if lang == "en" else self.label_nl


@dataclass(frozen=True, slots=True)
class EdgeType:
    name: str
    kind: str  # "causal" or "relation"
    polarity: str | None  # "+", "-", "?" for causal types; None for relations
    label_nl: str = ""
    label_en: str = ""
    color: str | None = None
    line: int | None = None

    @property
    def causal(self) -> bool:
        return self.kind == "causal"


BUILTIN_EDGE_TYPES: dict[str, EdgeType] = {
    "causal": EdgeType("causal", "causal", "?", "beïnvloedt", "influences", "#555555"),
    "causal_pos": EdgeType("causal_pos", "causal", "+", "versterkt", "increases", "#1a7f37"),
    "causal_neg": EdgeType("causal_neg", "causal", "-", "verzwakt", "decreases", "#c62828"),
    "structural": EdgeType("structural", "relation", None, "hoort bij", "is part of", "#1f4e9c"),
}


@dataclass(slots=True)
class Codebook:
    """Concepts and edge types by code; built-in edge types are always known."""

    path: str | None = None
    concepts: dict[str, Concept] = field(default_factory=dict)
    edge_types: dict[str, EdgeType] = field(default_factory=lambda: dict(BUILTIN_EDGE_TYPES))
    warnings: list[VerlichtWarning] = field(default_factory=list)

    def edge_type(self, name: str) -> EdgeType | None:
        return self.edge_types.get(name)


def missing_codebook(shown: str) -> VerlichtWarning:
    """The warning for a workspace without its codebook file, where every code counts as undefined."""
    return VerlichtWarning(f"{shown} not found", None,
                           "every code counts as undefined; create it, or copy the starter codebook from a new "
                           "workspace ('verlicht init FOLDER' makes one with ontology/codebook.yaml)")


def load_codebook(path: Path, shown: str | None = None, themes: set[str] | None = None) -> Codebook:
    """Read and validate a codebook file; a missing file gives an empty codebook."""
    shown = shown or str(path)
    book = Codebook(path=shown)
    if not path.exists():
        return book
    data = load_yaml(path, shown)
    if data is None:
        return book
    if not isinstance(data, dict):
        raise CodebookError("the codebook must be a mapping", Location(shown, 1, 1),
                            "start with 'concepts:' and 'edge_types:'")
    unknown = sorted(set(map(str, data)) - {"version", "concepts", "edge_types", "themes"})
    for key in unknown:
        book.warnings.append(VerlichtWarning(f"unknown codebook section '{key}' is ignored",
                                             Location(shown, line_of(data, key)),
                                             "sections are: version, concepts, edge_types"))
    concepts = data.get("concepts") or {}
    if isinstance(concepts, list):
        concepts = _keyed(concepts, "concepts", shown)
    if not isinstance(concepts, dict):
        raise CodebookError("'concepts' must map codes to their definitions",
                            Location(shown, line_of(data, "concepts")),
                            "write 'concepts:' then one '  code:' block per concept")
    for code, spec in concepts.items():
        book.concepts[str(code)] = _concept(str(code), spec, concepts, shown, themes, book)
    edge_types = data.get("edge_types") or {}
    if isinstance(edge_types, list):
        edge_types = _keyed(edge_types, "edge_types", shown, key="type")
    if not isinstance(edge_types, dict):
        raise CodebookError("'edge_types' must map type names to their meaning",
                            Location(shown, line_of(data, "edge_types")),
                            "write e.g. 'causal_pos: {kind: causal, polarity: \"+\"}'")
    for name, spec in edge_types.items():
        book.edge_types[str(name)] = _edge_type(str(name), spec, edge_types, shown)
    return book


def _keyed(entries: list[Any], section: str, shown: str, key: str = "code") -> dict[str, Any]:
    """Accept the list form (``- code: x`` / ``- id: x``) as well as the mapping form, keeping line numbers."""
    names = (key, "id", "name") if key != "code" else ("code", "id", "name")
    keyed = LineDict()
    keyed.lines = {}
    item_lines = entries.lines if isinstance(entries, LineList) else []
    for index, entry in enumerate(entries):
        line = entry.line if isinstance(entry, LineDict) else None
        if line is None and index < len(item_lines):  # a plain word in the list: the line of its item
            line = item_lines[index]
        found = next((k for k in names if isinstance(entry, dict) and entry.get(k) is not None), None)
        if found is None:
            problem = (f"is '{entry}', not a mapping with a {key}" if not isinstance(entry, (dict, list))
                       else f"has no {key}")
            raise CodebookError(f"an entry of '{section}' {problem}", Location(shown, line),
                                f"give every entry '{key}: …', or write {section} as a mapping by {key}")
        spec = LineDict({k: v for k, v in entry.items() if k != found})
        spec.line = line or 0
        spec.lines = dict(entry.lines) if isinstance(entry, LineDict) else {}
        keyed[str(entry[found])] = spec
        keyed.lines[str(entry[found])] = spec.line
    return keyed


def _text(value: Any) -> str:
    """A scalar as text; lists and mappings are not text."""
    if value is None or isinstance(value, (list, dict)):
        return ""
    return str(value).strip()


def _labels(spec: dict[str, Any], what: str, shown: str) -> dict[str, str]:
    """``label: {nl: …, en: …}`` (or a plain string, taken as Dutch) as language → text."""
    labels = spec.get("label") or {}
    if not isinstance(labels, dict):
        if isinstance(labels, list):
            raise CodebookError(f"label of {what} must be a mapping of languages",
                                Location(shown, line_of(spec, "label")), "write 'label: {nl: …, en: …}'")
        labels = {"nl": labels}
    for lang, text in labels.items():
        if text is None and " " in str(lang).strip():
            # {nl: Goedkope, snel beschikbare woningen} is YAML for two keys: the comma split the label.
            raise CodebookError(f"label of {what} has a part '{lang}' without a language",
                                Location(shown, line_of(spec, "label")),
                                'a comma inside {…} splits the text: quote it, e.g. {nl: "Goedkope, snelle woningen"}')
        if isinstance(text, (list, dict)):
            raise CodebookError(f"label '{lang}' of {what} must be text", Location(shown, line_of(spec, "label")),
                                "write 'label: {nl: …, en: …}'")
    return {str(k): _text(v) for k, v in labels.items()}


IDENTIFIER_HINT = "codes start with an ASCII letter (a–z, A–Z: no é or ë) and hold only those letters, digits and _"


def _check_identifier(code: str, where: Location) -> None:
    if not code or not (code[0].isascii() and code[0].isalpha()) or not all(
        c.isascii() and (c.isalnum() or c == "_") for c in code
    ):
        raise CodebookError(f"'{code}' cannot be used as a ROCK code", where, IDENTIFIER_HINT)


def _concept(code: str, spec: Any, parent: Any, shown: str, themes: set[str] | None,
             book: Codebook) -> Concept:
    where = Location(shown, line_of(parent, code))
    _check_identifier(code, where)
    if not isinstance(spec, dict):
        raise CodebookError(f"concept '{code}' must be a mapping", where,
                            f"give it at least 'type:' (one of {', '.join(CONCEPT_TYPES)})")
    kind = spec.get("type")
    if kind not in CONCEPT_TYPES:
        raise CodebookError(
            f"concept '{code}' has type {kind!r}",
            Location(shown, line_of(spec, "type") or where.line),
            f"use one of: {', '.join(CONCEPT_TYPES)}",
        )
    labels = _labels(spec, f"concept '{code}'", shown)
    label_nl, label_en = labels.get("nl", ""), labels.get("en", "")
    if not label_nl or not label_en:
        book.warnings.append(VerlichtWarning(f"concept '{code}' lacks a label in {'nl' if not label_nl else 'en'}",
                                             where, "add 'label: {nl: …, en: …}'"))
    theme = spec.get("theme")
    if theme is not None and themes is not None and str(theme) not in themes:
        book.warnings.append(VerlichtWarning(
            f"concept '{code}' has unknown theme '{theme}'",
            Location(shown, line_of(spec, "theme") or where.line),
            f"known themes: {', '.join(sorted(themes))}",
        ))
    synonyms = spec.get("synonyms") or []
    if not isinstance(synonyms, list):
        synonyms = [synonyms]
    if not all(isinstance(x, (str, int, float)) for x in synonyms):
        raise CodebookError(f"synonyms of concept '{code}' must be a list of words",
                            Location(shown, line_of(spec, "synonyms") or where.line),
                            "write 'synonyms: [goedkope huur, goedkope huizen]'")
    return Concept(
        code=code,
        type=kind,
        label_nl=label_nl or label_en or code,
        label_en=label_en or label_nl or code,
        description=_text(spec.get("description")),
        theme=str(theme) if theme is not None else None,
        synonyms=tuple(str(s) for s in synonyms),
        line=where.line,
    )


def _edge_type(name: str, spec: Any, parent: Any, shown: str) -> EdgeType:
    where = Location(shown, line_of(parent, name))
    _check_identifier(name, where)
    base = BUILTIN_EDGE_TYPES.get(name)
    if spec is None and base:
        return base
    if not isinstance(spec, dict):
        raise CodebookError(f"edge type '{name}' must be a mapping", where,
                            "write e.g. '{kind: causal, polarity: \"+\"}' or '{kind: relation}'")
    kind = spec.get("kind", base.kind if base else None)
    if kind not in EDGE_KINDS:
        raise CodebookError(f"edge type '{name}' has kind {kind!r}",
                            Location(shown, line_of(spec, "kind") or where.line),
                            "use 'causal' (a claim that one thing changes another) or 'relation'")
    polarity = None
    if kind == "causal":
        raw = spec.get("polarity", base.polarity if base else "?")
        polarity = POLARITY_WORDS.get(str(raw).strip().lower()) if raw is not None else "?"
        if polarity is None:
            raise CodebookError(f"edge type '{name}' has polarity {raw!r}",
                                Location(shown, line_of(spec, "polarity") or where.line),
                                'use "+", "-" or "?" (quoted)')
    labels = _labels(spec, f"edge type '{name}'", shown)
    return EdgeType(
        name=name,
        kind=kind,
        polarity=polarity,
        label_nl=labels.get("nl") or (base.label_nl if base else name),
        label_en=labels.get("en") or (base.label_en if base else name),
        color=_text(spec.get("color")) or (base.color if base else None),
        line=where.line,
    )
