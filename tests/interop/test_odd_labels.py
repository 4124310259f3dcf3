"""A workspace whose codebook and utterances hold quotes, <, &, ']]>', non-ASCII, very long text and control
characters: every export stays well-formed, QDPX/QDC validate against the REFI-QDA schemas, and ROCK rebuilds to
the same graph."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import networkx as nx
import orjson
import pytest
import rdflib
from helpers import REPO, run
from lxml import etree

import verlicht.api as api
from verlicht.interop.graphfiles import read_back, read_gexf

SCHEMAS = REPO / "ontology" / "refi-qda"
ODD = 'Goedkope \\"woningen\\" <&> ’t café — ïë ß 東京 ]]> --> \\u0001 \\f eind'
LONG = "heel " * 400


@pytest.fixture(scope="module")
def odd(tmp_path_factory) -> api.Workspace:
    root = tmp_path_factory.mktemp("odd") / "ws"
    code, _out, err = run("init", str(root))
    assert code == 0, err
    codebook = root / "ontology" / "codebook.yaml"
    text = codebook.read_text(encoding="utf-8")
    text = text.replace('nl: "Goedkope, snel beschikbare woningen"', f'nl: "{ODD}"')
    text = text.replace("description: Aanbod van goedkope huurwoningen die snel vrijkomen.",
                        f'description: "{LONG} <tag> & \\" \\u0007"')
    codebook.write_text(text, encoding="utf-8")
    source = root / "interviews" / "voorbeeld.rock"
    text = source.read_text(encoding="utf-8")
    text = text.replace("je kent je buren niet meer.", "je kent je \"buren\" <niet> & meer ’t café \f naïef 東京 "
                        + LONG)
    source.write_text(text, encoding="utf-8")
    ws = api.open(root)
    ws.build()
    concept = ws.graph.nodes["concept:goedkope_woningen"]
    assert "\x01" in concept["label_nl"] and "東京" in concept["label_nl"]  # the odd text really is in the graph
    return ws


@pytest.mark.parametrize(("fmt", "parser"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_rdf_exports_of_odd_labels_parse_back_with_the_labels(odd, fmt, parser):
    graph = rdflib.Graph().parse(data=odd.export(fmt), format=parser)
    labels = {str(o) for o in graph.objects() if isinstance(o, rdflib.Literal)}
    assert odd.graph.nodes["concept:goedkope_woningen"]["label_nl"] in labels


def test_graphml_and_gexf_of_odd_labels_are_well_formed_and_read_back(odd, tmp_path):
    for fmt in ("graphml", "gexf"):
        odd.export(fmt, tmp_path / f"x.{fmt}")
        etree.parse(str(tmp_path / f"x.{fmt}"))
    found = read_back(nx.read_graphml(tmp_path / "x.graphml"))
    label = found.nodes["concept:goedkope_woningen"]["label_nl"]
    assert label == odd.graph.nodes["concept:goedkope_woningen"]["label_nl"].replace("\x01", "\ufffd").replace(
        "\x0c", "\ufffd")
    assert "<&>" in label and "東京" in label
    assert read_gexf(tmp_path / "x.gexf").nodes["concept:goedkope_woningen"]["label_nl"] == label


def test_qdc_and_qdpx_of_odd_labels_validate_against_the_refi_qda_schemas(odd, tmp_path):
    odd.export("qdc", tmp_path / "x.qdc")
    odd.export("qdpx", tmp_path / "x.qdpx")
    etree.XMLSchema(etree.parse(str(SCHEMAS / "Codebook.xsd"))).assertValid(etree.parse(str(tmp_path / "x.qdc")))
    with zipfile.ZipFile(tmp_path / "x.qdpx") as archive:
        project = etree.fromstring(archive.read("project.qde"))
        text = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".txt")).decode()
    etree.XMLSchema(etree.parse(str(SCHEMAS / "Project.xsd"))).assertValid(project)
    description = project.xpath("//p:Code[@name='goedkope_woningen']/p:Description/text()",
                                namespaces={"p": "urn:QDA-XML:project:1.0"})[0]
    assert description.startswith("Goedkope \"woningen\" <&> ’t café") and "\ufffd" in description
    assert "\"buren\" <niet> & meer" in text


def test_rock_export_of_odd_labels_rebuilds_to_the_same_graph(odd, tmp_path):
    exported = tmp_path / "exported"
    odd.export("rock", exported)
    for item in Path(odd.root).iterdir():
        if item.name not in ("interviews", "graphs"):
            (shutil.copytree if item.is_dir() else shutil.copyfile)(item, exported / item.name)
    api.open(exported).build()

    def graph(folder: Path) -> dict:
        data = orjson.loads((folder / "graphs" / "verlicht.json").read_bytes())
        for node in data["nodes"]:
            node.pop("sha256", None)
        return data

    assert graph(exported) == graph(Path(odd.root))


def test_odd_labels_still_validate_against_the_shapes(odd):
    assert odd.validate()["conforms"]
