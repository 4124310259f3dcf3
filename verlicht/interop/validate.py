"""SHACL validation of the linked-data export with pyshacl, each violation traced to the file it came from.

``verlicht validate`` checks the workspace's export (or a Turtle/N-Triples/JSON-LD file) against the shapes
of ``ontology/shapes.ttl`` (the shapes generated from schema.py when the workspace has none). A violation
names the node, the property, what is wrong, the value, and where the node comes from: the source file and
line of an utterance, of an assumption's first quote, of a logic model's step or mechanism, the codebook line
of a concept, the catalogue or observation file of an indicator.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from verlicht.errors import ExportError, Location
from verlicht.graph.store import Provenance
from verlicht.interop.ontology import shapes_graph
from verlicht.interop.rdf import Vocabulary, record_triples, to_rdflib, workspace_vocabulary
from verlicht.interop.records import Records, export_records

if TYPE_CHECKING:
    import rdflib

    from verlicht.api import Workspace

SHAPES_FILE = "shapes.ttl"
RDF_SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml",
                ".owl": "xml", ".n3": "n3"}


def load_shapes(ws: Workspace, vocab: Vocabulary) -> rdflib.Graph:
    """The workspace's ``ontology/shapes.ttl``, or the shapes generated from the schema."""
    import rdflib

    file = ws.layout.ontology / SHAPES_FILE
    if not file.exists():
        return shapes_graph(vocab)
    try:
        return rdflib.Graph().parse(file, format="turtle")
    except Exception as exc:  # rdflib raises several parser exception types
        raise ExportError(f"the SHACL shapes cannot be read: {exc}", Location(ws.layout.shown(file)),
                          "write them again with 'verlicht export --format shapes -o ontology/shapes.ttl'") from None


def read_rdf(path: Path) -> rdflib.Graph:
    import rdflib

    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ExportError(f"cannot tell the RDF format of {path}", Location(str(path)),
                          f"name it with one of: {', '.join(sorted(RDF_SUFFIXES))}")
    try:
        return rdflib.Graph().parse(path, format=fmt)
    except FileNotFoundError:
        raise ExportError(f"no file {path}", None, "export one with 'verlicht export --format ttl -o FILE'") from None
    except Exception as exc:
        raise ExportError(f"not readable as {fmt}: {_one_line(exc)}", Location(str(path), _bad_line(exc)),
                          "check the file") from None


def _bad_line(exc: Exception) -> int | None:
    """The 1-based line of a Turtle/N-Triples syntax error (rdflib's BadSyntax counts newlines before it)."""
    lines = getattr(exc, "lines", None)
    return lines + 1 if isinstance(lines, int) else None


def _one_line(exc: Exception) -> str:
    """rdflib's parse errors span lines and quote the buffer: the reason alone, on one line, not too long."""
    why = getattr(exc, "_why", None) or str(exc) or type(exc).__name__
    text = " ".join(str(why).split())
    return text if len(text) <= 160 else text[:157] + "..."


# From this many triples (read by the shapes) validation runs in worker processes, one group of shapes each.
SPLIT_FROM = 200_000
WORKERS = 2
# One SHACL result: focus node, path, value, message, severity (RDFLib terms, None where absent).
Result = tuple[Any, Any, Any, Any, Any]


def validate(ws: Workspace, file: str | Path | None = None, workers: int | None = None,
             split_from: int = SPLIT_FROM) -> dict[str, Any]:
    """Validate the export (or ``file``); ``{"conforms", "triples", "shapes", "violations": [rows]}``.

    The export is checked in ``workers`` processes (default: :data:`WORKERS`, at most the CPUs this process
    may use) when it holds ``split_from`` triples or more and the shapes allow it (see :func:`split_shapes`);
    the report is the same as in one process, only sooner.
    """
    vocab = workspace_vocabulary(ws)
    records: Records | None = None
    shapes = load_shapes(ws, vocab)
    checked = targeted(shapes)
    if file is None:
        records = export_records(ws.graph, Provenance(ws.layout.graphs))
        keep = read_predicates(shapes)
        made = list(record_triples(vocab, records))
        total = len(made)
        triples = made if keep is None else [t for t in made if t.predicate.value in keep]
        del made
        plans = None
        if keep is not None and len(triples) >= split_from and _can_fork():
            plans = split_shapes(checked, triples, _workers() if workers is None else workers)
        if plans:
            conforms, results = _in_workers(triples, plans)
        else:
            conforms, results = check(to_rdflib(iter(triples)), checked)
    else:
        data = read_rdf(Path(file))
        total = len(data)
        conforms, results = check(data, checked)
    rows = violation_rows(results, vocab, ws, records)
    return {"conforms": conforms, "triples": total,
            "shapes": sum(1 for _ in shapes.subjects(predicate=_SH_TARGET)), "violations": rows}


def check(data: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, list[Result]]:
    """pySHACL over ``data`` (changed in place: it is ours and thrown away after): conforms, and the results."""
    import pyshacl
    from rdflib import RDF, Namespace

    conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False,
                                               allow_warnings=True, inplace=True)
    sh = Namespace(_SH)
    results = [tuple(report.value(result, p) for p in (sh.focusNode, sh.resultPath, sh.value, sh.resultMessage,
                                                        sh.resultSeverity))
               for result in report.subjects(RDF.type, sh.ValidationResult)]
    return bool(conforms), results


def _workers() -> int:
    import os

    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(WORKERS, cpus))


def split_shapes(shapes: rdflib.Graph, triples: list[Any], workers: int) -> list[tuple[rdflib.Graph, set[str]]] | None:
    """Shapes graphs for ``workers`` processes, each with the predicates its data graph needs; None to stay in one.

    Every shape with a target (after :func:`targeted`, mostly one property shape per kind and property) is
    validated by exactly one worker: the others get the shapes graph without that shape's targets, so it is
    not a starting point there (a shape without targets still checks what refers to it). A worker's data
    graph holds every ``rdf:type`` triple (the focus nodes of class targets and the classes ``sh:class``
    checks) and every triple of the predicates its shapes' paths name: all that :func:`read_predicates` says
    such shapes read. pySHACL validates shapes one after another and reports each one's results, so the
    union of the workers' reports is the one-process report. Shapes are dealt to the worker they add the
    fewest triples to, largest first, in a fixed order. Shapes that are also classes (implicit targets) keep
    everything in one process.
    """
    from collections import Counter

    from rdflib import RDF, BNode

    sh_path = URIRef(_SH + "path")
    if workers < 2 or any(str(c) in _CLASSES for c in shapes.objects(None, RDF.type)):
        return None
    units = sorted(set(shapes.subjects(_SH_TARGET, None)), key=lambda u: (isinstance(u, BNode), str(u)))
    if len(units) < 2:
        return None
    counts = Counter(t.predicate.value for t in triples)
    reads: dict[Any, set[str]] = {}
    for unit in units:
        seen, todo, paths = {unit}, [unit], set()
        while todo:  # every path the shape or the shapes it refers to name
            node = todo.pop()
            for pred, obj in shapes.predicate_objects(node):
                if pred == sh_path:
                    paths.add(str(obj))
                elif obj not in seen and (obj, None, None) in shapes:
                    seen.add(obj)
                    todo.append(obj)
        reads[unit] = paths
    loads = [0] * workers
    needs: list[set[str]] = [{_RDF_TYPE} for _ in range(workers)]
    mine: list[list[Any]] = [[] for _ in range(workers)]
    for unit in sorted(units, key=lambda u: -sum(counts[p] for p in reads[u])):
        added = [sum(counts[p] for p in reads[unit] - needs[w]) for w in range(workers)]
        best = min(range(workers), key=lambda w: (loads[w] + added[w], w))
        loads[best] += added[best]
        needs[best] |= reads[unit]
        mine[best].append(unit)
    plans = []
    for w in range(workers):
        if not mine[w]:
            continue
        others = set(units) - set(mine[w])
        graph = _copy(shapes)
        for unit in others:
            graph.remove((unit, _SH_TARGET, None))
        plans.append((graph, needs[w]))
    return plans if len(plans) > 1 else None


def _copy(shapes: rdflib.Graph) -> rdflib.Graph:
    import rdflib

    result = rdflib.Graph()
    for prefix, namespace in shapes.namespaces():  # pySHACL's own messages name shapes by these prefixes
        result.bind(prefix, namespace, replace=True)
    for triple in shapes:
        result.add(triple)
    return result


_JOB: tuple[list[Any], list[tuple[rdflib.Graph, set[str]]]] | None = None


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _in_workers(triples: list[Any], plans: list[tuple[rdflib.Graph, set[str]]]) -> tuple[bool, list[Result]]:
    """Each plan in a forked worker (which inherits the triples instead of receiving them pickled). A worker
    that dies (killed, out of memory) fails the validation with BrokenProcessPool rather than hanging it."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _JOB
    _JOB = (triples, plans)
    try:
        with ProcessPoolExecutor(len(plans), mp_context=multiprocessing.get_context("fork")) as pool:
            outcomes = list(pool.map(_work, range(len(plans))))
    finally:
        _JOB = None
    return all(c for c, _ in outcomes), [r for _, found in outcomes for r in found]


def _work(index: int) -> tuple[bool, list[Result]]:
    assert _JOB is not None
    triples, plans = _JOB
    shapes, needs = plans[index]
    return check(to_rdflib(t for t in triples if t.predicate.value in needs), shapes)


_SH = "http://www.w3.org/ns/shacl#"
_SH_TARGET = URIRef(_SH + "targetClass")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# Shape features that may read triples other than the focus node's type and its values along simple paths.
_WIDE = ("closed", "sparql", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target", "ignoredProperties")


def read_predicates(shapes: rdflib.Graph) -> set[str] | None:
    """The predicates the shapes can read, or None when they may read any.

    Shapes made only of class targets, simple property paths and value checks read a focus node's
    ``rdf:type``, its values along those paths and the types of those values, nothing else; leaving the other
    triples (raw codes, reified edges) out of the data graph gives the same report for a fraction of the time.
    """
    from rdflib import BNode

    if any((None, URIRef(_SH + name), None) in shapes for name in _WIDE):
        return None
    paths = set(shapes.objects(predicate=URIRef(_SH + "path")))
    if any(isinstance(path, BNode) for path in paths):  # a sequence, inverse or alternative path
        return None
    return {str(path) for path in paths} | {_RDF_TYPE}


# What a node shape may say and still hand its targets to its property shapes: its targets by class, its
# property shapes, and words for people.
_PLAIN_NODE_SHAPE = {_RDF_TYPE, _SH + "targetClass", _SH + "property", _SH + "name", _SH + "description",
                     "http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2000/01/rdf-schema#comment"}
_CLASSES = {"http://www.w3.org/2000/01/rdf-schema#Class", "http://www.w3.org/2002/07/owl#Class"}


def targeted(shapes: rdflib.Graph) -> rdflib.Graph:
    """The same shapes with each plain node shape's class targets moved onto its property shapes.

    A property shape may have targets of its own (SHACL §2.1.3), and for a node shape that only targets
    classes and lists property shapes, "every instance of C conforms to each sh:property P" gives exactly the
    results of "P targets the instances of C": the same focus nodes, paths, values, messages and source shape.
    pySHACL, though, validates a referenced property shape once per focus node (rebuilding its constraints
    each time), and a targeted one once for all of them: six times faster on 100,000 utterances. Node shapes
    that do anything else (other targets, constraints of their own, ``sh:closed``, deactivated, also a class,
    referenced by another shape) and property shapes that have targets already or belong to more than one
    shape are left as they are. The workspace's ``ontology/shapes.ttl`` itself is not changed.
    """
    import rdflib
    from rdflib import RDF

    sh = rdflib.Namespace(_SH)
    moves: list[tuple[Any, list[Any], list[Any]]] = []
    for shape in set(shapes.subjects(RDF.type, sh.NodeShape)):
        if any(str(p) not in _PLAIN_NODE_SHAPE for p in shapes.predicates(shape)):
            continue
        if any(str(c) in _CLASSES for c in shapes.objects(shape, RDF.type)) or (None, None, shape) in shapes:
            continue
        classes = list(shapes.objects(shape, sh.targetClass))
        owned = [p for p in shapes.objects(shape, sh.property)
                 if sum(1 for _ in shapes.subject_predicates(p)) == 1
                 and not any(str(q).startswith(_SH + "target") for q in shapes.predicates(p))]
        if classes and owned:
            moves.append((shape, classes, owned))
    if not moves:
        return shapes
    result = _copy(shapes)
    for shape, classes, owned in moves:
        for prop in owned:
            result.remove((shape, sh.property, prop))
            for cls in classes:
                result.add((prop, sh.targetClass, cls))
    return result


def violation_rows(results: list[Result], vocab: Vocabulary, ws: Workspace,
                   records: Records | None) -> list[dict[str, Any]]:
    """One row per SHACL result, sorted by where it is, then node, property, message and value."""
    from rdflib import Literal

    locator = Locator(ws, records)
    rows = []
    for focus, path, value, message, severity in results:
        node = vocab.ident(str(focus)) if isinstance(focus, URIRef) else None
        where = locator.locate(node) if node else None
        text = str(message) if message is not None else ""
        if node and locator.outside_codebook(node):
            text += f" — '{node.split(':', 1)[1]}' is not in ontology/codebook.yaml: add it there (type, labels)"
        rows.append({
            "location": str(where) if where else "",
            "node": node or str(focus),
            "property": _short(str(path), vocab) if path is not None else "",
            "message": text,
            "value": (str(value) if isinstance(value, Literal) else
                      (vocab.ident(str(value)) or _short(str(value), vocab))) if value is not None else "",
            "severity": str(severity).rsplit("#", 1)[-1].lower() if severity is not None else "violation",
        })
    rows.sort(key=lambda r: (r["location"] == "", r["location"], r["node"], r["property"], r["message"],
                             r["value"], r["severity"]))
    return rows


def _short(iri: str, vocab: Vocabulary) -> str:
    for prefix, ns in vocab.prefixes.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


class Locator:
    """Where a node of the graph comes from, as a :class:`Location` (file and, where known, line)."""

    def __init__(self, ws: Workspace, records: Records | None):
        self.ws = ws
        self.layout = ws.layout
        self.nodes = records.nodes if records is not None else ws.graph.nodes
        self._lines: dict[Path, list[str]] = {}

    def outside_codebook(self, ident: str) -> bool:
        """Whether ``ident`` is a concept the sources use but the codebook lacks (a warning in the build)."""
        node = self.nodes.get(ident)
        return node is not None and node.get("kind") == "Concept" and node.get("in_codebook") is False

    def locate(self, ident: str) -> Location | None:
        node = self.nodes.get(ident)
        if node is None:
            node = self.ws.graph.nodes.get(ident) if ident in self.ws.graph else None
        if node is None:
            return None
        kind = node["kind"]
        if kind == "Utterance" and node.get("_source"):
            return Location(node["_source"], node.get("line"))
        if node.get("path"):
            return Location(node["path"], node.get("line"))
        if kind == "Assumption":
            rows = Provenance(self.layout.graphs).evidence(ident)
            return Location(rows[0][0], rows[0][1]) if rows else None
        if kind == "Respondent":
            for edge in self.ws.graph.edges_of("INTERVIEWED_IN"):
                if edge["source"] == ident:
                    return Location(edge["target"].split(":", 1)[1])
            return None
        key = ident.split(":", 1)[1]
        if kind == "Concept":
            if node.get("in_codebook") is False:  # a code used in a source but not in the codebook: its first use
                used = self._first_use(key)
                if used is not None:
                    return used
            return self._find(self.layout.ontology / "codebook.yaml", rf"^\s*{re.escape(key)}\s*:")
        if kind == "Indicator":
            return self._find_in(self.layout.indicators, rf"^{re.escape(key)},", "indicators.csv")
        if kind == "Observation" and {"indicator", "area", "period"} <= node.keys():
            pattern = rf"^{re.escape(node['indicator'])},{re.escape(node['area'])},{re.escape(str(node['period']))},"
            return self._find_in(self.layout.indicators, pattern, "observations.csv")
        return None

    def _first_use(self, code: str) -> Location | None:
        """The first ``[[…]]`` of the sources that names ``code`` (alone, or as one end of a network code)."""
        regex = re.compile(rf"\[\[[^\]]*(?<![\w]){re.escape(code)}(?![\w])[^\]]*\]\]")
        for file in self.layout.source_files():
            for number, line in enumerate(self._text(file), 1):
                if regex.search(line):
                    return Location(self.layout.shown(file), number)
        return None

    def _text(self, file: Path) -> list[str]:
        if file not in self._lines:
            try:
                self._lines[file] = file.read_text(encoding="utf-8").splitlines()
            except OSError:
                self._lines[file] = []
        return self._lines[file]

    def _find(self, file: Path, pattern: str) -> Location | None:
        if not file.exists():
            return None
        regex = re.compile(pattern)
        for number, line in enumerate(self._text(file), 1):
            if regex.search(line):
                return Location(self.layout.shown(file), number)
        return Location(self.layout.shown(file))

    def _find_in(self, folder: Path, pattern: str, glob: str) -> Location | None:
        regex = re.compile(pattern)
        for file in sorted(folder.glob(glob)) if folder.exists() else ():
            for number, line in enumerate(self._text(file), 1):
                if regex.search(line):
                    return Location(self.layout.shown(file), number)
        return None
