"""``verlicht indicators fetch-cbs``, offline: cbsodata talks to a local server that serves the OData v3 fixtures."""

from __future__ import annotations

import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from helpers import run

CBS = Path(__file__).parent.parent / "data" / "cbs"
PAGE = 2  # records per TypedDataSet page, so that cbsodata has to follow odata.nextLink


def _fixture(name: str) -> list:
    return json.loads((CBS / name).read_text(encoding="utf-8-sig"))["value"]


class FakeCBS(BaseHTTPRequestHandler):
    """The part of opendata.cbs.nl/ODataFeed that cbsodata uses, for table 85618NED."""

    requests: ClassVar[list[str]] = []
    resources: ClassVar[dict[str, list]] = {
        "TableInfos": _fixture("85618NED_TableInfos.json"),
        "DataProperties": _fixture("85618NED_DataProperties.json"),
        "TypedDataSet": _fixture("85618NED_TypedDataSet.json"),
        "UntypedDataSet": [],
        "CategoryGroups": [],
        "WijkenEnBuurten": _fixture("85618NED_WijkenEnBuurten.json"),
    }

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        found = re.match(r"^/ODataFeed/odata/([^/]+)/(\w*)$", parts.path)
        if not found or found.group(1) != "85618NED":
            self._send(404, {"odata.error": {"code": "", "message": {"lang": "nl", "value": "Not found"}}})
            return
        base = f"http://{self.headers['Host']}/ODataFeed/odata/85618NED/"
        name = found.group(2)
        if name == "":
            self._send(200, {"odata.metadata": base + "$metadata",
                             "value": [{"name": n, "url": base + n} for n in self.resources]})
            return
        rows = list(self.resources[name])
        metadata = {"odata.metadata": f"{base}$metadata#Cbs.OData.WebAPI.{name}"}
        if name == "TypedDataSet":
            codes = re.findall(r"substringof\('([^']+)',WijkenEnBuurten\)", query.get("$filter", ""))
            if codes:
                rows = [r for r in rows if any(c in r["WijkenEnBuurten"] for c in codes)]
            if "$select" in query:
                keep = query["$select"].split(",")
                rows = [{k: v for k, v in r.items() if k in keep} for r in rows]
            skip = int(query.get("$skiptoken", 0))
            page = rows[skip:skip + PAGE]
            if skip + PAGE < len(rows):
                rest = "&".join(f"{k}={quote(v)}" for k, v in query.items() if k != "$skiptoken")
                metadata["odata.nextLink"] = f"{base}TypedDataSet?{rest}&$skiptoken={skip + PAGE}"
            rows = page
        self._send(200, {**metadata, "value": rows})


@pytest.fixture
def cbs_server(monkeypatch):
    FakeCBS.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeCBS)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("VERLICHT_CBS_URL", f"http://127.0.0.1:{server.server_address[1]}")
    yield FakeCBS
    server.shutdown()
    server.server_close()


@pytest.fixture
def ws(cbs_ws: Path) -> Path:
    return cbs_ws


def test_fetch_keeps_the_raw_json_and_imports_the_mapped_measures_of_known_regions(ws, cbs_server):
    code, out, err = run("indicators", "fetch-cbs", "85618NED", workspace=ws)
    assert code == 0, err
    saved = json.loads((ws / "indicators" / "cbs" / "85618NED.json").read_text(encoding="utf-8"))
    assert [r["WijkenEnBuurten"] for r in saved["TypedDataSet"]] == ["NL00      ", "GM0917    ", "WK091710  "]
    assert [c["Key"] for c in saved["WijkenEnBuurten"]] == ["NL00      ", "GM0917    ", "WK091710  "]  # trimmed
    assert saved["TableInfos"][0]["Identifier"] == "85618NED"
    observations = (ws / "indicators" / "observations.csv").read_text(encoding="utf-8")
    assert observations == (
        "indicator,area,period,value\n"
        "bijstand,heerlen,2022,5.9\n"
        "inwoners,heerlen,2023,86762\n"
        "inwoners,heerlen_noord,2024,56000\n"
        "inwoners,kasteelbuurt_hoofdstraat_west,2023,4175\n"
        "inwoners,nederland,2023,17811291\n"
        "woz_waarde,heerlen,2023,198000\n"
        "woz_waarde,nederland,2023,371000\n")
    data_requests = [r for r in cbs_server.requests if "/TypedDataSet" in r]
    assert len(data_requests) == 2  # the second page came through odata.nextLink
    query = parse_qs(urlsplit(data_requests[0]).query)
    assert query["$select"] == ["ID,WijkenEnBuurten,AantalInwoners_5,GemiddeldeWOZWaardeVanWoningen_35"]
    assert "substringof('GM0917',WijkenEnBuurten)" in query["$filter"][0]
    assert "fetched indicators/cbs/85618NED.json and imported into indicators/observations.csv" in err
    assert out.splitlines()[-1].split()[:6] == ["(all)", "5", "0", "0", "0", "1"]


def test_the_saved_json_imports_again_without_a_network(ws, cbs_server, monkeypatch):
    assert run("indicators", "fetch-cbs", "85618NED", workspace=ws)[0] == 0
    before = (ws / "indicators" / "observations.csv").read_bytes()
    monkeypatch.setenv("VERLICHT_CBS_URL", "http://127.0.0.1:9")
    code, out, err = run("indicators", "import", str(ws / "indicators" / "cbs" / "85618NED.json"), "--format", "json",
                         workspace=ws)
    assert code == 0, err
    assert json.loads(out)[-1]["unchanged"] == 5
    assert (ws / "indicators" / "observations.csv").read_bytes() == before


def test_fetch_takes_measures_and_regions_from_the_options(ws, cbs_server):
    code, _, err = run("indicators", "fetch-cbs", "85618NED", "--measure", "AantalInwoners_5", "--region", "gm0917",
                       workspace=ws)
    assert code == 0, err
    saved = json.loads((ws / "indicators" / "cbs" / "85618NED.json").read_text(encoding="utf-8"))
    assert saved["TypedDataSet"] == [{"ID": 3140, "WijkenEnBuurten": "GM0917    ", "AantalInwoners_5": 86762}]
    assert "inwoners,heerlen,2023,86762" in (ws / "indicators" / "observations.csv").read_text(encoding="utf-8")


def test_fetch_dry_run_writes_nothing(ws, cbs_server):
    before = (ws / "indicators" / "observations.csv").read_bytes()
    code, out, err = run("indicators", "fetch-cbs", "85618NED", "--dry-run", "--format", "csv", workspace=ws)
    assert code == 0, err
    assert out.splitlines()[-1].startswith("(all),5,0,0,0,1")
    assert not (ws / "indicators" / "cbs").exists()
    assert (ws / "indicators" / "observations.csv").read_bytes() == before


def test_unknown_table_and_unknown_measure_are_one_line_errors(ws, cbs_server):
    code, _, err = run("indicators", "fetch-cbs", "99999NED", workspace=ws)
    assert code == 1
    assert err.strip().startswith("error: CBS has no table '99999NED' at 127.0.0.1:")
    code, _, err = run("indicators", "fetch-cbs", "85618NED", "--measure", "Inwoners_99", workspace=ws)
    assert code == 1
    assert "table 85618NED has no measure 'Inwoners_99' — its measures include AantalInwoners_5" in err
    assert not (ws / "indicators" / "cbs").exists()


def test_bad_table_id_and_region_are_refused_before_any_request(ws, cbs_server):
    assert "is not a CBS table id" in run("indicators", "fetch-cbs", "85618NED'", workspace=ws)[2]
    assert "is not a CBS region code" in run("indicators", "fetch-cbs", "85618NED", "--region", "Heerlen",
                                             workspace=ws)[2]
    assert cbs_server.requests == []


def test_without_a_network_fetch_says_so_in_one_line(ws, monkeypatch):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("VERLICHT_CBS_URL", f"http://127.0.0.1:{port}")
    code, out, err = run("indicators", "fetch-cbs", "85618NED", workspace=ws)
    assert code == 1
    assert err.splitlines() == [f"error: cannot reach CBS open data at 127.0.0.1:{port} (no network?) — fetch where "
                                "there is a network, or import a downloaded file with 'verlicht indicators import'"]
    assert out == ""


def _mapping(ws: Path, text: str) -> None:
    (ws / "indicators" / "cbs_mapping.toml").write_text(text, encoding="utf-8")


INWONERS_85618 = '[[measures]]\nindicator = "inwoners"\ntable = "85618NED"\nkey = "AantalInwoners_5"\n'


def test_a_table_nothing_maps_is_refused_before_any_request(ws, cbs_server):
    _mapping(ws, INWONERS_85618)
    code, _, err = run("indicators", "fetch-cbs", "83765NED", workspace=ws)
    assert code == 1
    assert err.splitlines() == [
        "error: nothing in the catalogue or indicators/cbs_mapping.toml takes figures from 83765NED — map it first: "
        "cbs_table = 83765NED and cbs_measure in the catalogue, or a [[measures]] entry with table = \"83765NED\" "
        "(see docs/CBS_IMPORT.md)"]
    assert cbs_server.requests == []
    assert not (ws / "indicators" / "cbs").exists()


def test_a_measure_nothing_maps_is_refused_before_any_request_and_named(ws, cbs_server):
    _mapping(ws, INWONERS_85618)
    code, _, err = run("indicators", "fetch-cbs", "85618NED", "--measure", "GemiddeldeWOZWaardeVanWoningen_35",
                       workspace=ws)
    assert code == 1
    assert err.splitlines() == [
        "error: no indicator takes measure 'GemiddeldeWOZWaardeVanWoningen_35' of 85618NED — map it first: a "
        "[[measures]] entry with indicator = \"<id>\", table = \"85618NED\", "
        "key = \"GemiddeldeWOZWaardeVanWoningen_35\" in indicators/cbs_mapping.toml, or cbs_measure in the catalogue"]
    assert cbs_server.requests == []


def test_with_title_rules_an_unmapped_measure_is_refused_before_the_figures_are_fetched(ws, cbs_server):
    _mapping(ws, '[[measures]]\nindicator = "inwoners"\ntable = "85618NED"\ntitle = "Aantal inwoners"\n')
    code, _, err = run("indicators", "fetch-cbs", "85618NED", "--measure", "GemiddeldeWOZWaardeVanWoningen_35",
                       workspace=ws)
    assert code == 1
    assert "no indicator takes measure 'GemiddeldeWOZWaardeVanWoningen_35' of 85618NED" in err
    assert [r for r in cbs_server.requests if "TypedDataSet" in r] == []
    code, _, err = run("indicators", "fetch-cbs", "85618NED", "--measure", "AantalInwoners_5", workspace=ws)
    assert code == 0, err  # its title is mapped


def test_a_table_none_of_whose_mapped_keys_it_has_is_refused_before_the_figures_are_fetched(ws, cbs_server):
    _mapping(ws, INWONERS_85618.replace("AantalInwoners_5", "AantalInwoners_6"))
    code, _, err = run("indicators", "fetch-cbs", "85618NED", workspace=ws)
    assert code == 1
    assert err.startswith("error: table 85618NED has none of the measures mapped to it (AantalInwoners_6)")
    assert [r for r in cbs_server.requests if "TypedDataSet" in r] == []


def test_the_help_examples_name_a_table_and_measure_of_the_demo_and_the_file_fetch_cbs_keeps(demo, monkeypatch):
    _, fetch_help, _ = run("indicators", "fetch-cbs", "--help")
    [example] = [line.split()[1:] for line in fetch_help.splitlines() if line.strip().startswith("verlicht ")]
    assert example[:3] == ["indicators", "fetch-cbs", "85984NED"]
    _, import_help, _ = run("indicators", "import", "--help")
    assert "verlicht indicators import indicators/cbs/85984NED.json --dry-run" in import_help
    with socket.socket() as probe:  # a port nobody listens on: the example gets as far as the request
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("VERLICHT_CBS_URL", f"http://127.0.0.1:{port}")
    code, _, err = run(*example, workspace=demo)
    assert code == 1
    assert err.startswith(f"error: cannot reach CBS open data at 127.0.0.1:{port}")
