"""Memos: a researcher's notes on an utterance, a source or a concept (``verlicht memo``, ``m`` in the coder).

Where memos live, and why not in the ROCK source
------------------------------------------------
Memos on an utterance (by uid) or on a source are kept in a *sidecar* next to the source,
``interviews/r07.memos.yaml`` for ``interviews/r07.rock``; memos on a concept in
``ontology/memos.yaml``, beside the codebook they are about. ROCK comment lines in the source
(``# memo: …``) were the alternative; the sidecar won because:

* a comment line moves every line below it, and line numbers are how the coder, ``agreement``,
  ``merge``, ``query evidence`` and the build's errors point at utterances;
* the source stays byte for byte what rock/iROCK and the coders' copies hold, so adding a memo
  never touches a coded file (nor races the coder writing it), and ``merge``/``adjudicate``/
  codebook refactors, which rewrite sources, cannot drop or duplicate memos;
* the build reads only ``source_extensions`` (``.rock``) under ``interviews/``, and rock reads
  ``*.rock``: neither ever counts a memo as a code or a claim;
* YAML, one memo per entry in the order written, diffs and merges well under git.

A memo is found by uid, so it survives re-coding. Its id is a short hash of what it says and
where, so the same memo written twice is one memo, and ``memo remove ID`` names it.

Memos are researcher text, so the build's residual privacy scan (phone numbers, e-mail
addresses, postcodes, IBANs, BSNs, names from the key) runs on them: when one is added, and
with every build (:func:`privacy_errors`).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from verlicht.errors import CodingError, Location, PrivacyError
from verlicht.fsio import atomic_write_text
from verlicht.workspace import Layout

KINDS = ("utterance", "source", "concept")
SUFFIX = ".memos.yaml"
CONCEPT_FILE = "memos.yaml"  # in ontology/
COLUMNS = ["id", "about", "target", "ref", "author", "date", "text"]
HEADER = ("# Memos (verlicht memo add|list|remove). Not coding: rock and the build ignore this file.\n"
          "# Researcher text: keep it anonymised (the build scans it as it scans the sources).\n")


def memo_file(layout: Layout, source: Path) -> Path:
    """The sidecar holding the memos on ``source`` and its utterances: ``NAME.memos.yaml`` beside it."""
    return source.with_name(source.stem + SUFFIX)


def concept_file(layout: Layout) -> Path:
    return layout.ontology / CONCEPT_FILE


def memo_id(memo: dict[str, Any]) -> str:
    """Eight hex digits from what the memo says, about what, by whom and when."""
    key = "\x1f".join(str(memo.get(k) or "") for k in ("about", "source", "uid", "concept", "author", "date", "text"))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


# ---------------------------------------------------------------------- reading


def _read(path: Path, shown: str) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CodingError(f"cannot read the memos: {getattr(exc, 'problem', None) or exc}",
                          Location(shown, mark.line + 1 if mark else None),
                          "fix the YAML, or restore the file from git") from None
    memos = data.get("memos") if isinstance(data, dict) else None
    if not isinstance(memos, list) or not all(isinstance(m, dict) and m.get("text") for m in memos):
        raise CodingError("not a memo file: expected 'memos:' with a list of memos that each have a text",
                          Location(shown, 1), "restore the file from git")
    return memos


def _write(path: Path, memos: list[dict[str, Any]]) -> None:
    if not memos:
        path.unlink(missing_ok=True)
        return
    body = yaml.safe_dump({"memos": memos}, sort_keys=False, allow_unicode=True, default_flow_style=False,
                          width=100)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, HEADER + body)


def memo_files(layout: Layout) -> list[Path]:
    """Every memo file of the workspace: the concept memos, then the sidecars in the sources' order."""
    found = [concept_file(layout)] if concept_file(layout).is_file() else []
    folder = layout.interviews
    if folder.is_dir():
        found += sorted((p for p in folder.rglob("*" + SUFFIX) if p.is_file()),
                        key=lambda p: p.relative_to(folder).as_posix())
    return found


def _source_of(layout: Layout, sidecar: Path) -> Path:
    stem = sidecar.name[: -len(SUFFIX)]
    for extension in layout.config.source_extensions:
        candidate = sidecar.with_name(stem + extension)
        if candidate.exists():
            return candidate
    return sidecar.with_name(stem + layout.config.source_extensions[0])


def _lines_by_uid(source: Path) -> dict[str, int]:
    from verlicht.errors import VerlichtError
    from verlicht.rock.reader import read_source

    if not source.is_file():
        return {}
    try:
        return {u.uid: u.line for u in read_source(source).utterances if u.uid}
    except VerlichtError:  # a broken source: its memos are still listed, without a line
        return {}


def list_memos(layout: Layout, source: Path | None = None, uid: str | None = None,
               concept: str | None = None) -> list[dict[str, Any]]:
    """Memos as rows (``id, on, target, source, uid, concept, ref, author, date, text``), filtered.

    ``ref`` points at what the memo is on: ``path:line`` of an utterance (its line now, found by uid),
    the source's path, or ``concept:CODE``.
    """
    rows = []
    wanted = memo_file(layout, source.absolute()) if source is not None else None
    for path in memo_files(layout):
        if wanted is not None and path.absolute() != wanted:
            continue
        memos = _read(path, layout.shown(path.absolute()))
        lines: dict[str, int] | None = None
        for memo in memos:
            if uid is not None and memo.get("uid") != uid:
                continue
            if concept is not None and memo.get("concept") != concept:
                continue
            row = _row(memo)
            if memo.get("about") != "concept":
                shown = layout.shown(_source_of(layout, path).absolute())
                row["source"] = shown
                if memo.get("about") == "utterance":
                    if lines is None:
                        lines = _lines_by_uid(_source_of(layout, path))
                    line = lines.get(memo.get("uid"))
                    row["ref"] = f"{shown}:{line}" if line else f"{shown} (uid {memo.get('uid')} not found)"
                else:
                    row["ref"] = shown
            rows.append(row)
    return rows


def _row(memo: dict[str, Any]) -> dict[str, Any]:
    on = memo.get("about")
    target = memo.get("uid") if on == "utterance" else memo.get("concept") if on == "concept" else memo.get("source")
    return {"id": memo.get("id"), "about": on, "target": target, "source": memo.get("source"),
            "uid": memo.get("uid"), "concept": memo.get("concept"),
            "ref": f"concept:{memo.get('concept')}" if on == "concept" else None,
            "author": memo.get("author"), "date": str(memo.get("date") or ""), "text": memo.get("text")}


def memos_by_uid(layout: Layout) -> dict[tuple[str, str], list[str]]:
    """Utterance memos per (source as shown, uid), each as ``author date: text``: for ``query evidence``."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in memo_files(layout):
        if path.name == CONCEPT_FILE and path.parent == layout.ontology:
            continue
        shown = layout.shown(_source_of(layout, path).absolute())
        for memo in _read(path, layout.shown(path.absolute())):
            if memo.get("about") == "utterance":
                found.setdefault((shown, memo["uid"]), []).append(_said(memo))
    return found


def _said(memo: dict[str, Any]) -> str:
    return f"{memo.get('author')} {memo.get('date')}: {memo.get('text')}"


# ---------------------------------------------------------------------- changing


def add_memo(layout: Layout, text: str, author: str, source: Path | None = None, uid: str | None = None,
             concept: str | None = None, date: str | None = None,
             key_names: Iterable[str] = ()) -> dict[str, Any]:
    """Add a memo on an utterance (``source`` and/or ``uid``), a source (``source`` alone) or a concept.

    Refused (nothing written): empty text, a uid or concept that does not exist, or text in which the
    privacy scan finds personal data. A memo already there (same text, target, author, date) is not doubled.
    """
    text = text.strip()
    if not text:
        raise CodingError("the memo has no text", None, "write what you noticed, e.g. 'kan ook verloop zijn'")
    if concept is not None and (source is not None or uid is not None):
        raise CodingError("a memo is on a concept, or on a source or utterance, not both", None,
                          "drop --concept, or --source/--uid")
    date = date or _dt.date.today().isoformat()
    if concept is not None:
        from verlicht.coding.usage import load_codebook_of

        if concept not in load_codebook_of(layout).concepts:
            raise CodingError(f"concept '{concept}' is not in the codebook", Location("ontology/codebook.yaml"),
                              "'verlicht codebook stats' lists the concepts")
        memo = {"about": "concept", "concept": concept}
        path = concept_file(layout)
    else:
        if source is None and uid is None:
            raise CodingError("say what the memo is on", None,
                              "--uid UID (an utterance), --source FILE (a source) or --concept CODE")
        if source is None:
            source = _source_with_uid(layout, uid)
        source = workspace_source(layout, source)  # a coder's copy: its source in interviews/
        shown = layout.shown(source)
        if not source.resolve().is_relative_to(layout.interviews.resolve()):
            raise CodingError("memos are kept for the workspace's sources, in interviews/", Location(shown),
                              "put the memo on the source in interviews/ (a coder's copy shares its uids)")
        if uid is not None and uid not in _lines_by_uid(source):
            if not source.is_file():
                raise CodingError("no such source", Location(shown), "give a file under interviews/")
            raise CodingError(f"no utterance with uid '{uid}'", Location(shown),
                              f"'verlicht code list {shown}' shows the uids")
        if uid is None and not source.is_file():
            raise CodingError("no such source", Location(shown), "give a file under interviews/")
        memo = {"about": "utterance", "source": shown, "uid": uid} if uid else {"about": "source", "source": shown}
        path = memo_file(layout, source)
    memo.update(author=author, date=date, text=text)
    _check_privacy(text, layout.shown(path.absolute()), key_names)
    memo = {"id": memo_id(memo), **memo}
    memos = _read(path, layout.shown(path.absolute()))
    if all(m.get("id") != memo["id"] for m in memos):
        _write(path, [*memos, memo])
    return next(r for r in list_memos(layout, source=None) if r["id"] == memo["id"])


def remove_memo(layout: Layout, memo: str) -> dict[str, Any]:
    """Remove the memo with this id (a unique prefix of it will do); the row it was."""
    found = []
    for path in memo_files(layout):
        for entry in _read(path, layout.shown(path.absolute())):
            if str(entry.get("id", "")).startswith(memo):
                found.append((path, entry))
    if not found:
        raise CodingError(f"no memo with id '{memo}'", None, "'verlicht memo list' shows the ids")
    if len(found) > 1:
        raise CodingError(f"{len(found)} memos have an id starting with '{memo}'", None, "give more of the id")
    path, entry = found[0]
    row = next(r for r in list_memos(layout) if r["id"] == entry["id"])
    _write(path, [m for m in _read(path, layout.shown(path.absolute())) if m.get("id") != entry["id"]])
    return row


_SHOWN_SOURCE: dict[str, Path] = {}


def workspace_source(layout: Layout, path: Path) -> Path:
    """The source in interviews/ whose memos a file shares: the file itself, or for a coder's copy
    (``coders/anna/r07.rock``, made by ``verlicht code copy``) the source with its name in interviews/.

    A copy has the source's text and uids, so memos written while coding it are memos on the source,
    seen by every coder and by ``query evidence``; a file with no such source stays itself (and
    :func:`add_memo` says memos are kept for interviews/).
    """
    path = Path(path).absolute()
    interviews = layout.interviews.resolve()
    if path.resolve().is_relative_to(interviews):
        return path
    same = sorted(p for p in layout.source_files() if p.name == path.name)
    return same[0].absolute() if len(same) == 1 else path


def _source_with_uid(layout: Layout, uid: str | None) -> Path:
    for source in layout.source_files():
        if uid in _lines_by_uid(source):
            return source
    raise CodingError(f"no source holds an utterance with uid '{uid}'", Location(layout.shown(layout.interviews)),
                      "check the uid ('verlicht code list SOURCE'), or give --source FILE")


# ---------------------------------------------------------------------- privacy


def _findings(text: str, names: Iterable[str]) -> list[str]:
    from verlicht.anonymise.guard import LABELS, residual_findings

    return [LABELS.get(f.kind, f.kind) for f in residual_findings(text.encode("utf-8"), "", names)]


def _check_privacy(text: str, shown: str, names: Iterable[str]) -> None:
    found = _findings(text, names)
    if found:
        raise PrivacyError(f"the memo holds {found[0]}; nothing was written", Location(shown),
                           "memos go into git and are scanned like the sources: leave personal data out")


def privacy_errors(layout: Layout, names: Iterable[str] = ()) -> list[PrivacyError]:
    """The build's residual scan over every memo: an error per memo holding personal data (at its line)."""
    names = list(names)
    errors = []
    for path in memo_files(layout):
        shown = layout.shown(path.absolute())
        lines = path.read_text(encoding="utf-8").split("\n")
        for memo in _read(path, shown):
            found = _findings(str(memo.get("text", "")), names)
            if found:
                line = next((n for n, text in enumerate(lines, 1) if f"id: {memo.get('id')}" in text), None)
                errors.append(PrivacyError(f"memo {memo.get('id')} holds {found[0]}", Location(shown, line),
                                           "edit the memo (or 'verlicht memo remove ID'); the build refuses "
                                           "personal data in memos as in sources"))
    return errors


# ---------------------------------------------------------------------- in the coder


def coder_memo(session: Any, text: str) -> str:
    """The coder's memo command (``m`` in :mod:`verlicht.coding.tui`); the message to show.

    ``m`` lists the memos on the current utterance and its source; ``m TEXT`` adds one on the
    current utterance, ``m CONCEPT: TEXT`` on a concept of the codebook, ``ms TEXT`` on the source.
    The coder's id is the author. Needs ``session.layout`` (the workspace).
    """
    layout = getattr(session, "layout", None)
    if layout is None:
        raise CodingError("memos need a workspace", None, "open the coder inside one")
    from verlicht.anonymise.keyfile import key_names

    source, current = workspace_source(layout, session.source.path), session.current
    command, _, body = text.partition(" ")
    body = body.strip()
    if command == "m" and not body:
        rows = [r for r in list_memos(layout, source=source)
                if r["about"] == "source" or r["uid"] == current.uid]
        if not rows:
            return "no memos on this utterance or source (m TEXT adds one)"
        return "\n".join(f"memo {r['id']} on {r['about']} {r['target']}: {r['author']} {r['date']}: {r['text']}"
                         for r in rows)
    if not body:
        raise CodingError("the memo has no text", None, "ms TEXT puts a memo on the source")
    head, colon, rest = body.partition(":")
    head = head.strip()
    if command == "m" and colon and head in session.codebook.concepts and not rest.strip():
        raise CodingError(f"the memo on concept {head} has no text", None, f"m {head}: TEXT")
    if command == "m" and colon and "_" in head and " " not in head and head not in session.codebook.concepts:
        # 'm verloop_bewonres: …' is a concept memo with a typo, not a memo on the utterance.
        raise CodingError(f"'{head}' is not a concept of the codebook; nothing was written", None,
                          "'verlicht codebook list' lists the concepts; without the colon the memo is "
                          "on this utterance")
    if command == "ms":
        row = add_memo(layout, body, session.coder, source=source, key_names=key_names(layout))
    elif colon and head in session.codebook.concepts:
        row = add_memo(layout, rest, session.coder, concept=head, key_names=key_names(layout))
    else:
        if not current.uid:
            raise CodingError("this line has no uid, and memos find their utterance by uid", None,
                              "ms TEXT puts the memo on the source instead")
        row = add_memo(layout, body, session.coder, source=source, uid=current.uid, key_names=key_names(layout))
    where = layout.shown((concept_file(layout) if row["about"] == "concept" else memo_file(layout, source)).absolute())
    return f"memo {row['id']} on {row['about']} {row['target']} saved in {where}"


def screen_lines(session: Any) -> list[str]:
    """The coder's lines for the memos on the current utterance (escaped prompt_toolkit HTML); quick: only the
    sidecar is read, not the source."""
    layout, uid = getattr(session, "layout", None), session.current.uid
    if layout is None or not uid:
        return []
    key = str(session.source.path)
    if key not in _SHOWN_SOURCE:  # the screen is drawn after every key: look the copy's source up once
        _SHOWN_SOURCE[key] = workspace_source(layout, session.source.path)
    path = memo_file(layout, _SHOWN_SOURCE[key])
    try:
        memos = [m for m in _read(path, layout.shown(path.absolute())) if m.get("uid") == uid]
    except CodingError as exc:
        memos = [{"author": "!", "date": "", "text": str(exc)}]
    from html import escape

    return [f"  <ansiyellow>memo</ansiyellow> {escape(_said(m), quote=False)}" for m in memos]
