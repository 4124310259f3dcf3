"""Graph page benchmark: a 5,000-node page from the synthetic generator, opened in headless Chromium.

    .venv/bin/python bench/viz.py [--concepts 5150] [--interviews 300] [--utterances 90] [--out bench/out]

Generates (once) a workspace whose claims join about 5,000 concepts (``bench/generate.py --uniform``: every
claim drawn from all concept pairs), builds it, and prints:

* the time to write the page (``verlicht viz``'s work in-process: loading the graph, the view, the layout in
  networkx, pyvis, the template) and the file's size;
* in headless Chromium (Debian's, through Playwright; no network): the time to first paint, and to the first
  complete drawing of the graph (``body[data-ready]``: with physics off the page has settled then), for the
  default page (the best supported concepts drawn, all 5,000 in the data) and after ticking 'Show all'
  (every node and edge drawn);
* a search and a filter on the full page: how long until the new drawing is on screen.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from generate import generate  # noqa: E402

import verlicht  # noqa: E402


def workspace(out: Path, concepts: int, interviews: int, utterances: int) -> Path:
    root = out / f"viz-{concepts}c-{interviews}x{utterances}"
    if not (root / "verlicht.toml").exists():
        generate(root, interviews, utterances, concepts=concepts, uniform=True)
    if not (root / "graphs" / "verlicht.json").exists():
        verlicht.open(root).build()
    return root


REDRAW = """async (change) => {
  const done = new Promise(resolve => verlicht.network.once('afterDrawing', resolve));
  const t0 = performance.now();
  eval(change);
  verlicht.apply();
  await done;
  return [performance.now() - t0, Number(document.getElementById('count').dataset.nodes)];
}"""


def browser_figures(page_file: Path, runs: int) -> dict[str, list[float]]:
    from browserkit import CHROMIUM_ARGS, chromium_path, skip_reason
    from playwright.sync_api import sync_playwright

    reason = skip_reason()
    if reason:
        print(f"browser figures skipped: {reason}")
        return {}
    figures: dict[str, list[float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            page.route("http*://**/*", lambda route, errors=errors: (errors.append(route.request.url), route.abort()))
            start = time.perf_counter()
            page.goto(page_file.as_uri())
            page.wait_for_selector("body[data-ready]", timeout=60000)
            figures.setdefault("ready (default page)", []).append(time.perf_counter() - start)
            paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1")
            figures.setdefault("first paint", []).append(paint / 1000)
            shown = page.evaluate("Number(document.getElementById('count').dataset.nodes)")
            figures.setdefault("nodes drawn (default page)", []).append(shown)
            took, shown = page.evaluate(REDRAW, "verlicht.state.showAll = true")
            figures.setdefault("show all: redraw", []).append(took / 1000)
            figures.setdefault("nodes drawn (show all)", []).append(shown)
            took, _ = page.evaluate(REDRAW, "verlicht.state.query = 'c01'")
            figures.setdefault("search on all: redraw", []).append(took / 1000)
            took, _ = page.evaluate(REDRAW, "verlicht.state.query = ''; verlicht.state.polarity = '-'")
            figures.setdefault("filter on all: redraw", []).append(took / 1000)
            if errors:
                print("page errors:", errors[:3])
            page.close()
        browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=5150)
    parser.add_argument("--interviews", type=int, default=300)
    parser.add_argument("--utterances", type=int, default=90)
    parser.add_argument("--runs", type=int, default=3, help="page loads in Chromium (the median is printed)")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    root = workspace(args.out, args.concepts, args.interviews, args.utterances)
    ws = verlicht.open(root)
    target = root / "graphs" / "graph.html"
    start = time.perf_counter()
    page = ws.viz(out=target)
    written = time.perf_counter() - start
    summary = page.summary
    print(f"workspace: {root}   (load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"page: {summary['nodes']:,} nodes ({summary['concepts']:,} concepts), {summary['edges']:,} edges, "
          f"physics {'on' if summary['physics'] else 'off'}")
    print(f"write page (in-process)       {written:8.2f} s")
    print(f"file size                     {summary['bytes'] / 1e6:8.2f} MB")
    again = ws.viz().html
    print(f"same bytes when written again {'yes' if again == page.html else 'NO':>8}")
    for name, values in browser_figures(target, args.runs).items():
        unit = "" if name.startswith("nodes") else " s"
        print(f"{name:<30}{statistics.median(values):8.2f}{unit}   (of {len(values)}: "
              f"{', '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    main()
