"""What ``verlicht code``, ``codebook``, ``agreement``, ``merge`` and ``suggest`` do, as API calls.

:class:`CodingMethods` is mixed into :class:`verlicht.api.Workspace`: each method does one command's whole
job on the workspace's files and returns what the command prints (its ``--format json`` rows, or a small
result object). The commands only parse options, call one method and render. Interactive parts stay UI but
are passed in: the coder (``ui``) and the refactor confirmation (``confirm``), so a notebook runs the same
code without a terminal. :func:`agreement_of` and :func:`merge_copies` work on coders' copies without a
workspace, as their commands do.

spaCy (the suggester) and prompt_toolkit (the coder) are imported only when those methods run.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verlicht.errors import CodingError, Location
from verlicht.fsio import folder_lock
from verlicht.workspace import Layout

if TYPE_CHECKING:
    from verlicht.coding.edit import EditableSource
    from verlicht.coding.refactor import Plan
    from verlicht.coding.session import CodingSession

CODE_LIST_COLUMNS = ["line", "uid", "case", "coder", "kind", "code", "text"]
CONCEPT_COLUMNS = ["code", "type", "label_nl", "theme", "uses"]
KINDS = {"codes": ("code",), "network": ("network",), "both": ("code", "network")}


def login() -> str:
    """The login name as a coder id (letters, digits and _ only): who codes when nobody said."""
    return re.sub(r"[^a-zA-Z0-9_]", "_", getpass.getuser()) or "coder"


def coder_or_default(explicit: str | None, file_coder: str | None) -> str:
    """The coder: the one named, else the file's ``[[coderId=…]]``, else the login."""
    return explicit or file_coder or login()


@dataclass
class Refactor:
    """A codebook refactor: its checked plan (diff, summary, notes) and whether it was applied (logged in
    ``changelog``)."""

    plan: Plan
    applied: bool
    changelog: str

    def row(self) -> dict[str, Any]:
        return {"command": self.plan.command, "files": self.plan.files, "occurrences": self.plan.occurrences,
                "applied": self.applied, "summary": self.plan.summary(), "notes": list(self.plan.notes)}


@dataclass
class CodeEdit:
    """What ``code add`` / ``code remove`` did: a row per code (``state`` added, already there, removed) and
    warnings (undefined codes allowed, a file whose earlier codes are not claimed)."""

    source: str
    line: int
    rows: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """As the command prints them: ``source:line: state: [[code]]``."""
        return [f"{self.source}:{self.line}: {r['state']}: [[{r['code']}]]" for r in self.rows]


def _line(source: EditableSource, uid: str | None, line: int | None) -> int:
    if (uid is None) == (line is None):
        raise CodingError("say which utterance: --uid UID or --line N", Location(source.shown),
                          "'verlicht code list SOURCE' shows the uids")
    return source.line_of_uid(uid) if uid is not None else source.utterance_at(line).line


def _unknown(codebook: Any, code: str) -> list[str]:
    """What a code names that the codebook lacks (concepts, the edge type)."""
    from verlicht.coding.edit import parse_code

    kind = parse_code(code)
    names = [kind[1], kind[2]] if kind[0] == "network" else [">".join(kind[1]) if kind[0] == "code" else kind[1]]
    found = [f"'{n.rsplit('>', 1)[-1]}' is not in the codebook"
             for n in names if n.rsplit(">", 1)[-1] not in codebook.concepts]
    if kind[0] == "network" and kind[3] not in codebook.edge_types:
        found.append(f"edge type '{kind[3]}' is not in the codebook")
    return found


def suggester_for(codebook: Any) -> Any:
    """The suggestion engine, or None when it cannot start (the coder works without it)."""
    import logging

    try:
        from verlicht.coding.suggest import Suggester
    except ImportError:
        return None
    suggester = Suggester(codebook)
    # deduce (imported on the way) sets up root logging at DEBUG on stdout; the coder's screen is no log.
    logging.getLogger().setLevel(logging.WARNING)
    return suggester


class CodingMethods:
    """Coding, the codebook and its refactors, coder agreement and suggestions (mixed into ``Workspace``)."""

    layout: Layout

    def _path(self, source: str | Path) -> Path:
        return Path(source) if Path(source).is_absolute() else self.layout.root / source

    def _shown(self, path: Path) -> str:
        return self.layout.shown(path.resolve())

    # -- one source's codes (verlicht code …) ---------------------------------------------------------
    def code_session(self, source: str | Path, coder: str | None = None, uid: str | None = None,
                     line: int | None = None, uncoded: bool = False, suggest: bool = True, claim: bool = False,
                     ui: Callable[..., Any] | None = None) -> CodingSession:
        """The interactive coder's session on ``source`` (codebook, suggestions, memos, rejections wired in),
        started at ``uid``/``line``. With ``ui`` (e.g. :func:`verlicht.coding.tui.run`) it is run on it, as
        `verlicht code SOURCE` does; without, a notebook drives the session itself."""
        from verlicht.coding.concepts import CodebookWriter
        from verlicht.coding.edit import EditableSource
        from verlicht.coding.refactor import changelog_file
        from verlicht.coding.rejections import Rejections, rejections_file
        from verlicht.coding.session import CodingSession
        from verlicht.graph.build import load_inputs

        path = self._path(source)
        layout = self.layout
        catalogue, codebook = load_inputs(layout)
        shown = self._shown(path)
        who = coder_or_default(coder, EditableSource.load(path, shown).coder)
        session = CodingSession.open(path, codebook, who, shown, suggester=suggester_for(codebook) if suggest else None)
        if claim and session.unclaimed:
            session.claim()
        session.layout = layout  # memos (m TEXT) are kept in the workspace
        book_path = layout.ontology / "codebook.yaml"
        session.concepts = CodebookWriter(book_path, changelog_file(layout), who, set(catalogue.themes),
                                          layout.shown(book_path))
        session.rejections = Rejections(rejections_file(layout.root), shown)
        if uid or line:
            try:
                session.goto(uid or str(line))
            except CodingError as exc:
                raise CodingError(exc.message, Location(shown),
                                  f"'verlicht code list {shown}' shows the uids") from None
        if uncoded:
            session.toggle_uncoded()
        if ui is not None:
            # Only someone who named themselves is asked whether earlier codes are theirs; a login never claims.
            ui(session, ask_claim=bool(coder))
        return session

    def code_add(self, source: str | Path, codes: Sequence[str], uid: str | None = None, line: int | None = None,
                 coder: str | None = None, allow_undefined: bool = False, claim: bool = False) -> CodeEdit:
        """Add ``codes`` to one utterance (``uid`` or ``line``) and save at once; all checked before any change."""
        from verlicht.coding.edit import EditableSource, contradiction, parse_code
        from verlicht.graph.build import load_inputs

        path = self._path(source)
        _, codebook = load_inputs(self.layout)
        with folder_lock(path.resolve().parent):  # parallel 'code add' runs on one file each see the other's codes
            editable = EditableSource.load(path, self._shown(path))
            before = editable.snapshot()
            number = _line(editable, uid, line)
            undefined = []
            for c in codes:  # every code checked before anything changes, with the line as it is now
                parse_code(c, Location(editable.shown, number))
                undefined += _unknown(codebook, c)
            if undefined and not allow_undefined:
                raise CodingError(undefined[0], Location(editable.shown, number),
                                  "add it to the codebook first, or pass --allow-undefined")
            warnings = [f"{editable.shown}:{number}: {w}" for w in undefined]
            for c in codes:
                opposite = contradiction(editable.codes_on(number), c, codebook.edge_types)
                if opposite:
                    raise CodingError(f"the line already holds [[{opposite}]], the opposite of [[{c.strip()}]]",
                                      Location(editable.shown, number), f"remove it first: verlicht code remove "
                                      f"{editable.shown} --line {number} '{opposite}'")
            earlier = sum(len(u.codes) + len(u.network) + len(u.values) for u in editable.utterances)
            if editable.coder or not earlier or claim:
                editable.set_coder(coder_or_default(coder, editable.coder))  # on the first line: no line moves
            elif coder:
                warnings.append(f"{editable.shown}: not marked as coded by {coder}: the file holds {earlier} code(s) "
                                f"without a coder id, which would count as {coder}'s — pass --claim if they are "
                                f"yours, or code your own copy: verlicht code copy {editable.shown} --coder {coder}")
            added = [c for c in codes if editable.add(number, c)]
            if not added:
                editable.restore(before)
            editable.save()
        rows = [{"source": editable.shown, "line": number, "code": c.strip(),
                 "state": "added" if c in added else "already there"} for c in codes]
        return CodeEdit(editable.shown, number, rows, warnings)

    def code_remove(self, source: str | Path, codes: Sequence[str], uid: str | None = None,
                    line: int | None = None) -> CodeEdit:
        """Remove ``codes`` from one utterance ('a->b' without a type removes the one edge a->b); all or none."""
        from verlicht.coding.edit import EditableSource

        path = self._path(source)
        with folder_lock(path.resolve().parent):
            editable = EditableSource.load(path, self._shown(path))
            number = _line(editable, uid, line)
            missing = [c for c in codes if not editable.remove(number, c)]
            if missing:
                raise CodingError(f"not on this line: {', '.join(missing)}; nothing was removed",
                                  Location(editable.shown, number),
                                  "'verlicht code list SOURCE --uid UID' shows its codes")
            editable.save()
        rows = [{"source": editable.shown, "line": number, "code": c.strip(), "state": "removed"} for c in codes]
        return CodeEdit(editable.shown, number, rows)

    def code_list(self, source: str | Path, uid: str | None = None, uncoded: bool = False) -> list[dict[str, Any]]:
        """The codes of ``source``, one row per code with line, uid, case and coder (``uncoded``: the
        utterances without codes instead)."""
        from verlicht.coding.edit import EditableSource, code_rows

        path = self._path(source)
        return code_rows(EditableSource.load(path, self._shown(path)), uid=uid, uncoded=uncoded)

    def code_copy(self, source: str | Path, coder: str, out: str | Path | None = None, keep_codes: bool = False,
                  force: bool = False) -> dict[str, Any]:
        """``coder``'s own copy of ``source`` (same text and uids; uncoded unless ``keep_codes``), by default
        in coders/CODER/; ``{"source", "coder", "copy", "left_out"}``."""
        from verlicht.coding.edit import EditableSource

        path = self._path(source)
        layout = self.layout
        editable = EditableSource.load(path, self._shown(path))
        missing = [u for u in editable.utterances if not u.uid]
        if missing:
            raise CodingError(f"{len(missing)} utterance(s) have no uid, so copies could not be matched line by "
                              "line", Location(editable.shown, missing[0].line),
                              f"give every line a uid first: verlicht anonymise {editable.shown} --out DIR "
                              "(it keeps codes and adds uids)")
        removed = 0 if keep_codes else editable.strip_codes()
        if keep_codes:
            editable.strip_coders()
        editable.set_coder(coder)
        target = self._path(out) if out is not None else layout.root / "coders" / coder / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and not force:
            raise CodingError(f"{layout.shown(target.resolve())} exists", None,
                              "pass --force to start that copy again, or --out another path")
        editable.write_to(target, overwrite=True)
        return {"source": editable.shown, "coder": coder, "copy": layout.shown(target.resolve()), "left_out": removed}

    # -- the codebook (verlicht codebook …) ---------------------------------------------------------------
    def codebook_concepts(self, type_: str | None = None) -> list[dict[str, Any]]:
        """Every concept with its type, labels, theme and uses in sources and logic models (``codebook list``)."""
        from verlicht.coding.usage import concept_rows

        return concept_rows(self.layout, type_)

    def codebook_missing(self) -> str | None:
        """Why there is no codebook at all (a located message), or None when the file exists."""
        from verlicht.codebook import missing_codebook
        from verlicht.coding.usage import codebook_file

        book = codebook_file(self.layout)
        return None if book.exists() else str(missing_codebook(self.layout.shown(book)))

    def codebook_show(self, code: str) -> dict[str, Any]:
        """A concept's definition, its uses (sources, logic models), assumptions and indicators."""
        from verlicht.coding.usage import show_concept

        return show_concept(self.layout, code)

    def codebook_stats_rows(self) -> list[dict[str, Any]]:
        """:meth:`codebook_stats` as rows (section, name, uses, detail), as the table and CSV show them."""
        from verlicht.coding.usage import codebook_stats, stats_rows

        return stats_rows(codebook_stats(self.layout))

    def codebook_log(self) -> list[dict[str, Any]]:
        """The codebook changelog (ontology/CHANGELOG.md): every refactor applied, oldest first."""
        from verlicht.coding.refactor import read_changelog

        return read_changelog(self.layout)

    def codebook_log_file(self) -> str:
        from verlicht.coding.refactor import changelog_file

        return self.layout.shown(changelog_file(self.layout))

    def codebook_rename(self, old: str, new: str, edge_type: bool = False, apply: bool = False,
                        reason: str | None = None, confirm: Callable[[Plan], bool] | None = None) -> Refactor:
        """Rename concept (or edge type) ``old`` to ``new`` in every source, the codebook, the indicator
        catalogue and logic models. The plan (``.plan.diff()``, ``.plan.summary()``) is returned; it is applied
        when ``apply`` is true or ``confirm(plan)`` says yes (then ``.applied``)."""
        from verlicht.coding.refactor import plan_rename

        return self._refactor(plan_rename(self.layout, old, new, edge_type=edge_type), apply, reason, confirm)

    def codebook_merge(self, a: str, b: str, edge_type: bool = False, drop_self_loops: bool = False,
                       keep_conflicts: bool = False, apply: bool = False, reason: str | None = None,
                       confirm: Callable[[Plan], bool] | None = None) -> Refactor:
        """Fold concept ``a`` into ``b`` everywhere (see `verlicht codebook merge --help`); applied as
        :meth:`codebook_rename`."""
        from verlicht.coding.refactor import plan_merge

        plan = plan_merge(self.layout, a, b, edge_type=edge_type, drop_self_loops=drop_self_loops,
                          keep_conflicts=keep_conflicts)
        return self._refactor(plan, apply, reason, confirm)

    def codebook_retype(self, code: str, type_: str, apply: bool = False, reason: str | None = None,
                        confirm: Callable[[Plan], bool] | None = None) -> Refactor:
        """Give concept ``code`` another type; applied as :meth:`codebook_rename`."""
        from verlicht.coding.refactor import plan_retype

        return self._refactor(plan_retype(self.layout, code, type_), apply, reason, confirm)

    def _refactor(self, plan: Plan, apply: bool, reason: str | None,
                  confirm: Callable[[Plan], bool] | None) -> Refactor:
        from verlicht.coding.refactor import apply_plan

        if confirm is not None:
            apply = confirm(plan)
        applied = bool(apply and plan.changes)
        if applied:
            apply_plan(self.layout, plan, reason=reason)
        return Refactor(plan, applied, self.layout.shown(self.layout.ontology / "CHANGELOG.md"))

    # -- suggestions (verlicht suggest) -------------------------------------------------------------------
    def _read_for_suggest(self, sources: Sequence[str | Path], evaluate: bool) -> tuple[Any, list]:
        from verlicht.graph.build import load_inputs
        from verlicht.rock import read_source

        paths = [self._path(s) for s in sources]
        if evaluate and not paths:
            paths = list(self.layout.source_files())
        if not paths:
            raise CodingError("no source given", None, "name a source: verlicht suggest interviews/r01.rock")
        _catalogue, codebook = load_inputs(self.layout)
        return codebook, [read_source(path, self._shown(path)) for path in paths]

    def suggest(self, sources: Sequence[str | Path], uid: str | None = None, min_score: float | None = None,
                show_all: bool = False, learn: bool = True) -> list[dict[str, Any]]:
        """Suggested QNA network codes per utterance of ``sources`` (as `verlicht suggest --format json`);
        ``min_score`` defaults to the suggester's own floor; ``learn`` also uses the words coders linked to
        concepts in the workspace's sources."""
        from verlicht.coding.suggest import DEFAULT_MIN_SCORE, Suggester, suggestion_rows, teaching_sources

        codebook, read = self._read_for_suggest(sources, False)
        suggester = Suggester(codebook)
        taught = teaching_sources(self.layout) if learn else []
        suggester = suggester.learned(taught) if taught else suggester
        floor = DEFAULT_MIN_SCORE if min_score is None else min_score
        rows: list[dict[str, Any]] = []
        for source in read:
            rows.extend(suggestion_rows(source, suggester, uid=uid, min_score=floor, show_all=show_all))
        return rows

    def suggest_evaluate(self, sources: Sequence[str | Path] = (), min_score: float | None = None,
                         learn: bool = True) -> Any:
        """Precision, recall and F1 of the suggestions against the coded network codes of ``sources`` (all
        sources when none), each source scored by what the others taught when ``learn``; ``.rows()`` are
        `verlicht suggest --evaluate --format json`."""
        from verlicht.coding.suggest import DEFAULT_MIN_SCORE, Suggester, teaching_sources
        from verlicht.coding.suggest_eval import evaluate

        codebook, read = self._read_for_suggest(sources, True)
        taught = teaching_sources(self.layout) if learn else []
        return evaluate(read, Suggester(codebook), DEFAULT_MIN_SCORE if min_score is None else min_score,
                        learn_from=taught)


def agreement_of(sources: Sequence[str | Path], coders: Mapping[str, str] | None = None, kinds: str = "both",
                 by_code: bool = False, level: str = "edge") -> Any:
    """Krippendorff's alpha, Cohen's kappa, percent agreement and the disagreements between coders' copies of
    one source (``kinds``: codes, network or both), as `verlicht agreement`; no workspace needed."""
    from verlicht.coding.agreement import agreement_between

    return agreement_between([Path(s) for s in sources], dict(coders or {}), KINDS[kinds], by_code, level)


def merge_copies(sources: Sequence[str | Path], out: str | Path, rule: str = "majority",
                 coders: Mapping[str, str] | None = None, conflicts_csv: str | Path | None = None,
                 comments: bool = True, force: bool = False, layout: Layout | None = None) -> Any:
    """A consensus source from coders' copies by ``rule`` (all, majority, any) and its conflicts, as
    `verlicht merge`; the edge types' polarity comes from the workspace's codebook (``layout``), else the
    built-in types."""
    from verlicht.coding.merge import edge_polarity, merge

    return merge([Path(s) for s in sources], Path(out), rule=rule, coders=dict(coders or {}),
                 conflicts_csv=None if conflicts_csv is None else Path(conflicts_csv), comments=comments,
                 force=force, polarity=edge_polarity(layout))


__all__ = [
    "CodeEdit",
    "CodingMethods",
    "Refactor",
    "agreement_of",
    "coder_or_default",
    "login",
    "merge_copies",
    "suggester_for",
]
