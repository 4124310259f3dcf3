"""The exporters, registered by name: one ``export`` command and ``Workspace.export()`` serve them all.

An exporter is a function ``(workspace, out_path) -> Path`` that writes one file (or, for ROCK, one
folder) atomically and returns where. Formats are plugins behind one name, as in RDFLib's
``serialize(format=…)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Exporter = Callable[[Any, Path], Path]


@dataclass(frozen=True, slots=True)
class ExporterInfo:
    name: str
    suffix: str
    binary: bool
    help: str
    func: Exporter


EXPORTERS: dict[str, ExporterInfo] = {}


def exporter(name: str, suffix: str, binary: bool = False, help: str = "") -> Callable[[Exporter], Exporter]:
    """Register ``func`` as the exporter of format ``name`` writing files ending in ``suffix``."""

    def register(func: Exporter) -> Exporter:
        EXPORTERS[name] = ExporterInfo(name, suffix, binary, help, func)
        return func

    return register


# The modules whose exporters this branch registers; imported on first use so that `verlicht --help` stays fast.
BUILTIN_MODULES = ("verlicht.interop.cypher", "verlicht.interop.qdpx", "verlicht.interop.rockexport")


def load_exporters() -> dict[str, ExporterInfo]:
    """Every registered exporter, after importing the modules that register the built-in ones."""
    import importlib

    for module in BUILTIN_MODULES:
        importlib.import_module(module)
    return EXPORTERS
