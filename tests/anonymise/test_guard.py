"""The privacy guard of 'verlicht build': the marker, the residual scan, the overrides, nothing written."""

from __future__ import annotations

from pathlib import Path

from anondata import PASSPHRASE
from helpers import run
from hypothesis import given, settings
from hypothesis import strategies as st

from verlicht.anonymise.guard import residual_findings
from verlicht.anonymise.keystore import KeyStore
from verlicht.workspace import init_workspace

MARKER = "---\nVERLICHT_anonymised:\n  tool: verlicht test\n---\n"


def workspace_with(tmp_path: Path, text: str, name: str = "r01.rock") -> Path:
    ws = init_workspace(tmp_path / "ws")
    (ws / "interviews" / name).write_text(text, encoding="utf-8")
    return ws


def test_a_source_without_the_marker_is_refused_with_its_path(tmp_path):
    ws = workspace_with(tmp_path, "[[uid=a1]] [[cid=R01]] Gewoon een zin.\n")
    code, _, err = run("build", workspace=ws)
    assert code == 1
    assert "error: interviews/r01.rock:1: source was not written by 'verlicht anonymise'" in err
    assert "--allow-unanonymised" in err
    assert not (ws / "graphs" / "verlicht.json").exists()


def test_allow_unanonymised_per_run_and_per_workspace(tmp_path):
    ws = workspace_with(tmp_path, "[[uid=a1]] [[cid=R01]] Gewoon een zin.\n")
    assert run("build", "--allow-unanonymised", workspace=ws)[0] == 0
    config = ws / "verlicht.toml"
    config.write_text(config.read_text().replace("require_marker = true", "require_marker = false"))
    assert run("build", workspace=ws)[0] == 0


def test_residual_contact_data_fails_the_build_even_when_allowed(tmp_path):
    text = MARKER + "[[uid=a1]] [[cid=R01]] Bel me op 06-12345678 als het kan.\n[[uid=a2]] Prima.\n"
    ws = workspace_with(tmp_path, text)
    code, _, err = run("build", "--allow-unanonymised", workspace=ws)
    assert code == 1
    assert "interviews/r01.rock:5: utterance text still holds a phone number" in err


def test_a_failed_guard_leaves_the_previous_graph_untouched(tmp_path):
    ws = workspace_with(tmp_path, MARKER + "[[uid=a1]] [[cid=R01]] Niks aan de hand.\n")
    assert run("build", workspace=ws)[0] == 0
    graph = (ws / "graphs" / "verlicht.json").read_bytes()
    (ws / "interviews" / "r01.rock").write_text(MARKER + "[[uid=a1]] Mail naar jan@example.nl\n", encoding="utf-8")
    code, _, err = run("build", workspace=ws)
    assert code == 1 and "an e-mail address" in err
    assert (ws / "graphs" / "verlicht.json").read_bytes() == graph


def test_names_from_the_key_are_found_when_the_key_opens(tmp_path, monkeypatch, config_home):
    ws = workspace_with(tmp_path, MARKER + "[[uid=a1]] [[cid=R01]] Toen kwam Schoonbrood langs.\n")
    key = KeyStore.create(config_home / "verlicht" / "keys" / "ws.verlicht-key", PASSPHRASE)
    key.pseudonym("PERSOON", "Schoonbrood")
    key.save()
    code, _, err = run("build", workspace=ws)
    assert code == 1
    assert "interviews/r01.rock:5: utterance text still holds a name from the pseudonym key" in err
    monkeypatch.delenv("VERLICHT_KEY_PASSPHRASE")
    assert run("build", workspace=ws)[0] == 0  # without the passphrase the key stays shut; patterns still run


def test_codes_ids_and_yaml_are_not_scanned():
    text = ("---\nVERLICHT_anonymised:\n  settings: 111222333\n---\n"
            "[[uid=111222333]] [[cid=R01]] Niks bijzonders [[kosten||6411 AB]].\n")
    assert residual_findings(text.encode(), "x.rock") == []
    found = residual_findings(b"[[uid=a1]] nummer 111222333 en NL91 ABNA 0417 1643 00\n", "x.rock")
    assert sorted(f.kind for f in found) == ["bsn", "iban"]


def test_the_scan_is_cached_by_file_stamp(tmp_path):
    ws = workspace_with(tmp_path, MARKER + "[[uid=a1]] [[cid=R01]] Niks aan de hand.\n")
    assert run("build", workspace=ws)[0] == 0
    cache = ws / "graphs" / ".cache" / "privacy.json"
    assert '"interviews/r01.rock"' in cache.read_text()


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300) | st.text(max_size=200).map(lambda t: t.encode("utf-8")))
def test_the_residual_scan_takes_any_bytes(data):
    findings = residual_findings(data, "x.rock", names=["Schoonbrood"])
    lines = data.count(b"\n") + 1
    assert all(1 <= f.line <= lines for f in findings)
