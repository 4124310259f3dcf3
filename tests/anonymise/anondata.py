"""Paths and the test passphrase shared by the anonymiser tests."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "anonymise"
TRANSCRIPTS = DATA / "transcripts"
PASSPHRASE = "test-passphrase-heerlen"


def persons(detector, text: str) -> list[str]:
    """The person names ``detector`` finds in ``text``, as written, in order."""
    return [text[f.start:f.end] for f in detector.find(text) if f.label == "PERSOON"]
