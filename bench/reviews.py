"""Benchmark: import and de-duplicate 50,000 records against 200,000 earlier ones (target < 10 s here).

Makes a review whose first round holds 200,000 synthetic records (written as records.jsonl, as an
import would), then times ``import_round`` of a 50,000-record RIS file in which 10 % share a DOI with
an earlier record, 5 % a PMID-less, DOI-less title + year + author, and 2 % repeat a record of the same
file. Prints seconds, the ratio to the 10 s target, peak memory (tracemalloc, and the process's max
RSS) and checks the duplicate counts. WSS@95 of the prioritised order is measured by ``bench/wss.py``
on a labelled public screening set.

    python bench/reviews.py [--earlier 200000] [--new 50000]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from verlicht.reviews.folder import RECORDS, ROUND_COLUMNS, ROUNDS, csv_bytes, records_bytes
from verlicht.reviews.records import Record, title_key
from verlicht.reviews.rounds import import_round
from verlicht.workspace import open_layout

WORDS = (
    "social mix tenure cohesion neighbourhood trust housing renewal income diversity contact school "
    "health income capital ethnic urban policy estate panel survey effect network"
).split()


def title(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(8)) + f" {n}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--earlier", type=int, default=200_000)
    parser.add_argument("--new", type=int, default=50_000)
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="Also trace Python allocations (tracemalloc; slows the import several times).",
    )
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "verlicht.toml").write_text('[workspace]\nname = "bench"\n', encoding="utf-8")
        folder = root / "reviews" / "bench"
        folder.mkdir(parents=True)
        (folder / "protocol.yaml").write_text(
            'question: "bench"\ntype: effect\nexclude:\n  E1: "no"\n', encoding="utf-8"
        )
        earlier = []
        for i in range(args.earlier):
            authors = [f"Author{i % 5000}, A."]
            t = title(rng, i)
            doi = f"10.5555/bench.{i}" if i % 3 else ""
            earlier.append(
                Record(
                    title=t,
                    authors=authors,
                    year=1990 + i % 35,
                    doi=doi,
                    id=f"r{i + 1}",
                    round=1,
                    key=title_key(t, 1990 + i % 35, authors),
                    database="Scopus",
                )
            )
        (folder / RECORDS).write_bytes(records_bytes(earlier))
        (folder / ROUNDS).write_bytes(
            csv_bytes(
                ROUND_COLUMNS,
                [["1", "2025-01-01", "Scopus", "x.ris", "ris", str(args.earlier), "0", "0", str(args.earlier)]],
            )
        )
        lines, expect_earlier, expect_within = [], 0, 0
        made: list[tuple[str, str, int]] = []
        for j in range(args.new):
            roll = rng.random()
            if roll < 0.10:  # same DOI as an earlier record, another case and prefix
                e = earlier[rng.randrange(args.earlier)]
                while not e.doi:
                    e = earlier[rng.randrange(args.earlier)]
                t, au, y, doi = e.title, e.authors[0], e.year, "https://doi.org/" + e.doi.upper()
                expect_earlier += 1
            elif roll < 0.15:  # no DOI: title + year + first author, in other case and punctuation
                e = earlier[rng.randrange(args.earlier)]
                t, au, y, doi = e.title.upper() + ".", e.authors[0].upper(), e.year, ""
                if e.doi:
                    doi = ""
                expect_earlier += 1
            elif roll < 0.17 and made:  # a record repeated within the file
                t, doi, y = made[rng.randrange(len(made))]
                au = "Repeat, R."
                expect_within += 1
            else:
                t, au, y, doi = title(rng, args.earlier + j), f"Writer{j % 3000}, B.", 2025, f"10.5555/new.{j}"
                if roll > 0.17:
                    made.append((t, doi, y))
            lines += (
                ["TY  - JOUR", f"TI  - {t}", f"AU  - {au}", f"PY  - {y}"]
                + ([f"DO  - {doi}"] if doi else [])
                + ["AB  - An abstract of moderate length about neighbourhoods and their residents.", "ER  - ", ""]
            )
        export = root / "new.ris"
        export.write_text("\n".join(lines), encoding="utf-8")
        layout = open_layout(root)
        if args.trace_memory:
            tracemalloc.start()
        start, cpu = time.perf_counter(), time.process_time()
        report = import_round(layout, "bench", [export], date="2025-07-01")
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        _current, peak = tracemalloc.get_traced_memory() if args.trace_memory else (0, 0)
        tracemalloc.stop()
    [row] = report.rows()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"import + de-duplicate {args.new:,} records against {args.earlier:,}: {seconds:.2f} s "
        f"wall ({seconds / 10:.2f} of the 10 s target), {cpu:.2f} s CPU; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    traced = f"peak traced during the import {peak / 2**20:.0f} MiB; " if args.trace_memory else ""
    print(f"memory: {traced}process max RSS {rss:.0f} MiB (the 250,000 synthetic records included)")
    print(
        f"found {row['found']:,}; duplicates of earlier rounds {row['duplicates_earlier']:,} "
        f"(made {expect_earlier:,}); within the round {row['duplicates_within']:,} (made at most {expect_within:,}); "
        f"new {row['new']:,}"
    )
    ok = row["duplicates_earlier"] == expect_earlier and row["found"] == args.new
    sys.exit(0 if ok and seconds < 10 else 1)


if __name__ == "__main__":
    main()
