"""Work saved over sampling at 95 % recall (WSS@95) of the prioritised screening order, on labelled data.

Simulates screening as ASReview's simulation mode does: one relevant and one irrelevant record as prior
knowledge (drawn with a seed), then the records are screened in the order :func:`verlicht.reviews.prioritise.rank`
gives (TF-IDF + naive Bayes, retrained every ``--batch`` records), each revealing its label, until 95 % of the
relevant records are found. WSS@95 = (N − screened) / N − 0.05. Reported per seed and on average, beside the
0 that screening in random order gives on average.

The labelled file is a CSV with title, abstract and a label column (``label_included``), such as the public
datasets of the ASReview project (``asreview/systematic-review-datasets``, e.g. Cohen et al. 2006 ADHD).
It is read from where it lies; no data set is part of this repository.

    python bench/wss.py PATH/TO/ADHD.csv [--label label_included] [--seeds 5] [--batch 10]
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import time
from pathlib import Path

from verlicht.reviews.importers import decode
from verlicht.reviews.importers.table import read_csv
from verlicht.reviews.prioritise import rank


def simulate(records, labels: list[bool], seed: int, batch: int, recall: float = 0.95) -> int:
    """How many records are screened (prior included) until ``recall`` of the relevant ones are found."""
    rng = random.Random(seed)
    relevant = [i for i, y in enumerate(labels) if y]
    irrelevant = [i for i, y in enumerate(labels) if not y]
    seen = [rng.choice(relevant), rng.choice(irrelevant)]
    target = math.ceil(recall * len(relevant))
    found = 1
    todo = [i for i in range(len(records)) if i not in seen]
    while found < target:
        labelled = [(records[i], labels[i]) for i in seen]
        ordered, _scores = rank([records[i] for i in todo], labelled)
        index_of = {id(r): i for i, r in zip(todo, [records[i] for i in todo], strict=True)}
        for record in ordered[:batch]:
            i = index_of[id(record)]
            seen.append(i)
            todo.remove(i)
            found += labels[i]
            if found >= target:
                break
    return len(seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--label", default="label_included")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args()
    text = decode(args.file.read_bytes(), str(args.file))
    records = read_csv(text, str(args.file))
    labels = [row[args.label].strip() in ("1", "1.0") for row in csv.DictReader(text.splitlines())
              if any(v.strip() for v in row.values() if v)]
    assert len(labels) == len(records), (len(labels), len(records))
    n, k = len(records), sum(labels)
    print(f"{args.file.name}: {n} records, {k} relevant ({args.label}); retrained every {args.batch} records")
    results = []
    start = time.perf_counter()
    for seed in range(args.seeds):
        screened = simulate(records, labels, seed, args.batch)
        wss = (n - screened) / n - 0.05
        results.append(wss)
        print(f"  seed {seed}: 95 % recall after {screened} of {n} records screened → WSS@95 = {wss:.3f}")
    print(f"WSS@95 mean over {args.seeds} seeds: {sum(results) / len(results):.3f} (random order: 0 on average); "
          f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
