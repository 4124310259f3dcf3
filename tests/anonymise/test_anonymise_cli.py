"""'verlicht anonymise' and 'verlicht key' as a researcher runs them: outputs, key, audit, errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from anondata import PASSPHRASE, TRANSCRIPTS
from click.testing import CliRunner
from helpers import main_entry

from verlicht.anonymise.keystore import KeyStore
from verlicht.rock import read_source
from verlicht.workspace import init_workspace

EXPECTED = json.loads((TRANSCRIPTS / "EXPECTED.json").read_text(encoding="utf-8"))
CASES = {line.split(",")[0]: line.split(",")[1]
         for line in (TRANSCRIPTS / "attributes.csv").read_text(encoding="utf-8").splitlines()[1:]}


def cli(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main_entry, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def anonymised(tmp_path_factory, detector):
    """Every fixture transcript anonymised once into a fresh workspace, key kept apart."""
    base = tmp_path_factory.mktemp("anon")
    workspace = init_workspace(base / "ws")
    key = base / "keys" / "team.verlicht-key"
    mp = pytest.MonkeyPatch()
    mp.setenv("VERLICHT_KEY_PASSPHRASE", PASSPHRASE)
    code, out, err = cli("-w", str(workspace), "anonymise", *map(str, sorted(TRANSCRIPTS.glob("interview_*"))),
                         "--attributes", str(TRANSCRIPTS / "attributes.csv"), "--key", str(key),
                         "--format", "json")
    mp.undo()
    assert code == 0, err
    return workspace, key, json.loads(out)


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[1]


def test_every_personal_string_is_gone_and_every_public_actor_stays(anonymised):
    workspace, _, _ = anonymised
    for name, expected in EXPECTED.items():
        text = body(workspace / "interviews" / f"{CASES[name].lower()}.rock")
        left = [p for p in expected["personal"] if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]
        assert left == [], name
        assert [k for k in expected["keep"] if k not in text] == [], name


def test_outputs_are_valid_rock_with_marker_case_ids_and_uids(anonymised):
    workspace, _, rows = anonymised
    assert {r["case"] for r in rows} == set(CASES.values())
    source = read_source(workspace / "interviews" / "r21.rock")
    assert source.warnings == []
    assert any("VERLICHT_anonymised" in (f.data or {}) for f in source.fragments)
    assert all(u.uid and re.fullmatch(r"[a-z2-7]{8}", u.uid) for u in source.utterances)
    assert {u.case_id for u in source.utterances} == {"R21", "interviewer"}
    assert source.attributes["R21"] == {"group": "bewoner", "role": "huurder", "wijk": "Vrieheide",
                                        "date": "2026-03-03"}
    assert source.attributes["interviewer"]["group"] == "interviewer"


def test_the_same_person_gets_the_same_pseudonym_in_every_mention(anonymised):
    workspace, key, _ = anonymised
    store = KeyStore.open(key, PASSPHRASE)
    entry = store.lookup("PERSOON", "Annie Schoonbrood")
    assert entry is not None
    text = body(workspace / "interviews" / "r21.rock")
    # "mevrouw Schoonbrood" later in the interview is the same person.
    assert text.count(entry.pseudonym) >= 2


def test_same_input_and_key_give_byte_identical_output(anonymised, tmp_path):
    workspace, key, _ = anonymised
    before = (workspace / "interviews" / "r22.rock").read_bytes()
    out = tmp_path / "again"
    code, _, err = cli("anonymise", str(TRANSCRIPTS / "interview_b.txt"), "--attributes",
                       str(TRANSCRIPTS / "attributes.csv"), "--key", str(key), "--out", str(out), "-q")
    assert code == 0, err
    assert (out / "r22.rock").read_bytes() == before


def test_the_key_is_encrypted_and_the_audit_lies_next_to_it(anonymised):
    _, key, _ = anonymised
    raw = key.read_bytes()
    assert b"Schoonbrood" not in raw and b"PERSOON" not in raw
    assert json.loads(raw)["format"] == "verlicht-key"
    audits = sorted((key.parent / "audit").glob("audit-*.csv"))
    assert any("Schoonbrood" in audit.read_text(encoding="utf-8") for audit in audits)
    assert sorted((key.parent / "audit").glob("audit-*.html"))


def test_wrong_passphrase_is_a_one_line_error(anonymised, monkeypatch):
    _, key, _ = anonymised
    monkeypatch.setenv("VERLICHT_KEY_PASSPHRASE", "not the passphrase")
    code, _, err = cli("key", "show", "--key", str(key))
    assert code == 1
    assert err.strip() == f"error: {key}: wrong passphrase for the key file (or the file was altered) — " \
                          "check VERLICHT_KEY_PASSPHRASE"


def test_key_show_lists_pseudonyms(anonymised):
    _, key, _ = anonymised
    code, out, _ = cli("key", "show", "--key", str(key), "--category", "TELEFOON", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 7 and all(r["category"] == "TELEFOON" for r in rows)


def test_a_key_inside_the_workspace_is_refused(tmp_path):
    workspace = init_workspace(tmp_path / "ws")
    code, _, err = cli("-w", str(workspace), "anonymise", str(TRANSCRIPTS / "interview_a.txt"),
                       "--key", str(workspace / "sleutel.verlicht-key"))
    assert code == 1
    assert "would be inside the workspace" in err
    assert not (workspace / "sleutel.verlicht-key").exists()
    assert sorted(p.name for p in (workspace / "interviews").iterdir()) == ["voorbeeld.rock"]


def test_default_key_lives_in_the_config_folder(tmp_path, config_home):
    workspace = init_workspace(tmp_path / "ws", name="Wijkstudie Noord")
    code, _, err = cli("-w", str(workspace), "anonymise", str(TRANSCRIPTS / "interview_a.txt"), "--case-id", "R01")
    assert code == 0, err
    assert (config_home / "verlicht" / "keys" / "wijkstudie_noord.verlicht-key").exists()
    assert (workspace / "interviews" / "r01.rock").exists()


def test_an_existing_coded_output_is_never_overwritten(anonymised, tmp_path):
    _, key, _ = anonymised
    out = tmp_path / "out"
    out.mkdir()
    coded = out / "r21.rock"
    coded.write_text("[[uid=aaaaaaaa]] al gecodeerd [[wonen]]\n", encoding="utf-8")
    code, _, err = cli("anonymise", str(TRANSCRIPTS / "interview_a.txt"), str(TRANSCRIPTS / "interview_b.txt"),
                       "--attributes", str(TRANSCRIPTS / "attributes.csv"), "--key", str(key), "--out", str(out))
    assert code == 1
    assert "exists and differs" in err and "--force" in err
    assert coded.read_text(encoding="utf-8") == "[[uid=aaaaaaaa]] al gecodeerd [[wonen]]\n"
    assert not (out / "r22.rock").exists()  # nothing half-written


def test_rock_input_keeps_codes_ids_and_yaml_exactly(tmp_path, anonymised):
    _, key, _ = anonymised
    source = tmp_path / "in" / "r40.rock"
    source.parent.mkdir()
    lines = [
        "---", "ROCK_attributes:", "  - caseId: R40", "    group: bewoner", "---",
        "[[uid=k1]] [[cid=R40]] Ik woon op de Akerstraat 86 [[wonen>adres]] en bel me op 06-41279305.",
        "# opmerking van de codeur over mevrouw Lemmens",
        "[[uid=k2]] Meneer Crombach van Woonpunt zegt dat goedkope huizen instroom geven. "
        "[[goedkope_woningen->instroom_kwetsbaren||causal_pos||2]]",
        "---<<deel_2>>---",
        "[[uid=k3]] ~ Niks persoonlijks hier. [[cohesie]]",
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = cli("anonymise", str(source), "--key", str(key), "--out", str(out))
    assert code == 0, err
    text = (out / "r40.rock").read_text(encoding="utf-8")
    for kept in ("[[uid=k1]] [[cid=R40]]", "[[wonen>adres]]",
                 "[[goedkope_woningen->instroom_kwetsbaren||causal_pos||2]]", "---<<deel_2>>---",
                 "[[uid=k3]] ~ Niks persoonlijks hier. [[cohesie]]", "  - caseId: R40", "Woonpunt"):
        assert kept in text
    for gone in ("Akerstraat 86", "06-41279305", "Lemmens", "Crombach"):
        assert gone not in text
    parsed = read_source(out / "r40.rock")
    assert [u.uid for u in parsed.utterances] == ["k1", "k2", "k3"]
    assert parsed.utterances[1].network[0].weight == 2
    assert source.read_text(encoding="utf-8") == "\n".join(lines) + "\n"  # the input is never changed


def test_forget_gives_a_person_an_unlinked_pseudonym_everywhere(tmp_path):
    workspace = init_workspace(tmp_path / "ws")
    key = tmp_path / "keys" / "k.verlicht-key"
    for name in ("interview_a.txt", "interview_b.txt"):
        shutil.copy(TRANSCRIPTS / name, tmp_path / name)
    code, _, err = cli("-w", str(workspace), "anonymise", str(tmp_path / "interview_a.txt"),
                       "--case-id", "R01", "--key", str(key), "--remove", "Dylan")
    assert code == 0, err
    store = KeyStore.open(key, PASSPHRASE)
    old = store.lookup("PERSOON", "Annie Schoonbrood").pseudonym
    code, out, err = cli("-w", str(workspace), "key", "forget", "Annie Schoonbrood", "--key", str(key),
                         "--format", "json")
    assert code == 0, err
    [row] = json.loads(out)
    assert row["old"] == old and row["replaced"] >= 2
    text = (workspace / "interviews" / "r01.rock").read_text(encoding="utf-8")
    assert old not in text and row["new"] in text
    store = KeyStore.open(key, PASSPHRASE)
    assert store.lookup("PERSOON", "Annie Schoonbrood") is None
    assert "Schoonbrood" not in json.dumps(store.data)


def test_rotate_locks_the_key_with_a_new_passphrase(tmp_path, monkeypatch):
    key = tmp_path / "keys" / "k.verlicht-key"
    KeyStore.create(key, PASSPHRASE).save()
    monkeypatch.setenv("VERLICHT_NEW_KEY_PASSPHRASE", "a brand new passphrase")
    code, _, err = cli("key", "rotate", "--key", str(key))
    assert code == 0, err
    KeyStore.open(key, "a brand new passphrase")
    with pytest.raises(Exception, match="wrong passphrase"):
        KeyStore.open(key, PASSPHRASE)


def test_review_rejects_and_marks_missed_and_remembers(tmp_path):
    key = tmp_path / "keys" / "k.verlicht-key"
    raw = tmp_path / "kort.txt"
    raw.write_text("I: Wie bent u?\nR: Ik ben Bianca en ik ken Sjonnie de Kwats van de Kampstraat.\n",
                   encoding="utf-8")
    out = tmp_path / "out"
    # First replacement: reject it; then accept the rest and mark one missed span.
    answers = "r\nA\ny\nKampstraat\nPLAATS\nn\n"
    code, _, err = cli("anonymise", str(raw), "--key", str(key), "--out", str(out), "--case-id", "R09",
                            "--review", input=answers)
    assert code == 0, err
    text = (out / "r09.rock").read_text(encoding="utf-8")
    assert "Bianca" in text  # rejected: not personal in this reviewer's judgement
    assert "Kampstraat" not in text
    decisions = KeyStore.open(key, PASSPHRASE).data["decisions"]
    assert decisions["reject"] == ["Bianca"]
    assert decisions["missed"] == [{"text": "Kampstraat", "label": "PLAATS"}]


def test_no_passphrase_without_terminal_is_an_error(tmp_path, monkeypatch):
    monkeypatch.delenv("VERLICHT_KEY_PASSPHRASE")
    code, _, err = cli("anonymise", str(TRANSCRIPTS / "interview_a.txt"), "--key", str(tmp_path / "k.verlicht-key"),
                       "--out", str(tmp_path / "out"))
    assert code == 1
    assert "VERLICHT_KEY_PASSPHRASE is not set" in err
