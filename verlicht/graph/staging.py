"""Write a build's outputs all together: staged in the background, moved into place at the end.

Each file takes the steps of :func:`verlicht.fsio.atomic_write_bytes` — a temporary file in the
target's folder, written and fsynced, then ``os.replace`` — but in two phases. :meth:`Staging.write`
starts the slow part (writing and fsync, a millisecond or so per file) on a few threads while the
build goes on; :meth:`Staging.commit` renames every staged file into place in the order it was
staged, and only after every input has been read and checked. Until then no output changes, and
leaving the ``with`` block without committing removes the temporary files, so a failed build leaves
the previous outputs as they were. A file whose current bytes are already the new ones is left alone.
"""

from __future__ import annotations

import contextlib
import os
import re
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from verlicht.fsio import write_temp

THREADS = 4  # fsync waits on the disk, not the CPU: a few at once keep it busy


class Staging:
    def __init__(self, threads: int = THREADS) -> None:
        self._threads = threads
        self._pool: ThreadPoolExecutor | None = None
        self._staged: list[tuple[Path, Future[str | None]]] = []

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.discard()

    def write(self, path: Path, data: bytes) -> None:
        """Start writing ``data`` for ``path``; it replaces ``path`` at :meth:`commit`."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="verlicht-write")
        self._staged.append((path, self._pool.submit(_stage, path, data)))

    def quiesce(self) -> None:
        """Finish the writes under way and stop the writer threads (they start again on the next write),
        so that worker processes can be forked from a process without other threads."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def commit(self, count: int | None = None) -> None:
        """Move the first ``count`` (default: every) staged file into place, in the order staged.

        Raises the first write error, having moved none of them.
        """
        count = len(self._staged) if count is None else count
        staged, self._staged = self._staged[:count], self._staged[count:]
        try:
            temps = [(path, future.result()) for path, future in staged]
        except BaseException:
            _remove(staged)
            raise
        for index, (path, tmp) in enumerate(temps):
            if tmp is None:
                continue
            try:
                os.replace(tmp, path)
            except BaseException:
                _remove(staged[index:])
                raise

    def discard(self) -> None:
        """Remove every staged file that was not committed."""
        staged, self._staged = self._staged, []
        _remove(staged)
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


def _stage(path: Path, data: bytes) -> str | None:
    """The temporary file holding ``data``, fsynced; None when ``path`` holds ``data`` already."""
    with contextlib.suppress(OSError):
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return None
    return write_temp(path, data)


def _remove(staged: list[tuple[Path, Future[str | None]]]) -> None:
    for _path, future in staged:
        try:
            tmp = future.result()
        except BaseException:  # the write failed and cleaned up after itself
            continue
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


# What :func:`verlicht.fsio.write_temp` names a temporary file: ".<name>.<8 characters of mkstemp>.tmp".
_OUR_TEMP = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def sweep_temporary(folders: list[Path]) -> list[Path]:
    """Remove the temporary files a killed build left in ``folders`` (not in their subfolders); those removed.

    Only names of our own pattern go, never a user's file. Call it only while holding the build lock
    (:func:`verlicht.fsio.folder_lock` on the graphs folder): then no other build is writing these files.
    """
    removed = []
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.name.startswith(".") and _OUR_TEMP.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed
