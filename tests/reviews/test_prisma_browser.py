"""The PRISMA 2020 flow diagram as headless Chromium draws it: every phase label fits inside its side box."""

from __future__ import annotations

from pathlib import Path

from browserkit import open_page

MEASURE = """() => [...document.querySelectorAll('svg > text[transform]')].map(t => {
  const label = t.getBoundingClientRect();
  const box = [...document.querySelectorAll('svg > rect[x="20"]')].find(r => {
    const b = r.getBoundingClientRect();
    return b.top <= label.top + label.height / 2 && label.top + label.height / 2 <= b.bottom;
  }).getBoundingClientRect();
  return [t.textContent, Math.round(label.top - box.top), Math.round(box.bottom - label.bottom)];
})"""


def test_phase_labels_fit_their_boxes_in_a_round_with_few_databases(browser, two_rounds, tmp_path: Path):
    page = tmp_path / "prisma.html"
    for round_ in (1, 2, None):  # round 1 has two databases: its identification row is short
        svg = two_rounds.review_prisma_svg("mix", round_)
        page.write_text(f"<!doctype html><title>prisma</title><body style='margin:0'>{svg}</body>", encoding="utf-8")
        with open_page(browser, page, name=f"prisma-{round_ or 'all'}") as session:
            labels = session.page.evaluate(MEASURE)
            assert session.errors == []
        assert [name for name, _, _ in labels] == ["Identification", "Screening", "Included"]
        for name, above, below in labels:
            assert above >= 4 and below >= 4, f"round {round_}: '{name}' sticks out of its box ({above}, {below})"
