"""Generate a synthetic VERLICHT workspace: N interviews x M utterances with QNA network codes.

    python bench/generate.py OUT --interviews 1000 --utterances 300

About one utterance in three carries a network code (so 1,000 x 300 gives ~100k codes),
over a codebook of 150 concepts of which a third are measured by an indicator. Claims are
drawn the way interviews repeat them: from 2,000 plausible cause->effect pairs with a
Zipf-like popularity, each pair mostly coded with the same edge type. ``--uniform`` draws
every claim from all concept pairs instead (the worst case: almost every claim is new).
Seeded: the same arguments give the same workspace.
"""

from __future__ import annotations

import argparse
import itertools
import random
import string
import time
from pathlib import Path

WORDS = (
    "de", "buurt", "wijk", "mensen", "huis", "school", "werk", "geld", "zorg", "jongeren", "ouders", "straat",
    "gemeente", "corporatie", "vertrouwen", "samen", "vroeger", "nu", "eigenlijk", "gewoon", "weet", "je",
    "nou", "ja", "omdat", "daardoor", "waardoor",
)
TYPES = ("causal_pos", "causal_pos", "causal_neg", "causal", "structural")
GROUPS = ("bewoner", "professional", "bestuurder")
WIJKEN = ("Vrieheide", "GMS", "Hoensbroek", "Heerlerheide", "Meezenbroek")


def uid(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(10))


def bench_workspace(out_root: Path, interviews: int, utterances: int) -> Path:
    """The synthetic workspace the export, validation and Neo4j benches share (``out_root/ws-NxM``), generated
    and built through the notebook API when missing, so every bench measures the same graph."""
    import verlicht

    folder = out_root / f"ws-{interviews}x{utterances}"
    if not (folder / "verlicht.toml").exists():
        print(f"generating {folder} …", flush=True)
        generate(folder, interviews, utterances)
    if not (folder / "graphs" / "verlicht.json").exists():
        print("building …", flush=True)
        started = time.perf_counter()
        verlicht.open(folder, auto_build=False).build()
        print(f"build: {time.perf_counter() - started:.1f} s", flush=True)
    return folder


def generate(out: Path, interviews: int, utterances: int, concepts: int = 150, seed: int = 7,
             uniform: bool = False, pairs: int = 2000) -> Path:
    rng = random.Random(seed)
    (out / "interviews").mkdir(parents=True, exist_ok=True)
    (out / "ontology").mkdir(exist_ok=True)
    (out / "indicators").mkdir(exist_ok=True)
    (out / "verlicht.toml").write_text('[workspace]\nname = "bench"\n', encoding="utf-8")
    codes = [f"c{i:03d}" for i in range(concepts)]
    lines = ["version: 1", "concepts:"]
    for code in codes:
        lines += [f"  {code}:", "    type: factor", f"    label: {{nl: Concept {code}, en: Concept {code}}}"]
    (out / "ontology" / "codebook.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = ["id,label,unit,source,measures,tests,goals"]
    for i, code in enumerate(codes[: concepts // 3]):
        rows.append(f"ind{i:03d},Indicator {i},%,CBS,{code},,{i % 12 + 1}")
    (out / "indicators" / "indicators.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    plausible = [(*rng.sample(codes, 2), rng.choice(TYPES)) for _ in range(pairs)]
    weights = list(itertools.accumulate(1 / (rank + 1) ** 1.1 for rank in range(pairs)))

    def claim() -> str:
        if uniform:
            a, b = rng.sample(codes, 2)
            return f"{a}->{b}||{rng.choice(TYPES)}"
        a, b, kind = rng.choices(plausible, cum_weights=weights)[0]
        return f"{a}->{b}||{kind if rng.random() < 0.9 else rng.choice(TYPES)}"

    seen: set[str] = set()
    for n in range(interviews):
        case = f"R{n:04d}"
        # Synthetic words only: marked as anonymised, so the build's privacy guard accepts the workspace.
        text = ["---", "VERLICHT_anonymised:", "  tool: bench/generate.py (synthetic text)", "ROCK_attributes:", "  -",
                f"    caseId: {case}", f"    group: {GROUPS[n % 3]}",
                f"    wijk: {WIJKEN[n % len(WIJKEN)]}", "---", f"[[cid={case}]]"]
        for _ in range(utterances):
            u = uid(rng)
            while u in seen:
                u = uid(rng)
            seen.add(u)
            sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 22))).capitalize() + "."
            if rng.random() < 1 / 3:
                sentence += f" [[{claim()}]]"
            text.append(f"[[uid={u}]] {sentence}")
        (out / "interviews" / f"i{n:04d}.rock").write_text("\n".join(text) + "\n", encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--utterances", type=int, default=300)
    parser.add_argument("--concepts", type=int, default=150)
    parser.add_argument("--uniform", action="store_true", help="every claim from all concept pairs")
    args = parser.parse_args()
    generate(args.out, args.interviews, args.utterances, args.concepts, uniform=args.uniform)
    print(f"wrote {args.interviews} interviews x {args.utterances} utterances to {args.out}")


if __name__ == "__main__":
    main()
