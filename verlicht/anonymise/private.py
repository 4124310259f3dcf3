"""Owner-only files and folders next to the pseudonym key.

The key links pseudonyms to people, and the audit reports hold the original names, addresses and e-mail
addresses in plain text. Everything VERLICHT writes there is readable by its owner only: files 0600, folders
0700, from the first byte on (the temporary file of an atomic write has the mode before anything is in it),
and files or folders of ours that already exist with looser modes are tightened when they are written again.

Folders are tightened only when they are VERLICHT's own: the default key folder
(``~/.config/verlicht/keys``), any folder VERLICHT creates, and the ``audit`` folder beside the key. A folder
the user chose that already exists (``--key ~/team.verlicht-key`` lives in the home folder, ``--audit-dir``
may be a shared drive) keeps its mode: changing it could lock others out of what is not ours; the files in it
are still 0600, and :func:`loose_folder` lets the command say that the folder is open.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from verlicht.fsio import atomic_write_bytes

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(folder: Path, ours: bool = True) -> Path:
    """Create ``folder`` (and missing parents) owner-only; tighten it when it exists and is ``ours``."""
    missing = []
    at = folder
    while not at.exists():
        missing.append(at)
        if at.parent == at:
            break
        at = at.parent
    for created in reversed(missing):
        with contextlib.suppress(FileExistsError):
            created.mkdir(mode=FOLDER_MODE)
        os.chmod(created, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    if ours and not missing:
        tighten(folder)
    return folder


def write_private(path: Path, data: bytes, folder_is_ours: bool = True) -> None:
    """Write ``path`` atomically as an owner-only file, in an owner-only folder (see :func:`private_folder`)."""
    private_folder(path.parent, ours=folder_is_ours)
    atomic_write_bytes(path, data, mode=FILE_MODE)


def tighten(path: Path) -> bool:
    """Make an existing file 0600 or folder 0700 when group or others may use it; whether it changed."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return False
    wanted = FOLDER_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE
    if stat.S_IMODE(info.st_mode) & 0o077 == 0:
        return False
    os.chmod(path, (stat.S_IMODE(info.st_mode) & 0o700) | (wanted & 0o700))
    return True


def loose_folder(folder: Path) -> bool:
    """Whether group or others may list or enter ``folder``."""
    try:
        return bool(stat.S_IMODE(folder.stat().st_mode) & 0o077)
    except FileNotFoundError:
        return False


def mode_of(path: Path) -> str:
    """``0600``-style permissions of a file or folder."""
    return f"{stat.S_IMODE(path.stat().st_mode):04o}"
