"""Load YAML files keeping the line of every mapping key, for located errors."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import yaml

from verlicht.errors import CodebookError, Location


class LineDict(dict):
    """A dict that remembers the 1-based line of each of its keys (``lines``) and its own (``line``)."""

    line: int = 0
    lines: dict[Any, int]


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.lines = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            with contextlib.suppress(TypeError):  # unhashable key: the base constructor rejects it
                mapping.lines[key] = key_node.start_mark.line + 1
        return mapping


class LineList(list):
    """A list that remembers its own 1-based line (``line``) and each item's (``lines``, by index)."""

    line: int = 0
    lines: list[int]


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    items = LineList(loader.construct_sequence(node, deep=True))
    items.line = node.start_mark.line + 1
    items.lines = [item.start_mark.line + 1 for item in node.value]
    return items


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: Path, shown: str, error: type[CodebookError] = CodebookError) -> Any:
    """Read a YAML file; syntax errors and a key written twice in one mapping become ``error`` with their
    line and column (YAML itself would quietly keep the later value)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise error(f"{path.name} is not UTF-8", Location(shown), "save it as UTF-8") from None
    except OSError as exc:
        raise error(f"cannot read {path.name}: {exc.strerror or exc}", Location(shown)) from None
    try:
        loader = _LineLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            duplicate = _first_duplicate(node)
            if duplicate:
                message, line, col = duplicate
                raise error(message, Location(shown, line, col),
                            "keep one of the two (YAML would quietly use the later one) and delete the other")
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise error(
            f"YAML does not parse: {exc.problem or exc.context}",
            Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown),
            "check indentation, and quote values holding ':', '#', '-' or '+'",
        ) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise error(f"YAML does not parse: {exc.__class__.__name__}", Location(shown)) from None


# What a key under these sections is called in a message (``concept 'inponden' is defined twice``).
_KEY_NAMES = {"concepts": "concept", "edge_types": "edge type", "goals": "goal", "themes": "theme", "areas": "area"}


def _first_duplicate(root: yaml.Node) -> tuple[str, int, int] | None:
    """The first mapping key written twice in the document, as ``(message, line, column)`` of the second."""
    stack: list[tuple[yaml.Node, str | None]] = [(root, None)]
    seen_nodes: set[int] = set()
    found: list[tuple[int, int, str]] = []
    while stack:
        node, parent = stack.pop()
        if id(node) in seen_nodes:  # an alias: the same node again
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[tuple[str, str], int] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    key = (key_node.tag, key_node.value)
                    line = key_node.start_mark.line + 1
                    if key in first:
                        what = _KEY_NAMES.get(parent or "", "key")
                        where = f" under '{parent}'" if what == "key" and parent else ""
                        message = f"{what} '{key_node.value}'{where} is defined twice (first on line {first[key]})"
                        found.append((line, key_node.start_mark.column + 1, message))
                    else:
                        first[key] = line
                name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                stack.append((value_node, name))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, None) for item in node.value)  # an item's keys are not the section's entries
    if not found:
        return None
    line, col, message = min(found)
    return message, line, col


def line_of(mapping: Any, key: Any) -> int | None:
    """The line a key sits on, when the mapping came from :func:`load_yaml`."""
    if isinstance(mapping, LineDict):
        return mapping.lines.get(key, mapping.line or None)
    return None
