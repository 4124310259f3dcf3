"""The driver layer and the ``verlicht neo4j`` commands: settings, errors, the order statements run in.

Without a server the official driver is still used for real (an unreachable address gives its error);
the full push–query–re-push–delete cycle is in ``test_neo4j_server.py`` and runs when a server is set.
"""

from __future__ import annotations

import json

import pytest
from helpers import run

import verlicht.api as api
from verlicht.errors import GraphDatabaseError
from verlicht.interop.neo4j import PASSWORD_VAR, resolve_connection, run_plan


def test_settings_come_from_options_then_env_then_verlicht_toml(mini):
    (mini / "verlicht.toml").write_text((mini / "verlicht.toml").read_text()
                                        + '\n[neo4j]\nuri = "bolt://toml:7687"\nuser = "tomluser"\n')
    layout = api.open(mini).layout
    env = {PASSWORD_VAR: "s3cret"}
    assert resolve_connection(layout, env=env).uri == "bolt://toml:7687"
    assert resolve_connection(layout, env=env).user == "tomluser"
    env["VERLICHT_NEO4J_URI"] = "neo4j://env:7687"
    assert resolve_connection(layout, env=env).uri == "neo4j://env:7687"
    conn = resolve_connection(layout, uri="bolt://option:7687", user="me", database="verlicht", env=env)
    assert (conn.uri, conn.user, conn.database, conn.auth) == ("bolt://option:7687", "me", "verlicht", ("me", "s3cret"))
    assert "s3cret" not in repr(conn)


def test_defaults_are_a_local_server_and_an_empty_password_means_no_auth(mini):
    conn = resolve_connection(api.open(mini).layout, env={PASSWORD_VAR: ""})
    assert (conn.uri, conn.user, conn.database, conn.auth) == ("bolt://localhost:7687", "neo4j", None, None)


def test_a_password_in_verlicht_toml_is_refused(mini):
    (mini / "verlicht.toml").write_text((mini / "verlicht.toml").read_text() + '\n[neo4j]\npassword = "x"\n')
    with pytest.raises(GraphDatabaseError, match=r"verlicht\.toml holds a Neo4j password"):
        resolve_connection(api.open(mini).layout, env={PASSWORD_VAR: "y"})


def test_push_has_no_password_option():
    code, out, _err = run("neo4j", "push", "--help")
    assert code == 0 and "--password" not in out and "--uri" in out


def test_push_without_the_password_variable_says_how_to_set_it(mini, monkeypatch):
    monkeypatch.delenv(PASSWORD_VAR, raising=False)
    assert run("build", workspace=mini)[0] == 0
    code, _out, err = run("neo4j", "push", workspace=mini)
    assert code == 1
    assert err.strip() == (f"error: no Neo4j password: {PASSWORD_VAR} is not set — export {PASSWORD_VAR}=… in your "
                           "shell (the password is never read from an option or a file; set it to an empty value "
                           "for a server without authentication)")


def test_push_to_an_unreachable_server_is_one_line_through_the_real_driver(mini, monkeypatch):
    monkeypatch.setenv(PASSWORD_VAR, "x")
    run("build", workspace=mini)
    code, _out, err = run("neo4j", "push", "--uri", "bolt://127.0.0.1:9", workspace=mini)
    assert code == 1
    assert err.startswith("error: cannot reach Neo4j at bolt://127.0.0.1:9 — start the server")
    assert len(err.strip().splitlines()) == 1


def test_query_refuses_an_address_that_is_not_bolt(mini, monkeypatch):
    monkeypatch.setenv(PASSWORD_VAR, "x")
    code, _out, err = run("neo4j", "query", "RETURN 1", "--uri", "http://localhost:7474", workspace=mini)
    assert code == 1 and err.startswith("error: not a Bolt address: http://localhost:7474 — write it as bolt://")


def test_push_before_a_build_builds_first_and_says_so(mini, monkeypatch):
    monkeypatch.setenv(PASSWORD_VAR, "x")
    code, out, err = run("neo4j", "push", "--dry-run", workspace=mini)
    assert code == 0 and "building the graph first" in err and "constraints and indexes" in out


def test_dry_run_lists_the_plan_as_json_rows(mini):
    run("build", workspace=mini)
    code, out, _err = run("neo4j", "push", "--dry-run", "--format", "json", workspace=mini)
    assert code == 0
    rows = json.loads(out)
    ws = api.open(mini)
    assert rows == ws.neo4j_push(dry_run=True)
    nodes = sum(r["rows"] for r in rows if r["op"] == "nodes")
    assert nodes == len(ws.graph.nodes) + ws.graph.header["counts"]["utterances"]
    assert [r["op"] for r in rows][-3:] == ["delete", "delete", "commit"]


class RecordingSession:
    """Stands in for ``neo4j.Session`` in this test only: records what ran, answers deletions."""

    def __init__(self, stale: int) -> None:
        self.ran: list[tuple[str, str]] = []
        self.stale = stale

    def run(self, cypher, params):
        self.ran.append(("auto", cypher))
        return self

    def consume(self):
        return None

    def execute_write(self, work, statement):
        tx = RecordingTx(self, statement)
        return work(tx, statement)


class RecordingTx:
    def __init__(self, session, statement):
        self.session, self.statement = session, statement

    def run(self, cypher, params):
        self.session.ran.append(("write", cypher))
        self.params = params
        return self

    def consume(self):
        return None

    def single(self):
        batch = min(self.params["limit"], self.session.stale)
        self.session.stale -= batch
        return {"deleted": batch}


def test_run_plan_runs_schema_in_auto_commit_batches_in_write_transactions_and_deletes_until_done(mini):
    run("build", workspace=mini)
    plan = api.open(mini).neo4j_plan(batch_size=10)
    session = RecordingSession(stale=25_000)
    seen = []
    deleted = run_plan(session, plan, lambda done, total, what: seen.append((done, total)))
    schema = len(plan.of("schema"))
    assert [mode for mode, _ in session.ran[:schema]] == ["auto"] * schema
    assert all(mode == "write" for mode, _ in session.ran[schema:])
    # 25,000 stale relationships go in batches of 10,000 (3 rounds); then no stale nodes remain (1 round)
    assert deleted == {"relationships": 25_000, "nodes": 0}
    assert sum(1 for _m, c in session.ran if "DELETE r" in c) == 3
    total = plan.node_count + plan.relationship_count
    assert seen[-1] == (total, total) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_query_parameters_are_json_when_they_parse_and_text_otherwise():
    from verlicht.cli.neo4j_cmd import _parameter

    assert _parameter("limit=3") == ("limit", 3)
    assert _parameter('codes=["a","b"]') == ("codes", ["a", "b"])
    assert _parameter("concept=armoede") == ("concept", "armoede")
    assert _parameter("text=a=b") == ("text", "a=b")


def test_a_bad_query_parameter_is_a_usage_error(mini, monkeypatch):
    monkeypatch.setenv(PASSWORD_VAR, "x")
    code, _out, err = run("neo4j", "query", "RETURN 1", "-p", "no-equals", workspace=mini)
    assert code == 1 and "'no-equals' is not NAME=VALUE" in err


def test_driver_values_become_plain_rows():
    from neo4j.graph import Graph, Node, Path
    from neo4j.time import Date

    from verlicht.interop.neo4j import plain

    graph = Graph()
    concept = Node(graph, "4:x:1", 1, ["Verlicht", "Concept"], {"id": "concept:armoede", "code": "armoede"})
    claim = Node(graph, "4:x:2", 2, ["Verlicht", "Assumption"], {"id": "assumption:armoede->stress:+"})
    cause = graph.relationship_type("CAUSE")(graph, "5:x:3", 3, {"key": "k"})
    cause._start_node, cause._end_node = claim, concept
    assert plain(concept) == {"labels": ["Concept", "Verlicht"], "code": "armoede", "id": "concept:armoede"}
    assert plain(cause) == {"type": "CAUSE", "start": "assumption:armoede->stress:+", "end": "concept:armoede",
                            "key": "k"}
    path = plain(Path(claim, cause))
    assert [n["id"] for n in path["nodes"]] == ["assumption:armoede->stress:+", "concept:armoede"]
    assert plain([Date(2024, 1, 1), {"n": 1}]) == ["2024-01-01", {"n": 1}]
