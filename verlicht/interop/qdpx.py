"""REFI-QDA: the codebook as ``.qdc`` and the coded interviews as ``.qdpx``, for ATLAS.ti, NVivo and MAXQDA;
and a ``.qdc`` codebook from those tools imported into ``ontology/codebook.yaml``.

What maps to what (QDA-XML 1.0, the REFI-QDA 1.5 standard; schemas in ``ontology/refi-qda/``):

* every concept is a codable ``Code`` (name = the ROCK code, so it comes back unchanged), grouped under
  one non-codable ``Code`` per concept type (actor, factor …); themes become ``Sets`` of codes;
* every interview is a ``TextSource`` whose plain text (``sources/<guid>.txt``) is its utterances, one a
  line; every coded utterance is a ``PlainTextSelection`` over its characters (Unicode code points, end
  exclusive) with one ``Coding`` per code and per end of a network code on it;
* network codes, which QDA-XML has no code type for, become ``Links`` between the two codes: one per
  causal claim (``OneWay``, named by its edge type and polarity) and per relation type (``Associative``);
* respondents are ``Cases`` (group, role and wijk as variables) referring to their interviews; coders
  are ``Users``, the creators of their selections.

GUIDs are UUID 5 of the node's IRI, and the zip has fixed dates: the same build gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree as ET

from lxml import etree

from verlicht import __version__
from verlicht.errors import ExchangeFormatError, Location
from verlicht.fsio import atomic_write_bytes
from verlicht.gcpause import gc_paused
from verlicht.graph.store import Provenance
from verlicht.interop.registry import exporter
from verlicht.interop.xmltext import xml_safe

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
CONCEPT_TYPES = ("actor", "factor", "mechanism", "intervention", "outcome", "context")
TYPE_COLOURS = {"actor": "#1f4e9c", "factor": "#555555", "mechanism": "#8e44ad", "intervention": "#e67e22",
                "outcome": "#1a7f37", "context": "#7f8c8d"}
POLARITY_WORDS = {"+": "versterkt", "-": "verzwakt", "?": "beïnvloedt"}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def guid(base_iri: str, ident: str) -> str:
    """A stable GUID for a node id: UUID 5 of its IRI, in the upper case the standard's examples use.

    Worked out with hashlib directly (``uuid.uuid5`` builds an object per call; a project needs one per
    coded utterance): the same SHA-1 of the URL namespace and the name, version 5, RFC 4122 variant.

    >>> guid("https://w3id.org/verlicht/", "concept:armoede") == str(
    ...     uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/verlicht/concept:armoede")).upper()
    True
    """
    digest = bytearray(hashlib.sha1(_URL_NAMESPACE + (base_iri + ident).encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex().upper()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_URL_NAMESPACE = uuid.NAMESPACE_URL.bytes


def _origin() -> str:
    return f"VERLICHT {__version__}"


def _element(ns: str, tag: str, **attributes: str) -> etree._Element:
    """An element in ``ns`` declared as the default namespace (lxml drops the declaration once it is
    appended below an element that has it already)."""
    return etree.Element(f"{{{ns}}}{tag}", attributes, nsmap={None: ns})


def _codes(ws: Any, ns: str) -> tuple[etree._Element, dict[str, str]]:
    """The ``Codes`` element (types, then their concepts) and each concept code's GUID."""
    base = ws.layout.config.base_iri
    codes = _element(ns, "Codes")
    by_code: dict[str, str] = {}
    concepts = sorted(ws.graph.of_kind("Concept"), key=lambda c: c["code"])
    order = {kind: n for n, kind in enumerate(CONCEPT_TYPES)}
    kinds = sorted({c.get("type") or "factor" for c in concepts}, key=lambda t: (order.get(t, len(order)), t))
    for kind in kinds:
        group = etree.SubElement(codes, f"{{{ns}}}Code", guid=guid(base, f"concept-type:{kind}"), name=kind,
                              isCodable="false", color=TYPE_COLOURS.get(kind, "#555555"))
        for concept in concepts:
            if (concept.get("type") or "factor") != kind:
                continue
            ident = guid(base, concept["id"])
            by_code[concept["code"]] = ident
            code = etree.SubElement(group, f"{{{ns}}}Code", guid=ident, name=concept["code"], isCodable="true",
                                 color=TYPE_COLOURS.get(kind, "#555555"))
            text = " — ".join(t for t in (concept.get("label_nl"), concept.get("description")) if t)
            if text:
                description = _element(ns, "Description")
                description.text = xml_safe(text)
                code.insert(0, description)
    return codes, by_code


def _sets(ws: Any, ns: str, by_code: dict[str, str], member: str) -> etree._Element | None:
    """One set of codes per theme of the codebook."""
    base = ws.layout.config.base_iri
    themes: dict[str, list[str]] = defaultdict(list)
    for concept in ws.graph.of_kind("Concept"):
        if concept.get("theme") and concept["code"] in by_code:
            themes[concept["theme"]].append(concept["code"])
    if not themes:
        return None
    sets = _element(ns, "Sets")
    for theme in sorted(themes):
        node = ws.graph.nodes.get(f"theme:{theme}", {})
        element = etree.SubElement(sets, f"{{{ns}}}Set", guid=guid(base, f"theme:{theme}"),
                                name=xml_safe(node.get("label_nl") or theme))
        for code in sorted(themes[theme]):
            etree.SubElement(element, f"{{{ns}}}{member}",
                          {"guid" if member == "MemberCode" and ns == CODEBOOK_NS else "targetGUID": by_code[code]})
    return sets


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)


def codebook_xml(ws: Any) -> bytes:
    """The codebook as a REFI-QDA ``.qdc`` document."""
    root = _element(CODEBOOK_NS, "CodeBook", origin=_origin())
    codes, by_code = _codes(ws, CODEBOOK_NS)
    root.append(codes)
    sets = _sets(ws, CODEBOOK_NS, by_code, "MemberCode")
    if sets is not None:
        root.append(sets)
    return _xml(root)


def _leaf(code: str) -> str:
    return code.rsplit(">", 1)[-1]


def _ends(network: str) -> list[str]:
    """The two codes of a network code as provenance writes it: ``cause->effect||type[||weight]``."""
    head = network.split("||", 1)[0]
    return [_leaf(end) for end in head.split("->", 1)] if "->" in head else []


def project(ws: Any) -> tuple[bytes, dict[str, bytes]]:
    """The ``project.qde`` document and the plain-text source files (name → bytes) of a ``.qdpx``."""
    ns = PROJECT_NS
    base = ws.layout.config.base_iri
    graph = ws.graph
    prov = Provenance(ws.layout.graphs)
    root = _element(ns, "Project", name=xml_safe(ws.name), origin=_origin())
    codes, by_code = _codes(ws, ns)
    sources = _element(ns, "Sources")
    files: dict[str, bytes] = {}
    coders: set[str] = set()
    for source in sorted(graph.of_kind("Source"), key=lambda s: s["path"]):
        source_guid = guid(base, source["id"])
        element = etree.SubElement(sources, f"{{{ns}}}TextSource", guid=source_guid,
                                name=xml_safe(Path(source["path"]).name), plainTextPath=f"internal://{source_guid}.txt")
        lines: list[str] = []
        offset = 0
        for row in sorted(prov.source(source["path"]).values(), key=lambda r: r["line"]):
            text = row["text"]
            start, offset = offset, offset + len(text) + 1
            lines.append(text)
            names = [_leaf(c) for c in row.get("codes", ())]
            for network in row.get("network", ()):
                names += _ends(network)
            targets = sorted({by_code[n] for n in names if n in by_code})
            if not targets:
                continue
            attrs = {"guid": guid(base, row["id"]), "name": xml_safe(row.get("uid")) or f"L{row['line']}",
                     "startPosition": str(start), "endPosition": str(start + len(text))}
            if row.get("coder"):
                coders.add(row["coder"])
                attrs["creatingUser"] = guid(base, f"coder:{row['coder']}")
            selection = etree.SubElement(element, f"{{{ns}}}PlainTextSelection", attrs)
            for target in targets:
                coding = etree.SubElement(selection, f"{{{ns}}}Coding", guid=guid(base, f"{row['id']}|{target}"))
                etree.SubElement(coding, f"{{{ns}}}CodeRef", targetGUID=target)
        files[f"{source_guid}.txt"] = "\n".join(lines).encode("utf-8")
    if coders:
        users = etree.SubElement(root, f"{{{ns}}}Users")
        for coder in sorted(coders):
            etree.SubElement(users, f"{{{ns}}}User", guid=guid(base, f"coder:{coder}"), name=coder, id=coder)
    codebook = etree.SubElement(root, f"{{{ns}}}CodeBook")
    codebook.append(codes)
    _cases(ws, root, ns)
    if len(sources):
        root.append(sources)
    links = _links(ws, ns, by_code)
    if links is not None:
        root.append(links)
    sets = _sets(ws, ns, by_code, "MemberCode")
    if sets is not None:
        root.append(sets)
    return _xml(root), files


VARIABLES = ("group", "role", "wijk")


def _cases(ws: Any, root: etree._Element, ns: str) -> None:
    base = ws.layout.config.base_iri
    graph = ws.graph
    respondents = sorted(graph.of_kind("Respondent"), key=lambda r: r["id"])
    if not respondents:
        return
    variables = etree.SubElement(root, f"{{{ns}}}Variables")
    for name in VARIABLES:
        etree.SubElement(variables, f"{{{ns}}}Variable", guid=guid(base, f"variable:{name}"), name=name,
                      typeOfVariable="Text")
    cases = etree.SubElement(root, f"{{{ns}}}Cases")
    sources_of: dict[str, list[str]] = defaultdict(list)
    for edge in graph.edges_of("INTERVIEWED_IN"):
        sources_of[edge["source"]].append(edge["target"])
    for respondent in respondents:
        case = etree.SubElement(cases, f"{{{ns}}}Case", guid=guid(base, respondent["id"]),
                                name=xml_safe(respondent["case"]))
        for name in VARIABLES:
            if respondent.get(name):
                value = etree.SubElement(case, f"{{{ns}}}VariableValue")
                etree.SubElement(value, f"{{{ns}}}VariableRef", targetGUID=guid(base, f"variable:{name}"))
                etree.SubElement(value, f"{{{ns}}}TextValue").text = xml_safe(str(respondent[name]))
        for source in sorted(sources_of[respondent["id"]]):
            etree.SubElement(case, f"{{{ns}}}SourceRef", targetGUID=guid(base, source))


def _links(ws: Any, ns: str, by_code: dict[str, str]) -> etree._Element | None:
    base = ws.layout.config.base_iri
    graph = ws.graph
    links = _element(ns, "Links")
    for assumption in sorted(graph.of_kind("Assumption"), key=lambda a: a["id"]):
        cause, effect = by_code.get(assumption["cause"]), by_code.get(assumption["effect"])
        if cause and effect:
            name = "/".join(assumption.get("types") or ()) or POLARITY_WORDS.get(assumption["polarity"], "causal")
            colour = {"+": "#1A7F37", "-": "#C62828"}.get(assumption["polarity"], "#555555")
            etree.SubElement(links, f"{{{ns}}}Link", guid=guid(base, assumption["id"]), name=name, direction="OneWay",
                          color=colour, originGUID=cause, targetGUID=effect)
    for edge in sorted(graph.edges_of("RELATED"), key=lambda e: (e["source"], e["target"])):
        source, target = by_code.get(edge["source"].split(":", 1)[1]), by_code.get(edge["target"].split(":", 1)[1])
        for type_ in sorted(edge.get("types", {})):
            if source and target:
                etree.SubElement(links, f"{{{ns}}}Link", guid=guid(base, f"{edge['source']}|{type_}|{edge['target']}"),
                              name=type_, direction="Associative", color="#1F4E9C", originGUID=source,
                              targetGUID=target)
    return links if len(links) else None


def qdpx_bytes(ws: Any) -> bytes:
    """The ``.qdpx`` zip: ``project.qde`` and ``sources/<guid>.txt``, in a fixed order with fixed dates."""
    with gc_paused():
        document, files = project(ws)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("project.qde", document), *((f"sources/{k}", v) for k, v in sorted(files.items()))]:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


@exporter("qdc", suffix=".qdc", binary=True,
          help="REFI-QDA codebook (ATLAS.ti, NVivo, MAXQDA): concepts grouped by type, themes as sets.")
def export_qdc(ws: Any, out: IO[bytes]) -> None:
    """The codebook XML, to a file with -o or to stdout."""
    out.write(codebook_xml(ws))


@exporter("qdpx", to_path=True, suffix=".qdpx", binary=True,
          help="REFI-QDA project: interviews, codes, coded segments, network codes as links, respondents as cases.")
def export_qdpx(ws: Any, out_path: Path) -> Path:
    out_path = Path(out_path)
    atomic_write_bytes(out_path, qdpx_bytes(ws))
    return out_path


# -- import ------------------------------------------------------------------------------------------

def _slug(name: str) -> str:
    """A code name as a ROCK code: ASCII lower case, words joined by '_'.

    >>> _slug("Eenzaamheid onder ouderen"), _slug("Thema's"), _slug("2e generatie")
    ('eenzaamheid_onder_ouderen', 'thema_s', 'code_2e_generatie')
    """
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_")
    return f"code_{slug}" if slug[:1].isdigit() else slug  # ROCK codes start with a letter


def read_qdc(path: Path, shown: str | None = None) -> list[dict[str, Any]]:
    """The codable codes of a ``.qdc`` file: ``code`` (the name as a ROCK code), ``name``, ``type`` (the
    nearest enclosing code named as a concept type, else ``factor``), ``description``, ``parent``."""
    shown = shown or str(path)
    try:
        tree = ET.parse(path)
    except FileNotFoundError:
        raise ExchangeFormatError(f"no such file: {shown}", None, "give the path of a .qdc file") from None
    except ET.ParseError as exc:
        line, col = exc.position
        raise ExchangeFormatError(f"not well-formed XML: {exc.msg if hasattr(exc, 'msg') else exc}",
                                  Location(shown, line, col + 1), "export the codebook again from the QDA program"
                                  ) from None
    root = tree.getroot()
    if root.tag != f"{{{CODEBOOK_NS}}}CodeBook":
        raise ExchangeFormatError(f"not a REFI-QDA codebook (root element {root.tag})", Location(shown),
                                  f"a .qdc file has a CodeBook element in namespace {CODEBOOK_NS}")
    codes_element = root.find(f"{{{CODEBOOK_NS}}}Codes")
    out: list[dict[str, Any]] = []

    def walk(element: ET.Element, kind: str, parent: str | None) -> None:
        for code in element.findall(f"{{{CODEBOOK_NS}}}Code"):
            name = (code.get("name") or "").strip()
            if not name:
                raise ExchangeFormatError("a Code without a name", Location(shown), "give every code a name")
            slug = _slug(name)
            own_kind = slug if slug in CONCEPT_TYPES else kind
            description = (code.findtext(f"{{{CODEBOOK_NS}}}Description") or "").strip()
            if code.get("isCodable", "true").strip().lower() in ("true", "1") and slug not in CONCEPT_TYPES:
                if not slug:
                    raise ExchangeFormatError(f"code '{name}' has no letters or digits to make a ROCK code of",
                                              Location(shown), "rename it in the QDA program")
                out.append({"code": slug, "name": name, "type": own_kind, "description": description,
                            "parent": parent})
            walk(code, own_kind, slug if slug not in CONCEPT_TYPES else parent)

    if codes_element is not None:
        walk(codes_element, "factor", None)
    return out


def import_qdc(layout: Any, path: Path, dry_run: bool = False) -> list[dict[str, Any]]:
    """Add the codes of a ``.qdc`` codebook that ``ontology/codebook.yaml`` lacks; one row per code saying
    ``add`` or ``exists``. With ``dry_run`` nothing is written. The new codebook is loaded and checked
    before it replaces the old one, which is written whole or not at all."""
    from verlicht.codebook import load_codebook
    from verlicht.fsio import atomic_write_text, folder_lock

    file = layout.ontology / "codebook.yaml"
    shown = layout.shown(file)
    codes = read_qdc(Path(path), str(path))
    with folder_lock(file.parent):
        existing = load_codebook(file, shown).concepts if file.exists() else {}
        rows, seen = [], set()
        for code in codes:
            action = "exists" if code["code"] in existing or code["code"] in seen else "add"
            seen.add(code["code"])
            rows.append({**code, "action": action})
        new = [r for r in rows if r["action"] == "add"]
        if dry_run or not new:
            return rows
        text = file.read_text(encoding="utf-8") if file.exists() else "version: 1\nconcepts:\n"
        block = "".join(_yaml_concept(r) for r in new)
        block = f"\n  # imported from {Path(path).name} (REFI-QDA codebook)\n{block}"
        at = re.search(r"^edge_types:", text, re.MULTILINE)
        updated = text[:at.start()] + block.lstrip("\n") + "\n" + text[at.start():] if at else text.rstrip(
            "\n") + "\n" + block
        check = file.with_name(f".{file.name}.import-check.yaml")
        try:
            check.write_text(updated, encoding="utf-8")
            load_codebook(check, shown)
        finally:
            check.unlink(missing_ok=True)
        atomic_write_text(file, updated)
    return rows


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _yaml_key(code: str) -> str:
    """``code`` as a mapping key that reads back as that string: YAML 1.1 reads ``yes``, ``no``, ``on``, ``off``,
    ``true``, ``null`` … as booleans or null, so a code named so is quoted."""
    import yaml

    return code if yaml.safe_load(f"{code}: 0") == {code: 0} else _quote(code)


def _yaml_concept(row: dict[str, Any]) -> str:
    lines = [f"  {_yaml_key(row['code'])}:", f"    type: {row['type']}", f"    label: {{nl: {_quote(row['name'])}}}"]
    if row["description"]:
        lines.append(f"    description: {_quote(row['description'])}")
    return "\n".join(lines) + "\n"
