"""Measure detection against a labelled evaluation set (JSON Lines, see tests/data/anonymise/README.md).

A gold span counts as found when every letter and digit in it is covered by some detected span, whatever
the label: what matters for privacy is that it is gone. A detected span is correct when it overlaps a gold
span. A keep term occurrence is kept when no detected span touches it.
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


def score(passages: list[dict], detect: Callable[[str], list[Found]]) -> Scores:
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
            needed = [i for i in range(span["start"], span["end"]) if text[i].isalnum()]
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
