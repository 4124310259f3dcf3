"""Every detection of the anonymiser on the labelled sets, the demo interviews and the throughput workload.

    python bench/anonymise_detections.py --save before.json     # before a change meant to be speed-only
    python bench/anonymise_detections.py --check before.json    # after it: lists every detection that differs

A speed change must not change a single detection: this dumps the Found lists (start, end, label, by) of every
passage of every labelled set in tests/data/anonymise/, every demo and coded interview, and the interviews of
bench/anonymise.py's workload (``--megabytes``, 0.3 MB by default), and compares them with a saved dump.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.anonymise import interviews  # noqa: E402
from bench.anonymise_recall import DATA, plain_texts  # noqa: E402
from verlicht.anonymise.evaluate import read_set  # noqa: E402
from verlicht.anonymise.pipeline import Detector  # noqa: E402


def texts(megabytes: float) -> list[tuple[str, str]]:
    out = []
    for path in sorted(DATA.glob("*.jsonl")):
        out.extend((f"{path.name}:{p['id']}", p["text"]) for p in read_set(path))
    out.extend(plain_texts([]))
    out.extend((f"workload:{i}", t) for i, t in enumerate(interviews(megabytes)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--check", type=Path)
    parser.add_argument("--megabytes", type=float, default=0.3)
    args = parser.parse_args()
    detector = Detector(model="blank")
    dump = {name: [[f.start, f.end, f.label, f.by] for f in detector.find(text)] for name, text in
            texts(args.megabytes)}
    if args.save:
        args.save.write_text(json.dumps(dump, ensure_ascii=False), encoding="utf-8")
        print(f"{len(dump)} texts, {sum(map(len, dump.values()))} detections saved to {args.save}")
        return
    before = json.loads(args.check.read_text(encoding="utf-8"))
    differ = [name for name in sorted(set(before) & set(dump)) if before[name] != dump[name]]
    for name in differ:
        old, new = before[name], dump[name]
        print(f"{name}: lost {[f for f in old if f not in new]} gained {[f for f in new if f not in old]}")
    unmatched = len(set(before) ^ set(dump))
    print(f"{len(dump)} texts, {sum(map(len, dump.values()))} detections; {len(differ)} texts differ"
          + (f"; {unmatched} texts in only one of the two runs (a labelled set added or removed)" if unmatched else ""))
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
