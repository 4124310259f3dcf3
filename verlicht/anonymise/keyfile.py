"""Where the key lives and what may be done to the workspace with it (forgetting a person everywhere).

The key is kept apart: by default in ``~/.config/verlicht/keys/``, never
inside the workspace (which is under git) or the output folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from verlicht.errors import AnonymiseError, Location
from verlicht.fsio import atomic_write_bytes
from verlicht.programme import slug
from verlicht.workspace import Layout

if TYPE_CHECKING:
    from verlicht.anonymise.keystore import KeyStore

KEY_SUFFIX = ".verlicht-key"


def default_key_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "verlicht" / "keys"


def resolve(path: Path | None, layout: Layout | None) -> Path:
    """The key file: the option, else verlicht.toml's ``[anonymise] key``, else the default folder."""
    if path is not None:
        return path.expanduser()
    if layout is not None and layout.config.anonymise.key:
        configured = Path(layout.config.anonymise.key).expanduser()
        return configured if configured.is_absolute() else (layout.root / configured)
    name = slug(layout.config.name) if layout is not None else "verlicht"
    return default_key_dir() / f"{name or 'verlicht'}{KEY_SUFFIX}"


def key_names(layout: Layout) -> list[str]:
    """The person names in the workspace's key, for the residual scan; none when the key cannot be opened
    here (no passphrase in the environment, no key file): the build never asks for the passphrase."""
    from verlicht.anonymise.keystore import PASSPHRASE_ENV, KeyStore  # cryptography: only when needed

    passphrase = os.environ.get(PASSPHRASE_ENV)
    path = resolve(None, layout)
    if not passphrase or not path.is_file():
        return []
    return KeyStore.open(path, passphrase).person_names()


def key_scan_skipped(layout: Layout) -> str | None:
    """One line saying the build's key-name scan did not run, when a key is configured or exists but
    ``VERLICHT_KEY_PASSPHRASE`` is not set; None otherwise (a workspace without a key is not told about one)."""
    from verlicht.anonymise.keystore import PASSPHRASE_ENV

    if os.environ.get(PASSPHRASE_ENV):
        return None
    path = resolve(None, layout)
    if not layout.config.anonymise.key and not path.is_file():
        return None
    return (f"key-name scan skipped: {PASSPHRASE_ENV} is not set, so the names in {path} were not looked for "
            "in the sources (contact data and identifiers were)")


def check_outside(path: Path, layout: Layout | None, out: Path | None, what: str = "key file") -> None:
    """Refuse a key (or audit report) inside the workspace or the output folder: those end up in git."""
    target = path.resolve()
    for folder, name in ((layout.root if layout else None, "the workspace"), (out, "the output folder")):
        if folder is None:
            continue
        root = Path(folder).resolve()
        if target == root or root in target.parents:
            raise AnonymiseError(
                f"the {what} {path} would be inside {name} ({folder})", Location(str(path)),
                "keep it apart, e.g. --key ~/.config/verlicht/keys/team.verlicht-key",
            )


def forget(key: KeyStore, who: str, layout: Layout, dry_run: bool = False) -> list[dict]:
    """Re-pseudonymise one key entry in every source, all or nothing, then drop it from the key.

    Every mention gets one new pseudonym of the same category that the key links to no one, so the
    sources stay readable ("the same person") but can no longer be traced back through the key.
    """
    entry = key.find(who)
    old = entry.pseudonym
    new = key.fresh(entry.category)
    pattern = re.compile(re.escape(old))
    changes: list[tuple[Path, bytes, int]] = []
    for path in layout.source_files():
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
        replaced, count = pattern.subn(new, text)
        if count:
            prefix = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
            changes.append((path, prefix + replaced.encode("utf-8"), count))
    rows = [{"source": layout.shown(p), "replaced": n, "old": old, "new": new} for p, _, n in changes]
    if dry_run:
        return rows
    # Check every rewritten source still reads before replacing any of them.
    from verlicht.rock.reader import parse_bytes

    for path, data, _ in changes:
        parse_bytes(data, layout.shown(path))
    key.forget(entry.category, entry.number)
    key.save()  # first the key: once it is saved, the old pseudonym leads to no one
    for path, data, _ in changes:
        atomic_write_bytes(path, data)
    return rows
