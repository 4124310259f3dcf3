"""How fast one coding action is: add a code and save, on sources of growing length.

    python bench/coding.py [--utterances 300 3000 10000]

Every change in the coder is written at once (checked with the ROCK reader, atomic), so the time of one
change is what a coder feels after each Enter. Printed per source length: the median seconds of one
add+save, of one undo (restore+save), of the suggestions for one utterance, and the ratio of add+save to a
bare read of the same file with the ROCK reader (the floor: a change cannot cost less than reading back).
Budget: one change costs at most 3x a bare read of the file (the save reads the whole file back, on purpose),
and well under 0.1 s on an interview of a few hundred utterances.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verlicht.codebook import load_codebook  # noqa: E402
from verlicht.coding.edit import EditableSource  # noqa: E402
from verlicht.coding.session import CodingSession  # noqa: E402
from verlicht.rock.reader import read_source  # noqa: E402

DEMO = ROOT / "interviews" / "r07.rock"


def source_of(utterances: int, folder: Path) -> Path:
    """The demo interview's utterance lines repeated (with fresh uids) to the length asked."""
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    body = [line for line in lines if line.startswith("[[uid=")]
    head = [line for line in lines if not line.startswith("[[uid=")]
    out = list(head)
    for i in range(utterances):
        line = body[i % len(body)]
        out.append(f"[[uid=b{i:07d}]]" + line[line.index("]]") + 2:])
    path = folder / f"bench_{utterances}.rock"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def timed(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--utterances", type=int, nargs="+", default=[300, 3000, 10000])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    codebook = load_codebook(ROOT / "ontology" / "codebook.yaml")
    try:
        from verlicht.coding.suggest import Suggester

        suggester = Suggester(codebook)
    except ImportError:
        suggester = None
    print(f"{'utterances':>10}  {'read':>8}  {'add+save':>9}  {'undo':>8}  {'suggest':>8}  {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for count in args.utterances:
            path = source_of(count, Path(tmp))
            read = timed(lambda path=path: read_source(path), args.repeat)
            session = CodingSession.open(path, codebook, "bench", suggester=suggester)
            session.index = len(session.utterances) // 2

            def change(session=session) -> None:
                session.add("trots")
                session.undo()

            both = timed(change, args.repeat)
            session.add("trots")
            undo = timed(lambda session=session: (session.undo(), session.add("trots")), args.repeat) - both / 2
            suggest = timed(session.suggestions, args.repeat) if suggester else float("nan")
            add = both / 2
            print(f"{count:>10}  {read:>8.4f}  {add:>9.4f}  {undo:>8.4f}  {suggest:>8.4f}  {add / read:>6.1f}")
            EditableSource.load(path)  # the file is still valid ROCK after all of it


if __name__ == "__main__":
    main()
