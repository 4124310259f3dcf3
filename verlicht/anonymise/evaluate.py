"""Measure detection against a labelled evaluation set (JSON Lines, see tests/data/anonymise/README.md).

A gold span counts as found when every letter and digit in it is covered by some detected span, whatever
the label: what matters for privacy is that it is gone. A detected span is correct when it overlaps a gold
span. A keep term occurrence is kept when no detected span touches it.

The annotation guide (tests/data/anonymise/README.md, rule 1) keeps titles and role words outside a person span
("mevrouw **Lemmens**", "juf **Roos**"): VERLICHT leaves them in the text. A set whose writer put them inside
("mevrouw Ploumen") is scored by the guide unless ``as_labelled`` is asked: a leading title in a gold PERSOON
span need not be covered. Both figures are printed by bench/anonymise_recall.py.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from verlicht.anonymise.rules import Found

CONTACT_AND_IDS = ("ADRES", "POSTCODE", "TELEFOON", "EMAIL", "URL", "IBAN", "BSN", "KENTEKEN")
# Rule 1's titles and role words, with their spellings and abbreviations ("mw.", "dhr.", "de heer", "dr.").
GUIDE_TITLES = (
    "meneer", "mijnheer", "menheer", "m'neer", "mevrouw", "mevr", "mw", "dhr", "de heer", "heer", "dokter", "dr",
    "juf", "juffrouw", "meester", "wijkagent", "huisarts",
)
LEADING_TITLE = re.compile(
    r"(?i)(?:(?:" + "|".join(re.escape(t) for t in sorted(GUIDE_TITLES, key=len, reverse=True)) + r")\.?\s+)+"
)


@dataclass
class Scores:
    found: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    detected: int = 0
    correct: int = 0
    kept: int = 0
    keep_total: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (passage id, label, text)
    false: list[tuple[str, str]] = field(default_factory=list)
    dropped_keep: list[tuple[str, str]] = field(default_factory=list)

    def recall(self, labels: Iterable[str] | None = None) -> float:
        labels = list(labels) if labels is not None else list(self.total)
        total = sum(self.total[label] for label in labels)
        return sum(self.found[label] for label in labels) / total if total else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.detected if self.detected else 1.0

    @property
    def keep_rate(self) -> float:
        return self.kept / self.keep_total if self.keep_total else 1.0

    def summary(self) -> dict[str, float]:
        return {
            "recall_persons": round(self.recall(["PERSOON"]), 4),
            "recall_contact_ids": round(self.recall(CONTACT_AND_IDS), 4),
            "recall_all": round(self.recall(), 4),
            "precision": round(self.precision, 4),
            "keep_rate": round(self.keep_rate, 4),
        }


def read_set(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def needed_start(span: dict) -> int:
    """Where the part of a gold span that must be covered starts: after a leading title of a person (rule 1)."""
    if span["label"] != "PERSOON":
        return span["start"]
    title = LEADING_TITLE.match(span["text"])
    return span["start"] + title.end() if title and title.end() < len(span["text"]) else span["start"]


def score(passages: list[dict], detect: Callable[[str], list[Found]], as_labelled: bool = False) -> Scores:
    """Recall, precision and keep rate of ``detect`` on labelled passages; titles by the guide unless
    ``as_labelled`` (see the module's docstring)."""
    scores = Scores()
    for passage in passages:
        text = passage["text"]
        found = detect(text)
        covered = bytearray(len(text))
        for f in found:
            covered[f.start:f.end] = b"\x01" * (f.end - f.start)
        gold = passage["spans"]
        for span in gold:
            scores.total[span["label"]] += 1
            start = span["start"] if as_labelled else needed_start(span)
            needed = [i for i in range(start, span["end"]) if text[i].isalnum()]
            if all(covered[i] for i in needed):
                scores.found[span["label"]] += 1
            else:
                scores.misses.append((passage["id"], span["label"], span["text"]))
        for f in found:
            scores.detected += 1
            if any(f.start < s["end"] and s["start"] < f.end for s in gold):
                scores.correct += 1
            else:
                scores.false.append((passage["id"], text[f.start:f.end]))
        in_gold = bytearray(len(text))
        for s in gold:
            in_gold[s["start"]:s["end"]] = b"\x01" * (s["end"] - s["start"])
        for term in passage["keep"]:
            for m in re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", text):
                if any(in_gold[m.start():m.end()]):
                    continue
                scores.keep_total += 1
                if any(covered[m.start():m.end()]):
                    scores.dropped_keep.append((passage["id"], term))
                else:
                    scores.kept += 1
    return scores


def deduce_alone() -> Callable[[str], list[Found]]:
    """deduce with its own defaults, as a team would use it without VERLICHT."""
    from verlicht.anonymise.pipeline import _deduce

    model = _deduce()

    def detect(text: str) -> list[Found]:
        return [Found(a.start_char, a.end_char, a.tag, "deduce") for a in model.deidentify(text).annotations]

    return detect
