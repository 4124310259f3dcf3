"""The registry of export formats: one decorator per format, one ``export`` call for all of them.

Like RDFLib's serializer plugins, a format is a function registered under a name::

    from verlicht.interop.registry import exporter

    @exporter("cypher", suffix=".cypher", help="Cypher script that cypher-shell loads")
    def write_cypher(ws, out):            # out: a text stream (binary=True: a byte stream)
        out.write("...")

    @exporter("qdpx", suffix=".qdpx", to_path=True, binary=True, help="REFI-QDA project (zip)")
    def write_qdpx(ws, path):             # to_path=True: a Path to create (a file or a folder)
        ...

A format module is found by adding its name to :data:`MODULES` (one line), or, from another package, through
the ``verlicht.exporters`` entry point group. :func:`export` does the rest the same way for every format:
writing to a stream, returning the text, or writing a file (or folder) whole or not at all.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from verlicht.errors import ExportError

if TYPE_CHECKING:
    from verlicht.api import Workspace

# Modules whose import registers formats; a new format module adds one line here.
MODULES = (
    "verlicht.interop.rdf",
    "verlicht.interop.ontology",
    "verlicht.interop.graphfiles",
    "verlicht.interop.cypher",
    "verlicht.interop.qdpx",
    "verlicht.interop.rockexport",
)
ENTRY_POINT_GROUP = "verlicht.exporters"


@dataclass(frozen=True)
class Exporter:
    """One registered format: its name, file suffix, whether it writes bytes, and the function that writes it."""

    name: str
    suffix: str
    write: Callable[..., None]
    binary: bool = False
    to_path: bool = False  # writes a file or folder itself (a zip, several files) given a Path
    help: str = ""


_REGISTRY: dict[str, Exporter] = {}
_LOADED = False


def exporter(name: str, suffix: str, binary: bool = False, to_path: bool = False,
             help: str = "") -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register the decorated ``write(ws, out)`` as format ``name`` (``out`` a stream, or a Path with ``to_path``)."""
    def register(write: Callable[..., None]) -> Callable[..., None]:
        known = _REGISTRY.get(name)
        if known is not None and known.write is not write:
            raise ValueError(f"export format {name!r} is registered twice ({known.write.__module__}, "
                             f"{write.__module__})")
        _REGISTRY[name] = Exporter(name, suffix, write, binary, to_path, help or (write.__doc__ or "").split("\n")[0])
        return write
    return register


def exporters() -> dict[str, Exporter]:
    """Every registered format by name, in name order (the built-in modules and entry points loaded once)."""
    global _LOADED
    if not _LOADED:
        for module in MODULES:
            importlib.import_module(module)
        for point in entry_points(group=ENTRY_POINT_GROUP):
            point.load()
        _LOADED = True
    return dict(sorted(_REGISTRY.items()))


def get_exporter(name: str) -> Exporter:
    found = exporters().get(name)
    if found is None:
        raise ExportError(f"unknown export format '{name}'", None, f"use one of: {', '.join(exporters())}")
    return found


def guess_format(path: str | Path) -> str | None:
    """The format whose suffix ``path`` ends with (the longest suffix wins), or None."""
    name = str(path).lower()
    hits = sorted((e for e in exporters().values() if e.suffix and name.endswith(e.suffix.lower())),
                  key=lambda e: (-len(e.suffix), e.name != e.suffix.lstrip("."), e.name))
    return hits[0].name if hits else None


def export(ws: Workspace, fmt: str, out: str | Path | IO[Any] | None = None) -> Any:
    """Write the workspace's graph in format ``fmt``.

    * ``out=None``: return the export as ``str`` (``bytes`` for binary formats), as RDFLib's ``serialize``;
    * a stream: write into it and return None;
    * a path: write the file (or folder) atomically and return ``{"format", "path", "bytes"}``.
    """
    spec = get_exporter(fmt)
    if out is None:
        if spec.to_path:
            raise ExportError(f"format '{fmt}' writes files", None,
                              f"give a file to write, e.g. -o export{spec.suffix}")
        buffer: IO[Any] = io.BytesIO() if spec.binary else io.StringIO()
        spec.write(ws, buffer)
        return buffer.getvalue()
    if isinstance(out, (str, os.PathLike)):
        return _write_path(ws, spec, Path(out))
    if spec.to_path:
        raise ExportError(f"format '{fmt}' writes files, not a stream", None, "give a file name instead")
    spec.write(ws, out)
    return None


def _write_path(ws: Workspace, spec: Exporter, path: Path) -> dict[str, Any]:
    if path.is_dir() and not spec.to_path:
        raise ExportError(f"{path} is a folder", None, f"give a file name, e.g. {path / ('verlicht' + spec.suffix)}")
    if spec.to_path:
        _write_whole(ws, spec, path)
    else:
        _write_file(ws, spec, path)
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size
    return {"format": spec.name, "path": str(path), "bytes": size}


def _write_file(ws: Workspace, spec: Exporter, path: Path) -> None:
    """Stream the export into a temporary file beside ``path``, then rename it over ``path`` (whole or not at
    all; an export of hundreds of MB is never held in memory twice)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as raw:
            if spec.binary:
                spec.write(ws, raw)
            else:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                spec.write(ws, text)
                text.flush()
                text.detach()  # the file stays open for the fsync below
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_whole(ws: Workspace, spec: Exporter, path: Path) -> None:
    """Let a path exporter write beside ``path``, then swap the result in: a failure leaves ``path`` as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        made = staging / path.name
        spec.write(ws, made)
        if not made.exists():
            raise ExportError(f"format '{spec.name}' wrote nothing", None, "this is a bug in the exporter")
        old = None
        if path.exists() or path.is_symlink():
            _check_replaceable(spec, path, made)
            old = staging / ".old"
            os.replace(path, old)
        try:
            os.replace(made, path)
        except BaseException:
            if old is not None:
                os.replace(old, path)
            raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(staging)


def _files(folder: Path) -> set[Path]:
    return {f.relative_to(folder) for f in folder.rglob("*") if not f.is_dir()}


def _check_replaceable(spec: Exporter, path: Path, made: Path) -> None:
    """Refuse to replace anything but an earlier export of the same shape: a file by a file, and a folder only
    when every file in it sits where the new export writes one of its kind (its top-level names, its file
    suffixes). ``-o interviews``, ``-o .`` or ``-o ~/notes.txt`` for a folder format must not wipe them."""
    hint = "give a new name, or remove it first if it is an old export"
    if path.is_symlink() or made.is_dir() != path.is_dir():
        what = "a folder" if path.is_dir() else "a file"
        raise ExportError(f"{path} is {what}, and format '{spec.name}' writes "
                          f"{'a folder' if made.is_dir() else 'a file'}", None, hint)
    if not made.is_dir():
        return
    new, old = _files(made), _files(path)
    tops = {p.parts[0] for p in new}
    suffixes = {p.suffix for p in new}
    strange = sorted(str(p) for p in old if p.parts[0] not in tops or p.suffix not in suffixes)
    if strange:
        raise ExportError(f"{path} holds files that are not a '{spec.name}' export (e.g. {strange[0]}); "
                          "not replacing it", None, hint)
