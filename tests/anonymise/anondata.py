"""Paths and the test passphrase shared by the anonymiser tests."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "anonymise"
TRANSCRIPTS = DATA / "transcripts"
PASSPHRASE = "test-passphrase-heerlen"
