"""Read raw transcripts as a transcription service delivers them: speaker turns out of txt, docx, vtt and srt.

Speaker turns come in the usual forms: ``I:``, ``R:``, ``Interviewer:``, a
name (``Truus:``, ``Jo Lemmens:``), with or without a time stamp
(``[00:01:02] Naam:``), WebVTT voice tags (``<v Naam>``) and numbered SubRip
cues with or without ``SPREKER 1:``. Lines without a label continue the turn
before them. Word's cp1252, a BOM and CRLF line ends are handled; anything
that cannot be decoded is a located error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from verlicht.errors import Location, TranscriptError, VerlichtWarning

TRANSCRIPT_SUFFIXES = (".txt", ".docx", ".vtt", ".srt")
INTERVIEWER_LABELS = frozenset({
    "i", "int", "interviewer", "interviewster", "onderzoeker", "moderator", "gespreksleider", "v", "vraag",
    "interviewer 1", "interviewer 2", "onderzoeker 1", "onderzoeker 2",
})
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
# A label is short: a generic word ("Respondent", "Spreker 2") or one to four capitalised name words.
_LABEL = (
    r"(?:[A-Za-zÀ-ÿ]+(?:\s\d{1,2})?|"
    r"[A-ZÀ-ÞĞİŞ][\w'’.-]*(?:\s(?:(?:van|de|der|den|het|in|op|'t|el|al|ter|ten|te)\s)*[A-ZÀ-ÞĞİŞ][\w'’.-]*){0,3})"
)
LABELLED = re.compile(
    rf"^\s*(?:\[(?P<time>{_TIME})\]\s*|(?P<time2>{_TIME})\s+)?(?P<label>{_LABEL})\s*:\s*(?P<text>.*)$"
)
VTT_TIMING = re.compile(rf"^\s*(?P<start>{_TIME})\s+-->\s+(?P<end>{_TIME})")
VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
GENERIC_WORDS = frozenset({
    "i", "r", "int", "interviewer", "interviewster", "onderzoeker", "respondent", "resp", "geïnterviewde",
    "geinterviewde", "moderator", "gespreksleider", "deelnemer", "spreker", "speaker", "v", "a", "vraag", "antwoord",
})


@dataclass(slots=True)
class Turn:
    """What one speaker said without interruption; ``line`` is where it starts in the raw file."""

    speaker: str | None
    text: str
    line: int
    time: str | None = None


@dataclass(slots=True)
class Transcript:
    path: str
    turns: list[Turn]
    encoding: str = "utf-8"
    warnings: list[VerlichtWarning] = field(default_factory=list)
    raw: bytes = b""

    @property
    def speakers(self) -> list[str]:
        """Speaker labels in order of first appearance."""
        seen: dict[str, None] = {}
        for turn in self.turns:
            if turn.speaker is not None:
                seen.setdefault(turn.speaker, None)
        return list(seen)


def decode(data: bytes, path: str) -> tuple[str, str, list[VerlichtWarning]]:
    """UTF-8 (with or without BOM), else Windows-1252 as Word writes it, reported; CRLF becomes LF."""
    warnings: list[VerlichtWarning] = []
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            raise TranscriptError(
                f"byte 0x{data[exc.start]:02x} is neither UTF-8 nor Windows-1252",
                Location(path, line), "save the transcript as UTF-8 text",
            ) from None
        warnings.append(VerlichtWarning(
            "not UTF-8; read as Windows-1252 (as Word writes it)", Location(path, line),
            "check the accented letters in the output",
        ))
    if "\x00" in text:
        raise TranscriptError("file holds NUL bytes; it is not a text transcript", Location(path),
                              "export the transcript as .txt, .docx, .vtt or .srt")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding, warnings


def read_transcript(path: str | Path, display: str | None = None) -> Transcript:
    """Read one raw transcript into speaker turns."""
    path = Path(path)
    shown = display or str(path)
    suffix = path.suffix.lower()
    if suffix not in TRANSCRIPT_SUFFIXES:
        raise TranscriptError(f"cannot read '{path.suffix}' transcripts", Location(shown),
                              f"give a {', '.join(TRANSCRIPT_SUFFIXES)} or .rock file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TranscriptError(f"cannot read transcript: {exc.strerror or exc}", Location(shown),
                              "check the path and permissions") from None
    if suffix == ".docx":
        transcript = Transcript(shown, _labelled_lines(_docx_lines(data, shown), shown), "docx")
    else:
        text, encoding, warnings = decode(data, shown)
        lines = text.split("\n")
        if suffix == ".vtt":
            turns = _cues(lines, shown, vtt=True)
        elif suffix == ".srt":
            turns = _cues(lines, shown, vtt=False)
        else:
            turns = _labelled_lines(list(enumerate(lines, 1)), shown)
        transcript = Transcript(shown, turns, encoding, warnings)
    transcript.raw = data
    if not transcript.turns:
        raise TranscriptError("transcript holds no text", Location(shown), "is this the right file?")
    skipped = getattr(transcript.turns, "skipped", 0)
    if skipped:
        transcript.warnings.append(VerlichtWarning(
            f"{skipped} line(s) before the first speaker label were left out (a title or header)",
            Location(shown, 1), "put them after a label if they are part of the interview",
        ))
    return transcript


class _Turns(list):
    skipped = 0


def _docx_lines(data: bytes, path: str) -> list[tuple[int, str]]:
    """Paragraphs of a Word file, numbered as paragraphs (what a user sees as lines)."""
    import io
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TranscriptError(f"not a readable .docx file ({exc.__class__.__name__})", Location(path),
                              "open it in Word and save it again as .docx") from None
    lines: list[tuple[int, str]] = []
    number = 0
    for paragraph in document.paragraphs:
        for part in paragraph.text.split("\n"):
            number += 1
            lines.append((number, part))
    for table in document.tables:  # some services deliver a two-column table: speaker | text
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            number += 1
            if len(cells) >= 2 and cells[0] and len(cells[0]) <= 40:
                lines.append((number, f"{cells[0]}: {' '.join(cells[1:])}"))
            else:
                lines.append((number, " ".join(cells)))
    return lines


def split_label(line: str) -> tuple[str | None, str, str | None]:
    """``(speaker, text, time)`` of a line that starts with a speaker label, else ``(None, line, None)``."""
    match = LABELLED.match(line)
    if not match:
        return None, line, None
    label = re.sub(r"\s+", " ", match.group("label")).strip()
    words = label.split()
    generic = label.casefold() in GENERIC_WORDS or words[0].casefold() in GENERIC_WORDS
    # "Ik zeg altijd: …" is speech, not a label: labels are generic or capitalised name words.
    if not generic and not all(w[0].isupper() or w.casefold() in _PARTICLES for w in words):
        return None, line, None
    if not generic and len(words) == 1 and words[0].casefold() in _NOT_LABELS:
        return None, line, None
    return label, match.group("text").strip(), match.group("time") or match.group("time2")


_PARTICLES = frozenset({"van", "de", "der", "den", "het", "in", "op", "'t", "el", "al", "ter", "ten", "te"})
# Capitalised words people say before a colon that are not speakers.
_NOT_LABELS = frozenset({
    "dus", "nou", "kijk", "zie", "let", "maar", "en", "want", "toen", "ja", "nee", "oké", "ok", "eh", "tja", "nb",
    "ps", "noot", "opmerking", "voorbeeld", "conclusie", "samengevat", "titel", "datum", "tijd", "locatie",
    "onderwerp", "transcript", "duur", "aanwezig", "bijlage", "vraag", "antwoord",
})


def _labelled_lines(lines: list[tuple[int, str]], path: str) -> list[Turn]:
    turns = _Turns()
    pending: list[tuple[int, str]] = []
    any_label = any(split_label(text)[0] for _, text in lines if text.strip())
    for number, raw in lines:
        text = raw.strip()
        if not text:
            continue
        speaker, said, time = split_label(text)
        if speaker is not None:
            turns.append(Turn(speaker, said, number, time))
        elif turns:
            turns[-1].text = f"{turns[-1].text} {text}".strip()
        elif any_label:
            pending.append((number, text))
        else:
            turns.append(Turn(None, text, number))
    if any_label:
        turns.skipped = len(pending)
    return [t for t in turns if t.text] if not any_label else _keep_skipped(turns)


def _keep_skipped(turns: _Turns) -> _Turns:
    kept = _Turns(t for t in turns if t.text)
    kept.skipped = turns.skipped
    return kept


def _cues(lines: list[str], path: str, vtt: bool) -> list[Turn]:
    """WebVTT or SubRip cues into turns; consecutive cues of one named speaker make one turn."""
    turns: list[Turn] = []
    i = 0
    n = len(lines)
    if vtt and (not lines or not lines[0].lstrip("\ufeff").startswith("WEBVTT")):
        raise TranscriptError("a WebVTT file starts with 'WEBVTT'", Location(path, 1),
                              "export the captions again, or rename the file to .txt")
    found_timing = False
    while i < n:
        line = lines[i].strip()
        if vtt and (line.startswith("NOTE") or line.startswith("STYLE") or line.startswith("REGION")):
            while i < n and lines[i].strip():
                i += 1
            continue
        timing = VTT_TIMING.match(line.replace(",", ".")) if "-->" in line else None
        if not timing:
            if "-->" in line:
                raise TranscriptError(f"cue timing '{line}' is malformed", Location(path, i + 1),
                                      "write e.g. 00:00:01.000 --> 00:00:04.500")
            i += 1
            continue
        found_timing = True
        time = timing.group("start").split(".")[0].split(",")[0]
        i += 1
        text_lines: list[tuple[int, str]] = []
        while i < n and lines[i].strip():
            text_lines.append((i + 1, lines[i].strip()))
            i += 1
        voice: str | None = None
        pieces: list[Turn] = []  # what this cue holds, a piece per speaker
        for number, raw in text_lines:
            tag = VOICE.search(raw)
            if tag:
                voice = tag.group(1).strip()
            text = TAG.sub("", raw).strip()
            label, said, _ = split_label(text)
            who = label or voice or (pieces[-1].speaker if pieces else None)
            if pieces and pieces[-1].speaker == who and label is None:
                pieces[-1].text = f"{pieces[-1].text} {text}".strip()
            else:
                pieces.append(Turn(who, said if label else text, number, time))
        for piece in pieces:
            # A named speaker's consecutive cues are one turn; cues without speakers stay apart.
            if piece.speaker is not None and turns and turns[-1].speaker == piece.speaker:
                turns[-1].text = f"{turns[-1].text} {piece.text}".strip()
            else:
                turns.append(piece)
    if not found_timing:
        raise TranscriptError("no cue timings ('00:00:01,000 --> 00:00:03,000') found", Location(path, 1),
                              "is this a subtitle file? rename it to .txt if it is a plain transcript")
    return [t for t in turns if t.text]
