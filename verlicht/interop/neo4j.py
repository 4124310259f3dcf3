"""Run a push plan, or a Cypher query, against a Neo4j server through the official ``neo4j`` driver.

This is the thin layer over :mod:`verlicht.interop.neo4j_plan`: it resolves where the server is, opens
one driver and one session, and runs the plan's statements in order (schema statements in auto-commit
transactions, every batch of MERGEs in its own managed write transaction, deletions in batches until
nothing is left to delete). Where the server is comes from the command's options, then the environment
(``VERLICHT_NEO4J_URI``, ``VERLICHT_NEO4J_USER``, ``VERLICHT_NEO4J_DATABASE``), then the ``[neo4j]`` table
of ``verlicht.toml``; the password only ever from ``VERLICHT_NEO4J_PASSWORD``, never from an option or a
file, so it does not end up in shell history, in git or in a process list.
"""

from __future__ import annotations

import os
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from verlicht.errors import GraphDatabaseError, Location
from verlicht.interop.neo4j_plan import PushPlan, Statement
from verlicht.workspace import CONFIG_FILE, Layout

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
PASSWORD_VAR = "VERLICHT_NEO4J_PASSWORD"
ENV = {"uri": "VERLICHT_NEO4J_URI", "user": "VERLICHT_NEO4J_USER", "database": "VERLICHT_NEO4J_DATABASE"}
SETTINGS = ("uri", "user", "database")

PushProgress = Callable[[int, int, str], None]  # rows done, rows in all, what is being written


@dataclass(frozen=True, slots=True)
class Connection:
    """Where the server is and who logs in; the password is kept out of ``repr``."""

    uri: str
    user: str
    database: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def auth(self) -> tuple[str, str] | None:
        """No auth when the password variable is set but empty (a server started with ``NEO4J_AUTH=none``)."""
        return (self.user, self.password) if self.password else None


def workspace_settings(layout: Layout) -> dict[str, str]:
    """The ``[neo4j]`` table of ``verlicht.toml`` (uri, user, database); a password there is refused."""
    path = layout.root / CONFIG_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}  # opening the workspace has reported these already
    table = data.get("neo4j") or {}
    if not isinstance(table, dict):
        raise GraphDatabaseError("[neo4j] must be a table", Location(CONFIG_FILE),
                                 "write '[neo4j]' with uri, user and database under it")
    if "password" in table:
        raise GraphDatabaseError("verlicht.toml holds a Neo4j password", Location(CONFIG_FILE),
                                 f"remove it (and from git history); the password is read only from {PASSWORD_VAR}")
    unknown = sorted(set(table) - set(SETTINGS))
    if unknown:
        raise GraphDatabaseError(f"unknown setting '{unknown[0]}' in [neo4j]", Location(CONFIG_FILE),
                                 "[neo4j] takes uri, user and database")
    return {k: str(v) for k, v in table.items()}


def resolve_connection(layout: Layout, uri: str | None = None, user: str | None = None,
                       database: str | None = None, env: Mapping[str, str] | None = None,
                       need_password: bool = True) -> Connection:
    """Options first, then the environment, then ``verlicht.toml``, then Neo4j's defaults."""
    env = os.environ if env is None else env
    table = workspace_settings(layout)
    given = {"uri": uri, "user": user, "database": database}
    chosen = {k: given[k] or env.get(ENV[k]) or table.get(k) for k in SETTINGS}
    password = env.get(PASSWORD_VAR)
    if password is None and need_password:
        raise GraphDatabaseError(
            f"no Neo4j password: {PASSWORD_VAR} is not set",
            None, f"export {PASSWORD_VAR}=… in your shell (the password is never read from an option or a file; "
                  "set it to an empty value for a server without authentication)")
    return Connection(chosen["uri"] or DEFAULT_URI, chosen["user"] or DEFAULT_USER, chosen["database"] or None,
                      password)


SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def _driver(conn: Connection) -> Any:
    import neo4j

    scheme = conn.uri.partition("://")[0] if "://" in conn.uri else ""
    if scheme not in SCHEMES:
        raise GraphDatabaseError(f"not a Bolt address: {conn.uri}", None,
                                 "write it as bolt://host:7687, neo4j://host:7687 or neo4j+s://….databases.neo4j.io")
    try:
        driver = neo4j.GraphDatabase.driver(conn.uri, auth=conn.auth, connection_timeout=10)
    except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
        raise GraphDatabaseError(f"not a Neo4j address: {conn.uri} ({exc})", None,
                                 "write it as bolt://host:7687, neo4j://host:7687 or neo4j+s://….databases.neo4j.io"
                                 ) from None
    try:
        driver.verify_connectivity()
    except Exception as exc:
        driver.close()
        raise _translate(exc, conn) from None
    return driver


def _translate(exc: BaseException, conn: Connection, statement: str | None = None) -> BaseException:
    """The driver's exceptions as one-line VERLICHT errors; anything else unchanged."""
    import neo4j

    errors = neo4j.exceptions
    if isinstance(exc, errors.AuthError):
        return GraphDatabaseError(f"Neo4j at {conn.uri} refused user '{conn.user}'", None,
                                  f"check the user (--user, VERLICHT_NEO4J_USER) and {PASSWORD_VAR}")
    if isinstance(exc, (errors.ServiceUnavailable, errors.SessionExpired, OSError)):
        return GraphDatabaseError(f"cannot reach Neo4j at {conn.uri}", None,
                                  "start the server (see 'Neo4j' in the README: docker run … neo4j:5) "
                                  "or give its address with --uri or VERLICHT_NEO4J_URI")
    if isinstance(exc, errors.Neo4jError):
        message = " ".join(str(exc.message or exc).split())
        what = f"Neo4j rejected the statement: {message}" if statement else f"Neo4j: {message}"
        hint = None
        if isinstance(exc, errors.CypherSyntaxError):
            hint = "check the Cypher (the canned queries are in ontology/cypher/)"
        elif isinstance(exc, errors.Forbidden) or "read access mode" in message:
            hint = "this query writes: pass --write if that is meant"
        return GraphDatabaseError(what, None, hint)
    if isinstance(exc, errors.DriverError):
        return GraphDatabaseError(f"Neo4j driver: {exc}", None, None)
    return exc


def run_plan(session: Any, plan: PushPlan, progress: PushProgress | None = None) -> dict[str, int]:
    """Run every statement of ``plan`` in ``session`` (a ``neo4j.Session``), in order.

    Schema statements run in auto-commit transactions (Neo4j does not mix them with writes); each batch
    of MERGEs in one managed write transaction, which the driver retries on transient errors; each
    deletion again and again, a batch at a time, until it deletes fewer rows than its limit. Returns
    the counts deleted.
    """
    total = plan.node_count + plan.relationship_count
    done = 0
    deleted = {"nodes": 0, "relationships": 0}
    for statement in plan.statements:
        if statement.op == "schema":
            session.run(statement.cypher, statement.params).consume()
        elif statement.op == "delete":
            deleted[statement.kind] += _delete_all(session, statement)
        else:
            session.execute_write(_write, statement)
        done += statement.rows
        if progress is not None:
            progress(done, total, _label(statement))
    return deleted


def _write(tx: Any, statement: Statement) -> None:
    tx.run(statement.cypher, statement.params).consume()


def _delete_batch(tx: Any, statement: Statement) -> int:
    record = tx.run(statement.cypher, statement.params).single()
    return int(record["deleted"]) if record is not None else 0


def _delete_all(session: Any, statement: Statement) -> int:
    limit = statement.params["limit"]
    count = 0
    while True:
        batch = session.execute_write(_delete_batch, statement)
        count += batch
        if batch < limit:
            return count


def _label(statement: Statement) -> str:
    if statement.op in ("nodes", "relationships"):
        return f"{statement.kind} ({statement.rows})"
    if statement.op == "delete":
        return f"removing stale {statement.kind}"
    return statement.op


def push(plan: PushPlan, conn: Connection, progress: PushProgress | None = None) -> dict[str, Any]:
    """Mirror the plan's build into the server; returns what was written and deleted, and how fast."""
    driver = _driver(conn)
    started = time.perf_counter()
    try:
        with driver.session(database=conn.database) as session:
            deleted = run_plan(session, plan, progress)
    except Exception as exc:  # KeyboardInterrupt passes: the next push repairs what was left
        raise _translate(exc, conn, "push") from None
    finally:
        driver.close()
    seconds = time.perf_counter() - started
    written = plan.node_count + plan.relationship_count
    return {
        "uri": conn.uri, "database": conn.database or "(default)", "build": plan.build,
        "nodes": plan.node_count, "relationships": plan.relationship_count,
        "deleted_nodes": deleted["nodes"], "deleted_relationships": deleted["relationships"],
        "seconds": round(seconds, 3), "per_second": round(written / seconds) if seconds > 0 else None,
    }


def query(conn: Connection, cypher: str, params: Mapping[str, Any] | None = None,
          write: bool = False) -> list[dict[str, Any]]:
    """Run one Cypher statement; its records as plain rows (nodes, relationships, paths made plain too).

    Read access unless ``write``: a query that would change the mirror fails instead of doing it.
    """
    import neo4j

    driver = _driver(conn)
    try:
        with driver.session(database=conn.database,
                            default_access_mode=neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS) as session:
            result = session.run(cypher, dict(params or {}))
            return [{key: plain(value) for key, value in record.items()} for record in result]
    except Exception as exc:
        raise _translate(exc, conn, cypher) from None
    finally:
        driver.close()


def plain(value: Any) -> Any:
    """A driver value as JSON-ready data: a node as its properties plus ``labels``, a relationship as its
    properties plus ``type``, ``start`` and ``end`` (node ids), a path as its nodes and relationships."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **dict(sorted(value.items()))}
    if isinstance(value, Relationship):
        start = value.start_node.get("id") if value.start_node is not None else None
        end = value.end_node.get("id") if value.end_node is not None else None
        return {"type": value.type, "start": start, "end": end, **dict(sorted(value.items()))}
    if isinstance(value, Path):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time Date, DateTime, Duration
        return value.iso_format()
    return value
