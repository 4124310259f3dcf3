"""Anonymisation throughput on ~1 MB of transcript text, as a ratio to deduce alone, and peak memory.

    python bench/anonymise.py [--megabytes 1.0]

Budget (docs/ARCHITECTURE.md): VERLICHT's pipeline runs at >= 0.8x the throughput of deduce alone on the same
text, with higher recall (the recall side is tests/anonymise/test_quality.py). The text is built from the
labelled passages and fixture transcripts in tests/data/anonymise/, speaker turns shuffled with a fixed
seed, until it reaches the size asked, and cut into interviews of 40 turns. Both pipelines see the same
interviews, one call per interview, as `verlicht anonymise` processes a transcript.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verlicht.anonymise.pipeline import Detector, _deduce  # noqa: E402
from verlicht.anonymise.transcript import read_transcript  # noqa: E402

DATA = ROOT / "tests" / "data" / "anonymise"


def interviews(megabytes: float, turns_each: int = 40) -> list[str]:
    pool = turns(megabytes)
    return ["\n".join(pool[i:i + turns_each]) for i in range(0, len(pool), turns_each)]


def turns(megabytes: float) -> list[str]:
    pool: list[str] = []
    for name in ("dev.jsonl", "dev2.jsonl", "test.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            pool.extend(t for t in json.loads(line)["text"].split("\n") if t.strip())
    for path in sorted((DATA / "transcripts").glob("interview_*")):
        pool.extend(t.text for t in read_transcript(path).turns)
    rng = random.Random(2047)
    out: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        turn = rng.choice(pool)
        out.append(turn)
        size += len(turn.encode("utf-8")) + 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=1.0)
    args = parser.parse_args()
    texts = interviews(args.megabytes)
    size = sum(len(t.encode("utf-8")) for t in texts)
    print(f"text: {len(texts)} interviews of 40 turns, {size / 1e6:.2f} MB")
    deduce = _deduce()
    detector = Detector(model="auto")
    print(f"pipeline: {detector.model_name} + {', '.join(detector.nlp.pipe_names)}")
    for text in texts[:5]:  # warm both up
        deduce.deidentify(text)
        detector(text)
    # Interleaved, interview by interview, so a load that comes and goes on the machine hits both alike; CPU
    # time of this process (user + system), which other jobs on the machine disturb less than wall time.
    base = ours = 0.0
    for text in texts:
        start = time.process_time()
        deduce.deidentify(text)
        middle = time.process_time()
        detector(text)
        base += middle - start
        ours += time.process_time() - middle
    print(f"{'measure (CPU seconds)':<34}{'seconds':>9}")
    print(f"{'deduce alone':<34}{base:>9.2f}")
    print(f"{'verlicht pipeline':<34}{ours:>9.2f}")
    print(f"throughput ratio verlicht/deduce: {base / ours:.2f}   (budget >= 0.80; "
          f"deduce {size / 1e6 / base:.2f} MB/s, verlicht {size / 1e6 / ours:.2f} MB/s)")
    tracemalloc.start()
    for text in texts[:50]:
        detector(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {rss:.0f} MB resident (deduce's lookup tables included); "
          f"{peak / 1e6:.1f} MB allocated at most while anonymising 50 interviews")


if __name__ == "__main__":
    main()
