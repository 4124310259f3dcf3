"""Person recall and precision of the anonymiser per labelled set, and what it finds in text with no names.

    python bench/anonymise_recall.py [EXTRA.jsonl ...] [--plain DIR_OR_FILE ...] [--misses]

For every labelled set in tests/data/anonymise/ (and any extra one given) prints person recall, precision over
all spans, contact/identifier recall and keep-term rate, as `tests/anonymise` measures them. Person recall is
given twice: by the annotation guide (a title inside a gold span, "mevrouw Ploumen", need not be replaced; rule
1) and as labelled (every letter of the gold span); the sets that follow the guide give the same figure twice.
Then runs the same pipeline over text that holds no lower-case person names — the demo interviews' utterances,
the coded test set and any `--plain` documents (the public seed documents, for instance) — and prints every
person span that is typed in lower case there (prefixes such as "van" aside): each one is an ordinary word the
anonymiser would lose. With `--misses` the missed gold spans and the false hits are listed too.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verlicht.anonymise.evaluate import CONTACT_AND_IDS, read_set, score  # noqa: E402
from verlicht.anonymise.pipeline import Detector  # noqa: E402
from verlicht.anonymise.rules import _PREFIX_WORDS as PREFIX_WORDS  # noqa: E402
from verlicht.rock.reader import read_source  # noqa: E402

DATA = ROOT / "tests" / "data" / "anonymise"
SETS = ("dev.jsonl", "dev2.jsonl", "dev3.jsonl", "dev_lowercase.jsonl", "test.jsonl", "test_lowercase.jsonl",
        "blind_persons.jsonl", "blind_persons2.jsonl", "blind_persons3.jsonl", "blind_persons4.jsonl",
        "blind_persons5.jsonl")


def plain_texts(paths: list[Path]) -> list[tuple[str, str]]:
    """(name, text) of the demo interviews' and the coded set's utterances, and of the plain documents given."""
    out = []
    for folder in (ROOT / "interviews", ROOT / "tests" / "data" / "coded" / "interviews"):
        for path in sorted(folder.glob("*.rock")):
            utterances = [u.text for u in read_source(path).utterances]
            out.append((str(path.relative_to(ROOT)), "\n".join(utterances)))
    for path in paths:
        files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
        out.extend((str(f), f.read_text(encoding="utf-8")) for f in files)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--plain", nargs="*", type=Path, default=[])
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    detector = Detector(model="blank")
    print(f"pipeline loaded in {time.perf_counter() - start:.1f} s")
    print(f"{'set':<28}{'passages':>9}{'persons':>9}{'recall P':>10}{'labelled':>9}{'precision':>10}"
          f"{'contact':>9}{'keep':>7}")
    paths = [DATA / name for name in SETS if (DATA / name).exists()] + list(args.sets)
    for path in paths:
        passages = read_set(path)
        result = score(passages, detector.find)
        labelled = score(passages, detector.find, as_labelled=True)
        print(f"{path.name:<28}{len(passages):>9}{result.total['PERSOON']:>9}{result.recall(['PERSOON']):>10.3f}"
              f"{labelled.recall(['PERSOON']):>9.3f}{result.precision:>10.3f}{result.recall(CONTACT_AND_IDS):>9.3f}{result.keep_rate:>7.3f}")
        if args.misses:
            for pid, label, text in result.misses:
                print(f"    miss  {pid} {label} {text!r}")
            for pid, text in result.false:
                print(f"    false {pid} {text!r}")
            for pid, term in result.dropped_keep:
                print(f"    keep  {pid} {term!r}")
    texts = plain_texts(args.plain)
    words = sum(len(text.split()) for _, text in texts)
    hits = []
    for name, text in texts:
        for f in detector.find(text):
            piece = text[f.start:f.end]
            lower = [w for w in piece.split() if w.isalpha() and w.islower() and w not in PREFIX_WORDS]
            if f.label == "PERSOON" and lower:
                hits.append((name, piece, f.by, text[max(0, f.start - 30):f.end + 30].replace("\n", " ")))
    print(f"text without lower-case names: {len(texts)} files, {words} words, lower-case person hits: {len(hits)}")
    for name, piece, by, context in hits:
        print(f"    {name}: {piece!r} ({by}) in …{context}…")


if __name__ == "__main__":
    main()
