"""Raw transcripts as services deliver them read into the speaker turns a person sees in them."""

from __future__ import annotations

import json

import pytest
from anondata import TRANSCRIPTS

from verlicht.anonymise.transcript import read_transcript, split_label
from verlicht.errors import TranscriptError

EXPECTED = json.loads((TRANSCRIPTS / "EXPECTED.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_fixture_reads_into_the_expected_turns(name):
    transcript = read_transcript(TRANSCRIPTS / name)
    assert [{"speaker": t.speaker, "text": t.text} for t in transcript.turns] == EXPECTED[name]["turns"]


def test_word_cp1252_is_read_and_reported():
    transcript = read_transcript(TRANSCRIPTS / "interview_b.txt")
    assert transcript.encoding == "cp1252"
    assert any("Windows-1252" in w.message for w in transcript.warnings)
    assert "Mariëlle" in transcript.speakers


def test_bom_and_crlf_do_not_show_in_the_text():
    transcript = read_transcript(TRANSCRIPTS / "interview_c.txt")
    assert not any("\r" in t.text or "\ufeff" in t.text for t in transcript.turns)
    assert transcript.turns[0].time == "00:00:04"


def test_docx_title_before_the_first_label_is_left_out_with_a_warning():
    transcript = read_transcript(TRANSCRIPTS / "interview_d.docx")
    assert transcript.turns[0].speaker == "I"
    assert any("before the first speaker label" in w.message for w in transcript.warnings)


@pytest.mark.parametrize(("line", "speaker", "text"), [
    ("I: Hoe gaat het?", "I", "Hoe gaat het?"),
    ("[00:01:02] Jo Lemmens: Goed.", "Jo Lemmens", "Goed."),
    ("00:01:02 Interviewer: Ja.", "Interviewer", "Ja."),
    ("Ik zeg altijd: eerst werk.", None, "Ik zeg altijd: eerst werk."),
    ("Kijk: zo gaat dat.", None, "Kijk: zo gaat dat."),
    ("Jan van der Linden: Nee.", "Jan van der Linden", "Nee."),
])
def test_speaker_labels_in_the_usual_forms_and_speech_with_a_colon(line, speaker, text):
    got = split_label(line)
    assert (got[0], got[1]) == (speaker, text)


def test_unknown_format_is_a_located_error(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(TranscriptError, match=r"cannot read '\.pdf' transcripts"):
        read_transcript(path)


def test_broken_docx_is_a_located_error(tmp_path):
    path = tmp_path / "kapot.docx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(TranscriptError, match=r"not a readable \.docx") as info:
        read_transcript(path)
    assert str(info.value).startswith(f"{path}: ")


def test_vtt_without_header_and_bad_timing_are_located_errors(tmp_path):
    path = tmp_path / "a.vtt"
    path.write_text("00:00:01.000 --> 00:00:02.000\nhallo\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match="starts with 'WEBVTT'"):
        read_transcript(path)
    srt = tmp_path / "b.srt"
    srt.write_text("1\n00:00:01,000 --> nooit\nhallo\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match="malformed") as info:
        read_transcript(srt)
    assert info.value.location.line == 2


def test_empty_transcript_is_an_error(tmp_path):
    path = tmp_path / "leeg.txt"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match="holds no text"):
        read_transcript(path)
