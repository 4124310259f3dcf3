"""The Python API researchers use in notebooks; the commands are thin shells over it.

Every method returns the same rows as the matching command's ``--format json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from verlicht.anonymise.keyfile import key_names
from verlicht.gcpause import gc_paused
from verlicht.graph import queries
from verlicht.graph.build import BuildReport, Progress, build_graph
from verlicht.graph.store import Graph, Provenance, load_graph, with_provenance
from verlicht.workspace import Layout, open_layout

if TYPE_CHECKING:
    import networkx as nx


class Workspace:
    """A workspace on disk; queries read the last built graph (build first)."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self._graph: Graph | None = None
        self._stamp: tuple[int, int] | None = None

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
        report = build_graph(self.layout, strict=strict, progress=progress,
                             allow_unanonymised=allow_unanonymised, key_names=key_names(self.layout))
        self._graph = None
        return report

    @property
    def graph(self) -> Graph:
        """The built graph, loaded once and reloaded when the file changes."""
        file = self.layout.graph_file
        try:
            info = file.stat()
            stamp = (info.st_mtime_ns, info.st_size)
        except FileNotFoundError:
            stamp = None
        if self._graph is None or stamp != self._stamp:
            self._graph = load_graph(file)
            self._stamp = stamp
        return self._graph

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
        return queries.gaps(self.graph, all=all, lang=lang, kind=kind, goal=goal)

    def assumptions(self, group: str | None = None, concept: str | None = None, min_support: int = 1,
                    polarity: str | None = None, coverage: str | None = None,
                    lang: str = "nl") -> list[dict[str, Any]]:
        with gc_paused():
            return queries.assumptions(self.graph, group=group, concept=concept, min_support=min_support,
                                   polarity=polarity, coverage=coverage, lang=lang)

    def evidence(self, claim: str, polarity: str | None = None) -> list[dict[str, Any]]:
        return queries.evidence(self.graph, Provenance(self.layout.graphs), claim, polarity=polarity)

    def paths(self, source: str, target: str, max_length: int = 4) -> list[dict[str, Any]]:
        return queries.paths(self.graph, source, target, max_length=max_length)

    def concepts(self, lang: str = "nl") -> list[dict[str, Any]]:
        return queries.concepts(self.graph, lang=lang)

    def stats(self) -> list[dict[str, Any]]:
        return queries.stats(self.graph)


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
        from verlicht.catalogue import workspace_goal_list

        return workspace_goal_list(self.layout, lang)

    def indicator_suggestions(self, concept: str | None = None, limit: int = 3) -> list[dict[str, Any]]:
        """Indicators that may measure concepts without one: the share of a concept's names found in their text."""
        from verlicht.indicators.similar import workspace_suggestions

        return workspace_suggestions(self.layout, concept, limit)

    def import_observations(self, files: list[str | Path], fmt: str = "auto", dry_run: bool = False) -> Any:
        """Merge observation files (project CSV, CBS CSV, OData v3/v4 JSON) into indicators/observations.csv."""
        from verlicht.indicators.importers import import_observations

        return import_observations(self.layout, [Path(f) for f in files], fmt, dry_run=dry_run)

    # -- coding ------------------------------------------------------------------------------------------
    def codebook_stats(self) -> dict[str, Any]:
        """Uses per code and type, unused codes, codes used but undefined (with every location)."""
        from verlicht.coding.usage import codebook_stats

        return codebook_stats(self.layout)

    def agreement(self, *copies: str | Path, coders: dict[str, str] | None = None) -> Any:
        """Krippendorff's alpha, Cohen's kappa and the disagreements between coders' copies of one source."""
        from verlicht.coding.agreement import agreement_between

        return agreement_between([self.root / c for c in copies], coders)

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
        """Rows of a Cypher query on the workspace's Neo4j (read-only unless ``write``)."""
        from verlicht.interop import neo4j

        return neo4j.query(neo4j.resolve_connection(self.layout, uri, user, database), cypher, params, write)

    # -- REFI-QDA (verlicht/interop/qdpx.py) -----------------------------------------------------------
    def import_qdc(self, file: str | Path, dry_run: bool = False) -> list[dict[str, Any]]:
        """Add the codes of a REFI-QDA codebook (.qdc) missing from ontology/codebook.yaml; a row per code."""
        from verlicht.interop.qdpx import import_qdc

        return import_qdc(self.layout, Path(file), dry_run=dry_run)


def open(path: str | Path | None = None) -> Workspace:
    """Open the workspace at ``path`` (or the nearest one above it, like git)."""
    return Workspace(open_layout(path))
