"""The Python API researchers use in notebooks; the commands are thin shells over it.

Every method returns the same rows as the matching command's ``--format json``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verlicht.coding.service import CodingMethods
from verlicht.gcpause import gc_paused
from verlicht.graph import queries
from verlicht.graph.facts import Facts, facts_of
from verlicht.graph.freshness import ensure_fresh
from verlicht.graph.queryindex import INDEX_FILE, read_index
from verlicht.graph.store import Graph, Provenance, load_graph, with_provenance
from verlicht.indicators.service import IndicatorMethods
from verlicht.interop.service import InteropMethods
from verlicht.workspace import Layout, open_layout

if TYPE_CHECKING:
    import networkx as nx

    from verlicht.graph.build import BuildReport, Progress


class Workspace(CodingMethods, IndicatorMethods, InteropMethods):
    """A workspace on disk. Queries answer from the files as they are: when an input changed since the last
    build (or there is none), the incremental build runs first, saying so in one line on stderr
    (``auto_build=False`` answers from the last built graph as it is; ``notify`` takes the line instead)."""

    def __init__(self, layout: Layout, auto_build: bool = True, notify: Callable[[str], None] | None = None):
        self.layout = layout
        self.auto_build = auto_build
        self.notify = notify or _to_stderr
        self._graph: Graph | None = None
        self._stamp: tuple[int, int] | None = None
        self._facts: Facts | None = None
        self._facts_stamp: tuple[int, int] | None = None

    @property
    def root(self) -> Path:
        return self.layout.root

    @property
    def name(self) -> str:
        return self.layout.config.name

    def __repr__(self) -> str:
        return f"<verlicht.Workspace {self.name!r} at {self.root}>"

    # -- building --------------------------------------------------------------------------------
    def build(self, strict: bool | None = None, progress: Progress | None = None,
              allow_unanonymised: bool | None = None) -> BuildReport:
        """Build the graph from the sources (re-parsing only changed ones).

        The privacy guard runs first: sources need the anonymisation marker (unless ``allow_unanonymised``
        or ``require_marker = false`` in verlicht.toml) and may hold no phone numbers, e-mail addresses,
        postcodes, IBANs, BSNs or, when ``VERLICHT_KEY_PASSPHRASE`` opens the key, names from the key.
        """
        # Imported here: a query whose graph is up to date never needs the build, nor does a build with nothing
        # changed (answered from the stamps by verlicht.graph.uptodate).
        from verlicht.anonymise.keyfile import key_names, key_scan_skipped
        from verlicht.graph.uptodate import signature, unchanged_report

        names = key_names(self.layout)
        report = unchanged_report(self.layout, signature(self.layout, strict, allow_unanonymised, names))
        if report is None:
            from verlicht.graph.build import build_graph

            report = build_graph(self.layout, strict=strict, progress=progress,
                                 allow_unanonymised=allow_unanonymised, key_names=names, reuse=False)
        self._graph = self._facts = None
        skipped = key_scan_skipped(self.layout)
        if skipped:
            report.notes.append(skipped)
        return report

    def refresh(self) -> BuildReport | None:
        """Build first when an input changed since the last build (see :mod:`verlicht.graph.freshness`);
        the build's report, or None when the graph was up to date. Every query goes through here."""
        if not self.auto_build:
            return None
        return ensure_fresh(self.layout, self.build, self.notify)

    @property
    def graph(self) -> Graph:
        """The built graph, up to date with the files (see :meth:`refresh`), loaded once and reloaded when
        the file changes."""
        self.refresh()
        file = self.layout.graph_file
        stamp = _file_stamp(file)
        if self._graph is None or stamp != self._stamp:
            self._graph = load_graph(file)
            self._stamp = stamp
        return self._graph

    @property
    def facts(self) -> Facts:
        """What the queries read of the built graph (up to date with the files, as :attr:`graph`): from the
        query index the build keeps beside it when that index belongs to the graph file as it is, else from
        the graph file itself (see :mod:`verlicht.graph.queryindex`)."""
        self.refresh()
        file = self.layout.graph_file
        stamp = _file_stamp(file)
        if self._graph is not None and stamp == self._stamp:
            return facts_of(self._graph)  # loaded already: its own facts
        if self._facts is None or stamp != self._facts_stamp:
            self._facts = read_index(file, self.layout.graphs / INDEX_FILE) or facts_of(self.graph)
            self._facts_stamp = stamp
        return self._facts

    def to_networkx(self, provenance: bool = False) -> nx.DiGraph:
        """A copy of the graph; with ``provenance=True`` also Utterance nodes and EVIDENCED_BY edges."""
        if provenance:
            return with_provenance(self.graph, self.layout.graphs)
        return self.graph.to_networkx()

    # -- queries ---------------------------------------------------------------------------------
    def gaps(self, all: bool = False, lang: str = "nl", kind: str = "all",
             goal: int | None = None) -> list[dict[str, Any]]:
        """Assumptions, then intervention steps and mechanisms, lacking indicators (``kind`` picks one);
        ``goal`` keeps what reaches that programme goal. Each row says its ``kind``."""
        facts = self.facts
        with gc_paused():  # tens of thousands of rows: no cycles to find
            return queries.gaps(facts, all=all, lang=lang, kind=kind, goal=goal)

    def assumptions(self, group: str | None = None, concept: str | None = None, min_support: int = 1,
                    polarity: str | None = None, coverage: str | None = None,
                    lang: str = "nl") -> list[dict[str, Any]]:
        facts = self.facts
        with gc_paused():
            return queries.assumptions(facts, group=group, concept=concept, min_support=min_support,
                                   polarity=polarity, coverage=coverage, lang=lang)

    def evidence(self, claim: str, polarity: str | None = None, literature: bool = True) -> list[dict[str, Any]]:
        """The interview quotes behind a claim (each row's ``memos`` lists the memos on its utterance), then
        (``literature``) the review findings on it, side by side."""
        from verlicht.coding.memos import memos_by_uid
        from verlicht.errors import QueryError
        from verlicht.reviews.queries import literature_rows

        found = []
        if literature:
            found = [r for r in literature_rows(self.graph, *queries.parse_claim(claim))
                     if polarity is None or r["polarity"] == polarity]
        try:
            rows = queries.evidence(self.graph, Provenance(self.layout.graphs), claim, polarity=polarity)
        except QueryError:
            if not found:
                raise
            rows = []
        memos = memos_by_uid(self.layout)
        rows = [{**row, "memos": memos.get((row["source"], row["uid"]), [])} for row in rows]
        return rows + found

    def paths(self, source: str, target: str, max_length: int = 4, limit: int | None = 1000) -> list[dict[str, Any]]:
        """Causal chains from ``source`` to ``target``, shortest and strongest first; at most ``limit`` of them
        (``None``: all, which in a dense graph can be millions), with a line through ``notify`` when more exist."""
        facts = self.facts
        with gc_paused():
            rows = queries.paths(facts, source, target, max_length=max_length, limit=limit)
        if limit is not None and len(rows) > limit:
            self.notify(f"the first {limit} chains are shown, and there are more — raise --limit (0: all) "
                        f"or lower --max-length")
            del rows[limit:]
        return rows

    def concepts(self, lang: str = "nl") -> list[dict[str, Any]]:
        facts = self.facts
        with gc_paused():
            return queries.concepts(facts, lang=lang)

    def stats(self) -> list[dict[str, Any]]:
        facts = self.facts
        with gc_paused():
            return queries.stats(facts)


    def key_audit(self, prune: bool = False, older_than: float | None = None, key: str | Path | None = None,
                  audit_dir: str | Path | None = None) -> list[dict[str, Any]]:
        """The anonymiser's audit reports next to this workspace's key (as `verlicht key audit`); ``prune``
        removes them (only those older than ``older_than`` days, when given)."""
        return key_audit_reports(self.layout, key, audit_dir, prune, older_than)

    # -- indicators and goals (read the workspace files; no build needed) -------------------------------
    def indicator_status(self, area: str = "heerlen_noord", goal: int | None = None,
                         theme: str | None = None) -> list[dict[str, Any]]:
        """Per indicator: baseline, latest value, trend, gap to the reference and its standing."""
        from verlicht.indicators.status import workspace_status

        return workspace_status(self.layout, area, goal, theme)

    def goal_status(self, area: str = "heerlen_noord", lang: str = "nl") -> list[dict[str, Any]]:
        """The indicator standings rolled up per theme and goal."""
        from verlicht.indicators.status import workspace_goal_status

        return workspace_goal_status(self.layout, area, lang)

    def goals(self, lang: str = "nl") -> list[dict[str, Any]]:
        """The mission, then per theme its goals (as `verlicht goals list`)."""
        from verlicht.programme import workspace_goal_list

        return workspace_goal_list(self.layout, lang)

    def indicator_suggestions(self, concept: str | None = None, limit: int = 3,
                              min_score: float | None = None) -> list[dict[str, Any]]:
        """Indicators that may measure concepts without one: the share of a concept's names found in their text."""
        from verlicht.indicators.similar import MIN_SCORE as floor
        from verlicht.indicators.similar import workspace_suggestions

        return workspace_suggestions(self.layout, concept, limit, floor if min_score is None else min_score)

    def import_observations(self, files: list[str | Path], fmt: str = "auto", dry_run: bool = False,
                            mapping: str | Path | None = None, replace: bool = False) -> Any:
        """Merge observation files (project CSV, CBS CSV, OData v3/v4 JSON) into indicators/observations.csv."""
        from verlicht.indicators.importers import import_observations

        return import_observations(self.layout, [Path(f) for f in files], fmt,
                                   None if mapping is None else Path(mapping), dry_run=dry_run, replace=replace)

    # -- the dashboard report ---------------------------------------------------------------------------------
    def report(self, out: str | Path | None = None, lang: str = "nl",
               area: str = "heerlen_noord") -> list[dict[str, Any]]:
        """Write the dashboard (pages for bestuurders, professionals, bewoners, the gap list) from the last
        build to ``out`` (default ``graphs/report/``); one row per page, as `verlicht report --format json`."""
        from verlicht.viz.report import write_report

        return write_report(self, Path(out) if out is not None else None, lang, area)

    # -- pictures ----------------------------------------------------------------------------------------
    def viz(self, focus: str | None = None, depth: int = 2, theme: str | None = None, group: str | None = None,
            goal: int | None = None, gaps: bool = False, actors: bool = False, intervention: str | None = None,
            lang: str = "nl", max_quotes: int = 10, out: str | Path | None = None) -> Any:
        """The graph page of a view (as `verlicht viz`); shows inline in Jupyter, ``out`` also writes it.

        Its ``summary`` is the row of `verlicht viz --format json`; ``html`` is the page itself.
        """
        from verlicht.viz.graphpage import render_page
        from verlicht.viz.views import ViewSpec

        spec = ViewSpec(focus=focus, depth=depth, theme=theme, group=group, goal=goal, gaps=gaps, actors=actors,
                        intervention=intervention)
        page = render_page(self.graph, Provenance(self.layout.graphs), spec, lang=lang, max_quotes=max_quotes,
                           workspace=self.name)
        return page.write(Path(out)) if out is not None else page

    # -- coding ------------------------------------------------------------------------------------------
    def codebook_stats(self) -> dict[str, Any]:
        """Uses per code and type, unused codes, codes used but undefined (with every location)."""
        from verlicht.coding.usage import codebook_stats

        return codebook_stats(self.layout)

    def agreement(self, *copies: str | Path, coders: dict[str, str] | None = None, level: str = "edge") -> Any:
        """Krippendorff's alpha, Cohen's kappa and the disagreements between coders' copies of one source
        (``level="pair"``: edges compared as cause->effect, type and sign aside)."""
        from verlicht.coding.agreement import agreement_between

        return agreement_between([self.root / c for c in copies], coders, level=level, shown=self.layout.shown)

    # -- adjudication and memos (verlicht code adjudicate, verlicht memo) ----------------------------
    def adjudicate(self, a: str | Path, b: str | Path, out: str | Path | None = None, take: str | None = None,
                   decide: tuple[str, ...] | list[str] = (), force: bool = False, list_only: bool = False,
                   by: str | None = None) -> Any:
        """Two coders' copies with their differences and decisions (``.rows()``), written as a consensus source
        and a decisions log; resumes from the log. ``decide`` takes ``UID=a|b|both|neither|edit:CODE;CODE``,
        ``take`` decides every utterance still open; ``list_only`` writes nothing. ``by``: the adjudicator in the
        log (default: $VERLICHT_CODER, git's user.name, the login)."""
        from verlicht.coding.adjudicate import adjudicate
        from verlicht.coding.refactor import coder_name
        from verlicht.coding.usage import load_codebook_of

        book = load_codebook_of(self.layout)
        return adjudicate(self.root / a, self.root / b, None if out is None else self.root / out, take=take,
                          decide=decide, force=force, list_only=list_only, shown=self.layout.shown, codebook=book,
                          by=by or coder_name(self.root),
                          polarity={name: kind.polarity for name, kind in book.edge_types.items()})

    def memos(self, source: str | Path | None = None, uid: str | None = None,
              concept: str | None = None) -> list[dict[str, Any]]:
        """Memos on utterances, sources and concepts (as `verlicht memo list`), optionally filtered."""
        from verlicht.coding.memos import list_memos

        return list_memos(self.layout, None if source is None else self.root / source, uid, concept)

    def add_memo(self, text: str, author: str, source: str | Path | None = None, uid: str | None = None,
                 concept: str | None = None, date: str | None = None) -> dict[str, Any]:
        """Add a memo on an utterance (uid), a source or a concept; refused if the privacy scan finds personal data."""
        from verlicht.anonymise.keyfile import key_names
        from verlicht.coding.memos import add_memo

        return add_memo(self.layout, text, author, None if source is None else self.root / source, uid, concept,
                        date, key_names=key_names(self.layout))

    def remove_memo(self, memo_id: str) -> dict[str, Any]:
        """Remove a memo by its id (or a unique prefix); the row it was."""
        from verlicht.coding.memos import remove_memo

        return remove_memo(self.layout, memo_id)

    # -- living reviews (reviews/SLUG/; files are the truth, the build adds them to the graph) -------------
    def reviews(self) -> list[dict[str, Any]]:
        """The reviews in the built graph: question, rounds, records, included studies, findings, due date."""
        from verlicht.reviews.queries import reviews

        return reviews(self.graph)

    def findings(self, review: str | None = None, claim: str | None = None,
                 concept: str | None = None) -> list[dict[str, Any]]:
        """Findings in the built graph, of one review, on one claim ``cause->effect`` or touching a concept."""
        from verlicht.reviews.queries import findings

        pair = queries.parse_claim(claim) if claim else None
        return findings(self.graph, review=review, claim=pair, concept=concept)

    def literature_gaps(self, all: bool = False) -> list[dict[str, Any]]:
        """Held assumptions without any finding, or contradicted by the literature (``all``: every one)."""
        from verlicht.reviews.queries import literature_gaps

        return literature_gaps(self.graph, all=all)

    def review(self, slug: str) -> Any:
        """The files of one review (:class:`verlicht.reviews.folder.ReviewFolder`), for the actions below."""
        from verlicht.reviews.folder import ReviewFolder

        return ReviewFolder(self.layout, slug).require()

    def review_new(self, slug: str, question: str = "", kind: str = "effect") -> dict[str, Any]:
        from verlicht.reviews.rounds import new_review

        return new_review(self.layout, slug, question, kind)

    def review_import(self, slug: str, files: list[str | Path], database: str | None = None,
                      date: str | None = None, fmt: str = "auto", dry_run: bool = False) -> list[dict[str, Any]]:
        """Add a dated search round from export files: found, duplicates (within, earlier rounds), new per file."""
        from verlicht.reviews.rounds import import_round

        return import_round(self.layout, slug, [Path(f) for f in files], database, date, fmt, dry_run).rows()

    def review_records(self, slug: str, round: int | None = None, status: str | None = None) -> list[dict[str, Any]]:
        """The kept records of a review with their screening state (``status``: unscreened, include, exclude,
        maybe, conflict, included)."""
        from verlicht.reviews.listing import record_rows

        return record_rows(self.review(slug), round, status)

    def review_decide(self, slug: str, record: str, decision: str, reason: str | None = None,
                      screener: str = "", stage: str = "title-abstract") -> dict[str, Any]:
        from verlicht.reviews.screening import decide

        return decide(self.review(slug), record, decision, reason, screener, stage)

    def review_screen(self, slug: str, screener: str, stage: str = "title-abstract", all_rounds: bool = False,
                      interactive: bool | None = None) -> dict[str, int]:
        """Screen interactively (prompt_toolkit) or from piped lines; every decision is saved at once."""
        from verlicht.reviews.tui import run

        return run(self.review(slug), screener, stage, all_rounds, interactive)

    def review_queue(self, slug: str, screener: str, stage: str = "title-abstract",
                     all_rounds: bool = False) -> list[dict[str, Any]]:
        """The records the screener has still to screen, in the order they would be offered (with relevance)."""
        from verlicht.reviews.listing import queue_rows

        return queue_rows(self.review(slug), screener, stage, all_rounds)

    def review_conflicts(self, slug: str, stage: str = "title-abstract") -> dict[str, Any]:
        """Two-screener agreement: Cohen's kappa and the records they differ on."""
        from verlicht.reviews.screening import agreement, conflicts

        review = self.review(slug)
        return {**agreement(review, stage), "conflicts": conflicts(review, stage)}

    def review_prisma(self, slug: str) -> list[dict[str, Any]]:
        """PRISMA 2020 counts: a row per box, a column per round and the total."""
        from verlicht.reviews.prisma import prisma_rows

        return prisma_rows(self.review(slug))

    def review_prisma_svg(self, slug: str, round: int | None = None, out: str | Path | None = None) -> str:
        """The PRISMA 2020 flow diagram as SVG text (of one ``round``, else all); ``out`` also writes it atomically."""
        from verlicht.fsio import atomic_write_text
        from verlicht.reviews.prisma import prisma_svg

        svg = prisma_svg(self.review(slug), round)
        if out is not None:
            atomic_write_text(Path(out), svg)
        return svg

    def review_status(self, slug: str | None = None) -> list[dict[str, Any]]:
        """Last search, next due date (overdue flagged), unscreened records, included studies, findings per target."""
        from verlicht.reviews.status import review_status

        return review_status(self.layout, slug)

    def review_findings(self, slug: str) -> list[dict[str, Any]]:
        """The review's findings file, checked against the codebook and the screening (path:line errors)."""
        from verlicht.reviews.listing import finding_rows

        return finding_rows(self.layout, self.review(slug))

    def review_export_asreview(self, slug: str, out: str | Path, all_rounds: bool = False,
                               prior: bool = False) -> dict[str, Any]:
        from verlicht.reviews.asreview import export_asreview

        return export_asreview(self.review(slug), Path(out), all_rounds, prior)

    def review_import_asreview(self, slug: str, file: str | Path, screener: str, exclude_reason: str,
                               dry_run: bool = False) -> list[dict[str, Any]]:
        from verlicht.reviews.asreview import import_asreview

        return import_asreview(self.review(slug), Path(file), screener, exclude_reason, dry_run)

    # -- linked data and exchange formats (verlicht.interop) ----------------------------------------------
    def export(self, fmt: str, out: str | Path | Any = None) -> Any:
        """The graph in format ``fmt`` (``verlicht export --format`` lists them): returned as text (bytes for
        binary formats) when ``out`` is None, written to a stream, or written atomically to a path (then
        ``{"format", "path", "bytes"}``)."""
        from verlicht.interop.registry import export

        return export(self, fmt, out)

    def validate(self, file: str | Path | None = None) -> dict[str, Any]:
        """SHACL-validate the linked-data export (or an RDF ``file``) against ``ontology/shapes.ttl``:
        ``{"conforms", "triples", "shapes", "violations"}``, each violation with the node's file and line."""
        from verlicht.interop.validate import validate

        return validate(self, file)

    def sparql(self, query: str, engine: str = "auto") -> list[dict[str, Any]]:
        """Rows of a SPARQL query (text, a .rq file, or a canned name: gaps, evidence, paths, holders) over
        the linked-data export; ``engine`` rdflib, oxigraph or auto (oxigraph on large graphs)."""
        from verlicht.interop.sparql import run_query

        return run_query(self, query, engine=engine)

    # -- Neo4j (verlicht/interop/neo4j*.py) ------------------------------------------------------------
    def neo4j_build_id(self) -> str:
        """The content hash of the last build, stamped on every node and relationship a push writes."""
        from verlicht.interop.neo4j_plan import build_id

        graphs = self.layout.graphs
        return build_id(self.layout.graph_file, graphs / "evidence.json", (graphs / "provenance").glob("*.json"))

    def neo4j_plan(self, batch_size: int = 5000) -> Any:
        """The statements a push runs (a :class:`verlicht.interop.neo4j_plan.PushPlan`), without a server."""
        from verlicht.interop.neo4j_plan import plan_push

        return plan_push(self.graph, Provenance(self.layout.graphs), self.neo4j_build_id(), self.name, batch_size)

    def neo4j_push(self, uri: str | None = None, user: str | None = None, database: str | None = None,
                   batch_size: int = 5000, dry_run: bool = False, progress: Any = None) -> list[dict[str, Any]]:
        """Mirror the last build into Neo4j (password from VERLICHT_NEO4J_PASSWORD): one summary row;
        with ``dry_run`` the plan's statement groups instead, and no server is needed."""
        from verlicht.interop import neo4j

        plan = self.neo4j_plan(batch_size)
        if dry_run:
            return plan.summary()
        conn = neo4j.resolve_connection(self.layout, uri, user, database)
        return [neo4j.push(plan, conn, progress)]

    def neo4j_query(self, cypher: str, params: dict[str, Any] | None = None, uri: str | None = None,
                    user: str | None = None, database: str | None = None, write: bool = False) -> list[dict[str, Any]]:
        """Rows of a Cypher query (text, a .cypher file, or a canned name: gaps, coverage, evidence, paths,
        findings) on the workspace's Neo4j (read-only unless ``write``)."""
        from verlicht.interop import neo4j
        from verlicht.interop.cypher_queries import cypher_text

        text = cypher_text(self.layout, cypher)
        return neo4j.query(neo4j.resolve_connection(self.layout, uri, user, database), text, params, write)

    def cypher_queries(self) -> dict[str, Path]:
        """The canned Cypher queries by name (VERLICHT's, overridden by the workspace's ontology/cypher)."""
        from verlicht.interop.cypher_queries import canned_cypher

        return canned_cypher(self.layout)

    # -- REFI-QDA (verlicht/interop/qdpx.py) -----------------------------------------------------------
    def import_qdc(self, file: str | Path, dry_run: bool = False) -> list[dict[str, Any]]:
        """Add the codes of a REFI-QDA codebook (.qdc) missing from ontology/codebook.yaml; a row per code."""
        from verlicht.interop.qdpx import import_qdc

        return import_qdc(self.layout, Path(file), dry_run=dry_run)


def _file_stamp(file: Path) -> tuple[int, int] | None:
    """(mtime_ns, size) of ``file``, None when it is not there: what tells a loaded graph is still the file's."""
    try:
        info = file.stat()
    except FileNotFoundError:
        return None
    return info.st_mtime_ns, info.st_size


def _to_stderr(line: str) -> None:
    print(f"verlicht: {line}", file=sys.stderr, flush=True)


def key_audit_reports(layout: Layout | None, key: str | Path | None = None, audit_dir: str | Path | None = None,
                      prune: bool = False, older_than: float | None = None) -> list[dict[str, Any]]:
    """The audit reports next to the key (as `verlicht key audit`); ``prune`` removes them (those older than
    ``older_than`` days). Works without a workspace: the key's place then comes from ``key`` or the default."""
    from verlicht.anonymise.audit import audit_reports
    from verlicht.anonymise.keyfile import resolve

    key_file = resolve(Path(key) if key is not None else None, layout)
    folder = Path(audit_dir).expanduser() if audit_dir is not None else key_file.parent / "audit"
    return audit_reports(folder, prune=prune, older_than=older_than)


def open(path: str | Path | None = None, auto_build: bool = True) -> Workspace:
    """Open the workspace at ``path`` (or the nearest one above it, like git); ``auto_build=False`` makes
    queries answer from the last built graph even when the files changed since."""
    return Workspace(open_layout(path), auto_build=auto_build)


# -- the capabilities that need no workspace, and what the commands share ------------------------------------
# The commands in verlicht/cli/ import nothing from verlicht but this module (and verlicht.errors); what they
# need is here: the facade functions, the UIs they pass in, and their column lists (tests/cli/test_thin_commands.py).
from verlicht.anonymise.service import (  # noqa: E402,F401
    ANONYMISE_COLUMNS,
    FORGET_COLUMNS,
    KEY_COLUMNS,
    AnonymiseRun,
    anonymise,
    key_entries,
    key_forget,
    key_rotate,
    layout_near,
    terminal_reviewer,
)
from verlicht.codebook import CONCEPT_TYPES  # noqa: E402,F401
from verlicht.coding.service import (  # noqa: E402,F401
    CODE_LIST_COLUMNS,
    CONCEPT_COLUMNS,
    CodeEdit,
    Refactor,
    agreement_of,
    login,
    merge_copies,
)
from verlicht.indicators.service import (  # noqa: E402,F401
    AREA_COLUMNS,
    DEFAULT_LIMIT,
    GOAL_COLUMNS,
    GOAL_CSV_COLUMNS,
    GOAL_LIST_COLUMNS,
    IMPORT_COLUMNS,
    IMPORT_FORMATS,
    MIN_SCORE,
    skipped_summary,
    status_table,
    table_title,
)
from verlicht.interop.service import (  # noqa: E402,F401
    export_format_names,
    export_formats,
    exporter,
    guess_export_format,
)
from verlicht.reviews.importers import FORMATS as REVIEW_FORMATS  # noqa: E402,F401
from verlicht.reviews.listing import STATUSES as REVIEW_STATUSES  # noqa: E402,F401
from verlicht.reviews.protocol import REVIEW_TYPES  # noqa: E402,F401
from verlicht.reviews.screening import CONSENSUS  # noqa: E402,F401
from verlicht.reviews.screening import STAGES as REVIEW_STAGES  # noqa: E402,F401


def init(directory: str | Path, name: str | None = None) -> Path:
    """Create an empty workspace in ``directory`` (verlicht.toml, folders, a starter codebook); its folder."""
    from verlicht.workspace import init_workspace

    return init_workspace(Path(directory), name)


def parse(files: list[str | Path], on_warning: Callable[[Any], None] | None = None) -> list[dict[str, Any]]:
    """The utterances of ROCK ``files`` with their codes, one row each (as `verlicht parse --format json`),
    without a workspace; a file's warnings go to ``on_warning`` as it is read (dropped without one)."""
    from verlicht.rock import network_code, read_source

    rows = []
    for file in files:
        source = read_source(Path(file), str(file))
        if on_warning is not None:
            for warning in source.warnings:
                on_warning(warning)
        for u in source.utterances:
            rows.append({
                "source": str(file), "line": u.line, "uid": u.uid, "cid": u.case_id, "coder": u.coder_id,
                "nesting": u.nesting, "text": u.text,
                "codes": [c.id for c in u.codes],
                "values": {v.code: v.value for v in u.values},
                "network": [network_code(n.source, n.target, n.type, n.weight) for n in u.network],
                "ids": dict(u.ids),
            })
    return rows


def open_near(source: str | Path | None, workspace: str | Path | None = None, fallback: bool = True) -> Workspace:
    """The workspace a command on ``source`` works in: ``workspace`` when given, else the one around the
    source, else (``fallback``) the one around the current folder."""
    from verlicht.errors import WorkspaceError

    if workspace is not None or source is None:
        return Workspace(open_layout(None if workspace is None else Path(workspace)))
    try:
        return Workspace(open_layout(Path(source).resolve().parent))
    except WorkspaceError:
        if not fallback:
            raise
        return Workspace(open_layout(None))


def coder_tui(session: Any, ask_claim: bool = False) -> None:
    """The interactive coder (prompt_toolkit) on a :meth:`Workspace.code_session`; the UI `verlicht code` passes."""
    from verlicht.coding.tui import run

    run(session, ask_claim=ask_claim)


def adjudicator_tui(adjudication: Any, interactive: bool | None = None) -> None:
    """The adjudicator's loop on a :meth:`Workspace.adjudicate` result (a terminal, or commands piped in)."""
    from verlicht.coding.adjudicate_tui import run

    run(adjudication, interactive=interactive)
