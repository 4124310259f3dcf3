"""Plain data classes for a parsed ROCK source.

They mirror what the R package ``rock`` extracts from a source (utterances,
codes, code values, network codes, uids, class instance ids, YAML fragments,
section breaks) and keep every position, so any claim can be traced back to
the exact line and column it came from. What is made by the hundred thousand
(codes, network codes, the compact rows of :func:`verlicht.rock.scan_text`)
and what one ``[[…]]`` holds (the kinds :func:`verlicht.rock.reader.classify`
returns) are named tuples: cheap to make, and read by name in every module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from verlicht.errors import VerlichtWarning


class Code(NamedTuple):
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


class CodeValue(NamedTuple):
    """A code with a value, ``[[intensity||2]]``."""

    code: str
    value: str
    col: int


class NetworkCode(NamedTuple):
    """A QNA network code ``[[from->to||type||weight]]`` (weight optional; whole numbers are ints)."""

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


class Row(NamedTuple):
    """An utterance as :func:`verlicht.rock.scan_text` gives it: the fields of :class:`Utterance`, in its order.

    The build reads 300,000 utterances this way (a tuple costs less to make than a dataclass object);
    ``codes``, ``values`` and ``network`` hold the same :class:`Code`, :class:`CodeValue` and
    :class:`NetworkCode` as an :class:`Utterance`, possibly as empty tuples, and ``ids`` is shared by
    consecutive rows until an id changes.
    """

    line: int
    text: str
    uid: str | None
    nesting: int
    codes: list[Code] | tuple[()]
    values: list[CodeValue] | tuple[()]
    network: list[NetworkCode] | tuple[()]
    ids: dict[str, str]
    section: int
    anchors: list[str] | tuple[()]


# What the inside of one ``[[…]]`` is, independent of where it stands (:func:`verlicht.rock.reader.classify`).
# Each kind starts with its ``tag``, so ``kind.tag`` (or ``kind[0]``) tells them apart.


class NetworkKind(NamedTuple):
    """``[[source->target||type||weight]]``: a network code without its column."""

    tag: Literal["network"]
    source: str
    target: str
    type: str
    weight: float | None


class CodeKind(NamedTuple):
    """``[[wonen>instroom]]`` or ``[[ci--x]]``; ``warning``/``hint`` say what is odd about it (an empty level)."""

    tag: Literal["code"]
    path: tuple[str, ...]
    namespace: str | None
    warning: str | None
    hint: str | None


class ValueKind(NamedTuple):
    """``[[code||value]]``."""

    tag: Literal["value"]
    code: str
    value: str


class UidKind(NamedTuple):
    """``[[uid=…]]``."""

    tag: Literal["uid"]
    uid: str


class IdKind(NamedTuple):
    """A class instance id such as ``[[cid=R07]]``, which holds until changed."""

    tag: Literal["id"]
    name: str
    value: str


class Problem(NamedTuple):
    """Not a code: ``tag`` ``"warning"`` (rock ignores it, and so do we) or ``"error"`` (a located error)."""

    tag: Literal["warning", "error"]
    message: str
    hint: str


Kind = NetworkKind | CodeKind | ValueKind | UidKind | IdKind | Problem


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
