"""A build with nothing changed stops at the freshness stamps: the same report, no source read, no file
written; any changed input, output or question makes it a real build again (verlicht/graph/uptodate.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import run

from verlicht.errors import BuildError
from verlicht.graph import build as build_module
from verlicht.graph.build import build_graph
from verlicht.workspace import open_layout

STAMPED = "nothing changed: stamps compared"


def outputs(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under graphs/ with its modification time and bytes (the stamp file aside)."""
    graphs = root / "graphs"
    return {p.relative_to(graphs).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(graphs.rglob("*")) if p.is_file() and p.name != "inputs-stat.json"}


@pytest.fixture
def built(mini: Path) -> tuple[Path, object]:
    """The mini workspace, built once; and that build's report."""
    return mini, build_graph(open_layout(mini))


def refuse_to_build(*_args, **_kwargs):
    raise AssertionError("the full build ran")


def test_nothing_changed_gives_the_same_report_without_reading_or_writing(built, monkeypatch):
    root, first = built
    before = outputs(root)
    monkeypatch.setattr(build_module, "_build", refuse_to_build)
    again = build_graph(open_layout(root))
    assert list(again.phases) == [STAMPED]
    assert (again.parsed, again.cached) == (0, first.parsed + first.cached)
    assert again.counts == first.counts
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]
    assert again.to_dict() == {**first.to_dict(), "parsed": 0, "cached": first.parsed + first.cached}
    assert outputs(root) == before  # not one file rewritten


def test_cli_build_twice_prints_the_same_summary_and_warnings(mini):
    code, out, err = run("build", workspace=mini)
    assert code == 0
    code2, out2, err2 = run("build", workspace=mini)
    assert code2 == 0
    assert err2 == err
    assert out2 == out.replace("(3 parsed, 0 unchanged)", "(0 parsed, 3 unchanged)")
    assert "(0 parsed, 3 unchanged)" in out2


def test_an_edited_source_is_parsed_again(built):
    root, _first = built
    source = sorted((root / "interviews").glob("*.rock"))[0]
    source.write_bytes(source.read_bytes() + b"[[uid=uptodate1]] Nog een zin.\n")
    report = build_graph(open_layout(root))
    assert STAMPED not in report.phases
    assert report.parsed == 1


def test_a_deleted_provenance_file_is_written_again(built):
    root, _first = built
    before = outputs(root)
    victim = sorted((root / "graphs" / "provenance").glob("*.json"))[0]
    victim.unlink()
    report = build_graph(open_layout(root))
    assert STAMPED not in report.phases
    assert victim.read_bytes() == before[f"provenance/{victim.name}"][1]


def test_a_damaged_graph_file_is_repaired_byte_for_byte(built):
    root, _first = built
    graph = root / "graphs" / "verlicht.json"
    good = graph.read_bytes()
    graph.write_bytes(good[: len(good) // 2])
    report = build_graph(open_layout(root))
    assert STAMPED not in report.phases
    assert graph.read_bytes() == good


def test_a_strict_build_after_a_lenient_one_fails_on_its_warnings(mini):
    source = sorted((mini / "interviews").glob("*.rock"))[0]
    source.write_bytes(source.read_bytes() + b"[[uid=uptodate2]] Zin. [[verloop->cohesie||nieuw_soort]]\n")
    lenient = build_graph(open_layout(mini))
    assert any("edge type 'nieuw_soort' is not declared" in str(w) for w in lenient.warnings)
    with pytest.raises(BuildError, match="nieuw_soort"):
        build_graph(open_layout(mini), strict=True)


@pytest.mark.parametrize("asked", [{"strict": True}, {"allow_unanonymised": True}, {"key_names": ["Jansen"]}])
def test_another_question_runs_the_build(built, asked):
    root, first = built
    report = build_graph(open_layout(root), **asked)
    assert STAMPED not in report.phases
    assert report.counts == first.counts
    assert list(build_graph(open_layout(root), **asked).phases) == [STAMPED]  # and then it is recorded


def test_a_killed_builds_temporary_files_go_also_when_nothing_changed(built):
    root, _first = built
    leftover = root / "graphs" / ".verlicht.json.abcd1234.tmp"
    leftover.write_bytes(b"half a graph")
    report = build_graph(open_layout(root))
    assert list(report.phases) == [STAMPED]
    assert not leftover.exists()


def test_a_touched_output_is_not_trusted(built):
    root, _first = built
    evidence = root / "graphs" / "evidence.json"
    info = evidence.stat()
    os.utime(evidence, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    report = build_graph(open_layout(root))
    assert STAMPED not in report.phases
