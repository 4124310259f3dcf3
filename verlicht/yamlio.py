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


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)


def load_yaml(path: Path, shown: str, error: type[CodebookError] = CodebookError) -> Any:
    """Read a YAML file; syntax errors become ``error`` with the file's line and column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise error(f"{path.name} is not UTF-8", Location(shown), "save it as UTF-8") from None
    except OSError as exc:
        raise error(f"cannot read {path.name}: {exc.strerror or exc}", Location(shown)) from None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise error(
            f"YAML does not parse: {exc.problem or exc.context}",
            Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown),
            "check indentation, and quote values holding ':', '#', '-' or '+'",
        ) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise error(f"YAML does not parse: {exc.__class__.__name__}", Location(shown)) from None


def line_of(mapping: Any, key: Any) -> int | None:
    """The line a key sits on, when the mapping came from :func:`load_yaml`."""
    if isinstance(mapping, LineDict):
        return mapping.lines.get(key, mapping.line or None)
    return None
