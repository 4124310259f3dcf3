"""Which case ids are taken, so that the anonymiser never gives a new respondent someone else's id.

A case id is a respondent's identity in the whole workspace: two sources with ``[[cid=R01]]`` are one person
to the build. ``verlicht init`` writes an example source with ``R01``; the key counts the ids it handed out,
but not ids written by hand, by ``--case-id`` or by another tool. So before a new id is picked, every source
in the workspace and the output folder is read for its case ids (``[[cid=…]]`` and the ``caseId`` of
``ROCK_attributes``: a byte search, no parse), and the ids the key remembers for earlier transcripts are added.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from verlicht.anonymise.keystore import KeyStore

_CID = re.compile(rb"\[\[\s*(?:cid|caseId)\s*[=:]\s*([A-Za-z][A-Za-z0-9_]*)\s*\]\]")
_ATTRIBUTE = re.compile(rb"^[ \t-]*caseId[ \t]*:[ \t]*['\"]?([A-Za-z][A-Za-z0-9_]*)['\"]?[ \t]*\r?$", re.MULTILINE)


def case_ids_in(data: bytes) -> set[str]:
    """The case ids a ROCK source uses: in ``[[cid=…]]`` and as ``caseId`` of its attributes.

    >>> sorted(case_ids_in(b"---\\nROCK_attributes:\\n  - caseId: R01\\n---\\n[[cid=R02]] Ja.\\n"))
    ['R01', 'R02']
    """
    return {m.decode("ascii") for m in _CID.findall(data)} | {m.decode("ascii") for m in _ATTRIBUTE.findall(data)}


def taken_case_ids(folders: Iterable[Path], key: KeyStore | None = None,
                   suffixes: Iterable[str] = (".rock",)) -> dict[str, list[Path]]:
    """Every case id used by a source under ``folders`` (recursively), with the files using it, plus the ids
    the key remembers for transcripts it has seen (with no file). Ids are compared ignoring letter case,
    as output files are named after them in lower case: keys are case-folded."""
    ends = tuple(s.lower() for s in suffixes)
    taken: dict[str, list[Path]] = {}
    seen: set[Path] = set()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.name.startswith(".") or not path.name.lower().endswith(ends) or not path.is_file():
                continue
            resolved = path.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            try:
                data = path.read_bytes()
            except OSError:
                continue
            for case in case_ids_in(data):
                taken.setdefault(case.casefold(), []).append(path)
    if key is not None:
        for document in key.data.get("documents", {}).values():
            case = document.get("case")
            if case:
                taken.setdefault(str(case).casefold(), [])
    return taken


def next_free_case(key: KeyStore, taken: dict[str, list[Path]] | set[str]) -> str:
    """The key's next case id (``R01``, ``R02`` …), skipping ids that are taken; the key's counter moves on
    past the one given, so a later run does not offer it again."""
    counters = key.data["counters"]
    while True:
        counters["CASE"] = counters.get("CASE", 0) + 1
        case = f"R{counters['CASE']:02d}"
        if case.casefold() not in taken:
            return case
