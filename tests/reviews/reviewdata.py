"""Shared data of the review tests (a module of its own: several folders have a conftest)."""

from __future__ import annotations

from helpers import DATA

EXPORTS = DATA / "reviews"
PROTOCOL = """question: "Versterkt menging de cohesie?"
type: effect
pico:
  population: bewoners
  intervention: menging
searches:
  Scopus: 'TITLE-ABS-KEY("social mix*")'
include:
  I1: "empirical study of mixed neighbourhoods"
exclude:
  E1: "wrong population"
  E2: "wrong exposure"
  E3: "no cohesion outcome"
linked:
  concepts: [sociale_cohesie]
  assumptions: [menging->sociale_cohesie]
update_interval: 6 months
"""
