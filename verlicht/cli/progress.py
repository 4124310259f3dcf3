"""The one place progress is shown: a rich bar (or spinner) on stderr when stderr is a terminal, nothing otherwise.

Every long command (build, anonymise, export, neo4j push, report, …) goes through :func:`progress_bar` or
:func:`working`, so all of them look alike, stay quiet when piped or under ``--quiet``, and never write
progress into the output a script reads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # rich is imported when a bar is shown: a command that shows none starts without it
    from rich.progress import Progress


class Bar:
    """A shown progress bar: call it with how far the work is (``completed``/``advance``, ``total``,
    ``description``); the library's progress callbacks are adapted to it in one lambda."""

    def __init__(self, progress: Progress, task: Any):
        self._progress = progress
        self._task = task

    def __call__(self, completed: int | None = None, total: int | None = None, description: str | None = None,
                 advance: int | None = None) -> None:
        fields: dict[str, Any] = {}
        if completed is not None:
            fields["completed"] = completed
        if total is not None:
            fields["total"] = total
        if description is not None:
            fields["description"] = description
        if advance is not None:
            fields["advance"] = advance
        self._progress.update(self._task, **fields)


def shown(quiet: bool = False) -> bool:
    """Whether progress would be shown: not asked to be quiet, and stderr is a terminal."""
    from rich.console import Console

    return not quiet and Console(stderr=True).is_terminal


@contextlib.contextmanager
def progress_bar(label: str, quiet: bool = False, total: int | None = None,
                 description: str = "") -> Iterator[Bar | None]:
    """A bar named ``label`` on stderr while the block runs; ``None`` when quiet or stderr is no terminal
    (so ``progress=None`` goes to the library and it does no progress work at all). The bar goes when done."""
    from rich.console import Console

    err = Console(stderr=True)
    if quiet or not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(f"[bold]{label}[/]"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True) as bar:
        yield Bar(bar, bar.add_task(description, total=total))


@contextlib.contextmanager
def working(what: str, quiet: bool = False) -> Iterator[None]:
    """A spinner on stderr while ``what`` runs (work whose length is not known), when stderr is a terminal."""
    from rich.console import Console

    err = Console(stderr=True)
    if quiet or not err.is_terminal:
        yield
        return
    with err.status(what):
        yield
