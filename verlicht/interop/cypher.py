"""``export --format cypher``: the push plan written as a Cypher script that ``cypher-shell`` loads.

The script holds the same statements as ``verlicht neo4j push`` (same constraints, same MERGEs, same
stamps, same deletion), with every parameter written out as a Cypher literal, one statement per line
ending in ``;``. Load it with::

    cypher-shell -a bolt://localhost:7687 -u neo4j -f graphs/verlicht.cypher

Running it twice gives the same database; running it over an older mirror brings it up to this build.
"""

from __future__ import annotations

import functools
import math
import re
from typing import IO, Any

from verlicht.gcpause import gc_paused
from verlicht.graph.store import Provenance
from verlicht.interop.neo4j_plan import PushPlan, Statement
from verlicht.interop.registry import exporter

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_SPECIAL = re.compile(r"[\\'\x00-\x1f\x7f-\x9f]")  # what a Cypher string literal must escape


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def literal(value: Any) -> str:
    """A Python value as a Cypher literal: strings quoted and escaped, maps with back-ticked keys where needed.

    >>> literal({"id": "concept:x", "n": 2, "tags": ["a", "b'c"], "ok": True})
    "{id: 'concept:x', n: 2, tags: ['a', 'b\\\\'c'], ok: true}"
    """
    kind = type(value)  # exact types first: plan rows are plain data, and this runs per value of a big plan
    if kind is str:
        return "'" + _SPECIAL.sub(_escape, value) + "'"
    if kind is dict:
        return "{" + ", ".join([f"{_key(k)}: {literal(v)}" for k, v in value.items()]) + "}"
    if kind is list or kind is tuple:
        return "[" + ", ".join([literal(v) for v in value]) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"{value} has no Cypher literal")
        return repr(value).replace("e+", "e")  # 1e+20: openCypher's exponent takes a minus sign, not a plus
    if isinstance(value, str):
        return "'" + _SPECIAL.sub(_escape, value) + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


@functools.lru_cache(maxsize=4096)
def _key(name: str) -> str:
    return name if _IDENTIFIER.match(name) else "`" + name.replace("`", "``") + "`"


def inline(statement: Statement) -> str:
    """The statement with its parameters written in; deletions unbatched (a script cannot loop)."""
    cypher = statement.cypher
    if statement.op == "delete":
        cypher = re.sub(r"WITH (\w) LIMIT \$limit ", "WITH \\1 ", cypher)
    return _PARAMETER.sub(lambda m: literal(statement.params[m.group(1)]), cypher) + ";"


def script(plan: PushPlan) -> str:
    """The whole plan as a script, with a header saying what it is and how to load it."""
    lines = [
        # the name comes from verlicht.toml: a line break in it must not end the comment and start a statement
        f"// VERLICHT build {plan.build} of workspace {' '.join(str(plan.workspace).split())}: "
        f"{plan.node_count} nodes, {plan.relationship_count} relationships.",
        "// Load: cypher-shell -a bolt://localhost:7687 -u neo4j -f THIS_FILE (password from NEO4J_PASSWORD).",
        "// Idempotent: MERGE on ids and keys; what another build stamped is deleted at the end.",
    ]
    with gc_paused():
        lines.extend(inline(s) for s in plan.statements)
    return "\n".join(lines) + "\n"


@exporter("cypher", suffix=".cypher",
          help="Cypher script for cypher-shell: the same statements as 'verlicht neo4j push'.")
def export_cypher(ws: Any, out: IO[str]) -> None:
    """Write the push plan of ``ws``'s last build as a cypher-shell script (to a file with -o, or to stdout
    for ``verlicht export --format cypher | cypher-shell``)."""
    from verlicht.interop.neo4j_plan import plan_push

    plan = plan_push(ws.graph, Provenance(ws.layout.graphs), ws.neo4j_build_id(), ws.name)
    out.write(script(plan))
