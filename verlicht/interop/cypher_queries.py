"""The canned Cypher queries, and the text of what ``verlicht neo4j query`` is given.

As with the SPARQL ones, VERLICHT ships its canned queries in the workspace template
(``ontology/cypher/``, copied by ``verlicht init``) and a workspace's own copy of a file wins, so a
team can adapt a query without losing the name. A query is a canned name (``gaps``), a ``.cypher`` /
``.cql`` file, or Cypher text.
"""

from __future__ import annotations

from pathlib import Path

from verlicht.errors import GraphDatabaseError
from verlicht.workspace import Layout, template_dir

CYPHER_FOLDER = "cypher"
SUFFIXES = (".cypher", ".cql")


def canned_files(layout: Layout, folder: str, suffix: str) -> dict[str, Path]:
    """Canned query names and their files in ``ontology/<folder>``: VERLICHT's (the workspace template's),
    overridden by the workspace's own copies."""
    found: dict[str, Path] = {}
    for place in (template_dir() / "ontology" / folder, layout.ontology / folder):
        if place.is_dir():
            found.update({f.stem: f for f in sorted(place.glob(f"*{suffix}"))})
    return dict(sorted(found.items()))


def canned_cypher(layout: Layout) -> dict[str, Path]:
    """Canned query names and their files: VERLICHT's, overridden by the workspace's ``ontology/cypher``."""
    return canned_files(layout, CYPHER_FOLDER, ".cypher")


def cypher_text(layout: Layout, query: str) -> str:
    """The Cypher of ``query``: a canned name, a file (relative to the current folder or the workspace), or
    the text itself."""
    stripped = query.strip()
    canned = canned_cypher(layout)
    if stripped in canned:
        return canned[stripped].read_text(encoding="utf-8")
    if "\n" not in stripped and len(stripped) < 4096:
        file = Path(stripped)
        if not file.is_file() and not file.is_absolute():
            file = layout.root / stripped
        if file.is_file():
            return file.read_text(encoding="utf-8")
        if stripped.endswith(SUFFIXES):
            raise GraphDatabaseError(f"no Cypher file {stripped}", None,
                                     f"give Cypher text, a .cypher file or one of: {', '.join(canned)}")
        if " " not in stripped:
            raise GraphDatabaseError(f"'{stripped}' is not a canned Cypher query or a file", None,
                                     f"canned queries: {', '.join(canned)}")
    return stripped
