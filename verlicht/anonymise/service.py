"""What ``verlicht anonymise`` and ``verlicht key …`` do, as functions a notebook can call too.

Everything between the options and the output lives here: finding the workspace and the key, opening or
creating the key (passphrase from ``VERLICHT_KEY_PASSPHRASE``, else asked on a terminal, else a located
error), where the audit goes, the run itself and the warnings about folders others may list. The command
only parses its options, calls one function and prints the result. The interactive review is passed in
(``reviewer``): a notebook runs the same path without it.

spaCy, deduce and cryptography are imported inside the functions: importing this module costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verlicht.errors import AnonymiseError, WorkspaceError
from verlicht.workspace import Layout, open_layout

if TYPE_CHECKING:
    from verlicht.anonymise.keystore import KeyStore

ANONYMISE_COLUMNS = ["input", "output", "case", "utterances", "replacements", "by_category"]
KEY_COLUMNS = ["pseudonym", "category", "value", "forms"]
FORGET_COLUMNS = ["source", "replaced", "old", "new"]

# progress(done, total, what): how far a run is, for a bar (see verlicht.cli.progress)
Progress = Callable[[int, int, str], None]


def layout_near(path: Path | str | None) -> Layout | None:
    """The workspace around ``path`` (or the current folder), if there is one."""
    try:
        return open_layout(None if path is None else Path(path))
    except WorkspaceError:
        return None


def open_key(key: Path | str | None, layout: Layout | None, passphrase: str | None = None,
             create: bool = False) -> tuple[Path, KeyStore, bool]:
    """The key file, its opened store and whether it was made now.

    The file is ``key``, else the workspace's ``[anonymise] key``, else the per-user default; the
    passphrase is ``passphrase``, else ``VERLICHT_KEY_PASSPHRASE``, else asked on a terminal (twice for a
    new key), else a located error. ``create`` makes the key when it does not exist yet.
    """
    from verlicht.anonymise import keyfile
    from verlicht.anonymise.keystore import KeyStore, passphrase_from_env_or_prompt

    key_file = keyfile.resolve(None if key is None else Path(key), layout)
    creating = create and not key_file.exists()
    secret = passphrase or passphrase_from_env_or_prompt(key_file, creating)
    store = (KeyStore.create if creating else KeyStore.open)(key_file, secret)
    return key_file, store, creating


@dataclass
class AnonymiseRun:
    """What one ``anonymise`` run wrote: a row per transcript (``rows``), the key and the audit report.

    ``warnings`` are the detector's remarks per transcript (located, as printed); ``notes`` are warnings
    about where the key and audit live (folders others may list)."""

    rows: list[dict[str, Any]]
    key_file: Path
    created_key: bool
    audit: tuple[Path, Path]
    warnings: list[Any] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """The closing line the command prints on stderr."""
        return (f"key: {self.key_file}{' (new)' if self.created_key else ''}   "
                f"audit: {self.audit[0]}, {self.audit[1]}")


def anonymise(inputs: Sequence[Path | str], out: Path | str | None = None, workspace: Path | str | None = None,
              key: Path | str | None = None, attributes: Path | str | None = None, case_id: str | None = None,
              group: str | None = None, role: str | None = None, wijk: str | None = None, date: str | None = None,
              interviewer: str | None = None, remove: Sequence[str] = (), keep: Sequence[str] = (),
              audit_dir: Path | str | None = None, model: str | None = None, force: bool = False,
              reviewer: Callable[[KeyStore], Any] | None = None, passphrase: str | None = None,
              progress: Progress | None = None, notify: Callable[[str], None] | None = None) -> AnonymiseRun:
    """Anonymise raw transcripts (.txt, .docx, .vtt, .srt) or ROCK sources into ROCK sources in ``out``.

    ``out`` defaults to the interviews/ of the workspace at ``workspace`` (or around the current folder,
    or around ``out``); without either it is an error. ``reviewer`` makes the interactive review from the
    opened key (e.g. :func:`verlicht.anonymise.review.make_reviewer`); ``notify`` hears the one line said
    before a first run's long wait for deduce's tables; ``progress(done, total, what)`` follows the run.
    """
    from verlicht.anonymise import keyfile
    from verlicht.anonymise.audit import write_audit
    from verlicht.anonymise.batch import (
        RunOptions,
        audit_stem,
        check_case_id,
        read_attributes,
        run,
        workspace_keep_terms,
    )
    from verlicht.anonymise.pipeline import FIRST_RUN, deduce_tables_cached
    from verlicht.anonymise.private import loose_folder, mode_of
    from verlicht.anonymise.to_rock import CaseInfo

    inputs = [Path(i) for i in inputs]
    out = None if out is None else Path(out)
    layout = layout_near(workspace) or (layout_near(out) if out is not None else None)
    if out is None:
        if layout is None:
            raise AnonymiseError("no --out folder and no workspace here", None,
                                 "pass --out interviews/ or run inside a workspace")
        out = layout.interviews
    if case_id:
        check_case_id(case_id)
    if case_id and len(inputs) > 1:
        raise AnonymiseError("--case-id names one respondent but several transcripts were given", None,
                             "use --attributes with a row per file")
    key_file = keyfile.resolve(None if key is None else Path(key), layout)
    keyfile.check_outside(key_file, layout, out)
    key_file, store, creating = open_key(key_file, layout, passphrase, create=True)
    options = RunOptions(
        out=out,
        case=CaseInfo(case_id, group, role, wijk, date, interviewer, tuple(remove)),
        attributes=read_attributes(Path(attributes)) if attributes else {},
        keep=tuple(keep),
        force=force,
        model=model or (layout.config.anonymise.spacy_model if layout else "auto"),
        scan=(layout.interviews,) if layout else (),
        suffixes=layout.config.source_extensions if layout else (".rock",),
    )
    keep_terms = workspace_keep_terms(layout.root / layout.config.anonymise.keep_list) if layout else []
    first_run = not deduce_tables_cached()
    if first_run and notify is not None:  # the next minutes would otherwise be silent
        notify(f"{FIRST_RUN}…")
    step = None
    if progress is not None:
        progress(0, len(inputs), FIRST_RUN if first_run else "loading spaCy and deduce")
        done = iter(range(1, len(inputs) + 1))

        def step(path: Path) -> None:
            progress(next(done), len(inputs), path.name)

    planned, _ = run(inputs, store, options, keep_terms, reviewer(store) if reviewer else None, progress=step)
    results = [r for _, r in planned]
    folder = Path(audit_dir) if audit_dir is not None else key_file.parent / "audit"
    keyfile.check_outside(folder, layout, out, what="audit report")
    audit = write_audit(folder, audit_stem(), results, folder_is_ours=audit_dir is None or not folder.exists())
    notes = [f"{place}: others may list this folder ({mode_of(place)}); the key and audit files in it are "
             f"owner-only — chmod 700 {place} if nobody else needs it"
             for place in dict.fromkeys((key_file.parent, folder)) if loose_folder(place)]
    rows = [
        {"input": r.source, "output": str(target), "case": r.case_id, "utterances": r.utterances,
         "replacements": len(r.replacements), "by_category": r.counts()}
        for target, r in planned
    ]
    return AnonymiseRun(rows, key_file, creating, audit, [w for r in results for w in r.warnings], notes)


def key_entries(key: Path | str | None = None, workspace: Path | str | None = None, category: str | None = None,
                passphrase: str | None = None) -> list[dict[str, Any]]:
    """The key's pseudonyms and what they stand for (personal data), as `verlicht key show`."""
    _, store, _ = open_key(key, layout_near(workspace), passphrase)
    return [
        {"pseudonym": e.pseudonym, "category": e.category, "value": e.canonical, "forms": list(e.aliases)}
        for e in store.entries() if category is None or e.category == category.upper()
    ]


def key_rotate(key: Path | str | None = None, workspace: Path | str | None = None, passphrase: str | None = None,
               new_passphrase: str | None = None) -> Path:
    """Lock the key with a new passphrase (``new_passphrase``, else ``VERLICHT_NEW_KEY_PASSPHRASE``, else asked
    twice on a terminal); the key file."""
    from verlicht.anonymise.keystore import NEW_PASSPHRASE_ENV, passphrase_from_env_or_prompt

    key_file, store, _ = open_key(key, layout_near(workspace), passphrase)
    store.rotate(new_passphrase or passphrase_from_env_or_prompt(key_file, creating=True, env=NEW_PASSPHRASE_ENV))
    return key_file


def key_forget(person: str, key: Path | str | None = None, workspace: Path | str | None = None,
               dry_run: bool = False, passphrase: str | None = None) -> list[dict[str, Any]]:
    """Right to be forgotten: give ``person`` (a name or a pseudonym) a new pseudonym linked to no one in every
    source of the workspace and drop them from the key; a row per source changed."""
    from verlicht.anonymise import keyfile

    layout = layout_near(workspace)
    if layout is None:
        raise WorkspaceError("'key forget' rewrites the workspace's sources; no workspace here", None,
                             "run it inside the workspace or pass --workspace")
    _, store, _ = open_key(key, layout, passphrase)
    return keyfile.forget(store, person, layout, dry_run=dry_run)


def terminal_reviewer(store: KeyStore) -> Any:
    """The interactive review on the terminal (``anonymise --review``), made from the opened key."""
    from verlicht.anonymise.review import make_reviewer

    return make_reviewer(store)
