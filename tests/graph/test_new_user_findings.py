"""What a new user ran into (issue 14), each reproduced with the files in tests/data/newuser/: binary sources,
short catalogue rows, empty sources and giant utterances, codebooks written as lists, several mistakes at once,
the notebook's BuildError, temporary files of a killed build, and areas written as labels or CBS codes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import DATA, run

import verlicht
from verlicht.errors import BuildError, VerlichtError, shown_errors
from verlicht.graph.build import build_graph
from verlicht.graph.store import load_graph
from verlicht.workspace import init_workspace, open_layout

NEW = DATA / "newuser"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return init_workspace(tmp_path / "ws")


def build_errors(root: Path) -> list[str]:
    with pytest.raises(BuildError) as caught:
        build_graph(open_layout(root))
    return [str(e) for e in caught.value.errors]


def test_binary_file_named_rock_is_not_utf8_not_an_email_address(ws):
    shutil.copyfile(NEW / "x.rock", ws / "interviews" / "x.rock")
    errors = build_errors(ws)
    assert len(errors) == 1
    assert errors[0].startswith("interviews/x.rock:1:")
    assert "is not valid UTF-8: not a text file, so not checked for personal data" in errors[0]
    assert "e-mail" not in errors[0] and "marker" not in errors[0]
    # What `verlicht parse` says about the same file, at the same place.
    code, _out, err = run("parse", str(ws / "interviews" / "x.rock"))
    assert code == 1 and errors[0].split(" is not valid")[0] in err.replace(str(ws) + "/", "")


def test_short_rows_of_the_indicator_catalogue_are_located_errors_all_of_them(ws):
    shutil.copyfile(NEW / "indicators_short_row.csv", ws / "indicators" / "extra.csv")
    errors = build_errors(ws)
    assert errors == [
        f"indicators/extra.csv:{line}: row has {n} fields, fewer than the 7 required "
        "(id,label,unit,source,measures,tests,goals) — give every column a cell, empty ones too (a,b,,,), as a "
        "spreadsheet saves it; a comma inside a cell needs quotes" for line, n in ((3, 3), (4, 2))]


def test_empty_source_and_giant_utterance_are_warnings(ws):
    shutil.copyfile(NEW / "empty.rock", ws / "interviews" / "empty.rock")
    shutil.copyfile(NEW / "long_utterance.rock", ws / "interviews" / "long.rock")
    report = build_graph(open_layout(ws))
    warnings = [str(w) for w in report.warnings]
    assert ("interviews/empty.rock: warning: source has no utterances — an empty file, or only front matter: add "
            "the transcript, or remove the file") in warnings
    assert ("interviews/long.rock:8: warning: utterance of 10,799 characters — one line is one utterance: split the "
            "text into sentences or turns, one per line") in warnings
    assert report.counts["sources"] == 3
    # The same warnings from the cache.
    assert [str(w) for w in build_graph(open_layout(ws)).warnings] == warnings


def test_codebook_concepts_as_a_list_is_an_error_with_its_line(ws):
    shutil.copyfile(NEW / "codebook_concepts_list.yaml", ws / "ontology" / "codebook.yaml")
    code, _out, err = run("build", workspace=ws)
    assert code == 1
    assert err.splitlines()[0] == (
        "error: ontology/codebook.yaml:4: an entry of 'concepts' is 'verloop_bewoners', not a mapping with a code "
        "— give every entry 'code: …', or write concepts as a mapping by code")


def test_a_build_reports_every_mistake_across_files_and_several_in_one_file(ws):
    shutil.copyfile(NEW / "three_mistakes.rock", ws / "interviews" / "r07.rock")
    shutil.copyfile(NEW / "one_mistake.rock", ws / "interviews" / "r08.rock")
    shutil.copyfile(NEW / "indicators_short_row.csv", ws / "indicators" / "extra.csv")
    errors = build_errors(ws)
    assert [e.split(" ", 1)[0] for e in errors] == [
        "indicators/extra.csv:3:", "indicators/extra.csv:4:",
        "interviews/r07.rock:14:69:", "interviews/r07.rock:15:49:", "interviews/r07.rock:17:43:",
        "interviews/r08.rock:8:43:"]
    assert "has no edge type" in errors[2] and "weight 'veel' is not a number" in errors[3]
    assert "never closed" in errors[4]


def test_the_command_line_prints_fifty_errors_then_how_many_more(ws):
    lines = "".join(f"[[uid=9veel{i:03d}]] Zonder type. [[a->b]]\n" for i in range(60))
    (ws / "interviews" / "veel.rock").write_text((NEW / "one_mistake.rock").read_text(encoding="utf-8").split(
        "[[uid")[0] + lines, encoding="utf-8")
    errors = build_errors(ws)
    assert len(errors) == 51  # the first, and 50 more in the same file (MAX_ERRORS_PER_SOURCE)
    code, _out, err = run("build", workspace=ws)
    printed = err.splitlines()
    assert code == 1 and len(printed) == 52
    assert printed[49].startswith("error: interviews/veel.rock:57:")
    assert printed[50:] == ["… and 1 more", "error: build failed with 51 error(s) — the previous graph was left "
                                              "untouched"]


def test_build_error_text_names_the_first_located_errors(ws):
    shutil.copyfile(NEW / "three_mistakes.rock", ws / "interviews" / "r07.rock")
    with pytest.raises(BuildError) as caught:
        verlicht.open(ws).build()
    text = str(caught.value)
    assert text.splitlines()[0] == "build failed with 3 error(s) — the previous graph was left untouched:"
    assert text.splitlines()[1].startswith("  interviews/r07.rock:14:69: network code")
    assert len(text.splitlines()) == 4
    many = BuildError([VerlichtError(f"fout {i}") for i in range(8)])
    assert str(many).splitlines()[-1] == "  … and 3 more"
    assert shown_errors(many.errors, 2) == ["fout 0", "fout 1", "… and 6 more"]


def test_temporary_files_of_a_killed_build_are_removed_by_the_next_but_no_user_files(ws):
    build_graph(open_layout(ws))
    graphs = ws / "graphs"
    ours = [graphs / "provenance" / ".voorbeeld.rock.json.k3j_9a2x.tmp", graphs / ".verlicht.json.abcdefgh.tmp",
            graphs / ".cache" / ".sources.bin.12345678.tmp"]
    theirs = [graphs / "provenance" / "notes.tmp", graphs / ".mijn.bestand.tmp", graphs / "provenance" / ".x.orig",
              graphs / ".verlicht.json.abcdefgh.orig"]
    for path in ours + theirs:
        path.write_text("half", encoding="utf-8")
    build_graph(open_layout(ws))
    assert [p.exists() for p in ours] == [False, False, False]
    assert [p.exists() for p in theirs] == [True, True, True, True]


def test_a_killed_build_leaves_the_graph_and_the_next_build_cleans_up(ws):
    """A real SIGKILL during a build (in a child process), then a build: the graph reads, no temp files stay."""
    import signal
    import subprocess
    import sys
    import time

    build_graph(open_layout(ws))
    before = (ws / "graphs" / "verlicht.json").read_bytes()
    for i in range(40):  # enough sources that the build is still writing when it is killed
        text = (ws / "interviews" / "voorbeeld.rock").read_text(encoding="utf-8")
        (ws / "interviews" / f"kopie{i:02d}.rock").write_text(
            text.replace("7dq0bx", f"7k{i:02d}bx").replace("R01", f"R{i + 10}"), encoding="utf-8")
    (ws / "graphs" / ".cache" / "sources.bin").unlink()  # every source is parsed and its provenance staged
    script = f"import verlicht; verlicht.open({str(ws)!r}).build()"
    child = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    deadline = time.monotonic() + 60
    while child.poll() is None and time.monotonic() < deadline:  # kill it while it writes
        if any((ws / "graphs" / "provenance").glob(".*.tmp")):
            break
        time.sleep(0.005)
    os.killpg(child.pid, signal.SIGKILL)  # the build and its parse workers, as a killed job
    child.wait()
    assert load_graph(ws / "graphs" / "verlicht.json").header["counts"]["sources"] in (1, 41)
    build_graph(open_layout(ws))
    left = [p.name for p in (ws / "graphs").rglob(".*.tmp")]
    assert left == []
    assert (ws / "graphs" / "verlicht.json").read_bytes() != before


def test_observations_accept_labels_ids_and_cbs_codes_and_keep_ids(ws):
    shutil.copyfile(NEW / "observations_by_label.csv", ws / "indicators" / "observations.csv")
    report = build_graph(open_layout(ws))
    assert report.counts["observations"] == 8
    graph = load_graph(ws / "graphs" / "verlicht.json")
    ids = sorted(n["id"] for n in graph.nodes.values() if n["kind"] == "Observation")
    assert ids == ["observation:verhuizingen:heerlen:2022", "observation:verhuizingen:heerlen:2023",
                   "observation:verhuizingen:heerlen_noord:2022", "observation:verhuizingen:heerlen_noord:2023",
                   "observation:verhuizingen:hoensbroek_de_dem:2023", "observation:verhuizingen:mariarade:2023",
                   "observation:verhuizingen:nederland:2022", "observation:verhuizingen:nederland:2023"]


def test_an_area_written_twice_in_two_ways_is_still_one_value_per_period(ws):
    (ws / "indicators" / "observations.csv").write_text(
        "indicator,area,period,value\nverhuizingen,heerlen_noord,2023,1\nverhuizingen,Heerlen-Noord,2023,2\n"
        "verhuizingen,Atlantis,2023,3\n", encoding="utf-8")
    errors = build_errors(ws)
    assert errors[0] == ("indicators/observations.csv:3: second value for verhuizingen in heerlen_noord, 2023 "
                         "(first on line 2) — keep one value per indicator, area and period")
    assert errors[1].startswith("indicators/observations.csv:4: observation in unknown area 'Atlantis' — use an "
                                "area of the catalogue: its id, label or CBS code")


def test_stale_temp_sweep_takes_only_our_pattern(tmp_path):
    from verlicht.graph.staging import sweep_temporary

    for name in (".a.json.abcdefgh.tmp", ".a.json.abc.tmp", "a.json.abcdefgh.tmp", ".a.json.abcdefgh.orig"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    os.mkdir(tmp_path / ".d.json.abcdefgh.tmp")  # a folder of that name is not ours either
    assert [p.name for p in sweep_temporary([tmp_path, tmp_path / "absent"])] == [".a.json.abcdefgh.tmp"]


def test_a_forked_worker_does_not_keep_the_build_lock(tmp_path):
    """A build's parse workers are forked while it holds the lock on graphs/; if they kept it, workers orphaned
    by a killed build would block every later build."""
    import fcntl
    import multiprocessing
    import time

    from verlicht.fsio import folder_lock

    context = multiprocessing.get_context("fork")
    with folder_lock(tmp_path):
        worker = context.Process(target=time.sleep, args=(30,))
        worker.start()
    try:
        fd = os.open(tmp_path, os.O_RDONLY)
        try:
            deadline = time.monotonic() + 10  # the child drops the lock right after fork, in its own time
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:  # still held: by the worker, if it kept its copy
                    assert time.monotonic() < deadline, "the forked worker kept the lock"
                    time.sleep(0.01)
        finally:
            os.close(fd)
    finally:
        worker.kill()
        worker.join()


def test_indicators_import_files_areas_written_as_labels_or_cbs_codes_under_their_ids(ws):
    code, _out, err = run("indicators", "import", str(NEW / "observations_by_label.csv"), "--format", "json",
                         workspace=ws)
    assert code == 0, err
    rows = (ws / "indicators" / "observations.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "indicator,area,period,value"
    assert sorted(row.split(",")[1] for row in rows[1:]) == [
        "heerlen", "heerlen", "heerlen_noord", "heerlen_noord", "hoensbroek_de_dem", "mariarade", "nederland",
        "nederland"]
