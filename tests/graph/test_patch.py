"""A rebuild patches the last build's graph and evidence files (graph/patch.py): always the bytes a build
from scratch writes, and a full write whenever the cache and the files do not agree."""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import orjson
import pytest

from verlicht.graph.build import build_graph
from verlicht.graph.patch import RECORDS_FILE, _lengths, full
from verlicht.workspace import open_layout

COMPARED = ("verlicht.json", "evidence.json", "manifest.json")
PATCHING = "merge (patching the last build)"
TYPES = ("causal_pos", "causal_neg", "causal", "collaborates", "structural")
CODE = re.compile(rb"\[\[([a-z_]+)->([a-z_]+)\|\|[a-z_]+(?:\|\|[0-9.]+)?\]\]")


def build(root: Path):
    return build_graph(open_layout(root))


def patched(report) -> bool:
    return PATCHING in report.phases


def from_scratch(root: Path, where: Path) -> dict[str, bytes]:
    """The outputs a build of a fresh copy of ``root``'s sources writes."""
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(root, where, ignore=shutil.ignore_patterns("graphs"))
    build(where)
    return {name: (where / "graphs" / name).read_bytes() for name in COMPARED}


def outputs(root: Path) -> dict[str, bytes]:
    return {name: (root / "graphs" / name).read_bytes() for name in COMPARED}


class Editor:
    """Random edits of a workspace's sources, each leaving the file a new modification time (a build trusts
    an unchanged size and time, as git does: two writes within one clock tick must not look unchanged)."""

    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.random = random.Random(seed)
        self.clock = 1_700_000_000 * 10**9
        self.concepts = sorted({c.decode() for p in self.sources() for m in CODE.finditer(p.read_bytes())
                                for c in m.groups()})
        self.marker = self.sources()[0].read_text().split("---\n---\n", 1)[0] + "---\n"
        self.uid = 0
        self.added = 0

    def sources(self) -> list[Path]:
        return sorted((self.root / "interviews").glob("*.rock"))

    def write(self, path: Path, text: str) -> None:
        path.write_text(text)
        self.clock += 10**9
        os.utime(path, ns=(self.clock, self.clock))

    def coded_line(self, case: str | None = None) -> str:
        self.uid += 1
        cause, effect = self.random.sample(self.concepts, 2)
        kind = self.random.choice(TYPES)
        weight = self.random.choice(["", "", "||2", "||0.5"]) if kind.startswith("causal") else ""
        cid = f"[[cid={case}]] " if case else ""
        return f"[[uid=zz{self.uid:06d}]] {cid}Dat merk je wel. [[{cause}->{effect}||{kind}{weight}]]\n"

    def append(self) -> str:
        path = self.random.choice(self.sources())
        self.write(path, path.read_text() + self.coded_line())
        return f"append to {path.name}"

    def oppose(self) -> str:
        """A claim against one already made (another source, opposite polarity): both become contested."""
        pairs = sorted({m.groups() for p in self.sources() for m in CODE.finditer(p.read_bytes())})
        cause, effect = (c.decode() for c in self.random.choice(pairs))
        kind = self.random.choice(["causal_pos", "causal_neg"])
        path = self.random.choice(self.sources())
        self.uid += 1
        self.write(path, path.read_text() + f"[[uid=zz{self.uid:06d}]] Juist niet. [[{cause}->{effect}||{kind}]]\n")
        return f"oppose {cause}->{effect} in {path.name}"

    def remove(self) -> str:
        path = self.random.choice(self.sources())
        lines = path.read_text().splitlines(keepends=True)
        coded = [i for i, line in enumerate(lines) if "->" in line and line.startswith("[[uid=")]
        if not coded:
            return self.append()
        del lines[self.random.choice(coded)]
        self.write(path, "".join(lines))
        return f"remove a line of {path.name}"

    def change(self) -> str:
        path = self.random.choice(self.sources())
        text = path.read_text()
        swaps = [("causal_pos]]", "causal_neg]]"), ("causal_neg]]", "causal]]"), ("causal]]", "causal_pos]]")]
        old, new = self.random.choice([s for s in swaps if s[0] in text] or swaps)
        if old not in text:
            return self.append()
        at = self.random.choice([m.start() for m in re.finditer(re.escape(old), text)])
        self.write(path, text[:at] + new + text[at + len(old):])
        return f"change a polarity in {path.name}"

    def add_source(self) -> str:
        self.added += 1
        case = f"N{self.added:02d}"
        group = self.random.choice(["bewoner", "professional", "bestuurder"])
        lines = "".join(self.coded_line(case if i == 0 else None) for i in range(self.random.randint(1, 4)))
        path = self.root / "interviews" / f"zz{self.added:02d}.rock"
        self.write(path, f"{self.marker}---\nROCK_attributes:\n  -\n    caseId: {case}\n    group: {group}\n"
                         f"---\n{lines}")
        return f"add {path.name}"

    def delete_source(self) -> str:
        sources = self.sources()
        if len(sources) <= 2:
            return self.add_source()
        path = self.random.choice(sources)
        path.unlink()
        return f"delete {path.name}"

    def attribute(self) -> str:
        path = self.random.choice(self.sources())
        text = path.read_text()
        found = re.findall(r"    group: (bewoner|professional|bestuurder)\n", text)
        if not found:
            return self.append()
        old = f"    group: {found[0]}\n"
        new = f"    group: {self.random.choice(['bewoner', 'professional', 'bestuurder'])}\n"
        if "    wijk: " in text and self.random.random() < 0.5:
            old, new = "    wijk: ", "    wijk: Heerlerheide\n    oud_wijk: "
        self.write(path, text.replace(old, new, 1))
        return f"change a respondent attribute in {path.name}"

    def touch(self) -> str:
        path = self.random.choice(self.sources())
        self.write(path, path.read_text())
        return f"touch {path.name}"

    def edit(self) -> str:
        moves = [self.append] * 3 + [self.oppose] * 2 + [self.remove] * 2 + [self.change] * 2 + [
            self.add_source, self.delete_source, self.attribute, self.touch]
        return self.random.choice(moves)()


@pytest.mark.parametrize("seed", [14, 15])
def test_random_edits_rebuild_the_bytes_a_build_from_scratch_writes(demo, tmp_path, seed):
    build(demo)
    editor = Editor(demo, seed)
    patches = 0
    for step in range(10):
        what = " and ".join(editor.edit() for _ in range(editor.random.choice([1, 1, 2])))
        report = build(demo)
        patches += patched(report)
        assert outputs(demo) == from_scratch(demo, tmp_path / "fresh"), f"step {step}: {what}"
    assert patches >= 5  # most single edits patch; an attribute change writes anew


def test_after_each_patched_build_the_query_index_is_that_of_the_new_graph(demo, tmp_path):
    from verlicht.graph.facts import facts_of
    from verlicht.graph.queryindex import INDEX_FILE, read_index
    from verlicht.graph.store import load_graph

    build(demo)
    editor = Editor(demo, 21)
    graph_file, index = demo / "graphs" / "verlicht.json", demo / "graphs" / INDEX_FILE
    patches = 0
    for step in range(8):
        what = editor.edit()
        patches += patched(build(demo))
        kept = read_index(graph_file, index)
        assert kept is not None, f"step {step}: {what}: no valid index after the build"
        assert orjson.dumps(kept.plain()) == orjson.dumps(facts_of(load_graph(graph_file)).plain()), \
            f"step {step}: {what}"
    assert patches >= 4
    index.unlink()  # a patching build without the last index reads the facts back from the graph it wrote
    editor.edit()
    patched(build(demo))
    kept = read_index(graph_file, index)
    assert kept is not None
    assert orjson.dumps(kept.plain()) == orjson.dumps(facts_of(load_graph(graph_file)).plain())


def test_random_edits_of_the_mini_workspace_patch_too(mini, tmp_path):
    build(mini)
    editor = Editor(mini, 3)
    editor.marker = ""  # the mini workspace's sources carry no marker; its configuration allows that
    patches = 0
    for step in range(8):
        what = editor.edit()
        patches += patched(build(mini))
        assert outputs(mini) == from_scratch(mini, tmp_path / "fresh"), f"step {step}: {what}"
    assert patches >= 3


def test_adding_or_deleting_an_interview_patches_but_a_changed_group_writes_anew(demo, tmp_path):
    build(demo)
    editor = Editor(demo, 4)
    editor.add_source()
    assert patched(build(demo))
    assert outputs(demo) == from_scratch(demo, tmp_path / "fresh")
    (demo / "interviews" / "r03.rock").unlink()
    assert patched(build(demo))
    assert outputs(demo) == from_scratch(demo, tmp_path / "fresh")
    source = demo / "interviews" / "r01.rock"
    editor.write(source, source.read_text().replace("    group: bewoner\n", "    group: professional\n", 1))
    assert not patched(build(demo))
    assert outputs(demo) == from_scratch(demo, tmp_path / "fresh")


def test_graph_file_is_what_dumping_it_whole_gives(demo):
    build(demo)
    data = (demo / "graphs" / "verlicht.json").read_bytes()
    assert orjson.dumps(orjson.loads(data), option=orjson.OPT_SORT_KEYS) + b"\n" == data
    evidence = (demo / "graphs" / "evidence.json").read_bytes()
    assert orjson.dumps(orjson.loads(evidence), option=orjson.OPT_SORT_KEYS) + b"\n" == evidence


def damage_truncated(graphs: Path) -> None:
    records = graphs / RECORDS_FILE
    records.write_bytes(records.read_bytes()[:100])


def damage_garbage(graphs: Path) -> None:
    (graphs / RECORDS_FILE).write_bytes(b"not marshal at all")


def damage_missing(graphs: Path) -> None:
    (graphs / RECORDS_FILE).unlink()


def damage_graph_by_hand(graphs: Path) -> None:
    graph = graphs / "verlicht.json"
    graph.write_bytes(graph.read_bytes().replace(b'"kind":"Source"', b'"kind":"Bron"', 1))


def damage_evidence_by_hand(graphs: Path) -> None:
    (graphs / "evidence.json").write_bytes(b"{}\n")


def damage_source_cache_missing(graphs: Path) -> None:
    (graphs / ".cache" / "sources.bin").unlink()


@pytest.mark.parametrize("damage", [damage_truncated, damage_garbage, damage_missing, damage_graph_by_hand,
                                    damage_evidence_by_hand, damage_source_cache_missing])
def test_damaged_or_missing_cache_or_outputs_mean_a_full_write(demo, tmp_path, damage):
    build(demo)
    editor = Editor(demo, 1)
    damage(demo / "graphs")
    editor.append()
    report = build(demo)
    assert not patched(report)
    assert outputs(demo) == from_scratch(demo, tmp_path / "fresh")
    editor.append()  # and the next rebuild patches again
    assert patched(build(demo))
    assert outputs(demo) == from_scratch(demo, tmp_path / "fresh")


def test_records_of_an_earlier_build_are_not_used(demo, tmp_path):
    """A build killed between replacing the graph and its records leaves records of the build before."""
    build(demo)
    editor = Editor(demo, 2)
    earlier = (demo / "graphs" / RECORDS_FILE).read_bytes()
    editor.append()
    assert patched(build(demo))
    (demo / "graphs" / RECORDS_FILE).write_bytes(earlier)
    editor.remove()
    assert not patched(build(demo))
    assert outputs(demo) == from_scratch(demo, tmp_path / "fresh")


def test_record_lengths_are_measured_one_by_one_when_a_record_holds_a_list_of_objects():
    records = [{"id": "a", "steps": [{"k": 1}, {"k": 2}]}, {"id": "b"}, {"id": "c", "x": "},{\"y"}]
    items = orjson.dumps(records, option=orjson.OPT_SORT_KEYS)
    assert list(_lengths(items, records)) == [len(orjson.dumps(r, option=orjson.OPT_SORT_KEYS)) for r in records]
    for plain in ([{"id": "a"}, {"id": "b", "t": "},{\"x"}, {"id": "c"}], [{"id": "one"}]):
        items = orjson.dumps(plain, option=orjson.OPT_SORT_KEYS)
        assert list(_lengths(items, plain)) == [len(orjson.dumps(r, option=orjson.OPT_SORT_KEYS)) for r in plain]


def test_empty_graph_and_evidence_are_written_as_a_whole_dump_would():
    header = {"format": "verlicht-graph", "version": 2, "workspace": "w\u0000edges\"]", "counts": {}}
    written = full(header, [], [], [], {})
    expected = orjson.dumps({**header, "nodes": [], "edges": []}, option=orjson.OPT_SORT_KEYS) + b"\n"
    assert written.graph == expected
    assert written.evidence == b"{}\n"
