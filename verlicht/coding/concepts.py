"""Adding concepts to the codebook while coding, keeping the file's comments and layout.

:func:`add_concept` appends one concept to ``ontology/codebook.yaml``. The coder goes
through :class:`CodebookWriter`, which writes the concepts a code needs together with one
``ontology/CHANGELOG.md`` entry each (as ``verlicht codebook rename|merge|retype`` do), in one
all-or-nothing step, and can take that step back for undo.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from verlicht.codebook import CONCEPT_TYPES, Codebook, load_codebook
from verlicht.errors import CodebookError, CodingError, Location
from verlicht.fsio import atomic_write_text, folder_lock, replace_all


@dataclass(frozen=True, slots=True)
class NewConcept:
    """A concept the coder asked for: written only once the whole code that needs it is confirmed."""

    code: str
    type: str
    label_nl: str
    label_en: str = ""


@dataclass(slots=True)
class Written:
    """What :meth:`CodebookWriter.add` wrote: each file's bytes before and after, so undo can put them back."""

    before: dict[Path, bytes | None] = field(default_factory=dict)
    after: dict[Path, bytes] = field(default_factory=dict)
    codes: tuple[str, ...] = ()


def add_concept(path: Path, code: str, kind: str, label_nl: str, label_en: str = "",
                themes: set[str] | None = None, shown: str | None = None) -> Codebook:
    """Append ``code`` to the ``concepts:`` block of the codebook file and return the re-read codebook.

    The block is inserted as text after the last concept, so comments and the order of
    the file stay as the team wrote them; the result is validated before it is written.
    """
    text, checked = concept_text(path, [NewConcept(code, kind, label_nl, label_en)], themes, shown)
    atomic_write_text(path, text)
    return checked


def concept_text(path: Path, concepts: Sequence[NewConcept], themes: set[str] | None = None,
                 shown: str | None = None) -> tuple[str, Codebook]:
    """The codebook file's new text with ``concepts`` appended, and the codebook it reads as (nothing is written)."""
    shown = shown or str(path)
    book = load_codebook(path, shown, themes)
    data = path.read_bytes() if path.exists() else b"version: 1\nconcepts:\n"
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    seen: set[str] = set()
    for concept in concepts:
        code, kind = concept.code, concept.type
        if code in book.concepts:
            raise CodingError(f"concept '{code}' is already in the codebook",
                              Location(shown, book.concepts[code].line),
                              "use it as it is, or rename it with 'verlicht codebook rename'")
        if code in seen:
            raise CodingError(f"concept '{code}' is asked for twice", Location(shown), "add it once")
        seen.add(code)
        if kind not in CONCEPT_TYPES:
            raise CodingError(f"'{kind}' is not a concept type", Location(shown),
                              f"use one of: {', '.join(CONCEPT_TYPES)}")
        label_nl = concept.label_nl or code
        block = [f"  {code}:", f"    type: {kind}",
                 f"    label: {{nl: {_scalar(label_nl)}, en: {_scalar(concept.label_en or label_nl)}}}"]
        _insert(lines, block, shown)
    new_text = ("\ufeff" if bom else "") + newline.join(lines)  # the file's own line ends and BOM
    tmp = path.with_name(f".{path.name}.check")
    try:
        tmp.write_text(new_text, encoding="utf-8")
        checked = load_codebook(tmp, shown, themes)
    except CodebookError as exc:
        names = ", ".join(f"'{c.code}'" for c in concepts)
        raise CodingError(f"adding {names} would break the codebook: {exc.message}", Location(shown),
                          "fix the codebook by hand first") from None
    finally:
        tmp.unlink(missing_ok=True)
    return new_text, checked


def _insert(lines: list[str], block: list[str], shown: str) -> None:
    """Put one concept's lines after the last concept of the ``concepts:`` block (made when missing)."""
    start = next((i for i, line in enumerate(lines) if line.rstrip() == "concepts:"), None)
    if start is None:
        if any(line.startswith("concepts:") for line in lines):
            raise CodingError("the codebook's 'concepts:' is written inline", Location(shown),
                              "write 'concepts:' on its own line with one block per concept, then try again")
        lines[-1:] = ["concepts:", *block, ""] if lines[-1] == "" else [lines[-1], "concepts:", *block]
        return
    end = start + 1
    last = start
    while end < len(lines):
        line = lines[end]
        if line and not line[0].isspace() and not line.startswith("#"):
            break  # the next top-level section
        if line.strip() and not line.lstrip().startswith("#"):
            last = end
        end += 1
    lines[last + 1:last + 1] = block


class CodebookWriter:
    """The coder's way into the codebook: concepts plus their changelog entries, all or nothing, undoable."""

    def __init__(self, book: Path, changelog: Path, who: str, themes: set[str] | None = None,
                 shown: str | None = None):
        self.book = book
        self.changelog = changelog
        self.who = who
        self.themes = themes
        self.shown = shown or str(book)

    def add(self, concepts: Sequence[NewConcept], where: str = "",
            now: _dt.datetime | None = None) -> tuple[Codebook, Written]:
        """Write ``concepts`` to the codebook and one changelog entry per concept, in one step."""
        from verlicht.coding.refactor.changelog import CHANGELOG_HEADING

        self.book.parent.mkdir(parents=True, exist_ok=True)
        with folder_lock(self.book.parent):
            text, checked = concept_text(self.book, concepts, self.themes, self.shown)
            old_book = self.book.read_bytes() if self.book.exists() else None
            old_log = self.changelog.read_bytes() if self.changelog.exists() else None
            log = old_log.decode("utf-8") if old_log is not None else CHANGELOG_HEADING
            if log and not log.endswith("\n"):
                log += "\n"
            when = (now or _dt.datetime.now(_dt.UTC)).astimezone(_dt.UTC)
            for concept in concepts:
                log += "\n" + changelog_entry(concept, self.who, when, self.shown, where)
            files = {self.book: text.encode("utf-8"), self.changelog: log.encode("utf-8")}
            replace_all(files)
        return checked, Written({self.book: old_book, self.changelog: old_log}, files,
                                tuple(c.code for c in concepts))

    def undo(self, written: Written) -> Codebook | None:
        """Put the codebook and changelog back as they were before ``written``; None when either changed since."""
        with folder_lock(self.book.parent):
            for path, data in written.after.items():
                if (path.read_bytes() if path.exists() else None) != data:
                    return None
            back = {path: data for path, data in written.before.items() if data is not None}
            replace_all(back)
            for path, data in written.before.items():
                if data is None:
                    path.unlink(missing_ok=True)
        return load_codebook(self.book, self.shown, self.themes)


def changelog_entry(concept: NewConcept, who: str, when: _dt.datetime, book: str, where: str = "") -> str:
    """One ``ontology/CHANGELOG.md`` entry for a concept added while coding (read back by ``codebook log``)."""
    label_en = concept.label_en or concept.label_nl
    lines = [f"## {when.strftime('%Y-%m-%dT%H:%M:%SZ')} · new {concept.code}", "",
             f"- who: {who}",
             "- changed: 1 file(s), 1 concept(s)",
             f"- files: {book}",
             f"- note: {concept.type}, label nl '{concept.label_nl or concept.code}', en '{label_en}'"]
    if where:
        lines.append(f"- note: added in the coder while coding {where}")
    return "\n".join(lines) + "\n"


_PLAIN = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9 ()/.-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}


def _scalar(text: str) -> str:
    """A label as a YAML flow scalar: plain when it cannot mean anything else, else double-quoted (JSON quoting
    is valid YAML), so 't Loon, 'no' or a label with a comma or colon reads back as written."""
    plain = _PLAIN.fullmatch(text) and text.strip() == text and text.lower() not in _YAML_WORDS
    return text if plain else json.dumps(text, ensure_ascii=False)
