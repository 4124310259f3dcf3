"""One anonymisation run over many files: read, detect, review, then write everything or nothing.

Order of writing, so that an interruption never leaves a half state: nothing
is written until every input has been read and anonymised in memory and no
output would overwrite coding work; then the key (so pseudonyms in the
outputs are always in it), then the outputs, each atomically, then the audit.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from verlicht.anonymise.caseids import taken_case_ids
from verlicht.anonymise.keystore import KeyStore
from verlicht.anonymise.pipeline import Detector, Settings, default_keep_terms, normalise, read_term_lines
from verlicht.anonymise.to_rock import CaseInfo, Result, anonymise_rock, anonymise_transcript, settings_hash
from verlicht.anonymise.transcript import TRANSCRIPT_SUFFIXES, read_transcript
from verlicht.errors import AnonymiseError, Location, VerlichtWarning
from verlicht.fsio import atomic_write_text

ATTRIBUTE_COLUMNS = ("file", "case_id", "role", "group", "wijk", "date")
GROUPS = ("bewoner", "professional", "bestuurder", "resident", "administrator")


@dataclass
class RunOptions:
    out: Path
    case: CaseInfo = field(default_factory=CaseInfo)
    attributes: dict[str, CaseInfo] = field(default_factory=dict)  # by input file name
    keep: tuple[str, ...] = ()
    force: bool = False
    model: str = "auto"
    # Folders whose sources' case ids are taken (the workspace's interviews/; ``out`` always counts).
    scan: tuple[Path, ...] = ()
    suffixes: tuple[str, ...] = (".rock",)


def read_attributes(path: Path) -> dict[str, CaseInfo]:
    """Respondent attributes per input file: a CSV with ``file,case_id,role,group,wijk,date``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnonymiseError(f"cannot read attributes: {exc}", Location(str(path)), "give a UTF-8 CSV") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ("file", "case_id") if c not in (reader.fieldnames or [])]
    if missing:
        raise AnonymiseError(f"attributes CSV lacks column(s) {', '.join(missing)}", Location(str(path), 1),
                             f"columns: {','.join(ATTRIBUTE_COLUMNS)}")
    found: dict[str, CaseInfo] = {}
    for number, row in enumerate(reader, start=2):
        name = (row.get("file") or "").strip()
        case = (row.get("case_id") or "").strip()
        if not name or not case:
            raise AnonymiseError("row without file or case_id", Location(str(path), number), "fill in both")
        check_case_id(case, Location(str(path), number))
        group = (row.get("group") or "").strip() or None
        if group and group not in GROUPS:
            raise AnonymiseError(f"unknown group '{group}'", Location(str(path), number),
                                 f"use one of {', '.join(GROUPS[:3])}")
        if name in found:
            raise AnonymiseError(f"'{name}' is listed twice", Location(str(path), number), "keep one row per file")
        found[name] = CaseInfo(case, group, (row.get("role") or "").strip() or None,
                               (row.get("wijk") or "").strip() or None, (row.get("date") or "").strip() or None)
    return found


def check_case_id(case: str, where: Location | None = None) -> None:
    import re

    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", case):
        raise AnonymiseError(f"case id '{case}' is not a ROCK identifier", where,
                             "start with a letter; use letters, digits and _ (e.g. R07)")


def workspace_keep_terms(keep_file: Path | None) -> list[str]:
    if keep_file is None or not keep_file.is_file():
        return []
    return read_term_lines(keep_file.read_text(encoding="utf-8-sig"))


def make_detector(key: KeyStore, keep: Iterable[str], model: str = "auto") -> Detector:
    """The pipeline with this workspace's keep-list and the review decisions remembered in the key."""
    decisions = key.data["decisions"]
    settings = Settings(
        keep=tuple(sorted(set(default_keep_terms()) | set(keep) | set(decisions["keep"]))),
        remove=tuple(key.data["remove"]),
        reject=frozenset(normalise(t) for t in decisions["reject"]),
        missed=tuple((m["text"], m["label"]) for m in decisions["missed"]),
    )
    return Detector(settings, model=model)


def anonymise_one(path: Path, detector: Detector, key: KeyStore, options: RunOptions,
                  taken: dict[str, list[Path]] | None = None) -> Result:
    settings = settings_hash(detector)
    info = options.attributes.get(path.name, options.case)
    if options.attributes and path.name in options.attributes:
        # Options given on the command line fill what the CSV leaves open.
        base = options.case
        info = CaseInfo(info.case_id or base.case_id, info.group or base.group, info.role or base.role,
                        info.wijk or base.wijk, info.date or base.date, base.interviewer, base.remove)
    if path.suffix.lower() == ".rock":
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise AnonymiseError(f"cannot read: {exc.strerror or exc}", Location(str(path)), "check the path") from None
        return anonymise_rock(str(path), data, detector, key, settings, info.remove)
    if path.suffix.lower() not in TRANSCRIPT_SUFFIXES:
        raise AnonymiseError(f"cannot anonymise '{path.suffix}' files", Location(str(path)),
                             f"give {', '.join(TRANSCRIPT_SUFFIXES)} or .rock files")
    return anonymise_transcript(read_transcript(path), detector, key, info, settings, taken)


def plan_outputs(results: list[Result], inputs: list[Path], options: RunOptions) -> list[tuple[Path, Result]]:
    """Where each result goes; refuses to overwrite an input, another output, or a coded source."""
    planned: list[tuple[Path, Result]] = []
    seen: dict[Path, str] = {}
    resolved_inputs = {p.resolve() for p in inputs}
    for result in results:
        target = options.out / result.output_name
        where = Location(result.source)
        if target.resolve() in resolved_inputs:
            raise AnonymiseError(f"output {target} would overwrite its input", where,
                                 "write to another folder with --out; raw files are never changed")
        if target in seen:
            raise AnonymiseError(f"{seen[target]} and {result.source} both become {target}", where,
                                 "give each transcript its own case id (--attributes CSV)")
        seen[target] = result.source
        if target.exists() and not options.force:
            current = target.read_bytes()
            if current != result.text.encode("utf-8"):
                raise AnonymiseError(
                    f"{target} exists and differs (coded or anonymised with other settings)", where,
                    "nothing was written; move it away, or pass --force to replace it",
                )
        planned.append((target, result))
    return planned


def run(inputs: list[Path], key: KeyStore, options: RunOptions, keep_terms: Iterable[str] = (),
        review: Callable[[list[Result], Detector], bool] | None = None,
        progress: Callable[[Path], None] | None = None) -> tuple[list[tuple[Path, Result]], Detector]:
    """Anonymise ``inputs`` into ``options.out``; returns what was written where."""
    detector = make_detector(key, list(keep_terms) + list(options.keep), options.model)
    key_before = _snapshot(key)
    in_use = taken_case_ids((*options.scan, options.out), key, options.suffixes)
    results = []
    taken = _taken(in_use, options)
    for path in inputs:
        results.append(anonymise_one(path, detector, key, options, taken))
        if progress:
            progress(path)
    if review is not None and review(results, detector):
        # The reviewer changed decisions: start again from the key as it was, with the decisions applied.
        _restore(key, key_before)
        detector = make_detector(key, list(keep_terms) + list(options.keep), options.model)
        taken = _taken(in_use, options)
        results = [anonymise_one(path, detector, key, options, taken) for path in inputs]
    planned = plan_outputs(results, inputs, options)
    _warn_shared_case_ids(planned, in_use, options)
    key.save()
    for target, result in planned:
        atomic_write_text(target, result.text)
    return planned, detector


def _taken(in_use: dict[str, list[Path]], options: RunOptions) -> dict[str, list[Path]]:
    """The ids a new case may not get: those in use, and those given for this run's transcripts."""
    taken = {case: list(files) for case, files in in_use.items()}
    for info in (options.case, *options.attributes.values()):
        if info.case_id:
            taken.setdefault(info.case_id.casefold(), [])
    return taken


def _warn_shared_case_ids(planned: list[tuple[Path, Result]], in_use: dict[str, list[Path]],
                          options: RunOptions) -> None:
    """A case id given by hand (``--case-id``, the attributes CSV) that another source already uses makes
    the two one respondent: right for a second interview with one person, wrong otherwise; say so."""
    for target, result in planned:
        others = [f for f in in_use.get(result.case_id.casefold(), []) if f.resolve() != target.resolve()]
        if others and not result.source.lower().endswith(".rock"):
            result.warnings.append(VerlichtWarning(
                f"case id '{result.case_id}' is also used in {others[0]}: the build counts both as one "
                "respondent", Location(result.source),
                "right for a second interview with the same person; otherwise give another --case-id",
            ))


def _snapshot(key: KeyStore) -> str:
    import json

    return json.dumps({k: v for k, v in key.data.items() if k != "decisions"})


def _restore(key: KeyStore, snapshot: str) -> None:
    import json

    decisions = key.data["decisions"]
    data = json.loads(snapshot)
    data["decisions"] = decisions
    key.__init__(key.path, key._passphrase, data, key._salt)


def audit_stem() -> str:
    return datetime.now().strftime("audit-%Y%m%d-%H%M%S")
