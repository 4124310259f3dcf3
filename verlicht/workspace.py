"""A VERLICHT workspace: a folder of plain files under git, with ``verlicht.toml`` at its root.

The workspace is the researchers' data; VERLICHT reads it and writes only
build outputs under ``graphs/`` (and, through explicit editing commands, the
files a user asked it to change).
"""

from __future__ import annotations

import re
import shutil
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from verlicht.errors import Location, WorkspaceError

CONFIG_FILE = "verlicht.toml"
DEFAULT_PATHS = {
    "interviews": "interviews",
    "ontology": "ontology",
    "indicators": "indicators",
    "reviews": "reviews",
    "logic": "logic",
    "graphs": "graphs",
}
GRAPH_FILE = "verlicht.json"


@dataclass(frozen=True, slots=True)
class Config:
    name: str
    language: str = "nl"
    base_iri: str = "https://w3id.org/verlicht/"
    strict: bool = False
    source_extensions: tuple[str, ...] = (".rock",)
    paths: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_PATHS))
    anonymise: AnonymiseConfig = field(default_factory=lambda: AnonymiseConfig())


@dataclass(frozen=True, slots=True)
class AnonymiseConfig:
    """The ``[anonymise]`` table: the privacy guard and where the pseudonym key lives."""

    require_marker: bool = True  # build refuses sources not written by 'verlicht anonymise'
    key: str | None = None  # path of the key file; default ~/.config/verlicht/keys/<workspace>.verlicht-key
    keep_list: str = "ontology/keep.txt"
    spacy_model: str = "auto"


def find_root(start: Path | str | None = None) -> Path:
    """The nearest folder at or above ``start`` holding ``verlicht.toml``."""
    here = Path(start or Path.cwd()).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise WorkspaceError(
        f"no {CONFIG_FILE} in {here} or any folder above it",
        None,
        "run 'verlicht init DIR' to create a workspace, or pass --workspace DIR",
    )


def load_config(root: Path) -> Config:
    path = root / CONFIG_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's tomllib gives the position only inside the message: "… (at line 2, column 8)".
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        message = str(exc).split(" (at ")[0]
        raise WorkspaceError(f"{CONFIG_FILE} does not parse: {message}", Location(CONFIG_FILE, line, col),
                             "see the README for the settings it takes") from None
    except OSError as exc:
        raise WorkspaceError(f"cannot read {CONFIG_FILE}: {exc.strerror or exc}", Location(CONFIG_FILE)) from None
    section = data.get("workspace", {})
    path_section = data.get("paths") or {}
    for name, value in (("workspace", section), ("paths", path_section)):
        if not isinstance(value, dict):
            raise WorkspaceError(f"[{name}] must be a table", Location(CONFIG_FILE),
                                 f"write a '[{name}]' header with settings under it")
    paths = dict(DEFAULT_PATHS)
    for key, value in path_section.items():
        if key not in DEFAULT_PATHS or not isinstance(value, str):
            raise WorkspaceError(f"unknown path setting '{key}'", Location(CONFIG_FILE),
                                 f"[paths] takes: {', '.join(DEFAULT_PATHS)}")
        paths[key] = value
    extensions = section.get("source_extensions", [".rock"])
    if not isinstance(extensions, list) or not all(isinstance(e, str) for e in extensions):
        raise WorkspaceError("source_extensions must be a list of strings", Location(CONFIG_FILE),
                             'write e.g. source_extensions = [".rock"]')
    strict = section.get("strict", False)
    if not isinstance(strict, bool):
        raise WorkspaceError("strict must be true or false", Location(CONFIG_FILE))
    return Config(
        anonymise=_anonymise_config(data.get("anonymise") or {}),
        name=str(section.get("name", root.name)),
        language=str(section.get("language", "nl")),
        base_iri=str(section.get("base_iri", "https://w3id.org/verlicht/")),
        strict=strict,
        source_extensions=tuple(e if e.startswith(".") else f".{e}" for e in extensions),
        paths=paths,
    )


def _anonymise_config(table: object) -> AnonymiseConfig:
    hint = "[anonymise] takes require_marker (true/false), key, keep_list and spacy_model"
    if not isinstance(table, dict):
        raise WorkspaceError("[anonymise] must be a table", Location(CONFIG_FILE), hint)
    known = {"require_marker": bool, "key": str, "keep_list": str, "spacy_model": str}
    for name, value in table.items():
        if name not in known:
            raise WorkspaceError(f"unknown setting '{name}' in [anonymise]", Location(CONFIG_FILE), hint)
        if not isinstance(value, known[name]):
            raise WorkspaceError(f"[anonymise] {name} must be a {known[name].__name__}", Location(CONFIG_FILE), hint)
    return AnonymiseConfig(**table)


@dataclass(frozen=True, slots=True)
class Layout:
    """Resolved folders of a workspace."""

    root: Path
    config: Config

    def folder(self, key: str) -> Path:
        return self.root / self.config.paths[key]

    @property
    def interviews(self) -> Path:
        return self.folder("interviews")

    @property
    def ontology(self) -> Path:
        return self.folder("ontology")

    @property
    def indicators(self) -> Path:
        return self.folder("indicators")

    @property
    def graphs(self) -> Path:
        return self.folder("graphs")

    @property
    def graph_file(self) -> Path:
        return self.graphs / GRAPH_FILE

    def shown(self, path: Path) -> str:
        """A path as shown in messages: relative to the workspace root, with '/'."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def source_files(self) -> list[Path]:
        folder = self.interviews
        if not folder.is_dir():
            return []
        found = [
            p for p in folder.rglob("*")
            if p.is_file() and p.suffix in self.config.source_extensions and not p.name.startswith(".")
        ]
        return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def open_layout(path: Path | str | None = None) -> Layout:
    root = find_root(path)
    return Layout(root, load_config(root))


def template_dir() -> Path:
    return Path(str(resources.files("verlicht") / "templates" / "workspace"))


def init_workspace(target: Path, name: str | None = None) -> Path:
    """Create an empty workspace in ``target`` (which may exist but must not hold one)."""
    target = Path(target)
    if (target / CONFIG_FILE).exists():
        raise WorkspaceError(f"{target / CONFIG_FILE} already exists", None,
                             "this folder is a workspace already; choose another folder")
    if target.exists() and not target.is_dir():
        raise WorkspaceError(f"{target} exists and is not a folder", None, "choose another path")
    target.mkdir(parents=True, exist_ok=True)
    source = template_dir()
    for item in sorted(source.rglob("*")):
        relative = item.relative_to(source)
        destination = target / relative
        if item.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        elif not destination.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item, destination)
    graphs = target / "graphs"
    graphs.mkdir(exist_ok=True)
    ignore = graphs / ".gitignore"
    if not ignore.exists():
        # Build outputs can always be rebuilt from the sources; keep them out of git.
        ignore.write_text("*\n!.gitignore\n", encoding="utf-8")
    config = target / CONFIG_FILE
    text = config.read_text(encoding="utf-8").replace("{name}", name or target.resolve().name)
    config.write_text(text, encoding="utf-8")
    return target
