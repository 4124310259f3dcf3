"""REFI-QDA: .qdc and .qdpx validate against the standard's schemas and say what the build says; .qdc imports."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from helpers import DATA, REPO, run
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import verlicht.api as api
from verlicht.codebook import load_codebook
from verlicht.errors import ExchangeFormatError
from verlicht.interop import qdpx
from verlicht.interop.registry import get_exporter

SCHEMAS = REPO / "ontology" / "refi-qda"
NS = {"p": qdpx.PROJECT_NS, "c": qdpx.CODEBOOK_NS}


def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> api.Workspace:
    import shutil

    target = tmp_path_factory.mktemp("qda") / "demo"
    target.mkdir()
    for name in ("verlicht.toml", "interviews", "ontology", "indicators", "logic"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target / name)
    ws = api.open(target)
    ws.build()
    return ws


def test_qdc_validates_against_the_codebook_schema_and_holds_every_concept(built, tmp_path):
    out = tmp_path / "codebook.qdc"
    built.export("qdc", out)
    document = etree.parse(str(out))
    schema = _schema("Codebook.xsd")
    assert schema.validate(document), schema.error_log
    codable = document.xpath("//c:Code[@isCodable='true']/@name", namespaces=NS)
    assert sorted(codable) == sorted(c["code"] for c in built.graph.of_kind("Concept"))
    groups = document.xpath("/c:CodeBook/c:Codes/c:Code/@name", namespaces=NS)
    assert groups[:2] == ["actor", "factor"] and set(groups) <= set(qdpx.CONCEPT_TYPES)
    assert document.xpath("//c:Set/@name", namespaces=NS)  # themes as sets


def test_qdpx_project_validates_against_the_project_schema(built, tmp_path):
    out = get_exporter("qdpx").write(built, tmp_path / "demo.qdpx")
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        document = etree.fromstring(archive.read("project.qde"))
    schema = _schema("Project.xsd")
    assert schema.validate(document), schema.error_log
    sources = document.xpath("//p:TextSource", namespaces=NS)
    assert len(sources) == 12
    assert sorted(names[1:]) == sorted(f"sources/{s.get('guid')}.txt" for s in sources)
    assert all(s.get("plainTextPath") == f"internal://{s.get('guid')}.txt" for s in sources)


def test_selections_cover_exactly_the_utterance_text(built):
    document, files = qdpx.project(built)
    root = etree.fromstring(document)
    source = root.xpath("//p:TextSource[@name='r01.rock']", namespaces=NS)[0]
    text = files[f"{source.get('guid')}.txt"].decode("utf-8")
    selection = source.xpath("p:PlainTextSelection[@name='7daxz5wr']", namespaces=NS)[0]
    start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
    assert text[start:end] == ("Ja, weet je, de huizen hier zijn goedkoop. Wie nergens anders terecht kan, "
                               "heeft hier binnen een week iets.")
    code_names = {c.get("guid"): c.get("name") for c in root.xpath("//p:Code", namespaces=NS)}
    coded = {code_names[g] for g in selection.xpath("p:Coding/p:CodeRef/@targetGUID", namespaces=NS)}
    assert coded == {"instroom", "goedkope_woningen", "instroom_kwetsbaren"}


def test_network_codes_become_links_between_their_codes(built):
    root = etree.fromstring(qdpx.project(built)[0])
    code_names = {c.get("guid"): c.get("name") for c in root.xpath("//p:Code", namespaces=NS)}
    links = root.xpath("//p:Link", namespaces=NS)
    causal = {(code_names[k.get("originGUID")], code_names[k.get("targetGUID")], k.get("name"))
              for k in links if k.get("direction") == "OneWay"}
    assert ("verloop_bewoners", "sociale_cohesie", "causal_neg") in causal
    assert len(causal) == len(list(built.graph.of_kind("Assumption")))
    related = [k for k in links if k.get("direction") == "Associative"]
    assert len(related) == sum(len(e["types"]) for e in built.graph.edges_of("RELATED"))


def test_respondents_are_cases_with_their_interviews_and_group(built):
    root = etree.fromstring(qdpx.project(built)[0])
    case = root.xpath("//p:Case[@name='R01']", namespaces=NS)[0]
    assert case.xpath("p:VariableValue/p:TextValue/text()", namespaces=NS) == ["bewoner", "bewoner", "Vrieheide"]
    source_guid = root.xpath("//p:TextSource[@name='r01.rock']/@guid", namespaces=NS)[0]
    assert case.xpath("p:SourceRef/@targetGUID", namespaces=NS) == [source_guid]


def test_exports_are_the_same_bytes_for_the_same_build(built):
    assert qdpx.qdpx_bytes(built) == qdpx.qdpx_bytes(built)
    assert qdpx.codebook_xml(built) == qdpx.codebook_xml(built)
    with zipfile.ZipFile(io.BytesIO(qdpx.qdpx_bytes(built))) as archive:
        assert {i.date_time for i in archive.infolist()} == {qdpx.ZIP_DATE}


def test_import_qdc_adds_missing_codes_with_their_type_and_keeps_existing_ones(mini):
    file = DATA / "refi-qda" / "atlas_codebook.qdc"
    before = (mini / "ontology" / "codebook.yaml").read_text()
    code, out, _err = run("codebook", "import", str(file), "--dry-run", "--format", "csv", workspace=mini)
    assert code == 0
    assert out.splitlines() == [
        "action,code,type,name,parent,description",
        "add,buurtcoach,actor,Buurtcoach,,Coaches die bewoners in de wijk opzoeken.",
        "exists,gemeente_heerlen,actor,Gemeente Heerlen,,",
        'add,eenzaamheid_onder_ouderen,factor,Eenzaamheid onder ouderen,,"Ouderen met weinig ""contact"" in de buurt."',
        "add,digitale_uitsluiting,factor,Digitale uitsluiting,eenzaamheid_onder_ouderen,",
    ]
    assert (mini / "ontology" / "codebook.yaml").read_text() == before
    assert run("codebook", "import", str(file), workspace=mini)[0] == 0
    book = load_codebook(mini / "ontology" / "codebook.yaml", "ontology/codebook.yaml")
    assert book.concepts["buurtcoach"].type == "actor"
    assert book.concepts["eenzaamheid_onder_ouderen"].description == 'Ouderen met weinig "contact" in de buurt.'
    assert book.concepts["digitale_uitsluiting"].label_nl == "Digitale uitsluiting"
    again = api.open(mini).import_qdc(file)
    assert {r["action"] for r in again} == {"exists"}


def test_the_qdc_we_export_imports_back_as_the_same_codes(built, mini):
    out = mini / "demo.qdc"
    built.export("qdc", out)
    codes = qdpx.read_qdc(out)
    expected = {c["code"]: c["type"] for c in built.graph.of_kind("Concept")}
    assert {c["code"]: c["type"] for c in codes} == expected


def test_a_file_that_is_not_a_codebook_is_a_located_error(tmp_path, mini):
    broken = tmp_path / "broken.qdc"
    broken.write_text('<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0">\n<Codes>\n</CodeBook>\n')
    code, _out, err = run("codebook", "import", str(broken), workspace=mini)
    assert code == 1 and err.startswith(f"error: {broken}:4:3: not well-formed XML")
    other = tmp_path / "project.qdc"
    other.write_text('<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
    with pytest.raises(ExchangeFormatError, match="not a REFI-QDA codebook"):
        qdpx.read_qdc(Path(other))


def test_every_selection_of_every_source_covers_its_utterance_text(built):
    from verlicht.graph.store import Provenance

    document, files = qdpx.project(built)
    root = etree.fromstring(document)
    prov = Provenance(built.layout.graphs)
    checked = 0
    for source in root.xpath("//p:TextSource", namespaces=NS):
        text = files[f"{source.get('guid')}.txt"].decode("utf-8")
        utterances = {row.get("uid"): row["text"] for row in prov.source(f"interviews/{source.get('name')}").values()}
        for selection in source.xpath("p:PlainTextSelection", namespaces=NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == utterances[selection.get("name")]
            checked += 1
    assert checked == 158


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8")))
def test_read_qdc_fuzz_returns_codes_or_a_located_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "x.qdc"
    path.write_bytes(data)
    try:
        rows = qdpx.read_qdc(path)
    except ExchangeFormatError as exc:
        assert str(exc)
    else:
        assert isinstance(rows, list)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text("abcXYZé_ 19", min_size=1, max_size=12), st.booleans()), max_size=8))
def test_read_qdc_of_generated_codebooks_gives_each_codable_code(tmp_path_factory, codes):
    root = etree.Element(f"{{{qdpx.CODEBOOK_NS}}}CodeBook", nsmap={None: qdpx.CODEBOOK_NS})
    container = etree.SubElement(root, f"{{{qdpx.CODEBOOK_NS}}}Codes")
    for n, (name, codable) in enumerate(codes):
        etree.SubElement(container, f"{{{qdpx.CODEBOOK_NS}}}Code", guid=f"00000000-0000-0000-0000-{n:012d}",
                         name=name, isCodable="true" if codable else "false")
    path = tmp_path_factory.mktemp("gen") / "g.qdc"
    path.write_bytes(etree.tostring(root))
    try:
        rows = qdpx.read_qdc(path)
    except ExchangeFormatError as exc:
        assert "no letters or digits" in str(exc) or "without a name" in str(exc)
        return
    expected = [qdpx._slug(name) for name, codable in codes
                if codable and name.strip() and qdpx._slug(name) not in qdpx.CONCEPT_TYPES]
    assert [r["code"] for r in rows] == expected
    assert all(re.fullmatch(r"[a-z0-9_]+", r["code"]) for r in rows)


@given(st.text(max_size=40))
def test_guids_are_uuid5_of_the_iri(ident):
    import uuid

    base = "https://w3id.org/verlicht/"
    assert qdpx.guid(base, ident) == str(uuid.uuid5(uuid.NAMESPACE_URL, base + ident)).upper()


def test_imported_codes_named_like_yaml_booleans_or_with_quotes_read_back_as_those_codes(mini):
    file = DATA / "refi-qda" / "odd_names.qdc"
    assert run("codebook", "import", str(file), workspace=mini)[0] == 0
    book = load_codebook(mini / "ontology" / "codebook.yaml", "ontology/codebook.yaml")
    for code in ("yes", "off", "null", "wijk_team_1_co", "unicode_cafe"):
        assert code in book.concepts, code
    assert not [c for c in book.concepts if not isinstance(c, str)]
    assert book.concepts["wijk_team_1_co"].label_nl == 'Wijk: "team" #1 & co'
    assert book.concepts["wijk_team_1_co"].description == 'Line one: "quoted" <x> line two # not a comment - dash'
    assert book.concepts["unicode_cafe"].label_nl == "Ünïcode café — 東京"
    assert {r["action"] for r in api.open(mini).import_qdc(file)} == {"exists"}
