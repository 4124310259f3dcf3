"""The exporter registry: a format is one decorated function; export writes it whole, to a stream or a path."""

from __future__ import annotations

import zipfile

import pytest
from helpers import run

from verlicht.errors import ExportError
from verlicht.interop import registry
from verlicht.interop.registry import exporter, exporters, guess_format


@pytest.fixture
def scratch_formats():
    """Formats a test registers are removed again afterwards."""
    before = dict(registry._REGISTRY)
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(before)


def test_built_in_formats_are_registered():
    names = list(exporters())
    assert {"csv", "gexf", "graphml", "jsonld", "nt", "ontology", "shapes", "ttl"} <= set(names)
    assert names == sorted(names)
    assert exporters()["ttl"].suffix == ".ttl"


def test_a_new_format_is_one_function_and_shows_in_the_command(built_demo, scratch_formats, tmp_path):
    @exporter("counts", suffix=".txt", help="node counts per kind")
    def write_counts(ws, out):
        for kind in sorted({n["kind"] for n in ws.graph.nodes.values()}):
            out.write(f"{kind} {sum(1 for _ in ws.graph.of_kind(kind))}\n")

    assert "counts" in exporters()
    assert built_demo.export("counts").splitlines()[1] == "Assumption 69"
    code, out, _ = run("export", "--list", workspace=built_demo.root)
    assert "counts    .txt" in out and "node counts per kind" in out
    code, out, err = run("export", "--format", "counts", workspace=built_demo.root)
    assert (code, err) == (0, "") and "Concept 80\n" in out
    code, out, _ = run("export", "-o", str(tmp_path / "n.txt"), workspace=built_demo.root)
    assert code == 0 and (tmp_path / "n.txt").read_text().startswith("Area 21\n")


def test_a_format_that_writes_several_files_gets_a_path(built_demo, scratch_formats, tmp_path):
    @exporter("bundle", suffix=".zip", binary=True, to_path=True, help="a zip of two exports")
    def write_bundle(ws, path):
        with zipfile.ZipFile(path, "w") as bundle:
            bundle.writestr("graph.ttl", ws.export("ttl"))
            bundle.writestr("graph.csv", ws.export("csv"))

    target = tmp_path / "out.zip"
    row = built_demo.export("bundle", target)
    assert row == {"format": "bundle", "path": str(target), "bytes": target.stat().st_size}
    assert zipfile.ZipFile(target).namelist() == ["graph.ttl", "graph.csv"]
    with pytest.raises(ExportError, match="format 'bundle' writes files — give a file to write"):
        built_demo.export("bundle")
    code, _, err = run("export", "--format", "bundle", workspace=built_demo.root)
    assert code == 1 and err == "error: format 'bundle' writes files — give one with -o, e.g. -o export.zip\n"


def test_a_failing_export_leaves_the_previous_file(built_demo, scratch_formats, tmp_path):
    @exporter("broken", suffix=".bad")
    def write_broken(ws, out):
        out.write("half of it")
        raise RuntimeError("disk on fire")

    target = tmp_path / "keep.bad"
    target.write_text("the old export")
    with pytest.raises(RuntimeError):
        built_demo.export("broken", target)
    assert target.read_text() == "the old export"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.bad"]  # no temporary file left


def test_the_format_is_guessed_from_the_suffix():
    assert guess_format("graphs/verlicht.ttl") == "ttl"
    assert guess_format("x.GRAPHML") == "graphml"
    assert guess_format("ontology.owl.ttl") == "ontology"
    assert guess_format("notes.docx") is None


def test_unknown_format_and_missing_format_are_one_line_errors(built_demo):
    with pytest.raises(ExportError, match=r"unknown export format 'owl' — use one of: csv, .*, ttl"):
        built_demo.export("owl")
    code, _, err = run("export", workspace=built_demo.root)
    assert code == 1 and err.startswith("error: which format? — give --format")
    code, _, err = run("export", "--format", "owl", workspace=built_demo.root)
    assert code == 1 and "'owl' is not one of 'csv', " in err and "'ttl'" in err


def test_export_to_a_file_prints_what_it_wrote(built_demo, tmp_path):
    target = tmp_path / "g.ttl"
    code, out, err = run("export", "-o", str(target), workspace=built_demo.root)
    assert (code, err) == (0, "")
    assert out == f"wrote {target} (ttl, {target.stat().st_size:,} bytes)\n"
    assert target.read_bytes() == built_demo.export("ttl")


def test_export_before_a_build_builds_first_and_says_so(demo):
    code, out, err = run("export", "--format", "ttl", workspace=demo)
    assert code == 0 and "building the graph first" in err
    assert "@prefix" in out
