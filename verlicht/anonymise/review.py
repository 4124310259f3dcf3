"""``--review``: walk the replacements of a run on the terminal, in context, and remember the decisions.

Each distinct value is asked once per run: accept it, reject it (not personal
here; it stays), keep it always (a public term, added to the key's
keep-list), or mark a span the detector missed. Decisions live in the key,
because the texts they name may themselves be personal; later runs apply them.
"""

from __future__ import annotations

import click

from verlicht.anonymise.keystore import KeyStore
from verlicht.anonymise.pipeline import Detector
from verlicht.anonymise.rules import LABELS
from verlicht.anonymise.to_rock import Result

CHOICES = {"a": "accept", "r": "reject", "k": "keep always", "m": "mark missed span", "A": "accept all the rest"}


def make_reviewer(key: KeyStore):
    """A review callback for :func:`verlicht.anonymise.batch.run`; returns whether anything changed."""

    def review(results: list[Result], detector: Detector) -> bool:
        decisions = key.data["decisions"]
        changed = False
        seen: set[tuple[str, str]] = set()
        for result in results:
            click.echo(click.style(f"\n== {result.source} → {result.output_name} "
                                   f"({len(result.replacements)} replacements)", bold=True))
            for rep in result.replacements:
                if (rep.category, rep.original) in seen:
                    continue
                seen.add((rep.category, rep.original))
                context = f"…{rep.before}" + click.style(f"[{rep.original}]", fg="yellow", bold=True) + \
                    f"{rep.after}…"
                click.echo(f"\n{result.output_name}:{rep.line}  {rep.category} → {rep.pseudonym}  ({rep.by})")
                click.echo(f"  {context}")
                choice = click.prompt("  [a]ccept [r]eject [k]eep always [m]issed [A]ccept all",
                                      type=click.Choice(list(CHOICES)), default="a", show_choices=False)
                if choice == "A":
                    return _missed_loop(decisions) or changed
                if choice == "r":
                    decisions["reject"].append(rep.original)
                    changed = True
                elif choice == "k":
                    decisions["keep"].append(rep.original)
                    changed = True
                elif choice == "m":
                    changed = _ask_missed(decisions) or changed
        return _missed_loop(decisions) or changed

    return review


def _ask_missed(decisions: dict) -> bool:
    text = click.prompt("  text that was missed (exactly as written)", default="", show_default=False).strip()
    if not text:
        return False
    label = click.prompt("  category", type=click.Choice(LABELS), default="PERSOON")
    decisions["missed"].append({"text": text, "label": label})
    return True


def _missed_loop(decisions: dict) -> bool:
    changed = False
    while click.confirm("\nMark a span the detector missed?", default=False):
        changed = _ask_missed(decisions) or changed
    return changed
