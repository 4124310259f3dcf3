"""Plain data classes for a parsed ROCK source.

They mirror what the R package ``rock`` extracts from a source (utterances,
codes, code values, network codes, uids, class instance ids, YAML fragments,
section breaks) and keep every position, so any claim can be traced back to
the exact line and column it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from verlicht.errors import VerlichtWarning


@dataclass(frozen=True, slots=True)
class Code:
    """A plain code such as ``[[wonen>instroom]]``; ``path`` holds the hierarchy."""

    path: tuple[str, ...]
    col: int
    namespace: str | None = None  # "ci" for rock's cognitive-interview codes ``[[ci--x]]``

    @property
    def leaf(self) -> str:
        return self.path[-1]

    @property
    def id(self) -> str:
        return ">".join(self.path)


@dataclass(frozen=True, slots=True)
class CodeValue:
    """A code with a value, ``[[intensity||2]]``."""

    code: str
    value: str
    col: int


@dataclass(frozen=True, slots=True)
class NetworkCode:
    """A QNA network code ``[[from->to||type||weight]]`` (weight optional)."""

    source: str
    target: str
    type: str
    weight: float | None
    col: int

    @property
    def source_leaf(self) -> str:
        return self.source.rsplit(">", 1)[-1]

    @property
    def target_leaf(self) -> str:
        return self.target.rsplit(">", 1)[-1]


@dataclass(slots=True)
class Utterance:
    """One line of a source that carries text or codes."""

    line: int
    text: str
    uid: str | None = None
    nesting: int = 0
    codes: list[Code] = field(default_factory=list)
    values: list[CodeValue] = field(default_factory=list)
    network: list[NetworkCode] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)
    section: int = 0
    anchors: list[str] = field(default_factory=list)

    @property
    def case_id(self) -> str | None:
        return self.ids.get("cid") or self.ids.get("caseId")

    @property
    def coder_id(self) -> str | None:
        return self.ids.get("coderId")


@dataclass(frozen=True, slots=True)
class YamlFragment:
    """A YAML fragment between two ``---`` lines, with the line it opens on."""

    line: int
    data: Any


@dataclass(frozen=True, slots=True)
class SectionBreak:
    line: int
    name: str


@dataclass(slots=True)
class Source:
    """Everything read from one ROCK source."""

    path: str
    utterances: list[Utterance] = field(default_factory=list)
    fragments: list[YamlFragment] = field(default_factory=list)
    sections: list[SectionBreak] = field(default_factory=list)
    comments: int = 0
    lines: int = 0
    warnings: list[VerlichtWarning] = field(default_factory=list)

    def containers(self, *names: str) -> list[tuple[int, Any]]:
        """The values of the named top-level YAML containers, with their fragment's line."""
        found = []
        for fragment in self.fragments:
            if isinstance(fragment.data, dict):
                for name in names:
                    if name in fragment.data:
                        found.append((fragment.line, fragment.data[name]))
        return found

    @property
    def attributes(self) -> dict[str, dict[str, Any]]:
        """Case attributes from ``ROCK_attributes``, keyed by case id (as text)."""
        return case_attributes(self)

    @property
    def edge_types(self) -> dict[str, dict[str, Any]]:
        """Edge types declared under ``ROCK_network``/``ROCK_aesthetics`` ``edges``."""
        declared: dict[str, dict[str, Any]] = {}
        for _line, container in self.containers("ROCK_network", "ROCK_aesthetics"):
            edges = container.get("edges") if isinstance(container, dict) else None
            for entry in edges if isinstance(edges, list) else []:  # the reader warns about other shapes
                if isinstance(entry, dict) and entry.get("type") is not None:
                    declared.setdefault(str(entry["type"]), {}).update(
                        {str(k): _plain(v) for k, v in entry.items() if k != "type"}
                    )
        return declared

    @property
    def declared_codes(self) -> set[str]:
        """Code ids declared in ``ROCK_codes``/``codes``/``dct`` containers.

        Like rock's ``get_deductive_code_values``, every ``id`` at any depth counts
        (children, and ``ROCK_codes: {codes: [...]}``); a container without any
        ``id`` is read as a plain list of codes or a mapping keyed by code.
        """
        codes: set[str] = set()
        for _line, container in self.containers("ROCK_codes", "codes", "dct"):
            ids = _ids_below(container)
            if ids:
                codes.update(ids)
                continue
            entries = container if isinstance(container, list) else [container]
            for entry in entries:
                if isinstance(entry, dict):
                    if "id" in entry:
                        codes.add(str(entry["id"]))
                    else:
                        codes.update(str(k) for k in entry)
                elif isinstance(entry, str):
                    codes.add(entry)
        return codes


CASE_KEYS = ("caseId", "cid")


def _ids_below(node: Any) -> set[str]:
    """The values of every ``id`` key in nested YAML lists and mappings."""
    found: set[str] = set()
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("id") is not None and not isinstance(node["id"], (dict, list)):
                found.add(str(_plain(node["id"])))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _plain(value: Any) -> Any:
    """YAML scalars as JSON-friendly values (dates become ISO text)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def case_attributes(source: Source) -> dict[str, dict[str, Any]]:
    """Read ``ROCK_attributes`` in either of rock's shapes: a list of records or a mapping by case id."""
    result: dict[str, dict[str, Any]] = {}
    for _line, container in source.containers("ROCK_attributes"):
        if isinstance(container, dict):
            records = [{"caseId": k, **(v if isinstance(v, dict) else {"value": v})} for k, v in container.items()]
        elif isinstance(container, list):
            records = [r for r in container if isinstance(r, dict)]
        else:
            continue
        for record in records:
            key = next((record[k] for k in CASE_KEYS if k in record), None)
            if key is None:
                continue
            attrs = {str(k): _plain(v) for k, v in record.items() if k not in CASE_KEYS}
            result.setdefault(str(_plain(key)), {}).update(attrs)
    return result
