"""The one safe-write helper: every file VERLICHT writes goes through here.

A write lands completely or not at all (temp file in the same folder, fsync,
rename), so an interrupted build or edit never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; edits there are not guarded against a parallel editor
    fcntl = None


def write_temp(path: Path, data: bytes, mode: int | None = None) -> str:
    """A fsynced temporary file beside ``path`` holding ``data`` (creating parent folders); its name.

    The temporary file gets the permissions (and, where allowed, the group) of the file it will replace,
    or those of a new file under the umask: replacing a file must not make a shared workspace private.
    ``mode`` (e.g. 0o600 for what sits next to the pseudonym key) is used instead, from the first byte on.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if mode is None:
            _take_mode(fd, path)
        else:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``folder`` (flock on the folder itself) while editing files in it.

    Two editors that each check "unchanged since I read it" and then rename would otherwise both succeed and the
    second would undo the first; under the lock the check and the rename are one step. No lock file is left.
    """
    key = os.path.realpath(folder)
    if fcntl is None or key in _HELD:  # held already by this process: flock would wait for itself
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _HELD[key] = fd
        yield
    finally:
        _HELD.pop(key, None)
        os.close(fd)  # closing releases the lock


_HELD: dict[str, int] = {}  # folders locked by this process, and the descriptor holding each lock


def _drop_inherited_locks() -> None:
    """In a forked child (a build's parse worker): close the lock descriptors it inherited. A flock belongs to
    the open file, which a child shares: workers orphaned by a killed build would otherwise hold the
    workspace's lock for good. Closing a copy leaves the parent's lock as it is."""
    for fd in _HELD.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_drop_inherited_locks)


def _take_mode(fd: int, path: Path) -> None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        return
    os.fchmod(fd, info.st_mode & 0o7777)
    with contextlib.suppress(OSError):  # only the owner or root may give a file another group
        os.fchown(fd, -1, info.st_gid)


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` atomically, creating parent folders (``mode``: see :func:`write_temp`)."""
    tmp = write_temp(path, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str, mode: int | None = None) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def replace_all(files: dict[Path, bytes]) -> None:
    """Replace every file in ``files`` with its bytes, all or nothing (files that do not exist are created).

    Three steps. Every new content is written and fsynced to a temporary file beside its target;
    every existing target is hard-linked (or, where links are not possible, copied and fsynced) to a
    backup beside it; then the temporary files are renamed over their targets. An error in the first
    two steps removes all temporary files and changes nothing. An error while renaming puts the files
    already renamed back from their backups (and removes files this call created), so every file is
    as it was. Backups are removed at the end.

    The window that remains: if the process dies (power loss, ``kill -9``) between the first and the
    last rename, some files hold the new bytes and some the old; the old bytes of each file renamed
    are still in its hidden backup ``.<name>.<random>.orig`` beside it, from which it can be restored
    by hand. Renames on one file system are atomic each, not together; nothing portable does better.
    """
    temps: list[tuple[Path, str]] = []
    backups: dict[Path, str] = {}
    try:
        for path, data in files.items():
            temps.append((path, write_temp(path, data)))
        for path in files:
            if path.exists():
                backups[path] = _backup(path)
    except BaseException:
        _remove([tmp for _path, tmp in temps] + list(backups.values()))
        raise
    done: list[Path] = []
    try:
        for path, tmp in temps:
            os.replace(tmp, path)
            done.append(path)
    except BaseException:
        for path in reversed(done):
            with contextlib.suppress(OSError):
                if path in backups:
                    os.replace(backups.pop(path), path)
                else:
                    os.unlink(path)
        _remove([tmp for path, tmp in temps if path not in done] + list(backups.values()))
        raise
    _remove(list(backups.values()))
    for folder in {path.parent for path in files}:
        _fsync_folder(folder)


def _backup(path: Path) -> str:
    """A hidden second name (or copy) of ``path``'s current bytes beside it."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".orig", dir=path.parent)
    os.close(fd)
    try:
        os.unlink(name)
        try:
            os.link(path, name)
        except OSError:  # a file system without hard links: copy instead
            with path.open("rb") as source, open(name, "wb") as target:
                target.write(source.read())
                target.flush()
                os.fsync(target.fileno())
    except BaseException:
        _remove([name])
        raise
    return name


def _remove(names: list[str]) -> None:
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


def _fsync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable (where the platform allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
