"""The catalogue, codebook and logic models a build reads, kept in ``graphs/.cache`` by the bytes they came from.

Reading them goes through PyYAML's pure-Python loader (for the line numbers of errors), which takes
as long as the rest of a rebuild's reading. They depend on their files' bytes alone, so a build
keeps them as JSON under a key made of those bytes, and the next build with the same files reads
that instead. The JSON is written only when it reads back equal to what the loaders gave, so the
cache either gives exactly those objects or is not used. Loaders that fail are never cached: a
broken file is read, and reported, every time.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

import orjson

from verlicht import __version__
from verlicht.codebook import Codebook, Concept, EdgeType
from verlicht.errors import Location, VerlichtWarning
from verlicht.logic import Arrow, LogicModel, Mechanism, Step, logic_files
from verlicht.programme import Area, Catalogue, Goal, builtin_catalogue_path
from verlicht.workspace import Layout

CACHE_FILE = ".cache/inputs.json"
VERSION = 4  # 2: logic models (logic/*.yaml) are inputs too; 3: the override merges over the built-in catalogue;
# 4: a key written twice in a YAML file is an error (a cache from before holds such files read)
_CLASSES = {cls.__name__: cls for cls in (Area, Catalogue, Codebook, Concept, EdgeType, Goal, Location,
                                           VerlichtWarning, Arrow, LogicModel, Mechanism, Step)}
Inputs = tuple[Catalogue, Codebook, tuple[LogicModel, ...]]


def input_files(layout: Layout) -> list[tuple[Path, str]]:
    """The files :func:`verlicht.graph.build.load_inputs` and ``load_logic`` read, as (path, shown)."""
    override = layout.ontology / "catalogue.yaml"
    # The built-in catalogue always counts: an override is merged over it, key by key.
    catalogues = [(builtin_catalogue_path(), "verlicht/data/catalogue.yaml")]
    if override.exists():
        catalogues.append((override, layout.shown(override)))
    book = layout.ontology / "codebook.yaml"
    logic = [(path, layout.shown(path)) for path in logic_files(layout.folder("logic"))]
    return [*catalogues, (book, layout.shown(book)), *logic]


def inputs_key(files: list[tuple[Path, str]]) -> str:
    digest = hashlib.sha256(f"{VERSION} {__version__}".encode())
    for path, shown in files:
        digest.update(b"\0" + shown.encode() + b"\0")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except FileNotFoundError:
            digest.update(b"absent")
    return digest.hexdigest()


def read_cached(graphs: Path, key: str) -> Inputs | None:
    try:
        data = orjson.loads((graphs / CACHE_FILE).read_bytes())
        if data.get("key") != key:
            return None
        catalogue, codebook, logic = _decode(data["inputs"])
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None
    if not isinstance(catalogue, Catalogue) or not isinstance(codebook, Codebook) or not isinstance(logic, tuple) \
            or not all(isinstance(model, LogicModel) for model in logic):
        return None
    return catalogue, codebook, logic


def to_cache(key: str, catalogue: Catalogue, codebook: Codebook, logic: tuple[LogicModel, ...] = ()) -> bytes | None:
    """The cache file's bytes, or None when the objects do not read back equal."""
    try:
        encoded = [_encode(catalogue), _encode(codebook), _encode(tuple(logic))]
        data = orjson.dumps({"key": key, "inputs": encoded})
        if _decode(orjson.loads(data)["inputs"]) != [catalogue, codebook, tuple(logic)]:
            return None
    except (TypeError, ValueError, orjson.JSONEncodeError):
        return None
    return data


def _encode(value: Any) -> Any:
    kind = type(value)
    if value is None or kind in (str, int, bool):
        return value
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("JSON has no such number")
        return value
    if kind is list:
        return [_encode(v) for v in value]
    if kind is tuple:
        return {"t": [_encode(v) for v in value]}
    if isinstance(value, dict):  # keys keep their type (goals are numbered)
        return {"d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and _CLASSES.get(kind.__name__) is kind:
        return {"c": kind.__name__, "f": {f.name: _encode(getattr(value, f.name))
                                           for f in dataclasses.fields(value) if f.init}}
    raise TypeError(f"cannot cache {kind.__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if "t" in value:
            return tuple(_decode(v) for v in value["t"])
        if "d" in value:
            return {_decode(k): _decode(v) for k, v in value["d"]}
        return _CLASSES[value["c"]](**{name: _decode(v) for name, v in value["f"].items()})
    return value
